"""The platform's clock. Deadlines, SLAs and validity periods depend on "now" and "today", so
tests (and a replay of a missed day) set it instead of waiting: ``with clock.frozen(dt): ...``.
Use cases read it; event appliers never do (they replay what the command recorded)."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

from django.utils import timezone

_frozen: datetime | None = None


def now() -> datetime:
    return _frozen or timezone.now()


def today() -> date:
    """Today's date in Indonesia (Asia/Jakarta): deadlines are calendar days there."""
    return timezone.localdate(now())


@contextmanager
def frozen(at: datetime) -> Iterator[datetime]:
    global _frozen
    previous, _frozen = _frozen, at
    try:
        yield at
    finally:
        _frozen = previous


def today_of(at: datetime) -> date:
    """The Indonesian calendar date of an instant (e.g. the day an application was filed)."""
    return timezone.localdate(at)
