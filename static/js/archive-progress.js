/* The archive page's progress bars refresh themselves: the runs being made are asked for
   every few seconds, and the page reloads once one of them has finished or failed, to show
   the snapshot or the error. Without JavaScript the page has an "Uppdatera" link. */
(function () {
  "use strict";
  var section = document.querySelector("[data-run-status-url]");
  if (!section) {
    return;
  }
  var url = section.getAttribute("data-run-status-url");
  var rows = section.querySelectorAll("[data-run-id]");
  if (!rows.length) {
    return;
  }
  var ids = Array.prototype.map.call(rows, function (row) {
    return row.getAttribute("data-run-id");
  });
  var query = ids.map(function (id) { return "run=" + encodeURIComponent(id); }).join("&");
  var INTERVAL = 3000;

  function show(run) {
    var row = document.getElementById("korning-" + run.id);
    if (!row) {
      return;
    }
    var bar = row.querySelector("progress");
    var text = row.querySelector("[data-run-text]");
    if (run.volumes_total > 0) {
      bar.max = run.volumes_total;
      bar.value = run.volumes_done;
      text.textContent = run.status_text + ": " + run.volumes_done + " av " +
        run.volumes_total + " delar klara";
    } else {
      bar.removeAttribute("value");
      text.textContent = run.status_text;
    }
  }

  function schedule() {
    window.setTimeout(refresh, INTERVAL);
  }

  function refresh() {
    fetch(url + "?" + query, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) {
          schedule();
          return;
        }
        var finished = false;
        data.runs.forEach(function (run) {
          if (ids.indexOf(String(run.id)) === -1) {
            return;
          }
          show(run);
          if (!run.in_progress) {
            finished = true;
          }
        });
        if (finished) {
          window.location.reload();
        } else {
          schedule();
        }
      })
      .catch(schedule);
  }

  schedule();
})();
