// Live status (progressive enhancement): when the server announces a new timeline entry,
// fetch the page again and swap the case facts and timeline. Without JavaScript a reload
// shows the same. EventSource reconnects by itself and sends Last-Event-ID. The query string
// asks for a freshly rendered page rather than one the server keeps (portal/case_pages.py).
(function () {
  "use strict";
  var live = document.getElementById("live");
  if (!live || !window.EventSource || !window.fetch) return;
  var announce = document.getElementById("live-status");
  var source = new EventSource(live.dataset.events);
  source.addEventListener("timeline", function (event) {
    var url = live.dataset.page + "?after=" + encodeURIComponent(event.lastEventId);
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("live");
        if (!fresh) return;
        live.innerHTML = fresh.innerHTML;
        if (announce) announce.textContent = announce.dataset.updated;
      })
      .catch(function () {});
  });
})();
