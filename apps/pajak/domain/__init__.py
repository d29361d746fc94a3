"""Taxes (DJP, Coretax era), plain Python: no Django, no database, no clock.

Modules (import a name from the module that defines it):
- ``rules``: vocabulary (kinds of taxpayer, taxes, statuses), refusal messages, ``Masa``;
- ``nomor``: NPWP (NIK for individuals, NPWP16 for companies), NITKU, billing code, NTPN;
- ``konfigurasi``: the effective-dated configuration tables (``KonfigurasiPajak``);
- ``tarif_bawaan``: SEED rows of those tables, with their legal source;
- ``tarif``: PPh 21 (TER, December recomputation), Pasal 17, PPh badan, PPN;
- ``tenggat``: payment and filing deadlines on the working-day calendar (``egov.harikerja``);
- ``events``: the events (``EVENTS``, the registry's list);
- aggregates ``wajib_pajak.WajibPajak``, ``kode_billing.KodeBilling``, ``kewajiban.Kewajiban``.

Everything that lives elsewhere (the configuration rows, holidays, now, the identity replica
row, generated numbers) is read by the command and passed in; events record the values a
rule produced, so a replay never looks anything up again.
"""

from apps.pajak.domain.events import EVENTS

__all__ = ["EVENTS"]
