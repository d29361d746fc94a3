"""``pajak.wajib_pajak``: each taxpayer's registration, billing codes and obligations with
their return, from November 2026's scenario (tests/pajak/skenario.py); every event delivered
again changes nothing; an erased subject's masked NPWP is blanked."""

from __future__ import annotations

import pytest

from apps.pajak.read_models import (
    READ_MODELS_WAJIB_PAJAK,
    KewajibanWajibPajak,
    KodeBillingWajibPajak,
    ProfilWajibPajak,
)
from apps.pajak.store import store
from egov.eventstore.domain import EventMetadata
from egov.eventstore.models import Checkpoint
from egov.eventstore.projections import get_projector, run_projector
from tests.pajak.skenario import NIK_C, isi_november, wib

pytestmark = pytest.mark.django_db(databases="__all__")
NAME = "pajak.wajib_pajak"


@pytest.fixture
def november():
    s = isi_november()
    run_projector(get_projector(NAME))
    return s


def tables() -> dict[str, list[tuple]]:
    return {
        model.__name__: sorted(
            model.objects.using("pajak_read").values_list(), key=lambda row: str(row)
        )
        for model in READ_MODELS_WAJIB_PAJAK
    }


def test_each_taxpayers_records(november):
    c = ProfilWajibPajak.objects.get(wajib_pajak_id=november.c.id)
    k1 = KodeBillingWajibPajak.objects.get(kode="000000000000001")
    k2 = KodeBillingWajibPajak.objects.get(kode="000000000000002")
    a21 = KewajibanWajibPajak.objects.get(kewajiban_id=november.kewajiban["A21"].id)
    c21 = KewajibanWajibPajak.objects.get(kewajiban_id=november.kewajiban["C21"].id)

    assert (c.jenis_wp, c.npwp_tersamar, c.kode_wilayah) == ("OP", "3171**********02", "3171")
    assert ProfilWajibPajak.objects.get(wajib_pajak_id=november.a.id).pkp is True
    assert (k1.status, k1.ntpn, k1.bank, k1.tanggal_bayar) == (
        "DIBAYAR",
        "NTPN0000000000K1",
        "BNI",
        wib(2026, 11, 12, 10),
    )
    assert k1.kewajiban_id == november.kewajiban["A21"].id
    assert (k2.status, k2.ntpn, k2.kedaluwarsa) == ("KEDALUWARSA", "", wib(2026, 11, 15, 9))
    assert (a21.status_spt, a21.pajak_terutang, a21.kurang_bayar, a21.bpe) == (
        "DILAPORKAN",
        2_200_000,
        2_200_000,
        "BPE-NTPN0000000000K1",
    )
    assert (c21.status_spt, c21.denda, c21.bpe) == ("", 100_000, "")
    assert KodeBillingWajibPajak.objects.count() == 7
    assert KewajibanWajibPajak.objects.count() == 4


def test_every_event_delivered_again_changes_nothing(november):
    before = tables()
    Checkpoint.objects.using("pajak_read").filter(projector=NAME).delete()

    applied = run_projector(get_projector(NAME))

    assert applied > 0
    assert tables() == before


def test_an_erased_subject_keeps_no_masked_npwp(november):
    from egov.eventstore.pseudonym import keyed_hash

    store.forget_subject(keyed_hash(NIK_C), EventMetadata(actor="dpo", source="test"))
    run_projector(get_projector(NAME))

    assert ProfilWajibPajak.objects.get(wajib_pajak_id=november.c.id).npwp_tersamar == ""
    assert ProfilWajibPajak.objects.get(wajib_pajak_id=november.a.id).npwp_tersamar != ""
