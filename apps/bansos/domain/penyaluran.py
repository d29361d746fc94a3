"""The disbursement cycle (SiklusPenyaluran) aggregate: one round of a programme's payments.

OpenG2P's cycle: draft (DRAF) -> to_approve (DIAJUKAN) -> approved (DISETUJUI) -> distributed
(DISALURKAN, from the first instruction) -> ended (DITUTUP). Approval is four-eyes: the
officer who built the round may not approve it (``empat_mata``). Each instruction is made for
one recipient found active *and* eligible on facts read at that moment (the NIK re-verified
before each payment, as audits ask), so a death recorded between approval and payment means no
instruction; a recipient suspended after its instruction gets it cancelled.

Channel reports (the banks' and PT Pos's callbacks) arrive late, twice, or out of order: the
same report again records nothing (False), and a report that no longer fits (an instruction
already cancelled, paid with another transaction) is refused with a code, never a crash. The
round closes only when reconciled to the rupiah.

Instruction life: DIBUAT -> TERSALUR | GAGAL | DIBATALKAN | TIDAK_DIAMBIL;
TIDAK_DIAMBIL -> DIALIHKAN_KE_POS | DIKEMBALIKAN; DIALIHKAN_KE_POS -> TERSALUR | DIKEMBALIKAN |
DIBATALKAN. Final: TERSALUR, GAGAL, DIKEMBALIKAN, DIBATALKAN.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from apps.bansos.domain.events import (
    DanaDikembalikan,
    DanaDisalurkan,
    DanaGagalDisalurkan,
    DanaTidakDiambil,
    InstruksiDibatalkan,
    InstruksiPembayaranDibuat,
    PenyaluranDialihkanKePos,
    SiklusDiajukan,
    SiklusDisetujui,
    SiklusDitutup,
    SiklusPenyaluranDibuat,
)
from apps.bansos.domain.kelayakan import FaktaKelayakan, periksa_kelayakan
from apps.bansos.domain.konfigurasi import KonfigurasiBansos
from apps.bansos.domain.penerima import Penerima
from apps.bansos.domain.rules import (
    AKTIF,
    DIAJUKAN,
    DIALIHKAN_KE_POS,
    DIBATALKAN,
    DIBUAT,
    DIKEMBALIKAN,
    DISALURKAN,
    DISETUJUI,
    DITUTUP,
    DRAF,
    GAGAL,
    INSTRUKSI_FINAL,
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
    MSG_REKONSILIASI,
    MSG_SUDAH_DISALURKAN,
    MSG_TAHAP_SIKLUS,
    TERSALUR,
    TIDAK_DIAMBIL,
    Periode,
    tolak_tahap,
    wajib_isi,
)
from apps.bansos.domain.usulan import TidakLayak, empat_mata, petugas_sama, program_untuk
from egov.eventstore.domain import Aggregate, InvalidInput, InvalidState


def siklus_stream_id(program: str, periode: str, tahap: int) -> uuid.UUID:
    """One stream per programme, period and round: creating the same round twice collides."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"egov:bansos:siklus:{program}:{periode}:{tahap}")


def instruksi_id(siklus_id: uuid.UUID, penerima_id: uuid.UUID) -> uuid.UUID:
    """Deterministic: a retried batch finds the instruction it already made, and the channel
    can use it as its idempotency key."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"egov:bansos:instruksi:{siklus_id}:{penerima_id}")


@dataclass
class Instruksi:
    """One instruction's state inside the cycle (assigned by the appliers only)."""

    instruksi_id: uuid.UUID
    penerima_id: uuid.UUID
    nomor_kk_hash: str
    nominal: int
    kanal: str
    status: str = DIBUAT
    ntx: str = ""
    disalurkan: int = 0
    dikembalikan: int = 0
    riwayat: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Rekonsiliasi:
    """The round's money, to the rupiah: ``selisih`` = instructed - (disbursed + returned +
    failed + cancelled); ``belum_final``: instructions still waiting for an outcome."""

    jumlah_instruksi: int
    diinstruksikan: int
    disalurkan: int
    dikembalikan: int
    gagal: int
    dibatalkan: int
    belum_final: int

    @property
    def selisih(self) -> int:
        keluar = self.disalurkan + self.dikembalikan + self.gagal + self.dibatalkan
        return self.diinstruksikan - keluar

    @property
    def seimbang(self) -> bool:
        return self.belum_final == 0 and self.selisih == 0


class RekonsiliasiTidakSeimbang(InvalidState):
    code = "rekonsiliasi_tidak_seimbang"

    def __init__(self, rekonsiliasi: Rekonsiliasi):
        message = MSG_REKONSILIASI.format(
            belum=rekonsiliasi.belum_final, selisih=rekonsiliasi.selisih
        )
        super().__init__(message)
        self.rekonsiliasi = rekonsiliasi


def _rupiah(nominal: int) -> int:
    if type(nominal) is not int or nominal <= 0:
        raise InvalidInput(MSG_NOMINAL, code="nominal_tidak_valid")
    return nominal


def _kanal(kanal: str) -> str:
    if kanal not in KANAL:
        raise InvalidInput(MSG_KANAL, code="kanal_tidak_valid")
    return kanal


class SiklusPenyaluran(Aggregate):
    """Build it with ``SiklusPenyaluran(siklus_stream_id(...))`` and ``buat(...)``."""

    stream_type = "SiklusPenyaluran"

    def __init__(self, aggregate_id: uuid.UUID):
        super().__init__(aggregate_id)
        self.status = ""
        self.program = ""
        self.periode = ""
        self.tahap = 0
        self.dibuat_oleh = ""
        self.dibuat_oleh_id = ""
        self.instruksi: dict[uuid.UUID, Instruksi] = {}
        self.per_penerima: dict[uuid.UUID, uuid.UUID] = {}
        self.kk_dibayar: set[str] = set()
        self.penutupan: SiklusDitutup | None = None

    # --- the round ------------------------------------------------------------------------
    def buat(
        self,
        *,
        program: str,
        periode: str,
        tahap: int,
        dibuat_oleh: str,
        sekarang: datetime,
        konfigurasi: KonfigurasiBansos,
        dibuat_oleh_id: str = "",
    ) -> None:
        """``dibuat_oleh_id``: the creator's principal id (the four-eyes rule's key)."""
        if self.exists:
            raise tolak_tahap("Siklus penyaluran", self.status, "dibuat lagi")
        aturan = program_untuk(konfigurasi, program, periode)
        if type(tahap) is not int or tahap < 1:
            raise InvalidInput(MSG_TAHAP_SIKLUS, code="tahap_tidak_valid")
        self._record(
            SiklusPenyaluranDibuat(
                siklus_id=self.id,
                program=aturan.kode,
                periode=str(Periode.parse(periode)),
                tahap=tahap,
                dibuat_oleh=wajib_isi(dibuat_oleh, "dibuat_oleh"),
                dibuat_pada=sekarang,
                dibuat_oleh_id=dibuat_oleh_id,
            )
        )

    def ajukan(self, *, oleh: str, sekarang: datetime) -> None:
        if self.status != DRAF:
            raise tolak_tahap("Siklus penyaluran", self.status, "diajukan")
        oleh = wajib_isi(oleh, "diajukan_oleh")
        self._record(SiklusDiajukan(siklus_id=self.id, diajukan_oleh=oleh, diajukan_pada=sekarang))

    def setujui(self, *, oleh: str, sekarang: datetime, oleh_id: str = "") -> None:
        """``oleh_id``: the approver's principal id, compared with the creator's."""
        if self.status != DIAJUKAN:
            raise tolak_tahap("Siklus penyaluran", self.status, "disetujui")
        oleh = wajib_isi(oleh, "disetujui_oleh")
        if petugas_sama((oleh_id, oleh), (self.dibuat_oleh_id, self.dibuat_oleh)):
            raise empat_mata("persetujuan siklus", "membuat siklus")
        self._record(
            SiklusDisetujui(siklus_id=self.id, disetujui_oleh=oleh, disetujui_pada=sekarang)
        )

    def rekonsiliasi(self) -> Rekonsiliasi:
        semua = self.instruksi.values()

        def jumlah(status: str) -> int:
            return sum(i.nominal for i in semua if i.status == status)

        return Rekonsiliasi(
            jumlah_instruksi=len(self.instruksi),
            diinstruksikan=sum(i.nominal for i in semua),
            disalurkan=sum(i.disalurkan for i in semua if i.status == TERSALUR),
            dikembalikan=sum(i.dikembalikan for i in semua if i.status == DIKEMBALIKAN),
            gagal=jumlah(GAGAL),
            dibatalkan=jumlah(DIBATALKAN),
            belum_final=sum(1 for i in semua if i.status not in INSTRUKSI_FINAL),
        )

    def tutup(self, *, oleh: str, sekarang: datetime) -> Rekonsiliasi:
        """Close the round: refused (``rekonsiliasi_tidak_seimbang``, with the figures) while
        an instruction waits for its outcome or a single rupiah is unaccounted for."""
        if self.status not in (DISETUJUI, DISALURKAN):
            raise tolak_tahap("Siklus penyaluran", self.status, "ditutup")
        r = self.rekonsiliasi()
        if not r.seimbang:
            raise RekonsiliasiTidakSeimbang(r)
        self._record(
            SiklusDitutup(
                siklus_id=self.id,
                jumlah_instruksi=r.jumlah_instruksi,
                diinstruksikan=r.diinstruksikan,
                disalurkan=r.disalurkan,
                dikembalikan=r.dikembalikan,
                gagal=r.gagal,
                dibatalkan=r.dibatalkan,
                ditutup_oleh=wajib_isi(oleh, "ditutup_oleh"),
                ditutup_pada=sekarang,
            )
        )
        return r

    # --- instructions -----------------------------------------------------------------------
    def buat_instruksi(
        self,
        *,
        penerima: Penerima,
        fakta: FaktaKelayakan,
        kanal: str,
        sekarang: datetime,
        konfigurasi: KonfigurasiBansos,
    ) -> bool:
        """Instruct the payment of one recipient, checked again on ``fakta`` read now. Already
        instructed in this round: nothing recorded (False). Refused: a recipient not active
        (``penerima_tidak_aktif``) or no longer eligible (``tidak_layak``, with the codes)."""
        if self.status not in (DISETUJUI, DISALURKAN):
            raise tolak_tahap("Siklus penyaluran", self.status, "membuat instruksi")
        if instruksi_id(self.id, penerima.id) in self.instruksi:
            return False
        kanal = _kanal(kanal)
        periode = Periode.parse(self.periode)
        self._periksa_penerima(penerima, periode)
        program = konfigurasi.program_pada(self.program, periode.awal)
        lain = konfigurasi.tidak_bersama(self.program, periode.awal)
        hasil = periksa_kelayakan(penerima.data, fakta, program, periode, tidak_bersama=lain)
        if not hasil.layak:
            raise TidakLayak(hasil.kode_gagal)
        if penerima.nomor_kk_hash in self.kk_dibayar:
            raise InvalidState(MSG_GANDA_DALAM_SIKLUS, code="ganda_dalam_siklus")
        komponen = program.komponen_dihitung(penerima.komponen)
        nominal = program.nominal_per_tahap(penerima.komponen)
        if nominal <= 0:
            raise InvalidState(MSG_NOMINAL_NOL, code="nominal_nol")
        self._record(
            InstruksiPembayaranDibuat(
                instruksi_id=instruksi_id(self.id, penerima.id),
                siklus_id=self.id,
                penerima_id=penerima.id,
                nomor_kk_hash=penerima.nomor_kk_hash,
                nominal=nominal,
                kanal=kanal,
                komponen=komponen,
                dibuat_pada=sekarang,
            )
        )
        return True

    def _periksa_penerima(self, penerima: Penerima, periode: Periode) -> None:
        if penerima.program != self.program:
            raise InvalidState(MSG_PROGRAM_LAIN, code="program_lain")
        if penerima.status != AKTIF:
            message = MSG_PENERIMA_TIDAK_AKTIF.format(status=penerima.status or "-")
            raise InvalidState(message, code="penerima_tidak_aktif")
        if Periode.parse(penerima.periode_mulai).awal > periode.awal:
            raise InvalidState(MSG_BELUM_BERLAKU, code="belum_berlaku")

    def batalkan_instruksi(
        self, *, penerima_id: uuid.UUID, alasan: str, sekarang: datetime
    ) -> bool:
        """The recipient was suspended: cancel its instruction if the money has not left (made,
        or waiting at PT Pos). No instruction, or already cancelled: False. Already paid,
        failed or returned: refused (the officer recovers a payment made, it is not undone)."""
        kunci = self.per_penerima.get(penerima_id)
        if kunci is None or self.instruksi[kunci].status == DIBATALKAN:
            return False
        self._boleh(self.instruksi[kunci], "dibatalkan", {DIBUAT, DIALIHKAN_KE_POS})
        self._record(
            InstruksiDibatalkan(
                instruksi_id=kunci,
                penerima_id=penerima_id,
                alasan=wajib_isi(alasan, "alasan"),
                dibatalkan_pada=sekarang,
            )
        )
        return True

    # --- channel reports --------------------------------------------------------------------
    def catat_disalurkan(
        self, *, instruksi_id: uuid.UUID, kanal: str, ntx: str, nominal: int, sekarang: datetime
    ) -> bool:
        """The channel paid. The same ``ntx`` again: False. The amount is recorded as
        reported, even when it differs: reconciliation is where a difference shows."""
        instruksi = self._instruksi(instruksi_id)
        ntx = wajib_isi(ntx, "ntx")
        if instruksi.status == TERSALUR and instruksi.ntx == ntx:
            return False
        if instruksi.status == TERSALUR:
            raise InvalidState(MSG_SUDAH_DISALURKAN, code="sudah_disalurkan")
        self._boleh(instruksi, "disalurkan", {DIBUAT, DIALIHKAN_KE_POS})
        self._record(
            DanaDisalurkan(
                instruksi_id=instruksi_id,
                kanal=_kanal(kanal),
                ntx=ntx,
                nominal=_rupiah(nominal),
                disalurkan_pada=sekarang,
            )
        )
        return True

    def catat_gagal(self, *, instruksi_id: uuid.UUID, alasan: str, sekarang: datetime) -> bool:
        instruksi = self._instruksi(instruksi_id)
        if instruksi.status == GAGAL:
            return False
        self._boleh(instruksi, "dicatat gagal", {DIBUAT})
        alasan = wajib_isi(alasan, "alasan")
        self._record(
            DanaGagalDisalurkan(instruksi_id=instruksi_id, alasan=alasan, dilaporkan_pada=sekarang)
        )
        return True

    def catat_tidak_diambil(self, *, instruksi_id: uuid.UUID, sekarang: datetime) -> bool:
        instruksi = self._instruksi(instruksi_id)
        if TIDAK_DIAMBIL in instruksi.riwayat:
            return False
        self._boleh(instruksi, "dicatat tidak diambil", {DIBUAT})
        self._record(DanaTidakDiambil(instruksi_id=instruksi_id, dilaporkan_pada=sekarang))
        return True

    def alihkan_ke_pos(self, *, instruksi_id: uuid.UUID, sekarang: datetime) -> bool:
        instruksi = self._instruksi(instruksi_id)
        if DIALIHKAN_KE_POS in instruksi.riwayat:
            return False
        self._boleh(instruksi, "dialihkan ke Pos", {TIDAK_DIAMBIL})
        self._record(PenyaluranDialihkanKePos(instruksi_id=instruksi_id, dialihkan_pada=sekarang))
        return True

    def catat_dikembalikan(
        self, *, instruksi_id: uuid.UUID, nominal: int, referensi: str, sekarang: datetime
    ) -> bool:
        instruksi = self._instruksi(instruksi_id)
        if instruksi.status == DIKEMBALIKAN:
            return False
        self._boleh(instruksi, "dikembalikan", {TIDAK_DIAMBIL, DIALIHKAN_KE_POS})
        self._record(
            DanaDikembalikan(
                instruksi_id=instruksi_id,
                nominal=_rupiah(nominal),
                referensi=wajib_isi(referensi, "referensi"),
                dikembalikan_pada=sekarang,
            )
        )
        return True

    def _instruksi(self, kunci: uuid.UUID) -> Instruksi:
        try:
            return self.instruksi[kunci]
        except KeyError:
            raise InvalidState(
                MSG_INSTRUKSI_TIDAK_DIKENAL, code="instruksi_tidak_dikenal"
            ) from None

    def _boleh(self, instruksi: Instruksi, aksi: str, dari: set[str]) -> None:
        if instruksi.status == DIBATALKAN:
            raise InvalidState(MSG_INSTRUKSI_DIBATALKAN, code="instruksi_dibatalkan")
        if self.status == DITUTUP:
            raise tolak_tahap("Siklus penyaluran", self.status, "menerima laporan")
        if instruksi.status not in dari:
            message = MSG_INSTRUKSI_STATUS.format(status=instruksi.status, aksi=aksi)
            raise InvalidState(message, code="status_instruksi")

    # --- appliers: assignments only -------------------------------------------------------
    def apply_SiklusPenyaluranDibuat(self, e: SiklusPenyaluranDibuat) -> None:
        self.status, self.program, self.periode, self.tahap = DRAF, e.program, e.periode, e.tahap
        self.dibuat_oleh, self.dibuat_oleh_id = e.dibuat_oleh, e.dibuat_oleh_id

    def apply_SiklusDiajukan(self, e: SiklusDiajukan) -> None:
        self.status = DIAJUKAN

    def apply_SiklusDisetujui(self, e: SiklusDisetujui) -> None:
        self.status = DISETUJUI

    def apply_InstruksiPembayaranDibuat(self, e: InstruksiPembayaranDibuat) -> None:
        self.instruksi[e.instruksi_id] = Instruksi(
            e.instruksi_id, e.penerima_id, e.nomor_kk_hash, e.nominal, e.kanal
        )
        self.per_penerima[e.penerima_id] = e.instruksi_id
        self.kk_dibayar.add(e.nomor_kk_hash)
        self.status = DISALURKAN

    def _ke(self, kunci: uuid.UUID, status: str) -> Instruksi:
        instruksi = self.instruksi[kunci]
        instruksi.status = status
        instruksi.riwayat.add(status)
        return instruksi

    def apply_InstruksiDibatalkan(self, e: InstruksiDibatalkan) -> None:
        self._ke(e.instruksi_id, DIBATALKAN)

    def apply_DanaDisalurkan(self, e: DanaDisalurkan) -> None:
        instruksi = self._ke(e.instruksi_id, TERSALUR)
        instruksi.ntx, instruksi.disalurkan = e.ntx, e.nominal

    def apply_DanaGagalDisalurkan(self, e: DanaGagalDisalurkan) -> None:
        self._ke(e.instruksi_id, GAGAL)

    def apply_DanaTidakDiambil(self, e: DanaTidakDiambil) -> None:
        self._ke(e.instruksi_id, TIDAK_DIAMBIL)

    def apply_PenyaluranDialihkanKePos(self, e: PenyaluranDialihkanKePos) -> None:
        self._ke(e.instruksi_id, DIALIHKAN_KE_POS)

    def apply_DanaDikembalikan(self, e: DanaDikembalikan) -> None:
        self._ke(e.instruksi_id, DIKEMBALIKAN).dikembalikan = e.nominal

    def apply_SiklusDitutup(self, e: SiklusDitutup) -> None:
        self.status, self.penutupan = DITUTUP, e
