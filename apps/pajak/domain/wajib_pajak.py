"""The taxpayer (WajibPajak) aggregate and pajak's replica of Dukcapil-verified identities.

An individual uses their NIK as NPWP (PMK 112/2022) and is registered only once Dukcapil has
verified that NIK: pajak keeps its own replica of verified identities, fed by the events the
e-KTP context publishes (``KTPDiverifikasi``, ``NIKDinonaktifkan``), and never reads ktp's
tables. A NIK deactivated later (death, duplicate) opens a review; it never deregisters
anyone automatically.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from apps.pajak.domain.events import (
    PeninjauanWajibPajakDibuka,
    PKPDikukuhkan,
    TKUDidaftarkan,
    WajibPajakTerdaftar,
)
from apps.pajak.domain.nomor import (
    NPWP,
    npwp_badan,
    npwp_orang_pribadi,
    parse_nitku,
)
from apps.pajak.domain.rules import (
    MSG_ALASAN_KOSONG,
    MSG_BELUM_TERDAFTAR,
    MSG_DALAM_PENINJAUAN,
    MSG_KODE_WILAYAH,
    MSG_NAMA_KOSONG,
    MSG_NIK_BELUM_TERVERIFIKASI,
    MSG_NIK_NONAKTIF,
    MSG_NITKU_BUKAN_MILIK,
    MSG_NITKU_PUSAT,
    MSG_NITKU_SUDAH_ADA,
    MSG_SUDAH_PKP,
    MSG_SUDAH_TERDAFTAR,
    NONAKTIF,
    OP,
    TERVERIFIKASI,
    tanggal_wib,
)
from egov.contracts.ktp import KTPDiverifikasi, NIKDiaktifkanKembali, NIKDinonaktifkan
from egov.eventstore.domain import Aggregate, InvalidInput, InvalidState


# --- the identity replica -------------------------------------------------------------------
@dataclass(frozen=True)
class IdentitasDukcapil:
    """One NIK in pajak's replica: verified by Dukcapil, or deactivated since.
    ``sumber``: the id of the KTP event that set it."""

    nik_hash: str
    status: str  # TERVERIFIKASI | NONAKTIF
    sumber: str = ""


def identitas_dari_ktp(
    event: KTPDiverifikasi | NIKDinonaktifkan | NIKDiaktifkanKembali, *, sumber: str = ""
) -> IdentitasDukcapil:
    """The replica row a published KTP event sets (the latest event of a NIK wins; a
    reactivated NIK is verified again)."""
    status = NONAKTIF if isinstance(event, NIKDinonaktifkan) else TERVERIFIKASI
    return IdentitasDukcapil(nik_hash=event.nik_hash, status=status, sumber=sumber)


def periksa_identitas(nik_hash: str, identitas: IdentitasDukcapil | None) -> None:
    """An individual may register only with a NIK the replica knows as verified and active."""
    if identitas is None or identitas.nik_hash != nik_hash:
        raise InvalidState(MSG_NIK_BELUM_TERVERIFIKASI, code="nik_belum_terverifikasi")
    if identitas.status == NONAKTIF:
        raise InvalidState(MSG_NIK_NONAKTIF, code="nik_nonaktif")


# --- the aggregate ---------------------------------------------------------------------------
def wajib_pajak_stream_id(subjek_id: str) -> uuid.UUID:
    """One stream per taxpayer, found again from its pseudonymous subject id (the keyed hash
    of the NIK or NPWP16), so registering twice meets the first registration."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"egov:pajak:wajib-pajak:{subjek_id}")


class WajibPajak(Aggregate):
    """A taxpayer. Build it empty with ``WajibPajak(wajib_pajak_stream_id(subjek_id))`` (or
    load it), then register it with ``daftar_orang_pribadi`` or ``daftar_badan``."""

    stream_type = "WajibPajak"

    def __init__(self, aggregate_id: uuid.UUID):
        super().__init__(aggregate_id)
        self.jenis = ""
        self.subjek_id = ""
        self.npwp = ""
        self.kode_wilayah = ""
        self.terdaftar_pada: datetime | None = None
        self.pkp = False
        self.tanggal_pkp: date | None = None
        self.peninjauan_terbuka = False
        self.kode_tku: set[str] = set()

    @property
    def terdaftar(self) -> bool:
        return bool(self.jenis)

    # --- commands ---------------------------------------------------------------------------
    def daftar_orang_pribadi(
        self,
        *,
        nik: str,
        nik_hash: str,
        nama: str,
        identitas: IdentitasDukcapil | None,
        sekarang: datetime,
    ) -> None:
        """Register an individual whose NIK is their NPWP; ``identitas`` is the replica row
        of ``nik_hash`` (None when Dukcapil never verified it)."""
        npwp = npwp_orang_pribadi(nik, hari_ini=tanggal_wib(sekarang))
        periksa_identitas(nik_hash, identitas)
        self._daftar(npwp, nik_hash, nama, nik[:4], sekarang)

    def daftar_badan(
        self, *, npwp: str, subjek_id: str, nama: str, kode_wilayah: str, sekarang: datetime
    ) -> None:
        """Register a company with its NPWP16 (the old 15-digit form is converted) and the
        regency (4-digit Kemendagri code) of its registered seat."""
        if len(kode_wilayah) != 4 or not kode_wilayah.isdigit():
            raise InvalidInput(MSG_KODE_WILAYAH, code="kode_wilayah_tidak_sah")
        self._daftar(npwp_badan(npwp), subjek_id, nama, kode_wilayah, sekarang)

    def _daftar(
        self, npwp: NPWP, subjek_id: str, nama: str, kode_wilayah: str, sekarang: datetime
    ) -> None:
        if not subjek_id:  # personal fields are encrypted with the subject's key: never ""
            raise ValueError("subjek_id is required")
        if self.terdaftar:
            raise InvalidState(MSG_SUDAH_TERDAFTAR, code="sudah_terdaftar")
        if not nama.strip():
            raise InvalidInput(MSG_NAMA_KOSONG, code="nama_wajib")
        self._record(
            WajibPajakTerdaftar(
                subjek_id=subjek_id,
                jenis=npwp.jenis,
                npwp=npwp.nomor,
                nama=nama.strip(),
                kode_wilayah=kode_wilayah,
                terdaftar_pada=sekarang,
            )
        )

    def daftar_tku(self, *, nitku: str, nama_tku: str, sekarang: datetime) -> None:
        """Register a branch: its NITKU must extend this taxpayer's NPWP with a new code."""
        self._harus_terdaftar()
        tku = parse_nitku(nitku, hari_ini=tanggal_wib(sekarang))
        if tku.npwp != self.npwp:
            raise InvalidInput(MSG_NITKU_BUKAN_MILIK, code="nitku_bukan_milik")
        if tku.pusat:
            raise InvalidInput(MSG_NITKU_PUSAT, code="nitku_pusat")
        if tku.kode_tku in self.kode_tku:
            raise InvalidState(MSG_NITKU_SUDAH_ADA, code="nitku_sudah_ada")
        if not nama_tku.strip():
            raise InvalidInput(MSG_NAMA_KOSONG, code="nama_wajib")
        self._record(
            TKUDidaftarkan(
                subjek_id=self.subjek_id,
                nitku=tku.nomor,
                kode_tku=tku.kode_tku,
                nama_tku=nama_tku.strip(),
                didaftarkan_pada=sekarang,
            )
        )

    def kukuhkan_pkp(self, *, tanggal_pengukuhan: date, petugas: str, sekarang: datetime) -> None:
        self._harus_terdaftar()
        if self.pkp:
            raise InvalidState(MSG_SUDAH_PKP, code="sudah_pkp")
        if self.peninjauan_terbuka:
            raise InvalidState(MSG_DALAM_PENINJAUAN, code="dalam_peninjauan")
        self._record(
            PKPDikukuhkan(
                subjek_id=self.subjek_id,
                tanggal_pengukuhan=tanggal_pengukuhan,
                petugas=petugas,
                dikukuhkan_pada=sekarang,
            )
        )

    def buka_peninjauan(self, *, alasan: str, sumber: str, sekarang: datetime) -> bool:
        """React to a deactivated NIK (death, duplicate). Only a registered individual has a
        NIK to review; a review already open is not opened twice. Returns whether an event
        was recorded, so the policy that calls it stays idempotent."""
        if self.jenis != OP or self.peninjauan_terbuka:
            return False
        if not alasan.strip():
            raise InvalidInput(MSG_ALASAN_KOSONG, code="alasan_wajib")
        self._record(
            PeninjauanWajibPajakDibuka(
                subjek_id=self.subjek_id, alasan=alasan.strip(), sumber=sumber, dibuka_pada=sekarang
            )
        )
        return True

    def _harus_terdaftar(self) -> None:
        if not self.terdaftar:
            raise InvalidState(MSG_BELUM_TERDAFTAR, code="belum_terdaftar")

    # --- appliers: assignments only ---------------------------------------------------------
    def apply_WajibPajakTerdaftar(self, e: WajibPajakTerdaftar) -> None:
        self.jenis, self.subjek_id, self.npwp = e.jenis, e.subjek_id, e.npwp
        self.kode_wilayah, self.terdaftar_pada = e.kode_wilayah, e.terdaftar_pada

    def apply_TKUDidaftarkan(self, e: TKUDidaftarkan) -> None:
        self.kode_tku.add(e.kode_tku)

    def apply_PKPDikukuhkan(self, e: PKPDikukuhkan) -> None:
        self.pkp, self.tanggal_pkp = True, e.tanggal_pengukuhan

    def apply_PeninjauanWajibPajakDibuka(self, e: PeninjauanWajibPajakDibuka) -> None:
        self.peninjauan_terbuka = True
