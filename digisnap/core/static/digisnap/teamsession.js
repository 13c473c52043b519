// The team-session page on the projector: asks for the participation counts every few seconds
// and writes them into the page. Counts only. Without JavaScript the page reloads itself instead
// (a meta refresh inside <noscript>).
(function () {
  "use strict";
  var box = document.querySelector("[data-team-counts-url]");
  if (!box || !window.fetch) { return; }
  var every = Math.max(2, parseInt(box.dataset.pollSeconds, 10) || 5) * 1000;
  var delay = every;
  var fields = ["joined", "busy", "submitted"];

  function show(counts) {
    fields.forEach(function (name) {
      var cell = box.querySelector('[data-count="' + name + '"]');
      var value = String(counts[name]);
      // Writing the same number again would make screen readers repeat it.
      if (cell && typeof counts[name] === "number" && cell.textContent !== value) {
        cell.textContent = value;
      }
    });
  }

  function poll() {
    fetch(box.dataset.teamCountsUrl, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    }).then(function (counts) {
      show(counts);
      delay = every;
      window.setTimeout(poll, delay);
    }).catch(function () {
      // The server or the network is away for a moment: ask again, less and less often.
      delay = Math.min(delay * 2, 60000);
      window.setTimeout(poll, delay);
    });
  }

  window.setTimeout(poll, delay);
})();
