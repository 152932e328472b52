// Confirmation for irreversible actions: <form data-confirm="…"> (or the submit button that was
// pressed, for a form with several steps) asks before submitting.
document.addEventListener("submit", function (event) {
  var button = event.submitter;
  var message = (button && button.getAttribute("data-confirm")) ||
    event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) { event.preventDefault(); }
});
// No inline handlers (the Content-Security-Policy allows no inline script):
// <select data-submit-on-change> submits its form when changed (the language switch);
// <input type="checkbox" data-check-all="NAME"> ticks or clears every checkbox named NAME.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target.hasAttribute("data-submit-on-change") && target.form) { target.form.submit(); }
  var name = target.getAttribute("data-check-all");
  if (name) {
    document.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (box) {
      box.checked = target.checked;
    });
  }
});
