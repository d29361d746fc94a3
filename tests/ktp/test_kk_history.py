"""e-KTP keeps each NIK's family-card history from the bus's published ``KKDiupdate``
(Kemendagri): ``KKDiperbarui`` on the NIK's stream, once per change, with the previous KK."""

import uuid

import pytest

from apps.ktp.domain import KKDiperbarui, nik_stream_id
from apps.ktp.store import store
from egov.contracts.bus import KKDiupdate
from egov.eventstore.domain import EventMetadata
from egov.eventstore.feed import read_feed
from egov.eventstore.projections import get_projector, run_projector
from egov.eventstore.pseudonym import keyed_hash
from egov.eventstore.store import get_store

pytestmark = pytest.mark.django_db(databases="__all__")
AYAH, IBU = keyed_hash("3273010101800002"), keyed_hash("3273014107850001")
KK_LAMA, KK_BARU = "a" * 64, "b" * 64


def kk_diupdate(baru: str, *anggota: str, lama: str = "", message_id: str = "pesan-1") -> None:
    event = KKDiupdate(
        nomor_kk_hash=baru,
        nomor_kk_lama_hash=lama,
        anggota=anggota,
        alasan="PINDAH",
        instansi="kemendagri",
        message_id=message_id,
    )
    get_store("bus").append(
        stream_id=uuid.uuid4(),
        stream_type="Pesan",
        expected_version=0,
        events=[event],
        metadata=EventMetadata(actor="kemendagri", source="bus", correlation_id=message_id),
    )


def policy() -> int:
    return run_projector(get_projector("ktp.kartu_keluarga"))


def riwayat(nik_hash: str) -> list[KKDiperbarui]:
    events = [r.event for r in store.load(nik_stream_id(nik_hash))]
    return [e for e in events if isinstance(e, KKDiperbarui)]


def test_each_member_gets_the_kk_on_their_nik_stream_with_the_previous_one():
    kk_diupdate(KK_LAMA, AYAH, IBU)
    kk_diupdate(KK_BARU, AYAH, lama=KK_LAMA, message_id="pesan-2")

    policy()

    assert [(e.lama, e.baru, e.sumber) for e in riwayat(AYAH)] == [
        ("", KK_LAMA, "pesan-1"),
        (KK_LAMA, KK_BARU, "pesan-2"),
    ]
    assert [e.baru for e in riwayat(IBU)] == [KK_LAMA]
    [recorded] = [r for r in store.load(nik_stream_id(IBU))]
    assert recorded.metadata["correlation_id"] == "pesan-1"  # the agency's message, end to end


def test_delivered_again_nothing_is_recorded_twice():
    kk_diupdate(KK_LAMA, AYAH)
    policy()
    projector = get_projector("ktp.kartu_keluarga")

    for recorded in read_feed("bus"):
        projector.handle(recorded)

    assert len(riwayat(AYAH)) == 1
