"""A real e-mail backend that fails the first ``FAILURES`` sends (a flaky SMTP server)."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class FlakyBackend(EmailBackend):
    FAILURES = 2
    attempts = 0

    def send_messages(self, messages):
        FlakyBackend.attempts += 1
        if FlakyBackend.attempts <= FlakyBackend.FAILURES:
            raise smtplib.SMTPServerDisconnected("server hilang")
        return super().send_messages(messages)
