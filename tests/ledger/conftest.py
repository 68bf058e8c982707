"""Fixtures for the write model's given-when-then tests: no database.

Every ledger here runs on the library's in-memory (POPO) store, and its
business clock is stopped at 30 June 2023 (``TODAY``). ``nghe_an`` is the
usual "given": a small slice of the Nghệ An hierarchy::

    NA            province  registered 2000-01-01
    ├── NA-DC     district  registered 2000-01-01
    │   ├── NA-DC-X01       commune   registered 2010-03-15
    │   │   └── NA-DC-X01-B1  branch  registered 2015-01-01
    │   └── NA-DC-X02       commune   registered 2010-03-15
    └── NA-ND     district  registered 2000-01-01

``nothing_recorded`` is the "then" of a refused command: used as
``with nothing_recorded, pytest.raises(errors.X):`` it fails the test if the
event log moved while the command ran.

``another_process(ledger)`` is a second ``Ledger`` on the same in-memory
store, sharing no cache and no locks with the first — what a writer in
another process is — so tests can stage a race without threads.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date
from types import TracebackType

import pytest
from eventsourcing.persistence import ApplicationRecorder

from ledger import Ledger

TODAY = date(2023, 6, 30)


@pytest.fixture
def ledger() -> Ledger:
    """An empty ledger in memory whose today is 30 June 2023."""
    return Ledger("memory:", today=lambda: TODAY)


@pytest.fixture
def nghe_an(ledger: Ledger) -> Ledger:
    """The ``ledger`` fixture, given the small hierarchy of the module docstring."""
    ledger.register_organisation(
        "NA",
        name="Hội Khuyến học tỉnh Nghệ An",
        level="province",
        registered_on=date(2000, 1, 1),
    )
    for code, name in [("NA-DC", "Diễn Châu"), ("NA-ND", "Nam Đàn")]:
        ledger.register_organisation(
            code,
            name=f"Hội Khuyến học huyện {name}",
            level="district",
            parent_code="NA",
            registered_on=date(2000, 1, 1),
        )
    for code in ["NA-DC-X01", "NA-DC-X02"]:
        ledger.register_organisation(
            code,
            name=f"Hội Khuyến học xã {code[-3:]}",
            level="commune",
            parent_code="NA-DC",
            registered_on=date(2010, 3, 15),
        )
    ledger.register_organisation(
        "NA-DC-X01-B1",
        name="Chi hội khối 1",
        level="branch",
        parent_code="NA-DC-X01",
        registered_on=date(2015, 1, 1),
    )
    return ledger


class NothingRecorded(AbstractContextManager[None]):
    """Fails on exit if the ledger's event log grew inside the ``with`` block."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger
        self._before: int | None = None

    def __enter__(self) -> None:
        self._before = self._ledger.recorder.max_notification_id()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc_type is not None:
            return  # the block failed already; let that failure speak
        after = self._ledger.recorder.max_notification_id()
        assert after == self._before, (
            f"a refused command recorded events {self._before} → {after}"
        )


@pytest.fixture
def nothing_recorded(ledger: Ledger) -> AbstractContextManager[None]:
    return NothingRecorded(ledger)


class AnotherProcess(Ledger):
    """A ``Ledger`` that stores its events in another ledger's recorder."""

    def __init__(self, shared: Ledger) -> None:
        self._shared_recorder = shared.recorder
        super().__init__("memory:", today=lambda: TODAY)

    def construct_recorder(self) -> ApplicationRecorder:
        return self._shared_recorder


@pytest.fixture
def another_process() -> Callable[[Ledger], Ledger]:
    return AnotherProcess
