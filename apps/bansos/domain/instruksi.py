"""A payment instruction (InstruksiPembayaran) aggregate: one recipient's payment in one round,
on its own stream (``instruksi_id(siklus, penerima)``).

Its own stream, not the round's: a national round has 100,000 instructions and the channels
report on each of them; a report loads only its instruction's few events, and two reports on
different instructions never contend. The round (``penyaluran.SiklusPenyaluran``) keeps its
own life (draft, approval, closing); closing is reconciled from the instructions' figures the
command sums from its index (``Rekonsiliasi.dari_status``), never by loading them all.

Each instruction is made for one recipient found active *and* eligible on facts read at that
moment (the NIK re-verified before each payment, as audits ask), so a death recorded between
approval and payment means no instruction; a recipient suspended after its instruction gets it
cancelled. Channel reports arrive late, twice, or out of order: the same report again records
nothing (False), and one that no longer fits (an instruction already cancelled, paid with
another transaction) is refused with a code, never a crash.

Life: DIBUAT -> TERSALUR | GAGAL | DIBATALKAN | TIDAK_DIAMBIL; TIDAK_DIAMBIL ->
DIALIHKAN_KE_POS | DIKEMBALIKAN; DIALIHKAN_KE_POS -> TERSALUR | DIKEMBALIKAN | DIBATALKAN.
Final: TERSALUR, GAGAL, DIKEMBALIKAN, DIBATALKAN.
"""

from __future__ import annotations

import uuid
from collections.abc import Container
from datetime import datetime

from apps.bansos.domain.events import (
    DanaDikembalikan,
    DanaDisalurkan,
    DanaGagalDisalurkan,
    DanaTidakDiambil,
    InstruksiDibatalkan,
    InstruksiPembayaranDibuat,
    PenyaluranDialihkanKePos,
)
from apps.bansos.domain.kelayakan import FaktaKelayakan, periksa_kelayakan
from apps.bansos.domain.konfigurasi import KonfigurasiBansos
from apps.bansos.domain.penerima import Penerima
from apps.bansos.domain.penyaluran import SiklusPenyaluran, instruksi_id
from apps.bansos.domain.rules import (
    AKTIF,
    DIALIHKAN_KE_POS,
    DIBATALKAN,
    DIBUAT,
    DIKEMBALIKAN,
    DISALURKAN,
    DISETUJUI,
    GAGAL,
    KANAL,
    MSG_BELUM_BERLAKU,
    MSG_GANDA_DALAM_SIKLUS,
    MSG_INSTRUKSI_DIBATALKAN,
    MSG_INSTRUKSI_STATUS,
    MSG_INSTRUKSI_TIDAK_DIKENAL,
    MSG_KANAL,
    MSG_NOMINAL,
    MSG_NOMINAL_NOL,
    MSG_PENERIMA_TIDAK_AKTIF,
    MSG_PROGRAM_LAIN,
    MSG_SUDAH_DISALURKAN,
    TERSALUR,
    TIDAK_DIAMBIL,
    Periode,
    tolak_tahap,
    wajib_isi,
)
from apps.bansos.domain.usulan import TidakLayak
from egov.eventstore.domain import Aggregate, InvalidInput, InvalidState


def _rupiah(nominal: int) -> int:
    if type(nominal) is not int or nominal <= 0:
        raise InvalidInput(MSG_NOMINAL, code="nominal_tidak_valid")
    return nominal


def _kanal(kanal: str) -> str:
    if kanal not in KANAL:
        raise InvalidInput(MSG_KANAL, code="kanal_tidak_valid")
    return kanal


class InstruksiPembayaran(Aggregate):
    """Build it with ``InstruksiPembayaran(instruksi_id(siklus_id, penerima_id))`` and
    ``buat(...)``. ``siklus_ditutup`` is not part of its history: the command sets it from the
    round's index when a report arrives (a closed round takes no new report)."""

    stream_type = "InstruksiPembayaran"

    def __init__(self, aggregate_id: uuid.UUID):
        super().__init__(aggregate_id)
        self.siklus_id: uuid.UUID | None = None
        self.penerima_id: uuid.UUID | None = None
        self.nomor_kk_hash = ""
        self.nominal = 0
        self.kanal = ""
        self.status = ""
        self.ntx = ""
        self.disalurkan = 0
        self.dikembalikan = 0
        self.riwayat: set[str] = set()
        self.siklus_ditutup = False

    # --- making it ------------------------------------------------------------------------
    def buat(
        self,
        *,
        siklus: SiklusPenyaluran,
        penerima: Penerima,
        fakta: FaktaKelayakan,
        kanal: str,
        kk_dibayar: Container[str],
        sekarang: datetime,
        konfigurasi: KonfigurasiBansos,
    ) -> bool:
        """Instruct the payment of ``penerima`` in ``siklus``, checked again on ``fakta`` read
        now. ``kk_dibayar``: the KKs already instructed in this round. Already instructed:
        nothing recorded (False). Refused: a round not approved (``tahap``), a recipient not
        active (``penerima_tidak_aktif``) or no longer eligible (``tidak_layak``, with the
        codes), a KK paid already in this round (``ganda_dalam_siklus``)."""
        if siklus.status not in (DISETUJUI, DISALURKAN):
            raise tolak_tahap("Siklus penyaluran", siklus.status, "membuat instruksi")
        if self.id != instruksi_id(siklus.id, penerima.id):
            raise ValueError("an instruction's stream is derived from its round and recipient")
        if self.exists:
            return False
        kanal = _kanal(kanal)
        periode = Periode.parse(siklus.periode)
        _periksa_penerima(siklus, penerima, periode)
        program = konfigurasi.program_pada(siklus.program, periode.awal)
        lain = konfigurasi.tidak_bersama(siklus.program, periode.awal)
        hasil = periksa_kelayakan(penerima.data, fakta, program, periode, tidak_bersama=lain)
        if not hasil.layak:
            raise TidakLayak(hasil.kode_gagal)
        if penerima.nomor_kk_hash in kk_dibayar:
            raise InvalidState(MSG_GANDA_DALAM_SIKLUS, code="ganda_dalam_siklus")
        komponen = program.komponen_dihitung(penerima.komponen)
        nominal = program.nominal_per_tahap(penerima.komponen)
        if nominal <= 0:
            raise InvalidState(MSG_NOMINAL_NOL, code="nominal_nol")
        self._record(
            InstruksiPembayaranDibuat(
                instruksi_id=self.id,
                siklus_id=siklus.id,
                penerima_id=penerima.id,
                nomor_kk_hash=penerima.nomor_kk_hash,
                nominal=nominal,
                kanal=kanal,
                komponen=komponen,
                dibuat_pada=sekarang,
            )
        )
        return True

    def batalkan(self, *, alasan: str, sekarang: datetime) -> bool:
        """The recipient was suspended: cancel if the money has not left (made, or waiting at
        PT Pos). Already cancelled: False. Already paid, failed or returned: refused (the
        officer recovers a payment made, it is not undone)."""
        if self.status == DIBATALKAN:
            return False
        self._boleh("dibatalkan", {DIBUAT, DIALIHKAN_KE_POS})
        self._record(
            InstruksiDibatalkan(
                instruksi_id=self.id,
                penerima_id=self.penerima_id,
                alasan=wajib_isi(alasan, "alasan"),
                dibatalkan_pada=sekarang,
            )
        )
        return True

    # --- channel reports --------------------------------------------------------------------
    def catat_disalurkan(self, *, kanal: str, ntx: str, nominal: int, sekarang: datetime) -> bool:
        """The channel paid. The same ``ntx`` again: False. The amount is recorded as
        reported, even when it differs: reconciliation is where a difference shows."""
        self._ada()
        ntx = wajib_isi(ntx, "ntx")
        if self.status == TERSALUR and self.ntx == ntx:
            return False
        if self.status == TERSALUR:
            raise InvalidState(MSG_SUDAH_DISALURKAN, code="sudah_disalurkan")
        self._boleh("disalurkan", {DIBUAT, DIALIHKAN_KE_POS})
        self._record(
            DanaDisalurkan(
                instruksi_id=self.id,
                kanal=_kanal(kanal),
                ntx=ntx,
                nominal=_rupiah(nominal),
                disalurkan_pada=sekarang,
            )
        )
        return True

    def catat_gagal(self, *, alasan: str, sekarang: datetime) -> bool:
        self._ada()
        if self.status == GAGAL:
            return False
        self._boleh("dicatat gagal", {DIBUAT})
        alasan = wajib_isi(alasan, "alasan")
        self._record(
            DanaGagalDisalurkan(instruksi_id=self.id, alasan=alasan, dilaporkan_pada=sekarang)
        )
        return True

    def catat_tidak_diambil(self, *, sekarang: datetime) -> bool:
        self._ada()
        if TIDAK_DIAMBIL in self.riwayat:
            return False
        self._boleh("dicatat tidak diambil", {DIBUAT})
        self._record(DanaTidakDiambil(instruksi_id=self.id, dilaporkan_pada=sekarang))
        return True

    def alihkan_ke_pos(self, *, sekarang: datetime) -> bool:
        self._ada()
        if DIALIHKAN_KE_POS in self.riwayat:
            return False
        self._boleh("dialihkan ke Pos", {TIDAK_DIAMBIL})
        self._record(PenyaluranDialihkanKePos(instruksi_id=self.id, dialihkan_pada=sekarang))
        return True

    def catat_dikembalikan(self, *, nominal: int, referensi: str, sekarang: datetime) -> bool:
        self._ada()
        if self.status == DIKEMBALIKAN:
            return False
        self._boleh("dikembalikan", {TIDAK_DIAMBIL, DIALIHKAN_KE_POS})
        self._record(
            DanaDikembalikan(
                instruksi_id=self.id,
                nominal=_rupiah(nominal),
                referensi=wajib_isi(referensi, "referensi"),
                dikembalikan_pada=sekarang,
            )
        )
        return True

    def _ada(self) -> None:
        if not self.exists:
            raise InvalidState(MSG_INSTRUKSI_TIDAK_DIKENAL, code="instruksi_tidak_dikenal")

    def _boleh(self, aksi: str, dari: set[str]) -> None:
        if self.status == DIBATALKAN:
            raise InvalidState(MSG_INSTRUKSI_DIBATALKAN, code="instruksi_dibatalkan")
        if self.siklus_ditutup:
            raise tolak_tahap("Siklus penyaluran", "DITUTUP", "menerima laporan")
        if self.status not in dari:
            message = MSG_INSTRUKSI_STATUS.format(status=self.status, aksi=aksi)
            raise InvalidState(message, code="status_instruksi")

    # --- appliers: assignments only -------------------------------------------------------
    def apply_InstruksiPembayaranDibuat(self, e: InstruksiPembayaranDibuat) -> None:
        self.siklus_id, self.penerima_id = e.siklus_id, e.penerima_id
        self.nomor_kk_hash, self.nominal, self.kanal = e.nomor_kk_hash, e.nominal, e.kanal
        self.status = DIBUAT

    def _ke(self, status: str) -> None:
        self.status = status
        self.riwayat.add(status)

    def apply_InstruksiDibatalkan(self, e: InstruksiDibatalkan) -> None:
        self._ke(DIBATALKAN)

    def apply_DanaDisalurkan(self, e: DanaDisalurkan) -> None:
        self._ke(TERSALUR)
        self.ntx, self.disalurkan = e.ntx, e.nominal

    def apply_DanaGagalDisalurkan(self, e: DanaGagalDisalurkan) -> None:
        self._ke(GAGAL)

    def apply_DanaTidakDiambil(self, e: DanaTidakDiambil) -> None:
        self._ke(TIDAK_DIAMBIL)

    def apply_PenyaluranDialihkanKePos(self, e: PenyaluranDialihkanKePos) -> None:
        self._ke(DIALIHKAN_KE_POS)

    def apply_DanaDikembalikan(self, e: DanaDikembalikan) -> None:
        self._ke(DIKEMBALIKAN)
        self.dikembalikan = e.nominal


def _periksa_penerima(siklus: SiklusPenyaluran, penerima: Penerima, periode: Periode) -> None:
    if penerima.program != siklus.program:
        raise InvalidState(MSG_PROGRAM_LAIN, code="program_lain")
    if penerima.status != AKTIF:
        message = MSG_PENERIMA_TIDAK_AKTIF.format(status=penerima.status or "-")
        raise InvalidState(message, code="penerima_tidak_aktif")
    if Periode.parse(penerima.periode_mulai).awal > periode.awal:
        raise InvalidState(MSG_BELUM_BERLAKU, code="belum_berlaku")
