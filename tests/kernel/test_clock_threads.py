"""The clock frozen by two threads at once runs again once both are done (the bansos
concurrency tests freeze it in each writer thread; a leaked frozen day broke later tests)."""

import threading
from datetime import UTC, datetime

from egov import clock

AT = datetime(2025, 1, 8, 4, 0, tzinfo=UTC)


def test_two_threads_freezing_at_once_leave_the_clock_running():
    both_frozen = threading.Barrier(2)
    first_done = threading.Event()

    def freeze(wait_for: threading.Event | None, done: threading.Event | None) -> None:
        with clock.frozen(AT):
            both_frozen.wait()
            if wait_for is not None:
                wait_for.wait()
        if done is not None:
            done.set()

    first = threading.Thread(target=freeze, args=(None, first_done))
    second = threading.Thread(target=freeze, args=(first_done, None))
    first.start()
    second.start()
    first.join()
    second.join()

    assert clock.now() != AT
    assert clock.today() > AT.date()


def test_nested_blocks_restore_the_outer_time():
    later = datetime(2026, 11, 29, 1, 0, tzinfo=UTC)
    with clock.frozen(AT):
        with clock.frozen(later):
            assert clock.now() == later
        assert clock.now() == AT
    assert clock.now() != AT
