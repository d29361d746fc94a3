"""Disbursement cycles: four-eyes approval, instructions (each its own aggregate) only for
recipients active and eligible at that moment, cancellation on suspension, channel reports
idempotent and tolerant of order, and closing reconciled to the rupiah."""

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
from apps.bansos.domain.instruksi import InstruksiPembayaran
from apps.bansos.domain.kelayakan import Anggota, StatusIdentitas
from apps.bansos.domain.penyaluran import (
    JumlahStatus,
    Rekonsiliasi,
    SiklusPenyaluran,
    instruksi_id,
    jumlah_per_status,
    siklus_stream_id,
)
from apps.bansos.domain.rules import (
    BPNT,
    DIAJUKAN,
    DIBUAT,
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


def _instruksikan(
    siklus, penerima, kanal="BRI", kk_dibayar=frozenset(), **fakta_lain
) -> InstruksiPembayaran:
    """The instruction of ``penerima`` in ``siklus``, made (its event pending)."""
    instruksi = InstruksiPembayaran(instruksi_id(siklus.id, penerima.id))
    _buat(instruksi, siklus, penerima, kanal=kanal, kk_dibayar=kk_dibayar, **fakta_lain)
    return instruksi


def _buat(instruksi, siklus, penerima, kanal="BRI", kk_dibayar=frozenset(), **fakta_lain):
    f = fakta(tuple(penerima.anggota), kk=penerima.nomor_kk_hash, **fakta_lain)
    return instruksi.buat(
        siklus=siklus,
        penerima=penerima,
        fakta=f,
        kanal=kanal,
        kk_dibayar=kk_dibayar,
        sekarang=PADA,
        konfigurasi=KONFIGURASI,
    )


def _rekonsiliasi(*instruksi: InstruksiPembayaran) -> Rekonsiliasi:
    return Rekonsiliasi.dari_status(
        jumlah_per_status((i.status, i.nominal, i.disalurkan, i.dikembalikan) for i in instruksi)
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
    instruksi = InstruksiPembayaran(instruksi_id(SIKLUS_ID, a.id))
    assert _buat(instruksi, siklus, a)
    assert instruksi.pending == [
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
    assert instruksi.status == DIBUAT
    assert not _buat(instruksi, siklus, a)  # a retried batch
    dimuat = InstruksiPembayaran.rehydrate(instruksi.id, instruksi.collect())
    assert not _buat(dimuat, siklus, a)  # the stream exists: nothing again
    assert dimuat.pending == []
    assert siklus.pending == []  # the round's own stream holds no instruction
    assert instruksi_id(SIKLUS_ID, a.id) == instruksi_id(SIKLUS_ID, a.id)
    assert instruksi_id(SIKLUS_ID, a.id) != instruksi_id(
        siklus_stream_id(PKH, "2025-TW3", 1), a.id
    )


def test_an_instructions_stream_is_derived_from_its_round_and_recipient():
    siklus, a = _siklus(), _a()
    with pytest.raises(ValueError, match="derived"):
        _buat(InstruksiPembayaran(uuid.uuid4()), siklus, a)


def test_a_death_between_approval_and_payment_means_no_instruction():
    siklus, a = _siklus(), _a()
    mati = fakta().identitas | {IBU: StatusIdentitas(NONAKTIF, MENINGGAL)}
    instruksi = InstruksiPembayaran(instruksi_id(SIKLUS_ID, a.id))
    with pytest.raises(TidakLayak) as refused:
        _buat(instruksi, siklus, a, identitas=mati)
    assert refused.value.code == "tidak_layak"
    assert refused.value.gagal == ("meninggal",)
    assert instruksi.pending == []
    assert not instruksi.exists


def test_a_suspended_recipient_gets_no_instruction():
    siklus, a = _siklus(), _a()
    a.tangguhkan(alasan=MENINGGAL, nik_hash=IBU, oleh="sistem", sekarang=PADA)
    instruksi = InstruksiPembayaran(instruksi_id(SIKLUS_ID, a.id))
    with pytest.raises(InvalidState) as refused:
        _buat(instruksi, siklus, a)
    assert refused.value.code == "penerima_tidak_aktif"
    assert instruksi.pending == []


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
    with pytest.raises(InvalidState) as refused:
        _instruksikan(_siklus(), penerima())
    assert refused.value.code == code


def test_an_unknown_channel_is_refused():
    with pytest.raises(InvalidInput) as refused:
        _instruksikan(_siklus(), _a(), kanal="BCA")
    assert refused.value.code == "kanal_tidak_valid"


def test_a_second_stream_of_the_same_kk_is_not_paid_twice_in_a_round():
    siklus = _siklus()
    _instruksikan(siklus, _a())
    kembar = penerima_aktif(usulan_id=uuid.uuid4())  # same KK, a duplicate enrolment
    with pytest.raises(InvalidState) as refused:
        _instruksikan(siklus, kembar, kk_dibayar={KK})  # facts read before the replica caught up
    assert refused.value.code == "ganda_dalam_siklus"


def test_a_suspension_after_the_instruction_cancels_it_and_a_late_payment_report_is_refused():
    siklus, a = _siklus(), _a()
    instruksi = _tersimpan(_instruksikan(siklus, a))
    kunci = instruksi_id(SIKLUS_ID, a.id)
    assert instruksi.batalkan(alasan="Meninggal dunia", sekarang=PADA)
    assert instruksi.pending == [
        InstruksiDibatalkan(
            instruksi_id=kunci, penerima_id=a.id, alasan="Meninggal dunia", dibatalkan_pada=PADA
        )
    ]
    assert not instruksi.batalkan(alasan="lagi", sekarang=PADA)
    with pytest.raises(InvalidState) as refused:
        instruksi.catat_disalurkan(kanal="BRI", ntx="BRI-1", nominal=600_000, sekarang=PADA)
    assert refused.value.code == "instruksi_dibatalkan"
    assert len(instruksi.pending) == 1


def test_a_paid_instruction_is_not_cancelled():
    instruksi = _instruksikan(_siklus(), _a())
    instruksi.catat_disalurkan(kanal="BRI", ntx="BRI-1", nominal=600_000, sekarang=PADA)
    with pytest.raises(InvalidState) as refused:
        instruksi.batalkan(alasan="Meninggal", sekarang=PADA)
    assert refused.value.code == "status_instruksi"


# --- channel reports -------------------------------------------------------------------------
def _satu_instruksi(kanal="BRI"):
    siklus, a = _siklus(), _a()
    instruksi = _instruksikan(siklus, a, kanal=kanal)
    return _tersimpan(instruksi), instruksi_id(SIKLUS_ID, a.id)


def _tersimpan(instruksi: InstruksiPembayaran) -> InstruksiPembayaran:
    """As loaded from its stream once appended."""
    return InstruksiPembayaran.rehydrate(instruksi.id, instruksi.collect())


def test_the_same_payment_report_twice_records_it_once():
    instruksi, kunci = _satu_instruksi()
    lapor = {"kanal": "BRI", "nominal": 600_000, "sekarang": PADA}
    assert instruksi.catat_disalurkan(ntx="BRI-778899", **lapor)
    assert not instruksi.catat_disalurkan(ntx="BRI-778899", **lapor)
    assert instruksi.pending == [
        DanaDisalurkan(
            instruksi_id=kunci,
            kanal="BRI",
            ntx="BRI-778899",
            nominal=600_000,
            disalurkan_pada=PADA,
        )
    ]
    with pytest.raises(InvalidState) as refused:
        instruksi.catat_disalurkan(ntx="BRI-000001", **lapor)
    assert refused.value.code == "sudah_disalurkan"
    with pytest.raises(InvalidState) as refused:
        instruksi.catat_gagal(alasan="Rekening tutup", sekarang=PADA)
    assert refused.value.code == "status_instruksi"
    assert len(instruksi.pending) == 1


def test_not_collected_rerouted_to_pos_and_paid_with_reports_redelivered():
    instruksi, kunci = _satu_instruksi()
    assert instruksi.catat_tidak_diambil(sekarang=PADA)
    assert instruksi.alihkan_ke_pos(sekarang=PADA)
    assert not instruksi.catat_tidak_diambil(sekarang=PADA)  # late copy
    assert not instruksi.alihkan_ke_pos(sekarang=PADA)
    assert instruksi.catat_disalurkan(kanal="POS", ntx="POS-1", nominal=600_000, sekarang=PADA)
    assert instruksi.pending == [
        DanaTidakDiambil(instruksi_id=kunci, dilaporkan_pada=PADA),
        PenyaluranDialihkanKePos(instruksi_id=kunci, dialihkan_pada=PADA),
        DanaDisalurkan(
            instruksi_id=kunci, kanal="POS", ntx="POS-1", nominal=600_000, disalurkan_pada=PADA
        ),
    ]


def test_reports_out_of_order_are_refused_with_a_code():
    instruksi, _ = _satu_instruksi()
    with pytest.raises(InvalidState) as refused:
        instruksi.alihkan_ke_pos(sekarang=PADA)  # before "not collected"
    assert refused.value.code == "status_instruksi"
    with pytest.raises(InvalidState) as refused:
        instruksi.catat_dikembalikan(nominal=1, referensi="x", sekarang=PADA)
    assert refused.value.code == "status_instruksi"
    with pytest.raises(InvalidState) as refused:
        InstruksiPembayaran(uuid.uuid4()).catat_gagal(alasan="x", sekarang=PADA)
    assert refused.value.code == "instruksi_tidak_dikenal"
    assert instruksi.pending == []


def test_a_failed_transfer_is_final_and_reported_once():
    instruksi, kunci = _satu_instruksi()
    assert instruksi.catat_gagal(alasan="Rekening tidak aktif", sekarang=PADA)
    assert not instruksi.catat_gagal(alasan="Rekening tidak aktif", sekarang=PADA)
    assert instruksi.pending == [
        DanaGagalDisalurkan(
            instruksi_id=kunci, alasan="Rekening tidak aktif", dilaporkan_pada=PADA
        )
    ]
    with pytest.raises(InvalidState) as refused:
        instruksi.catat_disalurkan(kanal="BRI", ntx="BRI-2", nominal=600_000, sekarang=PADA)
    assert refused.value.code == "status_instruksi"


@pytest.mark.parametrize("nominal", [0, -1, 600_000.0])
def test_a_report_needs_whole_rupiah(nominal):
    instruksi, _ = _satu_instruksi()
    with pytest.raises(InvalidInput) as refused:
        instruksi.catat_disalurkan(kanal="BRI", ntx="BRI-1", nominal=nominal, sekarang=PADA)
    assert refused.value.code == "nominal_tidak_valid"


# --- reconciliation --------------------------------------------------------------------------
def _empat_keluarga(*, disalurkan_a: int = 600_000):
    """A paid (BRI), B not collected then returned, C failed, D cancelled."""
    siklus = _siklus()
    a, b = _a(), _b()
    c = penerima_aktif(anggota=(Anggota(h("ibu-c"), SD),), usulan_id=uuid.uuid4(), kk=h("kk-c"))
    d = penerima_aktif(anggota=(Anggota(h("ibu-d"), SMP),), usulan_id=uuid.uuid4(), kk=h("kk-d"))
    ia, ib, ic, id_ = (_instruksikan(siklus, p) for p in (a, b, c, d))
    ia.catat_disalurkan(kanal="BRI", ntx="BRI-1", nominal=disalurkan_a, sekarang=PADA)
    ib.catat_tidak_diambil(sekarang=PADA)
    ib.alihkan_ke_pos(sekarang=PADA)
    ib.catat_dikembalikan(nominal=750_000, referensi="NTPN-0A1B2C3D4E5F6G7H", sekarang=PADA)
    ic.catat_gagal(alasan="Rekening tutup", sekarang=PADA)
    id_.batalkan(alasan="Ditangguhkan", sekarang=PADA)
    return siklus, (ia, ib, ic, id_)


def test_a_balanced_round_closes_with_its_figures():
    siklus, instruksi = _empat_keluarga()
    rekonsiliasi = _rekonsiliasi(*instruksi)
    assert rekonsiliasi == Rekonsiliasi(
        jumlah_instruksi=4,
        diinstruksikan=600_000 + 750_000 + 225_000 + 375_000,
        disalurkan=600_000,
        dikembalikan=750_000,
        gagal=225_000,
        dibatalkan=375_000,
        belum_final=0,
    )
    siklus.tutup(oleh=DIREKTUR, sekarang=PADA, rekonsiliasi=rekonsiliasi)
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


def test_the_figures_per_status_sum_the_instructions():
    _, instruksi = _empat_keluarga()
    assert jumlah_per_status(
        (i.status, i.nominal, i.disalurkan, i.dikembalikan) for i in instruksi
    ) == {
        "TERSALUR": JumlahStatus(1, 600_000, 600_000, 0),
        "DIKEMBALIKAN": JumlahStatus(1, 750_000, 0, 750_000),
        "GAGAL": JumlahStatus(1, 225_000, 0, 0),
        "DIBATALKAN": JumlahStatus(1, 375_000, 0, 0),
    }
    assert Rekonsiliasi.dari_status({}) == Rekonsiliasi(0, 0, 0, 0, 0, 0, 0)


def test_a_round_off_by_one_rupiah_is_refused():
    siklus, instruksi = _empat_keluarga(disalurkan_a=599_999)
    with pytest.raises(InvalidState) as refused:
        siklus.tutup(oleh=DIREKTUR, sekarang=PADA, rekonsiliasi=_rekonsiliasi(*instruksi))
    assert refused.value.code == "rekonsiliasi_tidak_seimbang"
    assert refused.value.message == (
        "Rekonsiliasi tidak seimbang: 0 instruksi belum final, selisih Rp1."
    )
    assert refused.value.rekonsiliasi.selisih == 1
    assert siklus.pending == []


def test_a_round_with_an_instruction_still_pending_is_refused():
    siklus = _siklus()
    ia, ib = _instruksikan(siklus, _a()), _instruksikan(siklus, _b())
    ia.catat_disalurkan(kanal="BRI", ntx="BRI-1", nominal=600_000, sekarang=PADA)
    with pytest.raises(InvalidState) as refused:
        siklus.tutup(oleh=DIREKTUR, sekarang=PADA, rekonsiliasi=_rekonsiliasi(ia, ib))
    assert refused.value.code == "rekonsiliasi_tidak_seimbang"
    assert refused.value.message == (
        "Rekonsiliasi tidak seimbang: 1 instruksi belum final, selisih Rp750000."
    )
    assert siklus.pending == []


def test_a_closed_round_takes_no_new_report_but_a_repeat_is_harmless():
    siklus, instruksi = _empat_keluarga()
    siklus.tutup(oleh=DIREKTUR, sekarang=PADA, rekonsiliasi=_rekonsiliasi(*instruksi))
    ia, ib = instruksi[0], instruksi[1]
    ia.siklus_ditutup = ib.siklus_ditutup = True  # as the command reads it from the round
    assert not ia.catat_disalurkan(kanal="BRI", ntx="BRI-1", nominal=600_000, sekarang=PADA)
    with pytest.raises(InvalidState) as refused:
        ib.catat_disalurkan(kanal="POS", ntx="POS-1", nominal=750_000, sekarang=PADA)
    assert refused.value.code == "tahap"
    with pytest.raises(InvalidState) as refused:
        _instruksikan(
            siklus,
            penerima_aktif(
                anggota=(Anggota(h("baru"), SD),), usulan_id=uuid.uuid4(), kk=h("kk-baru")
            ),
        )
    assert refused.value.code == "tahap"
    with pytest.raises(InvalidState) as refused:
        siklus.tutup(oleh=DIREKTUR, sekarang=PADA, rekonsiliasi=_rekonsiliasi(*instruksi))
    assert refused.value.code == "tahap"


def test_a_report_on_an_open_instruction_of_a_closed_round_is_refused():
    instruksi, _ = _satu_instruksi()
    instruksi.siklus_ditutup = True
    with pytest.raises(InvalidState) as refused:
        instruksi.catat_tidak_diambil(sekarang=PADA)
    assert refused.value.code == "tahap"
    assert instruksi.pending == []


def test_an_instruction_replays_from_stored_payloads_to_the_same_figures():
    siklus, a = _siklus(), _a()
    instruksi = _instruksikan(siklus, a)
    instruksi.catat_tidak_diambil(sekarang=PADA)
    ditulis = instruksi.collect()
    dibaca = [type(e).from_payload(e.to_payload()) for e in ditulis]
    assert dibaca == ditulis
    dimuat = InstruksiPembayaran.rehydrate(instruksi.id, dibaca)
    assert _rekonsiliasi(dimuat) == _rekonsiliasi(instruksi)
    assert dataclasses.astuple(_rekonsiliasi(dimuat))[-1] == 1
    assert (dimuat.status, dimuat.penerima_id, dimuat.siklus_id) == (
        "TIDAK_DIAMBIL",
        a.id,
        SIKLUS_ID,
    )
