"""Who may do what in the bus context.

An agency is not a signed-in user: it authenticates **each message** by its Ed25519
signature, verified with the public key registered for its code (``Instansi``), as X-Road
members sign every message. The HTTP door therefore takes no login, session or token (so no
session, token or integrator scope gets a message in, and no CSRF applies): an unknown or
inactive agency, a bad signature or a payload other than the one signed is refused (401); a
known agency may publish only the event types registered for it (403).

The proof of delivery (``GET /api/v1/bus/bukti/{message_id}/``) is public to whoever knows
the message id, which only the sender chose: it holds no personal data (the signed header,
the signature, hashes and event ids; never the payload), so the agency can hand it to a third
party, who verifies it offline with the agency's public key.

The published feed (``GET /api/v1/feed/{context}/``, ``api_feed.py``) is for integrators
(agencies without a NATS client), personal fields removed: a token with scope
``feed:<context>`` reads every published event type of that context; one with
``feed:<context>:<EventType>`` scopes reads only those types (a bank that needs deaths holds
``feed:bus:KematianDicatat`` and never sees a family card change). Any other caller is
refused (403). The scopes are offered for every published contract (``scope_feed_tersedia``,
declared to ``egov.portal.scopes`` when the app is ready), so a new published event type gets
its scope without a settings change.

The back office (agencies, the message log, parked messages) is the Django admin's: staff
with the model permissions of ``bus``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_noop

from apps.bus.domain.amplop import Amplop, payload_hash
from apps.bus.domain.galat import (
    MSG_HASH_TIDAK_COCOK,
    MSG_INSTANSI_TIDAK_DIKENAL,
    MSG_JENIS_TIDAK_DIIZINKAN,
    MSG_TANDA_TANGAN_TIDAK_SAH,
    TidakDiizinkan,
    TidakTerautentikasi,
)
from apps.bus.domain.kunci import muat_kunci_publik, sah
from apps.bus.models import Instansi
from egov.principals import Principal, require

ALIAS = "bus"
MSG_BUKAN_PEMBACA_FEED = gettext_noop(
    "Hanya sistem dengan cakupan feed:<konteks> yang dapat membaca peristiwa konteks ini."
)


def scope_feed(konteks: str, jenis: str = "") -> str:
    """``feed:<context>`` (every published type) or ``feed:<context>:<EventType>``."""
    return f"feed:{konteks}:{jenis}" if jenis else f"feed:{konteks}"


def scope_feed_tersedia(kontrak: dict[str, Iterable[str]]) -> dict[str, str]:
    """Every feed scope an integrator may be granted: per context, per published type."""
    scopes = {}
    for konteks, jenis_terbit in kontrak.items():
        scopes[scope_feed(konteks)] = (
            f"Membaca semua peristiwa {konteks} yang diterbitkan (tanpa data pribadi)"
        )
        for jenis in jenis_terbit:
            scopes[scope_feed(konteks, jenis)] = (
                f"Membaca peristiwa {jenis} ({konteks}) yang diterbitkan (tanpa data pribadi)"
            )
    return scopes


def require_pembaca_feed(principal: Principal, konteks: str) -> None:
    """Any feed scope of this context (403 before anything says whether it publishes)."""
    prefix = f"{scope_feed(konteks)}:"
    reads = principal.has_scope(scope_feed(konteks)) or any(
        principal.has_scope(scope) for scope in principal.scopes if scope.startswith(prefix)
    )
    require(reads, MSG_BUKAN_PEMBACA_FEED, code="bukan_pembaca_feed")


def jenis_terbaca(
    principal: Principal, konteks: str, jenis_terbit: Iterable[str]
) -> frozenset[str]:
    """The published event types of the context this principal may read: all of them with
    ``feed:<context>``, else those named by its ``feed:<context>:<EventType>`` scopes; none
    is refused (403)."""
    if principal.has_scope(scope_feed(konteks)):
        allowed = frozenset(jenis_terbit)
    else:
        allowed = frozenset(
            jenis for jenis in jenis_terbit if principal.has_scope(scope_feed(konteks, jenis))
        )
    require(bool(allowed), MSG_BUKAN_PEMBACA_FEED, code="bukan_pembaca_feed")
    return allowed


def autentikasi(amplop: Amplop) -> Instansi:
    """The sending agency, once the envelope is proven to be its own (else 401)."""
    instansi = Instansi.objects.using(ALIAS).filter(kode=amplop.agency, aktif=True).first()
    if instansi is None:
        raise TidakTerautentikasi(MSG_INSTANSI_TIDAK_DIKENAL, code="instansi_tidak_dikenal")
    if not sah(muat_kunci_publik(instansi.kunci_publik), amplop.signed_bytes(), amplop.signature):
        raise TidakTerautentikasi(MSG_TANDA_TANGAN_TIDAK_SAH, code="tanda_tangan_tidak_sah")
    if payload_hash(amplop.payload) != amplop.payload_hash:
        raise TidakTerautentikasi(MSG_HASH_TIDAK_COCOK, code="hash_isi_tidak_cocok")
    return instansi


def require_boleh_mengirim(instansi: Instansi, jenis: str) -> None:
    if not instansi.boleh_mengirim(jenis):
        raise TidakDiizinkan(MSG_JENIS_TIDAK_DIIZINKAN)
