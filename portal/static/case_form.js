// Progressive enhancement of the case form; every step works without it.
// Live "Maybe this already helps" answers while typing, only the contact fields the chosen
// channel needs, and one click on "Send request" (the server also ignores a second submit).
(function () {
  "use strict";
  function debounce(fn, ms) {
    var t;
    return function () { clearTimeout(t); t = setTimeout(fn, ms); };
  }

  // The server makes the list by the same rules as the page's own (description, chosen
  // topic, no unsure answers); this only asks again as the customer types or chooses.
  function suggestions(box) {
    var list = box.querySelector(".suggestion-list");
    var empty = box.querySelector(".suggestion-empty");
    var description = document.getElementById("f-description");
    var product = document.getElementById("f-product");
    var controller = null, last = null;

    function params() {
      var p = new URLSearchParams();
      var type = document.querySelector("input[name=type]:checked");
      if (description) p.set("description", description.value.trim().slice(0, 500));
      if (product) p.set("product", product.value);
      if (type) p.set("type", type.value);
      return p.toString();
    }
    var update = debounce(function () {
      var q = params();
      if (q === last) return;
      last = q;
      if (controller) controller.abort();
      controller = new AbortController();
      fetch(box.dataset.suggest + "?" + q, { signal: controller.signal, headers: { Accept: "text/html" } })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (html === null) return;  // keep what is shown
          list.innerHTML = html;
          if (empty) empty.hidden = !!list.children.length;
        })
        .catch(function () {});
    }, 300);
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

  document.querySelectorAll(".case-suggestions[data-suggest]").forEach(suggestions);
  channels();
  submitOnce();
})();
