// Progressive enhancement only: live FAQ suggestions as an ARIA 1.2 combobox.
// Without JavaScript the search form submits normally.
(function () {
  "use strict";
  function debounce(fn, ms) {
    var t;
    return function () { var args = arguments; clearTimeout(t); t = setTimeout(function () { fn.apply(null, args); }, ms); };
  }

  function enhance(form) {
    var input = form.querySelector("input[type=search]");
    var status = form.querySelector("[role=status]");
    if (!input || !window.fetch) return;
    var list = document.createElement("ul");
    var listId = input.id + "-suggestions";
    list.id = listId;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.labels && input.labels[0] ? input.labels[0].textContent : "");
    list.hidden = true;
    form.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    var active = -1, items = [], controller = null, asked = null;

    function close() {
      list.hidden = true; list.innerHTML = ""; items = []; active = -1; asked = null;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function highlight(index) {
      items.forEach(function (li, i) { li.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0) input.setAttribute("aria-activedescendant", items[index].id);
      else input.removeAttribute("aria-activedescendant");
    }
    function option(i, text, url) {
      var li = document.createElement("li");
      li.id = listId + "-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.dataset.url = url;
      li.textContent = text;
      li.addEventListener("mousedown", function (e) { e.preventDefault(); window.location.href = url; });
      list.appendChild(li);
      return li;
    }
    // Only a "high" hit is the answer; others are labelled "maybe", and without a "high"
    // hit the last option leads to the case form with the query.
    // An option's name is its text run together: a hidden ", " before each part keeps
    // "title, Maybe, category" apart for a screen reader without changing what is seen.
    function part(li, className, text) {
      var gap = document.createElement("span");
      gap.className = "visually-hidden"; gap.textContent = ", ";
      var span = document.createElement("span");
      span.className = className; span.textContent = text;
      li.appendChild(gap);
      li.appendChild(span);
    }
    function render(results, q) {
      list.innerHTML = "";
      items = results.map(function (r, i) {
        var li = option(i, r.title, r.url);
        if (r.confidence && r.confidence !== "high") part(li, "maybe", form.dataset.msgMaybe || "?");
        part(li, "cat", r.category);
        return li;
      });
      var unsure = results.length && !results.some(function (r) { return r.confidence === "high"; });
      if (unsure && form.dataset.caseUrl) {
        var ask = option(items.length, form.dataset.msgUnsure || "", form.dataset.caseUrl + "?q=" + encodeURIComponent(q));
        ask.className = "to-case";
        items.push(ask);
      }
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
      active = -1;
      var found = items.length === 1 && form.dataset.msgFoundOne ? form.dataset.msgFoundOne : form.dataset.msgFound;
      if (status) status.textContent = items.length ? (found || "{n}").replace("{n}", items.length) : (form.dataset.msgNone || "");
    }
    // One request once the customer pauses (300 ms: between the keys of a typist, about
    // one pause per word), none for the words already shown ("abc " after "abc"), and an
    // answer overtaken by newer typing is cancelled: bench/typing_cost.py counts the cost.
    var lookup = debounce(function () {
      var q = input.value.trim();
      if (q.length < 3) { close(); if (controller) controller.abort(); return; }
      if (q === asked) return;
      asked = q;
      if (controller) controller.abort();
      controller = new AbortController();
      var url = form.dataset.suggest + "?typeahead=true&limit=6&lang=" + encodeURIComponent(form.dataset.lang) + "&q=" + encodeURIComponent(q);
      fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) { if (input.value.trim() === q) render(data.results || [], q); })
        .catch(function () { if (asked === q) asked = null; });  // ask again after a failure
    }, 300);

    input.addEventListener("input", lookup);
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" && items.length) { e.preventDefault(); highlight((active + 1) % items.length); }
      else if (e.key === "ArrowUp" && items.length) { e.preventDefault(); highlight(active <= 0 ? items.length - 1 : active - 1); }
      // The first Escape only closes the suggestions; the browser clears a search field on
      // Escape, which must wait for a second press.
      else if (e.key === "Escape") { if (!list.hidden) { e.preventDefault(); close(); } }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); window.location.href = items[active].dataset.url; }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  document.querySelectorAll("form[data-suggest]").forEach(enhance);

  // "Was this helpful?": vote without leaving the page. The server answers the form post with
  // a redirect to the article page, whose feedback section (the recorded vote and, after
  // "not helpful", the way to a request) replaces the one here.
  function enhanceVote(form) {
    form.addEventListener("submit", function (e) {
      var button = e.submitter;
      if (!window.fetch || !window.DOMParser || !button || form.dataset.plain) return;
      e.preventDefault();
      var body = new URLSearchParams(new FormData(form));
      body.set(button.name, button.value);
      form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
      fetch(form.action, { method: "POST", body: body, credentials: "same-origin" })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("feedback");
          var section = form.closest("section");
          if (!fresh || !section) throw new Error("no feedback section");
          var help = document.querySelector(".need-help");
          if (help) help.hidden = !!fresh.querySelector("[data-case-offer]");  // no second offer
          section.replaceWith(fresh);
          fresh.querySelectorAll("form[data-vote]").forEach(enhanceVote);
          var state = fresh.querySelector("#vote-state");
          if (state) state.focus();
        })
        .catch(function () {
          // fall back to the plain form post, which works without JavaScript
          form.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
          form.dataset.plain = "1";
          form.requestSubmit(button);
        });
    });
  }
  document.querySelectorAll("form[data-vote]").forEach(enhanceVote);

  // Files over the size limit, or more than may still be attached, are refused before they
  // are sent: a request too large fails as a whole (413), while this page keeps what was
  // typed. The server checks every file again. Delegated, as status page parts are swapped.
  document.addEventListener("change", function (e) {
    var input = e.target;
    if (!input.matches || !input.matches("input[type=file][data-max-bytes]")) return;
    var max = Number(input.dataset.maxBytes), most = Number(input.dataset.maxFiles);
    var files = Array.prototype.slice.call(input.files);
    var problems = files.filter(function (f) { return f.size > max; }).map(function (f) {
      return input.dataset.tooLarge.replace("{name}", f.name);
    });
    if (files.length > most) problems.push(input.dataset.tooMany);
    var note = document.getElementById(input.id + "-check");
    if (note) { note.hidden = !problems.length; note.textContent = problems.join(" "); }
    if (problems.length) input.value = "";
  });

  // Character counters (case/_fields.html): fields have no `maxlength`, which would cut a
  // pasted text silently; the count shows at once, and a hidden polite live region repeats it
  // once typing pauses, so a screen reader is not interrupted at every key. Delegated, as
  // status page parts are swapped.
  var spoken = document.createElement("p");
  spoken.className = "visually-hidden";
  spoken.setAttribute("aria-live", "polite");
  document.body.appendChild(spoken);
  var speak = debounce(function (text) { spoken.textContent = text; }, 800);
  function count(field, announce) {
    var note = document.getElementById(field.id + "-count");
    if (!note) return;
    // as the server counts: without spaces at either end
    var max = Number(field.dataset.maxlength), length = field.value.trim().length;
    var over = length > max;
    var text = (over ? note.dataset.over : note.dataset.within)
      .replace("{count}", length).replace("{over}", length - max);
    note.textContent = text;
    note.hidden = !over && !!note.dataset.overOnly;
    note.classList.toggle("over", over);
    if (announce && !note.hidden) speak(text);
  }
  document.querySelectorAll("[data-maxlength]").forEach(function (f) { count(f, false); });
  document.addEventListener("input", function (e) {
    if (e.target.matches && e.target.matches("[data-maxlength]")) count(e.target, true);
  });
  // a part swapped in by a live update (track.js) asks for its counters
  document.addEventListener("portal:count", function (e) { count(e.target, false); });
  // Text that went through must not come back: Back to an earlier page makes the browser
  // restore what its boxes held, such as a reply sent since (or a refused long one shortened
  // and sent since). A send is remembered for this tab (as a hash) once the page after it
  // arrived without an error; a box restored to a remembered text shows what the server
  // rendered instead, which is the refused text the server still keeps, or nothing. Text typed
  // and never sent is left as the browser restores it.
  var SENT = "portal-sent", PENDING = "portal-sending";
  function hash(text) {
    var h = 2166136261;
    for (var i = 0; i < text.length; i++) { h ^= text.charCodeAt(i); h = Math.imul(h, 16777619); }
    return (h >>> 0).toString(36) + ":" + text.length;
  }
  function stored(key) {
    try { return JSON.parse(sessionStorage.getItem(key) || "[]"); } catch (e) { return []; }
  }
  function store(key, list) {
    try { sessionStorage.setItem(key, JSON.stringify(list.slice(-50))); } catch (e) { /* private mode */ }
  }
  document.addEventListener("submit", function (e) {
    if ((e.target.method || "").toLowerCase() !== "post") return;
    var texts = Array.prototype.filter.call(e.target.querySelectorAll("textarea"), function (t) {
      return t.value.trim();
    });
    store(PENDING, texts.map(function (t) { return hash(t.value); }));
  });
  (function confirmSent() {
    var pending = stored(PENDING);
    if (!pending.length) return;
    try { sessionStorage.removeItem(PENDING); } catch (e) { /* private mode */ }
    var nav = window.performance && performance.getEntriesByType && performance.getEntriesByType("navigation")[0];
    var status = nav && nav.responseStatus;
    if (status && status >= 400) return;  // an error page shows the text back: not sent
    store(SENT, stored(SENT).concat(pending));
  })();
  window.addEventListener("pageshow", function () {
    var sent = stored(SENT);
    if (!sent.length) return;
    document.querySelectorAll("form textarea").forEach(function (t) {
      if (t.value !== t.defaultValue && sent.indexOf(hash(t.value)) >= 0) t.value = t.defaultValue;
    });
  });
  // values the browser restores (Back, reload) come in without an input event
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("[data-maxlength]").forEach(function (f) { count(f, false); });
  });

  // The error summary of a refused form (case/_fields.html, on every form that has one).
  var summary = document.getElementById("form-errors");
  if (summary) {
    summary.focus();
    // a form posted to an anchor (#callback) scrolls there after this ran, which drops the
    // focus; take it back unless the customer has moved on already
    window.addEventListener("load", function () {
      if (document.activeElement === document.body) summary.focus();
    });
    // as in the GOV.UK error summary: a link puts the cursor into its field, with the
    // field's label or question in view (a plain jump would hide it above the fold)
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var target = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!target) return;
      event.preventDefault();
      (target.closest(".field") || target).scrollIntoView();
      target.focus({ preventScroll: true });
    });
  }
})();
