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
(agencies without a NATS client): a token with scope ``feed:<context>`` reads that context's
published events, personal fields removed; any other caller is refused (403).

The back office (agencies, the message log, parked messages) is the Django admin's: staff
with the model permissions of ``bus``.
"""

from __future__ import annotations

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


def scope_feed(konteks: str) -> str:
    return f"feed:{konteks}"


def require_pembaca_feed(principal: Principal, konteks: str) -> None:
    require(
        principal.has_scope(scope_feed(konteks)), MSG_BUKAN_PEMBACA_FEED, code="bukan_pembaca_feed"
    )


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
