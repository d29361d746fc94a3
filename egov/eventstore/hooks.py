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


# Observability (egov.observability.metrics counts appended events per context): told how many
# events one commit appended.
AppendListener = Callable[[str, int], None]
_append_listeners: list[AppendListener] = []


def on_events_appended(listener: AppendListener) -> None:
    if listener not in _append_listeners:
        _append_listeners.append(listener)


def events_appended(context: str, count: int) -> None:
    for listener in _append_listeners:
        listener(context, count)
