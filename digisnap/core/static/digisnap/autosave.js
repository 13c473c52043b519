// Saves each answer the moment it is chosen; the form's own buttons still post every answer,
// so nothing is lost when the network drops or JavaScript is off.
//
// Every choice carries the moment it was made (the server's clock at page load plus the time
// since), so when two saves of one question arrive out of order the server keeps the later one.
// A save that fails for lack of a connection is tried again with growing pauses and as soon as
// the browser is back online; a save the server refuses shows the server's own reason beside
// the question. Leaving the page while an answer is not saved asks for confirmation.
(function () {
  "use strict";
  var form = document.getElementById("questionnaire-form");
  if (!form || !window.fetch) { return; }
  var progress = document.getElementById("progress");
  var counter = document.querySelector("[data-answered]");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var serverClock = parseInt(form.dataset.clock, 10) || Date.now();
  var loadedAt = performance.now();
  var lastSequence = 0;
  var RETRY_PAUSES = [1000, 2000, 4000, 8000, 15000, 30000];
  // item id → {level, sequence, state: "saving" | "saved" | "retrying" | "refused", tries, timer}
  var latest = {};
  var leaving = false;

  function nextSequence() {
    var now = serverClock + Math.round(performance.now() - loadedAt);
    lastSequence = Math.max(now, lastSequence + 1);
    return lastSequence;
  }

  function show(item, message, failed) {
    var state = document.getElementById("item-" + item + "-state");
    var fieldset = document.getElementById("item-" + item);
    if (state) {
      state.textContent = message;
      state.classList.toggle("failed", !!failed);
    }
    if (fieldset) { fieldset.classList.toggle("save-failed", !!failed); }
  }

  function showProgress(count) {
    // Answers are never taken back on this page, so a reply that overtook another never lowers it.
    var answered = Math.max(count, progress.value);
    progress.value = answered;
    progress.textContent = answered + " / " + progress.max;
    counter.textContent = answered;
  }

  function RefusedError(message) { this.message = message; }

  function send(item) {
    var choice = latest[item];
    var sequence = choice.sequence;
    var body = new URLSearchParams({ item: item, level: choice.level, sequence: sequence });
    choice.state = "saving";
    fetch(form.dataset.autosave, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, "Accept": "application/json" }
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("json") !== -1;
      if (response.ok) { return response.json(); }
      if (response.status >= 400 && response.status < 500) {
        // The server said no (signed out, already submitted, …): its reason, no retry.
        return (json ? response.json() : Promise.resolve({})).then(function (data) {
          throw new RefusedError(data.error || form.dataset.refused);
        });
      }
      throw new Error(response.status);
    }).then(function (data) {
      showProgress(data.answered);
      if (latest[item].sequence !== sequence) { return; }  // a newer choice is on its way
      latest[item].state = "saved";
      latest[item].tries = 0;
      show(item, form.dataset.saved, false);
    }).catch(function (error) {
      if (latest[item].sequence !== sequence) { return; }
      if (error instanceof RefusedError) {
        latest[item].state = "refused";
        show(item, error.message, true);
        return;
      }
      retryLater(item);
    });
  }

  function retryLater(item) {
    var choice = latest[item];
    choice.state = "retrying";
    show(item, form.dataset.retrying, true);
    var pause = RETRY_PAUSES[Math.min(choice.tries, RETRY_PAUSES.length - 1)];
    choice.tries += 1;
    clearTimeout(choice.timer);
    choice.timer = setTimeout(function () { send(item); }, pause);
  }

  form.addEventListener("change", function (event) {
    var input = event.target;
    if (input.type !== "radio" || !input.dataset.item) { return; }
    var item = input.dataset.item;
    var previous = latest[item];
    if (previous) { clearTimeout(previous.timer); }
    latest[item] = { level: input.value, sequence: nextSequence(), state: "saving", tries: 0 };
    show(item, form.dataset.saving, false);
    send(item);
  });

  window.addEventListener("online", function () {
    Object.keys(latest).forEach(function (item) {
      if (latest[item].state === "retrying") {
        clearTimeout(latest[item].timer);
        send(item);
      }
    });
  });

  // The form's buttons post every answer on the page, so leaving through them loses nothing.
  form.addEventListener("submit", function () { leaving = true; });

  window.addEventListener("beforeunload", function (event) {
    if (leaving) { return; }
    var unsaved = Object.keys(latest).some(function (item) {
      return latest[item].state !== "saved";
    });
    if (unsaved) {
      event.preventDefault();
      event.returnValue = form.dataset.unsaved;
    }
  });
})();
