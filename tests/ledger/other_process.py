"""A ``Ledger`` in a real second process, driven from the test's process.

``OtherProcess(url, today)`` spawns a fresh Python interpreter (the ``spawn``
start method: nothing inherited — no cache, no lock, no connection) that opens
its own ``Ledger`` on the same database and runs the commands it is sent, one
at a time, answering each before the test goes on. Used as
``other.receive_donation(...)`` it is what a clerk at another computer is;
a refusal comes back as the same ``CodedError`` class, with its fields.

Every wait has a deadline, and ``close()`` (called by the fixture in a
``finally``) stops the child: politely, then by force.
"""

from __future__ import annotations

import contextlib
import importlib
import multiprocessing
from collections.abc import Callable, Mapping
from datetime import date
from multiprocessing.connection import Connection
from typing import cast

from ledger import Ledger
from ledger.errors import CodedError

ANSWER_TIMEOUT = 60.0
"""Seconds a command in the child may take before the test fails."""
START_TIMEOUT = 60.0

Request = tuple[str, tuple[object, ...], Mapping[str, object]]


def _serve(conn: Connection, url: str, today: date) -> None:
    """The child's loop: open the ledger, run each request, answer it."""
    ledger = Ledger(url, today=lambda: today)
    try:
        conn.send(("ready", None))
        while True:
            if not conn.poll(ANSWER_TIMEOUT * 10):
                return  # the test's process is gone
            request: Request | None = conn.recv()
            if request is None:
                return
            name, args, kwargs = request
            try:
                result = getattr(ledger, name)(*args, **kwargs)
            except CodedError as error:
                conn.send(("refused", _portable(error)))
            else:
                conn.send(("ok", result))
    finally:
        ledger.close()
        conn.close()


def _portable(error: CodedError) -> tuple[str, str, str, dict[str, object]]:
    cls = type(error)
    return cls.__module__, cls.__qualname__, error.message, dict(vars(error))


def _rebuilt(
    module: str, qualname: str, message: str, state: dict[str, object]
) -> CodedError:
    cls: object = importlib.import_module(module)
    for part in qualname.split("."):
        cls = getattr(cls, part)
    assert isinstance(cls, type)
    assert issubclass(cls, CodedError)
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    vars(error).update(state)
    return error


class OtherProcess:
    """A proxy for a ``Ledger`` running in a spawned child process."""

    def __init__(self, url: str, today: date) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child_end = context.Pipe()
        self._process = context.Process(
            target=_serve, args=(child_end, url, today), daemon=True
        )
        self._process.start()
        child_end.close()
        self.pid = self._process.pid
        try:
            self._answer(START_TIMEOUT)
        except BaseException:
            self.close()
            raise

    def _answer(self, timeout: float) -> object:
        if not self._conn.poll(timeout):
            raise TimeoutError(f"the other process gave no answer in {timeout} s")
        kind, payload = cast(tuple[str, object], self._conn.recv())
        if kind == "refused":
            raise _rebuilt(*cast(tuple[str, str, str, dict[str, object]], payload))
        return payload

    def call(self, name: str, *args: object, **kwargs: object) -> object:
        """Run the ledger method ``name`` in the child; its result or its error."""
        self._conn.send((name, args, kwargs))
        return self._answer(ANSWER_TIMEOUT)

    def __getattr__(self, name: str) -> Callable[..., object]:
        if name.startswith("_"):
            raise AttributeError(name)

        def method(*args: object, **kwargs: object) -> object:
            return self.call(name, *args, **kwargs)

        return method

    def close(self) -> None:
        """Stop the child: ask, wait, then terminate and kill if it lingers."""
        try:
            if self._process.is_alive():
                with contextlib.suppress(OSError):
                    self._conn.send(None)
                self._process.join(timeout=10)
        finally:
            if self._process.is_alive():
                self._process.terminate()
                self._process.join(timeout=5)
            if self._process.is_alive():
                self._process.kill()
                self._process.join(timeout=5)
            self._conn.close()
