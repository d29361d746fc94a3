"""Portal pages (the citizen's own applications) and the back office (queues, actions)."""

import io

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission, User
from django.test import Client

from apps.izin import commands
from apps.izin.models import IzinEvent, IzinStatus
from apps.izin.roles import GRUP_APPROVER, GRUP_VERIFIKATOR
from egov.eventstore.pseudonym import keyed_hash
from egov.portal.models import TERVERIFIKASI, CitizenProfile
from tests.izin.conftest import (
    NIK,
    NIK_LAIN,
    VERIFIKATOR,
    ajukan,
    metadata,
    selesaikan,
    verifikasi_ktp,
)

pytestmark = [
    pytest.mark.django_db(databases="__all__"),
    pytest.mark.usefixtures("kbli_terbit"),  # the portal form's KBLI check reads the copy
]
FORM = {
    "nama_pemohon": "Sri Wahyuni",
    "jenis_pelaku": "PERORANGAN",
    "nama_usaha": "Toko Roti Sri",
    "kbli_kode": "47722",
    "kbli_versi": "2020",
    "kode_wilayah": "327301",  # a district: the portal asks where the business is
    "skala": "KECIL",
    "nilai_investasi": "90000000",
}


def citizen(nik: str, username: str = "sri") -> Client:
    user = User.objects.create_user(username, password="x")
    CitizenProfile.objects.create(
        user=user, subject_id=keyed_hash(nik), nik_masked="x", status=TERVERIFIKASI
    )
    client = Client()
    client.force_login(user)
    return client


def officer(*groups: str, username: str = "petugas") -> Client:
    user = User.objects.create_user(username, password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_izinstatus"))
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    client = Client()
    client.force_login(user)
    return client


def test_citizen_applies_follows_answers_a_correction_and_downloads():
    verifikasi_ktp(NIK)
    selesaikan()
    sri = citizen(NIK)
    response = sri.post("/izin/ajukan/", FORM)
    assert response.status_code == 302
    selesaikan()
    [row] = IzinStatus.objects.all()
    assert response["Location"] == f"/izin/{row.permohonan_id}/"
    page = sri.get(response["Location"])
    assert page.status_code == 200
    assert "Menunggu verifikasi petugas" in page.content.decode()  # words, not the code
    assert IzinEvent.objects.filter(event_type="DataPribadiDiakses").count() == 0

    commands.izin_minta_perbaikan(
        permohonan_id=row.permohonan_id,
        principal=VERIFIKATOR,
        catatan="Foto apotek",
        metadata=metadata("v"),
    )
    selesaikan()
    assert "Tanggapi permintaan perbaikan" in sri.get(response["Location"]).content.decode()
    sri.post(f"/izin/{row.permohonan_id}/perbaikan/", {"keterangan": "Foto terlampir"})
    commands.izin_setujui(
        permohonan_id=row.permohonan_id, principal=VERIFIKATOR, metadata=metadata("v")
    )
    selesaikan()
    download = sri.get(f"/izin/{row.permohonan_id}/dokumen/")
    assert download.status_code == 200
    assert download.content.startswith(b"%PDF")
    assert "Toko Roti Sri" in sri.get("/izin/").content.decode()


def test_citizen_applies_only_under_their_own_nik_and_cannot_see_anothers_application():
    sri = citizen(NIK)
    response = sri.post("/izin/ajukan/", {**FORM, "nik": NIK_LAIN})  # the form has no NIK
    assert response.status_code == 302
    [dibuat] = IzinEvent.objects.filter(event_type="PermohonanIzinDibuat")
    assert dibuat.subject_id == keyed_hash(NIK)
    other = ajukan(nik=NIK_LAIN)
    selesaikan()
    assert sri.get(f"/izin/{other}/").status_code == 404
    assert sri.get(f"/izin/{other}/dokumen/").status_code == 404


def test_admin_queue_detail_records_access_and_action_decides():
    verifikasi_ktp(NIK)
    selesaikan()
    pid = ajukan(kbli_kode="16101")  # MT
    selesaikan()
    client = officer(GRUP_VERIFIKATOR)
    queue = client.get("/admin/izin/izinstatus/")
    assert queue.status_code == 200
    assert "Warung Bu Sri" in queue.content.decode()
    assert client.get(f"/admin/izin/izinstatus/{pid}/change/").status_code == 200
    assert IzinEvent.objects.filter(event_type="DataPribadiDiakses").count() == 1

    asked = client.post(
        "/admin/izin/izinstatus/", {"action": "tolak", "_selected_action": [str(pid)]}
    )
    assert asked.status_code == 200  # the reason form
    assert IzinEvent.objects.filter(event_type="IzinDitolak").count() == 0
    client.post(
        "/admin/izin/izinstatus/",
        {
            "action": "tolak",
            "_selected_action": [str(pid)],
            "apply": "1",
            "alasan": "Lokasi di kawasan lindung",
            "dasar_hukum": "PP 21/2021",
        },
    )
    assert IzinEvent.objects.filter(stream_id=pid).last().event_type == "IzinDitolak"


def test_admin_action_by_a_non_officer_writes_nothing():
    verifikasi_ktp(NIK)
    selesaikan()
    pid = ajukan(kbli_kode="16101")
    selesaikan()
    before = IzinEvent.objects.count()
    officer().post("/admin/izin/izinstatus/", {"action": "setujui", "_selected_action": [str(pid)]})
    assert IzinEvent.objects.count() == before


def test_demo_data_loads_twice_without_duplicates():
    config = django_apps.get_app_config("izin")
    config.load_demo(io.StringIO())
    selesaikan()
    first = IzinEvent.objects.count()
    config.load_demo(io.StringIO())
    selesaikan()
    assert IzinEvent.objects.count() == first
    tahap = sorted(IzinStatus.objects.values_list("tahap", flat=True))
    assert tahap == [
        "DISETUJUI",
        "DITOLAK",
        "MENUNGGU_VERIFIKASI_IDENTITAS",
        "PERBAIKAN",
        "PERSETUJUAN",
        "VERIFIKASI",
    ]
    assert User.objects.get(username="verifikator_oss").groups.get().name == GRUP_VERIFIKATOR


def test_admin_revocation_is_for_approvers_only():
    verifikasi_ktp(NIK)
    selesaikan()
    pid = ajukan()  # R: approved at once
    selesaikan()
    form = {
        "action": "cabut",
        "_selected_action": [str(pid)],
        "apply": "1",
        "alasan": "Usaha tidak beroperasi",
        "dasar_hukum": "PP 28/2025",
    }
    officer(GRUP_VERIFIKATOR).post("/admin/izin/izinstatus/", form)
    assert IzinEvent.objects.filter(event_type="IzinDicabut").count() == 0
    approver = officer(GRUP_APPROVER, username="approver")
    approver.post("/admin/izin/izinstatus/", form)
    assert IzinEvent.objects.filter(stream_id=pid).last().event_type == "IzinDicabut"
