"""Use cases of the notifikasi context: create (exactly once), send, fail for good, resend.

Sending is a Celery task (``notifikasi_kirim``) enqueued by name after the commit: this module
never imports the tasks module."""

from __future__ import annotations

import smtplib
import uuid

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from apps.notifikasi.domain import GAGAL, PESAN, Notifikasi, notification_id
from apps.notifikasi.roles import require_petugas
from apps.notifikasi.store import store
from egov.db import atomic, enqueue_on_commit
from egov.eventstore.domain import EventMetadata, InvalidState
from egov.eventstore.store import ConcurrencyError
from egov.portal.accounts import contact_email_for
from egov.principals import Principal

ALIAS = "notifikasi"
TASK_KIRIM = "notifikasi_kirim"
KANAL_EMAIL = "email"
MSG_TANPA_ALAMAT = gettext_noop("Warga tidak memiliki alamat e-mail terdaftar.")
MSG_TIDAK_DITEMUKAN = gettext_noop("Notifikasi tidak ditemukan.")


class TemporaryFailure(Exception):
    """The mail server failed in a way worth retrying."""


def notifikasi_buat(
    *,
    subject_id: str,
    sumber_event_id: str,
    jenis: str,
    metadata: EventMetadata,
    kanal: str = KANAL_EMAIL,
) -> uuid.UUID | None:
    """Create the notification of one source event on one channel, once: a second call for
    the same event finds its stream taken and adds nothing (returns None)."""
    notification = Notifikasi.buat(
        subject_id=subject_id, sumber_event_id=sumber_event_id, jenis=jenis, kanal=kanal
    )
    try:
        with atomic(ALIAS):
            if not store.save(notification, metadata):
                return None
            _schedule(notification.id)
    except ConcurrencyError:
        return None
    return notification.id


def _load(notifikasi_id: uuid.UUID) -> Notifikasi:
    notification = store.get(Notifikasi, notifikasi_id)
    if not notification.exists:
        raise InvalidState(MSG_TIDAK_DITEMUKAN, code="tidak_ditemukan")
    return notification


def _record(notifikasi_id: uuid.UUID, change, metadata: EventMetadata) -> Notifikasi:
    with atomic(ALIAS):
        notification = _load(notifikasi_id)
        change(notification)
        store.save(notification, metadata)
    return notification


def notifikasi_kirim(*, notifikasi_id: uuid.UUID, metadata: EventMetadata) -> str:
    """One delivery attempt. Raises TemporaryFailure (after recording it) when a retry may
    succeed; permanent failures are recorded and end the notification."""
    notification = _load(notifikasi_id)
    if not notification.boleh_dikirim():
        return notification.status
    _record(notifikasi_id, lambda n: n.mulai_kirim(), metadata)
    address = contact_email_for(notification.subject_id)
    if not address:
        _record(notifikasi_id, lambda n: n.gagal(alasan=MSG_TANPA_ALAMAT, permanen=True), metadata)
        return GAGAL
    subject, body = PESAN[notification.jenis]
    try:
        # The citizen's language, not that of whoever caused the send (an officer's request
        # in English, a worker): the platform's (Indonesian) until citizens choose one.
        with override(settings.LANGUAGE_CODE):
            subject, body = _(subject), _(body)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    except smtplib.SMTPRecipientsRefused as error:
        reason = str(error)
        _record(notifikasi_id, lambda n: n.gagal(alasan=reason, permanen=True), metadata)
        return GAGAL
    except (smtplib.SMTPException, OSError) as error:
        reason = str(error) or type(error).__name__
        _record(notifikasi_id, lambda n: n.gagal(alasan=reason, permanen=False), metadata)
        raise TemporaryFailure(reason) from error
    return _record(notifikasi_id, lambda n: n.terkirim(), metadata).status


def notifikasi_gagal_permanen(
    *, notifikasi_id: uuid.UUID, alasan: str, metadata: EventMetadata
) -> None:
    _record(notifikasi_id, lambda n: n.gagal(alasan=alasan, permanen=True), metadata)


def notifikasi_kirim_ulang(
    *, principal: Principal, notifikasi_id: uuid.UUID, metadata: EventMetadata
) -> None:
    """An officer sends a failed notification again (even a permanent failure)."""
    require_petugas(principal)
    with atomic(ALIAS):
        notification = _load(notifikasi_id)
        notification.kirim_ulang(oleh=metadata.actor)
        store.save(notification, metadata)
        _schedule(notifikasi_id)


def notification_for(source_event_id: str, kanal: str = KANAL_EMAIL) -> uuid.UUID:
    return notification_id(source_event_id, kanal)


def _schedule(notifikasi_id: uuid.UUID) -> None:
    enqueue_on_commit(ALIAS, TASK_KIRIM, str(notifikasi_id))
