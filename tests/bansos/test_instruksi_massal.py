"""A round's instructions made a batch at a time, each instruction on its own stream: the
same decisions whatever the batch size, a crash half way re-run without a duplicate, a
channel's report touching only its instruction's stream, the round closed on the
instructions' figures."""

import uuid

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from apps.bansos import commands
from apps.bansos.commands import instruksi as batch_module
from apps.bansos.domain.events import DanaDisalurkan
from apps.bansos.domain.penyaluran import instruksi_id
from apps.bansos.models import BansosEvent, IndeksInstruksi, IndeksSiklus
from egov import clock
from egov.eventstore import store as store_module
from tests.bansos.perintah import (  # noqa: F401 - konfigurasi: a fixture
    DIREKTUR,
    KELUARGA_B,
    KK_B,
    LAPOR_PADA,
    NIK_ANAK_SD,
    NIK_KELUARGA_B,
    buat_instruksi,
    event_stream,
    jalankan_policy,
    konfigurasi,
    lapor,
    meta,
    nonaktifkan_nik,
    penerima,
    siklus_disetujui,
    wib,
)

pytestmark = [pytest.mark.django_db(databases="__all__"), pytest.mark.usefixtures("konfigurasi")]


def dua_keluarga():
    return penerima(), penerima(KELUARGA_B, NIK_KELUARGA_B, kk=KK_B)


def jenis(stream_id: uuid.UUID) -> list[str]:
    """One stream's own event types, nothing else."""
    rows = BansosEvent.objects.using("bansos").filter(stream_id=stream_id).order_by("version")
    return list(rows.values_list("event_type", flat=True))


def test_batches_of_one_decide_as_one_batch_with_a_death_among_them():
    a, b = dua_keluarga()
    siklus_id = siklus_disetujui()
    nonaktifkan_nik(NIK_ANAK_SD, alasan="MENINGGAL")  # a member of A
    jalankan_policy()

    hasil = buat_instruksi(siklus_id, ukuran_batch=1)

    assert hasil.dibuat == (instruksi_id(siklus_id, b),)
    assert hasil.dilewati == ((a, "penerima_tidak_aktif"),)
    assert jenis(instruksi_id(siklus_id, b)) == ["InstruksiPembayaranDibuat"]
    assert jenis(instruksi_id(siklus_id, a)) == []
    assert jenis(siklus_id) == ["SiklusPenyaluranDibuat", "SiklusDiajukan", "SiklusDisetujui"]
    assert list(IndeksInstruksi.objects.values_list("penerima_id", "nomor_kk_hash")) == [
        (b, KK_B)
    ]
    assert IndeksSiklus.objects.get().status == "DISALURKAN"


def test_a_crash_half_way_then_a_rerun_makes_each_instruction_once(monkeypatch):
    a, b = dua_keluarga()
    siklus_id = siklus_disetujui()
    pertama, kedua = sorted([a, b])
    asli, panggilan = batch_module.fakta_massal, []

    def crash_on_the_second_batch(*args, **kwargs):
        panggilan.append(1)
        if len(panggilan) == 2:
            raise RuntimeError("worker killed")
        return asli(*args, **kwargs)

    monkeypatch.setattr(batch_module, "fakta_massal", crash_on_the_second_batch)
    with pytest.raises(RuntimeError):
        buat_instruksi(siklus_id, ukuran_batch=1)
    assert list(IndeksInstruksi.objects.values_list("penerima_id", flat=True)) == [pertama]
    monkeypatch.setattr(batch_module, "fakta_massal", asli)

    hasil = buat_instruksi(siklus_id, ukuran_batch=1)

    assert (hasil.dibuat, hasil.dilewati) == ((instruksi_id(siklus_id, kedua),), ())
    assert sorted(IndeksInstruksi.objects.values_list("penerima_id", flat=True)) == sorted([a, b])
    dibuat = BansosEvent.objects.filter(event_type="InstruksiPembayaranDibuat")
    assert sorted(dibuat.values_list("stream_id", flat=True)) == sorted(
        [instruksi_id(siklus_id, a), instruksi_id(siklus_id, b)]
    )
    assert buat_instruksi(siklus_id).dibuat == ()  # and once more: nothing


def test_a_channel_report_reads_and_writes_only_its_instructions_stream():
    a, b = dua_keluarga()
    siklus_id = siklus_disetujui()
    buat_instruksi(siklus_id)
    ia = instruksi_id(siklus_id, a)

    with CaptureQueriesContext(connections["bansos"]) as queries:
        assert lapor(ia, "TERSALUR", ntx="BRI-0001", nominal=600_000) is True

    tabel = BansosEvent._meta.db_table
    sql = " ".join(q["sql"] for q in queries.captured_queries if tabel in q["sql"])
    assert str(ia) in sql or ia.hex in sql  # its instruction's stream, loaded and appended
    assert str(siklus_id) not in sql
    assert siklus_id.hex not in sql  # SQLite writes UUIDs without dashes
    assert jenis(ia) == ["InstruksiPembayaranDibuat", "DanaDisalurkan"]
    assert event_stream(ia)[-1] == DanaDisalurkan(
        instruksi_id=ia, kanal="BRI", ntx="BRI-0001", nominal=600_000, disalurkan_pada=LAPOR_PADA
    )
    assert jenis(instruksi_id(siklus_id, b)) == ["InstruksiPembayaranDibuat"]
    assert len(jenis(siklus_id)) == 3
    row = IndeksInstruksi.objects.get(instruksi_id=ia)
    assert (row.status, row.nominal_disalurkan) == ("TERSALUR", 600_000)


def test_a_round_closes_on_the_instructions_figures_from_its_index():
    a, b = dua_keluarga()
    siklus_id = siklus_disetujui()
    buat_instruksi(siklus_id)
    ia, ib = instruksi_id(siklus_id, a), instruksi_id(siklus_id, b)
    lapor(ia, "TERSALUR", ntx="BRI-0001", nominal=600_000)
    lapor(ib, "TIDAK_DIAMBIL")
    lapor(ib, "DIKEMBALIKAN", nominal=225_000, referensi="NTPN-1")

    with clock.frozen(wib(2025, 6, 30, 16)):
        rekonsiliasi = commands.bansos_tutup_siklus(
            principal=DIREKTUR, siklus_id=siklus_id, metadata=meta(DIREKTUR)
        )

    assert (
        rekonsiliasi.jumlah_instruksi,
        rekonsiliasi.diinstruksikan,
        rekonsiliasi.disalurkan,
        rekonsiliasi.dikembalikan,
        rekonsiliasi.selisih,
    ) == (2, 825_000, 600_000, 225_000, 0)
    assert jenis(siklus_id)[-1] == "SiklusDitutup"
    assert IndeksSiklus.objects.get().status == "DITUTUP"
    assert lapor(ib, "DIKEMBALIKAN", nominal=225_000, referensi="NTPN-1") is False


def test_a_batch_announces_its_commit_once_with_every_event_counted(
    monkeypatch, django_capture_on_commit_callbacks
):
    dua_keluarga()
    siklus_id = siklus_disetujui()
    committed, appended = [], []
    monkeypatch.setattr(store_module, "events_committed", committed.append)
    monkeypatch.setattr(store_module, "events_appended", lambda c, n: appended.append((c, n)))

    with django_capture_on_commit_callbacks(using="bansos", execute=True):
        buat_instruksi(siklus_id)

    assert committed == ["bansos"]  # the projectors scheduled once, not per instruction
    assert appended == [("bansos", 2)]
