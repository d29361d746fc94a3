"""Use cases of the izin context: load, decide, append (one typed function each).

Identity arrives only through events: ``izin_catat_identitas`` is called by the policy on the
e-KTP feed and keeps izin's own replica (``IdentitasTerverifikasi``, on izin's write alias, so
this command side may consult it without reading another context). Both sides of the race
"application arrives" / "verification arrives" take the same per-NIK lock, so whichever
commits second sees the other: an application is either processed at once or held and then
resumed by the policy (and the beat sweep resumes any held application whose identity is known).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from contextlib import AbstractContextManager
from datetime import date
from decimal import Decimal
from functools import cache

from django.conf import settings
from django.db import connections
from django.utils.translation import gettext_noop

from apps.izin.domain.aggregates import (
    PelakuUsaha,
    PermohonanIzin,
    pelaku_stream_id,
    validasi_permohonan,
)
from apps.izin.domain.events import KetentuanRisiko, NIBDiterbitkan, PermohonanIzinDibuat
from apps.izin.domain.referensi import (
    TABEL_RISIKO_STREAM,
    RisikoKBLIDitetapkan,
    TabelRisikoKBLI,
)
from apps.izin.domain.rules import (
    BADAN_USAHA,
    DISETUJUI,
    MENUNGGU_IDENTITAS,
    MSG_KBLI_TIDAK_DIKENAL,
    MSG_NIK_WAJIB,
    MSG_PERMOHONAN_GANDA,
    TAHAP_PETUGAS,
    TAHAP_SELESAI,
    TUJUAN_KUNCI_GANDA,
    usaha_yang_sama,
)
from apps.izin.models import (
    DokumenIzin,
    HariLibur,
    IdentitasTerverifikasi,
    IndeksPermohonan,
    LampiranPerbaikan,
    NomorNIB,
    RisikoKBLI,
    TenggatTahap,
    dokumen_associated,
    lampiran_associated,
)
from apps.izin.roles import (
    MSG_BUKAN_PEMOHON,
    is_applicant,
    peran_untuk,
    require_approver,
    require_may_apply_for,
    require_may_publish_reference,
)
from apps.izin.seed import TENGGAT_TAHAP
from apps.izin.store import store
from egov import clock
from egov import unit_of_work as unit
from egov.contracts.ktp import VERIFIED
from egov.db import atomic, insert_if_absent, run_statement
from egov.eventstore.crypto import SubjectForgotten
from egov.eventstore.domain import EventMetadata, InvalidInput, InvalidState
from egov.eventstore.pseudonym import keyed_hash, mask_nik
from egov.eventstore.store import ConcurrencyError
from egov.identity import InvalidNIK, parse_nik
from egov.principals import CITIZEN, NotVisible, Principal, require, system
from egov.uploads import CheckedUpload, Upload, check_upload

ALIAS = "izin"
MSG_TIDAK_DITEMUKAN = gettext_noop("Permohonan izin tidak ditemukan.")
MSG_NIK_NONAKTIF = gettext_noop("NIK pemohon telah dinonaktifkan oleh Dukcapil.")
MSG_PEMOHON_DIHAPUS = gettext_noop(
    "Data pribadi pemohon telah dihapus atas permintaan pemilik data, jadi dokumen tidak dapat "
    "disimpan lagi."
)
NIK_TERSAMAR = re.compile(r"\d{2,4}\*+\d{2,4}")  # an account's masked NIK, e.g. 3273**********01


class PermohonanGanda(InvalidState):
    """The same applicant already has an open or approved application for the same business
    (API: 409 ``permohonan_ganda``); ``permohonan_id`` names it for the applicant's own door."""

    code = "permohonan_ganda"

    def __init__(self, message: str, *, permohonan_id: uuid.UUID):
        super().__init__(message)
        self.permohonan_id = permohonan_id


class PemohonDihapus(InvalidInput):
    """The applicant was erased (their subject key destroyed, UU PDP): a document of theirs
    could only be kept sealed with that key, so none is stored (API: 410 ``pemohon_dihapus``)."""

    status_code = 410
    code = "pemohon_dihapus"


# --- configuration look-ups (izin's own write alias) ---------------------------------------
def _ketentuan(kbli_kode: str, kbli_versi: str, skala: str, pada: date) -> KetentuanRisiko:
    """The risk rule in force on ``pada``; a row for the application's scale wins over one
    for every scale (``skala`` ""). One prepared statement: every application reads it, and
    building the query through the ORM was an eighth of an application's CPU
    (bench/api_throughput.py --profile)."""
    pada_db = connections[ALIAS].ops.adapt_datefield_value(pada)
    rows = run_statement(
        ALIAS, _sql_ketentuan(), [kbli_kode, kbli_versi, pada_db, pada_db, skala], prepare=True
    )
    if not rows:
        raise InvalidInput(MSG_KBLI_TIDAK_DIKENAL, code="kbli_tidak_dikenal")
    kode, versi, judul, sektor, tingkat, otoritas = rows[0]
    return KetentuanRisiko(
        kbli_kode=kode,
        kbli_versi=versi,
        judul=judul,
        sektor=sektor,
        tingkat=tingkat,
        otoritas=otoritas,
    )


@cache
def _sql_ketentuan() -> str:
    table = connections[ALIAS].ops.quote_name(RisikoKBLI._meta.db_table)
    return (
        f"SELECT kode, versi, judul, sektor, tingkat, otoritas FROM {table} "  # noqa: S608
        "WHERE kode = %s AND versi = %s AND berlaku_mulai <= %s "
        "AND (berlaku_sampai IS NULL OR berlaku_sampai >= %s) AND skala IN (%s, '') "
        "ORDER BY skala DESC, berlaku_mulai DESC LIMIT 1"
    )


def _baris_risiko() -> list[RisikoKBLIDitetapkan]:
    return [
        RisikoKBLIDitetapkan(
            kode=row.kode,
            versi=row.versi,
            skala=row.skala,
            berlaku_mulai=row.berlaku_mulai.isoformat(),
            judul=row.judul,
            sektor=row.sektor,
            tingkat=row.tingkat,
            otoritas=row.otoritas,
            berlaku_sampai=row.berlaku_sampai.isoformat() if row.berlaku_sampai else "",
        )
        for row in RisikoKBLI.objects.using(ALIAS).order_by("pk")
    ]


def _simpan_jika_berubah(tabel: TabelRisikoKBLI, metadata: EventMetadata) -> None:
    if tabel.pending:  # publishing an unchanged table appends nothing
        store.save(tabel, metadata)


def izin_terbitkan_tabel_risiko(*, principal: Principal, metadata: EventMetadata) -> int:
    """Publish the KBLI risk table to the read side: append what changed since the last
    publication (``TabelRisikoKBLI.selaraskan``); returns how many events that took. Called
    after every admin save or delete, after ``migrate_all`` and after a reseed."""
    require_may_publish_reference(principal)
    with unit.changing(
        store,
        TabelRisikoKBLI,
        TABEL_RISIKO_STREAM,
        metadata,
        not_found=MSG_TIDAK_DITEMUKAN,
        new=True,
        save=_simpan_jika_berubah,
        lock=lambda: _kunci("izin:tabel-risiko-kbli"),
    ) as tabel:
        tabel.selaraskan(_baris_risiko())
        return len(tabel.pending)


def terbitkan_referensi() -> int:
    """The platform publishes the table after ``migrate_all`` (its seed rows, any edit made
    while the application was down) and after tests reseed it."""
    platform = system("izin.referensi")
    return izin_terbitkan_tabel_risiko(
        principal=platform, metadata=platform.metadata(source="migrate")
    )


def _sla() -> dict[str, int]:
    configured = dict(TenggatTahap.objects.using(ALIAS).values_list("tahap", "hari_kerja"))
    return {**TENGGAT_TAHAP, **configured}


def _libur() -> frozenset[date]:
    """Configured holidays from today on (a deadline never reaches back)."""
    rows = HariLibur.objects.using(ALIAS).filter(tanggal__gte=clock.today())
    return frozenset(rows.values_list("tanggal", flat=True))


def _status_identitas(nik_hash: str) -> str:
    row = IdentitasTerverifikasi.objects.using(ALIAS).filter(nik_hash=nik_hash).first()
    return row.status if row else ""


def _kunci(nama: str) -> None:
    """A lock on ``nama`` held until the transaction ends (PostgreSQL; SQLite has one writer
    at a time anyway)."""
    connection = connections[ALIAS]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [nama])


def _kunci_subjek(nik_hash: str) -> None:
    """Serialise the application and the identity policy for one NIK."""
    _kunci(f"izin:{nik_hash}")


def kunci_ganda(dibuat: PermohonanIzinDibuat) -> str:
    """One key per (applicant, KBLI, location, normalised business name), keyed so that the
    index holds no business name in clear (migration 0008 fills older rows the same way)."""
    teks = usaha_yang_sama(
        dibuat.nik_hash, dibuat.kbli_kode, dibuat.kode_wilayah, dibuat.nama_usaha
    )
    return keyed_hash(teks, purpose=TUJUAN_KUNCI_GANDA)


def _cek_ganda(kunci: str) -> None:
    """Refuse a second application for the same business while the first is open or
    approved. Called under the NIK's lock: two concurrent submissions take turns, and the
    second sees the first's index row."""
    rows = IndeksPermohonan.objects.using(ALIAS).filter(kunci_ganda=kunci)
    existing = rows.exclude(tahap__in=TAHAP_SELESAI).order_by("pk").first()
    if existing is not None:
        raise PermohonanGanda(MSG_PERMOHONAN_GANDA, permohonan_id=existing.permohonan_id)


# --- saving ---------------------------------------------------------------------------------
def _save(permohonan: PermohonanIzin, metadata: EventMetadata, **indeks) -> None:
    """Append and keep the work index in the same transaction (``indeks``: fields set once,
    when the application is created). One statement for the index row: an INSERT for a new
    application, an UPDATE otherwise (``update_or_create`` took a lock, two savepoints and
    a look-up: bench/api_throughput.py counts statements per request)."""
    store.save(permohonan, metadata)
    values = {
        "nik_hash": permohonan.nik_hash,
        "tahap": permohonan.tahap,
        "tenggat": permohonan.tenggat if permohonan.tahap in TAHAP_PETUGAS else None,
        "perlu_dikirim": permohonan.perlu_dikirim,
    }
    rows = IndeksPermohonan.objects.using(ALIAS)
    if indeks or not rows.filter(permohonan_id=permohonan.id).update(**values):
        rows.create(permohonan_id=permohonan.id, **values, **indeks)


def _changing(permohonan_id: uuid.UUID, metadata: EventMetadata) -> AbstractContextManager:
    """One decision on one application in one transaction (``egov.unit_of_work``)."""
    return unit.changing(
        store, PermohonanIzin, permohonan_id, metadata, not_found=MSG_TIDAK_DITEMUKAN, save=_save
    )


def _load(permohonan_id: uuid.UUID) -> PermohonanIzin:
    permohonan = store.get(PermohonanIzin, permohonan_id)
    if not permohonan.exists:
        raise NotVisible(MSG_TIDAK_DITEMUKAN)
    return permohonan


def _nib_baru(pelaku_id: uuid.UUID) -> str:
    """Reserve a fresh 13-digit NIB (unique constraint; retried on the rare collision)."""
    for _attempt in range(10):
        nib = str(secrets.randbelow(9 * 10**12) + 10**12)
        if insert_if_absent(NomorNIB, ALIAS, nib=nib, pelaku_id=pelaku_id):
            return nib
        existing = NomorNIB.objects.using(ALIAS).filter(pelaku_id=pelaku_id).first()
        if existing:
            return existing.nib
    raise RuntimeError("no free NIB after 10 attempts")


def _nib_pelaku(dibuat: PermohonanIzinDibuat, metadata: EventMetadata) -> str:
    """The business's NIB, issued (``NIBDiterbitkan``) on its first processed application."""
    pelaku = store.get(PelakuUsaha, dibuat.pelaku_id)
    if pelaku.nib:
        return pelaku.nib
    pelaku.terbitkan_nib(
        NIBDiterbitkan(
            nib=_nib_baru(pelaku.id),
            jenis_pelaku=dibuat.jenis_pelaku,
            nama_usaha=dibuat.nama_usaha,
            nik=dibuat.nik,
            nik_hash=dibuat.nik_hash,
            nama_pemilik=dibuat.nama_pemohon,
            nomor_badan_usaha=dibuat.nomor_badan_usaha,
        )
    )
    store.save(pelaku, metadata)
    return pelaku.nib


def _ketentuan_saat_diajukan(dibuat: PermohonanIzinDibuat) -> KetentuanRisiko:
    """The risk rule in force on the day the application was filed (Jakarta date)."""
    pada = clock.today_of(dibuat.diajukan_pada)
    return _ketentuan(dibuat.kbli_kode, dibuat.kbli_versi, dibuat.skala, pada)


def _proses(
    permohonan: PermohonanIzin,
    dibuat: PermohonanIzinDibuat,
    metadata,
    ketentuan: KetentuanRisiko | None = None,
) -> None:
    """Verification starts: the risk rule read at submission, or read again on resuming."""
    ketentuan = ketentuan or _ketentuan_saat_diajukan(dibuat)
    permohonan.proses(
        nib=_nib_pelaku(dibuat, metadata),
        ketentuan=ketentuan,
        hari_ini=clock.today(),
        sekarang=clock.now(),
        sla=_sla(),
        libur=_libur(),
    )


def _dibuat(permohonan_id: uuid.UUID) -> PermohonanIzinDibuat:
    return store.load(permohonan_id)[0].event


def _pemohon(principal: Principal, nik: str, nik_masked: str) -> tuple[str, str, str]:
    """(NIK or "", its hash, masked NIK) of the applicant, after checking the caller may
    apply for them. Without a NIK the applicant is the signed-in citizen: their verified
    subject id *is* the NIK's hash (their account keeps no NIK in clear)."""
    if nik.strip():
        try:  # one NIK, one hash: full-width digits etc. normalised as e-KTP does
            nik = parse_nik(nik, today=clock.today()).value
        except InvalidNIK as error:
            raise InvalidInput(str(error), code="nik_tidak_valid") from None
        nik_hash, nik_masked = keyed_hash(nik), mask_nik(nik)
    else:
        nik = ""
        nik_hash = principal.subject_id if principal.kind == CITIZEN else ""
        nik_masked = nik_masked if NIK_TERSAMAR.fullmatch(nik_masked) else ""
    require_may_apply_for(principal, nik_hash=nik_hash)
    if not nik_hash:  # an integrator must say for whom it applies
        raise InvalidInput(MSG_NIK_WAJIB, code="nik_wajib")
    return nik, nik_hash, nik_masked


# --- use cases ------------------------------------------------------------------------------
def izin_ajukan(
    *,
    principal: Principal,
    nama_pemohon: str,
    jenis_pelaku: str,
    nama_usaha: str,
    kbli_kode: str,
    kbli_versi: str,
    kode_wilayah: str,
    skala: str,
    nilai_investasi: Decimal,
    metadata: EventMetadata,
    nik: str = "",
    nik_masked: str = "",
    nomor_badan_usaha: str = "",
    konfirmasi_ganda: bool = False,
) -> uuid.UUID:
    """A new application. ``nik`` may be left out by a signed-in citizen (then
    ``nik_masked``, their account's masked NIK, is shown in its place); an integrator names
    it. The same business applied for twice is refused (``PermohonanGanda``) unless
    ``konfirmasi_ganda``."""
    nik, nik_hash, nik_masked = _pemohon(principal, nik, nik_masked)
    nomor_badan_usaha = nomor_badan_usaha.strip()
    kunci = (
        keyed_hash(nomor_badan_usaha, purpose="badan") if jenis_pelaku == BADAN_USAHA else nik_hash
    )
    dibuat = PermohonanIzinDibuat(
        pelaku_id=pelaku_stream_id(kunci),
        jenis_pelaku=jenis_pelaku,
        nama_usaha=nama_usaha.strip(),
        nik=nik,
        nik_hash=nik_hash,
        nama_pemohon=nama_pemohon.strip(),
        kbli_kode=kbli_kode.strip(),
        kbli_versi=kbli_versi.strip(),
        kode_wilayah=kode_wilayah.strip(),
        skala=skala,
        nilai_investasi=Decimal(nilai_investasi),
        diajukan_oleh=principal.id,  # access follows the principal id, never a name
        diajukan_pada=clock.now(),
        nomor_badan_usaha=nomor_badan_usaha,
        nik_masked=nik_masked,
    )
    validasi_permohonan(dibuat)
    ketentuan = _ketentuan_saat_diajukan(dibuat)  # an unknown KBLI is refused here
    ganda = kunci_ganda(dibuat)
    with atomic(ALIAS):
        _kunci_subjek(nik_hash)
        status = _status_identitas(nik_hash)
        if status and status != VERIFIED:
            raise InvalidState(MSG_NIK_NONAKTIF, code="nik_nonaktif")
        if not konfirmasi_ganda:
            _cek_ganda(ganda)
        permohonan = PermohonanIzin.ajukan(
            uuid.uuid4(), dibuat, identitas_terverifikasi=status == VERIFIED
        )
        if status == VERIFIED:
            _proses(permohonan, dibuat, metadata, ketentuan)
        _save(permohonan, metadata, kunci_ganda=ganda)
    return permohonan.id


def izin_catat_identitas(
    *, nik_hash: str, status: str, sumber: str, metadata: EventMetadata
) -> list[uuid.UUID]:
    """Policy on the e-KTP feed: update the replica and resume this NIK's held applications.
    Idempotent (a replayed event finds nothing held and rewrites the same row)."""
    with atomic(ALIAS):
        _kunci_subjek(nik_hash)
        IdentitasTerverifikasi.objects.using(ALIAS).update_or_create(
            nik_hash=nik_hash, defaults={"status": status, "sumber_event_id": sumber}
        )
        if status != VERIFIED:
            return []
        return [_lanjutkan(pid, sumber, metadata) for pid in _tertahan(nik_hash)]


def _tertahan(nik_hash: str) -> list[uuid.UUID]:
    rows = IndeksPermohonan.objects.using(ALIAS).filter(nik_hash=nik_hash, tahap=MENUNGGU_IDENTITAS)
    return list(rows.values_list("permohonan_id", flat=True))


def _lanjutkan(permohonan_id: uuid.UUID, sumber: str, metadata: EventMetadata) -> uuid.UUID:
    permohonan = _load(permohonan_id)
    permohonan.identitas_terverifikasi(sumber=sumber)
    _proses(permohonan, _dibuat(permohonan_id), metadata)
    _save(permohonan, metadata)
    return permohonan_id


def izin_lanjutkan_tertahan(*, metadata: EventMetadata) -> list[uuid.UUID]:
    """Sweep: resume every held application whose identity the replica knows as verified."""
    held = IndeksPermohonan.objects.using(ALIAS).filter(tahap=MENUNGGU_IDENTITAS)
    verified = set(
        IdentitasTerverifikasi.objects.using(ALIAS)
        .filter(status=VERIFIED, nik_hash__in=held.values("nik_hash"))
        .values_list("nik_hash", flat=True)
    )
    resumed = []
    for nik_hash in sorted(verified):
        row = IdentitasTerverifikasi.objects.using(ALIAS).get(nik_hash=nik_hash)
        try:
            resumed += izin_catat_identitas(
                nik_hash=nik_hash, status=row.status, sumber=row.sumber_event_id, metadata=metadata
            )
        except ConcurrencyError:  # the policy resumed them at this very moment
            continue
    return resumed


def _peran(principal: Principal, permohonan: PermohonanIzin) -> str:
    return peran_untuk(principal, tahap=permohonan.tahap, kode_wilayah=permohonan.kode_wilayah)


def izin_setujui(
    *, principal: Principal, permohonan_id: uuid.UUID, metadata: EventMetadata
) -> None:
    """Verifier (VERIFIKASI, risk MT) or approver (PERSETUJUAN, risk T) approves."""
    with _changing(permohonan_id, metadata) as permohonan:
        peran = _peran(principal, permohonan)
        permohonan.setujui(peran=peran, petugas=metadata.actor, sekarang=clock.now())


def izin_tolak(
    *,
    principal: Principal,
    permohonan_id: uuid.UUID,
    alasan: str,
    dasar_hukum: str,
    metadata: EventMetadata,
) -> None:
    with _changing(permohonan_id, metadata) as permohonan:
        permohonan.tolak(
            peran=_peran(principal, permohonan),
            alasan=alasan,
            dasar_hukum=dasar_hukum,
            petugas=metadata.actor,
            sekarang=clock.now(),
        )


def izin_minta_perbaikan(
    *, principal: Principal, permohonan_id: uuid.UUID, catatan: str, metadata: EventMetadata
) -> date:
    """Ask the applicant to fix something; their deadline is the PERBAIKAN SLA."""
    with _changing(permohonan_id, metadata) as permohonan:
        permohonan.minta_perbaikan(
            peran=_peran(principal, permohonan),
            catatan=catatan,
            petugas=metadata.actor,
            hari_ini=clock.today(),
            sla=_sla(),
            libur=_libur(),
        )
    return permohonan.tenggat


def _harus_pemohon(principal: Principal, permohonan: PermohonanIzin) -> None:
    allowed = is_applicant(
        principal, nik_hash=permohonan.nik_hash, submitted_by=permohonan.diajukan_oleh
    )
    require(allowed, MSG_BUKAN_PEMOHON, code="bukan_pemohon")


def _periksa_lampiran(
    principal: Principal, permohonan_id: uuid.UUID, lampiran: Upload | None
) -> CheckedUpload | None:
    """The correction's document checked (size, type by content, virus scan) before the
    transaction opens (a scan may take a while); only the applicant's file is looked at."""
    if lampiran is None:
        return None
    _harus_pemohon(principal, _load(permohonan_id))
    return check_upload(lampiran, max_bytes=settings.IZIN_UNGGAH_MAKS_BYTES)


def izin_ajukan_perbaikan(
    *,
    principal: Principal,
    permohonan_id: uuid.UUID,
    keterangan: str,
    metadata: EventMetadata,
    lampiran: Upload | None = None,
) -> None:
    """The applicant answers a correction request, optionally with a document: stored in
    ``LampiranPerbaikan`` in the same transaction as ``PerbaikanDiajukan``, which carries
    its id and SHA-256, sealed with the applicant's own key (erased with it). A refused file
    (too large, wrong type, infected) appends nothing."""
    berkas = _periksa_lampiran(principal, permohonan_id, lampiran)
    lampiran_id = uuid.uuid4()
    with _changing(permohonan_id, metadata) as permohonan:
        _harus_pemohon(principal, permohonan)
        permohonan.ajukan_perbaikan(
            keterangan=keterangan,
            hari_ini=clock.today(),
            sla=_sla(),
            libur=_libur(),
            lampiran_id=str(lampiran_id) if berkas else "",
            lampiran_sha256=berkas.sha256 if berkas else "",
        )
        if berkas is not None:
            LampiranPerbaikan.objects.using(ALIAS).create(
                id=lampiran_id,
                permohonan_id=permohonan_id,
                subject_id=permohonan.nik_hash,
                jenis_media=berkas.media_type,
                ukuran=berkas.size,
                sha256=berkas.sha256,
                isi=_segel_lampiran(permohonan.nik_hash, berkas.content, lampiran_id),
                diunggah_oleh=principal.id,
                diunggah_pada=clock.now(),
            )


def _segel_lampiran(subject_id: str, isi: bytes, lampiran_id: uuid.UUID) -> bytes:
    """The document sealed with its owner's key. An erased owner has no key any more: the
    refusal, raised inside the command's transaction, appends nothing."""
    try:
        return store.codec.seal_bytes(subject_id, isi, associated=lampiran_associated(lampiran_id))
    except SubjectForgotten:
        raise PemohonDihapus(MSG_PEMOHON_DIHAPUS) from None


def izin_cabut(
    *,
    principal: Principal,
    permohonan_id: uuid.UUID,
    alasan: str,
    dasar_hukum: str,
    metadata: EventMetadata,
) -> None:
    with _changing(permohonan_id, metadata) as permohonan:
        require_approver(principal, kode_wilayah=permohonan.kode_wilayah)
        permohonan.cabut(
            alasan=alasan, dasar_hukum=dasar_hukum, petugas=metadata.actor, sekarang=clock.now()
        )


def izin_periksa_tenggat(*, metadata: EventMetadata) -> list[uuid.UUID]:
    """Beat job: every officer stage past its deadline is deemed approved (PP 28/2025)."""
    hari_ini = clock.today()
    overdue = IndeksPermohonan.objects.using(ALIAS).filter(
        tahap__in=TAHAP_PETUGAS, tenggat__lt=hari_ini
    )
    approved = []
    for permohonan_id in overdue.values_list("permohonan_id", flat=True):
        try:
            with atomic(ALIAS):
                permohonan = _load(permohonan_id)
                if permohonan.periksa_tenggat(hari_ini=hari_ini, sekarang=clock.now()):
                    _save(permohonan, metadata)
                    approved.append(permohonan_id)
        except ConcurrencyError:  # an officer decided at this very moment: theirs stands
            continue
    return approved


def izin_kirim(
    *, permohonan_id: uuid.UUID, pdf: bytes, kode_verifikasi: str, metadata: EventMetadata
) -> bool:
    """Record the delivery of the permit document (``IzinDikirim``) with the document itself,
    sealed with the applicant's own key (it prints their name). An applicant erased before
    delivery gets no document bytes at all. False if it was already delivered (a redelivered
    task)."""
    with atomic(ALIAS):
        permohonan = _load(permohonan_id)
        if not permohonan.perlu_dikirim:
            return False
        sha256 = hashlib.sha256(pdf).hexdigest()
        sekarang = clock.now()
        permohonan.kirim(kode_verifikasi=kode_verifikasi, sha256=sha256, sekarang=sekarang)
        _save(permohonan, metadata)
        try:
            sealed = store.codec.seal_bytes(
                permohonan.nik_hash, pdf, associated=dokumen_associated(permohonan_id)
            )
        except SubjectForgotten:
            sealed = b""  # erased: opens as "deleted at the data subject's request"
        DokumenIzin.objects.using(ALIAS).create(
            permohonan_id=permohonan_id,
            subject_id=permohonan.nik_hash,
            kode_verifikasi=kode_verifikasi,
            sha256=sha256,
            pdf=sealed,
            dibuat_pada=sekarang,
        )
    return True


def perlu_dikirim(permohonan_id: uuid.UUID | None = None) -> list[uuid.UUID]:
    """Approved applications whose document was not delivered yet (all, or just this one)."""
    rows = IndeksPermohonan.objects.using(ALIAS).filter(perlu_dikirim=True, tahap=DISETUJUI)
    if permohonan_id is not None:
        rows = rows.filter(permohonan_id=permohonan_id)
    return list(rows.values_list("permohonan_id", flat=True))
