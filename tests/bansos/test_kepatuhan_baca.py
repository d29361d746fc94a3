"""PKH compliance (``KepatuhanDicatat``) on the read side: the household's row and each
member's "Bantuan saya" row carry the latest word per period and component, shown on the
admin's household page and the citizen's portal section; erased with the pengurus's data,
and a rebuild agrees."""

import io

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import Client

from apps.bansos import commands, queries
from apps.bansos.read_models import BantuanWarga, UsulanRingkas
from apps.bansos.roles import GRUP_PETUGAS
from apps.bansos.store import store
from egov import clock
from egov.eventstore.domain import EventMetadata
from egov.portal.models import OfficerProfile
from tests.bansos.perintah import (  # noqa: F401 - konfigurasi: a fixture
    ANAK_SD,
    DINSOS,
    IBU,
    konfigurasi,
    meta,
    penerima,
    wib,
)
from tests.bansos.test_projections import NAME, READ, isi_tabel, proyeksikan
from tests.principals import officer

pytestmark = [pytest.mark.django_db(databases="__all__"), pytest.mark.usefixtures("konfigurasi")]
SD_TW2 = {"periode": "2025-TW2", "komponen": "SD", "patuh": True, "sumber": "survei-pendamping"}


def kepatuhan(penerima_id, komponen="SD", patuh=True, periode="2025-TW2"):
    with clock.frozen(wib(2025, 5, 2, 10)):
        return commands.bansos_catat_kepatuhan(
            principal=DINSOS,
            penerima_id=penerima_id,
            periode=periode,
            komponen=komponen,
            patuh=patuh,
            sumber="survei-pendamping",
            metadata=meta(DINSOS),
        )


def test_compliance_is_a_column_of_the_household_and_of_each_members_row():
    penerima_id = penerima()
    kepatuhan(penerima_id, komponen="SMP", patuh=False)
    kepatuhan(penerima_id)

    proyeksikan()

    smp = {**SD_TW2, "komponen": "SMP", "patuh": False}
    assert UsulanRingkas.objects.using(READ).get().kepatuhan == [SD_TW2, smp]
    warga = BantuanWarga.objects.using(READ).filter(penerima_id=penerima_id)
    assert {r.nik_hash: r.kepatuhan for r in warga}[ANAK_SD] == [SD_TW2, smp]
    [saya] = queries.bantuan_warga(IBU)
    assert [(k.komponen, k.patuh) for k in saya.kepatuhan] == [("SD", True), ("SMP", False)]
    assert [k.komponen for k in queries.hasil_kelayakan(DINSOS, penerima_id).kepatuhan] == [
        "SD",
        "SMP",
    ]


def test_a_correction_replaces_the_periods_word_for_that_component():
    penerima_id = penerima()
    kepatuhan(penerima_id, patuh=False)
    kepatuhan(penerima_id, patuh=True)
    kepatuhan(penerima_id, periode="2025-TW3", patuh=False)

    proyeksikan()

    assert UsulanRingkas.objects.using(READ).get().kepatuhan == [
        SD_TW2,
        {**SD_TW2, "periode": "2025-TW3", "patuh": False},
    ]


def test_the_officers_page_and_the_citizens_section_show_it():
    penerima_id = penerima()
    kepatuhan(penerima_id, komponen="SMP", patuh=False)
    proyeksikan()
    user = officer("dinsos-bandung-1", GRUP_PETUGAS)
    OfficerProfile.objects.update_or_create(user=user, defaults={"kantor": "3273"})
    client = Client()
    client.force_login(user)

    page = client.get(f"/admin/bansos/usulanringkas/{penerima_id}/change/").content.decode()
    bagian = queries.bagian_portal(IBU)

    assert 'id="kepatuhan"' in page
    assert "<code>SMP</code>" in page
    assert "Tidak terpenuhi" in page
    assert [(k.komponen, k.patuh) for k in bagian[0]["bantuan"].kepatuhan] == [("SMP", False)]
    html = render_to_string("bansos/_bagian_portal.html", {"items": bagian})
    assert "Kepatuhan SMP 2025-TW2: tidak terpenuhi" in html


def test_erasure_empties_it_and_a_rebuild_agrees():
    penerima_id = penerima()
    kepatuhan(penerima_id)
    proyeksikan()

    store.forget_subject(IBU, EventMetadata(actor="dpo", source="test", reason="UU PDP"))
    proyeksikan()

    assert UsulanRingkas.objects.using(READ).get(penerima_id=penerima_id).kepatuhan == []
    tables = isi_tabel()
    call_command("rebuild_projections", NAME, stdout=io.StringIO(), stderr=io.StringIO())
    assert isi_tabel() == tables
