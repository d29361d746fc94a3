"""``bansos.ringkasan``: the read tables after the real commands, exactly; an event applied
again changes nothing; a rebuild gives the rows the live projection gave (erasure included)."""

import io

import pytest
from django.core.management import call_command

from apps.bansos import commands
from apps.bansos.domain.kelayakan import Anggota
from apps.bansos.domain.penyaluran import instruksi_id
from apps.bansos.domain.rules import (
    MSG_DESIL_BELUM_DIPADANKAN,
    MSG_DESIL_DI_ATAS_BATAS,
    MSG_DIKECUALIKAN,
    MSG_NIK_BELUM_TERVERIFIKASI,
    SD,
)
from apps.bansos.models import DaftarPengecualian
from apps.bansos.read_models import (
    READ_MODELS,
    BantuanWarga,
    InstruksiRingkas,
    SiklusRingkas,
    StatistikPenerima,
    StatistikPenyaluran,
    UsulanRingkas,
)
from apps.bansos.store import store
from egov import clock
from egov.eventstore import feed
from egov.eventstore.domain import EventMetadata
from egov.eventstore.models import Checkpoint
from egov.eventstore.projections import get_projector, run_projector
from egov.eventstore.pseudonym import keyed_hash
from tests.bansos.perintah import (  # noqa: F401 - konfigurasi: a fixture
    ANAK_B,
    ANAK_SD,
    ANAK_SMP,
    AYAH,
    DIAJUKAN_PADA,
    DINSOS,
    DIREKTUR,
    DITETAPKAN_PADA,
    DIVERIFIKASI_PADA,
    IBU,
    IBU_B,
    INSTRUKSI_PADA,
    KELUARGA,
    KELUARGA_B,
    KK,
    KK_B,
    KODE_DESA,
    LAPOR_PADA,
    NIK_ANAK_SD,
    NIK_IBU,
    NIK_KELUARGA_B,
    OPERATOR_DESA,
    PUSAT,
    SIKLUS_PADA,
    SK,
    ajukan,
    buat_instruksi,
    jalankan_policy,
    konfigurasi,
    lapor,
    meta,
    nonaktifkan_nik,
    penerima,
    siklus_disetujui,
    verifikasi,
    verifikasi_ktp,
    wib,
)

pytestmark = [pytest.mark.django_db(databases="__all__"), pytest.mark.usefixtures("konfigurasi")]
NAME = "bansos.ringkasan"
READ = "bansos_read"

# A household in Surabaya (Jawa Timur, province 35): a mother and her child at primary school.
NIK_IBU_J, NIK_ANAK_J = "3578014107850007", "3578010505150008"
IBU_J, ANAK_J = keyed_hash(NIK_IBU_J), keyed_hash(NIK_ANAK_J)
KK_J = keyed_hash("3578010101200003", purpose="kk")
DESA_SURABAYA = "3578011001"


# --- scenes (helpers also used by test_queries.py) -----------------------------------------------
def proyeksikan(limit: int = 500) -> int:
    return run_projector(get_projector(NAME), limit=limit)


def keluarga_jatim():
    """A household of another province, proposed and decided by national officers."""
    verifikasi_ktp(NIK_IBU_J, NIK_ANAK_J)
    jalankan_policy()
    with clock.frozen(DIAJUKAN_PADA):
        usulan_id = commands.bansos_ajukan_usulan(
            principal=PUSAT,
            program="PKH",
            periode="2025-TW1",
            nomor_kk_hash=KK_J,
            pengurus_nik_hash=IBU_J,
            anggota=(Anggota(IBU_J), Anggota(ANAK_J, SD)),
            desil=1,
            kode_wilayah=DESA_SURABAYA,
            metadata=meta(PUSAT),
        )
    verifikasi(usulan_id, oleh=PUSAT)
    with clock.frozen(DITETAPKAN_PADA):
        commands.bansos_tetapkan_penerima(
            principal=DIREKTUR, usulan_id=usulan_id, dasar_hukum=SK, metadata=meta(DIREKTUR)
        )
    return usulan_id


def usulan_ditolak():
    """A household failing three rules: two NIKs unknown to Dukcapil, the father on the civil
    service payroll, a decile above PKH's threshold; then rejected."""
    verifikasi_ktp(NIK_IBU, NIK_ANAK_SD)
    jalankan_policy()
    DaftarPengecualian.objects.using("bansos").create(nik_hash=AYAH, kategori="ASN")
    with clock.frozen(DIAJUKAN_PADA):
        usulan_id = commands.bansos_ajukan_usulan(
            principal=OPERATOR_DESA,
            program="PKH",
            periode="2025-TW1",
            nomor_kk_hash=KK,
            pengurus_nik_hash=IBU,
            anggota=KELUARGA,
            desil=9,
            kode_wilayah=KODE_DESA,
            metadata=meta(OPERATOR_DESA),
        )
    verifikasi(usulan_id)
    with clock.frozen(DITETAPKAN_PADA):
        commands.bansos_tolak_usulan(
            principal=DINSOS,
            usulan_id=usulan_id,
            alasan="Ayah tercatat sebagai ASN.",
            metadata=meta(DINSOS),
        )
    return usulan_id


def siklus_berjalan():
    """Households A (Rp600.000), B and J (Rp225.000 each), one round of 2025-TW2: A paid,
    B not collected, sent to PT Pos and returned, J's transfer failed; closed."""
    a, b, j = penerima(), penerima(KELUARGA_B, NIK_KELUARGA_B, kk=KK_B), keluarga_jatim()
    siklus_id = siklus_disetujui()
    buat_instruksi(siklus_id)
    ia, ib, ij = (instruksi_id(siklus_id, p) for p in (a, b, j))
    lapor(ia, "TERSALUR", ntx="BRI-0001", nominal=600_000)
    lapor(ib, "TIDAK_DIAMBIL")
    lapor(ib, "DIALIHKAN_KE_POS")
    lapor(ib, "DIKEMBALIKAN", nominal=225_000, referensi="NTPN-1")
    lapor(ij, "GAGAL", alasan="Rekening ditutup")
    with clock.frozen(wib(2025, 5, 2, 10, 0)):
        commands.bansos_tutup_siklus(principal=PUSAT, siklus_id=siklus_id, metadata=meta(PUSAT))
    return a, b, j, siklus_id


def isi_tabel() -> dict[str, list[dict]]:
    """Every read table's rows, without the counters' own serial ids."""
    tables = {}
    for model in READ_MODELS:
        rows = model.objects.using(READ).values()
        tables[model.__name__] = sorted(
            ({k: v for k, v in row.items() if k != "id" or model is BantuanWarga} for row in rows),
            key=repr,
        )
    return tables


def _row(model, **filters) -> dict:
    return model.objects.using(READ).filter(**filters).values().get()


# --- households ------------------------------------------------------------------------------
def test_a_decided_household_is_one_row_with_who_decided_and_when():
    usulan_id = penerima()

    proyeksikan()

    row = _row(UsulanRingkas, penerima_id=usulan_id)
    recorded_last = store.load(usulan_id)[-1].recorded_at
    assert row == {
        "penerima_id": usulan_id,
        "program": "PKH",
        "periode": "2025-TW1",
        "kode_wilayah": KODE_DESA,
        "kode_provinsi": "32",
        "nomor_kk_hash": KK,
        "pengurus_nik_hash": IBU,
        "jumlah_anggota": 4,
        "desil": 2,
        "status": "AKTIF",
        "layak": True,
        "gagal": [],
        "tinjau": [
            {
                "kode": "desil_belum_dipadankan",
                "alasan": MSG_DESIL_BELUM_DIPADANKAN,
                "anggota": [],
            }
        ],
        "alasan_penangguhan": "",
        "keterangan": "",
        "keberatan_terbuka": False,
        "komponen": ["SD", "SMP"],
        "dasar_hukum": SK,
        "nominal_per_tahap": 0,
        "tahap_diterima": 0,
        "rupiah_diterima": 0,
        "kepatuhan": [],
        "diajukan_oleh": "operator-desa-braga",
        "diajukan_pada": DIAJUKAN_PADA,
        "diverifikasi_oleh": "dinsos-bandung-1",
        "diverifikasi_pada": DIVERIFIKASI_PADA,
        "diputuskan_oleh": "dinsos-bandung-1",
        "diputuskan_pada": DITETAPKAN_PADA,
        "diperbarui_pada": recorded_last,
        "last_version": 3,
    }
    assert _row(StatistikPenerima, program="PKH") == {
        "id": _row(StatistikPenerima, program="PKH")["id"],
        "program": "PKH",
        "kode_provinsi": "32",
        "aktif": 1,
        "ditangguhkan": 0,
        "digraduasi": 0,
        "dikeluarkan": 0,
    }


def test_each_member_sees_the_household_under_their_own_nik_hash():
    usulan_id = penerima()

    proyeksikan()

    rows = BantuanWarga.objects.using(READ).order_by("nik_hash")
    assert sorted(rows.values_list("nik_hash", flat=True)) == sorted([IBU, AYAH, ANAK_SD, ANAK_SMP])
    assert set(rows.values_list("penerima_id", "program", "periode", "status")) == {
        (usulan_id, "PKH", "2025-TW1", "AKTIF")
    }
    assert NIK_IBU not in repr(isi_tabel())  # only keyed hashes, never a NIK


def test_a_rejected_proposal_shows_each_failed_rule_code_and_reason():
    usulan_id = usulan_ditolak()

    proyeksikan()

    row = UsulanRingkas.objects.using(READ).get(penerima_id=usulan_id)
    assert (row.status, row.layak, row.desil) == ("DITOLAK", False, 9)
    assert row.gagal == [
        {
            "kode": "nik_belum_terverifikasi",
            "alasan": MSG_NIK_BELUM_TERVERIFIKASI,
            "anggota": [AYAH, ANAK_SMP],
        },
        {"kode": "dikecualikan", "alasan": MSG_DIKECUALIKAN, "anggota": [AYAH]},
        {"kode": "desil_di_atas_batas", "alasan": MSG_DESIL_DI_ATAS_BATAS, "anggota": []},
    ]
    assert (row.keterangan, row.diputuskan_oleh) == (
        "Ayah tercatat sebagai ASN.",
        "dinsos-bandung-1",
    )
    assert list(BantuanWarga.objects.using(READ).values_list("status", flat=True).distinct()) == [
        "DITOLAK"
    ]
    assert not StatistikPenerima.objects.using(READ).exists()  # a proposal is not a recipient


def test_a_deactivated_nik_suspends_the_household_with_its_reason():
    a, b = penerima(), penerima(KELUARGA_B, NIK_KELUARGA_B, kk=KK_B)
    siklus_id = siklus_disetujui()
    buat_instruksi(siklus_id)
    proyeksikan()

    nonaktifkan_nik(NIK_ANAK_SD, "MENINGGAL")
    jalankan_policy()
    proyeksikan()

    row = UsulanRingkas.objects.using(READ).get(penerima_id=a)
    assert (row.status, row.alasan_penangguhan) == ("DITANGGUHKAN", "MENINGGAL")
    warga = BantuanWarga.objects.using(READ).filter(penerima_id=a)
    assert set(warga.values_list("status", "alasan_penangguhan")) == {("DITANGGUHKAN", "MENINGGAL")}
    assert warga.count() == 4
    assert UsulanRingkas.objects.using(READ).get(penerima_id=b).status == "AKTIF"
    instruksi = InstruksiRingkas.objects.using(READ).get(penerima_id=a)
    assert (instruksi.status, instruksi.alasan) == ("DIBATALKAN", "MENINGGAL")
    siklus = SiklusRingkas.objects.using(READ).get()
    assert (siklus.jumlah_dibatalkan, siklus.rupiah_dibatalkan) == (1, 600_000)
    assert (siklus.jumlah_menunggu, siklus.rupiah_menunggu) == (1, 225_000)
    stat = StatistikPenerima.objects.using(READ).get()
    assert (stat.aktif, stat.ditangguhkan) == (1, 1)


# --- disbursement --------------------------------------------------------------------------------
def test_a_round_reconciles_to_the_rupiah():
    a, b, j, siklus_id = siklus_berjalan()

    proyeksikan()

    row = _row(SiklusRingkas, siklus_id=siklus_id)
    assert row == {
        "siklus_id": siklus_id,
        "program": "PKH",
        "periode": "2025-TW2",
        "tahap": 1,
        "status": "DITUTUP",
        "dibuat_oleh": "operator-pusat",
        "dibuat_pada": SIKLUS_PADA,
        "diajukan_oleh": "operator-pusat",
        "diajukan_pada": SIKLUS_PADA,
        "disetujui_oleh": "direktur-jamsos",
        "disetujui_pada": SIKLUS_PADA,
        "ditutup_oleh": "operator-pusat",
        "ditutup_pada": wib(2025, 5, 2, 10, 0),
        "jumlah_instruksi": 3,
        "rupiah_instruksi": 1_050_000,
        "jumlah_menunggu": 0,
        "rupiah_menunggu": 0,
        "jumlah_disalurkan": 1,
        "rupiah_disalurkan": 600_000,
        "jumlah_gagal": 1,
        "rupiah_gagal": 225_000,
        "jumlah_tidak_diambil": 0,
        "rupiah_tidak_diambil": 0,
        "jumlah_dialihkan": 0,
        "rupiah_dialihkan": 0,
        "jumlah_dikembalikan": 1,
        "rupiah_dikembalikan": 225_000,
        "jumlah_dibatalkan": 0,
        "rupiah_dibatalkan": 0,
        "last_version": 4,  # the round's own stream: each instruction has its own
    }
    instruksi = InstruksiRingkas.objects.using(READ).order_by("nominal", "status")
    assert list(
        instruksi.values_list(
            "penerima_id", "kode_provinsi", "nominal", "kanal", "status", "ntx", "referensi"
        )
    ) == [
        (b, "32", 225_000, "BRI", "DIKEMBALIKAN", "", "NTPN-1"),
        (j, "35", 225_000, "BRI", "GAGAL", "", ""),
        (a, "32", 600_000, "BRI", "TERSALUR", "BRI-0001", ""),
    ]
    assert InstruksiRingkas.objects.using(READ).get(penerima_id=j).alasan == "Rekening ditutup"
    assert InstruksiRingkas.objects.using(READ).get(penerima_id=a).diperbarui_pada is not None


def test_a_tranche_received_is_counted_for_the_household_and_its_members():
    a, b, j, _ = siklus_berjalan()

    proyeksikan()

    assert list(
        UsulanRingkas.objects.using(READ)
        .order_by("kode_provinsi", "-nominal_per_tahap")
        .values_list("penerima_id", "nominal_per_tahap", "tahap_diterima", "rupiah_diterima")
    ) == [(a, 600_000, 1, 600_000), (b, 225_000, 0, 0), (j, 225_000, 0, 0)]
    warga = BantuanWarga.objects.using(READ).filter(nik_hash=ANAK_SMP).get()
    assert (warga.tahap_diterima, warga.rupiah_diterima) == (1, 600_000)


def test_the_dashboard_counts_per_programme_and_province():
    siklus_berjalan()

    proyeksikan()

    penerima_rows = StatistikPenerima.objects.using(READ).order_by("kode_provinsi")
    assert list(penerima_rows.values_list("program", "kode_provinsi", "aktif", "ditangguhkan")) == [
        ("PKH", "32", 2, 0),
        ("PKH", "35", 1, 0),
    ]
    dana = StatistikPenyaluran.objects.using(READ).order_by("kode_provinsi")
    assert list(
        dana.values_list(
            "program",
            "kode_provinsi",
            "periode",
            "jumlah_instruksi",
            "rupiah_instruksi",
            "jumlah_disalurkan",
            "rupiah_disalurkan",
            "jumlah_dikembalikan",
            "rupiah_dikembalikan",
        )
    ) == [
        ("PKH", "32", "2025-TW2", 2, 825_000, 1, 600_000, 1, 225_000),
        ("PKH", "35", "2025-TW2", 1, 225_000, 0, 0, 0, 0),
    ]


def test_a_payment_after_a_redirect_to_pt_pos_shows_pos_as_the_channel():
    a = penerima()
    siklus_id = siklus_disetujui()
    buat_instruksi(siklus_id)
    ia = instruksi_id(siklus_id, a)
    lapor(ia, "TIDAK_DIAMBIL")
    proyeksikan()
    assert SiklusRingkas.objects.using(READ).values_list(
        "jumlah_tidak_diambil", "rupiah_tidak_diambil"
    ).get() == (1, 600_000)

    lapor(ia, "DIALIHKAN_KE_POS")
    lapor(ia, "TERSALUR", kanal="POS", ntx="POS-77", nominal=600_000)
    proyeksikan()

    row = InstruksiRingkas.objects.using(READ).get(instruksi_id=ia)
    assert (row.status, row.kanal, row.ntx, row.nominal_disalurkan) == (
        "TERSALUR",
        "POS",
        "POS-77",
        600_000,
    )
    assert SiklusRingkas.objects.using(READ).values_list(
        "jumlah_tidak_diambil", "jumlah_dialihkan", "jumlah_disalurkan", "rupiah_disalurkan"
    ).get() == (0, 0, 1, 600_000)


# --- exactly once, and rebuilt the same -------------------------------------------------------
def test_replaying_the_same_events_changes_nothing():
    siklus_berjalan()
    usulan_ditolak_lain()
    proyeksikan()
    tables = isi_tabel()

    Checkpoint.objects.using(READ).filter(projector=NAME).update(tx=0, position=0)
    replayed = proyeksikan()
    projector = get_projector(NAME)
    for event in feed.read_feed("bansos", after=(0, 0), limit=1000, decrypt=True):
        projector.handle(event)  # one by one, again

    assert replayed == len(feed.read_feed("bansos", after=(0, 0), limit=1000))
    assert isi_tabel() == tables


def usulan_ditolak_lain():
    """A proposal rejected without a verification (so every table has a proposal row)."""
    usulan_id = ajukan(KELUARGA_B, kk=KK_B, periode="2025-TW3")
    with clock.frozen(DITETAPKAN_PADA):
        commands.bansos_tolak_usulan(
            principal=DINSOS, usulan_id=usulan_id, alasan="Pindah domisili.", metadata=meta(DINSOS)
        )
    return usulan_id


def test_rebuild_gives_the_rows_of_the_live_projection():
    siklus_berjalan()
    nonaktifkan_nik(NIK_ANAK_SD, "MENINGGAL")
    jalankan_policy()
    proyeksikan(limit=3)  # live: many small batches
    tables = isi_tabel()
    assert all(tables[model.__name__] for model in READ_MODELS)

    out = io.StringIO()
    call_command("rebuild_projections", NAME, stdout=out, stderr=io.StringIO())

    assert isi_tabel() == tables
    assert f"{NAME}: {feed.total('bansos')} events replayed" in out.getvalue()


def test_erasure_blanks_sealed_columns_and_a_rebuild_agrees():
    a, _, _, _ = siklus_berjalan()
    proyeksikan()

    store.forget_subject(IBU, EventMetadata(actor="dpo", source="test", reason="UU PDP"))
    proyeksikan()

    row = UsulanRingkas.objects.using(READ).get(penerima_id=a)
    assert (row.desil, row.jumlah_anggota, row.komponen, row.keterangan) == (None, 0, [], "")
    assert (row.status, row.tahap_diterima, row.rupiah_diterima) == ("AKTIF", 1, 600_000)
    assert not BantuanWarga.objects.using(READ).filter(penerima_id=a).exists()
    assert BantuanWarga.objects.using(READ).filter(nik_hash=IBU_B).exists()
    tables = isi_tabel()

    call_command("rebuild_projections", NAME, stdout=io.StringIO(), stderr=io.StringIO())

    assert isi_tabel() == tables


def test_members_of_the_second_household_are_their_own_rows():
    penerima(KELUARGA_B, NIK_KELUARGA_B, kk=KK_B)

    proyeksikan()

    assert sorted(BantuanWarga.objects.using(READ).values_list("nik_hash", flat=True)) == sorted(
        [IBU_B, ANAK_B]
    )
