"""Use cases of the ktp context: load, decide, append — one typed function each.

Command-side indexes (open request per NIK, biometric templates, issued cards, blank stock)
live on the ``ktp`` write alias and change in the same transaction as the event they follow
from, so a rule that spans requests (one open request per NIK, deduplication, stock) holds
even with concurrent writers: the database's unique keys and row locks decide the race.
"""

from __future__ import annotations

import uuid
from contextlib import AbstractContextManager
from datetime import date

from django.utils.translation import gettext_noop

from apps.ktp.domain import (
    BARU,
    DISERAHKAN,
    DITOLAK,
    PENGGANTIAN,
    PERUBAHAN_DATA,
    VERIFIED,
    BlangkoDitambah,
    PermohonanKTP,
    StatusNIK,
    nik_stream_id,
)
from apps.ktp.models import IndeksBiometrik, KartuTerbit, PermohonanTerbuka, StokBlangko
from apps.ktp.roles import (
    MSG_PERUBAHAN_DATA,
    is_petugas,
    require_may_apply_for,
    require_may_deactivate,
    require_petugas,
)
from apps.ktp.store import store
from egov import clock
from egov import unit_of_work as unit
from egov.db import atomic, enqueue_on_commit, insert_if_absent
from egov.eventstore.domain import EventMetadata, InvalidInput, InvalidState
from egov.eventstore.pseudonym import keyed_hash
from egov.identity import InvalidNIK, parse_nik
from egov.principals import NotVisible, Principal, require

ALIAS = "ktp"
STOK_STREAM = uuid.uuid5(uuid.NAMESPACE_URL, "egov:ktp:stok-blangko")
MSG_TIDAK_DITEMUKAN = gettext_noop("Permohonan KTP tidak ditemukan.")
MSG_MASIH_TERBUKA = gettext_noop("Masih ada permohonan KTP yang belum selesai untuk NIK ini.")
MSG_SUDAH_PUNYA = gettext_noop("NIK ini sudah memiliki KTP-el; ajukan penggantian.")
MSG_BELUM_PUNYA = gettext_noop("NIK ini belum memiliki KTP-el untuk diganti; ajukan KTP baru.")
MSG_DATA_DIHAPUS = gettext_noop(
    "Data kartu lama telah dihapus; ajukan penggantian di loket Dukcapil."
)
MSG_BLANGKO_HABIS = gettext_noop(
    "Blangko habis: permohonan menunggu di antrean cetak sampai stok ditambah."
)
MSG_JUMLAH_BLANGKO = gettext_noop("Jumlah blangko harus bilangan bulat positif.")
MSG_NIK_NONAKTIF = gettext_noop("NIK ini telah dinonaktifkan oleh Dukcapil.")


def _changing(permohonan_id: uuid.UUID, metadata: EventMetadata) -> AbstractContextManager:
    """One step of one request in one transaction (``egov.unit_of_work``)."""
    return unit.changing(
        store, PermohonanKTP, permohonan_id, metadata, not_found=MSG_TIDAK_DITEMUKAN
    )


def _load(permohonan_id: uuid.UUID) -> PermohonanKTP:
    request = store.get(PermohonanKTP, permohonan_id)
    if not request.exists:
        raise NotVisible(MSG_TIDAK_DITEMUKAN)
    return request


def ktp_ajukan(
    *,
    principal: Principal,
    nik: str,
    nama: str,
    tanggal_lahir: date,
    pernah_kawin: bool,
    jenis: str,
    alasan: str = "",
    metadata: EventMetadata,
) -> uuid.UUID:
    """A citizen (portal/API, for their own verified NIK), a Dukcapil officer (at the counter)
    or an integrator with scope ``ktp:ajukan`` asks for a new or replacement e-KTP. A lost or
    damaged card is replaced with the data of the card it replaces, never with data the caller
    typed; a data change is decided at the counter."""
    try:
        parsed = parse_nik(nik, today=clock.now().date())
    except InvalidNIK as error:
        raise InvalidInput(str(error), code="nik_tidak_valid") from None
    nik_hash = keyed_hash(parsed.value)
    require_may_apply_for(principal, nik_hash=nik_hash)
    if jenis == PENGGANTIAN and alasan == PERUBAHAN_DATA:
        require(is_petugas(principal), MSG_PERUBAHAN_DATA, code="perubahan_data_di_loket")
    with atomic(ALIAS):
        if store.get(StatusNIK, nik_stream_id(nik_hash)).nonaktif:
            raise InvalidState(MSG_NIK_NONAKTIF, code="nik_nonaktif")
        card = KartuTerbit.objects.using(ALIAS).filter(nik_hash=nik_hash).first()
        if jenis == BARU and card:
            raise InvalidState(MSG_SUDAH_PUNYA, code="sudah_punya_ktp")
        if jenis == PENGGANTIAN and not card:
            raise InvalidState(MSG_BELUM_PUNYA, code="belum_punya_ktp")
        if jenis == PENGGANTIAN and alasan != PERUBAHAN_DATA:
            previous = _load(card.permohonan_id)
            if previous.tanggal_lahir is None:  # the holder's data was erased (UU PDP)
                raise InvalidState(MSG_DATA_DIHAPUS, code="data_kartu_dihapus")
            nama, tanggal_lahir = previous.nama, previous.tanggal_lahir
        request = PermohonanKTP.ajukan(
            nik=parsed.value,
            nik_hash=nik_hash,
            nama=nama,
            tanggal_lahir=tanggal_lahir,
            pernah_kawin=pernah_kawin,
            jenis=jenis,
            alasan=alasan,
            sekarang=clock.now(),
        )
        if not insert_if_absent(
            PermohonanTerbuka, ALIAS, nik_hash=nik_hash, permohonan_id=request.id
        ):
            raise InvalidState(MSG_MASIH_TERBUKA, code="masih_terbuka")
        store.save(request, metadata)
        if jenis == PENGGANTIAN:  # no new recording: straight to the central check
            _schedule("ktp_verifikasi", request.id)
    return request.id


def ktp_rekam_biometrik(
    *,
    principal: Principal,
    permohonan_id: uuid.UUID,
    template_hash: str,
    lokasi: str,
    metadata: EventMetadata,
) -> None:
    require_petugas(principal)
    with _changing(permohonan_id, metadata) as request:
        request.rekam_biometrik(
            template_hash=template_hash.strip().lower(),
            lokasi=lokasi,
            petugas=metadata.officer_id or metadata.actor,
            sekarang=clock.now(),
        )
        _schedule("ktp_verifikasi", permohonan_id)


def ktp_periksa_pusat(*, permohonan_id: uuid.UUID, metadata: EventMetadata) -> str:
    """Central deduplication against every template and NIK recorded in this context.
    Returns the new status (idempotent: a request already checked is left as it is)."""
    with atomic(ALIAS):
        request = _load(permohonan_id)
        if not request.siap_verifikasi():
            return request.status
        duplicate = _duplicate_of(request)
        request.hasil_pemeriksaan_pusat(duplikat_dari=duplicate, sekarang=clock.now())
        store.save(request, metadata)
        if not duplicate:
            _schedule("ktp_cetak", permohonan_id)
        return request.status


def _duplicate_of(request: PermohonanKTP) -> str:
    """Another NIK's request with this template, or "" (and the template is indexed)."""
    if request.jenis == PENGGANTIAN:
        return ""  # the card holder's template was checked when the first card was made
    template = request.template_hash
    index = IndeksBiometrik.objects.using(ALIAS)
    other = index.filter(template_hash=template).first()
    if other is not None and other.nik_hash != request.nik_hash:
        return str(other.permohonan_id)
    if other is None:
        recorded = insert_if_absent(
            IndeksBiometrik,
            ALIAS,
            template_hash=template,
            nik_hash=request.nik_hash,
            permohonan_id=request.id,
        )
        if not recorded:  # the primary key decides a race between two recordings
            return str(index.get(template_hash=template).permohonan_id)
    return ""


def ktp_adjudikasi(
    *,
    principal: Principal,
    permohonan_id: uuid.UUID,
    setujui: bool,
    alasan: str = "",
    metadata: EventMetadata,
) -> str:
    """An officer decides a suspected duplicate; returns the new status."""
    require_petugas(principal)
    with _changing(permohonan_id, metadata) as request:
        request.adjudikasi(
            setujui=setujui,
            alasan=alasan,
            petugas=metadata.officer_id or metadata.actor,
            sekarang=clock.now(),
        )
        if setujui:
            _schedule("ktp_cetak", permohonan_id)
        else:
            _close(request)
    return request.status


def ktp_cetak(
    *, permohonan_id: uuid.UUID, metadata: EventMetadata, principal: Principal | None = None
) -> bool:
    """Print if a blank is left; otherwise the request waits in the print queue (False).
    The print worker runs it as the system; an officer may trigger it from the admin, and is
    then told why nothing was printed (the request's stage, or no blank left)."""
    if principal is not None:
        require_petugas(principal)
    with atomic(ALIAS):
        # The stock row lock comes first: printers take turns, each loading the request
        # after the previous one committed.
        stock = StokBlangko.objects.using(ALIAS).select_for_update().get_or_create(id=1)[0]
        request = _load(permohonan_id)
        if principal is not None:
            request.pastikan_siap_cetak()
        if principal is not None and stock.jumlah == 0:
            raise InvalidState(MSG_BLANGKO_HABIS, code="blangko_habis")
        if request.status != VERIFIED or stock.jumlah == 0:
            return False
        stock.jumlah -= 1
        stock.nomor_terakhir += 1
        stock.save(using=ALIAS)
        blank = f"BLK-{stock.nomor_terakhir:08d}"
        previous = KartuTerbit.objects.using(ALIAS).filter(nik_hash=request.nik_hash).first()
        request.cetak(
            nomor_blangko=blank,
            kartu_lama=previous.nomor_blangko if previous else "",
            petugas=metadata.officer_id or metadata.actor,
            sekarang=clock.now(),
        )
        store.save(request, metadata)
        KartuTerbit.objects.using(ALIAS).update_or_create(
            nik_hash=request.nik_hash,
            defaults={"nomor_blangko": blank, "permohonan_id": request.id},
        )
        return True


def ktp_serahkan(
    *, principal: Principal, permohonan_id: uuid.UUID, metadata: EventMetadata
) -> None:
    require_petugas(principal)
    with _changing(permohonan_id, metadata) as request:
        request.serahkan(petugas=metadata.officer_id or metadata.actor, sekarang=clock.now())
        _close(request)


def ktp_tambah_blangko(*, principal: Principal, jumlah: int, metadata: EventMetadata) -> int:
    """Top up the blank stock; queued verified requests are then printed."""
    require_petugas(principal)
    if jumlah <= 0:
        raise InvalidInput(MSG_JUMLAH_BLANGKO, code="jumlah_tidak_valid")
    with atomic(ALIAS):
        stock = StokBlangko.objects.using(ALIAS).select_for_update().get_or_create(id=1)[0]
        stock.jumlah += jumlah
        stock.save(using=ALIAS)
        version = store.stream_version(STOK_STREAM)
        store.append(
            stream_id=STOK_STREAM,
            stream_type="StokBlangko",
            expected_version=version,
            events=[
                BlangkoDitambah(
                    jumlah=jumlah,
                    stok=stock.jumlah,
                    officer_id=metadata.officer_id or metadata.actor,
                )
            ],
            metadata=metadata,
        )
        enqueue_on_commit(ALIAS, "ktp_cetak_antrean")
        return stock.jumlah


def ktp_nonaktifkan_nik(
    *,
    principal: Principal,
    nik_hash: str,
    alasan: str,
    keterangan: str = "",
    metadata: EventMetadata,
) -> None:
    """A Dukcapil officer deactivates a NIK (death, duplicate record, other): its open
    request is closed (``KTPDitolak``), izin, pajak and bansos react to ``NIKDinonaktifkan``,
    and no new e-KTP request is accepted for it."""
    require_may_deactivate(principal)
    with atomic(ALIAS):
        nik = store.get(StatusNIK, nik_stream_id(nik_hash))
        nik.nonaktifkan(nik_hash=nik_hash, alasan=alasan, keterangan=keterangan)
        store.save(nik, metadata)
        _tutup_permohonan_terbuka(nik_hash, alasan, metadata)


def _tutup_permohonan_terbuka(nik_hash: str, alasan: str, metadata: EventMetadata) -> None:
    """The NIK's open request, if any, ends with it (``KTPDitolak``), in the same transaction."""
    terbuka = PermohonanTerbuka.objects.using(ALIAS).filter(nik_hash=nik_hash).first()
    if terbuka is None:
        return
    request = store.get(PermohonanKTP, terbuka.permohonan_id)
    if request.tutup_karena_nik_nonaktif(alasan=alasan, sekarang=clock.now()):
        store.save(request, metadata)
    _close(request)


def ktp_catat_kk(
    *,
    principal: Principal,
    nik_hash: str,
    baru: str,
    lama: str,
    alasan: str,
    sumber: str,
    metadata: EventMetadata,
) -> bool:
    """The civil registry's family card of a NIK (``KKDiperbarui`` on the NIK's stream), from
    the bus's ``KKDiupdate``: its KK history. The same KK again records nothing (False)."""
    require_may_deactivate(principal)
    with atomic(ALIAS):
        nik = store.get(StatusNIK, nik_stream_id(nik_hash))
        berubah = nik.perbarui_kk(
            nik_hash=nik_hash, baru=baru, lama=lama, alasan=alasan, sumber=sumber
        )
        if berubah:
            store.save(nik, metadata)
        return berubah


def ktp_aktifkan_kembali_nik(
    *, principal: Principal, nik_hash: str, keterangan: str, metadata: EventMetadata
) -> None:
    """A Dukcapil officer reactivates a NIK deactivated in error (the note says why)."""
    require_petugas(principal)
    with atomic(ALIAS):
        nik = store.get(StatusNIK, nik_stream_id(nik_hash))
        nik.aktifkan_kembali(nik_hash=nik_hash, keterangan=keterangan)
        store.save(nik, metadata)


def antrean_cetak() -> list[uuid.UUID]:
    """Open requests waiting for a blank or a lost print task (command side's own index)."""
    open_ids = PermohonanTerbuka.objects.using(ALIAS).values_list("permohonan_id", flat=True)
    return [pid for pid in open_ids if store.get(PermohonanKTP, pid).status == VERIFIED]


def antrean_verifikasi() -> list[uuid.UUID]:
    open_ids = PermohonanTerbuka.objects.using(ALIAS).values_list("permohonan_id", flat=True)
    return [pid for pid in open_ids if store.get(PermohonanKTP, pid).siap_verifikasi()]


def _close(request: PermohonanKTP) -> None:
    if request.status in (DITOLAK, DISERAHKAN):
        PermohonanTerbuka.objects.using(ALIAS).filter(permohonan_id=request.id).delete()


def _schedule(task_name: str, permohonan_id: uuid.UUID) -> None:
    enqueue_on_commit(ALIAS, task_name, str(permohonan_id))
