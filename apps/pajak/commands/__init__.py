"""Use cases of the pajak context: load, decide, append — one keyword-only function each,
``pajak_<verb>(*, principal, ..., metadata)``; beat jobs and the policy take no principal.

Every refusal is a ``DomainError`` with a stable code and appends nothing. Configuration
(rates, validity periods, deadlines, fines) and holidays are read from pajak's own tables on
every call (``apps.pajak.konfigurasi``); now and today come from ``egov.clock``.

- ``pendaftaran``: ``pajak_aktifkan_npwp``, ``pajak_daftar_badan``, ``pajak_daftar_tku``,
  ``pajak_kukuhkan_pkp``, ``pajak_catat_identitas`` (policy);
- ``billing``: ``pajak_buat_kode_billing``, ``pajak_terima_pembayaran``,
  ``pajak_kedaluwarsakan_billing`` (beat);
- ``kewajiban``: ``pajak_timbulkan_kewajiban``, ``pajak_timbulkan_kewajiban_berkala`` (beat),
  ``pajak_susun_spt``, ``pajak_laporkan_spt``, ``pajak_periksa_tenggat_lapor`` (beat).
"""

from apps.pajak.commands._unit import (
    MSG_KEWAJIBAN_TIDAK_DITEMUKAN,
    MSG_NTPN_SUDAH_DIPAKAI,
    KodeBillingTerbit,
    PembayaranTercatat,
)
from apps.pajak.commands.billing import (
    pajak_buat_kode_billing,
    pajak_kedaluwarsakan_billing,
    pajak_terima_pembayaran,
)
from apps.pajak.commands.kewajiban import (
    HasilLaporSPT,
    pajak_laporkan_spt,
    pajak_periksa_tenggat_lapor,
    pajak_susun_spt,
    pajak_timbulkan_kewajiban,
    pajak_timbulkan_kewajiban_berkala,
)
from apps.pajak.commands.pendaftaran import (
    pajak_aktifkan_npwp,
    pajak_catat_identitas,
    pajak_daftar_badan,
    pajak_daftar_tku,
    pajak_kukuhkan_pkp,
    subjek_badan,
)

__all__ = [
    "MSG_KEWAJIBAN_TIDAK_DITEMUKAN",
    "MSG_NTPN_SUDAH_DIPAKAI",
    "HasilLaporSPT",
    "KodeBillingTerbit",
    "PembayaranTercatat",
    "pajak_aktifkan_npwp",
    "pajak_buat_kode_billing",
    "pajak_catat_identitas",
    "pajak_daftar_badan",
    "pajak_daftar_tku",
    "pajak_kedaluwarsakan_billing",
    "pajak_kukuhkan_pkp",
    "pajak_laporkan_spt",
    "pajak_periksa_tenggat_lapor",
    "pajak_susun_spt",
    "pajak_terima_pembayaran",
    "pajak_timbulkan_kewajiban",
    "pajak_timbulkan_kewajiban_berkala",
    "subjek_badan",
]
