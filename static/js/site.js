// Progressive enhancement only: every feature works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // Like the GOV.UK error summary: move focus to it so screen readers announce the problems.
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }
});
