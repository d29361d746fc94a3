"""Deciding citizen accounts' NIK claims (use cases of the kernel's account side).

A NIK typed at sign-up is only a claim: the account sees nothing of that NIK's records and
receives none of its notifications until a Dukcapil officer, with the person and their
documents in front of them (at biometric recording or any counter), verifies it. Several
accounts may claim one NIK, so a false claim never locks the real owner out; at most one is
verified, and an officer resolves a dispute by withdrawing one claim and verifying the other.
Every decision is an event (``KlaimNIKDiputuskan``) in the identity authority's store, so the
audit trail shows who decided what and why.
"""

import uuid

from django.conf import settings
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext_noop

from egov.db import atomic
from egov.eventstore.domain import InvalidState
from egov.eventstore.store import get_store
from egov.eventstore.subject_events import KlaimNIKDiputuskan
from egov.portal.models import DICABUT, DIKLAIM, DITOLAK, TERVERIFIKASI, CitizenProfile
from egov.principals import Principal, require

MSG_BUKAN_PETUGAS = gettext_noop("Hanya petugas Dukcapil yang dapat memutuskan klaim NIK.")
MSG_SUDAH_ADA = gettext_noop(
    "NIK ini sudah terverifikasi pada akun lain. Cabut klaim akun itu terlebih dahulu bila "
    "klaimnya keliru."
)
MSG_STATUS = gettext_noop("Klaim ini tidak dalam status yang dapat diputuskan seperti itu.")
ALLOWED_FROM = {
    TERVERIFIKASI: {DIKLAIM},
    DITOLAK: {DIKLAIM},
    DICABUT: {TERVERIFIKASI},
}


def verify_claim(*, principal: Principal, profile_id: int, reason: str = "") -> CitizenProfile:
    return _decide(
        principal=principal, profile_id=profile_id, decision=TERVERIFIKASI, reason=reason
    )


def reject_claim(*, principal: Principal, profile_id: int, reason: str) -> CitizenProfile:
    return _decide(principal=principal, profile_id=profile_id, decision=DITOLAK, reason=reason)


def withdraw_claim(*, principal: Principal, profile_id: int, reason: str) -> CitizenProfile:
    return _decide(principal=principal, profile_id=profile_id, decision=DICABUT, reason=reason)


def _decide(*, principal: Principal, profile_id: int, decision: str, reason: str):
    require(principal.has_role(settings.IDENTITY_OFFICER_ROLE), MSG_BUKAN_PETUGAS)
    store = get_store(settings.IDENTITY_CONTEXT)
    # The account row is locked first; the event commits (identity store) just before the
    # account row (default): a crash between the two leaves a decision the officer redoes.
    with atomic("default"):
        profile = CitizenProfile.objects.select_for_update().get(pk=profile_id)
        if profile.status not in ALLOWED_FROM[decision]:
            raise InvalidState(MSG_STATUS, code="status_klaim")
        profile.status = decision
        profile.diputuskan_oleh = principal.name
        profile.diputuskan_pada = timezone.now()
        try:
            with atomic("default"):
                profile.save()
        except IntegrityError:  # the partial unique index: one verified account per NIK
            raise InvalidState(MSG_SUDAH_ADA, code="nik_sudah_terverifikasi") from None
        with atomic(store.alias):
            _record(store, principal, profile, decision, reason)
    return profile


def _record(store, principal: Principal, profile: CitizenProfile, decision: str, reason: str):
    store.append(
        stream_id=uuid.uuid4(),
        stream_type="KlaimNIK",
        expected_version=0,
        events=[
            KlaimNIKDiputuskan(
                subject_id=profile.subject_id,
                akun=f"user:{profile.user_id}",
                keputusan=decision,
                alasan=reason,
            )
        ],
        metadata=principal.metadata(source="admin", reason=reason),
    )
