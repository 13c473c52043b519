// Saves each answer the moment it is chosen; the form's own buttons still post every answer,
// so nothing is lost when the network drops or JavaScript is off.
(function () {
  "use strict";
  var form = document.getElementById("questionnaire-form");
  if (!form || !window.fetch) { return; }
  var state = document.getElementById("save-state");
  var progress = document.getElementById("progress");
  var counter = document.querySelector("[data-answered]");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  function show(message, failed) {
    state.textContent = message;
    state.classList.toggle("failed", !!failed);
  }

  form.addEventListener("change", function (event) {
    var input = event.target;
    if (input.type !== "radio" || !input.dataset.item) { return; }
    var body = new URLSearchParams({ item: input.dataset.item, level: input.value });
    fetch(form.dataset.autosave, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    }).then(function (data) {
      progress.value = data.answered;
      progress.textContent = data.answered + " / " + progress.max;
      counter.textContent = data.answered;
      show(form.dataset.saved, false);
    }).catch(function () {
      show(form.dataset.failed, true);
    });
  });
})();
