"""Eligibility re-checked for a whole disbursement round on PostgreSQL: ``bansos_buat_instruksi``
(one payment instruction per recipient still active and eligible) over ``--n`` recipients,
beside a bulk variant that reads the same replicas and indexes a few thousand households at a
time.

Workload: ``--n`` PKH households decided for 2026-TW3 (a mother and two children at school,
so three NIKs each, about a tenth of them in two programmes' worth of shared KKs is not
modelled), the identity replica with a row per NIK (1% of households with a member Dukcapil
reports dead, 1% with a member not verified), the payroll exclusion list (1% with a civil
servant), and a PKH round of 2026-TW4 approved four-eyes through the commands. The
households' events (proposal, verification, decision) are built by the domain and written by
bansos's own store (encrypted with a key per pengurus), 1,000 rows per INSERT; the command
side's indexes and replicas by ``bulk_create``.

Measured, each in its own process (so peak memory is the variant's own: ``ru_maxrss``, and
the growth over the process's size before the call):
- **command**: ``commands.bansos_buat_instruksi`` as it is: the candidates from the index,
  then per recipient ``store.get`` (one query) and ``fakta_untuk`` (four queries), the
  domain's check, then one append of every instruction and one ``update_or_create`` per
  instruction's index row;
- **bulk**: the same decisions with the recipients' streams loaded ``--chunk`` at a time (one
  query, keys prefetched), the replicas read for the chunk in four queries and the facts of
  each household cut from them in memory, the same domain call per recipient
  (``SiklusPenyaluran.buat_instruksi``), one append, the instructions' index rows by
  ``bulk_create``. Both must instruct and skip exactly the same recipients with the same
  codes (checked; the script fails otherwise).

Usage: POSTGRES_URL=postgres://postgres@127.0.0.1:5432 .venv/bin/python bench/bansos_kelayakan.py
       [--n 100000] [--chunk 5000] [--skip-command]
Own databases (bench_bansos_*), created and migrated on first run; emptied at each run.
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
os.environ["EGOV_DB_PREFIX"] = "bench_bansos"
if not os.environ.get("POSTGRES_URL"):
    sys.exit("set POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432)")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.db.models import Q  # noqa: E402

from apps.bansos import commands  # noqa: E402
from apps.bansos.commands._unit import ALIAS, kunci_siklus  # noqa: E402
from apps.bansos.domain.events import InstruksiPembayaranDibuat  # noqa: E402
from apps.bansos.domain.kelayakan import (  # noqa: E402
    Anggota,
    FaktaKelayakan,
    PenerimaTercatat,
    StatusIdentitas,
)
from apps.bansos.domain.penerima import BERJALAN, Penerima  # noqa: E402
from apps.bansos.domain.penyaluran import SiklusPenyaluran  # noqa: E402
from apps.bansos.domain.rules import ASN, MENINGGAL, PKH, SD, SMP, WIB, Periode  # noqa: E402
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
)
from apps.bansos.roles import GRUP_PETUGAS  # noqa: E402
from apps.bansos.store import store  # noqa: E402
from egov import clock  # noqa: E402
from egov.contracts.ktp import NONAKTIF, VERIFIED  # noqa: E402
from egov.db import atomic  # noqa: E402
from egov.eventstore import projections  # noqa: E402
from egov.eventstore.domain import EventMetadata, InvalidState  # noqa: E402
from egov.eventstore.pseudonym import keyed_hash  # noqa: E402
from egov.eventstore.store import PendingEvent  # noqa: E402
from egov.principals import OFFICER, Principal  # noqa: E402

META = EventMetadata(actor="bench", source="bench")
META_DICT = META.to_dict()
KODE_DESA = "3578011001"
PERIODE_PENERIMA, PERIODE_SIKLUS = "2026-TW3", "2026-TW4"
PEMBUAT, PENYETUJU = (
    Principal(kind=OFFICER, id=f"user:{n}", name=n, roles=frozenset({GRUP_PETUGAS}))
    for n in ("bench-pembuat", "bench-penyetuju")
)


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
    with atomic(ALIAS):
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
            anggota_rows += [
                IndeksAnggota(penerima_id=pid, nik_hash=h, nomor_kk_hash=kk) for h in nik
            ]
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
    with atomic(ALIAS):
        for model, objs in (
            (IndeksPenerima, indeks),
            (IndeksAnggota, anggota_rows),
            (IdentitasDukcapil, identitas),
            (DaftarPengecualian, pengecualian),
        ):
            model.objects.using(ALIAS).bulk_create(objs, batch_size=5000)
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


# --- the bulk variant ------------------------------------------------------------------------
def fakta_massal(penerima: list[Penerima], periode: Periode, konfigurasi) -> dict:
    """``commands._unit.fakta_untuk`` for many households at once: four queries per chunk,
    then each household's facts cut from them (same rules, same rows)."""
    from apps.bansos.commands._unit import _periode_tercatat

    ids = [p.id for p in penerima]
    nik = {a.nik_hash for p in penerima for a in p.anggota}
    identitas = {
        r.nik_hash: StatusIdentitas(r.status, r.alasan)
        for r in IdentitasDukcapil.objects.using(ALIAS).filter(nik_hash__in=nik)
    }
    kk_rows = defaultdict(list)  # nik -> [(kk, household, running)]
    for nik_hash, kk_hash, pid, status in (
        IndeksAnggota.objects.using(ALIAS)
        .filter(nik_hash__in=nik)
        .filter(Q(penerima_id__in=ids) | Q(penerima__status__in=BERJALAN))
        .values_list("nik_hash", "nomor_kk_hash", "penerima_id", "penerima__status")
    ):
        kk_rows[nik_hash].append((kk_hash, pid, status in BERJALAN))
    pengecualian = defaultdict(set)
    for nik_hash, kategori in (
        DaftarPengecualian.objects.using(ALIAS)
        .filter(nik_hash__in=nik)
        .values_list("nik_hash", "kategori")
    ):
        pengecualian[nik_hash].add(kategori)
    kks = {p.nomor_kk_hash for p in penerima}
    lain_rows = (
        IndeksPenerima.objects.using(ALIAS)
        .filter(status__in=BERJALAN)
        .filter(Q(nomor_kk_hash__in=kks) | Q(anggota__nik_hash__in=nik))
        .distinct()
        .prefetch_related("anggota")
    )
    per_kk, per_nik = defaultdict(list), defaultdict(list)
    for r in lain_rows:
        tercatat = PenerimaTercatat(
            r.penerima_id,
            r.program,
            _periode_tercatat(r, periode, konfigurasi),
            r.nomor_kk_hash,
            frozenset(a.nik_hash for a in r.anggota.all()),
        )
        per_kk[r.nomor_kk_hash].append(tercatat)
        for h in tercatat.anggota:
            per_nik[h].append(tercatat)
    fakta = {}
    for p in penerima:
        mine = [a.nik_hash for a in p.anggota]
        kk = defaultdict(set)
        for h in mine:
            for kk_hash, pid, berjalan in kk_rows.get(h, ()):
                if pid == p.id or berjalan:
                    kk[h].add(kk_hash)
        lain = {t.penerima_id: t for t in per_kk.get(p.nomor_kk_hash, ())}
        for h in mine:
            lain.update((t.penerima_id, t) for t in per_nik.get(h, ()))
        lain.pop(p.id, None)
        fakta[p.id] = FaktaKelayakan(
            identitas={h: identitas[h] for h in mine if h in identitas},
            kk={h: frozenset(k) for h, k in kk.items()},
            penerima=tuple(lain.values()),
            pengecualian={h: frozenset(pengecualian[h]) for h in mine if h in pengecualian},
        )
    return fakta


def buat_instruksi_massal(siklus_id: uuid.UUID, kanal: str, chunk: int):
    konfigurasi = muat_konfigurasi()
    indeks = IndeksSiklus.objects.using(ALIAS).get(siklus_id=siklus_id)
    periode = Periode.parse(indeks.periode)
    dibuat, dilewati = [], []
    with atomic(ALIAS):
        calon = sorted(
            r.penerima_id
            for r in IndeksPenerima.objects.using(ALIAS).filter(
                program=indeks.program, status__in=BERJALAN
            )
            if Periode.parse(r.periode).awal <= periode.awal
        )
        kunci_siklus(siklus_id)
        s = store.get(SiklusPenyaluran, siklus_id)
        for start in range(0, len(calon), chunk):
            ids = calon[start : start + chunk]
            rows = (
                BansosEvent.objects.using(ALIAS)
                .filter(stream_id__in=ids)
                .order_by("stream_id", "version")
            )
            streams = defaultdict(list)
            for r in store.decode_rows(rows, decrypt=True):
                streams[r.stream_id].append(r.event)
            penerima = [Penerima.rehydrate(pid, streams[pid]) for pid in ids]
            fakta = fakta_massal(penerima, periode, konfigurasi)
            for p in penerima:
                try:
                    if s.buat_instruksi(
                        penerima=p,
                        fakta=fakta[p.id],
                        kanal=kanal,
                        sekarang=clock.now(),
                        konfigurasi=konfigurasi,
                    ):
                        dibuat.append(p.id)
                except InvalidState as refusal:
                    dilewati.append((p.id, refusal.code))
        baru = [e for e in s.pending if isinstance(e, InstruksiPembayaranDibuat)]
        store.save(s, META)
        IndeksSiklus.objects.using(ALIAS).filter(siklus_id=siklus_id).update(status=s.status)
        IndeksInstruksi.objects.using(ALIAS).bulk_create(
            (
                IndeksInstruksi(
                    instruksi_id=e.instruksi_id,
                    siklus_id=siklus_id,
                    penerima_id=e.penerima_id,
                    nominal=e.nominal,
                    kanal=e.kanal,
                    status="DIBUAT",
                )
                for e in baru
            ),
            batch_size=5000,
        )
    return dibuat, dilewati


# --- one variant, in its own process ------------------------------------------------------------
def run_variant(variant: str, siklus_id: uuid.UUID, chunk: int) -> dict:
    projections.set_dispatcher(lambda _name: None)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with clock.frozen(datetime(2026, 10, 6, 8, 0, tzinfo=WIB)):
        if variant == "command":
            hasil = commands.bansos_buat_instruksi(
                principal=PEMBUAT, siklus_id=siklus_id, kanal="BRI", metadata=META
            )
            penerima = {
                i.penerima_id for i in store.get(SiklusPenyaluran, siklus_id).instruksi.values()
            }
            dibuat, dilewati = sorted(penerima), list(hasil.dilewati)
        else:
            dibuat, dilewati = buat_instruksi_massal(siklus_id, "BRI", chunk)
    seconds = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    skipped = defaultdict(int)
    for _pid, code in dilewati:
        skipped[code] += 1
    return {
        "seconds": seconds,
        "peak_rss_mb": rss / 1024,
        "growth_mb": (rss - rss_before) / 1024,
        "dibuat": len(dibuat),
        "dilewati": dict(skipped),
        "digest": hash((tuple(sorted(map(str, dibuat))), tuple(sorted(map(str, dilewati))))),
        "instruksi": IndeksInstruksi.objects.using(ALIAS).filter(siklus_id=siklus_id).count(),
    }


def spawn(variant: str, siklus_id: uuid.UUID, chunk: int) -> dict:
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--variant",
            variant,
            "--siklus",
            str(siklus_id),
            "--chunk",
            str(chunk),
        ],
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
    parser.add_argument("--skip-command", action="store_true")
    parser.add_argument("--variant")
    parser.add_argument("--siklus")
    args = parser.parse_args()
    if args.variant:
        print(json.dumps(run_variant(args.variant, uuid.UUID(args.siklus), args.chunk)))
        return
    prepare()
    empty()
    projections.set_dispatcher(lambda _name: None)
    generate(args.n)
    results = {}
    variants = ["bulk"] if args.skip_command else ["command", "bulk"]
    for tahap, variant in enumerate(variants, start=1):
        results[variant] = spawn(variant, siklus(tahap), args.chunk)
        print(variant, json.dumps(results[variant]), flush=True)
    if len(results) == 2:
        a, b = results["command"], results["bulk"]
        if (a["dibuat"], a["dilewati"], a["digest"]) != (b["dibuat"], b["dilewati"], b["digest"]):
            sys.exit("the two variants decided differently")
    print(f"\n| {args.n:,} recipients | seconds | recipients/s | peak RSS MB | growth MB |")
    print("|---|---:|---:|---:|---:|")
    for variant, r in results.items():
        print(
            f"| {variant} | {r['seconds']:.1f} | {args.n / r['seconds']:,.0f} | "
            f"{r['peak_rss_mb']:.0f} | {r['growth_mb']:.0f} |"
        )
    print(f"instructed {r['dibuat']:,}, skipped {r['dilewati']}")


if __name__ == "__main__":
    main()
