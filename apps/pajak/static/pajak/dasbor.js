// The DJP dashboard reloads itself every data-segarkan seconds while "Perbarui otomatis" is
// ticked (a file, not inline script: the CSP allows scripts from egov only). Without
// JavaScript the box stays hidden and the page is simply reloaded by hand.
(function () {
  "use strict";
  var root = document.querySelector("[data-segarkan]");
  var wrapper = document.querySelector("[data-module='pajak-segarkan']");
  var box = document.getElementById("pajak-segarkan");
  if (!root || !wrapper || !box) {
    return;
  }
  var KEY = "pajak-dasbor-segarkan";
  var seconds = parseInt(root.getAttribute("data-segarkan"), 10) || 30;
  wrapper.hidden = false;
  try {
    box.checked = window.sessionStorage.getItem(KEY) !== "0";
  } catch (e) {
    box.checked = true;
  }
  box.addEventListener("change", function () {
    try {
      window.sessionStorage.setItem(KEY, box.checked ? "1" : "0");
    } catch (e) {
      // storage refused (private mode): the choice lasts until the next reload
    }
  });
  window.setInterval(function () {
    if (box.checked && !document.hidden) {
      window.location.reload();
    }
  }, seconds * 1000);
})();
