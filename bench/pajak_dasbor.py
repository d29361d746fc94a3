"""The DJP dashboard and the monthly report at scale on PostgreSQL: egov's pre-aggregated read
tables beside the baseline, the same figures computed by scanning the events.

Workload: ``--payments`` billing codes paid (two events each, ``KodeBillingDibuat`` and
``PembayaranDiterima``) over the 365 Jakarta days up to today, by ``--taxpayers`` companies
spread over every regency, four taxes, amounts from Rp50.000 to Rp10 juta.

How the data is written (1 million payments are 2 million events):
- Taxpayers: their ``WajibPajakTerdaftar`` events rows built by pajak's own store (the codec
  encrypts NPWP and name with a key per subject), inserted 1,000 per statement.
- Codes and payments: the events' payloads are the domain events' own ``to_payload()`` (they
  carry no personal field, so the codec would leave them as they are), COPYed into
  ``pajak_event``.
- Read tables: the rows the ``pajak.statistik`` projector would write, aggregated while
  generating and COPYed into ``pajak_read``; the projector's checkpoint is set to the last
  event. Why not run the projector: at the rate the consistency check measures (a few
  hundred events/s here), 2 million events would take hours on this 2-core machine. That the
  generated rows are exactly the projector's is checked first, on ``--check`` payments: the
  real projector projects them and every table is compared with the generator's rows.

Timed (``--runs`` times each; p50 and p95 in ms):
- dashboard: ``queries.dasbor(today)`` (pre-aggregated) vs the same receipts (today and this
  month, by tax and province) and billing codes issued / paid computed from the events;
- the dashboard endpoint ``GET /api/v1/pajak/dasbor/`` through Django (a DJP officer's
  session), the whole request;
- monthly report for the previous month: rows (``laporan_bulanan``), CSV and XLSX files vs the
  same rows (receipts, transactions, distinct payers per tax and province) from the events.
The numbers of both sides are compared and must be equal.

Usage: POSTGRES_URL=postgres://postgres@127.0.0.1:5432 .venv/bin/python bench/pajak_dasbor.py
       [--payments 1000000] [--taxpayers 20000] [--runs 30] [--baseline-runs 3] [--check 3000]
Uses its own databases (egov_bench_*), created and migrated on first run; emptied each run.
"""

import argparse
import io
import json
import os
import random
import statistics
import sys
import time
import uuid
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings_test")
os.environ["EGOV_DB_PREFIX"] = "egov_bench"
if not os.environ.get("POSTGRES_URL"):
    sys.exit("set POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432)")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from stdnum import luhn  # noqa: E402

from apps.pajak import laporan, queries  # noqa: E402
from apps.pajak.commands import subjek_badan  # noqa: E402
from apps.pajak.domain.events import (  # noqa: E402
    KodeBillingDibuat,
    PembayaranDiterima,
    WajibPajakTerdaftar,
)
from apps.pajak.domain.kode_billing import kode_billing_stream_id  # noqa: E402
from apps.pajak.domain.rules import BADAN, DIBAYAR, JENIS_PAJAK, WIB, tanggal_wib  # noqa: E402
from apps.pajak.domain.wajib_pajak import wajib_pajak_stream_id  # noqa: E402
from apps.pajak.projections import StatistikPajakProjector, bulan  # noqa: E402
from apps.pajak.read_models import READ_MODELS  # noqa: E402
from apps.pajak.roles import GRUP_PETUGAS  # noqa: E402
from apps.pajak.store import store  # noqa: E402
from egov import clock, wilayah  # noqa: E402
from egov.db import atomic  # noqa: E402
from egov.eventstore import projections  # noqa: E402
from egov.eventstore.domain import EventMetadata  # noqa: E402
from egov.eventstore.models import Checkpoint  # noqa: E402
from egov.eventstore.store import PendingEvent  # noqa: E402

ALIAS, READ = "pajak", "pajak_read"
META = EventMetadata(actor="bench", source="bench")
JENIS = (("PPH21", "2026-10"), ("PPN", "2026-10"), ("PPH_BADAN", "2025"), ("PPH21", "2026-09"))
COLUMNS = store.COLUMNS  # an event row as an append writes it


# --- databases -------------------------------------------------------------------------------
def prepare() -> None:
    call_command("create_databases", stdout=open(os.devnull, "w"))  # noqa: SIM115
    for alias in ("default", ALIAS, READ):
        call_command("migrate", database=alias, verbosity=0)
    projections.set_dispatcher(lambda _name: None)  # nothing runs after a commit here


def empty() -> None:
    """Every event, key, index and read row of pajak, and the read side's checkpoints (the
    append-only triggers bypassed as an operator would: ``session_replication_role``)."""
    from apps.pajak import models as m
    from apps.pajak.read_models import READ_MODELS_WAJIB_PAJAK

    tables = {
        ALIAS: [
            m.PajakEvent,
            m.PajakSubjectKey,
            m.PajakIdempotencyRecord,
            m.IndeksWajibPajak,
            m.IndeksKodeBilling,
            m.IndeksKewajiban,
            m.NomorBPE,
        ],
        READ: [*READ_MODELS, *READ_MODELS_WAJIB_PAJAK, Checkpoint],
    }
    for alias, models in tables.items():
        with connections[alias].cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
            cursor.execute(f"TRUNCATE {', '.join(x._meta.db_table for x in models)}")
            cursor.execute("SET session_replication_role = DEFAULT")


# --- the workload ----------------------------------------------------------------------------
class Beban:
    """Generates the events and, beside them, the rows ``pajak.statistik`` would write."""

    def __init__(self, hari_ini: date, taxpayers: int, seed: int = 2026):
        self.rng = random.Random(seed)
        self.hari_ini = hari_ini
        regencies = [r.kode for p in wilayah.anak() for r in wilayah.anak(p.kode)]
        self.wp = [self._wajib_pajak(i, regencies) for i in range(taxpayers)]
        self.wilayah = {}
        self.harian = defaultdict(lambda: [0, 0])
        self.bulanan = defaultdict(lambda: [0, 0, 0])
        self.pembayar = {}
        self.billing = defaultdict(lambda: [0, 0, 0])
        self.ringkas = []

    def _wajib_pajak(self, i: int, regencies: list[str]) -> tuple:
        base = f"{10_000_000 + i:08d}"
        npwp = f"0{base}{luhn.calc_check_digit(base)}001000"
        subjek = subjek_badan(npwp)
        return wajib_pajak_stream_id(subjek), subjek, npwp, self.rng.choice(regencies)

    def taxpayer_rows(self):
        """Registration rows as pajak's store builds them (personal fields encrypted)."""
        terdaftar = datetime(2024, 1, 2, 9, 0, tzinfo=WIB)
        for wp_id, subjek, npwp, kode_wilayah in self.wp:
            event = WajibPajakTerdaftar(
                subjek_id=subjek,
                jenis=BADAN,
                npwp=npwp,
                nama=f"PT Bench {npwp[-9:]}",
                kode_wilayah=kode_wilayah,
                terdaftar_pada=terdaftar,
            )
            self.wilayah[wp_id] = kode_wilayah
            yield store._row(wp_id, "WajibPajak", 1, PendingEvent(event), META)

    def payment_rows(self, n: int):
        """COPY rows (two events per payment) and, beside them, the projector's rows."""
        metadata = json.dumps(META.to_dict())
        recorded = datetime.now(tz=WIB).isoformat()
        awal = datetime.combine(self.hari_ini - timedelta(days=364), datetime.min.time(), WIB)
        for i in range(n):
            wp_id, subjek, _npwp, kode_wilayah = self.rng.choice(self.wp)
            jenis, masa = JENIS[i % len(JENIS)]
            kode = f"2{i:014d}"
            nominal = self.rng.randrange(1, 200) * 50_000
            dibuat = awal + timedelta(seconds=self.rng.randrange(365 * 86400))
            dibayar = dibuat + timedelta(minutes=self.rng.randrange(1, 600))
            if tanggal_wib(dibayar) > self.hari_ini:
                dibayar = dibuat + timedelta(minutes=1)
            pajak = JENIS_PAJAK[jenis]
            created = KodeBillingDibuat(
                kode=kode,
                wajib_pajak_id=wp_id,
                subjek_id=subjek,
                jenis_pajak=jenis,
                kap=pajak.kap,
                kjs=pajak.kjs,
                masa=masa,
                nominal=nominal,
                dibuat_pada=dibuat,
                kedaluwarsa=dibuat + timedelta(days=14),
            )
            paid = PembayaranDiterima(
                kode=kode,
                ntpn=f"B{i:015d}",
                ntb=f"NTB{i}",
                tanggal_bayar=dibayar,
                nominal=nominal,
                bank="Bank Bench",
            )
            stream = kode_billing_stream_id(kode)
            for version, event, subject in ((1, created, subjek), (2, paid, "")):
                yield (
                    uuid.uuid4(),
                    stream,
                    "KodeBilling",
                    version,
                    event.event_type(),
                    1,
                    json.dumps(event.to_payload()),
                    metadata,
                    subject,
                    recorded,
                )
            self._count(kode, wp_id, jenis, masa, kode_wilayah[:2], nominal, dibuat, dibayar)

    def _count(self, kode, wp_id, jenis, masa, prov, nominal, dibuat, dibayar) -> None:
        """What ``StatistikPajakProjector`` does for a code issued and then paid."""
        self.ringkas.append((kode, wp_id, jenis, masa, prov, nominal, DIBAYAR, dibuat, 2))
        self.billing[(tanggal_wib(dibuat), jenis, prov)][0] += 1
        hari = tanggal_wib(dibayar)
        self.billing[(hari, jenis, prov)][1] += 1
        cell = self.harian[(hari, jenis, prov)]
        cell[0] += nominal
        cell[1] += 1
        month = self.bulanan[(bulan(hari), jenis, prov)]
        month[0] += nominal
        month[1] += 1
        if (bulan(hari), jenis, wp_id) not in self.pembayar:
            self.pembayar[(bulan(hari), jenis, wp_id)] = prov
            month[2] += 1

    def read_rows(self) -> dict[str, list[tuple]]:
        """Table -> rows, in the projector's columns (``KepatuhanSPT``/``StatusKewajiban``
        stay empty: no obligation here)."""
        return {
            "WajibPajakWilayah": [(w, BADAN, k, k[:2]) for w, k in self.wilayah.items()],
            "KodeBillingRingkas": self.ringkas,
            "PenerimaanHarian": [(*key, *v) for key, v in self.harian.items()],
            "PenerimaanBulanan": [(*key, *v) for key, v in self.bulanan.items()],
            "PembayarBulanan": [(m, j, w, p) for (m, j, w), p in self.pembayar.items()],
            "KodeBillingHarian": [(*key, *v) for key, v in self.billing.items()],
        }


READ_COLUMNS = {
    "WajibPajakWilayah": ("wajib_pajak_id", "jenis_wp", "kode_wilayah", "kode_provinsi"),
    "KodeBillingRingkas": (
        "kode",
        "wajib_pajak_id",
        "jenis_pajak",
        "masa",
        "kode_provinsi",
        "nominal",
        "status",
        "dibuat_pada",
        "last_version",
    ),
    "PenerimaanHarian": (
        "tanggal",
        "jenis_pajak",
        "kode_provinsi",
        "jumlah_rupiah",
        "jumlah_transaksi",
    ),
    "PenerimaanBulanan": (
        "bulan",
        "jenis_pajak",
        "kode_provinsi",
        "jumlah_rupiah",
        "jumlah_transaksi",
        "jumlah_pembayar",
    ),
    "PembayarBulanan": ("bulan", "jenis_pajak", "wajib_pajak_id", "kode_provinsi"),
    "KodeBillingHarian": (
        "tanggal",
        "jenis_pajak",
        "kode_provinsi",
        "diterbitkan",
        "dibayar",
        "kedaluwarsa",
    ),
}
MODELS = {m.__name__: m for m in READ_MODELS}


def write_events(beban: Beban, payments: int) -> None:
    with atomic(ALIAS):
        rows = list(beban.taxpayer_rows())  # one subject key per company is created here
        for start in range(0, len(rows), 1000):
            store._insert(rows[start : start + 1000])
    connection = connections[ALIAS]
    connection.ensure_connection()
    table = store.event_model._meta.db_table
    with connection.connection.cursor() as cursor:
        sql = f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN"
        with cursor.copy(sql) as copy:
            for row in beban.payment_rows(payments):
                copy.write_row(row)


def write_read_rows(beban: Beban) -> None:
    connection = connections[READ]
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        for name, rows in beban.read_rows().items():
            table, columns = MODELS[name]._meta.db_table, READ_COLUMNS[name]
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
    with connections[ALIAS].cursor() as cursor:
        cursor.execute(
            f'SELECT tx_id::text::bigint, "position" FROM {store.event_model._meta.db_table} '
            'ORDER BY tx_id DESC, "position" DESC LIMIT 1'
        )
        tx, position = cursor.fetchone()
    Checkpoint.objects.using(READ).update_or_create(
        projector="pajak.statistik", feed="pajak", defaults={"tx": tx, "position": position}
    )
    for alias in (ALIAS, READ):
        with connections[alias].cursor() as cursor:
            cursor.execute("ANALYZE")


# --- the consistency check -------------------------------------------------------------------
def table_rows(name: str) -> set[tuple]:
    return set(MODELS[name].objects.using(READ).values_list(*READ_COLUMNS[name]))


class _EventByEvent(StatistikPajakProjector):
    """The baseline of the projection rate: the same projector given one event at a time (a
    batch of one: its rows read and written per event, as before batches)."""

    def handle_batch(self, events) -> None:
        for event in events:
            super().handle_batch([event])


def _project(projector) -> float:
    """Empty pajak's read side, project every event with ``projector``; returns events/s."""
    with connections[READ].cursor() as cursor:
        tables = [m._meta.db_table for m in (*READ_MODELS, Checkpoint)]
        cursor.execute(f"TRUNCATE {', '.join(tables)}")
    started = time.perf_counter()
    applied = projections.run_projector(projector)
    return applied / (time.perf_counter() - started)


def check(hari_ini: date, payments: int) -> float:
    """The real projector over a small workload equals the generated rows, applied a batch at
    a time and one event at a time; prints both rates, returns the batched one."""
    empty()
    beban = Beban(hari_ini, taxpayers=200, seed=7)
    write_events(beban, payments)
    rates = {}
    for label, projector in (
        ("one event at a time (baseline)", _EventByEvent()),
        ("a batch at a time", projections.get_projector("pajak.statistik")),
    ):
        rates[label] = _project(projector)
        for name, rows in beban.read_rows().items():
            want, got = set(rows), table_rows(name)
            if got != want:
                sys.exit(f"check failed ({label}): {name} differs ({len(got)} rows vs {len(want)})")
    print(
        f"check: the pajak.statistik projector over {payments} payments wrote exactly the "
        f"generated rows both ways; events/s: "
        + "; ".join(f"{label} {rate:.0f}" for label, rate in rates.items())
        + f"; ratio {rates['a batch at a time'] / rates['one event at a time (baseline)']:.1f}x"
    )
    return rates["a batch at a time"]


# --- the baseline: scanning the events --------------------------------------------------------
PAYMENTS_SQL = """
SELECT c.payload->>'jenis_pajak', left(w.payload->>'kode_wilayah', 2),
       ((p.payload->>'tanggal_bayar')::timestamptz AT TIME ZONE 'Asia/Jakarta')::date = %(today)s,
       sum((p.payload->>'nominal')::bigint), count(*)
FROM pajak_event p
JOIN pajak_event c ON c.stream_id = p.stream_id AND c.version = 1
JOIN pajak_event w ON w.stream_type = 'WajibPajak' AND w.version = 1
     AND w.stream_id = (c.payload->>'wajib_pajak_id')::uuid
WHERE p.event_type = 'PembayaranDiterima'
  AND ((p.payload->>'tanggal_bayar')::timestamptz AT TIME ZONE 'Asia/Jakarta')::date
      BETWEEN %(start)s AND %(end)s
GROUP BY 1, 2, 3
"""
ISSUED_SQL = """
SELECT count(*) FROM pajak_event c
WHERE c.event_type = 'KodeBillingDibuat'
  AND ((c.payload->>'dibuat_pada')::timestamptz AT TIME ZONE 'Asia/Jakarta')::date
      BETWEEN %(start)s AND %(end)s
"""
REPORT_SQL = """
SELECT c.payload->>'jenis_pajak', left(w.payload->>'kode_wilayah', 2),
       sum((p.payload->>'nominal')::bigint), count(*), count(DISTINCT c.payload->>'wajib_pajak_id')
FROM pajak_event p
JOIN pajak_event c ON c.stream_id = p.stream_id AND c.version = 1
JOIN pajak_event w ON w.stream_type = 'WajibPajak' AND w.version = 1
     AND w.stream_id = (c.payload->>'wajib_pajak_id')::uuid
WHERE p.event_type = 'PembayaranDiterima'
  AND ((p.payload->>'tanggal_bayar')::timestamptz AT TIME ZONE 'Asia/Jakarta')::date
      BETWEEN %(start)s AND %(end)s
GROUP BY 1, 2 ORDER BY 1, 2
"""


def _month(hari: date) -> tuple[date, date]:
    start = hari.replace(day=1)
    return start, (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def dashboard_from_events(hari_ini: date) -> dict:
    start, end = _month(hari_ini)
    params = {"today": hari_ini, "start": start, "end": end}
    month, today = defaultdict(lambda: [0, 0]), defaultdict(lambda: [0, 0])
    with connections[ALIAS].cursor() as cursor:
        cursor.execute(PAYMENTS_SQL, params)
        for jenis, prov, is_today, rupiah, n in cursor.fetchall():
            for cell in (month[(jenis, prov)], *([today[(jenis, prov)]] if is_today else [])):
                cell[0] += rupiah
                cell[1] += n
        cursor.execute(ISSUED_SQL, params)
        issued = cursor.fetchone()[0]
    paid = sum(n for _r, n in month.values())
    return {"bulan": dict(month), "hari": dict(today), "diterbitkan": issued, "dibayar": paid}


def dashboard_from_read_tables(hari_ini: date) -> dict:
    d = queries.dasbor(hari_ini)

    def cells(ringkasan):
        return {
            (c.jenis_pajak, c.kode_provinsi): [c.jumlah_rupiah, c.jumlah_transaksi]
            for c in ringkasan.rinci
        }

    return {
        "bulan": cells(d.penerimaan_bulan_ini),
        "hari": cells(d.penerimaan_hari_ini),
        "diterbitkan": d.kode_billing_bulan_ini.diterbitkan,
        "dibayar": d.kode_billing_bulan_ini.dibayar,
    }


def report_from_events(masa: str) -> list[tuple]:
    start, end = _month(date.fromisoformat(f"{masa}-01"))
    with connections[ALIAS].cursor() as cursor:
        cursor.execute(REPORT_SQL, {"start": start, "end": end})
        return [tuple(row) for row in cursor.fetchall()]


def report_from_read_tables(masa: str) -> list[tuple]:
    *rows, _total = queries.laporan_bulanan(masa)
    return [
        (r.jenis_pajak, r.kode_provinsi, r.jumlah_rupiah, r.jumlah_transaksi, r.jumlah_pembayar)
        for r in rows
    ]


# --- timing ------------------------------------------------------------------------------------
def timed(call, runs: int) -> tuple[float, float, object]:
    """(p50 ms, p95 ms, last result) of ``runs`` calls after one warm-up call."""
    result, times = call(), []
    for _ in range(runs):
        started = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
    return statistics.median(times), p95, result


def endpoint_client() -> Client:
    user, _ = User.objects.get_or_create(username="bench_djp", defaults={"is_staff": True})
    user.groups.add(Group.objects.get_or_create(name=GRUP_PETUGAS)[0])
    client = Client()
    client.force_login(user)
    return client


def get_dashboard(client: Client) -> int:
    response = client.get("/api/v1/pajak/dasbor/")
    if response.status_code != 200:
        sys.exit(f"dashboard endpoint answered {response.status_code}")
    return len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payments", type=int, default=1_000_000)
    parser.add_argument("--taxpayers", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=30, help="timed runs of the read tables")
    parser.add_argument("--baseline-runs", type=int, default=3, help="timed runs of the scans")
    parser.add_argument("--check", type=int, default=3000, help="payments projected for real")
    args = parser.parse_args()
    prepare()
    hari_ini = clock.today()
    masa = bulan(hari_ini.replace(day=1) - timedelta(days=1))
    if args.check:
        check(hari_ini, args.check)

    empty()
    started = time.perf_counter()
    beban = Beban(hari_ini, args.taxpayers)
    write_events(beban, args.payments)
    written = time.perf_counter() - started
    write_read_rows(beban)
    loaded = time.perf_counter() - started
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pajak_event")
        events = cursor.fetchone()[0]
    with connections[READ].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pajak_penerimaanharian")
        harian = cursor.fetchone()[0]
    print(
        f"data: {args.payments} payments by {args.taxpayers} companies over 365 days = "
        f"{events} events (written in {written:.0f} s), read tables loaded ({loaded:.0f} s in "
        f"all; {harian} daily receipt rows, {len(beban.ringkas)} billing-code rows)"
    )

    fast = timed(lambda: dashboard_from_read_tables(hari_ini), args.runs)
    slow = timed(lambda: dashboard_from_events(hari_ini), args.baseline_runs)
    client = endpoint_client()
    endpoint = timed(lambda: get_dashboard(client), args.runs)
    report = timed(lambda: report_from_read_tables(masa), args.runs)
    report_scan = timed(lambda: report_from_events(masa), args.baseline_runs)
    csv = timed(lambda: laporan.tulis_csv(masa, io.StringIO()), args.runs)
    xlsx = timed(lambda: laporan.tulis_xlsx(masa, io.BytesIO()), args.runs)

    print(f"{'':44} {'p50 ms':>10} {'p95 ms':>10}")
    for label, (p50, p95, _result) in (
        ("dashboard, pre-aggregated (queries.dasbor)", fast),
        ("dashboard, scanning the events (baseline)", slow),
        ("GET /api/v1/pajak/dasbor/ (whole request)", endpoint),
        (f"report {masa}, pre-aggregated rows", report),
        (f"report {masa}, scanning the events", report_scan),
        (f"report {masa} as CSV", csv),
        (f"report {masa} as XLSX", xlsx),
    ):
        print(f"{label:44} {p50:>10.1f} {p95:>10.1f}")
    print(
        f"speed-up, dashboard p50: {slow[0] / fast[0]:.0f}x; report p50: "
        f"{report_scan[0] / report[0]:.0f}x"
    )
    same_dashboard = fast[2] == slow[2]
    same_report = sorted(report[2]) == sorted(report_scan[2])
    print(f"same numbers both ways: dashboard {same_dashboard}, report {same_report}")
    if not (same_dashboard and same_report):
        sys.exit("the pre-aggregated figures differ from the events")


if __name__ == "__main__":
    main()
