"""Read side of the pajak context: ``pajak.statistik`` keeps the DJP dashboard's and the
monthly report's pre-aggregated tables (``read_models.py``) from pajak's own feed.

Idempotent per event: every event it counts belongs to a stream that has a row here
(taxpayer, billing code, obligation) remembering the last version applied, so an event
delivered again changes nothing; the kernel moves the checkpoint in the same transaction as
the rows (``project_batch``). A batch of events is applied together: the rows it touches are
read at its start and written at its end, counters summed in memory first
(``egov.eventstore.batch_rows``); one run of this projector at a time holds its checkpoint
lock, so nobody else moves those rows meanwhile.

Days are Jakarta calendar days (``tanggal_wib``): a payment at 23:30 WIB on the 30th counts
on the 30th, whatever the server's time zone.
"""

from __future__ import annotations

from datetime import date

from django.db.models import F

from apps.pajak.domain.events import (
    KewajibanMasaTimbul,
    KodeBillingDibuat,
    KodeBillingKedaluwarsa,
    PembayaranDiterima,
    PeninjauanWajibPajakDibuka,
    PKPDikukuhkan,
    SanksiDendaDitetapkan,
    SPTDilaporkan,
    SPTDisusun,
    SPTMenungguPembayaran,
    SPTPembetulanDilaporkan,
    WajibPajakTerdaftar,
)
from apps.pajak.domain.rules import (
    AKTIF,
    DIBAYAR,
    DILAPORKAN,
    DRAF,
    KEDALUWARSA,
    MENUNGGU_PEMBAYARAN,
    tanggal_wib,
)
from apps.pajak.read_models import (
    READ_MODELS,
    READ_MODELS_WAJIB_PAJAK,
    KepatuhanSPT,
    KewajibanWajibPajak,
    KodeBillingHarian,
    KodeBillingRingkas,
    KodeBillingWajibPajak,
    PembayarBulanan,
    PenerimaanBulanan,
    PenerimaanHarian,
    ProfilWajibPajak,
    StatusKewajiban,
    WajibPajakWilayah,
)
from egov.eventstore.batch_rows import Counters, Rows
from egov.eventstore.domain import is_erased
from egov.eventstore.projections import Projector
from egov.eventstore.pseudonym import mask_nik
from egov.eventstore.store import RecordedEvent


def bulan(hari: date) -> str:
    """``2026-11``: the month key of the monthly tables."""
    return f"{hari.year:04d}-{hari.month:02d}"


def _tenggat(row: StatusKewajiban) -> date | None:
    """The deadline still open: none once filed; the payment deadline while the drafted
    return shows tax to pay; else the filing deadline."""
    if row.dilaporkan_pada is not None:
        return None
    return row.jatuh_tempo_bayar if row.kurang_bayar > 0 else row.jatuh_tempo_lapor


def _tunggakan(row: StatusKewajiban) -> int:
    belum_dibayar = row.kurang_bayar if row.status_spt != DILAPORKAN else 0
    return max(belum_dibayar, 0) + row.denda


def _kunci_spt(row: StatusKewajiban | KewajibanMasaTimbul, provinsi: str) -> dict:
    return {
        "masa": row.masa,
        "jenis_pajak": row.jenis_pajak,
        "kode_provinsi": provinsi,
        "bulan_tenggat": bulan(row.jatuh_tempo_lapor),
    }


class _Batch:
    """The rows one batch of events reads and moves: looked up together at its start,
    written together at its end (``egov.eventstore.batch_rows``)."""

    def __init__(self, alias: str, events: list[RecordedEvent]) -> None:
        self.alias = alias
        self.wilayah = Rows(WajibPajakWilayah, alias)
        self.billing = Rows(KodeBillingRingkas, alias)
        self.kewajiban = Rows(StatusKewajiban, alias)
        self.counters = Counters(alias)
        self.pembayar: dict[tuple, str] = {}  # (bulan, jenis, wajib pajak) -> province
        self._load(events)

    def _load(self, events: list[RecordedEvent]) -> None:
        taxpayers, codes, obligations = set(), set(), set()
        for event in events:
            e = event.event
            if isinstance(e, WajibPajakTerdaftar):
                taxpayers.add(event.stream_id)
            elif isinstance(e, (KodeBillingDibuat, KewajibanMasaTimbul)):
                taxpayers.add(e.wajib_pajak_id)
            if event.stream_type == "KodeBilling" and "kode" in event.payload:
                codes.add(event.payload["kode"])
            elif event.stream_type == "Kewajiban":
                obligations.add(event.stream_id)
        self.wilayah.load(taxpayers)
        self.billing.load(codes)
        self.kewajiban.load(obligations)

    def daerah(self, wajib_pajak_id) -> str:
        row = self.wilayah.get(wajib_pajak_id)
        return row.kode_wilayah if row is not None else ""

    def flush(self) -> None:
        self.wilayah.flush(["jenis_wp", "kode_wilayah", "kode_provinsi"])
        self.billing.flush(["status", "last_version"])
        self.kewajiban.flush(StatistikPajakProjector.KOLOM_KEWAJIBAN)
        self._pembayar_baru()
        self.counters.flush()

    def _pembayar_baru(self) -> None:
        """Taxpayers paying a tax for the first time in a month: one more payer that month."""
        if not self.pembayar:
            return
        rows = PembayarBulanan.objects.using(self.alias)
        known = set(
            rows.filter(
                bulan__in={b for b, _, _ in self.pembayar},
                wajib_pajak_id__in={wp for _, _, wp in self.pembayar},
            ).values_list("bulan", "jenis_pajak", "wajib_pajak_id")
        )
        baru = [key for key in self.pembayar if key not in known]
        rows.bulk_create(
            PembayarBulanan(
                bulan=b, jenis_pajak=j, wajib_pajak_id=wp, kode_provinsi=self.pembayar[b, j, wp]
            )
            for b, j, wp in baru
        )
        for b, j, wp in baru:
            kunci = {"bulan": b, "jenis_pajak": j, "kode_provinsi": self.pembayar[b, j, wp]}
            self.counters.add(PenerimaanBulanan, kunci, jumlah_pembayar=1)
        self.pembayar.clear()


class StatistikPajakProjector(Projector):
    name = "pajak.statistik"
    context = "pajak"
    subscriptions = ("pajak",)
    read_models = READ_MODELS
    KOLOM_KEWAJIBAN = [
        "status_spt",
        "kurang_bayar",
        "denda",
        "dilaporkan_pada",
        "tepat_waktu",
        "tenggat",
        "tunggakan",
        "last_version",
    ]

    def handle(self, event: RecordedEvent) -> None:
        self.handle_batch([event])

    def handle_batch(self, events: list[RecordedEvent]) -> None:
        batch = _Batch(self.alias, events)
        for event in events:
            self._apply(batch, event)
        batch.flush()

    def _apply(self, batch: _Batch, event: RecordedEvent) -> None:
        e = event.event  # typed: the owning context's projectors read decrypted events
        if isinstance(e, WajibPajakTerdaftar):
            self._terdaftar(batch, event, e)
        elif isinstance(e, KodeBillingDibuat):
            self._billing_dibuat(batch, event, e)
        elif isinstance(e, (PembayaranDiterima, KodeBillingKedaluwarsa)):
            self._billing_berubah(batch, event, e)
        elif isinstance(e, KewajibanMasaTimbul):
            self._kewajiban_timbul(batch, event, e)
        elif event.stream_type == "Kewajiban" and e is not None:
            self._kewajiban_berubah(batch, event, e)

    # --- taxpayers ---------------------------------------------------------------------------
    @staticmethod
    def _terdaftar(batch: _Batch, event: RecordedEvent, e: WajibPajakTerdaftar) -> None:
        fields = {
            "jenis_wp": e.jenis,
            "kode_wilayah": e.kode_wilayah,
            "kode_provinsi": e.kode_wilayah[:2],
        }
        row = batch.wilayah.get(event.stream_id)
        if row is None:
            batch.wilayah.add(WajibPajakWilayah(wajib_pajak_id=event.stream_id, **fields))
            return
        for field, value in fields.items():
            setattr(row, field, value)
        batch.wilayah.changed(row)

    # --- billing codes and payments ----------------------------------------------------------
    @staticmethod
    def _billing_dibuat(batch: _Batch, event: RecordedEvent, e: KodeBillingDibuat) -> None:
        if batch.billing.get(e.kode) is not None:
            return  # already applied
        provinsi = batch.daerah(e.wajib_pajak_id)[:2]
        code = KodeBillingRingkas(
            kode=e.kode,
            wajib_pajak_id=e.wajib_pajak_id,
            jenis_pajak=e.jenis_pajak,
            masa=e.masa,
            kode_provinsi=provinsi,
            nominal=e.nominal,
            status=AKTIF,
            dibuat_pada=e.dibuat_pada,
            last_version=event.version,
        )
        batch.billing.add(code)
        kunci = {"tanggal": tanggal_wib(e.dibuat_pada), "jenis_pajak": e.jenis_pajak}
        batch.counters.add(KodeBillingHarian, {**kunci, "kode_provinsi": provinsi}, diterbitkan=1)

    @staticmethod
    def _billing_berubah(
        batch: _Batch, event: RecordedEvent, e: PembayaranDiterima | KodeBillingKedaluwarsa
    ) -> None:
        code = batch.billing.get(e.kode)
        if code is None or event.version <= code.last_version:
            return  # already applied (or a stream that never created its code)
        kunci = {"jenis_pajak": code.jenis_pajak, "kode_provinsi": code.kode_provinsi}
        if isinstance(e, PembayaranDiterima):
            code.status = DIBAYAR
            hari = tanggal_wib(e.tanggal_bayar)
            harian = {"tanggal": hari, **kunci}
            batch.counters.add(KodeBillingHarian, harian, dibayar=1)
            batch.counters.add(
                PenerimaanHarian, harian, jumlah_rupiah=e.nominal, jumlah_transaksi=1
            )
            bulanan = {"bulan": bulan(hari), **kunci}
            batch.counters.add(
                PenerimaanBulanan, bulanan, jumlah_rupiah=e.nominal, jumlah_transaksi=1
            )
            batch.pembayar[bulan(hari), code.jenis_pajak, code.wajib_pajak_id] = code.kode_provinsi
        else:
            code.status = KEDALUWARSA
            hari = tanggal_wib(e.kedaluwarsa)
            batch.counters.add(KodeBillingHarian, {"tanggal": hari, **kunci}, kedaluwarsa=1)
        code.last_version = event.version
        batch.billing.changed(code)

    # --- obligations and returns -------------------------------------------------------------
    @staticmethod
    def _kewajiban_timbul(batch: _Batch, event: RecordedEvent, e: KewajibanMasaTimbul) -> None:
        if batch.kewajiban.get(event.stream_id) is not None:
            return  # already applied
        wilayah = batch.daerah(e.wajib_pajak_id)
        batch.kewajiban.add(
            StatusKewajiban(
                kewajiban_id=event.stream_id,
                wajib_pajak_id=e.wajib_pajak_id,
                jenis_pajak=e.jenis_pajak,
                masa=e.masa,
                kode_wilayah=wilayah,
                kode_provinsi=wilayah[:2],
                jatuh_tempo_bayar=e.jatuh_tempo_bayar,
                jatuh_tempo_lapor=e.jatuh_tempo_lapor,
                tenggat=e.jatuh_tempo_lapor,
                last_version=event.version,
            )
        )
        batch.counters.add(KepatuhanSPT, _kunci_spt(e, wilayah[:2]), wajib_lapor=1)

    @staticmethod
    def _kewajiban_berubah(batch: _Batch, event: RecordedEvent, e) -> None:
        row = batch.kewajiban.get(event.stream_id)
        if row is None or event.version <= row.last_version:
            return  # already applied (or an obligation that never arose)
        if isinstance(e, SPTDisusun):
            row.status_spt, row.kurang_bayar = DRAF, e.kurang_bayar
        elif isinstance(e, SPTMenungguPembayaran):
            row.status_spt = MENUNGGU_PEMBAYARAN
        elif isinstance(e, (SPTDilaporkan, SPTPembetulanDilaporkan)):
            _dilaporkan(batch, row, e.dilaporkan_pada)
        elif isinstance(e, SanksiDendaDitetapkan):
            row.denda += e.nominal
        row.tenggat, row.tunggakan = _tenggat(row), _tunggakan(row)
        row.last_version = event.version
        batch.kewajiban.changed(row)


def _dilaporkan(batch: _Batch, row: StatusKewajiban, pada) -> None:
    row.status_spt = DILAPORKAN
    if row.dilaporkan_pada is not None:
        return  # an amendment: on time or late was decided by the first filing
    row.dilaporkan_pada = pada
    row.tepat_waktu = tanggal_wib(pada) <= row.jatuh_tempo_lapor
    hasil = {"tepat_waktu": 1} if row.tepat_waktu else {"terlambat": 1}
    batch.counters.add(KepatuhanSPT, _kunci_spt(row, row.kode_provinsi), **hasil)


# --- the taxpayer's own records ----------------------------------------------------------------
def _tersamar(npwp) -> str:
    """The NPWP as a person recognises it (``3273**********01``); "" once erased."""
    return "" if npwp is None or is_erased(npwp) else mask_nik(str(npwp))


class WajibPajakProjector(Projector):
    """``pajak.wajib_pajak``: one taxpayer's registration, billing codes (expiry, payment) and
    obligations with their return, for the taxpayer's own pages and the officer of their
    office (``queries_wajib_pajak.py``). One statement per event, idempotent by itself: a
    stream's first event inserts its row unless it is there (``ignore_conflicts``); a later
    event updates it only while the row is behind that event's version. An erased subject's
    masked NPWP is blanked (``DataPribadiDihapus``)."""

    name = "pajak.wajib_pajak"
    context = "pajak"
    subscriptions = ("pajak",)
    read_models = READ_MODELS_WAJIB_PAJAK
    MODELS = {
        "WajibPajak": ProfilWajibPajak,
        "KodeBilling": KodeBillingWajibPajak,
        "Kewajiban": KewajibanWajibPajak,
    }

    def handle(self, event: RecordedEvent) -> None:
        if event.event_type == "DataPribadiDihapus":
            rows = ProfilWajibPajak.objects.using(self.alias)
            rows.filter(subjek_id=event.payload["subject_id"]).update(npwp_tersamar="")
            return
        model = self.MODELS.get(event.stream_type)
        if model is None or event.event is None:
            return
        baru = self._baru(event, event.event)
        if baru is not None:
            model.objects.using(self.alias).bulk_create([baru], ignore_conflicts=True)
            return
        perubahan = self._ubah(event.event)
        if perubahan:
            kunci = event.payload["kode"] if model is KodeBillingWajibPajak else event.stream_id
            rows = model.objects.using(self.alias).filter(pk=kunci, last_version__lt=event.version)
            rows.update(**perubahan, last_version=event.version)

    @staticmethod
    def _baru(event: RecordedEvent, e):
        """The row a stream's first event creates (None for any other event)."""
        if isinstance(e, WajibPajakTerdaftar):
            return ProfilWajibPajak(
                wajib_pajak_id=event.stream_id,
                subjek_id=e.subjek_id,
                jenis_wp=e.jenis,
                npwp_tersamar=_tersamar(e.npwp),
                kode_wilayah=e.kode_wilayah,
                terdaftar_pada=e.terdaftar_pada,
                last_version=event.version,
            )
        if isinstance(e, KodeBillingDibuat):
            return KodeBillingWajibPajak(
                kode=e.kode,
                wajib_pajak_id=e.wajib_pajak_id,
                kewajiban_id=e.kewajiban_id,
                jenis_pajak=e.jenis_pajak,
                masa=e.masa,
                nominal=e.nominal,
                status=AKTIF,
                dibuat_pada=e.dibuat_pada,
                kedaluwarsa=e.kedaluwarsa,
                last_version=event.version,
            )
        if isinstance(e, KewajibanMasaTimbul):
            return KewajibanWajibPajak(
                kewajiban_id=event.stream_id,
                wajib_pajak_id=e.wajib_pajak_id,
                jenis_pajak=e.jenis_pajak,
                masa=e.masa,
                jatuh_tempo_bayar=e.jatuh_tempo_bayar,
                jatuh_tempo_lapor=e.jatuh_tempo_lapor,
                last_version=event.version,
            )
        return None

    @staticmethod
    def _ubah(e) -> dict:  # one branch per event type: the columns it sets
        if isinstance(e, PKPDikukuhkan):
            return {"pkp": True, "tanggal_pkp": e.tanggal_pengukuhan}
        if isinstance(e, PeninjauanWajibPajakDibuka):
            return {"peninjauan": True}
        if isinstance(e, PembayaranDiterima):
            return {
                "status": DIBAYAR,
                "ntpn": e.ntpn,
                "ntb": e.ntb,
                "bank": e.bank,
                "tanggal_bayar": e.tanggal_bayar,
            }
        if isinstance(e, KodeBillingKedaluwarsa):
            return {"status": KEDALUWARSA}
        if isinstance(e, SPTDisusun):
            return {
                "status_spt": DRAF,
                "pembetulan_ke": e.pembetulan_ke,
                "pajak_terutang": e.pajak_terutang,
                "kredit_pajak": e.kredit_pajak,
                "kurang_bayar": e.kurang_bayar,
                "kode_billing": "",
                "bpe": "",
            }
        if isinstance(e, SPTMenungguPembayaran):
            return {"status_spt": MENUNGGU_PEMBAYARAN, "kode_billing": e.kode_billing}
        if isinstance(e, (SPTDilaporkan, SPTPembetulanDilaporkan)):
            return {"status_spt": DILAPORKAN, "bpe": e.bpe, "dilaporkan_pada": e.dilaporkan_pada}
        if isinstance(e, SanksiDendaDitetapkan):
            return {"denda": F("denda") + e.nominal}
        return {}  # TKUDidaftarkan: nothing shown here
