"""Disaster recovery of e-KTP's read side on PostgreSQL: a rebuild COPYs new requests and
their timeline straight into the emptied tables (``batch_rows.into_emptied_tables``) and
gives exactly the rows the live runs gave (staging table, ON CONFLICT)."""

from datetime import date

import pytest
from django.utils import timezone

from apps.ktp.domain import PermohonanKTP
from apps.ktp.models import RiwayatKTP, StatusPermohonanKTP
from apps.ktp.store import store
from egov.eventstore import projections
from egov.eventstore.batch_rows import COPY_FROM
from egov.eventstore.domain import EventMetadata
from egov.eventstore.pseudonym import keyed_hash

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(databases="__all__")]


def test_a_rebuild_by_copy_gives_the_rows_of_the_live_runs():
    """e-KTP's projector writes new requests and their timeline with ``insert_new``: a
    rebuild in batches of 100 (COPY straight into the emptied tables) gives the same rows as
    the live runs (staging table, ON CONFLICT)."""
    sekarang = timezone.now()
    for n in range(COPY_FROM + 30):
        nik = f"317101150790{n:04d}"
        request = PermohonanKTP.ajukan(
            nik_hash=keyed_hash(nik), nik=nik, nama=f"Warga {n}",
            tanggal_lahir=date(1990, 7, 15), pernah_kawin=False, jenis="BARU", alasan="",
            sekarang=sekarang,
        )  # fmt: skip
        request.rekam_biometrik(
            template_hash=f"{n:064x}", lokasi="Disdukcapil", petugas="p1", sekarang=sekarang
        )
        store.save(request, EventMetadata(actor="uji", source="uji"))
    projector = projections.get_projector("ktp.status")
    projections.run_projector(projector, limit=COPY_FROM + 100)  # live: one batch
    live = _ktp_rows()

    projections.rebuild(projector, limit=COPY_FROM + 100)

    assert len(live[0]) == COPY_FROM + 30
    assert len(live[1]) == 2 * (COPY_FROM + 30)
    assert _ktp_rows() == live


def _ktp_rows() -> tuple[list, list]:
    requests = StatusPermohonanKTP.objects.using("ktp_read").order_by("permohonan_id")
    timeline = RiwayatKTP.objects.using("ktp_read").order_by("event_id")
    return (
        list(requests.values_list("permohonan_id", "status", "nik_masked", "nama", "last_version")),
        list(timeline.values_list("event_id", "permohonan_id", "urutan", "status")),
    )
