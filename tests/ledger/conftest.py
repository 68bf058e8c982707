"""Fixtures for the write model's given-when-then tests, on every store.

Every test taking ``ledger`` runs three times: on the library's in-memory
(POPO) store, on a fresh SQLite file and on a fresh PostgreSQL schema
(``store_url``; the PostgreSQL variant is marked ``postgres`` and, like every
PostgreSQL test, fails rather than skips in CI). The business clock is
stopped at 30 June 2023 (``TODAY``). ``nghe_an`` is the
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

``another_process(ledger)`` is a second writer on the same store, sharing
no cache and no locks with the first, so tests can stage a race without
threads. On SQLite and PostgreSQL it is a real second process
(``tests.ledger.other_process``: a spawned interpreter with its own
``Ledger`` and connections, stopped when the test ends); on the in-memory
store, which no other process can reach, it is a second ``Ledger`` on the
same recorder.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import cast

import pytest
from eventsourcing.persistence import ApplicationRecorder

from ledger import Ledger
from tests import stores
from tests.ledger.other_process import OtherProcess

TODAY = date(2023, 6, 30)
STORES = ["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture
def fast_folder() -> Iterator[Path]:
    """A new folder for SQLite files, in memory where possible
    (``tests.stores.fast_folder``)."""
    with stores.fast_folder() as folder:
        yield folder


@pytest.fixture(params=STORES)
def store_url(request: pytest.FixtureRequest) -> str:
    """``memory:``, a new SQLite file or an emptied PostgreSQL schema, in turn.

    The PostgreSQL tables are emptied before each test rather than created
    anew: a few milliseconds instead of a few hundred, for the same empty
    event store (only the notification ids go on counting)."""
    if request.param == "memory":
        return "memory:"
    if request.param == "sqlite":
        folder = Path(request.getfixturevalue("fast_folder"))
        return f"sqlite:///{folder / 'ledger.sqlite3'}"
    schema: stores.LedgerSchema = request.getfixturevalue("ledger_schema")
    return schema.emptied()


@pytest.fixture
def ledger(store_url: str) -> Iterator[Ledger]:
    """An empty ledger on ``store_url`` whose today is 30 June 2023."""
    ledger = Ledger(store_url, today=lambda: TODAY)
    try:
        yield ledger
    finally:
        ledger.close()


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
def another_process(store_url: str) -> Iterator[Callable[[Ledger], Ledger]]:
    """Opens a second writer on the store of the ledger it is given."""
    children: list[OtherProcess] = []

    def other(shared: Ledger) -> Ledger:
        if store_url == "memory:":
            return AnotherProcess(shared)
        child = OtherProcess(store_url, TODAY)
        children.append(child)
        return cast(Ledger, child)

    try:
        yield other
    finally:
        for child in children:
            child.close()
