// Progressive enhancement (the page works without it): choosing a language submits at once.
// A file, not an inline handler, so the Content-Security-Policy (script-src 'self') holds.
document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
  select.addEventListener("change", function () { select.form.submit(); });
});
