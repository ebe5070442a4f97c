// Small behaviours any page may ask for through data attributes. The Content
// Security Policy allows no inline script or on*= handler, so they live here.
(function () {
  "use strict";

  // <button data-edn-print>: open the browser's print dialog ("save as PDF").
  document.querySelectorAll("[data-edn-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // <select data-edn-autosubmit>: choosing an option sends its form.
  document.querySelectorAll("[data-edn-autosubmit]").forEach(function (field) {
    field.addEventListener("change", function () {
      if (field.form) field.form.submit();
    });
  });

  // <input type="checkbox" data-edn-choose-all="SELECTOR">: ticks or clears
  // every checkbox the selector names.
  document.querySelectorAll("[data-edn-choose-all]").forEach(function (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll(all.dataset.ednChooseAll).forEach(function (box) {
        box.checked = all.checked;
      });
    });
  });
})();
