"""Identity numbers shared by every context (plain Python). NIK validation in layers, as
Dukcapil's format (``PP KK CC DDMMYY SSSS``) allows:

1. syntax: 16 ASCII digits once NFKC-normalised (full-width digits are accepted as the same
   NIK; other scripts' digits are refused), serial not ``0000`` — an error;
2. birth date: day (+40 for women), month, two-digit year in some century, not in the future,
   29 February checked per candidate century — an error;
3. region prefix (province ``PP``, regency ``PPKK``, district ``PPKKCC``) in the Kemendagri
   table (``egov.wilayah``) or, for the province, its pre-2022 codes — a *warning* only: the
   table changes (codes were reassigned: before 2022, 91 was Papua Barat and 94 Papua) and a
   NIK keeps the code of the day it was issued;
4. existence is only proved by Dukcapil verification (an event), never here.
The birth date inside a NIK may differ from the real one: that is no ground to reject.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from egov import wilayah
from egov.principals import gettext_noop

MSG_NIK_FORMAT = gettext_noop("NIK harus terdiri dari 16 digit angka.")
MSG_NIK_SERIAL = gettext_noop("Nomor urut NIK (4 digit terakhir) tidak boleh 0000.")
MSG_NIK_TANGGAL = gettext_noop("Tanggal lahir dalam NIK bukan tanggal yang sah.")
WARN_PROVINSI = gettext_noop("Kode provinsi {kode} tidak dikenal dalam tabel wilayah Kemendagri.")
WARN_KABUPATEN = gettext_noop(
    "Kode kabupaten/kota {kode} tidak dikenal dalam tabel wilayah Kemendagri."
)
WARN_KECAMATAN = gettext_noop("Kode kecamatan {kode} tidak dikenal dalam tabel wilayah Kemendagri.")

ASCII_DIGITS = frozenset("0123456789")


class InvalidNIK(ValueError):
    pass


@dataclass(frozen=True)
class RegionWarning:
    """A region code the table does not know: the message (a msgid, so a front door can
    translate it) and the code it names."""

    message: str
    kode: str

    def __str__(self) -> str:
        return self.message.format(kode=self.kode)


@dataclass(frozen=True)
class NIK:
    value: str
    birth_date: date
    female: bool
    province: str
    regency: str
    warnings: tuple[RegionWarning, ...]

    @property
    def province_code(self) -> str:
        return self.value[:2]


def _birth_date(digits: str, today: date) -> tuple[date, bool]:
    day, month, yy = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    female = day > 40
    day = day - 40 if female else day
    candidates = []
    for century in (2000, 1900):  # the most recent valid century wins
        try:
            born = date(century + yy, month, day)
        except ValueError:
            continue
        if born <= today:
            candidates.append(born)
    if not candidates:
        raise InvalidNIK(MSG_NIK_TANGGAL)
    return candidates[0], female


def _region_warnings(digits: str) -> tuple[str, str, tuple[RegionWarning, ...]]:
    """(province name, regency name, warnings): the most general unknown level is the one
    warning (an unknown regency implies an unknown district)."""
    province_code, regency_code, district_code = digits[:2], digits[:4], digits[:6]
    current = wilayah.nama(province_code)
    historic = wilayah.provinsi_sebelum_2022(province_code)
    if current is None and historic is None:
        return "", "", (RegionWarning(WARN_PROVINSI, province_code),)
    if historic is not None:
        # Codes under a reassigned province may come from the pre-2022 table, which the
        # snapshot does not hold: nothing below the province can be checked.
        province = f"{current} (sebelum 2022: {historic})" if current else historic
        return province, wilayah.nama(regency_code) or "", ()
    regency = wilayah.nama(regency_code)
    if regency is None:
        return current, "", (RegionWarning(WARN_KABUPATEN, regency_code),)
    if wilayah.nama(district_code) is None:
        return current, regency, (RegionWarning(WARN_KECAMATAN, district_code),)
    return current, regency, ()


def nik_digits(raw: str) -> str:
    """The NIK as typed, in its one canonical form: NFKC-normalised (full-width digits U+FF10-FF19
    from an East Asian keyboard become ASCII ones, an ideographic space a space), spaces
    removed. Only ASCII 0-9 count as digits afterwards: ``str.isdigit`` also accepts
    Arabic-Indic and other scripts' digits, which NFKC leaves as they are and which would hash
    (``keyed_hash``) to a second identity for one person; such input is a syntax error."""
    return "".join(unicodedata.normalize("NFKC", raw).split())


def parse_nik(raw: str, *, today: date) -> NIK:
    """Validate ``raw`` (spaces allowed) and return what it encodes; InvalidNIK on an error.
    ``NIK.value`` is always 16 ASCII digits (see ``nik_digits``)."""
    digits = nik_digits(raw)
    if len(digits) != 16 or not ASCII_DIGITS.issuperset(digits):
        raise InvalidNIK(MSG_NIK_FORMAT)
    if digits[12:] == "0000":
        raise InvalidNIK(MSG_NIK_SERIAL)
    born, female = _birth_date(digits, today)
    province, regency, warnings = _region_warnings(digits)
    return NIK(digits, born, female, province, regency, warnings)
