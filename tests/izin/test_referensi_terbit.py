"""The KBLI risk table reaches the read side as events: the picker and the API read the copy
the ``izin.referensi`` projector keeps, never the configuration table on the write alias.
Publishing is a reconciliation, so it appends only what changed, and each admin edit is
published (attributed to the officer) in the same transaction as the edit."""

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from rest_framework.test import APIClient

from apps.izin import commands
from apps.izin.domain.referensi import (
    TABEL_RISIKO_STREAM,
    RisikoKBLIDicabut,
    RisikoKBLIDitetapkan,
    TabelRisikoKBLI,
)
from apps.izin.models import IzinEvent, KBLIReferensi, RisikoKBLI
from egov.eventstore.domain import DomainError
from egov.eventstore.projections import get_projector, rebuild, run_projector
from tests.izin.conftest import NIK
from tests.principals import citizen, principal

ROTI = dict(kode="10710", versi="2020", judul="Industri produk roti dan kue", sektor="Industri")


def _baris(skala="", tingkat="MR", mulai="2025-06-05", **lain) -> RisikoKBLIDitetapkan:
    fields = {**ROTI, "otoritas": "Kemenperin", "berlaku_sampai": "", **lain}
    return RisikoKBLIDitetapkan(skala=skala, tingkat=tingkat, berlaku_mulai=mulai, **fields)


# --- the reconciliation, plain Python ---------------------------------------------------------
def _tabel(*rows: RisikoKBLIDitetapkan) -> TabelRisikoKBLI:
    tabel = TabelRisikoKBLI(TABEL_RISIKO_STREAM)
    tabel.selaraskan(list(rows))
    tabel.collect()
    return tabel


def test_publishing_the_same_rows_again_records_nothing():
    tabel = _tabel(_baris(), _baris(skala="BESAR", tingkat="MT"))

    tabel.selaraskan([_baris(skala="BESAR", tingkat="MT"), _baris()])

    assert tabel.collect() == []


def test_a_changed_row_is_published_again_and_a_removed_one_is_withdrawn():
    tabel = _tabel(_baris(), _baris(skala="BESAR", tingkat="MT"))

    tabel.selaraskan([_baris(tingkat="MT")])

    assert tabel.collect() == [
        RisikoKBLIDicabut(kode="10710", versi="2020", skala="BESAR", berlaku_mulai="2025-06-05"),
        _baris(tingkat="MT"),
    ]


def test_a_row_whose_start_date_moved_is_withdrawn_under_its_old_key():
    tabel = _tabel(_baris())

    tabel.selaraskan([_baris(mulai="2026-01-01")])

    assert tabel.collect() == [
        RisikoKBLIDicabut(kode="10710", versi="2020", skala="", berlaku_mulai="2025-06-05"),
        _baris(mulai="2026-01-01"),
    ]


# --- the command and the read side --------------------------------------------------------------
pytestmark_db = pytest.mark.django_db(databases="__all__")
with_the_table_published = pytest.mark.usefixtures("kbli_terbit")


def _project() -> None:
    run_projector(get_projector("izin.referensi"))


def _roti_di_pemilih() -> list[tuple[str, str]]:
    body = APIClient().get("/api/v1/izin/kbli/", {"q": "10710"}).json()
    return [(r["skala"], r["tingkat"]) for k in body for r in k["risiko"]]


def _copy() -> list[tuple]:
    return list(
        KBLIReferensi.objects.using("izin_read")
        .order_by("kode", "versi", "skala", "berlaku_mulai")
        .values_list("kode", "versi", "skala", "berlaku_mulai", "tingkat", "berlaku_sampai")
    )


def _table() -> list[tuple]:
    return list(
        RisikoKBLI.objects.using("izin")
        .order_by("kode", "versi", "skala", "berlaku_mulai")
        .values_list("kode", "versi", "skala", "berlaku_mulai", "tingkat", "berlaku_sampai")
    )


@pytestmark_db
@with_the_table_published
def test_the_read_copy_equals_the_table_and_a_second_publication_appends_nothing():
    assert _copy() == _table()
    before = IzinEvent.objects.filter(stream_id=TABEL_RISIKO_STREAM).count()

    assert commands.terbitkan_referensi() == 0

    assert IzinEvent.objects.filter(stream_id=TABEL_RISIKO_STREAM).count() == before


@pytestmark_db
@with_the_table_published
def test_the_picker_reads_the_published_copy_not_the_table():
    RisikoKBLI.objects.using("izin").filter(kode="10710").update(tingkat="T")

    assert ("MIKRO", "MR") in _roti_di_pemilih()  # not published yet: the copy is unchanged

    commands.terbitkan_referensi()
    _project()

    assert _roti_di_pemilih() == [(s, "T") for s in ("MIKRO", "KECIL", "MENENGAH", "BESAR")]


@pytestmark_db
@with_the_table_published
def test_rebuilding_the_copy_from_the_events_gives_the_same_rows():
    RisikoKBLI.objects.using("izin").filter(kode="10710", skala="BESAR").delete()
    commands.terbitkan_referensi()
    _project()
    live = _copy()

    rebuild(get_projector("izin.referensi"))

    assert _copy() == live == _table()


@pytestmark_db
@with_the_table_published
def test_a_citizen_cannot_publish_the_table():
    warga = principal(citizen("sri", NIK))

    with pytest.raises(DomainError) as refused:
        commands.izin_terbitkan_tabel_risiko(
            principal=warga, metadata=warga.metadata(source="test")
        )

    assert refused.value.code == "bukan_petugas"


@pytest.fixture
def admin_kbli() -> Client:
    user = User.objects.create_user("pengelola", password="x", is_staff=True)
    for action in ("view", "change", "delete"):
        user.user_permissions.add(Permission.objects.get(codename=f"{action}_risikokbli"))
    client = Client()
    client.force_login(user)
    return client


def _edit_form(row: RisikoKBLI, **changes) -> dict:
    form = {
        "kode": row.kode,
        "versi": row.versi,
        "judul": row.judul,
        "sektor": row.sektor,
        "skala": row.skala,
        "tingkat": row.tingkat,
        "otoritas": row.otoritas,
        "berlaku_mulai": row.berlaku_mulai.isoformat(),
        "berlaku_sampai": "",
    }
    return {**form, **changes}


@pytestmark_db
@with_the_table_published
def test_an_admin_edit_is_published_by_the_officer_in_the_same_request(admin_kbli):
    row = RisikoKBLI.objects.using("izin").get(kode="10710", skala="BESAR")

    response = admin_kbli.post(
        f"/admin/izin/risikokbli/{row.pk}/change/", _edit_form(row, tingkat="T")
    )
    _project()

    assert response.status_code == 302
    last = IzinEvent.objects.filter(stream_id=TABEL_RISIKO_STREAM).order_by("-version").first()
    assert (last.event_type, last.payload["tingkat"]) == ("RisikoKBLIDitetapkan", "T")
    assert (last.metadata["actor"], last.metadata["source"]) == ("pengelola", "admin")
    assert ("BESAR", "T") in _roti_di_pemilih()


@pytestmark_db
@with_the_table_published
def test_an_admin_delete_withdraws_the_row_from_the_picker(admin_kbli):
    row = RisikoKBLI.objects.using("izin").get(kode="10710", skala="BESAR")

    response = admin_kbli.post(f"/admin/izin/risikokbli/{row.pk}/delete/", {"post": "yes"})
    _project()

    assert response.status_code == 302
    last = IzinEvent.objects.filter(stream_id=TABEL_RISIKO_STREAM).order_by("-version").first()
    assert (last.event_type, last.payload["skala"]) == ("RisikoKBLIDicabut", "BESAR")
    assert ("BESAR", "MT") not in _roti_di_pemilih()
    assert ("BESAR", "MR") in _roti_di_pemilih()  # the row for every scale applies now
