"""e-KTP requests (Dukcapil), plain Python: events, the request aggregate and its rules.

Lifecycle (MOSIP's registration processor is the model): request -> biometric recording ->
central deduplication -> verified (print queue) | duplicate (adjudication) -> printed (needs
a blank) -> handed over. A replacement (lost, damaged, data change) needs no new recording;
its printed card invalidates the previous one. Valid for life.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from egov.contracts.ktp import (
    AKTIF,
    DIAJUKAN,
    DICETAK,
    DITOLAK,
    NONAKTIF,
    VERIFIED,
    KTPDibuat,
    KTPDicetak,
    KTPDitolak,
    KTPDiverifikasi,
    NIKDiaktifkanKembali,
    NIKDinonaktifkan,
)
from egov.eventstore.domain import Aggregate, DomainEvent, InvalidInput, InvalidState
from egov.principals import gettext_noop

BARU, PENGGANTIAN = "BARU", "PENGGANTIAN"
PERUBAHAN_DATA = "PERUBAHAN_DATA"
ALASAN_PENGGANTIAN = ("HILANG", "RUSAK", PERUBAHAN_DATA)
LAHIR_PALING_AWAL = date(1900, 1, 1)
# Status names: the seed's ``status`` field and the read side's (the published ones are in
# the contract module).
DIREKAM, DUPLIKASI, DISERAHKAN = "DIREKAM", "DUPLIKASI", "DISERAHKAN"
SELESAI = (DITOLAK, DISERAHKAN)

MSG_BELUM_CUKUP_UMUR = gettext_noop(
    "Pemohon KTP baru harus berumur 17 tahun atau sudah/pernah kawin."
)
MSG_ALASAN_PENGGANTIAN = gettext_noop(
    "Penggantian KTP harus beralasan: HILANG, RUSAK atau PERUBAHAN_DATA."
)
MSG_JENIS = gettext_noop("Jenis permohonan harus BARU atau PENGGANTIAN.")
MSG_TAHAP = gettext_noop("Permohonan dalam status {status} tidak dapat {aksi}.")
MSG_TEMPLATE = gettext_noop(
    "Template biometrik harus berupa hash SHA-256 (64 karakter heksadesimal)."
)
MSG_LOKASI = gettext_noop("Lokasi perekaman wajib diisi.")
MSG_ALASAN_TOLAK = gettext_noop("Alasan penolakan wajib diisi.")
MSG_TANGGAL_LAHIR = gettext_noop("Tanggal lahir harus antara 1 Januari 1900 dan hari ini.")
# Why a NIK is deactivated: death, a duplicate record, or another reason told in the note.
MENINGGAL, GANDA, LAINNYA = "MENINGGAL", "GANDA", "LAINNYA"
ALASAN_NONAKTIF = (MENINGGAL, GANDA, LAINNYA)
MSG_ALASAN_NONAKTIF = gettext_noop("Alasan penonaktifan NIK harus MENINGGAL, GANDA atau LAINNYA.")
MSG_KETERANGAN_WAJIB = gettext_noop("Keterangan wajib diisi.")
MSG_SUDAH_NONAKTIF = gettext_noop("NIK ini sudah dinonaktifkan.")
MSG_MASIH_AKTIF = gettext_noop("NIK ini masih aktif; tidak ada yang perlu diaktifkan kembali.")


@dataclass(frozen=True)
class BiometrikDirekam(DomainEvent):
    """A template fingerprint (hash) of the recording, never images."""

    subject_field = "nik_hash"

    nik_hash: str
    template_hash: str
    lokasi: str
    officer_id: str
    timestamp: str
    status: str = DIREKAM


@dataclass(frozen=True)
class DuplikasiTerdeteksi(DomainEvent):
    subject_field = "nik_hash"

    nik_hash: str
    duplikat_dari: str  # the other request whose template or NIK matched
    timestamp: str
    status: str = DUPLIKASI


@dataclass(frozen=True)
class KTPDiserahkan(DomainEvent):
    subject_field = "nik_hash"

    nik_hash: str
    officer_id: str
    timestamp: str
    status: str = DISERAHKAN


@dataclass(frozen=True)
class BlangkoDitambah(DomainEvent):
    """Officers topped up the blank card stock (stream ``StokBlangko``)."""

    jumlah: int
    stok: int  # stock after the top-up
    officer_id: str


@dataclass(frozen=True)
class KKDiperbarui(DomainEvent):
    """The family card (KK) a NIK is on, as the civil registry reported it over the bus
    (``KKDiupdate`` from Kemendagri): the NIK's KK history, by keyed hashes only."""

    subject_field = "nik_hash"

    nik_hash: str
    baru: str  # the KK's keyed hash
    lama: str  # the previous KK's ("" for a first card)
    alasan: str
    sumber: str  # the bus message it came in


EVENTS = (
    BlangkoDitambah,
    KTPDibuat,
    BiometrikDirekam,
    KTPDiverifikasi,
    DuplikasiTerdeteksi,
    KTPDitolak,
    KTPDicetak,
    KTPDiserahkan,
    NIKDinonaktifkan,
    NIKDiaktifkanKembali,
    KKDiperbarui,
)


def umur(lahir: date, pada: date) -> int:
    return pada.year - lahir.year - ((pada.month, pada.day) < (lahir.month, lahir.day))


class PermohonanKTP(Aggregate):
    stream_type = "PermohonanKTP"

    def __init__(self, aggregate_id: uuid.UUID):
        super().__init__(aggregate_id)
        self.status = ""
        self.nik_hash = ""
        self.nik = ""
        self.jenis = ""
        self.template_hash = ""
        self.nama = ""
        self.tanggal_lahir: date | None = None

    # --- commands -------------------------------------------------------------------
    @classmethod
    def ajukan(
        cls,
        *,
        nik: str,
        nik_hash: str,
        nama: str,
        tanggal_lahir: date,
        pernah_kawin: bool,
        jenis: str,
        alasan: str,
        sekarang: datetime,
    ) -> PermohonanKTP:
        if jenis not in (BARU, PENGGANTIAN):
            raise InvalidInput(MSG_JENIS, code="jenis_tidak_valid")
        if not LAHIR_PALING_AWAL <= tanggal_lahir <= sekarang.date():
            raise InvalidInput(MSG_TANGGAL_LAHIR, code="tanggal_lahir_tidak_valid")
        if jenis == PENGGANTIAN and alasan not in ALASAN_PENGGANTIAN:
            raise InvalidInput(MSG_ALASAN_PENGGANTIAN, code="alasan_tidak_valid")
        if jenis == BARU and umur(tanggal_lahir, sekarang.date()) < 17 and not pernah_kawin:
            raise InvalidInput(MSG_BELUM_CUKUP_UMUR, code="belum_cukup_umur")
        request = cls(uuid.uuid4())
        request._record(
            KTPDibuat(
                nik_hash=nik_hash,
                nik=nik,
                nama=nama.strip(),
                tanggal_lahir=tanggal_lahir.isoformat(),
                pernah_kawin=pernah_kawin,
                jenis=jenis,
                alasan=alasan if jenis == PENGGANTIAN else "",
                kode_wilayah=nik[:4],
                timestamp=sekarang.isoformat(),
            )
        )
        return request

    def rekam_biometrik(
        self, *, template_hash: str, lokasi: str, petugas: str, sekarang: datetime
    ) -> None:
        self._require(DIAJUKAN, "direkam")
        if self.jenis == PENGGANTIAN:
            raise InvalidState(
                MSG_TAHAP.format(status="PENGGANTIAN", aksi="direkam ulang"),
                code="tahap_tidak_sesuai",
            )
        if len(template_hash) != 64 or not all(c in "0123456789abcdef" for c in template_hash):
            raise InvalidInput(MSG_TEMPLATE, code="template_tidak_valid")
        if not lokasi.strip():
            raise InvalidInput(MSG_LOKASI, code="lokasi_wajib")
        self._record(
            BiometrikDirekam(
                nik_hash=self.nik_hash,
                template_hash=template_hash,
                lokasi=lokasi.strip(),
                officer_id=petugas,
                timestamp=sekarang.isoformat(),
            )
        )

    def siap_verifikasi(self) -> bool:
        """Recorded, or a replacement (which needs no new recording)."""
        return self.status == DIREKAM or (self.status == DIAJUKAN and self.jenis == PENGGANTIAN)

    def hasil_pemeriksaan_pusat(self, *, duplikat_dari: str, sekarang: datetime) -> None:
        if not self.siap_verifikasi():
            raise InvalidState(
                MSG_TAHAP.format(status=self.status, aksi="diverifikasi"), code="tahap_tidak_sesuai"
            )
        if duplikat_dari:
            self._record(
                DuplikasiTerdeteksi(
                    nik_hash=self.nik_hash,
                    duplikat_dari=duplikat_dari,
                    timestamp=sekarang.isoformat(),
                )
            )
        else:
            self._verifikasi("sistem", sekarang)

    def adjudikasi(self, *, setujui: bool, alasan: str, petugas: str, sekarang: datetime) -> None:
        self._require(DUPLIKASI, "diadjudikasi")
        if setujui:
            self._verifikasi(petugas, sekarang)
            return
        if not alasan.strip():
            raise InvalidInput(MSG_ALASAN_TOLAK, code="alasan_wajib")
        self._record(
            KTPDitolak(
                nik_hash=self.nik_hash,
                alasan=alasan.strip(),
                officer_id=petugas,
                timestamp=sekarang.isoformat(),
            )
        )

    def tutup_karena_nik_nonaktif(self, *, alasan: str, sekarang: datetime) -> bool:
        """The NIK was deactivated (a death, a duplicate record): an open request ends here,
        rejected with that reason, whatever its stage (a printed card is not handed over).
        A request already ended stays as it is (False)."""
        if self.status in SELESAI:
            return False
        self._record(
            KTPDitolak(
                nik_hash=self.nik_hash,
                alasan=f"NIK dinonaktifkan ({alasan})",
                officer_id="sistem",
                timestamp=sekarang.isoformat(),
            )
        )
        return True

    def pastikan_siap_cetak(self) -> None:
        """Refuse (with the stage) unless the request waits in the print queue."""
        self._require(VERIFIED, "dicetak")

    def cetak(
        self, *, nomor_blangko: str, kartu_lama: str, petugas: str, sekarang: datetime
    ) -> None:
        self.pastikan_siap_cetak()
        self._record(
            KTPDicetak(
                nik_hash=self.nik_hash,
                nomor_blangko=nomor_blangko,
                kartu_dibatalkan=kartu_lama,
                officer_id=petugas,
                timestamp=sekarang.isoformat(),
            )
        )

    def serahkan(self, *, petugas: str, sekarang: datetime) -> None:
        self._require(DICETAK, "diserahkan")
        self._record(
            KTPDiserahkan(
                nik_hash=self.nik_hash, officer_id=petugas, timestamp=sekarang.isoformat()
            )
        )

    def _verifikasi(self, petugas: str, sekarang: datetime) -> None:
        self._record(
            KTPDiverifikasi(
                nik_hash=self.nik_hash,
                nik=self.nik,
                officer_id=petugas,
                timestamp=sekarang.isoformat(),
            )
        )

    def _require(self, status: str, aksi: str) -> None:
        if self.status != status:
            raise InvalidState(
                MSG_TAHAP.format(status=self.status, aksi=aksi), code="tahap_tidak_sesuai"
            )

    # --- appliers: assignments only --------------------------------------------------
    def apply_KTPDibuat(self, e: KTPDibuat) -> None:
        self.status, self.nik_hash, self.nik, self.jenis = e.status, e.nik_hash, e.nik, e.jenis
        self.nama = e.nama
        self.tanggal_lahir = _tanggal(e.tanggal_lahir)

    def apply_BiometrikDirekam(self, e: BiometrikDirekam) -> None:
        self.status, self.template_hash = e.status, e.template_hash

    def apply_KTPDiverifikasi(self, e: KTPDiverifikasi) -> None:
        self.status = e.status

    def apply_DuplikasiTerdeteksi(self, e: DuplikasiTerdeteksi) -> None:
        self.status = e.status

    def apply_KTPDitolak(self, e: KTPDitolak) -> None:
        self.status = e.status

    def apply_KTPDicetak(self, e: KTPDicetak) -> None:
        self.status = e.status

    def apply_KTPDiserahkan(self, e: KTPDiserahkan) -> None:
        self.status = e.status


def nik_stream_id(nik_hash: str) -> uuid.UUID:
    """One stream per NIK, found again from its keyed hash (never the raw NIK)."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"egov:ktp:nik:{nik_hash}")


class StatusNIK(Aggregate):
    """Whether a NIK is active: Dukcapil deactivates it (death, duplicate) and may reactivate
    it. A NIK without events is active."""

    stream_type = "NIK"

    def __init__(self, aggregate_id: uuid.UUID):
        super().__init__(aggregate_id)
        self.status = AKTIF
        self.alasan = ""
        self.kk = ""

    @property
    def nonaktif(self) -> bool:
        return self.status == NONAKTIF

    def nonaktifkan(self, *, nik_hash: str, alasan: str, keterangan: str) -> None:
        if self.nonaktif:
            raise InvalidState(MSG_SUDAH_NONAKTIF, code="nik_sudah_nonaktif")
        if alasan not in ALASAN_NONAKTIF:
            raise InvalidInput(MSG_ALASAN_NONAKTIF, code="alasan_nonaktif_tidak_valid")
        if alasan == LAINNYA and not keterangan.strip():
            raise InvalidInput(MSG_KETERANGAN_WAJIB, code="keterangan_wajib")
        self._record(
            NIKDinonaktifkan(nik_hash=nik_hash, alasan=alasan, keterangan=keterangan.strip())
        )

    def aktifkan_kembali(self, *, nik_hash: str, keterangan: str) -> None:
        if not self.nonaktif:
            raise InvalidState(MSG_MASIH_AKTIF, code="nik_masih_aktif")
        if not keterangan.strip():
            raise InvalidInput(MSG_KETERANGAN_WAJIB, code="keterangan_wajib")
        self._record(NIKDiaktifkanKembali(nik_hash=nik_hash, keterangan=keterangan.strip()))

    def perbarui_kk(self, *, nik_hash: str, baru: str, lama: str, alasan: str, sumber: str):
        """Record the NIK's new KK; the same KK again records nothing (False)."""
        if baru == self.kk:
            return False
        self._record(
            KKDiperbarui(
                nik_hash=nik_hash, baru=baru, lama=lama or self.kk, alasan=alasan, sumber=sumber
            )
        )
        return True

    def apply_KKDiperbarui(self, e: KKDiperbarui) -> None:
        self.kk = e.baru

    def apply_NIKDinonaktifkan(self, e: NIKDinonaktifkan) -> None:
        self.status, self.alasan = e.status, e.alasan

    def apply_NIKDiaktifkanKembali(self, e: NIKDiaktifkanKembali) -> None:
        self.status, self.alasan = e.status, ""


def _tanggal(value: str) -> date | None:
    """An event's ISO date; None when the subject's data was erased (crypto-shredded)."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
