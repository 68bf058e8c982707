"""Progress of the read models' work (catching up, rebuilding, verifying).

The read models decode each event they apply with the application's mapper,
so counting the mapper's decodings counts their progress, without reaching
into ``projections/``. The total is the number of events that change a read
model (``projections.runner.TOPICS``) in the part of the log to be applied.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from eventsourcing_sqlalchemy.recorders import SQLAlchemyApplicationRecorder
from sqlalchemy import func, select

from api.cli.progress import Progress
from projections import ReadModels
from projections.runner import REBUILD_BATCH, TOPICS

CATCH_UP_BATCH = REBUILD_BATCH
"""Events per transaction when catching up after an import: the rebuild's."""


def events_to_apply(read_models: ReadModels, after: int, until: int) -> int:
    """How many events between the positions ``after`` and ``until`` change a
    read model."""
    recorder = read_models.app.recorder
    assert isinstance(recorder, SQLAlchemyApplicationRecorder)  # noqa: S101
    table = recorder.events_record_cls.__table__
    query = select(func.count()).where(
        table.c.id > after, table.c.id <= until, table.c.topic.in_(TOPICS)
    )
    with read_models.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


@contextlib.contextmanager
def counting(read_models: ReadModels, progress: Progress) -> Iterator[None]:
    """Report each event the read models decode to ``progress``."""
    mapper = read_models.app.mapper
    decode = mapper.to_domain_event
    count = 0

    def counted(stored: Any) -> Any:
        nonlocal count
        count += 1
        progress.update(count)
        return decode(stored)

    # An instance attribute shadows the method for this mapper only.
    setattr(mapper, "to_domain_event", counted)  # noqa: B010
    try:
        yield
    finally:
        delattr(mapper, "to_domain_event")
        progress.finish(count)


def catch_up(read_models: ReadModels, label: str = "read models") -> int:
    """Bring the read models up to the log's head, showing progress."""
    start, head = read_models.position(), read_models.head()
    if head <= start:
        return start
    total = events_to_apply(read_models, start, head)
    with counting(read_models, Progress(label, total, "events")):
        return read_models.catch_up(batch_size=CATCH_UP_BATCH)
