// Attendance sheet: "All present" (etc.) sets every trainee's radio button to that status.
document.querySelectorAll("[data-set-all]").forEach(function (button) {
  button.addEventListener("click", function () {
    document.querySelectorAll('#attendance-form input[type=radio][value="' + button.dataset.setAll + '"]').forEach(function (r) { r.checked = true; });
  });
});
