"""Registration: individuals (their NIK as NPWP, once Dukcapil verified it), companies
(NPWP16) and their branches (NITKU), VAT registration (PKP), and the identity replica fed by
the e-KTP context's published events (a deactivated NIK opens a review)."""

from __future__ import annotations

import uuid
from datetime import date

from django.utils.translation import gettext_noop

from apps.pajak.commands._unit import (
    ALIAS,
    changing,
    indeks_wajib_pajak,
    kunci_subjek,
)
from apps.pajak.domain.nomor import npwp_badan, parse_nitku
from apps.pajak.domain.rules import NONAKTIF
from apps.pajak.domain.wajib_pajak import IdentitasDukcapil as Identitas
from apps.pajak.domain.wajib_pajak import WajibPajak, wajib_pajak_stream_id
from apps.pajak.models import IdentitasDukcapil
from apps.pajak.roles import (
    require_may_register,
    require_petugas,
    require_wajib_pajak_sendiri,
)
from egov import clock
from egov.db import atomic
from egov.eventstore.domain import EventMetadata, InvalidInput
from egov.eventstore.pseudonym import keyed_hash
from egov.identity import InvalidNIK, parse_nik
from egov.principals import Principal

MSG_ALASAN_NONAKTIF = gettext_noop("NIK dinonaktifkan oleh Dukcapil.")


def subjek_badan(npwp16: str) -> str:
    """A company's pseudonymous subject: the keyed hash of its NPWP16 (its own purpose, so it
    can never equal a NIK's hash)."""
    return keyed_hash(npwp16, purpose="npwp")


def _identitas(nik_hash: str) -> Identitas | None:
    """The replica's row as the domain reads it (None: Dukcapil never verified the NIK)."""
    row = IdentitasDukcapil.objects.using(ALIAS).filter(nik_hash=nik_hash).first()
    return Identitas(row.nik_hash, row.status, row.sumber_event_id) if row else None


def pajak_aktifkan_npwp(
    *, principal: Principal, nik: str, nama: str, metadata: EventMetadata
) -> uuid.UUID:
    """A signed-in citizen activates their NIK as their NPWP (PMK 112/2022). Whose NPWP it is
    comes from the principal: the NIK typed is only its digits, refused unless it is the NIK
    the account was verified for (``bukan_nik_anda``). Refused while pajak's replica does not
    know the NIK as verified by Dukcapil (``nik_belum_terverifikasi``) or once deactivated
    (``nik_nonaktif``). Returns the taxpayer's id."""
    try:
        nik = parse_nik(nik, today=clock.today()).value
    except InvalidNIK as error:
        raise InvalidInput(str(error), code="nik_tidak_valid") from None
    nik_hash = require_wajib_pajak_sendiri(principal, nik_hash=keyed_hash(nik))
    stream_id = wajib_pajak_stream_id(nik_hash)
    with changing(
        WajibPajak, stream_id, metadata, baru=True, kunci=lambda: kunci_subjek(nik_hash)
    ) as wp:
        wp.daftar_orang_pribadi(
            nik=nik,
            nik_hash=nik_hash,
            nama=nama,
            identitas=_identitas(nik_hash),
            sekarang=clock.now(),
        )
    return stream_id


def pajak_daftar_badan(
    *, principal: Principal, npwp: str, nama: str, kode_wilayah: str, metadata: EventMetadata
) -> uuid.UUID:
    """Register a company with its NPWP (16 digits, or the old 15, converted) and the regency
    of its registered seat: an officer of that office, or a registration system with scope
    ``pajak:daftar``. Returns the taxpayer's id."""
    require_may_register(principal, kode_wilayah=kode_wilayah.strip())
    nomor = npwp_badan(npwp)
    subjek_id = subjek_badan(nomor.nomor)
    stream_id = wajib_pajak_stream_id(subjek_id)
    with changing(WajibPajak, stream_id, metadata, baru=True) as wp:
        wp.daftar_badan(
            npwp=nomor.nomor,
            subjek_id=subjek_id,
            nama=nama,
            kode_wilayah=kode_wilayah.strip(),
            sekarang=clock.now(),
        )
    return stream_id


def pajak_daftar_tku(
    *,
    principal: Principal,
    wajib_pajak_id: uuid.UUID,
    nitku: str,
    nama_tku: str,
    metadata: EventMetadata,
) -> str:
    """Register a branch (place of business) of a company; returns its NITKU."""
    require_may_register(principal)  # before the look-up: others learn nothing
    require_may_register(principal, kode_wilayah=indeks_wajib_pajak(wajib_pajak_id).kode_wilayah)
    with changing(WajibPajak, wajib_pajak_id, metadata) as wp:
        wp.daftar_tku(nitku=nitku, nama_tku=nama_tku, sekarang=clock.now())
    return parse_nitku(nitku, hari_ini=clock.today()).nomor


def pajak_kukuhkan_pkp(
    *,
    principal: Principal,
    wajib_pajak_id: uuid.UUID,
    metadata: EventMetadata,
    tanggal_pengukuhan: date | None = None,
) -> None:
    """An officer of the taxpayer's office confirms it as a VAT-registered business (PKP),
    from ``tanggal_pengukuhan`` (default today): PPN obligations follow from that month."""
    require_petugas(principal)  # before the look-up: others learn nothing
    require_petugas(principal, kode_wilayah=indeks_wajib_pajak(wajib_pajak_id).kode_wilayah)
    with changing(WajibPajak, wajib_pajak_id, metadata) as wp:
        wp.kukuhkan_pkp(
            tanggal_pengukuhan=tanggal_pengukuhan or clock.today(),
            petugas=principal.name,
            sekarang=clock.now(),
        )


def pajak_catat_identitas(
    *, nik_hash: str, status: str, sumber: str, metadata: EventMetadata, alasan: str = ""
) -> bool:
    """Policy on the e-KTP feed: keep the replica row of ``nik_hash`` (the latest event
    wins) and, when Dukcapil deactivated the NIK of a registered individual, open a review
    (``PeninjauanWajibPajakDibuka``) — never a deregistration. Idempotent: a review already
    open is not opened again. Returns whether a review was opened now."""
    with atomic(ALIAS):
        kunci_subjek(nik_hash)
        IdentitasDukcapil.objects.using(ALIAS).update_or_create(
            nik_hash=nik_hash, defaults={"status": status, "sumber_event_id": sumber}
        )
        if status != NONAKTIF:
            return False
        with changing(WajibPajak, wajib_pajak_stream_id(nik_hash), metadata, baru=True) as wp:
            dibuka = wp.buka_peninjauan(
                alasan=alasan or MSG_ALASAN_NONAKTIF, sumber=sumber, sekarang=clock.now()
            )
    return dibuka
