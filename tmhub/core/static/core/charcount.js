/* Live length counters: every textarea, and every text input allowing 100 characters or more,
   that carries a maxlength (Django sets it from the model field's max_length) shows
   "123 / 2000" below it as the user types. Vanilla JS, no dependency; content that htmx
   swaps in gets its counters too. */
(function () {
  "use strict";
  var SELECTOR = "textarea[maxlength], input[maxlength]";
  var TEXT_TYPES = ["text", "search", "url", "email", ""];

  function wanted(field) {
    if (field.dataset.charcount === "off" || field.dataset.charcountReady) return false;
    if (field.tagName === "TEXTAREA") return true;
    var type = (field.getAttribute("type") || "").toLowerCase();
    return TEXT_TYPES.indexOf(type) !== -1 && Number(field.maxLength) >= 100;
  }

  function length(value) {
    return Array.from(value).length; // characters as the server counts them, not UTF-16 units
  }

  function attach(field) {
    var limit = Number(field.getAttribute("maxlength"));
    if (!limit || !wanted(field)) return;
    field.dataset.charcountReady = "1";
    var counter = document.createElement("div");
    counter.className = "form-text text-end tmhub-charcount";
    counter.setAttribute("aria-live", "polite");
    if (field.id) counter.id = field.id + "_count";
    var update = function () {
      var used = length(field.value);
      counter.textContent = used + " / " + limit;
      counter.classList.toggle("text-danger", used >= limit * 0.9);
    };
    field.addEventListener("input", update);
    field.insertAdjacentElement("afterend", counter);
    update();
  }

  function scan(root) {
    (root || document).querySelectorAll(SELECTOR).forEach(attach);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { scan(document); });
  } else {
    scan(document);
  }
  document.addEventListener("htmx:load", function (event) { scan(event.target); });
})();
