// Live status (progressive enhancement): when the server announces a new timeline entry,
// fetch the page again and swap each changed part (data-live) on its own. A part with a form
// the customer is using (focus, typed text, a chosen file or time, an opened day) is never
// swapped: what the customer typed stays, and "new message above" is announced instead.
// Without JavaScript a reload shows the same. EventSource reconnects by itself and sends
// Last-Event-ID. The query string asks for a freshly rendered page rather than one the server
// keeps (portal/case_pages.py).
(function () {
  "use strict";
  var live = document.getElementById("live");
  if (!live || !window.EventSource || !window.fetch || !window.DOMParser) return;
  var announce = document.getElementById("live-status");

  function changed(control) {
    var type = (control.type || "").toLowerCase();
    if (type === "checkbox" || type === "radio") return control.checked !== control.defaultChecked;
    if (type === "file") return control.files && control.files.length > 0;
    if (control.tagName === "SELECT") {
      return Array.prototype.some.call(control.options, function (o) { return o.selected !== o.defaultSelected; });
    }
    if (type === "hidden" || type === "submit" || type === "button") return false;
    return control.value !== control.defaultValue;
  }

  function inUse(part) {
    var forms = part.querySelectorAll("form");
    if (!forms.length) return false;
    if (part.contains(document.activeElement) && document.activeElement !== document.body) return true;
    if (part.querySelector("details[open]")) return true;
    return Array.prototype.some.call(forms, function (form) {
      return Array.prototype.some.call(form.elements, changed);
    });
  }

  function actionsOf(node) {
    return Array.prototype.map.call(node.querySelectorAll("form[action]"), function (f) {
      return f.getAttribute("action").split("#")[0];
    });
  }

  function update(fresh) {
    var kept = [];
    var current = {};
    live.querySelectorAll("[data-live]").forEach(function (part) {
      current[part.dataset.live] = part;
      if (inUse(part)) kept.push(part);
    });
    // forms still in use elsewhere (the reply box moves up when we ask a question)
    var busy = [];
    kept.forEach(function (part) { busy = busy.concat(actionsOf(part)); });
    var withheld = false;
    fresh.querySelectorAll("[data-live]").forEach(function (next) {
      var part = current[next.dataset.live];
      if (!part || part.isEqualNode(next)) return;
      if (kept.indexOf(part) >= 0) { withheld = true; return; }
      if (actionsOf(next).some(function (a) { return busy.indexOf(a) >= 0; })) { withheld = true; return; }
      var node = document.importNode(next, true);
      part.replaceWith(node);
      node.querySelectorAll("[data-maxlength]").forEach(function (field) {
        field.dispatchEvent(new CustomEvent("portal:count", { bubbles: true }));
      });
    });
    return withheld;
  }

  var source = new EventSource(live.dataset.events);
  source.addEventListener("timeline", function (event) {
    var url = live.dataset.page + "?after=" + encodeURIComponent(event.lastEventId);
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("live");
        if (!fresh) return;
        var withheld = update(fresh);
        if (!announce) return;
        // a link to the news, since the customer may be typing far below it
        var link = document.createElement("a");
        link.href = "#timeline";
        link.textContent = event.data === "reply" || event.data === "resolved" ? announce.dataset.newMessage : announce.dataset.updated;
        announce.replaceChildren(link);
        if (withheld) announce.append(" " + announce.dataset.kept);
      })
      .catch(function () {});
  });
})();
