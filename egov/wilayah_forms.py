"""The region picker for portal forms: ``WilayahField(tingkat=...)``, a text input for a
Kemendagri region code that the table validates. As the person types a name, the script
``egov/wilayah.js`` (a file: the CSP allows no inline script) fills the input's ``<datalist>``
from the public search ``/api/v1/wilayah/``; without the script, typing the code works and is
validated the same way. The widget brings its own script tag, so a template needs nothing
more than the field (the script sets each input up once, however often it is included)."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from egov import wilayah

MSG_KODE_TIDAK_DIKENAL = gettext_noop(
    "Kode wilayah {kode} tidak dikenal dalam tabel wilayah Kemendagri."
)
MSG_KODE_TINGKAT = gettext_noop("Kode wilayah {kode} adalah {tingkat}; pilih {diminta}.")
LABEL_TINGKAT = {
    wilayah.PROVINSI: gettext_lazy("provinsi"),
    wilayah.KABUPATEN: gettext_lazy("kabupaten/kota"),
    wilayah.KECAMATAN: gettext_lazy("kecamatan"),
    wilayah.KELURAHAN: gettext_lazy("kelurahan/desa"),
}
# ODbL 4.3: whoever sees data from the table is told where it comes from.
HELP_TEXT = gettext_lazy(
    "Ketik nama wilayah lalu pilih dari daftar, atau ketik kodenya. Sumber data: Kemendagri, "
    "melalui idn-area-data (ODbL)."
)
CODE_MAX_LENGTH = 13  # a village code typed with its dots: 32.73.01.1001


def tingkat_tuple(tingkat: str | Iterable[str]) -> tuple[str, ...]:
    chosen = (tingkat,) if isinstance(tingkat, str) else tuple(tingkat)
    unknown = set(chosen) - set(wilayah.TINGKAT)
    if unknown or not chosen:
        raise ValueError(f"tingkat must be some of {wilayah.TINGKAT}, not {chosen}")
    return chosen


def kode_salah(kode: str, tingkat: tuple[str, ...]) -> tuple[str, str] | None:
    """(error code, translated message) refusing ``kode`` where a region of one of ``tingkat``
    is asked for; None when it is one. The portal's field and the API's field share it."""
    found = wilayah.ambil(kode)
    if found is None:
        return "wilayah_tidak_dikenal", _(MSG_KODE_TIDAK_DIKENAL).format(kode=kode)
    if found.tingkat not in tingkat:
        diminta = get_text_list([str(LABEL_TINGKAT[t]) for t in tingkat], _("atau"))
        message = _(MSG_KODE_TINGKAT).format(
            kode=kode, tingkat=LABEL_TINGKAT[found.tingkat], diminta=diminta
        )
        return "wilayah_tingkat_lain", message
    return None


class WilayahInput(forms.TextInput):
    """A text input, its ``<datalist>`` of suggestions and the full name of the chosen code
    (shown by the server for a known code, updated by the script while typing)."""

    def __init__(self, *, tingkat: Iterable[str], attrs: dict | None = None):
        self.tingkat = tuple(tingkat)
        super().__init__(attrs)

    def render(self, name, value, attrs=None, renderer=None):
        input_id = (attrs or {}).get("id") or f"id_{name}"
        attrs = {
            **(attrs or {}),
            "list": f"{input_id}-pilihan",
            "autocomplete": "off",
            "spellcheck": "false",
            "data-wilayah-url": reverse("wilayah-cari"),
            "data-wilayah-tingkat": " ".join(self.tingkat),
            "data-wilayah-nama": f"{input_id}-nama",
        }
        known = wilayah.nama_lengkap(wilayah.kode_bersih(str(value or "")))
        return format_html(
            '{}<datalist id="{}"></datalist><span id="{}" aria-live="polite">{}</span>'
            '<script src="{}" defer></script>',
            super().render(name, value, attrs, renderer),
            f"{input_id}-pilihan",
            f"{input_id}-nama",
            known,
            static("egov/wilayah.js"),
        )


class WilayahField(forms.CharField):
    """A known region code of one of ``tingkat`` ("kecamatan", ("kecamatan", "kelurahan"), ...),
    cleaned to digits: "32.73.01" -> "327301"."""

    def __init__(self, *, tingkat: str | Iterable[str], **kwargs):
        self.tingkat = tingkat_tuple(tingkat)
        kwargs.setdefault("max_length", CODE_MAX_LENGTH)
        kwargs.setdefault("widget", WilayahInput(tingkat=self.tingkat))
        kwargs.setdefault("help_text", HELP_TEXT)
        super().__init__(**kwargs)

    def to_python(self, value) -> str:
        return wilayah.kode_bersih(super().to_python(value))

    def validate(self, value: str) -> None:
        super().validate(value)
        if value in self.empty_values:
            return
        refused = kode_salah(value, self.tingkat)
        if refused:
            code, message = refused
            raise forms.ValidationError(message, code=code)
