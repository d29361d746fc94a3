// Progressive enhancement (the page works without it): choosing a language submits at once.
// A file, not an inline handler, so the Content-Security-Policy (script-src 'self') holds.
document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
  select.addEventListener("change", function () { select.form.submit(); });
});

// A form came back with errors: move focus to the error summary, so a screen reader reads it
// first and a keyboard user starts from its links (what GOV.UK Frontend's own script does).
var summary = document.querySelector("[data-error-summary]");
if (summary) {
  summary.focus();
}
