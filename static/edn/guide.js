// The print page's button opens the browser's print dialog (and "save as PDF").
document.querySelectorAll("[data-edn-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
