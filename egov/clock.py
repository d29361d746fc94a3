"""The platform's clock. Deadlines, SLAs and validity periods depend on "now" and "today", so
tests (and a replay of a missed day) set it instead of waiting: ``with clock.frozen(dt): ...``.
Use cases read it; event appliers never do (they replay what the command recorded)."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

from django.utils import timezone

# The times set, innermost last. Process-wide (a worker thread a test starts reads it too),
# so threads freezing at once must not restore each other's value on the way out: each block
# removes its own entry, and the clock runs again once every block has ended.
_frozen: list[datetime] = []
_lock = threading.Lock()


def now() -> datetime:
    with _lock:
        return _frozen[-1] if _frozen else timezone.now()


def today() -> date:
    """Today's date in Indonesia (Asia/Jakarta): deadlines are calendar days there."""
    return timezone.localdate(now())


@contextmanager
def frozen(at: datetime) -> Iterator[datetime]:
    with _lock:
        _frozen.append(at)
    try:
        yield at
    finally:
        with _lock:
            _frozen.reverse()  # remove this block's entry: the last one equal to it
            _frozen.remove(at)
            _frozen.reverse()


def today_of(at: datetime) -> date:
    """The Indonesian calendar date of an instant (e.g. the day an application was filed)."""
    return timezone.localdate(at)
