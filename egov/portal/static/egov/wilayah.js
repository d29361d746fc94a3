// Region picker (egov/wilayah_forms.py): as a person types a name or a code, suggestions from
// the public search /api/v1/wilayah/ fill the input's <datalist>, and the chosen code's full
// name is shown beside it. Progressive enhancement: without this file the input takes a typed
// code, which the form validates. A file, not inline script, so the CSP (script-src 'self') holds.
(function () {
  "use strict";
  var WAIT_MS = 250; // one request when typing pauses, not one per key
  var MIN_LENGTH = 2;

  function clean(value) {
    return value.replace(/[.\s]/g, "");
  }

  function setUp(input) {
    if (input.dataset.wilayahSiap) {
      return; // every picker brings the script: set each input up once
    }
    input.dataset.wilayahSiap = "1";
    var list = document.getElementById(input.getAttribute("list"));
    var nameOut = document.getElementById(input.dataset.wilayahNama);
    var levels = (input.dataset.wilayahTingkat || "").split(" ").filter(Boolean);
    var timer = null;
    var pending = null;
    var known = {}; // code -> full name, from the answers so far

    function showName() {
      if (nameOut) {
        nameOut.textContent = known[clean(input.value)] || "";
      }
    }

    function fill(results) {
      list.replaceChildren();
      results.forEach(function (region) {
        known[region.kode] = region.nama_lengkap;
        var option = document.createElement("option");
        option.value = region.kode;
        option.label = region.nama_lengkap;
        option.textContent = region.nama_lengkap;
        list.appendChild(option);
      });
      showName();
    }

    function search() {
      var text = input.value.trim();
      if (clean(text).length < MIN_LENGTH) {
        return;
      }
      var params = new URLSearchParams({ q: text });
      levels.forEach(function (level) { params.append("tingkat", level); });
      if (pending) {
        pending.abort(); // an older answer must not replace a newer one
      }
      pending = new AbortController();
      fetch(input.dataset.wilayahUrl + "?" + params.toString(), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: pending.signal,
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (body) { if (body) { fill(body.hasil); } })
        .catch(function () { /* offline, throttled or aborted: typing the code still works */ });
    }

    input.addEventListener("input", function () {
      showName();
      clearTimeout(timer);
      timer = setTimeout(search, WAIT_MS);
    });
  }

  function start() {
    document.querySelectorAll("input[data-wilayah-url]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
