"""Races on PostgreSQL with real threads: two households of one KK decided at the same moment
(one is decided, the other refused as a duplicate), a death arriving while a payment batch
runs (the household ends suspended with no instruction left to pay, whichever commits first),
two instruction runs of one round at once (each instruction made once), and two channels'
reports on one round at once (each instruction its own stream: both land)."""

import threading

import pytest
from django.apps import apps as django_apps
from django.db import connections

from apps.bansos import commands
from apps.bansos.domain.kelayakan import Anggota
from apps.bansos.domain.penyaluran import instruksi_id
from apps.bansos.models import BansosEvent, IndeksInstruksi, IndeksPenerima
from apps.bansos.seed import muat_konfigurasi
from egov.contracts.ktp import NONAKTIF, VERIFIED
from egov.eventstore.domain import DomainError
from egov.eventstore.pseudonym import keyed_hash
from egov.principals import system
from tests.bansos.perintah import (
    IBU_B,
    KELUARGA_B,
    KK,
    KK_B,
    NIK_ANAK_B,
    NIK_ANAK_SD,
    NIK_IBU_B,
    NIK_KELUARGA,
    ajukan,
    buat_instruksi,
    jenis_event,
    lapor,
    meta,
    siklus_disetujui,
    tetapkan,
    verifikasi,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(databases="__all__", transaction=True)]

IDENTITAS = system("bansos.identitas")  # the policy the calls stand for


@pytest.fixture(autouse=True)
def identitas():
    """The seed programmes (a transactional test's flush empties the migration's rows) and the
    verified NIKs, recorded as the policy would: on a shared PostgreSQL server another
    session's open transaction may hold the ktp feed back."""
    muat_konfigurasi(django_apps)
    for nik in (*NIK_KELUARGA, NIK_IBU_B, NIK_ANAK_B):
        commands.bansos_catat_identitas(
            principal=IDENTITAS,
            nik_hash=keyed_hash(nik),
            status=VERIFIED,
            sumber="uji",
            metadata=meta(),
        )


def race(*calls) -> list:
    """Run each call in its own thread and connection, released together; their answers
    (or the refusal codes) in call order."""
    barrier, answers = threading.Barrier(len(calls)), [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            answers[i] = call()
        except DomainError as refusal:
            answers[i] = refusal.code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return answers


def test_two_households_of_one_kk_decided_at_once_make_one_recipient():
    pertama, kedua = ajukan(), ajukan((Anggota(IBU_B),), kk=KK)
    verifikasi(pertama)
    verifikasi(kedua)

    answers = race(lambda: tetapkan(pertama), lambda: tetapkan(kedua))

    assert sorted(answers, key=str) == [None, "tidak_layak"]
    assert IndeksPenerima.objects.filter(status="AKTIF").count() == 1


def test_a_death_during_a_payment_batch_leaves_nothing_to_pay():
    penerima_id = ajukan()
    verifikasi(penerima_id)
    tetapkan(penerima_id)
    siklus_id = siklus_disetujui()

    race(
        lambda: buat_instruksi(siklus_id),
        lambda: commands.bansos_catat_identitas(
            principal=IDENTITAS,
            nik_hash=keyed_hash(NIK_ANAK_SD),
            status=NONAKTIF,
            alasan="MENINGGAL",
            sumber="uji",
            metadata=meta(),
        ),
    )

    assert jenis_event(penerima_id)[-1] == "PenerimaDitangguhkan"
    instruksi = IndeksInstruksi.objects.filter(instruksi_id=instruksi_id(siklus_id, penerima_id))
    assert list(instruksi.values_list("status", flat=True)) in ([], ["DIBATALKAN"])


def test_two_instruction_runs_at_once_make_each_instruction_once():
    a, b = ajukan(), ajukan(KELUARGA_B, kk=KK_B)
    for penerima_id in (a, b):
        verifikasi(penerima_id)
        tetapkan(penerima_id)
    siklus_id = siklus_disetujui()

    answers = race(
        lambda: buat_instruksi(siklus_id, ukuran_batch=1),
        lambda: buat_instruksi(siklus_id, ukuran_batch=1),
    )

    dibuat = [i for hasil in answers for i in hasil.dibuat]
    assert sorted(dibuat) == sorted([instruksi_id(siklus_id, a), instruksi_id(siklus_id, b)])
    assert [hasil.dilewati for hasil in answers] == [(), ()]
    events = BansosEvent.objects.filter(event_type="InstruksiPembayaranDibuat")
    assert sorted(events.values_list("stream_id", flat=True)) == sorted(dibuat)


def test_reports_on_two_instructions_of_one_round_at_once_both_land():
    a, b = ajukan(), ajukan(KELUARGA_B, kk=KK_B)
    for penerima_id in (a, b):
        verifikasi(penerima_id)
        tetapkan(penerima_id)
    siklus_id = siklus_disetujui()
    buat_instruksi(siklus_id)
    ia, ib = instruksi_id(siklus_id, a), instruksi_id(siklus_id, b)

    answers = race(
        lambda: lapor(ia, "TERSALUR", ntx="BRI-1", nominal=600_000),
        lambda: lapor(ib, "GAGAL", alasan="Rekening ditutup"),
    )

    assert answers == [True, True]
    assert dict(IndeksInstruksi.objects.values_list("instruksi_id", "status")) == {
        ia: "TERSALUR",
        ib: "GAGAL",
    }
