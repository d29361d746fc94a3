"""Eligibility re-checked for a whole disbursement round on PostgreSQL: ``bansos_buat_instruksi``
(one payment instruction per recipient still active and eligible) over ``--n`` recipients, then
channel reports on that round.

Workload: ``--n`` PKH households decided for 2026-TW3 (a mother and two children at school,
so three NIKs each), the identity replica with a row per NIK (1% of households with a member
Dukcapil reports dead, 1% with a member not verified), the payroll exclusion list (1% with a
civil servant), and a PKH round of 2026-TW4 approved four-eyes through the commands. The
households' events (proposal, verification, decision) are built by the domain and written by
bansos's own store (encrypted with a key per pengurus), 1,000 rows per INSERT; the command
side's indexes and replicas by ``bulk_create``.

Measured in its own process (peak memory is the process's ``VmHWM``; "growth" is over its
peak before the call):
- **command**: ``commands.bansos_buat_instruksi`` as it is now: ``--chunk`` recipients a
  batch, each batch its own transaction (candidates paged from the index, their streams in
  one read, the facts for the whole batch from the replicas, the domain's decision per
  recipient, the new instructions' streams appended a few hundred rows per INSERT). It must
  instruct and skip exactly the recipients the workload implies (checked: the 3% with a
  dead, unverified or excluded member skipped as ``tidak_layak``, every other instructed
  once; the script fails otherwise);
- **reports**: ``--reports`` channel reports (``TERSALUR``) on instructions of that round
  through ``commands.bansos_catat_penyaluran``, each loading its instruction's own stream.

The figures before (docs/performance.md, same machine) are printed beside: the per-recipient
command (10,000 in 54.5 s) and the bulk prototype this bench carried (10,000 in 13.3 s,
100,000 in 236 s at 1.1 GB peak), whose round was one aggregate every report rehydrated.

Usage: POSTGRES_URL=postgres://postgres@127.0.0.1:5432 .venv/bin/python bench/bansos_kelayakan.py
       [--n 100000] [--chunk 5000] [--reports 200]
Own databases (``$EGOV_DB_PREFIX``, default bench_bansos_*), created and migrated on first
run; emptied at each run.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings_test")
os.environ.setdefault("EGOV_DB_PREFIX", "bench_bansos")
if not os.environ.get("POSTGRES_URL"):
    sys.exit("set POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432)")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402

from apps.bansos import commands  # noqa: E402
from apps.bansos.commands._unit import ALIAS  # noqa: E402
from apps.bansos.domain.kelayakan import Anggota, FaktaKelayakan, StatusIdentitas  # noqa: E402
from apps.bansos.domain.penerima import Penerima  # noqa: E402
from apps.bansos.domain.rules import ASN, MENINGGAL, PKH, SD, SMP, WIB  # noqa: E402
from apps.bansos.konfigurasi import muat_konfigurasi  # noqa: E402
from apps.bansos.models import (  # noqa: E402
    BansosEvent,
    BansosIdempotencyRecord,
    BansosSubjectKey,
    DaftarPengecualian,
    IdentitasDukcapil,
    IndeksAnggota,
    IndeksInstruksi,
    IndeksPenerima,
    IndeksSiklus,
    KKDukcapil,
)
from apps.bansos.roles import GRUP_PETUGAS, SCOPE_KANAL, SCOPE_PENYALURAN  # noqa: E402
from apps.bansos.store import store  # noqa: E402
from egov import clock  # noqa: E402
from egov.contracts.ktp import NONAKTIF, VERIFIED  # noqa: E402
from egov.eventstore import projections  # noqa: E402
from egov.eventstore.domain import EventMetadata  # noqa: E402
from egov.eventstore.pseudonym import keyed_hash  # noqa: E402
from egov.eventstore.store import PendingEvent  # noqa: E402
from egov.principals import INTEGRATOR, OFFICER, Principal  # noqa: E402

META = EventMetadata(actor="bench", source="bench")
META_DICT = META.to_dict()
KODE_DESA = "3578011001"
PERIODE_PENERIMA, PERIODE_SIKLUS = "2026-TW3", "2026-TW4"
PEMBUAT, PENYETUJU = (
    Principal(kind=OFFICER, id=f"user:{n}", name=n, roles=frozenset({GRUP_PETUGAS}))
    for n in ("bench-pembuat", "bench-penyetuju")
)
BRI = Principal(
    kind=INTEGRATOR,
    id="client:bench-bri",
    name="bench-bri",
    scopes=frozenset({SCOPE_PENYALURAN, f"{SCOPE_KANAL}BRI"}),
)
# Before (docs/performance.md, 10,000 on a quiet machine; 100,000 under load 5-7).
SEBELUM = {
    10_000: "per-recipient command 54.5 s (198 MB); bulk prototype 13.3 s (304 MB)",
    100_000: "per-recipient command not run (hours); bulk prototype 235.9 s (1,096 MB)",
}


# --- databases -------------------------------------------------------------------------------
def prepare() -> None:
    call_command("create_databases", stdout=open(os.devnull, "w"))  # noqa: SIM115
    for alias in ("default", ALIAS, "bansos_read"):
        call_command("migrate", database=alias, verbosity=0)


def empty() -> None:
    models = [
        BansosEvent,
        BansosSubjectKey,
        BansosIdempotencyRecord,
        IdentitasDukcapil,
        DaftarPengecualian,
        IndeksAnggota,
        IndeksPenerima,
        IndeksInstruksi,
        IndeksSiklus,
        KKDukcapil,
    ]
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(f"TRUNCATE {', '.join(m._meta.db_table for m in models)}")
        cursor.execute("SET session_replication_role = DEFAULT")


# --- the workload ----------------------------------------------------------------------------
def generate(n: int) -> None:
    konfigurasi = muat_konfigurasi()
    sekarang = datetime(2026, 7, 6, 9, 0, tzinfo=WIB)
    identitas, pengecualian, indeks, anggota_rows = [], [], [], []
    rows = []
    started = time.perf_counter()
    # No transaction around it: each INSERT commits, so a long generation never holds back
    # the feeds of every database on the server (docs/architecture.md, gap safety).
    for i in range(n):
        pid = uuid.uuid5(uuid.NAMESPACE_URL, f"bench:bansos:{i}")
        kk = keyed_hash(f"kk-{i}", purpose="kk")
        nik = [keyed_hash(f"nik-{i}-{j}") for j in range(3)]
        anggota = (Anggota(nik[0]), Anggota(nik[1], SD), Anggota(nik[2], SMP))
        p = Penerima(pid)
        p.ajukan(
            program=PKH,
            periode=PERIODE_PENERIMA,
            nomor_kk_hash=kk,
            pengurus_nik_hash=nik[0],
            anggota=anggota,
            desil=2,
            kode_wilayah=KODE_DESA,
            diajukan_oleh="bench-desa",
            sekarang=sekarang,
            konfigurasi=konfigurasi,
        )
        bersih = FaktaKelayakan(
            identitas={h: StatusIdentitas(VERIFIED) for h in nik},
            kk={h: frozenset({kk}) for h in nik},
            desil=2,
        )
        p.verifikasi(fakta=bersih, konfigurasi=konfigurasi, oleh="bench", sekarang=sekarang)
        p.tetapkan(dasar_hukum="SK bench", oleh="bench", sekarang=sekarang)
        for version, event in enumerate(p.collect(), start=1):
            rows.append(
                store._row(pid, "Penerima", version, PendingEvent(event), META_DICT, sekarang)
            )
        if len(rows) >= 999:
            store._insert(rows)
            rows = []
        indeks.append(
            IndeksPenerima(
                penerima_id=pid,
                program=PKH,
                periode=PERIODE_PENERIMA,
                nomor_kk_hash=kk,
                pengurus_nik_hash=nik[0],
                kode_wilayah=KODE_DESA,
                status="AKTIF",
            )
        )
        anggota_rows += [IndeksAnggota(penerima_id=pid, nik_hash=h, nomor_kk_hash=kk) for h in nik]
        for j, h in enumerate(nik):
            if i % 100 == 7 and j == 2:
                continue  # a child's NIK not verified yet
            dead = i % 100 == 3 and j == 1
            identitas.append(
                IdentitasDukcapil(
                    nik_hash=h,
                    status=NONAKTIF if dead else VERIFIED,
                    alasan=MENINGGAL if dead else "",
                    sumber_event_id="bench",
                )
            )
        if i % 100 == 5:
            pengecualian.append(DaftarPengecualian(nik_hash=nik[0], kategori=ASN))
    if rows:
        store._insert(rows)
    events_s = time.perf_counter() - started
    for model, objs in (
        (IndeksPenerima, indeks),
        (IndeksAnggota, anggota_rows),
        (IdentitasDukcapil, identitas),
        (DaftarPengecualian, pengecualian),
    ):
        for start in range(0, len(objs), 5000):  # a transaction each: short ones
            model.objects.using(ALIAS).bulk_create(objs[start : start + 5000])
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"generated {n:,} households ({3 * n:,} events in {events_s:.0f} s, "
        f"{len(identitas):,} identity rows, {len(pengecualian):,} exclusions) "
        f"in {time.perf_counter() - started:.0f} s",
        flush=True,
    )


def siklus(tahap: int) -> uuid.UUID:
    with clock.frozen(datetime(2026, 10, 5, 9, 0, tzinfo=WIB)):
        siklus_id = commands.bansos_buat_siklus(
            principal=PEMBUAT, program=PKH, periode=PERIODE_SIKLUS, metadata=META, tahap=tahap
        )
        commands.bansos_ajukan_siklus(principal=PEMBUAT, siklus_id=siklus_id, metadata=META)
        commands.bansos_setujui_siklus(principal=PENYETUJU, siklus_id=siklus_id, metadata=META)
    return siklus_id


# --- the command, in its own process ------------------------------------------------------------
def expected(n: int) -> tuple[int, int]:
    """(instructed, skipped) the workload implies: households 3, 5 and 7 of every hundred
    have a dead member, a civil servant, a child not verified."""
    skipped = sum(1 for i in range(n) if i % 100 in (3, 5, 7))
    return n - skipped, skipped


def peak_kb() -> int:
    """This process's peak resident set (VmHWM). Not ``ru_maxrss``: Linux carries that over
    from the parent across fork and exec, so a child spawned by the generating process
    would report the generator's size."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def run_command(siklus_id: uuid.UUID, chunk: int) -> dict:
    projections.set_dispatcher(lambda _name: None)
    rss_before = peak_kb()
    started = time.perf_counter()
    with clock.frozen(datetime(2026, 10, 6, 8, 0, tzinfo=WIB)):
        hasil = commands.bansos_buat_instruksi(
            principal=PEMBUAT, siklus_id=siklus_id, kanal="BRI", metadata=META, ukuran_batch=chunk
        )
    seconds = time.perf_counter() - started
    rss = peak_kb()
    skipped = defaultdict(int)
    for _pid, code in hasil.dilewati:
        skipped[code] += 1
    return {
        "seconds": seconds,
        "peak_rss_mb": rss / 1024,
        "growth_mb": (rss - rss_before) / 1024,
        "dibuat": len(hasil.dibuat),
        "dilewati": dict(skipped),
        "instruksi": IndeksInstruksi.objects.using(ALIAS).filter(siklus_id=siklus_id).count(),
        "events": BansosEvent.objects.using(ALIAS)
        .filter(event_type="InstruksiPembayaranDibuat")
        .count(),
    }


def run_reports(siklus_id: uuid.UUID, count: int) -> dict:
    """``count`` TERSALUR reports on the round's instructions, one command each."""
    projections.set_dispatcher(lambda _name: None)
    rows = IndeksInstruksi.objects.using(ALIAS).filter(siklus_id=siklus_id)
    targets = list(rows.order_by("instruksi_id").values_list("instruksi_id", "nominal")[:count])
    started = time.perf_counter()
    with clock.frozen(datetime(2026, 10, 8, 8, 0, tzinfo=WIB)):
        for n, (instruksi_id, nominal) in enumerate(targets):
            commands.bansos_catat_penyaluran(
                principal=BRI,
                instruksi_id=instruksi_id,
                hasil="TERSALUR",
                ntx=f"BRI-BENCH-{n:08d}",
                nominal=nominal,
                metadata=EventMetadata(actor="bench-bri", source="bench"),
            )
    seconds = time.perf_counter() - started
    return {"reports": len(targets), "seconds": seconds, "ms_each": 1000 * seconds / len(targets)}


def spawn(*args: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, *args],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--chunk", type=int, default=5000)
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--variant")
    parser.add_argument("--siklus")
    args = parser.parse_args()
    if args.variant == "command":
        print(json.dumps(run_command(uuid.UUID(args.siklus), args.chunk)))
        return
    if args.variant == "reports":
        print(json.dumps(run_reports(uuid.UUID(args.siklus), args.reports)))
        return
    prepare()
    empty()
    projections.set_dispatcher(lambda _name: None)
    generate(args.n)
    siklus_id = siklus(1)
    r = spawn("--variant", "command", "--siklus", str(siklus_id), "--chunk", str(args.chunk))
    print("command", json.dumps(r), flush=True)
    dibuat, dilewati = expected(args.n)
    got = (r["dibuat"], r["dilewati"], r["instruksi"], r["events"])
    if got != (dibuat, {"tidak_layak": dilewati}, dibuat, dibuat):
        sys.exit(f"the command decided {got}, expected {dibuat} instructed, {dilewati} skipped")
    again = spawn("--variant", "command", "--siklus", str(siklus_id), "--chunk", str(args.chunk))
    if (again["dibuat"], again["events"]) != (0, dibuat):
        sys.exit(f"a re-run made instructions again: {again}")
    reports = spawn(
        "--variant", "reports", "--siklus", str(siklus_id), "--reports", str(args.reports)
    )
    print("reports", json.dumps(reports), flush=True)
    print(f"\n| {args.n:,} recipients | seconds | recipients/s | peak RSS MB | growth MB |")
    print("|---|---:|---:|---:|---:|")
    for name, x in (("command (batches)", r), ("re-run (nothing to do)", again)):
        print(
            f"| {name} | {x['seconds']:.1f} | {args.n / x['seconds']:,.0f} | "
            f"{x['peak_rss_mb']:.0f} | {x['growth_mb']:.0f} |"
        )
    print(f"instructed {r['dibuat']:,}, skipped {r['dilewati']} (as expected)")
    print(f"{reports['reports']} channel reports: {reports['ms_each']:.1f} ms each")
    print(f"before: {SEBELUM.get(args.n, 'not measured at this size')}")


if __name__ == "__main__":
    main()
