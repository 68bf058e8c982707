"""One runner for both databases: pull the log in batches, apply each batch once.

``ReadModels`` builds the view of every read model of the registry
(``projections.registry``) and keeps them at one log position. ``catch_up``
reads the notification log from that position in batches (only the topics
the views handle), decodes each event once and computes its lines once, and
applies each batch in one transaction: first the tracking records move from
the batch's start to its end (compare-and-set, so two runners never both
apply a batch), then every view applies the events with that transaction's
session, then the views write what they gathered. If the process dies, the
transaction is rolled back and the next run starts from the same position:
every event is applied exactly once.

The views apply the batch in runs: every view takes a run of events in turn
(so a view could apply its run set-based), and an event that some view
handles by reading stored rows (``View.flush_before``: a move) ends a run —
every view writes what it holds, then the event is a run of its own.

The same code serves SQLite and PostgreSQL. ``follow`` keeps catching up
until told to stop: on PostgreSQL it sleeps on ``LISTEN`` for the ledger's
``NOTIFY`` (sent with every write), on SQLite it polls. It runs in a thread of
the API process (the embedded default, where a write may also simply call
``catch_up`` before it answers) or as a process of its own. ``wait`` blocks
until the read models reach a position a writer got (read-your-writes).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any, TypeVar
from uuid import UUID

import psycopg
from eventsourcing.application import Application
from eventsourcing.persistence import Notification, OperationalError
from eventsourcing_sqlalchemy.factory import SQLAlchemyFactory
from eventsourcing_sqlalchemy.recorders import SQLAlchemyApplicationRecorder
from sqlalchemy import literal, select, union_all
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from ledger.wording import says
from projections import errors
from projections.balances import BalancesView
from projections.campaigns import CampaignsView
from projections.change import Change
from projections.hierarchy import HierarchyView
from projections.journal import JournalView
from projections.movements import lines_of
from projections.registry import READ_MODELS, TOPICS, topics_of
from projections.summary import SummaryView
from projections.view import (
    APPLICATION,
    LIVE_PREFIX,
    ProjectionConflict,
    View,
    Views,
)

__all__ = ["BATCH", "REBUILD_BATCH", "TOPICS", "Follower", "ReadModels"]

logger = logging.getLogger(__name__)
V = TypeVar("V", bound=View)

BATCH = 1_000
REBUILD_BATCH = 5_000
BUSY_RETRIES = 5
STOP_CHECK = 0.2
"""Seconds between looks at a stop request while waiting for NOTIFY."""


class ReadModels:
    """The read models of a ledger, kept at one position of its event log."""

    def __init__(
        self,
        app: Application[UUID],
        *,
        prefix: str = LIVE_PREFIX,
        batch_size: int = BATCH,
        models: Sequence[type[View]] = READ_MODELS,
    ) -> None:
        """The views of ``models`` (the registry's read models) over the
        log of ``app``, their tables named ``<prefix>…``."""
        factory = app.factory
        if not isinstance(factory, SQLAlchemyFactory):
            raise errors.Unsupported(says("store.needs_database"))
        recorder = app.recorder
        assert isinstance(recorder, SQLAlchemyApplicationRecorder)  # noqa: S101
        self.app = app
        self.recorder = recorder
        self.datastore = factory.datastore
        self.batch_size = batch_size
        self.models = tuple(models)
        built = Views()
        for cls in self.models:
            built.add(cls(self.datastore, prefix=prefix, earlier=built))
        self._views = built
        self.views: tuple[View, ...] = tuple(built)
        self.topics = topics_of(self.models)
        self._flush_before = frozenset(
            cls for view in self.views for cls in view.flush_before
        )
        self.create_tables()
        self._lock = threading.RLock()
        self._advanced = threading.Condition()
        self._position: int | None = None
        self._known = False

    def view(self, cls: type[V]) -> V:
        """The view of a registered read model, by its class."""
        return self._views[cls]

    # The registry's read models that the read side's callers reach by name.

    @property
    def hierarchy(self) -> HierarchyView:
        return self.view(HierarchyView)

    @property
    def journal(self) -> JournalView:
        return self.view(JournalView)

    @property
    def balances(self) -> BalancesView:
        return self.view(BalancesView)

    @property
    def summary(self) -> SummaryView:
        return self.view(SummaryView)

    @property
    def campaigns(self) -> CampaignsView:
        return self.view(CampaignsView)

    @property
    def engine(self) -> Engine:
        engine = self.datastore.engine
        assert isinstance(engine, Engine)  # noqa: S101 -- built from a URL
        return engine

    def create_tables(self) -> None:
        for view in self.views:
            view.create_table()

    # ---- positions -----------------------------------------------------------------

    def position(self) -> int:
        """The log position every read model has applied (0: none yet).

        One statement reads every tracking record, so a runner committing a
        batch meanwhile cannot make the views look out of step.
        """
        tracked = union_all(
            *(
                select(
                    literal(view.name).label("view"),
                    view.tracking_table.c.notification_id,
                ).where(view.tracking_table.c.application_name == APPLICATION)
                for view in self.views
            )
        )
        with self.engine.connect() as conn:
            found = dict(conn.execute(tracked).tuples().all())
        positions = {found.get(view.name) for view in self.views}
        if len(positions) != 1:
            raise errors.OutOfStep(
                says(
                    "readmodels.out_of_step",
                    positions=sorted(p or 0 for p in positions),
                )
            )
        return positions.pop() or 0

    def head(self) -> int:
        """The last position of the event log."""
        return self.recorder.max_notification_id() or 0

    # ---- catching up ----------------------------------------------------------------

    def catch_up(self, until: int | None = None, batch_size: int | None = None) -> int:
        """Apply the log up to ``until`` (default: its end); returns the position."""
        size = batch_size or self.batch_size
        with self._lock:
            busy = 0
            while True:
                start = self._start()
                stop = self.head() if until is None else until
                if start >= stop:
                    return start
                notifications = self._read(start, stop, size)
                if len(notifications) == size:
                    stop = notifications[-1].id
                try:
                    self._apply(start, stop, notifications)
                except ProjectionConflict:
                    logger.info("another runner applied positions after %s", start)
                    self._known = False
                    continue
                except OperationalError:
                    busy += 1
                    if busy > BUSY_RETRIES:
                        raise
                    self._known = False
                    time.sleep(0.05 * busy)
                    continue
                busy = 0
                with self._advanced:
                    self._position, self._known = stop, True
                    self._advanced.notify_all()

    def _start(self) -> int:
        if not self._known:
            self._position, self._known = self.position(), True
        return self._position or 0

    def _read(self, start: int, stop: int, limit: int) -> list[Notification]:
        """The next notifications a read model uses (the recorder's query, in
        SQLAlchemy Core rather than the ORM: a rebuild reads them all)."""
        events = self.recorder.events_record_cls.__table__
        query = (
            select(
                events.c.id,
                events.c.originator_id,
                events.c.originator_version,
                events.c.topic,
                events.c.state,
            )
            .where(
                events.c.id > start,
                events.c.id <= stop,
                events.c.topic.in_(self.topics),
            )
            .order_by(events.c.id)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [
                Notification(
                    id=row.id,
                    originator_id=row.originator_id,
                    originator_version=row.originator_version,
                    topic=row.topic,
                    state=bytes(row.state),
                )
                for row in conn.execute(query)
            ]

    def _apply(
        self, start: int, stop: int, notifications: Sequence[Notification]
    ) -> None:
        to_domain_event = self.app.mapper.to_domain_event
        changes = []
        for notification in notifications:
            event = to_domain_event(notification)
            position = notification.id
            changes.append(Change(event, position, lines_of(event, position)))
        try:
            with self.datastore.transaction(commit=True) as session:
                for view in self.views:
                    view.advance(session, start or None, stop)
                for view in self.views:
                    view.begin(session)
                self._apply_changes(session, changes)
                for view in self.views:
                    view.flush(session)
        except BaseException:
            for view in self.views:
                view.discard()
            raise

    def _apply_changes(self, session: Session, changes: Sequence[Change]) -> None:
        """Hand the changes to every view in runs, each event that a view
        applies by reading stored rows a run of its own after a flush."""
        run_start = 0
        for index, change in enumerate(changes):
            if type(change.event) in self._flush_before:
                self._apply_run(session, changes[run_start:index])
                for view in self.views:
                    view.flush(session)
                self._apply_run(session, changes[index : index + 1])
                run_start = index + 1
        self._apply_run(session, changes[run_start:])

    def _apply_run(self, session: Session, run: Sequence[Change]) -> None:
        if run:
            for view in self.views:
                view.apply(session, run)

    def rebuild(self) -> int:
        """Drop the read models and replay the whole log into them."""
        with self._lock:
            for view in self.views:
                view.discard()
                view.drop_tables()
            self.create_tables()
            self._position, self._known = None, True
            return self.catch_up(batch_size=REBUILD_BATCH)

    def drop(self) -> None:
        """Drop the read models' tables (a scratch copy's, after ``verify``)."""
        with self._lock:
            for view in self.views:
                view.discard()
                view.drop_tables()
            self._known = False

    # ---- following and waiting ---------------------------------------------------

    def wait(self, position: int, timeout: float = 5.0) -> int:
        """Block until the read models have applied ``position``; returns theirs.

        Raises ``projections.errors.WaitTimeout`` after ``timeout`` seconds.
        """
        deadline = time.monotonic() + timeout
        pause = 0.002
        while True:
            current = self.position()
            if current >= position:
                return current
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise errors.WaitTimeout(
                    says(
                        "readmodels.lag",
                        current=current,
                        position=position,
                        timeout=timeout,
                    )
                )
            with self._advanced:
                self._advanced.wait(min(pause, remaining))
            pause = min(pause * 2, 0.05)

    def follow(self, stop: threading.Event, poll_interval: float = 0.5) -> None:
        """Catch up, then wait for new events, until ``stop`` is set.

        Errors are logged and retried after ``poll_interval`` (with a new
        LISTEN connection): a database that restarts does not end the runner.
        """
        while not stop.is_set():
            try:
                with self._wake_ups(poll_interval) as wait_for_news:
                    while not stop.is_set():
                        self.catch_up()
                        wait_for_news(stop)
            except Exception:
                logger.exception("following the log failed; trying again")
                stop.wait(poll_interval)

    def start(self, poll_interval: float = 0.5) -> Follower:
        """Follow the log in a background thread (stop it with ``.stop()``)."""
        return Follower(self, poll_interval)

    @contextlib.contextmanager
    def _wake_ups(self, poll_interval: float) -> Iterator[Any]:
        """A function that waits for news: NOTIFY on PostgreSQL, a pause on SQLite."""
        if self.engine.dialect.name != "postgresql":
            yield lambda stop: stop.wait(poll_interval)
            return
        url = self.engine.url.set(drivername="postgresql")
        with psycopg.connect(
            url.render_as_string(hide_password=False), autocommit=True
        ) as connection:
            connection.execute(f"LISTEN {self.recorder.channel_name}")

            def wait_for_news(stop: threading.Event) -> None:
                deadline = time.monotonic() + poll_interval
                while not stop.is_set():
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        return
                    # Short waits, so that a stop request is seen quickly.
                    wake = min(remaining, STOP_CHECK)
                    for _ in connection.notifies(timeout=wake, stop_after=1):
                        return

            yield wait_for_news


class Follower:
    """A thread that keeps a ``ReadModels`` caught up with the log."""

    def __init__(self, read_models: ReadModels, poll_interval: float) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=read_models.follow,
            args=(self._stop, poll_interval),
            name="read-models",
            daemon=True,
        )
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._thread.join(timeout)
