"""The family-card replica, fed by the bus's published ``KKDiupdate`` (a KK issued or changed
at Dukcapil): each listed member is on that KK from now on. Households are not suspended
here: eligibility is checked again before every payment instruction, which then reads the
new composition (a member no longer on the household's KK: ``bukan_anggota_kk``)."""

from __future__ import annotations

from collections.abc import Iterable

from apps.bansos.commands._unit import ALIAS, kunci
from apps.bansos.models import KKDukcapil
from apps.bansos.roles import require_sistem
from egov.db import atomic
from egov.principals import Principal


def bansos_catat_kk(
    *, principal: Principal, nomor_kk_hash: str, anggota: Iterable[str], sumber: str
) -> int:
    """Policy: record that every NIK hash in ``anggota`` is on ``nomor_kk_hash``. Idempotent;
    returns how many members' KK changed."""
    require_sistem(principal)
    anggota = sorted(set(anggota))
    berubah = 0
    with atomic(ALIAS):
        kunci(*(f"nik:{nik_hash}" for nik_hash in anggota))
        for nik_hash in anggota:
            row, created = KKDukcapil.objects.using(ALIAS).get_or_create(
                nik_hash=nik_hash,
                defaults={"nomor_kk_hash": nomor_kk_hash, "sumber_event_id": sumber},
            )
            if created or row.nomor_kk_hash != nomor_kk_hash:
                row.nomor_kk_hash, row.sumber_event_id = nomor_kk_hash, sumber
                row.save(using=ALIAS)
                berubah += 1
    return berubah
