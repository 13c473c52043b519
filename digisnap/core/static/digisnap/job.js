// Polls a job's status while it is queued or running: moves the progress bar, shows the step,
// and reloads the page once the job has finished, so the page shows the outcome. Without
// JavaScript the page refreshes itself instead (a meta refresh inside <noscript>).
(function () {
  "use strict";
  var box = document.querySelector("[data-job-status-url]");
  if (!box || !window.fetch || box.dataset.jobInProgress !== "true") { return; }
  var bar = box.querySelector("[data-job-progress]");
  var text = box.querySelector("[data-job-text]");
  var waiting = box.querySelector("[data-job-waiting]");
  var every = 1500;
  var delay = every;

  function show(job) {
    bar.value = job.progress;
    bar.textContent = job.progress + " %";
    var status = job.status_display.charAt(0).toUpperCase() + job.status_display.slice(1);
    var line = job.step ? status + ": " + job.step : status;
    // Writing the same text again would make screen readers repeat it.
    if (text.textContent !== line) { text.textContent = line; }
    waiting.hidden = !job.waiting_for_worker;
  }

  function poll() {
    fetch(box.dataset.jobStatusUrl, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    }).then(function (job) {
      if (!job.in_progress) {
        window.location.reload();
        return;
      }
      show(job);
      delay = every;
      window.setTimeout(poll, delay);
    }).catch(function () {
      // The server or the network is away for a moment: ask again, less and less often.
      delay = Math.min(delay * 2, 30000);
      window.setTimeout(poll, delay);
    });
  }

  window.setTimeout(poll, delay);
})();
