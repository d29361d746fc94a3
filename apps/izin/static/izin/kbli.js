// KBLI picker (progressive enhancement: without it the code is typed and checked by the form).
// Fills the code field's datalist from GET /api/v1/izin/kbli/?q=... as the applicant types,
// and explains the chosen code: its title and, for the chosen scale, its risk level in words.
// A file, not an inline script, so the Content-Security-Policy (script-src 'self') holds.
(function () {
  "use strict";
  var input = document.querySelector("input[data-kbli-cari]");
  if (!input || !window.fetch) {
    return;
  }
  var daftar = document.getElementById(input.getAttribute("list"));
  var penjelasan = document.getElementById(input.id + "-penjelasan");
  var skala = input.form.querySelector("[name=skala]");
  var versi = input.form.querySelector("[name=kbli_versi]");
  var dikenal = {};
  var timer = null;
  var terakhir = null;

  function jelaskan() {
    var item = dikenal[input.value.trim()];
    if (!item) {
      penjelasan.textContent = "";
      return;
    }
    var teks = item.kode + " " + item.judul + " (" + item.sektor + ")";
    var pilihan = skala ? skala.value : "";
    item.risiko.forEach(function (r) {
      if (r.skala === pilihan) {
        teks += ". " + input.dataset.kbliLabelRisiko + " " + r.tingkat_nama + ": " + r.penjelasan;
      }
    });
    penjelasan.textContent = teks;
  }

  function isiDaftar(items) {
    while (daftar.firstChild) {
      daftar.removeChild(daftar.firstChild);
    }
    items.forEach(function (item) {
      dikenal[item.kode] = item;
      var option = document.createElement("option");
      option.value = item.kode;
      option.label = item.judul;
      daftar.appendChild(option);
    });
  }

  function cari() {
    var q = input.value.trim();
    var kunci = q + "|" + (versi ? versi.value : "");
    if (kunci === terakhir) {
      jelaskan();
      return;
    }
    terakhir = kunci;
    var url = input.dataset.kbliCari + "?q=" + encodeURIComponent(q);
    if (versi && versi.value) {
      url += "&versi=" + encodeURIComponent(versi.value);
    }
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (items) {
        isiDaftar(items);
        jelaskan();
      })
      .catch(function () { terakhir = null; });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(cari, 250);
  });
  if (skala) {
    skala.addEventListener("change", jelaskan);
  }
  if (versi) {
    versi.addEventListener("change", cari);
  }
  if (input.value) {
    cari();
  }
})();
