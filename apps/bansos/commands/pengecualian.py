"""Exclusion lists fed by other contexts' events: a person who owns a business with an NIB
(izin's published ``NIBDiterbitkan`` for an individual owner) is on bansos's exclusion list
(``DaftarPengecualian``, category ``PEMILIK_USAHA``), which verification, the decision and
every payment instruction read."""

from __future__ import annotations

from apps.bansos.commands._unit import ALIAS, kunci
from apps.bansos.models import DaftarPengecualian
from apps.bansos.roles import require_sistem
from egov.db import atomic
from egov.principals import Principal


def bansos_catat_pengecualian(
    *, principal: Principal, nik_hash: str, kategori: str, sumber: str
) -> bool:
    """Policy: put ``nik_hash`` on the exclusion list under ``kategori``. Idempotent: True
    only the first time."""
    require_sistem(principal)
    with atomic(ALIAS):
        kunci(f"nik:{nik_hash}")
        _, created = DaftarPengecualian.objects.using(ALIAS).get_or_create(
            nik_hash=nik_hash, kategori=kategori, defaults={"sumber": sumber[:150]}
        )
    return created
