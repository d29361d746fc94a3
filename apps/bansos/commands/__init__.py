"""Use cases of the bansos context: load, decide, append — one keyword-only function each,
``bansos_<verb>(*, principal, ..., metadata)``; the identity policy's command takes no
principal.

Every refusal is a ``DomainError`` with a stable code and appends nothing. The programmes are
read from bansos's own tables on every call (``apps.bansos.konfigurasi``); now comes from
``egov.clock``. NIKs and KK numbers arrive only as keyed hashes
(``egov.eventstore.pseudonym.keyed_hash``); a door taking a clear NIK hashes it with
``nik_hash`` (a bank account number: ``rekening_hash``) and never stores it.

- ``usulan``: ``bansos_ajukan_usulan``, ``bansos_verifikasi_usulan``,
  ``bansos_tetapkan_penerima``, ``bansos_tolak_usulan``, ``bansos_tangguhkan_penerima``,
  ``bansos_catat_identitas`` (policy);
- ``penerima``: ``bansos_aktifkan_kembali_penerima``, ``bansos_graduasi_penerima``,
  ``bansos_keluarkan_penerima``, ``bansos_catat_kepatuhan`` (officers, integrators, policies),
  ``bansos_ajukan_keberatan`` (a member of the household), ``bansos_jawab_keberatan``;
- ``penyaluran``: ``bansos_buat_siklus``, ``bansos_ajukan_siklus``, ``bansos_setujui_siklus``,
  ``bansos_buat_instruksi``, ``bansos_catat_penyaluran``, ``bansos_tutup_siklus``.
"""

from apps.bansos.commands._unit import MSG_SIKLUS_TIDAK_DITEMUKAN, MSG_USULAN_TIDAK_DITEMUKAN
from apps.bansos.commands.penerima import (
    bansos_ajukan_keberatan,
    bansos_aktifkan_kembali_penerima,
    bansos_catat_kepatuhan,
    bansos_graduasi_penerima,
    bansos_jawab_keberatan,
    bansos_keluarkan_penerima,
)
from apps.bansos.commands.penyaluran import (
    HASIL_LAPORAN,
    HasilInstruksi,
    bansos_ajukan_siklus,
    bansos_buat_instruksi,
    bansos_buat_siklus,
    bansos_catat_penyaluran,
    bansos_setujui_siklus,
    bansos_tutup_siklus,
)
from apps.bansos.commands.usulan import (
    bansos_ajukan_usulan,
    bansos_catat_identitas,
    bansos_tangguhkan_penerima,
    bansos_tetapkan_penerima,
    bansos_tolak_usulan,
    bansos_verifikasi_usulan,
    nik_hash,
    rekening_hash,
)

__all__ = [
    "HASIL_LAPORAN",
    "MSG_SIKLUS_TIDAK_DITEMUKAN",
    "MSG_USULAN_TIDAK_DITEMUKAN",
    "HasilInstruksi",
    "bansos_ajukan_keberatan",
    "bansos_ajukan_siklus",
    "bansos_ajukan_usulan",
    "bansos_aktifkan_kembali_penerima",
    "bansos_buat_instruksi",
    "bansos_buat_siklus",
    "bansos_catat_identitas",
    "bansos_catat_kepatuhan",
    "bansos_catat_penyaluran",
    "bansos_graduasi_penerima",
    "bansos_jawab_keberatan",
    "bansos_keluarkan_penerima",
    "bansos_setujui_siklus",
    "bansos_tangguhkan_penerima",
    "bansos_tetapkan_penerima",
    "bansos_tolak_usulan",
    "bansos_tutup_siklus",
    "bansos_verifikasi_usulan",
    "nik_hash",
    "rekening_hash",
]
