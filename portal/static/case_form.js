// Progressive enhancement of the case form; every step works without it.
// Live "Maybe this already helps" answers while typing, only the contact fields the chosen
// channel needs, and one click on "Send request" (the server also ignores a second submit).
(function () {
  "use strict";
  function debounce(fn, ms) {
    var t;
    return function () { clearTimeout(t); t = setTimeout(fn, ms); };
  }

  function suggestions(box) {
    var list = box.querySelector(".suggestion-list");
    var empty = box.querySelector(".suggestion-empty");
    var csrf = document.querySelector("input[name=_csrf_token]");
    var description = document.getElementById("f-description");
    var product = document.getElementById("f-product");
    var controller = null, last = "";

    function query() {
      var parts = [];
      if (description && description.value.trim().length >= 3) parts.push(description.value.trim().slice(0, 300));
      else {
        // the chosen topic's FAQ words (as the server uses them), not its labels:
        // "Technisches Problem" as words finds articles that merely mention a problem
        var option = product && product.options[product.selectedIndex];
        if (option && option.dataset.faqTerms) parts.push(option.dataset.faqTerms);
        var type = document.querySelector("input[name=type]:checked");
        if (type && type.dataset.faqTerms) parts.push(type.dataset.faqTerms);
      }
      return parts.join(" ");
    }
    function item(hit) {
      var li = document.createElement("li");
      var form = document.createElement("form");
      form.method = "post";
      form.action = box.dataset.open;
      [["_csrf_token", csrf ? csrf.value : ""], ["slug", hit.id], ["lang", hit.lang]].forEach(function (pair) {
        var input = document.createElement("input");
        input.type = "hidden"; input.name = pair[0]; input.value = pair[1];
        form.appendChild(input);
      });
      var button = document.createElement("button");
      button.type = "submit"; button.className = "link-button"; button.textContent = hit.title;
      var cat = document.createElement("span");
      cat.className = "cat"; cat.textContent = " " + hit.category;
      form.appendChild(button); form.appendChild(cat);
      li.appendChild(form);
      return li;
    }
    var update = debounce(function () {
      var q = query();
      if (q.length < 3 || q === last) return;
      last = q;
      if (controller) controller.abort();
      controller = new AbortController();
      var url = box.dataset.suggest + "?typeahead=true&limit=3&lang=" + encodeURIComponent(box.dataset.lang) + "&q=" + encodeURIComponent(q);
      fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data || !data.results.length) return;  // keep what the server suggested
          list.innerHTML = "";
          data.results.forEach(function (hit) { list.appendChild(item(hit)); });
          if (empty) empty.hidden = true;
        })
        .catch(function () {});
    }, 250);
    if (description) description.addEventListener("input", update);
    if (product) product.addEventListener("change", update);
    document.querySelectorAll("input[name=type]").forEach(function (r) { r.addEventListener("change", update); });
  }

  function channels() {
    var radios = document.querySelectorAll("input[name=channel]");
    var blocks = document.querySelectorAll("[data-for-channel]");
    if (!radios.length || !blocks.length) return;
    function show() {
      var chosen = document.querySelector("input[name=channel]:checked");
      blocks.forEach(function (block) {
        var invalid = block.querySelector("[aria-invalid=true]");
        var needed = !!chosen && block.dataset.forChannel === chosen.value;
        block.hidden = !invalid && !needed;
        block.querySelectorAll("input").forEach(function (input) {
          if (needed) input.setAttribute("aria-required", "true");
          else input.removeAttribute("aria-required");
        });
      });
    }
    radios.forEach(function (r) { r.addEventListener("change", show); });
    show();
  }

  function submitOnce() {
    document.querySelectorAll("button[data-once]").forEach(function (button) {
      button.form.addEventListener("submit", function () {
        setTimeout(function () { button.disabled = true; }, 0);
      });
    });
  }

  // A file over the limit is refused before it is sent: a too large request would fail as a
  // whole, while the page keeps what was typed. The server checks every file again.
  function fileSizes() {
    var input = document.getElementById("f-files");
    var note = document.getElementById("f-files-check");
    if (!input || !note || !input.dataset.maxBytes) return;
    input.addEventListener("change", function () {
      var max = Number(input.dataset.maxBytes);
      var big = Array.prototype.filter.call(input.files, function (f) { return f.size > max; });
      note.hidden = !big.length;
      note.textContent = big.map(function (f) {
        return input.dataset.tooLarge.replace("{name}", f.name);
      }).join(" ");
      if (big.length) input.value = "";
    });
  }

  document.querySelectorAll(".case-suggestions[data-suggest]").forEach(suggestions);
  fileSizes();
  channels();
  submitOnce();
  var summary = document.getElementById("form-errors");
  if (summary) {
    summary.focus();
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
