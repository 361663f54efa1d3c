// The workbench's only script (served from /static, allowed by the page's CSP): polls a job's progress.
(function () {
  var box = document.getElementById('progress');
  if (!box) { document.body.setAttribute('data-ready', '1'); return; }
  var job = box.getAttribute('data-job');
  var bar = document.getElementById('progress-bar');
  var text = document.getElementById('progress-text');
  function poll() {
    fetch('/api/jobs/' + encodeURIComponent(job), {credentials: 'same-origin'})
      .then(function (r) { return r.json(); })
      .then(function (j) {
        bar.max = j.total || 1; bar.value = j.done || 0;
        text.textContent = j.done + ' / ' + j.total + (j.state === 'done' ? '，完成' : '，审查中');
        if (j.state === 'done') { location.replace('/'); } else { setTimeout(poll, 500); }
      })
      .catch(function () { setTimeout(poll, 1500); });
  }
  document.body.setAttribute('data-ready', '1');
  poll();
})();
