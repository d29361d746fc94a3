"""One bank account behind many households (issue 12): the proposal records the account as a
keyed hash only, the command side indexes it, and verification, decision and every payment
round count the other households paid into it. A shared account is flagged for review
(``rekening_bersama``), never a refusal; the clear number is stored nowhere."""

import uuid

import pytest
from django.apps import apps as django_apps

from apps.bansos import commands
from apps.bansos.commands.fakta import fakta_massal, fakta_untuk
from apps.bansos.commands.usulan import MSG_REKENING_TIDAK_VALID
from apps.bansos.domain.events import UsulanPenerimaDiajukan
from apps.bansos.domain.kelayakan import Anggota
from apps.bansos.domain.penerima import Penerima
from apps.bansos.domain.penyaluran import instruksi_id
from apps.bansos.domain.rules import MSG_REKENING_BERSAMA, SD, Periode
from apps.bansos.konfigurasi import muat_konfigurasi
from apps.bansos.models import BansosEvent, IndeksRekening
from apps.bansos.queries import hasil_kelayakan
from apps.bansos.store import store
from egov.eventstore.domain import InvalidInput
from egov.eventstore.pseudonym import keyed_hash
from tests.bansos.perintah import (  # noqa: F401 - konfigurasi: a fixture
    DINSOS,
    IBU,
    KELUARGA,
    KELUARGA_B,
    KK_B,
    KODE_DESA,
    NIK_ANAK_SD,
    NIK_AYAH,
    NIK_IBU,
    NIK_KELUARGA,
    NIK_KELUARGA_B,
    NO_KK,
    ajukan,
    buat_instruksi,
    event_stream,
    jalankan_policy,
    jumlah_event,
    konfigurasi,
    meta,
    siklus_disetujui,
    tetapkan,
    verifikasi,
    verifikasi_ktp,
)
from tests.bansos.test_admin import USULAN as ADMIN_USULAN
from tests.bansos.test_admin import petugas as admin_petugas
from tests.bansos.test_api import USULAN, usulkan
from tests.bansos.test_api import petugas as api_petugas
from tests.bansos.test_projections import proyeksikan

pytestmark = [pytest.mark.django_db(databases="__all__"), pytest.mark.usefixtures("konfigurasi")]

REKENING = "0021234567890"  # an agent's account behind two households
REKENING_LAIN = "1230987654321"
REK, REK_LAIN = (keyed_hash(n, purpose="rekening") for n in (REKENING, REKENING_LAIN))
# A third household (father and his child) with an account of its own.
NIK_KELUARGA_C = ("3273010808750007", "3273011111170008")
AYAH_C, ANAK_C = (keyed_hash(n) for n in NIK_KELUARGA_C)
KK_C = keyed_hash("3273010303220003", purpose="kk")
KELUARGA_C = (Anggota(AYAH_C), Anggota(ANAK_C, SD))


def tiga_keluarga():
    """A and B name one account, C another; all three proposed, their NIKs verified."""
    verifikasi_ktp(*NIK_KELUARGA, *NIK_KELUARGA_B, *NIK_KELUARGA_C)
    jalankan_policy()
    a = ajukan(KELUARGA, rekening_hash=REK)
    b = ajukan(KELUARGA_B, kk=KK_B, rekening_hash=REK)
    c = ajukan(KELUARGA_C, kk=KK_C, rekening_hash=REK_LAIN)
    return a, b, c


def test_two_households_on_one_account_are_flagged_for_review_not_refused():
    a, b, c = tiga_keluarga()

    hasil = {i: verifikasi(i) for i in (a, b, c)}

    for i in (a, b):
        assert hasil[i].layak
        assert hasil[i].kode_tinjau == ("desil_belum_dipadankan", "rekening_bersama")
        assert hasil[i].tinjau[-1].alasan == MSG_REKENING_BERSAMA
    assert hasil[c].layak
    assert hasil[c].kode_tinjau == ("desil_belum_dipadankan",)
    # flagged, still decided (an officer looks; the rule never refuses)
    tetapkan(a)
    tetapkan(b)
    assert store.get(Penerima, a).status == "AKTIF"
    assert store.get(Penerima, b).status == "AKTIF"


def test_the_first_household_is_flagged_once_the_second_names_its_account():
    verifikasi_ktp(*NIK_KELUARGA, *NIK_KELUARGA_B)
    jalankan_policy()
    a = ajukan(KELUARGA, rekening_hash=REK)
    assert "rekening_bersama" not in verifikasi(a).kode_tinjau

    ajukan(KELUARGA_B, kk=KK_B, rekening_hash=REK)
    tetapkan(a)  # the decision re-checks: the replicas changed, a new verification first

    [*_, diverifikasi, ditetapkan] = event_stream(a)
    assert "rekening_bersama" in diverifikasi.tinjau
    assert type(ditetapkan).__name__ == "PenerimaDitetapkan"


def test_a_rejected_household_or_one_of_the_same_kk_does_not_count():
    verifikasi_ktp(*NIK_KELUARGA, *NIK_KELUARGA_B)
    jalankan_policy()
    a = ajukan(KELUARGA, rekening_hash=REK)
    sembako = tuple(Anggota(x.nik_hash) for x in KELUARGA)  # BPNT counts no component
    bpnt = ajukan(sembako, program="BPNT", periode="2025-01", rekening_hash=REK)
    b = ajukan(KELUARGA_B, kk=KK_B, rekening_hash=REK)
    commands.bansos_tolak_usulan(
        principal=DINSOS, usulan_id=b, alasan="Usulan ganda.", metadata=meta(DINSOS)
    )

    # the same family's BPNT stream (same KK) is no other household; B was rejected
    assert "rekening_bersama" not in verifikasi(a).kode_tinjau
    assert "rekening_bersama" not in verifikasi(bpnt).kode_tinjau


def test_the_bulk_reader_gives_what_the_single_one_gives():
    ids = tiga_keluarga()
    data = [store.get(Penerima, i).data for i in ids]
    program = muat_konfigurasi()
    periode = Periode.parse("2025-TW1")

    massal = fakta_massal(data, periode, program)

    assert [massal[d.id].rekening_bersama for d in data] == [1, 1, 0]
    for d in data:
        assert massal[d.id] == fakta_untuk(d, periode, program)


def test_the_account_number_is_stored_nowhere_in_clear():
    a, b, c = tiga_keluarga()
    for i in (a, b, c):
        verifikasi(i)
    proyeksikan()

    [diajukan, *_] = event_stream(a)
    assert diajukan.rekening_hash == REK
    assert IndeksRekening.objects.using("bansos").get(penerima_id=a).rekening_hash == REK
    for alias, model in _semua_tabel():
        for row in model.objects.using(alias).values_list():
            teks = str(row)
            assert REKENING not in teks, (alias, model.__name__)
            assert REKENING_LAIN not in teks, (alias, model.__name__)
    assert BansosEvent.objects.using("bansos").filter(event_type="UsulanPenerimaDiajukan").count()


def _semua_tabel():
    for model in django_apps.get_app_config("bansos").get_models():
        alias = "bansos_read" if model.__module__.endswith("read_models") else "bansos"
        yield alias, model


def test_the_read_model_and_the_officer_see_the_reason():
    a, _b, _c = tiga_keluarga()
    verifikasi(a)
    proyeksikan()

    hasil = hasil_kelayakan(DINSOS, a)

    assert [(t.kode, t.alasan) for t in hasil.tinjau if t.kode == "rekening_bersama"] == [
        ("rekening_bersama", MSG_REKENING_BERSAMA)
    ]


def test_no_account_is_no_flag_and_no_index_row():
    verifikasi_ktp(*NIK_KELUARGA, *NIK_KELUARGA_B)
    jalankan_policy()
    a = ajukan(KELUARGA)
    ajukan(KELUARGA_B, kk=KK_B)

    assert "rekening_bersama" not in verifikasi(a).kode_tinjau
    assert not IndeksRekening.objects.using("bansos").exists()


@pytest.mark.parametrize("nomor", ["12345", "1" * 21, "12345a7", "", "   "])
def test_a_door_refuses_an_account_number_that_is_not_6_to_20_digits(nomor):
    with pytest.raises(InvalidInput) as raised:
        commands.rekening_hash(nomor)
    assert raised.value.code == "rekening_tidak_valid"


def test_a_door_hashes_an_account_number_as_typed_with_its_own_purpose():
    assert commands.rekening_hash("002-1234 567890") == REK
    assert keyed_hash(REKENING) != REK  # a NIK hash of the same digits is another value


def test_a_proposal_written_before_bank_accounts_loads_without_one():
    baru = BansosEvent.objects.using("bansos").get(stream_id=ajukan(KELUARGA, rekening_hash=REK))
    lama = uuid.uuid4()
    # A schema-2 row as the release before wrote it: no rekening_hash at all.
    BansosEvent.objects.using("bansos").create(
        event_id=uuid.uuid4(),
        stream_id=lama,
        stream_type=baru.stream_type,
        version=1,
        event_type=baru.event_type,
        schema_version=2,
        payload={k: v for k, v in baru.payload.items() if k != "rekening_hash"},
        metadata=baru.metadata,
        subject_id=baru.subject_id,
        recorded_at=baru.recorded_at,
    )

    [diajukan] = event_stream(lama)

    assert isinstance(diajukan, UsulanPenerimaDiajukan)
    assert diajukan.rekening_hash == ""
    assert diajukan.pengurus_nik_hash == IBU
    assert store.get(Penerima, lama).data.rekening_hash == ""


# --- the doors -------------------------------------------------------------------------------
@pytest.fixture
def desa_api():
    """The village operator of Bandung on the API (its portal session)."""
    return api_petugas("operator-desa", "3273")


def test_the_api_takes_the_account_in_the_body_and_hashes_it_at_the_door(desa_api):
    verifikasi_ktp(*NIK_KELUARGA)
    jalankan_policy()

    body = {**USULAN, "nomor_rekening": "002-1234567890"}
    response = usulkan(desa_api, body, **{"Idempotency-Key": "usulan-rek-1"})

    assert response.status_code == 201
    [diajukan] = event_stream(uuid.UUID(response.json()["usulan_id"]))
    assert diajukan.rekening_hash == REK
    proyeksikan()
    for alias, model in _semua_tabel():  # events, indexes, idempotency record, read rows
        for row in model.objects.using(alias).values_list():
            assert REKENING not in str(row).replace("-", ""), (alias, model.__name__)


def test_the_api_takes_a_household_without_an_account(desa_api):
    verifikasi_ktp(*NIK_KELUARGA)
    jalankan_policy()

    response = usulkan(desa_api, {**USULAN, "nomor_rekening": ""})

    assert response.status_code == 201
    [diajukan] = event_stream(uuid.UUID(response.json()["usulan_id"]))
    assert diajukan.rekening_hash == ""


@pytest.mark.parametrize("nomor", ["12345", "123456789012345678901", "0021-ABC-99"])
def test_the_api_refuses_a_bad_account_number_naming_the_field(desa_api, nomor):
    response = usulkan(desa_api, {**USULAN, "nomor_rekening": nomor})

    assert response.status_code == 400
    assert response.json() == {"nomor_rekening": [MSG_REKENING_TIDAK_VALID]}
    assert jumlah_event() == 0


def test_the_household_page_in_the_admin_shows_the_shared_account_reason():
    a, _b, _c = tiga_keluarga()
    verifikasi(a)
    proyeksikan()

    page = admin_petugas("dinsos-bandung-2", "3273").get(f"{ADMIN_USULAN}{a}/change/")

    teks = page.content.decode()
    assert "<code>rekening_bersama</code>" in teks
    assert MSG_REKENING_BERSAMA in teks
    assert REKENING not in teks


def _formulir(**ubah) -> dict:
    return {
        "program": "PKH",
        "periode": "2025-TW1",
        "nomor_kk": NO_KK,
        "anggota": f"{NIK_IBU}\n{NIK_AYAH}\n{NIK_ANAK_SD} SD\n",
        "desil": "2",
        "kode_wilayah": KODE_DESA,
        "nomor_rekening": REKENING,
        **ubah,
    }


def test_the_admin_proposal_form_hashes_the_account_and_calls_the_command():
    client = admin_petugas("operator-desa-admin", "3273")
    assert client.get(f"{ADMIN_USULAN}add/").status_code == 200

    response = client.post(f"{ADMIN_USULAN}add/", _formulir())

    assert response.status_code == 302
    [row] = BansosEvent.objects.using("bansos").filter(event_type="UsulanPenerimaDiajukan")
    [diajukan] = event_stream(row.stream_id)
    assert diajukan.rekening_hash == REK
    assert diajukan.nomor_kk_hash == keyed_hash(NO_KK, purpose="kk")
    assert diajukan.anggota[2] == (keyed_hash(NIK_ANAK_SD), "SD")
    assert REKENING not in str(row.payload)


def test_the_admin_proposal_form_refuses_a_bad_account_naming_the_field():
    client = admin_petugas("operator-desa-admin", "3273")

    response = client.post(f"{ADMIN_USULAN}add/", _formulir(nomor_rekening="12-34"))

    assert response.status_code == 200
    assert response.context["form"].errors == {"nomor_rekening": [MSG_REKENING_TIDAK_VALID]}
    assert jumlah_event() == 0


def test_a_payment_round_pays_households_on_a_shared_account_all_the_same():
    a, b, c = tiga_keluarga()
    for i in (a, b, c):
        verifikasi(i)
        tetapkan(i)

    siklus_id = siklus_disetujui()

    hasil = buat_instruksi(siklus_id)

    # the round's bulk check sees the flag (a review), which never withholds a payment
    assert set(hasil.dibuat) == {instruksi_id(siklus_id, i) for i in (a, b, c)}
    assert hasil.dilewati == ()
