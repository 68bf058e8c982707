"""Move a ledger to another database — an office's SQLite file to PostgreSQL.

``migrate(source, target)`` copies the event log with its positions and its
seals (``api.ops.replay.copy_log``: the seals still verify on the target, and a
seal hash printed before the move still checks), the aggregates' snapshots
and the API's tokens (their events with their positions and seals, and their
lookup table), all in ONE
transaction on the target: a copy
that fails or is killed half-way leaves the target as it was. The target must
hold no ledger yet. Then it rebuilds the target's read models from the copied
log and runs ``verify`` there. Idempotency answers are not copied: a client
re-sending a request after the move is still protected by its voucher number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from eventsourcing_sqlalchemy.factory import SQLAlchemyFactory
from eventsourcing_sqlalchemy.recorders import SQLAlchemyAggregateRecorder
from sqlalchemy import Engine, Table, insert, select
from sqlalchemy.orm import Session

from api.auth.tokens import TokenStore
from api.ops.replay import copy_log
from ledger import Ledger, errors
from ledger.seals import TOKENS_LOG, SealedLog
from projections import ReadModels
from projections.verify import Verification, verify
from storage.engines import printable

BATCH = 5_000

Progress = Callable[[int], None]
"""Called with the number of events copied so far."""


@dataclass(frozen=True, slots=True)
class Migration:
    events: int
    snapshots: int
    tokens: int
    position: int
    verification: Verification


def migrate(
    source_url: str, target_url: str, *, progress: Progress | None = None
) -> Migration:
    source, target = Ledger(source_url), Ledger(target_url)
    try:
        if target.recorder.max_notification_id():
            raise errors.InvalidInput(
                f"{printable(target_url)} already holds a ledger: migrate into an "
                "empty database"
            )
        source_tokens = TokenStore(_engine(source))
        target_tokens = TokenStore(_engine(target))
        factory = target.factory
        assert isinstance(factory, SQLAlchemyFactory)  # noqa: S101 -- Ledger's own
        source_log, target_log = SealedLog(source), SealedLog(target)
        # Opened (their tables made) before the copy's transaction takes the
        # target: on SQLite, that transaction holds the only write lock.
        source_token_log = SealedLog(source, log=TOKENS_LOG)
        target_token_log = SealedLog(target, log=TOKENS_LOG)
        with factory.datastore.transaction(commit=True) as session:
            events, _ = copy_log(
                session.connection(),
                source_log,
                target_log,
                source_log.head(),
                progress,
            )
            snapshots = _copy_snapshots(source, target, session)
            # The tokens' log with its positions and seals, like the books'.
            copy_log(
                session.connection(),
                source_token_log,
                target_token_log,
                source_token_log.head(),
            )
            tokens = _copy_rows(
                _engine(source), source_tokens.tokens, target_tokens.tokens, session
            )
        read_models = ReadModels(target)
        position = read_models.rebuild()
        return Migration(events, snapshots, tokens, position, verify(read_models))
    finally:
        source.close()
        target.close()


def _engine(ledger: Ledger) -> Engine:
    factory = ledger.factory
    if not isinstance(factory, SQLAlchemyFactory) or not isinstance(
        factory.datastore.engine, Engine
    ):
        raise errors.InvalidInput("migrate moves between SQL databases")
    return factory.datastore.engine


def _copy_snapshots(source: Ledger, target: Ledger, session: Session) -> int:
    if source.snapshots is None or target.snapshots is None:
        return 0
    source_recorder = source.snapshots.recorder
    target_recorder = target.snapshots.recorder
    assert isinstance(source_recorder, SQLAlchemyAggregateRecorder)  # noqa: S101
    assert isinstance(target_recorder, SQLAlchemyAggregateRecorder)  # noqa: S101
    return _copy_rows(
        _engine(source),
        source_recorder.events_record_cls.__table__,
        target_recorder.events_record_cls.__table__,
        session,
    )


def _copy_rows(engine: Engine, source: Table, target: Table, session: Session) -> int:
    """Copy every row of a table (snapshots, tokens) into the session's database."""
    copied = 0
    with engine.connect() as conn:
        result = conn.execute(select(source)).mappings()
        while chunk := result.fetchmany(BATCH):
            rows: list[dict[str, Any]] = [dict(row) for row in chunk]
            session.execute(insert(target), rows)
            copied += len(rows)
    return copied
