"""What runs after events commit, registered once at start-up (``EventStoreConfig.ready``).

The store announces "events committed on context X"; the projection runner listens. Wiring
it this way keeps imports one-directional (store <- projections <- tasks), so no module
imports its caller."""

from collections.abc import Callable

CommitListener = Callable[[str], None]
_listeners: list[CommitListener] = []


def on_events_committed(listener: CommitListener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def events_committed(context: str) -> None:
    for listener in _listeners:
        listener(context)
