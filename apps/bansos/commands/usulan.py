"""Proposals and memberships: a village proposes a household, an officer verifies it on
bansos's replicas and decides it (four eyes) or rejects it; a recipient is suspended by an
officer or by the identity policy (a deactivated NIK), which cancels its pending payment
instructions in the same transaction."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence

from django.utils.translation import gettext_noop

from apps.bansos.commands._unit import (
    ALIAS,
    batalkan_instruksi_penerima,
    changing,
    fakta_untuk,
    indeks_penerima,
    kunci,
    kunci_penerima,
    kunci_rumah_tangga,
    simpan,
)
from apps.bansos.domain.kelayakan import (
    Anggota,
    FaktaKelayakan,
    HasilKelayakan,
    periksa_kelayakan,
)
from apps.bansos.domain.konfigurasi import KonfigurasiBansos
from apps.bansos.domain.penerima import BERJALAN, Penerima
from apps.bansos.domain.rules import (
    DITANGGUHKAN,
    DIVERIFIKASI,
    MENINGGAL,
    NIK_NONAKTIF,
    Periode,
)
from apps.bansos.konfigurasi import muat_konfigurasi
from apps.bansos.models import (
    IdentitasDukcapil,
    IndeksAnggota,
)
from apps.bansos.roles import require_petugas, require_sistem
from apps.bansos.store import store
from egov import clock
from egov.contracts.ktp import NONAKTIF
from egov.db import atomic
from egov.eventstore.domain import EventMetadata, InvalidInput
from egov.eventstore.pseudonym import keyed_hash
from egov.identity import InvalidNIK, parse_nik
from egov.principals import Principal

MSG_REKENING_TIDAK_VALID = gettext_noop("Nomor rekening harus 6 sampai 20 digit angka.")
_REKENING = re.compile(r"^\d{6,20}$")


def bansos_ajukan_usulan(
    *,
    principal: Principal,
    program: str,
    periode: str,
    nomor_kk_hash: str,
    pengurus_nik_hash: str,
    anggota: Sequence[Anggota],
    desil: int,
    kode_wilayah: str,
    metadata: EventMetadata,
    rekening_hash: str = "",
) -> uuid.UUID:
    """An officer of the village's region proposes a household (NIKs, the KK number and the
    bank account paid into as keyed hashes; ``rekening_hash`` "" when it has no account yet)
    for ``program`` from ``periode``. Returns the household's stream id, which stays its
    recipient id once decided."""
    require_petugas(principal, kode_wilayah=str(kode_wilayah))
    konfigurasi = muat_konfigurasi()
    usulan_id = uuid.uuid4()
    with changing(Penerima, usulan_id, metadata, baru=True) as usulan:
        usulan.ajukan(
            program=program,
            periode=periode,
            nomor_kk_hash=nomor_kk_hash,
            pengurus_nik_hash=pengurus_nik_hash,
            anggota=anggota,
            desil=desil,
            kode_wilayah=kode_wilayah,
            diajukan_oleh=principal.name,
            diajukan_oleh_id=principal.id,
            rekening_hash=rekening_hash,
            sekarang=clock.now(),
            konfigurasi=konfigurasi,
        )
    return usulan_id


def _petugas_wilayah(principal: Principal, penerima_id: uuid.UUID) -> None:
    require_petugas(principal)  # before the look-up: others learn nothing
    require_petugas(principal, kode_wilayah=indeks_penerima(penerima_id).kode_wilayah)


def bansos_verifikasi_usulan(
    *, principal: Principal, usulan_id: uuid.UUID, metadata: EventMetadata
) -> HasilKelayakan:
    """Check every eligibility rule on what bansos's replicas say now and record the result
    (``UsulanDiverifikasi``), passed or not: a failed one is verified again once fixed."""
    _petugas_wilayah(principal, usulan_id)
    konfigurasi = muat_konfigurasi()
    with changing(Penerima, usulan_id, metadata) as usulan:
        fakta = fakta_untuk(usulan.data, Periode.parse(usulan.periode), konfigurasi)
        hasil = usulan.verifikasi(
            fakta=fakta, konfigurasi=konfigurasi, oleh=principal.name, sekarang=clock.now()
        )
    return hasil


def bansos_tetapkan_penerima(
    *, principal: Principal, usulan_id: uuid.UUID, dasar_hukum: str, metadata: EventMetadata
) -> None:
    """Decide a verified household a recipient (``PenerimaDitetapkan``), by an officer other
    than the proposer (``empat_mata``, told apart by principal id). Eligibility is checked
    again under the household's locks: when the replicas changed since the last verification
    (another household of the KK or with a member decided meanwhile, a death), the new
    verification is recorded first, and a household no longer eligible is refused
    (``tidak_layak``) with nothing appended."""
    _petugas_wilayah(principal, usulan_id)
    konfigurasi = muat_konfigurasi()
    indeks = indeks_penerima(usulan_id)
    nik = IndeksAnggota.objects.using(ALIAS).filter(penerima_id=usulan_id)

    def kunci_keluarga() -> None:
        kunci_rumah_tangga(indeks.nomor_kk_hash, nik.values_list("nik_hash", flat=True))

    with changing(Penerima, usulan_id, metadata, kunci=kunci_keluarga) as usulan:
        sekarang = clock.now()
        if usulan.status == DIVERIFIKASI:
            fakta = fakta_untuk(usulan.data, Periode.parse(usulan.periode), konfigurasi)
            if _berubah(usulan, fakta, konfigurasi):
                usulan.verifikasi(
                    fakta=fakta, konfigurasi=konfigurasi, oleh=principal.name, sekarang=sekarang
                )
        usulan.tetapkan(
            dasar_hukum=dasar_hukum, oleh=principal.name, oleh_id=principal.id, sekarang=sekarang
        )


def _berubah(usulan: Penerima, fakta: FaktaKelayakan, konfigurasi: KonfigurasiBansos) -> bool:
    """Would a verification on ``fakta`` conclude otherwise than the last one recorded?"""
    periode = Periode.parse(usulan.periode)
    hasil = periksa_kelayakan(
        usulan.data,
        fakta,
        konfigurasi.program_pada(usulan.program, periode.awal),
        periode,
        tidak_bersama=konfigurasi.tidak_bersama(usulan.program, periode.awal),
    )
    terakhir = usulan.verifikasi_terakhir
    temuan = tuple((t.kode, t.nik_hash) for t in (*hasil.gagal, *hasil.tinjau))
    return (hasil.layak, hasil.kode_gagal, hasil.kode_tinjau, temuan, hasil.desil) != (
        terakhir.layak,
        terakhir.gagal,
        terakhir.tinjau,
        terakhir.temuan,
        terakhir.desil,
    )


def bansos_tolak_usulan(
    *, principal: Principal, usulan_id: uuid.UUID, alasan: str, metadata: EventMetadata
) -> None:
    _petugas_wilayah(principal, usulan_id)
    with changing(Penerima, usulan_id, metadata) as usulan:
        usulan.tolak(alasan=alasan, oleh=principal.name, sekarang=clock.now())


def bansos_tangguhkan_penerima(
    *,
    principal: Principal,
    penerima_id: uuid.UUID,
    alasan: str,
    metadata: EventMetadata,
    keterangan: str = "",
    nik_hash: str = "",
) -> bool:
    """Pause a recipient's payments (MENINGGAL, NIK_NONAKTIF, TIDAK_LAYAK, LAINNYA with a
    note) and cancel its instructions whose money has not left. Already suspended: nothing
    recorded (False)."""
    _petugas_wilayah(principal, penerima_id)
    with atomic(ALIAS):
        kunci_penerima([penerima_id])
        return tangguhkan(
            penerima_id,
            alasan=alasan,
            keterangan=keterangan,
            nik_hash=nik_hash,
            oleh=principal.name,
            metadata=metadata,
        )


def tangguhkan(
    penerima_id: uuid.UUID,
    *,
    alasan: str,
    keterangan: str,
    nik_hash: str,
    oleh: str,
    metadata: EventMetadata,
) -> bool:
    """Inside the caller's transaction, holding the recipient's lock: suspend, then cancel
    every pending instruction of a suspended recipient (also when it was suspended before:
    a redelivered death finishes what is left and records nothing new)."""
    sekarang = clock.now()
    penerima = store.get(Penerima, penerima_id)
    baru = penerima.tangguhkan(
        alasan=alasan, keterangan=keterangan, nik_hash=nik_hash, oleh=oleh, sekarang=sekarang
    )
    simpan(penerima, metadata)
    if penerima.status != DITANGGUHKAN:
        return baru
    batalkan_instruksi_penerima(penerima, penerima.alasan_penangguhan, metadata, sekarang)
    return baru


def bansos_catat_identitas(
    *,
    principal: Principal,
    nik_hash: str,
    status: str,
    sumber: str,
    metadata: EventMetadata,
    alasan: str = "",
) -> tuple[uuid.UUID, ...]:
    """Policy on the e-KTP feed: keep the replica row of ``nik_hash`` (the latest event wins)
    and, when Dukcapil deactivated the NIK, suspend every running membership with that member
    (``MENINGGAL`` for a death, else ``NIK_NONAKTIF``) and cancel its pending instructions.
    A reactivated NIK is verified again; the household stays suspended until an officer
    reactivates it (a death recorded in error is checked by a person). Idempotent. Returns
    the recipients suspended now."""
    require_sistem(principal)
    with atomic(ALIAS):
        kunci(f"nik:{nik_hash}")
        IdentitasDukcapil.objects.using(ALIAS).update_or_create(
            nik_hash=nik_hash,
            defaults={"status": status, "alasan": alasan, "sumber_event_id": sumber},
        )
        if status != NONAKTIF:
            return ()
        ids = sorted(
            IndeksAnggota.objects.using(ALIAS)
            .filter(nik_hash=nik_hash, penerima__status__in=BERJALAN)
            .values_list("penerima_id", flat=True)
        )
        kunci_penerima(ids)
        sebab = MENINGGAL if alasan == MENINGGAL else NIK_NONAKTIF
        return tuple(
            i
            for i in ids
            if tangguhkan(
                i,
                alasan=sebab,
                keterangan="",
                nik_hash=nik_hash,
                oleh=metadata.actor,
                metadata=metadata,
            )
        )


def rekening_hash(nomor: str) -> str:
    """The keyed hash (purpose ``rekening``) of a bank account number typed in clear: 6 to 20
    digits, spaces and dashes as typed on a passbook ignored. Refused: anything else
    (``rekening_tidak_valid``). The clear number goes no further than this function."""
    digits = re.sub(r"[\s-]", "", nomor or "") if isinstance(nomor, str) else ""
    if not _REKENING.match(digits):
        raise InvalidInput(MSG_REKENING_TIDAK_VALID, code="rekening_tidak_valid")
    return keyed_hash(digits, purpose="rekening")


def nik_hash(nik: str) -> str:
    """The keyed hash of a NIK typed in clear (a form, an upload): validated, hashed, and the
    clear NIK dropped. Refused: not a valid NIK (``nik_tidak_valid``)."""
    try:
        nomor = parse_nik(nik, today=clock.today()).value
    except InvalidNIK as error:
        raise InvalidInput(str(error), code="nik_tidak_valid") from None
    return keyed_hash(nomor)
