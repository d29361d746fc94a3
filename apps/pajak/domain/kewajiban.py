"""The tax obligation (Kewajiban) of one taxpayer, one tax and one period, with its return.

Stream: one per (taxpayer, tax, period). It holds the due dates, the return (SPT) and its
amendments, and the late-filing fine. The return lives in the obligation's stream on purpose:
the fine depends on both the deadline and whether the return was filed by then, and one
stream lets optimistic concurrency keep a filing and a fine from crossing each other.

Return lifecycle (Coretax): drafted (``SPTDisusun``) -> if tax is left to pay, waiting for
the payment of its billing code (``SPTMenungguPembayaran``) -> filed with its electronic
receipt (``SPTDilaporkan{bpe}``). A filed return may be amended (UU KUP Pasal 8): drafted
again (``pembetulan_ke`` 1, 2, ...) and filed as ``SPTPembetulanDilaporkan``.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from apps.pajak.domain.events import (
    KewajibanMasaTimbul,
    SanksiDendaDitetapkan,
    SPTDilaporkan,
    SPTDisusun,
    SPTMenungguPembayaran,
    SPTPembetulanDilaporkan,
)
from apps.pajak.domain.konfigurasi import KonfigurasiPajak
from apps.pajak.domain.nomor import periksa_kode_billing, periksa_ntpn
from apps.pajak.domain.rules import (
    DILAPORKAN,
    DRAF,
    MENUNGGU_PEMBAYARAN,
    MSG_BELUM_ADA_KEWAJIBAN,
    MSG_BELUM_TERDAFTAR,
    MSG_BPE_KOSONG,
    MSG_BUKAN_PKP,
    MSG_JENIS_WP_TIDAK_SESUAI,
    MSG_KEWAJIBAN_SUDAH_ADA,
    MSG_KODE_BILLING_SPT,
    MSG_PAJAK_NEGATIF,
    MSG_PERLU_KODE_BILLING,
    MSG_SPT_TAHAP,
    JenisPajak,
    Masa,
    jenis_pajak,
    periksa_masa,
    tanggal_wib,
)
from apps.pajak.domain.tenggat import jatuh_tempo
from apps.pajak.domain.wajib_pajak import WajibPajak
from egov.eventstore.domain import Aggregate, InvalidInput, InvalidState


def kewajiban_stream_id(wajib_pajak_id: uuid.UUID, jenis: str, masa: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"egov:pajak:kewajiban:{wajib_pajak_id}:{jenis}:{masa}")


def periksa_berlaku_bagi(pajak: JenisPajak, wajib_pajak: WajibPajak) -> None:
    """PPh badan only for companies, annual PPh OP only for individuals, PPN only for a PKP."""
    if not wajib_pajak.terdaftar:
        raise InvalidState(MSG_BELUM_TERDAFTAR, code="belum_terdaftar")
    if pajak.untuk and pajak.untuk != wajib_pajak.jenis:
        raise InvalidInput(MSG_JENIS_WP_TIDAK_SESUAI, code="jenis_wp_tidak_sesuai")
    if pajak.perlu_pkp and not wajib_pajak.pkp:
        raise InvalidState(MSG_BUKAN_PKP, code="bukan_pkp")


class Kewajiban(Aggregate):
    """Build it with ``Kewajiban(kewajiban_stream_id(...))`` and ``timbul(...)``."""

    stream_type = "Kewajiban"

    def __init__(self, aggregate_id: uuid.UUID):
        super().__init__(aggregate_id)
        self.wajib_pajak_id: uuid.UUID | None = None
        self.jenis_pajak = ""
        self.masa = ""
        self.jatuh_tempo_bayar: date | None = None
        self.jatuh_tempo_lapor: date | None = None
        self.status_spt = ""  # "" (none yet) | DRAF | MENUNGGU_PEMBAYARAN | DILAPORKAN
        self.pembetulan_ke = 0
        self.kurang_bayar = 0
        self.dibayar = 0  # paid through this return's billing codes, all versions
        self.kode_billing = ""  # the code the return waits for
        self.dilaporkan_pada: datetime | None = None  # the first filing (for the fine)
        self.ntpn: set[str] = set()
        self.denda_ditetapkan = False

    @property
    def perlu_pembayaran(self) -> bool:
        """The drafted return shows tax left to pay: it needs a billing code before filing."""
        return self.status_spt in (DRAF, MENUNGGU_PEMBAYARAN) and self.kurang_bayar > 0

    # --- commands ---------------------------------------------------------------------------
    def timbul(
        self,
        *,
        wajib_pajak: WajibPajak,
        jenis: str,
        masa: str,
        konfigurasi: KonfigurasiPajak,
        libur: frozenset[date],
    ) -> None:
        """Open the obligation with its deadlines, by the rule in force on the period's first
        day, moved past weekends and ``libur`` (the holidays the command read)."""
        if self.exists:
            raise InvalidState(MSG_KEWAJIBAN_SUDAH_ADA, code="kewajiban_sudah_ada")
        pajak, periode = jenis_pajak(jenis), Masa.parse(masa)
        periksa_masa(pajak, periode)
        periksa_berlaku_bagi(pajak, wajib_pajak)
        tempo = jatuh_tempo(pajak.kode, periode, konfigurasi, libur)
        self._record(
            KewajibanMasaTimbul(
                wajib_pajak_id=wajib_pajak.id,
                subjek_id=wajib_pajak.subjek_id,
                jenis_pajak=pajak.kode,
                masa=str(periode),
                jatuh_tempo_bayar=tempo.bayar,
                jatuh_tempo_lapor=tempo.lapor,
                dasar_hukum=tempo.dasar_hukum,
            )
        )

    def susun_spt(self, *, pajak_terutang: int, kredit_pajak: int, sekarang: datetime) -> None:
        """Draft the return, or redraft it (a pending billing code is then dropped), or, once
        filed, draft an amendment. ``kredit_pajak``: credits other than this return's own
        payments (withholding by others, payments made before with separate billing codes)."""
        if not self.exists:
            raise InvalidState(MSG_BELUM_ADA_KEWAJIBAN, code="belum_ada_kewajiban")
        for n in (pajak_terutang, kredit_pajak):
            if isinstance(n, bool) or not isinstance(n, int) or n < 0:
                raise InvalidInput(MSG_PAJAK_NEGATIF, code="pajak_tidak_valid")
        pembetulan = self.pembetulan_ke + (1 if self.status_spt == DILAPORKAN else 0)
        self._record(
            SPTDisusun(
                pembetulan_ke=pembetulan,
                pajak_terutang=pajak_terutang,
                kredit_pajak=kredit_pajak,
                kurang_bayar=pajak_terutang - kredit_pajak - self.dibayar,
                disusun_pada=sekarang,
            )
        )

    def minta_pembayaran(self, *, kode_billing: str) -> None:
        """The return shows tax to pay: it waits for ``kode_billing`` (created by the command
        for ``kurang_bayar`` with this obligation's id). Calling it again with a new code
        replaces an expired one."""
        if not self.perlu_pembayaran:
            self._tahap_salah("menunggu pembayaran")
        self._record(
            SPTMenungguPembayaran(
                pembetulan_ke=self.pembetulan_ke,
                kode_billing=periksa_kode_billing(kode_billing),
                nominal=self.kurang_bayar,
            )
        )

    def laporkan_spt(self, *, bpe: str, sekarang: datetime) -> None:
        """File a drafted return that leaves nothing to pay (nil or overpaid)."""
        if self.status_spt != DRAF:
            self._tahap_salah("dilaporkan")
        if self.kurang_bayar > 0:
            raise InvalidState(MSG_PERLU_KODE_BILLING, code="perlu_kode_billing")
        self._lapor(bpe=bpe, sekarang=sekarang, ntpn="", dibayar=0)

    def catat_pembayaran(
        self, *, kode_billing: str, ntpn: str, nominal: int, bpe: str, sekarang: datetime
    ) -> bool:
        """The billing code the return waits for was paid: the return is filed. The same NTPN
        again is a retry: nothing new (returns False)."""
        ntpn = periksa_ntpn(ntpn)
        if ntpn in self.ntpn:
            return False
        if self.status_spt != MENUNGGU_PEMBAYARAN:
            self._tahap_salah("menerima pembayaran")
        if kode_billing != self.kode_billing or nominal != self.kurang_bayar:
            raise InvalidState(MSG_KODE_BILLING_SPT, code="kode_billing_tidak_sesuai")
        self._lapor(bpe=bpe, sekarang=sekarang, ntpn=ntpn, dibayar=nominal)
        return True

    def periksa_tenggat_lapor(self, *, hari_ini: date, konfigurasi: KonfigurasiPajak) -> bool:
        """The beat job's check: once the filing deadline has passed and the return was not
        filed by then (not at all, or late), set the fine in force on the first late day.
        At most one fine per obligation; returns whether one was set now."""
        tenggat = self.jatuh_tempo_lapor
        if tenggat is None or self.denda_ditetapkan or hari_ini <= tenggat:
            return False
        if self.dilaporkan_pada is not None and tanggal_wib(self.dilaporkan_pada) <= tenggat:
            return False
        jenis_spt = jenis_pajak(self.jenis_pajak).jenis_spt
        denda = konfigurasi.denda_pada(jenis_spt, tenggat + timedelta(days=1))
        self._record(
            SanksiDendaDitetapkan(
                jenis_spt=jenis_spt,
                nominal=denda.nominal,
                jatuh_tempo_lapor=tenggat,
                dasar_hukum=denda.dasar_hukum,
                ditetapkan_pada=hari_ini,
            )
        )
        return True

    def _lapor(self, *, bpe: str, sekarang: datetime, ntpn: str, dibayar: int) -> None:
        if not bpe.strip():
            raise InvalidInput(MSG_BPE_KOSONG, code="bpe_wajib")
        if self.pembetulan_ke == 0:
            event = SPTDilaporkan(
                bpe=bpe.strip(), dilaporkan_pada=sekarang, ntpn=ntpn, dibayar=dibayar
            )
        else:
            event = SPTPembetulanDilaporkan(
                pembetulan_ke=self.pembetulan_ke,
                bpe=bpe.strip(),
                dilaporkan_pada=sekarang,
                ntpn=ntpn,
                dibayar=dibayar,
            )
        self._record(event)

    def _tahap_salah(self, aksi: str) -> None:
        status = self.status_spt or "BELUM_DISUSUN"
        raise InvalidState(MSG_SPT_TAHAP.format(status=status, aksi=aksi), code="tahap_spt_salah")

    # --- appliers: assignments only ---------------------------------------------------------
    def apply_KewajibanMasaTimbul(self, e: KewajibanMasaTimbul) -> None:
        self.wajib_pajak_id, self.jenis_pajak, self.masa = e.wajib_pajak_id, e.jenis_pajak, e.masa
        self.jatuh_tempo_bayar, self.jatuh_tempo_lapor = e.jatuh_tempo_bayar, e.jatuh_tempo_lapor

    def apply_SPTDisusun(self, e: SPTDisusun) -> None:
        self.status_spt, self.pembetulan_ke = DRAF, e.pembetulan_ke
        self.kurang_bayar, self.kode_billing = e.kurang_bayar, ""

    def apply_SPTMenungguPembayaran(self, e: SPTMenungguPembayaran) -> None:
        self.status_spt, self.kode_billing = MENUNGGU_PEMBAYARAN, e.kode_billing

    def apply_SPTDilaporkan(self, e: SPTDilaporkan) -> None:
        self._dilaporkan(e.dilaporkan_pada, e.ntpn, e.dibayar)

    def apply_SPTPembetulanDilaporkan(self, e: SPTPembetulanDilaporkan) -> None:
        self._dilaporkan(e.dilaporkan_pada, e.ntpn, e.dibayar)

    def _dilaporkan(self, pada: datetime, ntpn: str, dibayar: int) -> None:
        self.status_spt, self.kode_billing = DILAPORKAN, ""
        self.dilaporkan_pada = self.dilaporkan_pada or pada
        self.dibayar += dibayar
        if ntpn:
            self.ntpn.add(ntpn)

    def apply_SanksiDendaDitetapkan(self, e: SanksiDendaDitetapkan) -> None:
        self.denda_ditetapkan = True
