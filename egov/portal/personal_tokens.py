"""Citizens' personal API tokens (portal page "Akses API"): make, list, revoke, and find the
token a request presents.

A token is ``egp_`` followed by 43 URL-safe characters (32 random bytes). OAuth2 tokens from
/o/token/ are letters and digits only, so the prefix never collides with them and tells a
secret scanner what it found. The token is returned once by ``token_pribadi_buat`` and never
stored: the database keeps its SHA-256 hash and the first characters for recognition.
What a token may do is what its owner's session may do, decided again at every call (a
withdrawn NIK claim or a deactivated account takes effect at once).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_noop

from egov import clock
from egov.db import atomic
from egov.eventstore.domain import InvalidInput, InvalidState
from egov.portal.models import TokenPribadi
from egov.principals import CITIZEN, USER_PREFIX, NotVisible, Principal, require

TOKEN_PREFIX = "egp_"  # noqa: S105 - a marker, not a secret
SECRET_BYTES = 32
TOKEN_LENGTH = len(TOKEN_PREFIX) + 43  # token_urlsafe(32) is 43 characters
SHOWN_LENGTH = len(TOKEN_PREFIX) + 8  # "egp_" and the first 8 characters of the secret
# A busy script must not write a row per request: "last used" is exact to the minute.
LAST_USED_RESOLUTION = timedelta(minutes=1)

MSG_HANYA_WARGA = gettext_noop("Hanya akun warga yang dapat memakai token pribadi API.")
MSG_BATAS_TOKEN = gettext_noop(
    "Anda sudah mencapai batas jumlah token aktif. Cabut token yang tidak dipakai lagi "
    "sebelum membuat token baru."
)
MSG_NAMA_KOSONG = gettext_noop("Beri nama token, mis. Aplikasi keuangan saya.")
MSG_SUDAH_DICABUT = gettext_noop("Token ini sudah dicabut.")
MSG_TOKEN_TIDAK_DITEMUKAN = gettext_noop("Token tidak ditemukan.")


@dataclass(frozen=True)
class TokenBaru:
    """A token just made: ``token`` is the only copy there will ever be."""

    id: int
    nama: str
    token: str
    expires_at: datetime


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def looks_like_personal_token(token: str) -> bool:
    return token.startswith(TOKEN_PREFIX)


def max_active() -> int:
    return settings.PERSONAL_TOKEN_MAX_ACTIVE


def active(queryset: QuerySet, moment: datetime) -> QuerySet:
    return queryset.filter(revoked_at__isnull=True, expires_at__gt=moment)


def token_pribadi_milik(*, principal: Principal) -> list[TokenPribadi]:
    """The citizen's own tokens, newest first (revoked and expired ones too, for the record)."""
    require(principal.kind == CITIZEN, MSG_HANYA_WARGA, code="hanya_warga")
    return list(TokenPribadi.objects.filter(user_id=_user_pk(principal)))


def token_pribadi_lihat(*, principal: Principal, token_id: int) -> TokenPribadi:
    """One of the citizen's own tokens; another's does not exist for them."""
    require(principal.kind == CITIZEN, MSG_HANYA_WARGA, code="hanya_warga")
    row = TokenPribadi.objects.filter(user_id=_user_pk(principal), pk=token_id).first()
    if row is None:
        raise NotVisible(MSG_TOKEN_TIDAK_DITEMUKAN)
    return row


def token_pribadi_buat(*, principal: Principal, nama: str) -> TokenBaru:
    """Make a token for the citizen (any citizen account: an unverified claim's token can do
    exactly as little as its session). Refused past ``PERSONAL_TOKEN_MAX_ACTIVE``."""
    require(principal.kind == CITIZEN, MSG_HANYA_WARGA, code="hanya_warga")
    nama = nama.strip()
    if not nama:
        raise InvalidInput(MSG_NAMA_KOSONG, code="nama_token_kosong")
    now = clock.now()
    token = TOKEN_PREFIX + secrets.token_urlsafe(SECRET_BYTES)
    with atomic("default"):
        # The account row is locked so two concurrent requests cannot both pass the limit.
        user = get_user_model().objects.select_for_update().get(pk=_user_pk(principal))
        if active(TokenPribadi.objects.filter(user=user), now).count() >= max_active():
            raise InvalidState(MSG_BATAS_TOKEN, code="batas_token")
        row = TokenPribadi.objects.create(
            user=user,
            nama=nama,
            prefix=token[:SHOWN_LENGTH],
            key_hash=token_hash(token),
            created_at=now,
            expires_at=now + timedelta(days=settings.PERSONAL_TOKEN_DAYS),
        )
    return TokenBaru(id=row.pk, nama=row.nama, token=token, expires_at=row.expires_at)


def token_pribadi_cabut(*, principal: Principal, token_id: int) -> TokenPribadi:
    """Revoke a token: its owner, or an administrator (e.g. a token reported leaked).
    Another citizen's token does not exist for the caller."""
    if principal.is_officer and principal.is_admin:
        visible = Q()
    else:
        require(principal.kind == CITIZEN, MSG_HANYA_WARGA, code="hanya_warga")
        visible = Q(user_id=_user_pk(principal))
    with atomic("default"):
        row = TokenPribadi.objects.select_for_update().filter(visible, pk=token_id).first()
        if row is None:
            raise NotVisible(MSG_TOKEN_TIDAK_DITEMUKAN)
        if row.revoked_at is not None:
            raise InvalidState(MSG_SUDAH_DICABUT, code="token_sudah_dicabut")
        row.revoked_at, row.revoked_by = clock.now(), principal.name
        row.save(update_fields=["revoked_at", "revoked_by"])
    return row


def find_presented(token: str) -> TokenPribadi | None:
    """The row of a presented token (any state), with its owner and claim for the principal."""
    if len(token) != TOKEN_LENGTH or not looks_like_personal_token(token):
        return None
    return (
        TokenPribadi.objects.select_related("user", "user__citizen")
        .filter(key_hash=token_hash(token))
        .first()
    )


def record_use(row: TokenPribadi, moment: datetime) -> None:
    """Note the use at most once per ``LAST_USED_RESOLUTION``; the conditional UPDATE keeps
    concurrent requests from writing it twice."""
    since = moment - LAST_USED_RESOLUTION
    if row.last_used_at is not None and row.last_used_at > since:
        return
    TokenPribadi.objects.filter(pk=row.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=since)
    ).update(last_used_at=moment)
    row.last_used_at = moment


def _user_pk(principal: Principal) -> int:
    return int(principal.id.removeprefix(USER_PREFIX))
