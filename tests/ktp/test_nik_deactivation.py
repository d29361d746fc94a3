"""Dukcapil deactivates a NIK (death, duplicate) and reactivates one deactivated in error:
the events on the NIK's stream, the refusals, the officers' admin door and the read side."""

from datetime import date

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.test import Client

from apps.ktp import commands
from apps.ktp.domain import (
    MSG_ALASAN_NONAKTIF,
    MSG_KETERANGAN_WAJIB,
    MSG_MASIH_AKTIF,
    MSG_SUDAH_NONAKTIF,
    NIKDiaktifkanKembali,
    NIKDinonaktifkan,
    nik_stream_id,
)
from apps.ktp.models import KtpEvent, PermohonanTerbuka, StatusPermohonanKTP
from apps.ktp.roles import GRUP_PETUGAS, MSG_BUKAN_PETUGAS
from apps.ktp.store import store
from egov import contracts
from egov.contracts import ktp as ktp_contract
from egov.eventstore.domain import ERASED, InvalidInput, InvalidState
from egov.eventstore.feed import read_feed
from egov.eventstore.pseudonym import keyed_hash
from egov.principals import AccessDenied
from tests.ktp.conftest import LOKET, NIK, NIK_LAIN, OFFICER, TEMPLATE, ajukan, events
from tests.principals import counter_officer
from tests.support import committed

pytestmark = pytest.mark.django_db(databases="__all__")
NIK_HASH = keyed_hash(NIK)
STREAM = nik_stream_id(NIK_HASH)
AKTA = "Akta kematian 3273-KM-01122026-0001"
URL = "/admin/ktp/statuspermohonanktp/"


def nonaktifkan(alasan="MENINGGAL", keterangan=AKTA, principal=LOKET, nik_hash=NIK_HASH):
    with committed("ktp"):
        commands.ktp_nonaktifkan_nik(
            principal=principal,
            nik_hash=nik_hash,
            alasan=alasan,
            keterangan=keterangan,
            metadata=principal.metadata(source="test"),
        )


def aktifkan(keterangan="Kematian salah catat", principal=LOKET):
    with committed("ktp"):
        commands.ktp_aktifkan_kembali_nik(
            principal=principal,
            nik_hash=NIK_HASH,
            keterangan=keterangan,
            metadata=principal.metadata(source="test"),
        )


def nik_events() -> list:
    return [recorded.event for recorded in store.load(STREAM)]


def test_an_officer_deactivates_a_nik_with_the_exact_payload_and_metadata():
    with committed("ktp"):
        commands.ktp_nonaktifkan_nik(
            principal=LOKET,
            nik_hash=NIK_HASH,
            alasan="MENINGGAL",
            keterangan=f"  {AKTA} ",
            metadata=OFFICER,
        )

    row = KtpEvent.objects.using("ktp").get(stream_id=STREAM)
    assert (row.stream_type, row.version, row.event_type) == ("NIK", 1, "NIKDinonaktifkan")
    assert row.subject_id == NIK_HASH
    assert nik_events() == [
        NIKDinonaktifkan(nik_hash=NIK_HASH, alasan="MENINGGAL", keterangan=AKTA, status="NONAKTIF")
    ]
    assert AKTA not in str(row.payload)  # the note is sealed with the citizen's key
    assert row.payload["alasan"] == "MENINGGAL"
    assert row.metadata["actor"] == OFFICER.actor
    assert row.metadata["officer_id"] == "petugas"
    assert row.metadata["principal_id"] == "user:petugas"
    assert row.metadata["correlation_id"] == OFFICER.correlation_id


def test_an_officer_reactivates_a_deactivated_nik():
    nonaktifkan(alasan="GANDA", keterangan="")

    aktifkan(keterangan=" Data ganda salah deteksi ")

    assert nik_events() == [
        NIKDinonaktifkan(nik_hash=NIK_HASH, alasan="GANDA", keterangan="", status="NONAKTIF"),
        NIKDiaktifkanKembali(
            nik_hash=NIK_HASH, keterangan="Data ganda salah deteksi", status="AKTIF"
        ),
    ]
    nonaktifkan()  # and it may be deactivated again
    assert events(stream_id=STREAM)[-1] == "NIKDinonaktifkan"


def test_deactivating_a_deactivated_nik_is_refused_and_appends_nothing():
    nonaktifkan()

    with pytest.raises(InvalidState) as refused:
        nonaktifkan(alasan="GANDA")

    assert (refused.value.code, refused.value.message) == ("nik_sudah_nonaktif", MSG_SUDAH_NONAKTIF)
    assert MSG_SUDAH_NONAKTIF == "NIK ini sudah dinonaktifkan."
    assert events(stream_id=STREAM) == ["NIKDinonaktifkan"]


def test_reactivating_an_active_nik_is_refused_and_appends_nothing():
    with pytest.raises(InvalidState) as refused:
        aktifkan()

    assert (refused.value.code, refused.value.message) == ("nik_masih_aktif", MSG_MASIH_AKTIF)
    assert MSG_MASIH_AKTIF == "NIK ini masih aktif; tidak ada yang perlu diaktifkan kembali."
    assert events(stream_id=STREAM) == []


@pytest.mark.parametrize(
    ("alasan", "keterangan", "code", "message"),
    [
        ("KEMATIAN", AKTA, "alasan_nonaktif_tidak_valid", MSG_ALASAN_NONAKTIF),
        ("", AKTA, "alasan_nonaktif_tidak_valid", MSG_ALASAN_NONAKTIF),
        ("LAINNYA", "   ", "keterangan_wajib", MSG_KETERANGAN_WAJIB),
    ],
)
def test_a_deactivation_needs_a_known_reason_and_a_note_for_another_reason(
    alasan, keterangan, code, message
):
    with pytest.raises(InvalidInput) as refused:
        nonaktifkan(alasan=alasan, keterangan=keterangan)

    assert (refused.value.code, refused.value.message) == (code, message)
    assert events() == []


def test_a_reactivation_needs_a_note():
    nonaktifkan()

    with pytest.raises(InvalidInput) as refused:
        aktifkan(keterangan=" ")

    assert refused.value.code == "keterangan_wajib"
    assert events(stream_id=STREAM) == ["NIKDinonaktifkan"]


@pytest.mark.parametrize(
    "principal",
    [
        counter_officer("petugas_izin", "petugas-izin"),  # an officer of another agency
        counter_officer("", "tanpa-peran"),
    ],
)
def test_only_a_dukcapil_officer_may_deactivate_or_reactivate(principal):
    with pytest.raises(AccessDenied) as deactivation:
        nonaktifkan(principal=principal)
    nonaktifkan()
    with pytest.raises(AccessDenied) as reactivation:
        aktifkan(principal=principal)

    for refused in (deactivation, reactivation):
        assert (refused.value.code, refused.value.message) == ("bukan_petugas", MSG_BUKAN_PETUGAS)
    assert events(stream_id=STREAM) == ["NIKDinonaktifkan"]  # the Dukcapil officer's only


def test_a_deactivated_nik_cannot_request_an_e_ktp_until_reactivated():
    nonaktifkan()

    with pytest.raises(InvalidState) as refused:
        ajukan()

    assert (refused.value.code, refused.value.message) == (
        "nik_nonaktif",
        commands.MSG_NIK_NONAKTIF,
    )
    assert events(stream_type="PermohonanKTP") == []
    aktifkan()
    assert events(stream_id=ajukan()) == ["KTPDibuat"]


def test_the_open_request_of_a_deactivated_nik_is_closed_with_the_reason():
    permohonan_id = ajukan()

    nonaktifkan()

    assert events(stream_id=permohonan_id) == ["KTPDibuat", "KTPDitolak"]
    [_, ditolak] = [recorded.event for recorded in store.load(permohonan_id)]
    assert (ditolak.alasan, ditolak.officer_id) == ("NIK dinonaktifkan (MENINGGAL)", "sistem")
    assert not PermohonanTerbuka.objects.using("ktp").filter(nik_hash=NIK_HASH).exists()
    aktifkan()  # a NIK reactivated (a death recorded in error) may request again
    assert events(stream_id=ajukan()) == ["KTPDibuat"]


def test_the_officers_read_model_shows_the_nik_deactivated_then_active_again():
    first, other = ajukan(), ajukan(NIK_LAIN)

    nonaktifkan()
    deactivated = StatusPermohonanKTP.objects.get(permohonan_id=first)
    untouched = StatusPermohonanKTP.objects.get(permohonan_id=other)
    aktifkan()
    reactivated = StatusPermohonanKTP.objects.get(permohonan_id=first)

    assert (deactivated.status_nik, deactivated.alasan_nonaktif) == ("NONAKTIF", "MENINGGAL")
    assert deactivated.status == "DITOLAK"  # its open request ended with the NIK
    assert (untouched.status_nik, untouched.alasan_nonaktif) == ("AKTIF", "")
    assert (reactivated.status_nik, reactivated.alasan_nonaktif) == ("AKTIF", "")


def test_the_event_ktp_writes_is_read_by_other_contexts_through_the_contract():
    nonaktifkan(alasan="GANDA", keterangan="Ganda dengan NIK 3204011203900002")

    feed = read_feed("ktp")  # what izin and pajak receive: personal fields removed
    fact = contracts.read(ktp_contract.NIKDinonaktifkan, feed[-1])

    assert contracts.is_event(feed[-1], ktp_contract.NIKDinonaktifkan)
    assert fact == ktp_contract.NIKDinonaktifkan(
        nik_hash=NIK_HASH, alasan="GANDA", keterangan=ERASED, status=ktp_contract.NONAKTIF
    )
    assert "3204011203900002" not in str(feed[-1].payload)


# --- the officers' admin door ------------------------------------------------------------
def _admin(*groups: str, superuser: bool = True) -> Client:
    """An admin user; the superuser holds every role, a plain staff user may only look."""
    user = User.objects.create_user("admin-dukcapil", password="x", is_staff=True)
    user.is_superuser = superuser
    user.save()
    user.user_permissions.add(Permission.objects.get(codename="view_statuspermohonanktp"))
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, action: str, rows: list[str], **form) -> str:
    with committed("ktp"):
        data = {"action": action, "_selected_action": rows, "apply": "1", **form}
        response = client.post(URL, data, follow=True)
    return response.content.decode()


def test_the_admin_action_asks_for_a_reason_and_a_note_first():
    pid = ajukan()

    response = _admin(GRUP_PETUGAS).post(URL, {"action": "nonaktifkan", "_selected_action": [pid]})

    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="alasan"' in page
    assert 'name="keterangan"' in page
    assert '<option value="MENINGGAL">meninggal dunia</option>' in page
    assert events(stream_id=STREAM) == []


def _card_and_replacement() -> tuple[str, str]:
    """A handed-over card and its replacement request: two rows of one NIK."""
    first = ajukan()
    with committed("ktp"):
        commands.ktp_tambah_blangko(principal=LOKET, jumlah=1, metadata=OFFICER)
        commands.ktp_rekam_biometrik(
            principal=LOKET,
            permohonan_id=first,
            template_hash=TEMPLATE,
            lokasi="Loket 1",
            metadata=OFFICER,
        )
    with committed("ktp"):
        commands.ktp_serahkan(principal=LOKET, permohonan_id=first, metadata=OFFICER)
        replacement = commands.ktp_ajukan(
            principal=LOKET,
            nik=NIK,
            nama="Warga",
            tanggal_lahir=date(1990, 1, 1),
            pernah_kawin=False,
            jenis="PENGGANTIAN",
            alasan="HILANG",
            metadata=OFFICER,
        )
    return first, str(replacement)


def test_the_admin_action_deactivates_the_nik_of_the_selected_requests_once():
    rows = _card_and_replacement()
    client = _admin(GRUP_PETUGAS)

    page = _post(client, "nonaktifkan", list(rows), alasan="MENINGGAL", keterangan=AKTA)
    listing = client.get(URL).content.decode()

    assert nik_events() == [
        NIKDinonaktifkan(nik_hash=NIK_HASH, alasan="MENINGGAL", keterangan=AKTA)
    ]
    assert KtpEvent.objects.get(stream_id=STREAM).metadata["source"] == "admin"
    assert "1 permohonan diproses." in page
    assert listing.count("Nonaktif (meninggal dunia)") == 2
    assert set(StatusPermohonanKTP.objects.values_list("status_nik", flat=True)) == {"NONAKTIF"}


def test_the_admin_reactivates_and_shows_a_refusal_in_words():
    pid = ajukan()
    client = _admin(GRUP_PETUGAS)
    _post(client, "nonaktifkan", [pid], alasan="LAINNYA", keterangan="Pindah kewarganegaraan")

    again = _post(client, "nonaktifkan", [pid], alasan="GANDA", keterangan="")
    _post(client, "aktifkan", [pid], keterangan="Masih WNI")
    refused = _post(client, "aktifkan", [pid], keterangan="Sekali lagi")

    assert "3273**********01: NIK ini sudah dinonaktifkan." in again
    assert "NIK ini masih aktif" in refused
    assert events(stream_id=STREAM) == ["NIKDinonaktifkan", "NIKDiaktifkanKembali"]
    assert StatusPermohonanKTP.objects.get(permohonan_id=pid).status_nik == "AKTIF"


def test_an_admin_user_without_the_dukcapil_role_is_refused_by_the_command():
    pid = ajukan()

    page = _post(_admin(superuser=False), "nonaktifkan", [pid], alasan="MENINGGAL", keterangan=AKTA)

    assert "Hanya petugas Dukcapil yang dapat melakukan tindakan ini." in page
    assert events(stream_id=STREAM) == []
