"""Social aid (Kemensos): proposals, eligibility, penetapan, disbursement, suspension.

Plain Python: aggregates, events and rules. Empty until the context's issue is built; the
events to come are named in ../shared/DOMAIN.md:
UsulanPenerimaDiajukan, PenerimaDitetapkan, DanaDisalurkan, PenerimaDitangguhkan.
"""

from egov.eventstore.domain import DomainEvent

EVENTS: tuple[type[DomainEvent], ...] = ()
