// Progressive enhancement for the switch wizard: follows a running switch through server-sent events and reloads the
// page when it is over. Without scripts the page works the same: reload it to see the progress.
document.addEventListener('DOMContentLoaded', function () {
  var run = document.getElementById('switch-run');
  if (!run || run.dataset.over === 'true' || !window.EventSource) {
    return;
  }
  var source = new EventSource(run.dataset.events);
  source.addEventListener('progress', function (e) {
    var parts = e.data.split(' '); // done total state percent
    document.getElementById('run-count').textContent = parts[0] + ' of ' + parts[1] + ' CDK(s) re-wrapped';
    document.getElementById('run-state').textContent = parts[2];
    document.getElementById('run-progress').value = Number(parts[3]);
  });
  source.addEventListener('over', function () {
    source.close();
    window.location.reload();
  });
  source.onerror = function () {
    source.close();
  };
});

// Pages that show work in progress elsewhere (a running data migration) mark themselves with data-refresh="<seconds>"
// and are reloaded at that interval while it runs; without scripts, reload them by hand.
document.addEventListener('DOMContentLoaded', function () {
  var live = document.querySelector('[data-refresh]');
  if (!live) {
    return;
  }
  var seconds = Math.max(2, Number(live.dataset.refresh) || 5);
  window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
});
