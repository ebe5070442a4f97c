// Autosave for the survey: every change posts the step's form with the
// response's version; the server answers JSON. Without this script the
// step's buttons save the same form.
(function () {
  "use strict";

  var status = document.getElementById("save-status");
  var texts = status ? status.dataset : {};

  function show(kind, message) {
    if (!status) return;
    status.className = "edn-save-status is-" + kind;
    status.textContent = message;
    if (kind === "stale") {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-outline-danger ms-2";
      button.textContent = texts.reload;
      button.addEventListener("click", function () { window.location.reload(); });
      status.appendChild(button);
    }
  }

  function setVersion(version) {
    document.querySelectorAll('input[name="version"]').forEach(function (input) {
      input.value = version;
    });
  }

  function clearErrors(form) {
    form.querySelectorAll(".is-invalid").forEach(function (el) {
      el.classList.remove("is-invalid");
      el.removeAttribute("aria-invalid");
    });
    form.querySelectorAll("[data-errors-for]").forEach(function (el) {
      el.textContent = "";
    });
  }

  function showErrors(form, errors) {
    Object.keys(errors || {}).forEach(function (name) {
      var box = form.querySelector('[data-errors-for="' + name + '"]');
      if (box) box.textContent = errors[name].join(" ");
      form.querySelectorAll('[name="' + name + '"]').forEach(function (input) {
        input.classList.add("is-invalid");
        input.setAttribute("aria-invalid", "true");
        if (box) input.setAttribute("aria-describedby", box.id);
      });
    });
  }

  function autosave(form) {
    var state = form.ednAutosave;
    if (state.stale) return;
    if (state.busy) { state.again = true; return; }
    state.busy = true;
    state.again = false;
    show("saving", texts.saving);

    var body = new FormData(form);
    body.delete("go");
    fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-EDN-Autosave": "1", "X-Requested-With": "fetch" },
    })
      .then(function (reply) {
        return reply.json().then(function (answer) { return [reply.status, answer]; });
      })
      .then(function (result) {
        var answer = result[1];
        clearErrors(form);
        if (answer.status === "saved") {
          setVersion(answer.version);
          // A change made while this save was on its way is still unsaved.
          if (!state.pending && !state.again) {
            state.dirty = false;
            show("saved", texts.saved);
          }
        } else if (result[0] === 429) {
          // Too many saves in a minute: the change stays unsaved and is sent
          // again once the server says the limit has passed.
          show("error", answer.error);
          var wait = Math.max(1, Number(answer.retry_after) || 5);
          state.retry = window.setTimeout(function () { autosave(form); }, wait * 1000);
        } else if (answer.status === "stale" || answer.status === "closed") {
          state.stale = true;
          show("stale", answer.message);
        } else {
          showErrors(form, answer.errors);
          show("error", answer.message);
        }
      })
      .catch(function () {
        show("error", texts.offline);
        state.retry = window.setTimeout(function () { autosave(form); }, 5000);
      })
      .finally(function () {
        state.busy = false;
        if (state.again) autosave(form);
        else if (state.submitQueued) form.requestSubmit(state.submitter);
      });
  }

  document.querySelectorAll("form[data-autosave]").forEach(function (form) {
    form.ednAutosave = {
      busy: false, again: false, stale: false, dirty: false, pending: false,
    };
    var timer = null;
    function soon(delay) {
      var state = form.ednAutosave;
      state.dirty = true;
      state.pending = true;
      // "Saved" must not linger while a change waits to be sent.
      if (status && !state.stale && !status.classList.contains("is-saving")) {
        show("saving", texts.saving);
      }
      window.clearTimeout(timer);
      window.clearTimeout(state.retry);
      timer = window.setTimeout(function () {
        state.pending = false;
        autosave(form);
      }, delay);
    }
    form.addEventListener("change", function () { soon(150); });
    form.addEventListener("input", function (event) {
      var type = event.target.type;
      if (type === "text" || type === "textarea" || type === "search") soon(900);
    });
    window.addEventListener("beforeunload", function (event) {
      if (form.ednAutosave.dirty && !form.ednAutosave.stale) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
    // A button pressed while a save is on its way waits for it, so that the
    // page posts the version that save returned, not a stale one.
    form.addEventListener("submit", function (event) {
      var state = form.ednAutosave;
      window.clearTimeout(timer);
      state.pending = false;
      if (state.busy && !state.stale) {
        event.preventDefault();
        state.submitQueued = true;
        state.submitter = event.submitter || undefined;
        state.again = false;
        return;
      }
      state.submitQueued = false;
      state.dirty = false;
    });
  });

  // A double click on "Submit" sends one request.
  document.querySelectorAll("[data-submit-once]").forEach(function (button) {
    button.form.addEventListener("submit", function () {
      window.setTimeout(function () { button.disabled = true; }, 0);
    });
  });

  // The organization search by keyboard: the down arrow goes from the search
  // box into the results and down the list, the up arrow goes back up to the
  // box, Escape returns to it; Enter on a result adds it. Listening on the
  // document keeps this working after htmx swaps the results or the step.
  document.addEventListener("keydown", function (event) {
    var search = document.getElementById("partner-search");
    var results = document.getElementById("search-results");
    if (!search || !results) return;
    var buttons = Array.prototype.slice.call(results.querySelectorAll("button"));
    var index = buttons.indexOf(document.activeElement);
    var inSearch = document.activeElement === search;
    var target = null;
    if (event.key === "ArrowDown" && inSearch) target = buttons[0];
    else if (event.key === "ArrowDown" && index >= 0) target = buttons[index + 1];
    else if (event.key === "ArrowUp" && index >= 0) target = buttons[index - 1] || search;
    else if (event.key === "Escape" && index >= 0) target = search;
    if (target) {
      event.preventDefault();
      target.focus();
    }
  });

  var summary = document.getElementById("error-summary");
  var question = document.getElementById("did-you-mean");
  if (summary) summary.focus();
  else if (question) question.focus();

  // Focus moves once htmx has settled the new content, so the search box it
  // lands on already answers to typing.
  document.body.addEventListener("htmx:afterSettle", function (event) {
    if (!event.detail.target || event.detail.target.id !== "step-area") return;
    var area = document.getElementById("step-area");
    var problem = document.getElementById("error-summary");
    if (problem) { problem.focus(); return; }
    var question = document.getElementById("did-you-mean");
    if (question) { question.focus(); return; }
    var search = document.getElementById("partner-search");
    if (area && search && area.contains(search) && !search.value) search.focus();
  });
})();
