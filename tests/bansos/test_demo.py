"""`make run`'s bansos demo on an empty database: every eligibility rule shows on the read side
with its exact count, the rounds have the outcomes the reconciliation and the dashboard need,
the demo citizen sees her household, the accounts the README lists work, and a second load
adds nothing. The demo is loaded once (bansos's part only, ~15 s) and looked at from every
side."""

from __future__ import annotations

import base64
import io
from collections import Counter
from datetime import datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client
from oauth2_provider.models import Application
from rest_framework.test import APIClient

from apps.bansos import demo, queries
from apps.bansos.domain.rules import WIB
from apps.bansos.models import BansosEvent, DaftarPengecualian, IdentitasDukcapil
from apps.bansos.read_models import InstruksiRingkas, SiklusRingkas, UsulanRingkas
from apps.bansos.roles import GRUP_PETUGAS
from egov import clock
from egov.eventstore.pseudonym import keyed_hash
from egov.portal.accounts import principal_for_user
from tests.bansos.perintah import konfigurasi  # noqa: F401 - a fixture

pytestmark = [pytest.mark.django_db(databases="__all__"), pytest.mark.usefixtures("konfigurasi")]

SEKARANG = datetime(2026, 11, 25, 12, 0, tzinfo=WIB)  # PKH 2026-TW4, BPNT 2026-10 to 2026-12


def load_demo() -> None:
    with clock.frozen(SEKARANG):
        demo.load_demo(io.StringIO())


def test_the_bansos_demo_shows_every_rule_round_and_account():
    load_demo()

    _households_per_status_and_rule()
    _rounds_reconciliation_and_dashboard()
    _the_demo_citizen_sees_her_household()
    _the_demo_accounts_work()
    events = BansosEvent.objects.using("bansos").count()
    replica = IdentitasDukcapil.objects.using("bansos").count()
    load_demo()  # again
    assert BansosEvent.objects.using("bansos").count() == events
    assert IdentitasDukcapil.objects.using("bansos").count() == replica
    assert User.objects.filter(username__in=[demo.PETUGAS, demo.PENYETUJU]).count() == 2
    assert Application.objects.filter(client_id=demo.KANAL_CLIENT_ID).count() == 1


def _households_per_status_and_rule():
    status = Counter(UsulanRingkas.objects.values_list("program", "status"))
    assert status == {
        ("PKH", "AKTIF"): 156,
        ("PKH", "DITANGGUHKAN"): 4,  # three deaths after the instructions, one by the officer
        ("PKH", "DIVERIFIKASI"): 25,
        ("PKH", "DITOLAK"): 7,
        ("PKH", "DIAJUKAN"): 8,
        ("BPNT", "AKTIF"): 98,
        ("BPNT", "DITANGGUHKAN"): 2,  # two deaths before this month's round
        ("BPNT", "DIVERIFIKASI"): 12,
        ("BPNT", "DITOLAK"): 7,
        ("BPNT", "DIAJUKAN"): 5,
    }
    ditangguhkan = UsulanRingkas.objects.filter(status="DITANGGUHKAN")
    assert Counter(ditangguhkan.values_list("program", "alasan_penangguhan")) == {
        ("PKH", "MENINGGAL"): 3,
        ("PKH", "LAINNYA"): 1,
        ("BPNT", "MENINGGAL"): 2,
    }
    # Each failing household fails exactly its rule (a shared NIK also puts that person on
    # two KKs); every verified household is flagged for the DTSEN decile.
    gagal = Counter(
        (r.program, tuple(t["kode"] for t in r.gagal))
        for r in UsulanRingkas.objects.filter(layak=False)
    )
    per_program = {
        ("nik_di_banyak_kk", "ganda_nik"): (5, 3),
        ("ganda_kk",): (5, 3),
        ("meninggal",): (5, 3),
        ("nik_nonaktif",): (2, 1),
        ("dikecualikan",): (5, 3),
        ("desil_di_atas_batas",): (5, 3),
        ("nik_belum_terverifikasi",): (5, 3),
    }
    assert gagal == {
        **{("PKH", kode): n[0] for kode, n in per_program.items()},
        **{("BPNT", kode): n[1] for kode, n in per_program.items()},
    }
    assert UsulanRingkas.objects.filter(layak=True).count() == 260
    assert UsulanRingkas.objects.filter(layak=None).count() == 13  # not verified yet
    verified = UsulanRingkas.objects.exclude(layak=None)
    tinjau = Counter(tuple(t["kode"] for t in r.tinjau) for r in verified)
    # three PKH households name one bank account: each verified after the first is flagged,
    # and still decided (a review, not a refusal)
    assert tinjau == {
        ("desil_belum_dipadankan",): verified.count() - 2,
        ("desil_belum_dipadankan", "rekening_bersama"): 2,
    }
    bersama = [r for r in verified if any(t["kode"] == "rekening_bersama" for t in r.tinjau)]
    assert {(r.program, r.status, r.layak) for r in bersama} == {("PKH", "AKTIF", True)}
    assert UsulanRingkas.objects.filter(status="DITOLAK", layak=False).count() == 14
    assert set(UsulanRingkas.objects.values_list("kode_provinsi", flat=True)) == set(demo.PROVINSI)
    kategori = Counter(DaftarPengecualian.objects.using("bansos").values_list("kategori"))
    assert kategori == {("ASN",): 3, ("TNI",): 3, ("POLRI",): 2}


def _rounds_reconciliation_and_dashboard():
    rounds = {(s.program, s.periode): s for s in SiklusRingkas.objects.all()}
    assert {k: s.status for k, s in rounds.items()} == {
        ("BPNT", "2026-10"): "DITUTUP",
        ("BPNT", "2026-11"): "DISALURKAN",
        ("BPNT", "2026-12"): "DRAF",
        ("PKH", "2026-TW4"): "DISALURKAN",
    }
    assert all(s.disetujui_oleh == demo.PENYETUJU for s in rounds.values() if s.disetujui_pada)
    assert {s.dibuat_oleh for s in rounds.values()} == {demo.PETUGAS}

    def angka(s):
        return (
            s.jumlah_instruksi,
            s.jumlah_disalurkan,
            s.jumlah_gagal,
            s.jumlah_dialihkan,
            s.jumlah_dikembalikan,
            s.jumlah_dibatalkan,
            s.jumlah_menunggu,
        )

    assert angka(rounds["BPNT", "2026-10"]) == (100, 85, 5, 0, 10, 0, 0)
    assert angka(rounds["BPNT", "2026-11"]) == (98, 78, 5, 5, 5, 0, 5)
    assert angka(rounds["PKH", "2026-TW4"]) == (159, 125, 8, 8, 8, 3, 7)
    tutup = rounds["BPNT", "2026-10"]
    assert (
        tutup.rupiah_instruksi
        == 20_000_000
        == (tutup.rupiah_disalurkan + tutup.rupiah_dikembalikan + tutup.rupiah_gagal)
    )
    assert InstruksiRingkas.objects.filter(kanal="POS", status="TERSALUR").count() == 18

    petugas = principal_for_user(User.objects.get(username=demo.PETUGAS))
    pkh = rounds["PKH", "2026-TW4"].siklus_id
    r = queries.rekonsiliasi(petugas, pkh)
    assert len(r.instruksi) == 159
    assert not r.siklus.rekonsiliasi.seimbang  # some still waiting: it cannot close yet
    dasbor = {(b.program, b.kode_provinsi): b for b in queries.dasbor(petugas)}
    assert len(dasbor) == 2 * len(demo.PROVINSI) + 2
    assert (dasbor["PKH", ""].aktif, dasbor["PKH", ""].ditangguhkan) == (156, 4)
    assert (dasbor["BPNT", ""].aktif, dasbor["BPNT", ""].ditangguhkan) == (98, 2)
    assert dasbor["BPNT", ""].jumlah_disalurkan == 85 + 78


def _the_demo_citizen_sees_her_household():
    bantuan = queries.bantuan_warga(keyed_hash(demo.WARGA[1]))
    assert [
        (b.program, b.periode, b.status, b.tahap_diterima, b.rupiah_diterima) for b in bantuan
    ] == [
        ("PKH", "2026-TW4", "AKTIF", 1, 750_000),
        ("BPNT", "2026-10", "AKTIF", 2, 400_000),
    ]
    client = Client()
    client.force_login(User.objects.get(username=demo.WARGA[0]))
    assert User.objects.get(username=demo.WARGA[0]).check_password(demo.PASSWORD)
    home = client.get("/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Program Keluarga Harapan (PKH)" in home
    assert "Rp750.000" in home


def _the_demo_accounts_work():
    for username in (demo.PETUGAS, demo.PENYETUJU):
        user = User.objects.get(username=username)
        assert user.check_password(demo.PASSWORD)
        assert user.is_staff
        assert list(user.groups.values_list("name", flat=True)) == [GRUP_PETUGAS]
        assert user.officer.kantor == ""  # national office
    officer = Client()
    officer.force_login(User.objects.get(username=demo.PETUGAS))
    assert officer.get("/admin/bansos/usulanringkas/").status_code == 200
    assert officer.get("/admin/bansos/siklusringkas/dasbor/").status_code == 200

    basic = base64.b64encode(f"{demo.KANAL_CLIENT_ID}:{demo.KANAL_CLIENT_SECRET}".encode())
    token = APIClient().post(
        "/o/token/",
        {"grant_type": "client_credentials", "scope": "bansos:penyaluran"},
        HTTP_AUTHORIZATION=f"Basic {basic.decode()}",
    )
    assert token.status_code == 200, token.content
    assert token.json()["scope"] == "bansos:penyaluran"
