"""Social aid (Kemensos), plain Python: no Django, no database, no clock.

Modules (import a name from the module that defines it):
- ``rules``: vocabulary (programmes, statuses, channels), refusal messages, ``Periode``;
- ``konfigurasi``: programmes as effective-dated rows (``KonfigurasiBansos``) and their seed;
- ``kelayakan``: eligibility over facts from the replicas (``periksa_kelayakan``);
- ``events``: the events (``EVENTS``, the registry's list);
- aggregates ``usulan.Usulan`` (a household's proposal), ``penerima.Penerima`` (the same
  stream once decided: the recipient's membership), ``penyaluran.SiklusPenyaluran`` (one
  disbursement round: approval, reconciliation, closing) and
  ``instruksi.InstruksiPembayaran`` (one recipient's payment in a round, on its own stream:
  eligibility re-checked, channel reports, cancellation).

Everything that lives elsewhere (the configuration rows, now, the identity and KK replicas,
other recipients) is read by the command and passed in; events record the values a rule
produced, so a replay never looks anything up again.
"""

from apps.bansos.domain.events import EVENTS

__all__ = ["EVENTS"]
