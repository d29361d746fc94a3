"""Kernel events every context's feed may carry."""

from dataclasses import dataclass

from egov.eventstore.domain import DomainEvent


@dataclass(frozen=True)
class DataPribadiDihapus(DomainEvent):
    """A data subject's key was destroyed (UU PDP right to erasure): purge read rows for them."""

    subject_id: str
    alasan: str = ""


@dataclass(frozen=True)
class DataPribadiDiakses(DomainEvent):
    """An officer (admin) or an integrator (API) read one citizen's personal data (UU PDP:
    the citizen may ask who viewed their data). Recorded in the feed of the context read."""

    subject_id: str
    pintu: str  # "admin" | "api"
    tujuan: str  # route or stated purpose
    pengakses: str  # username of the officer or integrator


@dataclass(frozen=True)
class KlaimNIKDiputuskan(DomainEvent):
    """Dukcapil decided a citizen account's claim to a NIK (in person, documents checked):
    ``keputusan`` is TERVERIFIKASI, DITOLAK or DICABUT (a verified claim withdrawn, e.g. a
    disputed one). Recorded in the identity authority's feed (settings.IDENTITY_CONTEXT)."""

    subject_id: str
    akun: str  # principal id of the account ("user:12")
    keputusan: str
    alasan: str = ""
