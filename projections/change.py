"""A change: one event of the log as the runner hands it to every view.

The runner decodes each event once and computes its lines once
(``movements.lines_of``); a ``Change`` carries both, with the event's log
position. A view says which event classes it uses by marking the methods
that apply them with ``@handles``; the runner reads only those events'
topics, and calls each method with the batch's session, the event and its
lines — the view writes through that session and opens no transaction of
its own, so its rows and its tracking record commit together.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from projections.movements import Line

E = TypeVar("E")
S = TypeVar("S")

Method = Callable[[S, Session, E, Sequence[Line]], None]
"""A view's method that applies one event: (view, session, event, lines)."""
Handler = Callable[[Session, Any, Sequence[Line]], None]
"""The same method bound to its view, as the runner calls it."""

_MARK = "_handles_events"


@dataclass(frozen=True, slots=True)
class Change:
    """One event of the log, decoded, with the lines it stands for."""

    event: object
    position: int
    lines: Sequence[Line]


def handles(*classes: type[E]) -> Callable[[Method[S, E]], Method[S, E]]:
    """Mark a view's method as the one that applies events of ``classes``
    (the concrete classes the ledger stores, not a base class)."""

    def mark(method: Method[S, E]) -> Method[S, E]:
        setattr(method, _MARK, classes)
        return method

    return mark


def declared_handlers(namespace: Mapping[str, object]) -> dict[type, str]:
    """Event class → name of the method marked to apply it, in one class body."""
    found: dict[type, str] = {}
    for name, member in namespace.items():
        for event_class in getattr(member, _MARK, ()):
            if event_class in found:
                raise TypeError(
                    f"{event_class.__qualname__} is applied by both "
                    f"{found[event_class]} and {name}"
                )
            found[event_class] = name
    return found
