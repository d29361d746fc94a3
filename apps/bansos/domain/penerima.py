"""The recipient (Penerima) aggregate: a household's membership of a programme.

OpenSPP's membership model: enrolled (AKTIF) / paused (DITANGGUHKAN) / exited (DIGRADUASI,
DIKELUARKAN). It continues the proposal's stream (``Usulan``), so load a decided household as
``Penerima``: it knows the proposal's events too. A pause stops payment and is how a death
(ktp's ``NIKDinonaktifkan`` with MENINGGAL, the ``KematianDicatat`` flow) reaches bansos: the
policy suspends, it never exits, because a death recorded in error is reactivated. The same
suspension delivered twice records nothing the second time. PKH conditionality is recorded per
component and period; what non-compliance leads to is the officer's decision, not automatic.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from apps.bansos.domain.events import (
    KeberatanDiajukan,
    KeberatanDijawab,
    KepatuhanDicatat,
    PenerimaDiaktifkanKembali,
    PenerimaDigraduasi,
    PenerimaDikeluarkan,
    PenerimaDitangguhkan,
)
from apps.bansos.domain.konfigurasi import KonfigurasiBansos
from apps.bansos.domain.rules import (
    AKTIF,
    ALASAN_PENANGGUHAN,
    DIGRADUASI,
    DIKELUARKAN,
    DITANGGUHKAN,
    KEPUTUSAN_KEBERATAN,
    LAINNYA,
    MSG_ALASAN_PENANGGUHAN,
    MSG_BUKAN_BERSYARAT,
    MSG_KEBERATAN_TERBUKA,
    MSG_KEPUTUSAN_KEBERATAN,
    MSG_KOMPONEN_BUKAN_MILIK,
    MSG_TIDAK_ADA_KEBERATAN,
    Periode,
    periksa_hash,
    tolak_tahap,
    wajib_isi,
)
from apps.bansos.domain.usulan import Usulan
from egov.eventstore.domain import InvalidInput, InvalidState, is_erased

BERJALAN = (AKTIF, DITANGGUHKAN)  # still a member (paid or paused)
SETELAH_PENETAPAN = (AKTIF, DITANGGUHKAN, DIGRADUASI, DIKELUARKAN)


class Penerima(Usulan):
    """A decided household; the recipient's id is its proposal's id (``self.id``)."""

    def __init__(self, aggregate_id: uuid.UUID):
        super().__init__(aggregate_id)
        self.alasan_penangguhan = ""
        self.keberatan_terbuka = False
        self.kepatuhan: dict[tuple[str, str, str], bool] = {}

    @property
    def aktif(self) -> bool:
        return self.status == AKTIF

    # --- commands -------------------------------------------------------------------------
    def tangguhkan(
        self,
        *,
        alasan: str,
        keterangan: str = "",
        nik_hash: str = "",
        oleh: str,
        sekarang: datetime,
    ) -> bool:
        """Pause payment. Already paused: nothing recorded (False), so a redelivered death
        or a second officer's click changes nothing; the first reason stands."""
        if alasan not in ALASAN_PENANGGUHAN:
            raise InvalidInput(MSG_ALASAN_PENANGGUHAN, code="alasan_tidak_valid")
        if self.status == DITANGGUHKAN:
            return False
        if self.status != AKTIF:
            raise tolak_tahap("Penerima", self.status, "ditangguhkan")
        keterangan = wajib_isi(keterangan, "keterangan") if alasan == LAINNYA else keterangan
        self._record(
            PenerimaDitangguhkan(
                penerima_id=self.id,
                pengurus_nik_hash=self.pengurus_nik_hash,
                alasan=alasan,
                keterangan=keterangan.strip(),
                nik_hash=periksa_hash(nik_hash) if nik_hash else "",
                ditangguhkan_oleh=wajib_isi(oleh, "ditangguhkan_oleh"),
                ditangguhkan_pada=sekarang,
            )
        )
        return True

    def aktifkan_kembali(self, *, keterangan: str, oleh: str, sekarang: datetime) -> None:
        if self.status != DITANGGUHKAN:
            raise tolak_tahap("Penerima", self.status, "diaktifkan kembali")
        self._record(
            PenerimaDiaktifkanKembali(
                penerima_id=self.id,
                pengurus_nik_hash=self.pengurus_nik_hash,
                keterangan=wajib_isi(keterangan, "keterangan"),
                diaktifkan_oleh=wajib_isi(oleh, "diaktifkan_oleh"),
                diaktifkan_pada=sekarang,
            )
        )

    def graduasi(self, *, keterangan: str, oleh: str, sekarang: datetime) -> None:
        if self.status not in BERJALAN:
            raise tolak_tahap("Penerima", self.status, "digraduasi")
        self._record(
            PenerimaDigraduasi(
                penerima_id=self.id,
                pengurus_nik_hash=self.pengurus_nik_hash,
                keterangan=wajib_isi(keterangan, "keterangan"),
                digraduasi_oleh=wajib_isi(oleh, "digraduasi_oleh"),
                digraduasi_pada=sekarang,
            )
        )

    def keluarkan(self, *, alasan: str, oleh: str, sekarang: datetime) -> None:
        if self.status not in BERJALAN:
            raise tolak_tahap("Penerima", self.status, "dikeluarkan")
        self._record(
            PenerimaDikeluarkan(
                penerima_id=self.id,
                pengurus_nik_hash=self.pengurus_nik_hash,
                alasan=wajib_isi(alasan, "alasan"),
                dikeluarkan_oleh=wajib_isi(oleh, "dikeluarkan_oleh"),
                dikeluarkan_pada=sekarang,
            )
        )

    def catat_kepatuhan(
        self,
        *,
        periode: str,
        komponen: str,
        patuh: bool,
        sumber: str,
        sekarang: datetime,
        konfigurasi: KonfigurasiBansos,
    ) -> bool:
        """PKH conditionality of one component in one period. The same report again records
        nothing (False); a different answer from the same source is a correction."""
        if self.status not in BERJALAN:
            raise tolak_tahap("Penerima", self.status, "dicatat kepatuhannya")
        awal = Periode.parse(periode)
        if not konfigurasi.program_pada(self.program, awal.awal).bersyarat:
            raise InvalidState(MSG_BUKAN_BERSYARAT, code="program_tidak_bersyarat")
        if komponen not in self.komponen:
            message = MSG_KOMPONEN_BUKAN_MILIK.format(komponen=komponen)
            raise InvalidInput(message, code="komponen_bukan_milik")
        sumber = wajib_isi(sumber, "sumber")
        if self.kepatuhan.get((str(awal), komponen, sumber)) is bool(patuh):
            return False
        self._record(
            KepatuhanDicatat(
                penerima_id=self.id,
                pengurus_nik_hash=self.pengurus_nik_hash,
                periode=str(awal),
                komponen=komponen,
                patuh=bool(patuh),
                sumber=sumber,
                dicatat_pada=sekarang,
            )
        )
        return True

    def ajukan_keberatan(self, *, alasan: str, oleh: str, sekarang: datetime) -> None:
        """An appeal, one open at a time (also after an exit: that is what it contests)."""
        if self.status not in SETELAH_PENETAPAN:
            raise tolak_tahap("Penerima", self.status, "diajukan keberatan")
        if self.keberatan_terbuka:
            raise InvalidState(MSG_KEBERATAN_TERBUKA, code="keberatan_terbuka")
        self._record(
            KeberatanDiajukan(
                penerima_id=self.id,
                pengurus_nik_hash=self.pengurus_nik_hash,
                alasan=wajib_isi(alasan, "alasan"),
                diajukan_oleh=wajib_isi(oleh, "diajukan_oleh"),
                diajukan_pada=sekarang,
            )
        )

    def jawab_keberatan(
        self, *, keputusan: str, jawaban: str, oleh: str, sekarang: datetime
    ) -> None:
        if not self.keberatan_terbuka:
            raise InvalidState(MSG_TIDAK_ADA_KEBERATAN, code="tidak_ada_keberatan")
        if keputusan not in KEPUTUSAN_KEBERATAN:
            raise InvalidInput(MSG_KEPUTUSAN_KEBERATAN, code="keputusan_tidak_valid")
        self._record(
            KeberatanDijawab(
                penerima_id=self.id,
                pengurus_nik_hash=self.pengurus_nik_hash,
                keputusan=keputusan,
                jawaban=wajib_isi(jawaban, "jawaban"),
                dijawab_oleh=wajib_isi(oleh, "dijawab_oleh"),
                dijawab_pada=sekarang,
            )
        )

    # --- appliers: assignments only -------------------------------------------------------
    def apply_PenerimaDitangguhkan(self, e: PenerimaDitangguhkan) -> None:
        self.status, self.alasan_penangguhan = DITANGGUHKAN, e.alasan

    def apply_PenerimaDiaktifkanKembali(self, e: PenerimaDiaktifkanKembali) -> None:
        self.status, self.alasan_penangguhan = AKTIF, ""

    def apply_PenerimaDigraduasi(self, e: PenerimaDigraduasi) -> None:
        self.status = DIGRADUASI

    def apply_PenerimaDikeluarkan(self, e: PenerimaDikeluarkan) -> None:
        self.status = DIKELUARKAN

    def apply_KepatuhanDicatat(self, e: KepatuhanDicatat) -> None:
        if not is_erased(e.komponen) and not is_erased(e.patuh):
            self.kepatuhan[(e.periode, e.komponen, e.sumber)] = e.patuh

    def apply_KeberatanDiajukan(self, e: KeberatanDiajukan) -> None:
        self.keberatan_terbuka = True

    def apply_KeberatanDijawab(self, e: KeberatanDijawab) -> None:
        self.keberatan_terbuka = False
