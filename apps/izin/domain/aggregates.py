"""Aggregates: a business (its NIB) and a permit application (its stages)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from apps.izin.domain.events import (
    IdentitasPemohonTerverifikasi,
    IzinDicabut,
    IzinDikirim,
    IzinDisetujui,
    IzinDisetujuiFiktifPositif,
    IzinDitolak,
    KetentuanRisiko,
    MenungguVerifikasiIdentitas,
    NIBDiterbitkan,
    PerbaikanDiajukan,
    PerbaikanDiminta,
    PermohonanIzinDibuat,
    TingkatRisikoDitetapkan,
)
from apps.izin.domain.rules import (
    BADAN_USAHA,
    DASAR_HUKUM_FIKTIF_POSITIF,
    DASAR_HUKUM_RBA,
    DICABUT,
    DISETUJUI,
    DITOLAK,
    MENENGAH_RENDAH,
    MENENGAH_TINGGI,
    MENUNGGU_IDENTITAS,
    MSG_ALASAN_KOSONG,
    MSG_BADAN_TANPA_NOMOR,
    MSG_BELUM_DISETUJUI,
    MSG_BUKAN_PERBAIKAN,
    MSG_BUKAN_TAHAP,
    MSG_CATATAN_KOSONG,
    MSG_IDENTITAS_TIDAK_DITAHAN,
    MSG_INVESTASI_TIDAK_VALID,
    MSG_JENIS_TIDAK_VALID,
    MSG_KBLI_TIDAK_VALID,
    MSG_NAMA_USAHA_KOSONG,
    MSG_NIB_SUDAH_ADA,
    MSG_NIB_TIDAK_VALID,
    MSG_NIK_TIDAK_VALID,
    MSG_PERLU_APPROVER,
    MSG_PERLU_VERIFIKATOR,
    MSG_SKALA_TIDAK_VALID,
    MSG_SUDAH_DIKIRIM,
    MSG_TENGGAT_PERBAIKAN_LEWAT,
    MSG_WILAYAH_TIDAK_VALID,
    PERBAIKAN,
    PERORANGAN,
    PERSETUJUAN,
    RENDAH,
    SISTEM,
    SKALA,
    TAHAP_PETUGAS,
    TINGGI,
    VERIFIKASI,
)
from egov.eventstore.domain import Aggregate, InvalidInput, InvalidState
from egov.harikerja import libur_dalam, tambah_hari_kerja


# --- aggregates ------------------------------------------------------------------------------
def pelaku_stream_id(kunci: str) -> uuid.UUID:
    """One stream per business: ``kunci`` is the owner's NIK hash (individual) or the keyed
    hash of the company's registration number, so a second application finds the same NIB."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"egov:izin:pelaku:{kunci}")


class PelakuUsaha(Aggregate):
    stream_type = "PelakuUsaha"

    def __init__(self, aggregate_id: uuid.UUID):
        super().__init__(aggregate_id)
        self.nib = ""

    def terbitkan_nib(self, event: NIBDiterbitkan) -> None:
        if self.nib:
            raise InvalidState(MSG_NIB_SUDAH_ADA, code="nib_sudah_ada")
        if not (len(event.nib) == 13 and event.nib.isdigit()):
            raise InvalidInput(MSG_NIB_TIDAK_VALID, code="nib_tidak_valid")
        self._record(event)

    def apply_NIBDiterbitkan(self, event: NIBDiterbitkan) -> None:
        self.nib = event.nib


JENIS_KEPUTUSAN = {
    RENDAH: "NIB",
    MENENGAH_RENDAH: "SERTIFIKAT_STANDAR_MANDIRI",
    MENENGAH_TINGGI: "SERTIFIKAT_STANDAR",
    TINGGI: "IZIN",
}
TAHAP_RISIKO = {MENENGAH_TINGGI: VERIFIKASI, TINGGI: PERSETUJUAN}


def validasi_permohonan(event: PermohonanIzinDibuat) -> None:
    """Input rules of a new application (the KBLI row itself is checked by the command)."""
    checks = [
        (  # no NIK in clear when the applicant is the signed-in citizen (their verified hash)
            (len(event.nik) == 16 and event.nik.isdigit()) or (not event.nik and event.nik_hash),
            MSG_NIK_TIDAK_VALID,
            "nik_tidak_valid",
        ),
        (
            len(event.kbli_kode) == 5 and event.kbli_kode.isdigit(),
            MSG_KBLI_TIDAK_VALID,
            "kbli_tidak_valid",
        ),
        (
            2 <= len(event.kode_wilayah) <= 10 and event.kode_wilayah.isdigit(),
            MSG_WILAYAH_TIDAK_VALID,
            "wilayah_tidak_valid",
        ),
        (event.skala in SKALA, MSG_SKALA_TIDAK_VALID, "skala_tidak_valid"),
        (event.nilai_investasi > 0, MSG_INVESTASI_TIDAK_VALID, "investasi_tidak_valid"),
        (
            event.jenis_pelaku in (PERORANGAN, BADAN_USAHA),
            MSG_JENIS_TIDAK_VALID,
            "jenis_pelaku_tidak_valid",
        ),
        (bool(event.nama_usaha.strip()), MSG_NAMA_USAHA_KOSONG, "nama_usaha_wajib"),
        (
            event.jenis_pelaku != BADAN_USAHA or bool(event.nomor_badan_usaha.strip()),
            MSG_BADAN_TANPA_NOMOR,
            "nomor_badan_usaha_wajib",
        ),
    ]
    for ok, message, code in checks:
        if not ok:
            raise InvalidInput(message, code=code)


class PermohonanIzin(Aggregate):
    stream_type = "PermohonanIzin"

    def __init__(self, aggregate_id: uuid.UUID):
        super().__init__(aggregate_id)
        self.tahap = ""
        self.tahap_asal = ""
        self.tingkat = ""
        self.otoritas = ""
        self.nib = ""
        self.nik_hash = ""
        self.kode_wilayah = ""
        self.diajukan_oleh = ""
        self.diajukan_pada: datetime | None = None
        self.tenggat: date | None = None
        self.dikirim = False

    # -- commands ---------------------------------------------------------------------------
    @classmethod
    def ajukan(
        cls, aggregate_id: uuid.UUID, event: PermohonanIzinDibuat, *, identitas_terverifikasi: bool
    ) -> PermohonanIzin:
        validasi_permohonan(event)
        permohonan = cls(aggregate_id)
        permohonan._record(event)
        if not identitas_terverifikasi:
            permohonan._record(MenungguVerifikasiIdentitas(nik_hash=event.nik_hash))
        return permohonan

    def identitas_terverifikasi(self, *, sumber: str) -> None:
        if self.tahap != MENUNGGU_IDENTITAS:
            raise InvalidState(MSG_IDENTITAS_TIDAK_DITAHAN, code="tidak_ditahan")
        self._record(IdentitasPemohonTerverifikasi(nik_hash=self.nik_hash, sumber=sumber))

    @property
    def siap_diproses(self) -> bool:
        """Created, identity known, risk not yet determined."""
        return self.exists and self.tahap == "" and not self.tingkat

    def proses(
        self,
        *,
        nib: str,
        ketentuan: KetentuanRisiko,
        hari_ini: date,
        sekarang: datetime,
        sla: dict[str, int],
        libur: frozenset[date] = frozenset(),
    ) -> None:
        """Determine the risk level; R and MR are approved at once (OSS-RBA)."""
        if not self.siap_diproses:
            raise InvalidState(MSG_BUKAN_TAHAP, code="tahap_tidak_sesuai")
        tahap = TAHAP_RISIKO.get(ketentuan.tingkat, DISETUJUI)
        tenggat = tambah_hari_kerja(hari_ini, sla[tahap], libur) if tahap in TAHAP_PETUGAS else None
        self._record(
            TingkatRisikoDitetapkan(
                nib=nib,
                tingkat=ketentuan.tingkat,
                kbli_judul=ketentuan.judul,
                sektor=ketentuan.sektor,
                otoritas=ketentuan.otoritas,
                tahap=tahap,
                tenggat=tenggat,
                libur=libur_dalam(hari_ini, tenggat, libur),
            )
        )
        if tahap == DISETUJUI:
            self._setujui(petugas=SISTEM, sekarang=sekarang)

    def setujui(self, *, peran: str, petugas: str, sekarang: datetime) -> None:
        self._harus_tahap(peran)
        self._setujui(petugas=petugas, sekarang=sekarang)

    def _setujui(self, *, petugas: str, sekarang: datetime) -> None:
        self._record(
            IzinDisetujui(
                tingkat=self.tingkat,
                jenis_keputusan=JENIS_KEPUTUSAN[self.tingkat],
                petugas=petugas,
                otoritas=self.otoritas,
                dasar_hukum=DASAR_HUKUM_RBA,
                diputuskan_pada=sekarang,
            )
        )

    def tolak(
        self, *, peran: str, alasan: str, dasar_hukum: str, petugas: str, sekarang: datetime
    ) -> None:
        self._harus_tahap(peran)
        if not (alasan.strip() and dasar_hukum.strip()):
            raise InvalidInput(MSG_ALASAN_KOSONG, code="alasan_wajib")
        self._record(
            IzinDitolak(
                alasan=alasan.strip(),
                dasar_hukum=dasar_hukum.strip(),
                petugas=petugas,
                otoritas=self.otoritas,
                diputuskan_pada=sekarang,
            )
        )

    def minta_perbaikan(
        self,
        *,
        peran: str,
        catatan: str,
        petugas: str,
        hari_ini: date,
        sla: dict[str, int],
        libur: frozenset[date] = frozenset(),
    ) -> None:
        self._harus_tahap(peran)
        if not catatan.strip():
            raise InvalidInput(MSG_CATATAN_KOSONG, code="catatan_wajib")
        tenggat = tambah_hari_kerja(hari_ini, sla[PERBAIKAN], libur)
        self._record(
            PerbaikanDiminta(
                catatan=catatan.strip(),
                tenggat=tenggat,
                petugas=petugas,
                otoritas=self.otoritas,
                libur=libur_dalam(hari_ini, tenggat, libur),
            )
        )

    def ajukan_perbaikan(
        self,
        *,
        keterangan: str,
        hari_ini: date,
        sla: dict[str, int],
        libur=frozenset(),
        lampiran_id: str = "",
        lampiran_sha256: str = "",
    ) -> None:
        if self.tahap != PERBAIKAN:
            raise InvalidState(MSG_BUKAN_PERBAIKAN, code="bukan_tahap_perbaikan")
        if self.tenggat is not None and hari_ini > self.tenggat:
            raise InvalidState(MSG_TENGGAT_PERBAIKAN_LEWAT, code="tenggat_lewat")
        if not keterangan.strip():
            raise InvalidInput(MSG_CATATAN_KOSONG, code="catatan_wajib")
        tenggat = tambah_hari_kerja(hari_ini, sla[self.tahap_asal], libur)
        self._record(
            PerbaikanDiajukan(
                keterangan=keterangan.strip(),
                tahap=self.tahap_asal,
                tenggat=tenggat,
                libur=libur_dalam(hari_ini, tenggat, libur),
                lampiran_id=lampiran_id,
                lampiran_sha256=lampiran_sha256,
            )
        )

    def periksa_tenggat(self, *, hari_ini: date, sekarang: datetime) -> bool:
        """Fiktif positif: an officer stage whose deadline has passed is deemed approved."""
        if self.tahap not in TAHAP_PETUGAS or self.tenggat is None or hari_ini <= self.tenggat:
            return False
        self._record(
            IzinDisetujuiFiktifPositif(
                tingkat=self.tingkat,
                tahap=self.tahap,
                tenggat=self.tenggat,
                dasar_hukum=DASAR_HUKUM_FIKTIF_POSITIF,
                diputuskan_pada=sekarang,
            )
        )
        return True

    @property
    def perlu_dikirim(self) -> bool:
        return self.tahap == DISETUJUI and not self.dikirim

    def kirim(self, *, kode_verifikasi: str, sha256: str, sekarang: datetime) -> None:
        if self.tahap != DISETUJUI:
            raise InvalidState(MSG_BELUM_DISETUJUI, code="belum_disetujui")
        if self.dikirim:
            raise InvalidState(MSG_SUDAH_DIKIRIM, code="sudah_dikirim")
        self._record(
            IzinDikirim(kode_verifikasi=kode_verifikasi, sha256=sha256, dikirim_pada=sekarang)
        )

    def cabut(self, *, alasan: str, dasar_hukum: str, petugas: str, sekarang: datetime) -> None:
        if self.tahap != DISETUJUI:
            raise InvalidState(MSG_BELUM_DISETUJUI, code="belum_disetujui")
        if not (alasan.strip() and dasar_hukum.strip()):
            raise InvalidInput(MSG_ALASAN_KOSONG, code="alasan_wajib")
        self._record(
            IzinDicabut(
                alasan=alasan.strip(),
                dasar_hukum=dasar_hukum.strip(),
                petugas=petugas,
                otoritas=self.otoritas,
                dicabut_pada=sekarang,
            )
        )

    def _harus_tahap(self, peran: str) -> None:
        """The stage must be the officer's: say which role it waits for when it is the other."""
        if self.exists and self.tahap == peran:
            return
        if self.tahap == PERSETUJUAN:
            raise InvalidState(MSG_PERLU_APPROVER, code="perlu_approver")
        if self.tahap == VERIFIKASI:
            raise InvalidState(MSG_PERLU_VERIFIKATOR, code="perlu_verifikator")
        raise InvalidState(MSG_BUKAN_TAHAP, code="tahap_tidak_sesuai")

    # -- appliers (assign only) -------------------------------------------------------------
    def apply_PermohonanIzinDibuat(self, event: PermohonanIzinDibuat) -> None:
        self.nik_hash = event.nik_hash
        self.kode_wilayah = event.kode_wilayah
        self.diajukan_oleh = event.diajukan_oleh
        self.diajukan_pada = event.diajukan_pada

    def apply_MenungguVerifikasiIdentitas(self, event: MenungguVerifikasiIdentitas) -> None:
        self.tahap = MENUNGGU_IDENTITAS

    def apply_IdentitasPemohonTerverifikasi(self, event: IdentitasPemohonTerverifikasi) -> None:
        self.tahap = ""

    def apply_TingkatRisikoDitetapkan(self, event: TingkatRisikoDitetapkan) -> None:
        self.nib = event.nib
        self.tingkat = event.tingkat
        self.otoritas = event.otoritas
        self.tahap = event.tahap if event.tahap != DISETUJUI else ""
        self.tenggat = event.tenggat

    def apply_IzinDisetujui(self, event: IzinDisetujui) -> None:
        self.tahap = DISETUJUI

    def apply_IzinDisetujuiFiktifPositif(self, event: IzinDisetujuiFiktifPositif) -> None:
        self.tahap = DISETUJUI

    def apply_IzinDitolak(self, event: IzinDitolak) -> None:
        self.tahap = DITOLAK

    def apply_PerbaikanDiminta(self, event: PerbaikanDiminta) -> None:
        self.tahap_asal = self.tahap
        self.tahap = PERBAIKAN
        self.tenggat = event.tenggat

    def apply_PerbaikanDiajukan(self, event: PerbaikanDiajukan) -> None:
        self.tahap = event.tahap
        self.tenggat = event.tenggat

    def apply_IzinDikirim(self, event: IzinDikirim) -> None:
        self.dikirim = True

    def apply_IzinDicabut(self, event: IzinDicabut) -> None:
        self.tahap = DICABUT
