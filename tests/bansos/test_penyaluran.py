"""Disbursement cycles: four-eyes approval, instructions only for recipients active and
eligible at that moment, cancellation on suspension, channel reports idempotent and tolerant
of order, and closing reconciled to the rupiah."""

import dataclasses
import uuid

import pytest

from apps.bansos.domain.events import (
    DanaDisalurkan,
    DanaGagalDisalurkan,
    DanaTidakDiambil,
    InstruksiDibatalkan,
    InstruksiPembayaranDibuat,
    PenyaluranDialihkanKePos,
    SiklusDiajukan,
    SiklusDisetujui,
    SiklusDitutup,
    SiklusPenyaluranDibuat,
)
from apps.bansos.domain.kelayakan import Anggota, StatusIdentitas
from apps.bansos.domain.penyaluran import (
    Rekonsiliasi,
    SiklusPenyaluran,
    instruksi_id,
    siklus_stream_id,
)
from apps.bansos.domain.rules import (
    BPNT,
    DIAJUKAN,
    DISALURKAN,
    DISETUJUI,
    DITUTUP,
    DRAF,
    IBU_HAMIL,
    MENINGGAL,
    PKH,
    SD,
    SMP,
)
from apps.bansos.domain.usulan import TidakLayak
from egov.contracts.ktp import NONAKTIF
from egov.eventstore.domain import InvalidInput, InvalidState
from tests.bansos.factories import IBU, KK, KONFIGURASI, fakta, h, penerima_aktif, wib

PUSAT, DIREKTUR = "operator-pusat", "direktur-jamsos"
SIKLUS_ID = siklus_stream_id(PKH, "2025-TW2", 1)
PADA = wib(2025, 4, 14, 9, 0)
KK_B, IBU_B = h("kk-b"), h("ibu-b")
KELUARGA_B = (Anggota(IBU_B, IBU_HAMIL),)


def _siklus(*, sampai: str = DISETUJUI) -> SiklusPenyaluran:
    siklus = SiklusPenyaluran(SIKLUS_ID)
    siklus.buat(
        program=PKH,
        periode="2025-TW2",
        tahap=1,
        dibuat_oleh=PUSAT,
        sekarang=PADA,
        konfigurasi=KONFIGURASI,
    )
    if sampai in (DIAJUKAN, DISETUJUI):
        siklus.ajukan(oleh=PUSAT, sekarang=PADA)
    if sampai == DISETUJUI:
        siklus.setujui(oleh=DIREKTUR, sekarang=PADA)
    siklus.collect()
    return siklus


def _a():
    return penerima_aktif()  # SD + SMP: Rp600.000 a quarter


def _b():
    return penerima_aktif(anggota=KELUARGA_B, usulan_id=uuid.uuid4(), kk=KK_B)  # Rp750.000


def _instruksikan(siklus, penerima, kanal="BRI", **fakta_lain) -> bool:
    f = fakta(tuple(penerima.anggota), kk=penerima.nomor_kk_hash, **fakta_lain)
    return siklus.buat_instruksi(
        penerima=penerima, fakta=f, kanal=kanal, sekarang=PADA, konfigurasi=KONFIGURASI
    )


# --- the round -----------------------------------------------------------------------------
def test_a_round_is_created_submitted_and_approved_by_another_officer():
    siklus = SiklusPenyaluran(SIKLUS_ID)
    siklus.buat(
        program=PKH,
        periode="2025-TW2",
        tahap=1,
        dibuat_oleh=PUSAT,
        sekarang=PADA,
        konfigurasi=KONFIGURASI,
    )
    assert siklus.status == DRAF
    siklus.ajukan(oleh=PUSAT, sekarang=PADA)
    siklus.setujui(oleh=DIREKTUR, sekarang=PADA)
    assert siklus.pending == [
        SiklusPenyaluranDibuat(
            siklus_id=SIKLUS_ID,
            program=PKH,
            periode="2025-TW2",
            tahap=1,
            dibuat_oleh=PUSAT,
            dibuat_pada=PADA,
        ),
        SiklusDiajukan(siklus_id=SIKLUS_ID, diajukan_oleh=PUSAT, diajukan_pada=PADA),
        SiklusDisetujui(siklus_id=SIKLUS_ID, disetujui_oleh=DIREKTUR, disetujui_pada=PADA),
    ]
    assert siklus.status == DISETUJUI


def test_the_creator_may_not_approve_four_eyes():
    siklus = _siklus(sampai=DIAJUKAN)
    with pytest.raises(InvalidState) as refused:
        siklus.setujui(oleh=PUSAT, sekarang=PADA)
    assert refused.value.code == "empat_mata"
    assert siklus.pending == []
    assert siklus.status == DIAJUKAN


def test_a_draft_is_neither_approved_nor_paid():
    siklus = _siklus(sampai=DRAF)
    with pytest.raises(InvalidState) as refused:
        siklus.setujui(oleh=DIREKTUR, sekarang=PADA)
    assert refused.value.code == "tahap"
    with pytest.raises(InvalidState) as refused:
        _instruksikan(siklus, _a())
    assert refused.value.code == "tahap"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"periode": "2025-04"}, "periode_tidak_sesuai"),
        ({"tahap": 0}, "tahap_tidak_valid"),
        ({"dibuat_oleh": ""}, "dibuat_oleh_wajib"),
    ],
)
def test_malformed_rounds_are_refused(changes, code):
    values = {
        "program": PKH,
        "periode": "2025-TW2",
        "tahap": 1,
        "dibuat_oleh": PUSAT,
        "sekarang": PADA,
        "konfigurasi": KONFIGURASI,
    } | changes
    with pytest.raises(InvalidInput) as refused:
        SiklusPenyaluran(uuid.uuid4()).buat(**values)
    assert refused.value.code == code


# --- instructions --------------------------------------------------------------------------
def test_an_instruction_pays_the_components_of_the_period_once():
    siklus, a = _siklus(), _a()
    assert _instruksikan(siklus, a)
    assert siklus.pending == [
        InstruksiPembayaranDibuat(
            instruksi_id=instruksi_id(SIKLUS_ID, a.id),
            siklus_id=SIKLUS_ID,
            penerima_id=a.id,
            nomor_kk_hash=KK,
            nominal=600_000,
            kanal="BRI",
            komponen=(SMP, SD),
            dibuat_pada=PADA,
        )
    ]
    assert siklus.status == DISALURKAN
    assert not _instruksikan(siklus, a)  # a retried batch
    assert len(siklus.pending) == 1
    assert instruksi_id(SIKLUS_ID, a.id) == instruksi_id(SIKLUS_ID, a.id)
    assert instruksi_id(SIKLUS_ID, a.id) != instruksi_id(
        siklus_stream_id(PKH, "2025-TW3", 1), a.id
    )


def test_a_death_between_approval_and_payment_means_no_instruction():
    siklus, a = _siklus(), _a()
    mati = fakta().identitas | {IBU: StatusIdentitas(NONAKTIF, MENINGGAL)}
    with pytest.raises(TidakLayak) as refused:
        _instruksikan(siklus, a, identitas=mati)
    assert refused.value.code == "tidak_layak"
    assert refused.value.gagal == ("meninggal",)
    assert siklus.pending == []
    assert siklus.instruksi == {}


def test_a_suspended_recipient_gets_no_instruction():
    siklus, a = _siklus(), _a()
    a.tangguhkan(alasan=MENINGGAL, nik_hash=IBU, oleh="sistem", sekarang=PADA)
    with pytest.raises(InvalidState) as refused:
        _instruksikan(siklus, a)
    assert refused.value.code == "penerima_tidak_aktif"
    assert siklus.pending == []


@pytest.mark.parametrize(
    ("penerima", "code"),
    [
        (lambda: penerima_aktif(periode="2025-TW3"), "belum_berlaku"),
        (
            lambda: penerima_aktif(program=BPNT, periode="2025-04", anggota=(Anggota(IBU),)),
            "program_lain",
        ),
    ],
)
def test_a_recipient_of_another_programme_or_a_later_period_is_refused(penerima, code):
    siklus = _siklus()
    with pytest.raises(InvalidState) as refused:
        _instruksikan(siklus, penerima())
    assert refused.value.code == code
    assert siklus.pending == []


def test_an_unknown_channel_is_refused():
    siklus = _siklus()
    with pytest.raises(InvalidInput) as refused:
        _instruksikan(siklus, _a(), kanal="BCA")
    assert refused.value.code == "kanal_tidak_valid"


def test_a_second_stream_of_the_same_kk_is_not_paid_twice_in_a_round():
    siklus = _siklus()
    _instruksikan(siklus, _a())
    kembar = penerima_aktif(usulan_id=uuid.uuid4())  # same KK, a duplicate enrolment
    with pytest.raises(InvalidState) as refused:
        _instruksikan(siklus, kembar)  # facts read before the replica caught up
    assert refused.value.code == "ganda_dalam_siklus"


def test_a_suspension_after_the_instruction_cancels_it_and_a_late_payment_report_is_refused():
    siklus, a = _siklus(), _a()
    _instruksikan(siklus, a)
    siklus.collect()
    kunci = instruksi_id(SIKLUS_ID, a.id)
    assert siklus.batalkan_instruksi(penerima_id=a.id, alasan="Meninggal dunia", sekarang=PADA)
    assert siklus.pending == [
        InstruksiDibatalkan(
            instruksi_id=kunci, penerima_id=a.id, alasan="Meninggal dunia", dibatalkan_pada=PADA
        )
    ]
    assert not siklus.batalkan_instruksi(penerima_id=a.id, alasan="lagi", sekarang=PADA)
    assert not siklus.batalkan_instruksi(penerima_id=uuid.uuid4(), alasan="x", sekarang=PADA)
    with pytest.raises(InvalidState) as refused:
        siklus.catat_disalurkan(
            instruksi_id=kunci, kanal="BRI", ntx="BRI-1", nominal=600_000, sekarang=PADA
        )
    assert refused.value.code == "instruksi_dibatalkan"
    assert len(siklus.pending) == 1


def test_a_paid_instruction_is_not_cancelled():
    siklus, a = _siklus(), _a()
    _instruksikan(siklus, a)
    kunci = instruksi_id(SIKLUS_ID, a.id)
    siklus.catat_disalurkan(
        instruksi_id=kunci, kanal="BRI", ntx="BRI-1", nominal=600_000, sekarang=PADA
    )
    with pytest.raises(InvalidState) as refused:
        siklus.batalkan_instruksi(penerima_id=a.id, alasan="Meninggal", sekarang=PADA)
    assert refused.value.code == "status_instruksi"


# --- channel reports -------------------------------------------------------------------------
def _satu_instruksi(kanal="BRI"):
    siklus, a = _siklus(), _a()
    _instruksikan(siklus, a, kanal=kanal)
    siklus.collect()
    return siklus, instruksi_id(SIKLUS_ID, a.id)


def test_the_same_payment_report_twice_records_it_once():
    siklus, kunci = _satu_instruksi()
    lapor = {"instruksi_id": kunci, "kanal": "BRI", "nominal": 600_000, "sekarang": PADA}
    assert siklus.catat_disalurkan(ntx="BRI-778899", **lapor)
    assert not siklus.catat_disalurkan(ntx="BRI-778899", **lapor)
    assert siklus.pending == [
        DanaDisalurkan(
            instruksi_id=kunci,
            kanal="BRI",
            ntx="BRI-778899",
            nominal=600_000,
            disalurkan_pada=PADA,
        )
    ]
    with pytest.raises(InvalidState) as refused:
        siklus.catat_disalurkan(ntx="BRI-000001", **lapor)
    assert refused.value.code == "sudah_disalurkan"
    with pytest.raises(InvalidState) as refused:
        siklus.catat_gagal(instruksi_id=kunci, alasan="Rekening tutup", sekarang=PADA)
    assert refused.value.code == "status_instruksi"
    assert len(siklus.pending) == 1


def test_not_collected_rerouted_to_pos_and_paid_with_reports_redelivered():
    siklus, kunci = _satu_instruksi()
    assert siklus.catat_tidak_diambil(instruksi_id=kunci, sekarang=PADA)
    assert siklus.alihkan_ke_pos(instruksi_id=kunci, sekarang=PADA)
    assert not siklus.catat_tidak_diambil(instruksi_id=kunci, sekarang=PADA)  # late copy
    assert not siklus.alihkan_ke_pos(instruksi_id=kunci, sekarang=PADA)
    assert siklus.catat_disalurkan(
        instruksi_id=kunci, kanal="POS", ntx="POS-1", nominal=600_000, sekarang=PADA
    )
    assert siklus.pending == [
        DanaTidakDiambil(instruksi_id=kunci, dilaporkan_pada=PADA),
        PenyaluranDialihkanKePos(instruksi_id=kunci, dialihkan_pada=PADA),
        DanaDisalurkan(
            instruksi_id=kunci, kanal="POS", ntx="POS-1", nominal=600_000, disalurkan_pada=PADA
        ),
    ]


def test_reports_out_of_order_are_refused_with_a_code():
    siklus, kunci = _satu_instruksi()
    with pytest.raises(InvalidState) as refused:
        siklus.alihkan_ke_pos(instruksi_id=kunci, sekarang=PADA)  # before "not collected"
    assert refused.value.code == "status_instruksi"
    with pytest.raises(InvalidState) as refused:
        siklus.catat_dikembalikan(instruksi_id=kunci, nominal=1, referensi="x", sekarang=PADA)
    assert refused.value.code == "status_instruksi"
    with pytest.raises(InvalidState) as refused:
        siklus.catat_gagal(instruksi_id=uuid.uuid4(), alasan="x", sekarang=PADA)
    assert refused.value.code == "instruksi_tidak_dikenal"
    assert siklus.pending == []


def test_a_failed_transfer_is_final_and_reported_once():
    siklus, kunci = _satu_instruksi()
    assert siklus.catat_gagal(instruksi_id=kunci, alasan="Rekening tidak aktif", sekarang=PADA)
    assert not siklus.catat_gagal(instruksi_id=kunci, alasan="Rekening tidak aktif", sekarang=PADA)
    assert siklus.pending == [
        DanaGagalDisalurkan(
            instruksi_id=kunci, alasan="Rekening tidak aktif", dilaporkan_pada=PADA
        )
    ]
    with pytest.raises(InvalidState) as refused:
        siklus.catat_disalurkan(
            instruksi_id=kunci, kanal="BRI", ntx="BRI-2", nominal=600_000, sekarang=PADA
        )
    assert refused.value.code == "status_instruksi"


@pytest.mark.parametrize("nominal", [0, -1, 600_000.0])
def test_a_report_needs_whole_rupiah(nominal):
    siklus, kunci = _satu_instruksi()
    with pytest.raises(InvalidInput) as refused:
        siklus.catat_disalurkan(
            instruksi_id=kunci, kanal="BRI", ntx="BRI-1", nominal=nominal, sekarang=PADA
        )
    assert refused.value.code == "nominal_tidak_valid"


# --- reconciliation --------------------------------------------------------------------------
def _empat_keluarga(*, disalurkan_a: int = 600_000):
    """A paid (BRI), B not collected then returned, C failed, D cancelled."""
    siklus = _siklus()
    a, b = _a(), _b()
    c = penerima_aktif(anggota=(Anggota(h("ibu-c"), SD),), usulan_id=uuid.uuid4(), kk=h("kk-c"))
    d = penerima_aktif(anggota=(Anggota(h("ibu-d"), SMP),), usulan_id=uuid.uuid4(), kk=h("kk-d"))
    for penerima in (a, b, c, d):
        _instruksikan(siklus, penerima)
    ke = {p: instruksi_id(SIKLUS_ID, p.id) for p in (a, b, c, d)}
    siklus.catat_disalurkan(
        instruksi_id=ke[a], kanal="BRI", ntx="BRI-1", nominal=disalurkan_a, sekarang=PADA
    )
    siklus.catat_tidak_diambil(instruksi_id=ke[b], sekarang=PADA)
    siklus.alihkan_ke_pos(instruksi_id=ke[b], sekarang=PADA)
    siklus.catat_dikembalikan(
        instruksi_id=ke[b], nominal=750_000, referensi="NTPN-0A1B2C3D4E5F6G7H", sekarang=PADA
    )
    siklus.catat_gagal(instruksi_id=ke[c], alasan="Rekening tutup", sekarang=PADA)
    siklus.batalkan_instruksi(penerima_id=d.id, alasan="Ditangguhkan", sekarang=PADA)
    siklus.collect()
    return siklus


def test_a_balanced_round_closes_with_its_figures():
    siklus = _empat_keluarga()
    assert siklus.rekonsiliasi() == Rekonsiliasi(
        jumlah_instruksi=4,
        diinstruksikan=600_000 + 750_000 + 225_000 + 375_000,
        disalurkan=600_000,
        dikembalikan=750_000,
        gagal=225_000,
        dibatalkan=375_000,
        belum_final=0,
    )
    siklus.tutup(oleh=DIREKTUR, sekarang=PADA)
    assert siklus.pending == [
        SiklusDitutup(
            siklus_id=SIKLUS_ID,
            jumlah_instruksi=4,
            diinstruksikan=1_950_000,
            disalurkan=600_000,
            dikembalikan=750_000,
            gagal=225_000,
            dibatalkan=375_000,
            ditutup_oleh=DIREKTUR,
            ditutup_pada=PADA,
        )
    ]
    assert siklus.status == DITUTUP


def test_a_round_off_by_one_rupiah_is_refused():
    siklus = _empat_keluarga(disalurkan_a=599_999)
    with pytest.raises(InvalidState) as refused:
        siklus.tutup(oleh=DIREKTUR, sekarang=PADA)
    assert refused.value.code == "rekonsiliasi_tidak_seimbang"
    assert refused.value.message == (
        "Rekonsiliasi tidak seimbang: 0 instruksi belum final, selisih Rp1."
    )
    assert refused.value.rekonsiliasi.selisih == 1
    assert siklus.pending == []


def test_a_round_with_an_instruction_still_pending_is_refused():
    siklus = _siklus()
    _instruksikan(siklus, _a())
    _instruksikan(siklus, _b())
    siklus.catat_disalurkan(
        instruksi_id=instruksi_id(SIKLUS_ID, _a().id),
        kanal="BRI",
        ntx="BRI-1",
        nominal=600_000,
        sekarang=PADA,
    )
    siklus.collect()
    with pytest.raises(InvalidState) as refused:
        siklus.tutup(oleh=DIREKTUR, sekarang=PADA)
    assert refused.value.code == "rekonsiliasi_tidak_seimbang"
    assert refused.value.message == (
        "Rekonsiliasi tidak seimbang: 1 instruksi belum final, selisih Rp750000."
    )
    assert siklus.pending == []


def test_a_closed_round_takes_no_new_report_but_a_repeat_is_harmless():
    siklus = _empat_keluarga()
    siklus.tutup(oleh=DIREKTUR, sekarang=PADA)
    kunci = instruksi_id(SIKLUS_ID, _a().id)
    assert not siklus.catat_disalurkan(
        instruksi_id=kunci, kanal="BRI", ntx="BRI-1", nominal=600_000, sekarang=PADA
    )
    with pytest.raises(InvalidState) as refused:
        _instruksikan(
            siklus,
            penerima_aktif(
                anggota=(Anggota(h("baru"), SD),), usulan_id=uuid.uuid4(), kk=h("kk-baru")
            ),
        )
    assert refused.value.code == "tahap"
    with pytest.raises(InvalidState) as refused:
        siklus.tutup(oleh=DIREKTUR, sekarang=PADA)
    assert refused.value.code == "tahap"


def test_the_round_replays_from_stored_payloads_to_the_same_reconciliation():
    siklus = SiklusPenyaluran(SIKLUS_ID)
    siklus.buat(
        program=PKH,
        periode="2025-TW2",
        tahap=1,
        dibuat_oleh=PUSAT,
        sekarang=PADA,
        konfigurasi=KONFIGURASI,
    )
    siklus.ajukan(oleh=PUSAT, sekarang=PADA)
    siklus.setujui(oleh=DIREKTUR, sekarang=PADA)
    a = _a()
    _instruksikan(siklus, a)
    siklus.catat_tidak_diambil(instruksi_id=instruksi_id(SIKLUS_ID, a.id), sekarang=PADA)
    ditulis = siklus.collect()
    dibaca = [type(e).from_payload(e.to_payload()) for e in ditulis]
    assert dibaca == ditulis
    dimuat = SiklusPenyaluran.rehydrate(SIKLUS_ID, dibaca)
    assert dimuat.rekonsiliasi() == siklus.rekonsiliasi()
    assert dataclasses.astuple(dimuat.rekonsiliasi())[-1] == 1
