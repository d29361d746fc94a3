"""UU PDP 27/2022 at rest: after the bus accepted a message of every type (both doors'
pipeline) and projected its proof, no row of the bus's write or read database holds a NIK, a
family-card number or a sealed personal field in clear; the proof still verifies offline."""

from __future__ import annotations

import uuid

import pytest

from apps.bus.commands import bus_terima_pesan
from apps.bus.domain.kunci import mentah_base64, verifikasi_bukti
from apps.bus.models import Instansi
from apps.bus.queries import bukti_pengiriman
from egov.eventstore.projections import get_projector, run_projector
from tests.bus.pesan import (
    KEMATIAN,
    KEMDIKBUD,
    KEMENDAGRI,
    NIK,
    amplop,
    daftar_instansi,
    teks_mentah,
)

pytestmark = pytest.mark.django_db(databases="__all__")
ANGGOTA = "3273014101900002"
KK, KK_LAMA = "3273010101900003", "3273010101900004"
NISN = "0012345678"


def test_the_message_log_and_the_proofs_keep_no_personal_data_in_clear():
    daftar_instansi()
    daftar_instansi("kemdikbud", kunci=KEMDIKBUD, jenis=("NISNDiverifikasi",))
    kk = {"nomor_kk": KK, "nomor_kk_lama": KK_LAMA, "anggota": [NIK, ANGGOTA], "alasan": "Pindah"}
    envelopes = [
        amplop(),
        amplop(kk, event_type="KKDiupdate"),
        amplop({"nik": ANGGOTA, "nisn": NISN}, event_type="NISNDiverifikasi",
               agency="kemdikbud", kunci=KEMDIKBUD),
    ]  # fmt: skip
    for envelope in envelopes:
        bus_terima_pesan(amplop=envelope, pintu="http")
    run_projector(get_projector("bus.bukti"))

    raw = teks_mentah("bus", "bus_read")
    secrets = (NIK, ANGGOTA, KK, KK_LAMA, NISN, KEMATIAN["nomor_akta"])
    assert [s for s in secrets if s in raw] == []
    keys = [KEMENDAGRI, KEMENDAGRI, KEMDIKBUD]
    for envelope, key in zip(envelopes, keys, strict=True):
        bukti = bukti_pengiriman(uuid.UUID(envelope["message_id"]))
        assert verifikasi_bukti(bukti, mentah_base64(key.public_key()))


def test_the_raw_text_of_the_rows_shows_a_value_written_in_clear():
    """The check above would see a NIK: here one is written in clear (an agency's name)."""
    daftar_instansi("kemenkes")
    Instansi.objects.using("bus").filter(kode="kemenkes").update(nama=NIK)
    assert NIK in teks_mentah("bus")
