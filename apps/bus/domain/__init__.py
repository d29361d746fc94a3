"""The bus context's domain: the envelope, its signature, routing, the message-log event."""

from apps.bus.domain.events import PesanDiterima
from egov.contracts.bus import KematianDicatat, KKDiupdate, NISNDiverifikasi

EVENTS = [PesanDiterima, KematianDicatat, KKDiupdate, NISNDiverifikasi]
