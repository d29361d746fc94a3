"""Read side of the bansos context: ``bansos.ringkasan`` keeps every table of
``read_models.py`` from bansos's own feed (decrypted: it is the owning context's projector).

One projector, because its tables lean on each other: an instruction is counted in its
household's province and a disbursement is a tranche of that household, so they must see the
household's row as it stands at that point of the feed.

Idempotent per event: a household's events are applied only while its row is behind their
version, a round's only while the round's row is, an instruction's (its own stream: the
channels' reports, a cancellation) only while the instruction's row is, so an event delivered
again changes nothing; the kernel moves the checkpoint in the same
transaction as the rows (``project_batch``). A batch is applied as a whole
(``egov.eventstore.batch_rows``): rows read at its start, changed in memory, written at its
end, counters summed first; one run of this projector at a time holds its checkpoint lock.

An erasure (``DataPribadiDihapus``) splits the batch: what came before is written, the erased
subject's sealed columns are blanked and its "Bantuan saya" rows deleted in the database, and
the batch goes on. A rebuild after the erasure reads those fields as ERASED and ends with the
same rows.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator

from apps.bansos.domain import kelayakan as aturan
from apps.bansos.domain.events import (
    DanaDikembalikan,
    DanaDisalurkan,
    DanaGagalDisalurkan,
    DanaTidakDiambil,
    InstruksiDibatalkan,
    InstruksiPembayaranDibuat,
    KeberatanDiajukan,
    KeberatanDijawab,
    KepatuhanDicatat,
    PenerimaDiaktifkanKembali,
    PenerimaDigraduasi,
    PenerimaDikeluarkan,
    PenerimaDitangguhkan,
    PenerimaDitetapkan,
    PenyaluranDialihkanKePos,
    SiklusDiajukan,
    SiklusDisetujui,
    SiklusDitutup,
    SiklusPenyaluranDibuat,
    UsulanDitolak,
    UsulanDiverifikasi,
    UsulanPenerimaDiajukan,
)
from apps.bansos.domain.rules import (
    AKTIF,
    DIAJUKAN,
    DIALIHKAN_KE_POS,
    DIBATALKAN,
    DIBUAT,
    DIGRADUASI,
    DIKELUARKAN,
    DIKEMBALIKAN,
    DISALURKAN,
    DISETUJUI,
    DITANGGUHKAN,
    DITOLAK,
    DITUTUP,
    DIVERIFIKASI,
    DRAF,
    GAGAL,
    MSG_BUKAN_ANGGOTA_KK,
    MSG_DESIL_BELUM_DIPADANKAN,
    MSG_DESIL_DI_ATAS_BATAS,
    MSG_DIKECUALIKAN,
    MSG_GANDA_KK,
    MSG_GANDA_NIK,
    MSG_MENINGGAL,
    MSG_NIK_BELUM_TERVERIFIKASI,
    MSG_NIK_DI_BANYAK_KK,
    MSG_NIK_NONAKTIF,
    MSG_REKENING_BERSAMA,
    MSG_TUMPANG_TINDIH,
    TERSALUR,
    TIDAK_DIAMBIL,
)
from apps.bansos.read_models import (
    READ_MODELS,
    BantuanWarga,
    InstruksiRingkas,
    SiklusRingkas,
    StatistikPenerima,
    StatistikPenyaluran,
    UsulanRingkas,
)
from egov.eventstore.batch_rows import Counters, Rows
from egov.eventstore.domain import is_erased
from egov.eventstore.projections import Projector
from egov.eventstore.store import RecordedEvent

# Why each rule fails, for the eligibility page (the event carries the codes only).
ALASAN_ATURAN = {
    aturan.NIK_BELUM_TERVERIFIKASI: MSG_NIK_BELUM_TERVERIFIKASI,
    aturan.NIK_NONAKTIF: MSG_NIK_NONAKTIF,
    aturan.MENINGGAL_DUNIA: MSG_MENINGGAL,
    aturan.NIK_DI_BANYAK_KK: MSG_NIK_DI_BANYAK_KK,
    aturan.BUKAN_ANGGOTA_KK: MSG_BUKAN_ANGGOTA_KK,
    aturan.GANDA_NIK: MSG_GANDA_NIK,
    aturan.GANDA_KK: MSG_GANDA_KK,
    aturan.DIKECUALIKAN: MSG_DIKECUALIKAN,
    aturan.DESIL_DI_ATAS_BATAS: MSG_DESIL_DI_ATAS_BATAS,
    aturan.TUMPANG_TINDIH_PROGRAM: MSG_TUMPANG_TINDIH,
    aturan.REKENING_BERSAMA: MSG_REKENING_BERSAMA,
    aturan.DESIL_BELUM_DIPADANKAN: MSG_DESIL_BELUM_DIPADANKAN,
}
# An instruction's status -> the round's columns it is counted in (jumlah_<x>, rupiah_<x>).
KOLOM_STATUS_INSTRUKSI = {
    DIBUAT: "menunggu",
    TERSALUR: "disalurkan",
    GAGAL: "gagal",
    TIDAK_DIAMBIL: "tidak_diambil",
    DIALIHKAN_KE_POS: "dialihkan",
    DIKEMBALIKAN: "dikembalikan",
    DIBATALKAN: "dibatalkan",
}
# A household's status -> the dashboard's column it is counted in (proposals are not).
KOLOM_STATUS_PENERIMA = {
    AKTIF: "aktif",
    DITANGGUHKAN: "ditangguhkan",
    DIGRADUASI: "digraduasi",
    DIKELUARKAN: "dikeluarkan",
}
KOLOM_USULAN = [f.name for f in UsulanRingkas._meta.fields if not f.primary_key]
KOLOM_SIKLUS = [f.name for f in SiklusRingkas._meta.fields if not f.primary_key]
KOLOM_INSTRUKSI = [f.name for f in InstruksiRingkas._meta.fields if not f.primary_key]
KOLOM_WARGA = ["status", "alasan_penangguhan", "tahap_diterima", "rupiah_diterima", "kepatuhan"]
KOLOM_WARGA_SEMUA = [*KOLOM_WARGA, "program", "periode", "diperbarui_pada"]


def bantuan_warga_id(penerima_id: uuid.UUID, nik_hash: str) -> uuid.UUID:
    """One row per household and member: derived, so a rebuild makes the same ids."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"egov:bansos:bantuan:{penerima_id}:{nik_hash}")


def hasil_aturan(kode: Iterable[str], temuan) -> list[dict]:
    """The rules a verification names, in its order, each with its reason and the members
    it is about (none once the pengurus's data is erased: ``temuan`` is sealed)."""
    anggota: dict[str, list[str]] = defaultdict(list)
    for kode_temuan, nik_hash in () if is_erased(temuan) else temuan:
        if nik_hash:
            anggota[kode_temuan].append(nik_hash)
    return [{"kode": k, "alasan": ALASAN_ATURAN.get(k, ""), "anggota": anggota[k]} for k in kode]


def _teks(nilai) -> str:
    return "" if is_erased(nilai) else nilai


class _Batch:
    """The rows one run of events reads and moves: looked up together at its start, written
    together at its end."""

    def __init__(self, alias: str, events: list[RecordedEvent]) -> None:
        self.alias = alias
        self.usulan = Rows(UsulanRingkas, alias)
        self.siklus = Rows(SiklusRingkas, alias)
        self.instruksi = Rows(InstruksiRingkas, alias)
        self.counters = Counters(alias)
        self.anggota_baru: dict[uuid.UUID, list[str]] = {}  # household -> members to add
        self.usulan_berubah: set[uuid.UUID] = set()  # whose members' rows follow it
        self._load(events)

    def _load(self, events: list[RecordedEvent]) -> None:
        households, rounds, instructions = set(), set(), set()
        for event in events:
            e = event.event
            if event.stream_type == "Penerima":
                households.add(event.stream_id)
            elif event.stream_type == "SiklusPenyaluran":
                rounds.add(event.stream_id)
            elif event.stream_type == "InstruksiPembayaran":
                instructions.add(event.stream_id)
                if isinstance(e, InstruksiPembayaranDibuat):
                    rounds.add(e.siklus_id)
                    households.add(e.penerima_id)
        self.instruksi.load(instructions)
        known = [r for r in map(self.instruksi.get, instructions) if r]
        self.siklus.load(rounds | {r.siklus_id for r in known})
        self.usulan.load(households | {r.penerima_id for r in known})

    def ubah_status(self, row: UsulanRingkas, status: str) -> None:
        """Move the household to ``status``, and the dashboard's counts with it."""
        kunci = {"program": row.program, "kode_provinsi": row.kode_provinsi}
        if row.status in KOLOM_STATUS_PENERIMA:
            self.counters.add(StatistikPenerima, kunci, **{KOLOM_STATUS_PENERIMA[row.status]: -1})
        if status in KOLOM_STATUS_PENERIMA:
            self.counters.add(StatistikPenerima, kunci, **{KOLOM_STATUS_PENERIMA[status]: 1})
        row.status = status

    def usulan_diubah(self, row: UsulanRingkas, event: RecordedEvent) -> None:
        row.diperbarui_pada = event.recorded_at
        self.usulan.changed(row)
        self.usulan_berubah.add(row.penerima_id)

    def flush(self) -> None:
        self.usulan.flush(KOLOM_USULAN)
        self.siklus.flush(KOLOM_SIKLUS)
        self.instruksi.flush(KOLOM_INSTRUKSI)
        self._flush_warga()
        self.counters.flush()

    def _flush_warga(self) -> None:
        """Members' rows: new ones for new households, the others copied from their
        household as it now stands."""
        rows = BantuanWarga.objects.using(self.alias)
        rows.bulk_create(
            _warga(self.usulan.get(penerima_id), nik_hash)
            for penerima_id, members in self.anggota_baru.items()
            for nik_hash in members
        )
        lama = self.usulan_berubah - set(self.anggota_baru)
        changed = list(rows.filter(penerima_id__in=lama)) if lama else []
        for warga in changed:
            usulan = self.usulan.get(warga.penerima_id)
            for kolom in (*KOLOM_WARGA, "diperbarui_pada"):
                setattr(warga, kolom, getattr(usulan, kolom))
        if changed:
            rows.bulk_update(changed, [*KOLOM_WARGA, "diperbarui_pada"])
        self.anggota_baru.clear()
        self.usulan_berubah.clear()


def _warga(usulan: UsulanRingkas, nik_hash: str) -> BantuanWarga:
    return BantuanWarga(
        id=bantuan_warga_id(usulan.penerima_id, nik_hash),
        nik_hash=nik_hash,
        penerima_id=usulan.penerima_id,
        **{kolom: getattr(usulan, kolom) for kolom in KOLOM_WARGA_SEMUA},
    )


def _segments(events: list[RecordedEvent]) -> Iterator[RecordedEvent | list[RecordedEvent]]:
    """The batch cut at each erasure: runs of ordinary events, and each erasure alone."""
    run: list[RecordedEvent] = []
    for event in events:
        if event.event_type == "DataPribadiDihapus":
            if run:
                yield run
            run = []
            yield event
        else:
            run.append(event)
    if run:
        yield run


class RingkasanBansosProjector(Projector):
    name = "bansos.ringkasan"
    context = "bansos"
    subscriptions = ("bansos",)
    read_models = READ_MODELS

    def handle(self, event: RecordedEvent) -> None:
        self.handle_batch([event])

    def handle_batch(self, events: list[RecordedEvent]) -> None:
        for segment in _segments(events):
            if isinstance(segment, list):
                batch = _Batch(self.alias, segment)
                for event in segment:
                    self._apply(batch, event)
                batch.flush()
            else:
                self._hapus_data_pribadi(segment.payload["subject_id"])

    def _apply(self, batch: _Batch, event: RecordedEvent) -> None:
        if event.event is None:
            return
        if event.stream_type == "Penerima":
            _Penerima.apply(batch, event, event.event)
        elif event.stream_type == "SiklusPenyaluran":
            _Siklus.apply(batch, event, event.event)
        elif event.stream_type == "InstruksiPembayaran":
            _Instruksi.apply(batch, event, event.event)

    def _hapus_data_pribadi(self, subjek: str) -> None:
        """Blank what the events sealed with ``subjek``'s key (a household whose pengurus
        they are), and drop the "Bantuan saya" rows of those households and of ``subjek``."""
        usulan = UsulanRingkas.objects.using(self.alias).filter(pengurus_nik_hash=subjek)
        milik = list(usulan)
        for row in milik:
            row.desil, row.jumlah_anggota, row.komponen, row.keterangan = None, 0, [], ""
            row.kepatuhan = []
            row.gagal = [{**t, "anggota": []} for t in row.gagal]
            row.tinjau = [{**t, "anggota": []} for t in row.tinjau]
        fields = ["desil", "jumlah_anggota", "komponen", "keterangan", "gagal", "tinjau"]
        fields.append("kepatuhan")
        UsulanRingkas.objects.using(self.alias).bulk_update(milik, fields)
        warga = BantuanWarga.objects.using(self.alias)
        warga.filter(penerima_id__in=[row.penerima_id for row in milik]).delete()
        warga.filter(nik_hash=subjek).delete()


class _Penerima:
    """A household's own events (stream ``Penerima``)."""

    @classmethod
    def apply(cls, batch: _Batch, event: RecordedEvent, e) -> None:
        if isinstance(e, UsulanPenerimaDiajukan):
            cls.diajukan(batch, event, e)
            return
        row = batch.usulan.get(event.stream_id)
        if row is None or event.version <= row.last_version:
            return  # already applied (or a stream whose proposal is unknown)
        handler = getattr(cls, type(e).__name__, None)
        if handler is not None:
            handler(batch, row, e)
        row.last_version = event.version
        batch.usulan_diubah(row, event)

    @staticmethod
    def diajukan(batch: _Batch, event: RecordedEvent, e: UsulanPenerimaDiajukan) -> None:
        if batch.usulan.get(event.stream_id) is not None:
            return  # already applied
        anggota = [] if is_erased(e.anggota) else [nik for nik, _ in e.anggota]
        row = UsulanRingkas(
            penerima_id=event.stream_id,
            program=e.program,
            periode=e.periode,
            kode_wilayah=e.kode_wilayah,
            kode_provinsi=e.kode_wilayah[:2],
            nomor_kk_hash=e.nomor_kk_hash,
            pengurus_nik_hash=e.pengurus_nik_hash,
            jumlah_anggota=len(anggota),
            desil=None if is_erased(e.desil) else e.desil,
            status=DIAJUKAN,
            diajukan_oleh=e.diajukan_oleh,
            diajukan_pada=e.diajukan_pada,
            diperbarui_pada=event.recorded_at,
            last_version=event.version,
        )
        batch.usulan.add(row)
        batch.anggota_baru[row.penerima_id] = anggota

    @staticmethod
    def UsulanDiverifikasi(batch: _Batch, row: UsulanRingkas, e: UsulanDiverifikasi) -> None:
        batch.ubah_status(row, DIVERIFIKASI)
        row.layak = e.layak
        row.gagal, row.tinjau = hasil_aturan(e.gagal, e.temuan), hasil_aturan(e.tinjau, e.temuan)
        row.desil = None if is_erased(e.desil) else e.desil
        row.diverifikasi_oleh, row.diverifikasi_pada = e.diverifikasi_oleh, e.diverifikasi_pada

    @staticmethod
    def UsulanDitolak(batch: _Batch, row: UsulanRingkas, e: UsulanDitolak) -> None:
        batch.ubah_status(row, DITOLAK)
        row.keterangan = _teks(e.alasan)
        row.diputuskan_oleh, row.diputuskan_pada = e.ditolak_oleh, e.ditolak_pada

    @staticmethod
    def PenerimaDitetapkan(batch: _Batch, row: UsulanRingkas, e: PenerimaDitetapkan) -> None:
        batch.ubah_status(row, AKTIF)
        row.komponen = [] if is_erased(e.komponen) else list(e.komponen)
        row.dasar_hukum = e.dasar_hukum
        row.diputuskan_oleh, row.diputuskan_pada = e.ditetapkan_oleh, e.ditetapkan_pada

    @staticmethod
    def PenerimaDitangguhkan(batch: _Batch, row: UsulanRingkas, e: PenerimaDitangguhkan) -> None:
        batch.ubah_status(row, DITANGGUHKAN)
        row.alasan_penangguhan, row.keterangan = e.alasan, _teks(e.keterangan)

    @staticmethod
    def PenerimaDiaktifkanKembali(
        batch: _Batch, row: UsulanRingkas, e: PenerimaDiaktifkanKembali
    ) -> None:
        batch.ubah_status(row, AKTIF)
        row.alasan_penangguhan, row.keterangan = "", _teks(e.keterangan)

    @staticmethod
    def PenerimaDigraduasi(batch: _Batch, row: UsulanRingkas, e: PenerimaDigraduasi) -> None:
        batch.ubah_status(row, DIGRADUASI)
        row.alasan_penangguhan, row.keterangan = "", _teks(e.keterangan)

    @staticmethod
    def PenerimaDikeluarkan(batch: _Batch, row: UsulanRingkas, e: PenerimaDikeluarkan) -> None:
        batch.ubah_status(row, DIKELUARKAN)
        row.alasan_penangguhan, row.keterangan = "", _teks(e.alasan)

    @staticmethod
    def KepatuhanDicatat(batch: _Batch, row: UsulanRingkas, e: KepatuhanDicatat) -> None:
        """The latest word per period and component (a correction replaces it)."""
        if is_erased(e.komponen) or is_erased(e.patuh):
            return  # sealed with a destroyed key: nothing to show
        lain = [
            k for k in row.kepatuhan if (k["periode"], k["komponen"]) != (e.periode, e.komponen)
        ]
        baru = {"periode": e.periode, "komponen": e.komponen, "patuh": e.patuh, "sumber": e.sumber}
        row.kepatuhan = sorted([*lain, baru], key=lambda k: (k["periode"], k["komponen"]))

    @staticmethod
    def KeberatanDiajukan(batch: _Batch, row: UsulanRingkas, e: KeberatanDiajukan) -> None:
        row.keberatan_terbuka = True

    @staticmethod
    def KeberatanDijawab(batch: _Batch, row: UsulanRingkas, e: KeberatanDijawab) -> None:
        row.keberatan_terbuka = False


class _Siklus:
    """A round's own events (stream ``SiklusPenyaluran``)."""

    @classmethod
    def apply(cls, batch: _Batch, event: RecordedEvent, e) -> None:
        if isinstance(e, SiklusPenyaluranDibuat):
            cls.dibuat(batch, event, e)
            return
        siklus = batch.siklus.get(event.stream_id)
        if siklus is None or event.version <= siklus.last_version:
            return  # already applied (or a round never created)
        cls.tahap(siklus, e)
        siklus.last_version = event.version
        batch.siklus.changed(siklus)

    @staticmethod
    def dibuat(batch: _Batch, event: RecordedEvent, e: SiklusPenyaluranDibuat) -> None:
        if batch.siklus.get(event.stream_id) is not None:
            return  # already applied
        batch.siklus.add(
            SiklusRingkas(
                siklus_id=event.stream_id,
                program=e.program,
                periode=e.periode,
                tahap=e.tahap,
                status=DRAF,
                dibuat_oleh=e.dibuat_oleh,
                dibuat_pada=e.dibuat_pada,
                last_version=event.version,
            )
        )

    @staticmethod
    def tahap(siklus: SiklusRingkas, e) -> None:
        if isinstance(e, SiklusDiajukan):
            siklus.status = DIAJUKAN
            siklus.diajukan_oleh, siklus.diajukan_pada = e.diajukan_oleh, e.diajukan_pada
        elif isinstance(e, SiklusDisetujui):
            siklus.status = DISETUJUI
            siklus.disetujui_oleh, siklus.disetujui_pada = e.disetujui_oleh, e.disetujui_pada
        elif isinstance(e, SiklusDitutup):
            siklus.status = DITUTUP
            siklus.ditutup_oleh, siklus.ditutup_pada = e.ditutup_oleh, e.ditutup_pada



class _Instruksi:
    """An instruction's events (its own stream ``InstruksiPembayaran``): counted in its
    round's columns and its household's tranches. Idempotent by the instruction row's
    version."""

    @classmethod
    def apply(cls, batch: _Batch, event: RecordedEvent, e) -> None:
        if isinstance(e, InstruksiPembayaranDibuat):
            siklus = batch.siklus.get(e.siklus_id)
            if batch.instruksi.get(event.stream_id) is None and siklus is not None:
                cls.dibuat(batch, event, siklus, e)
                batch.siklus.changed(siklus)
            return
        row = batch.instruksi.get(event.stream_id)
        if row is None or event.version <= row.last_version:
            return  # already applied (or an instruction never made)
        siklus = batch.siklus.get(row.siklus_id)
        if siklus is None:
            return
        cls.laporan(batch, event, siklus, row, e)
        row.last_version = event.version
        batch.siklus.changed(siklus)

    @staticmethod
    def dibuat(
        batch: _Batch, event: RecordedEvent, siklus: SiklusRingkas, e: InstruksiPembayaranDibuat
    ) -> None:
        usulan = batch.usulan.get(e.penerima_id)
        wilayah = usulan.kode_wilayah if usulan is not None else ""
        provinsi = wilayah[:2]
        row = InstruksiRingkas(
            instruksi_id=e.instruksi_id,
            siklus_id=siklus.siklus_id,
            penerima_id=e.penerima_id,
            kode_wilayah=wilayah,
            kode_provinsi=provinsi,
            nominal=e.nominal,
            kanal=e.kanal,
            status=DIBUAT,
            dibuat_pada=e.dibuat_pada,
            diperbarui_pada=e.dibuat_pada,
            last_version=event.version,
        )
        batch.instruksi.add(row)
        siklus.status = DISALURKAN
        siklus.jumlah_instruksi += 1
        siklus.rupiah_instruksi += e.nominal
        _hitung(siklus, row, 1)
        kunci = {"program": siklus.program, "kode_provinsi": provinsi, "periode": siklus.periode}
        batch.counters.add(
            StatistikPenyaluran, kunci, jumlah_instruksi=1, rupiah_instruksi=e.nominal
        )
        if usulan is not None:
            usulan.nominal_per_tahap = e.nominal
            batch.usulan_diubah(usulan, event)

    @staticmethod
    def laporan(
        batch: _Batch, event: RecordedEvent, siklus: SiklusRingkas, row: InstruksiRingkas, e
    ) -> None:
        """A channel's report or a cancellation: the instruction moves from one of the
        round's columns to another."""
        _hitung(siklus, row, -1)
        _lapor(row, e)
        _hitung(siklus, row, 1)
        row.diperbarui_pada = event.recorded_at
        batch.instruksi.changed(row)
        kunci = {"program": siklus.program, "kode_provinsi": row.kode_provinsi}
        kunci["periode"] = siklus.periode
        if isinstance(e, DanaDisalurkan):
            batch.counters.add(
                StatistikPenyaluran, kunci, jumlah_disalurkan=1, rupiah_disalurkan=e.nominal
            )
            usulan = batch.usulan.get(row.penerima_id)
            if usulan is not None:
                usulan.tahap_diterima += 1
                usulan.rupiah_diterima += e.nominal
                batch.usulan_diubah(usulan, event)
        elif isinstance(e, DanaDikembalikan):
            batch.counters.add(
                StatistikPenyaluran, kunci, jumlah_dikembalikan=1, rupiah_dikembalikan=e.nominal
            )


def _lapor(row: InstruksiRingkas, e) -> None:
    """The instruction's own columns after a report (assignments only)."""
    if isinstance(e, DanaDisalurkan):
        row.status, row.kanal, row.ntx, row.nominal_disalurkan = TERSALUR, e.kanal, e.ntx, e.nominal
    elif isinstance(e, DanaGagalDisalurkan):
        row.status, row.alasan = GAGAL, e.alasan
    elif isinstance(e, DanaTidakDiambil):
        row.status = TIDAK_DIAMBIL
    elif isinstance(e, PenyaluranDialihkanKePos):
        row.status = DIALIHKAN_KE_POS
    elif isinstance(e, DanaDikembalikan):
        row.status, row.nominal_dikembalikan, row.referensi = DIKEMBALIKAN, e.nominal, e.referensi
    elif isinstance(e, InstruksiDibatalkan):
        row.status, row.alasan = DIBATALKAN, e.alasan


def _hitung(siklus: SiklusRingkas, row: InstruksiRingkas, arah: int) -> None:
    """Count ``row`` in (``arah`` 1) or out of (-1) its status's columns of the round, at
    the amount that status stands for: what was paid, what was returned, else instructed."""
    kolom = KOLOM_STATUS_INSTRUKSI[row.status]
    if row.status == TERSALUR:
        rupiah = row.nominal_disalurkan
    elif row.status == DIKEMBALIKAN:
        rupiah = row.nominal_dikembalikan
    else:
        rupiah = row.nominal
    setattr(siklus, f"jumlah_{kolom}", getattr(siklus, f"jumlah_{kolom}") + arah)
    setattr(siklus, f"rupiah_{kolom}", getattr(siklus, f"rupiah_{kolom}") + arah * rupiah)
