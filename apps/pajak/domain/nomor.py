"""Taxpayer and payment identifiers (plain Python).

- NPWP of a resident individual: the NIK itself (PMK 112/PMK.03/2022, fully since 1 July 2024),
  validated by ``egov.identity.parse_nik``; only Dukcapil matching proves it exists.
- NPWP of a company (badan) or agency: 16 digits, ``0`` followed by the old 15-digit NPWP
  ``XX.XXX.XXX.C-KKK.CCC``, whose 9th digit ``C`` is a Luhn check digit over the first 8
  (checked with python-stdnum's ``stdnum.id.npwp``). The old 15-digit form is accepted and
  converted.
- NITKU (Nomor Identitas Tempat Kegiatan Usaha): NPWP16 + 6-digit place-of-business code,
  ``000000`` being the head office (PMK 112/2022).
- Billing code (MPN G3): 15 digits, the first 0-3 for codes issued by DJP (4-6 customs,
  7-9 other state revenue). NTPN (state revenue receipt number): 16 letters or digits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.id import npwp as stdnum_npwp

from apps.pajak.domain.rules import (
    BADAN,
    MSG_KODE_BILLING_FORMAT,
    MSG_NIK_TIDAK_VALID,
    MSG_NITKU_FORMAT,
    MSG_NPWP_BADAN_NOL,
    MSG_NPWP_CHECK_DIGIT,
    MSG_NPWP_FORMAT,
    MSG_NTPN_FORMAT,
    OP,
)
from egov.eventstore.domain import InvalidInput
from egov.identity import ASCII_DIGITS, InvalidNIK, nik_digits, parse_nik

KODE_TKU_PUSAT = "000000"
_PEMISAH = " .-"  # how NPWPs are written: 01.312.166.0-091.000
_ALFANUMERIK = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _angka(raw: str) -> str:
    """Separators removed; only ASCII digits count (as for a NIK: no other scripts' digits)."""
    text = nik_digits(raw)
    for separator in _PEMISAH:
        text = text.replace(separator, "")
    return text


@dataclass(frozen=True)
class NPWP:
    """A validated 16-digit NPWP and the kind of taxpayer it names."""

    nomor: str
    jenis: str  # OP (a NIK) or BADAN

    @property
    def npwp15(self) -> str:
        """The old 15-digit form of a company's NPWP ("" for an individual)."""
        return self.nomor[1:] if self.jenis == BADAN else ""

    def format15(self) -> str:
        """``01.312.166.0-091.000``: how a company's old NPWP is printed."""
        return stdnum_npwp.format(self.npwp15) if self.npwp15 else self.nomor


def npwp_badan(raw: str) -> NPWP:
    """A company's NPWP, 15 digits (old) or 16 (``0`` + the 15); the check digit must hold."""
    digits = _angka(raw)
    if len(digits) not in (15, 16) or not ASCII_DIGITS.issuperset(digits):
        raise InvalidInput(MSG_NPWP_FORMAT, code="npwp_format")
    if len(digits) == 16 and digits[0] != "0":
        raise InvalidInput(MSG_NPWP_BADAN_NOL, code="npwp_badan_tanpa_nol")
    try:
        stdnum_npwp.validate(digits)
    except InvalidChecksum:
        raise InvalidInput(MSG_NPWP_CHECK_DIGIT, code="npwp_check_digit") from None
    except ValidationError:  # length and digits were checked above; kept as a safety net
        raise InvalidInput(MSG_NPWP_FORMAT, code="npwp_format") from None
    return NPWP(digits.rjust(16, "0"), BADAN)


def npwp_orang_pribadi(raw: str, *, hari_ini: date) -> NPWP:
    """A resident individual's NPWP: their NIK, valid in syntax and birth date."""
    try:
        nik = parse_nik(raw, today=hari_ini)
    except InvalidNIK:
        raise InvalidInput(MSG_NIK_TIDAK_VALID, code="nik_tidak_valid") from None
    return NPWP(nik.value, OP)


def parse_npwp(raw: str, *, hari_ini: date) -> NPWP:
    """Either kind: 16 digits not starting with 0 are a NIK (no province code starts with 0);
    anything else is a company's NPWP."""
    digits = _angka(raw)
    if len(digits) == 16 and digits[0] != "0":
        return npwp_orang_pribadi(digits, hari_ini=hari_ini)
    return npwp_badan(digits)


@dataclass(frozen=True)
class NITKU:
    """A place of business: the taxpayer's NPWP16 and a 6-digit code (``000000`` = head
    office)."""

    npwp: str
    kode_tku: str

    @property
    def nomor(self) -> str:
        return self.npwp + self.kode_tku

    @property
    def pusat(self) -> bool:
        return self.kode_tku == KODE_TKU_PUSAT


def parse_nitku(raw: str, *, hari_ini: date) -> NITKU:
    """22 digits: a valid NPWP16 (either kind) followed by the place-of-business code."""
    digits = _angka(raw)
    if len(digits) != 22 or not ASCII_DIGITS.issuperset(digits):
        raise InvalidInput(MSG_NITKU_FORMAT, code="nitku_format")
    npwp = parse_npwp(digits[:16], hari_ini=hari_ini)
    return NITKU(npwp.nomor, digits[16:])


def nitku_pusat(npwp: NPWP) -> NITKU:
    return NITKU(npwp.nomor, KODE_TKU_PUSAT)


def periksa_kode_billing(kode: str) -> str:
    """15 digits, issued by DJP (first digit 0-3)."""
    if len(kode) != 15 or not ASCII_DIGITS.issuperset(kode) or kode[0] not in "0123":
        raise InvalidInput(MSG_KODE_BILLING_FORMAT, code="kode_billing_format")
    return kode


def periksa_ntpn(ntpn: str) -> str:
    """16 ASCII letters or digits, compared in upper case (banks print either)."""
    text = ntpn.strip().upper()
    if len(text) != 16 or not _ALFANUMERIK.issuperset(text):
        raise InvalidInput(MSG_NTPN_FORMAT, code="ntpn_format")
    return text
