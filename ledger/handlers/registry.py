"""The registry of handlers: which function runs which command type."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar, cast

from ledger.commands import Command
from ledger.unit_of_work import UnitOfWork

C = TypeVar("C", bound=Command[object])
R = TypeVar("R")

Handler = Callable[[C, UnitOfWork], R]
Locks = Callable[[C, UnitOfWork], tuple[str | None, ...]]
AnyHandler = Callable[[Command[object], UnitOfWork], object]
AnyLocks = Callable[[Command[object], UnitOfWork], tuple[str | None, ...]]


@dataclass(frozen=True, slots=True)
class Registered:
    handle: AnyHandler
    locks: AnyLocks | None


_HANDLERS: dict[type[Command[object]], Registered] = {}


def handles(
    command_type: type[C], *, locks: Locks[C] | None = None
) -> Callable[[Handler[C, R]], Handler[C, R]]:
    """Register the decorated function as the handler of ``command_type``."""

    def register(handler: Handler[C, R]) -> Handler[C, R]:
        if command_type in _HANDLERS:
            raise TypeError(f"{command_type.__name__} has a handler already")
        _HANDLERS[command_type] = Registered(
            handle=cast("AnyHandler", handler),
            locks=cast("AnyLocks | None", locks),
        )
        return handler

    return register


def handler_for(command: Command[R]) -> Callable[[UnitOfWork], R]:
    """The handler of ``command``'s type, bound to it."""
    found = _registered(command)
    return cast("Callable[[UnitOfWork], R]", lambda uow: found.handle(command, uow))


def locks_for(command: Command[object], uow: UnitOfWork) -> tuple[str | None, ...]:
    """The codes ``command`` takes turns on."""
    found = _registered(command)
    return command.locks() if found.locks is None else found.locks(command, uow)


def _registered(command: Command[object]) -> Registered:
    try:
        return _HANDLERS[type(command)]
    except KeyError:
        raise TypeError(f"no handler for {type(command).__name__}") from None
