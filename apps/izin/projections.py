"""Read side of the izin context: ``izin_status`` (one row per application) and its timeline,
issued documents, and the KBLI risk table as the picker reads it.

Idempotent: a row remembers the last stream version applied; the timeline is keyed by event id.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from apps.izin.domain.referensi import baris_kunci_dari
from apps.izin.models import DokumenIzinTerbit, IzinStatus, KBLIReferensi, RiwayatIzin
from egov.eventstore.domain import is_erased
from egov.eventstore.projections import Projector
from egov.eventstore.pseudonym import mask_nik
from egov.eventstore.store import RecordedEvent


def _text(value) -> str:
    return "" if value is None or is_erased(value) else str(value)


def _dibuat(row: IzinStatus, p: dict, event: RecordedEvent) -> None:
    nik = _text(p.get("nik"))
    row.subject_id = event.subject_id
    # a citizen applying from their account sends no NIK, only their account's masked one
    row.nik_masked = mask_nik(nik) if nik else _text(p.get("nik_masked"))
    row.nama_pemohon = _text(p.get("nama_pemohon"))
    row.jenis_pelaku = p["jenis_pelaku"]
    row.nama_usaha = p["nama_usaha"]
    row.pelaku_id = p["pelaku_id"]
    row.kbli_kode, row.kbli_versi = p["kbli_kode"], p["kbli_versi"]
    row.kode_wilayah, row.skala = p["kode_wilayah"], p["skala"]
    row.nilai_investasi = Decimal(p["nilai_investasi"])
    row.diajukan_oleh = p["diajukan_oleh"]
    row.diajukan_pada = datetime.fromisoformat(p["diajukan_pada"])
    row.tahap = ""


def _risiko(row: IzinStatus, p: dict) -> None:
    row.nib, row.tingkat_risiko = p["nib"], p["tingkat"]
    row.kbli_judul, row.sektor, row.otoritas = p["kbli_judul"], p["sektor"], p["otoritas"]
    row.tahap = p["tahap"] if p["tahap"] != "DISETUJUI" else row.tahap
    row.tenggat, row.libur = p["tenggat"], p.get("libur", [])


def _putusan(row: IzinStatus, tahap: str, keputusan: str, p: dict, pada_key: str) -> None:
    row.tahap, row.keputusan, row.tenggat = tahap, keputusan, None
    row.dasar_hukum = p.get("dasar_hukum", "")
    row.petugas = p.get("petugas", "")
    row.catatan = p.get("alasan", "")
    row.diputuskan_pada = datetime.fromisoformat(p[pada_key])


def _terapkan(row: IzinStatus, event: RecordedEvent) -> None:
    p, kind = event.payload, event.event_type
    if kind == "PermohonanIzinDibuat":
        _dibuat(row, p, event)
    elif kind == "MenungguVerifikasiIdentitas":
        row.tahap = "MENUNGGU_VERIFIKASI_IDENTITAS"
    elif kind == "IdentitasPemohonTerverifikasi":
        row.tahap = ""
    elif kind == "TingkatRisikoDitetapkan":
        _risiko(row, p)
    elif kind == "IzinDisetujui":
        _putusan(row, "DISETUJUI", p["jenis_keputusan"], p, "diputuskan_pada")
    elif kind == "IzinDisetujuiFiktifPositif":
        _putusan(row, "DISETUJUI", "FIKTIF_POSITIF", p, "diputuskan_pada")
    elif kind == "IzinDitolak":
        _putusan(row, "DITOLAK", "DITOLAK", p, "diputuskan_pada")
    elif kind == "PerbaikanDiminta":
        row.tahap, row.tenggat, row.catatan = "PERBAIKAN", p["tenggat"], p["catatan"]
        row.libur = p.get("libur", [])
        row.petugas = p["petugas"]
    elif kind == "PerbaikanDiajukan":
        row.tahap, row.tenggat, row.libur = p["tahap"], p["tenggat"], p.get("libur", [])
    elif kind == "IzinDikirim":
        row.kode_verifikasi, row.dokumen_sha256 = p["kode_verifikasi"], p["sha256"]
        row.dikirim_pada = datetime.fromisoformat(p["dikirim_pada"])
    elif kind == "IzinDicabut":
        _putusan(row, "DICABUT", "DICABUT", p, "dicabut_pada")


class IzinStatusProjector(Projector):
    name = "izin.status"
    context = "izin"
    subscriptions = ("izin",)
    read_models = (IzinStatus, RiwayatIzin)

    def handle(self, event: RecordedEvent) -> None:
        if event.event_type == "DataPribadiDihapus":
            rows = IzinStatus.objects.using(self.alias).filter(
                subject_id=event.payload["subject_id"]
            )
            rows.update(nik_masked="", nama_pemohon="")
            return
        if event.stream_type != "PermohonanIzin":
            return
        rows = IzinStatus.objects.using(self.alias)
        row = rows.filter(permohonan_id=event.stream_id).first()
        if row is None:
            row = IzinStatus(permohonan_id=event.stream_id)
        if event.version <= row.last_version:
            return  # already applied
        _terapkan(row, event)
        row.last_version = event.version
        row.save(using=self.alias)
        self._riwayat(event)

    def _riwayat(self, event: RecordedEvent) -> None:
        """One step: its kind and its detail as typed. The step's label is not stored: the
        read side words it from the kind in the reader's language (``queries.riwayat_izin``)."""
        p = event.payload
        detail = p.get("alasan") or p.get("catatan") or p.get("keterangan") or ""
        if event.event_type == "TingkatRisikoDitetapkan":
            detail = f"{p['tingkat']} - {p['kbli_judul']} ({p['otoritas']})"
        RiwayatIzin.objects.using(self.alias).get_or_create(
            event_id=event.event_id,
            defaults={
                "permohonan_id": event.stream_id,
                "urutan": event.version,
                "jenis": event.event_type,
                "keterangan": detail,
                # a correction's document: named by its hash, never shown
                "lampiran_sha256": p.get("lampiran_sha256") or "",
                "lampiran_id": p.get("lampiran_id") or None,
                "aktor": p.get("petugas") or event.metadata.get("actor", ""),
                "pada": event.recorded_at,
            },
        )


class DokumenIzinProjector(Projector):
    """Records each issued document on the read side when its ``IzinDikirim`` is published:
    which application has one, its verification code, hash and date, all from the event.
    Never the bytes: the PDF prints the applicant's name, so it stays sealed with their key in
    the document store (``DokumenIzin``) and is opened by id on download
    (``dokumen.buka_pdf``). Erasing the applicant (destroying the key) erases it, and no
    copy is left here to purge."""

    name = "izin.dokumen"
    context = "izin"
    subscriptions = ("izin",)
    read_models = (DokumenIzinTerbit,)

    def handle(self, event: RecordedEvent) -> None:
        if event.event_type != "IzinDikirim":
            return
        p = event.payload
        DokumenIzinTerbit.objects.using(self.alias).update_or_create(
            permohonan_id=event.stream_id,
            defaults={
                "kode_verifikasi": p["kode_verifikasi"],
                "sha256": p["sha256"],
                "dibuat_pada": datetime.fromisoformat(p["dikirim_pada"]),
            },
        )


class ReferensiKBLIProjector(Projector):
    """The KBLI risk table on the read side (``KBLIReferensi``), from its publication events.
    Idempotent: a row is upserted or deleted by its key, so an event applied again changes
    nothing; the stream's order (a removal before the row that replaces it) is the feed's."""

    name = "izin.referensi"
    context = "izin"
    subscriptions = ("izin",)
    read_models = (KBLIReferensi,)

    def handle(self, event: RecordedEvent) -> None:
        rows = KBLIReferensi.objects.using(self.alias)
        if event.event_type == "RisikoKBLIDicabut":
            rows.filter(**baris_kunci_dari(event.payload)).delete()
        elif event.event_type == "RisikoKBLIDitetapkan":
            p = event.payload
            rows.update_or_create(
                **baris_kunci_dari(p),
                defaults={
                    "judul": p["judul"],
                    "sektor": p["sektor"],
                    "tingkat": p["tingkat"],
                    "otoritas": p["otoritas"],
                    "berlaku_sampai": p["berlaku_sampai"] or None,
                },
            )
