// Confirmation for destructive actions: <form data-confirm="…"> asks before submitting.
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) { event.preventDefault(); }
});
