"""Taxes (DJP): registration (NPWP), obligations, billing codes, payments, returns.

Plain Python: aggregates, events and rules. Empty until the context's issue is built; the
events to come are named in ../shared/DOMAIN.md:
WajibPajakTerdaftar, KodeBillingDibuat, PembayaranDiterima, SPTDilaporkan.
"""

from egov.eventstore.domain import DomainEvent

EVENTS: tuple[type[DomainEvent], ...] = ()
