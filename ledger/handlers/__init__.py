"""Handlers: for each command type, the function that runs it on a unit of work.

A handler takes the command and a unit of work (``ledger.unit_of_work``) and
nothing else: it loads the aggregates it needs, calls the domain (which checks
the rules and triggers events) and saves once. ``@handles(CommandType)``
registers it; ``handler_for(command)`` finds it. A handler may also say which
codes to take turns on when they are only known after a look-up (a reversal
finds the other side of a transfer); by default they are the command's
``locks()``.

The registry maps a type to a function, which Python's type system cannot
pair up; ``handles`` is the one place that checks the pairing (its
signature), and ``handler_for`` the one cast back.
"""

# The handler modules register themselves on import.
from ledger.handlers import (
    approvals,
    campaigns,
    endowments,
    entries,
    learning,
    organisations,
    periods,
    restructuring,
)
from ledger.handlers.registry import handler_for, handles, locks_for

__all__ = [
    "approvals",
    "campaigns",
    "endowments",
    "entries",
    "handler_for",
    "handles",
    "learning",
    "locks_for",
    "organisations",
    "periods",
    "restructuring",
]
