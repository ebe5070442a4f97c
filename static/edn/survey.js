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

  // A change the server has not stored yet is kept in localStorage, keyed
  // by the response and the step, so a reload during an outage keeps it.
  // It is put back only onto the version it was made on: a newer page means
  // it was saved meanwhile or changed elsewhere.
  var BACKOFF_SECONDS = [1, 2, 4, 8];
  var responsePath = window.location.pathname.match(/\/survey\/(\d+)\//);
  var NOT_ANSWERS = ["csrfmiddlewaretoken", "version", "go"];

  function storageKey(form) {
    if (!responsePath) return null;
    var step = new URL(form.action, window.location.href).pathname;
    return "edn-unsaved:" + responsePath[1] + ":" + step;
  }

  function keep(form) {
    var key = storageKey(form);
    var version = form.querySelector('input[name="version"]');
    if (!key || !version) return;
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (NOT_ANSWERS.indexOf(name) === -1) fields.push([name, String(value)]);
    });
    try {
      window.localStorage.setItem(
        key, JSON.stringify({ version: version.value, fields: fields })
      );
    } catch (error) {
      // Storage full or refused: the change is still held in the page.
    }
  }

  function forget(form) {
    var key = storageKey(form);
    try {
      if (key) window.localStorage.removeItem(key);
    } catch (error) {
      // Nothing stored, nothing to remove.
    }
  }

  function restore(form) {
    var key = storageKey(form);
    var kept = null;
    try {
      kept = key && JSON.parse(window.localStorage.getItem(key) || "null");
    } catch (error) {
      kept = null;
    }
    if (!kept) return false;
    var version = form.querySelector('input[name="version"]');
    if (!version || version.value !== kept.version) {
      forget(form);
      return false;
    }
    var values = {};
    kept.fields.forEach(function (pair) {
      (values[pair[0]] = values[pair[0]] || []).push(pair[1]);
    });
    Array.prototype.forEach.call(form.elements, function (input) {
      if (!input.name || NOT_ANSWERS.indexOf(input.name) !== -1) return;
      if (input.type === "submit" || input.type === "button") return;
      var wanted = values[input.name] || [];
      if (input.type === "checkbox" || input.type === "radio") {
        input.checked = wanted.indexOf(input.value) !== -1;
      } else if (input.type === "select-multiple") {
        Array.prototype.forEach.call(input.options, function (option) {
          option.selected = wanted.indexOf(option.value) !== -1;
        });
      } else {
        input.value = wanted.length ? wanted.shift() : "";
      }
    });
    return true;
  }

  // Send the form again later, as it is then; a change made meanwhile
  // sends it sooner.
  function retryLater(form, seconds) {
    var state = form.ednAutosave;
    state.waiting = true;
    state.again = false;
    window.clearTimeout(state.retry);
    state.retry = window.setTimeout(function () {
      state.waiting = false;
      autosave(form);
    }, seconds * 1000);
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
        var wait = Number(reply.headers.get("Retry-After")) || 0;
        return reply.json()
          .catch(function () { return {}; })
          .then(function (answer) {
            return { code: reply.status, answer: answer, wait: wait };
          });
      })
      .then(function (result) {
        var answer = result.answer;
        if (result.code >= 500) {
          // The server or its database failed (503 says so): retry below.
          var failed = new Error("HTTP " + result.code);
          failed.wait = result.wait;
          throw failed;
        }
        clearErrors(form);
        if (answer.status === "saved") {
          state.failures = 0;
          setVersion(answer.version);
          // A change made while this save was on its way is still unsaved.
          if (!state.pending && !state.again) {
            state.dirty = false;
            forget(form);
            show("saved", texts.saved);
          }
        } else if (result.code === 429) {
          // Too many saves in a minute: the change stays unsaved and is sent
          // again once the server says the limit has passed.
          show("error", answer.error);
          keep(form);
          retryLater(form, Math.max(1, Number(answer.retry_after) || result.wait || 5));
        } else if (answer.status === "stale" || answer.status === "closed") {
          state.stale = true;
          forget(form);
          show("stale", answer.message);
        } else {
          showErrors(form, answer.errors);
          show("error", answer.message);
        }
      })
      .catch(function (error) {
        // No answer at all, or a server error: keep the change, say so, and
        // send it again after 1, 2, 4, then every 8 seconds.
        var step = Math.min(state.failures, BACKOFF_SECONDS.length - 1);
        state.failures += 1;
        keep(form);
        show("retrying", texts.retrying || texts.offline);
        retryLater(form, Math.max(BACKOFF_SECONDS[step], (error && error.wait) || 0));
      })
      .finally(function () {
        state.busy = false;
        if (state.waiting) return;
        if (state.again) autosave(form);
        else if (state.submitQueued) form.requestSubmit(state.submitter);
      });
  }

  document.querySelectorAll("form[data-autosave]").forEach(function (form) {
    form.ednAutosave = {
      busy: false, again: false, stale: false, dirty: false, pending: false,
      waiting: false, failures: 0,
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
      keep(form);
      window.clearTimeout(timer);
      window.clearTimeout(state.retry);
      state.waiting = false;
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
    // Back online: send a waiting change now rather than at its next try.
    window.addEventListener("online", function () {
      var state = form.ednAutosave;
      if (state.waiting && !state.busy) {
        window.clearTimeout(state.retry);
        state.waiting = false;
        autosave(form);
      }
    });
    // A change kept from before a reload is put back and sent.
    if (restore(form)) soon(150);
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

  // Past the search or save allowance the server answers 429 with a short
  // message: it takes the place of the search results, or shows in the save
  // status while the step stays as it was.
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var reply = event.detail.xhr;
    if (!reply || reply.status !== 429) return;
    if (event.detail.target && event.detail.target.id === "search-results") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
      return;
    }
    var page = new DOMParser().parseFromString(reply.responseText, "text/html");
    show("error", page.body.textContent.trim());
  });
})();
