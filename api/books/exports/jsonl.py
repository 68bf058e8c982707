"""``export --format jsonl``: the raw event log, one JSON object per line.

For archiving: every event — organisations', campaigns' and vouchers' — in
log order, as ``{"position", "aggregate", "version", "type", "timestamp",
"actor", "data"}``: the log position, the aggregate's id and the event's
version in it, the event class's topic (what the library needs to read it
back), the recording time (UTC, ISO 8601), who recorded it (``null`` for the
events that do not say, such as a voucher's), and the event's own fields as
plain JSON (ids and dates as strings, enumerations as their values).

A full archive (no ``--org``, ``--from`` or ``--to``) ends with the tokens'
log, the other log of record (``docs/security.md``): each token event as
``{"type": "TokenEvent", "position", "aggregate", "version", "topic",
"data"}`` (``data``: the stored JSON, without the secret's digest), each of
its seals as ``{"type": "TokenSeal", …}`` after the event at its position.

Every seal of the log (``docs/sealed-log.md``) is written too, as a record
of its own right after the event at its position: ``{"type": "Seal",
"seal_no", "position", "events", "chain_hash", "previous_hash", "sealed_at",
"seal_hash"}`` — always all of them, whatever the selection, since a seal
covers the whole log up to its position.

With ``--org``, the events of the organisations of that subtree, of their
vouchers and of the campaigns they organise. ``--from``/``--to`` select by
the date the event was recorded (in Vietnam), since not every event has a
business date.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from typing import Any, TextIO
from uuid import UUID

from eventsourcing.domain import DomainEvent
from eventsourcing.persistence import StoredEvent
from eventsourcing_sqlalchemy.recorders import SQLAlchemyApplicationRecorder
from sqlalchemy import select

from api.books.exports.directory import Directory, Selection
from ledger.seals import TOKENS_LOG, Seal, SealedLog
from ledger.types import VIETNAM
from projections import ReadModels

PAGE = 1_000
SKIPPED_FIELDS = ("originator_id", "originator_version", "timestamp")


def write_jsonl(
    read_models: ReadModels,
    selection: Selection,
    out: TextIO,
    progress: Callable[[int], None] = lambda _rows: None,
) -> int:
    """Write the events of ``selection`` to ``out``; returns the lines written."""
    directory = Directory(read_models)
    wanted = directory.org_ids(selection.org)
    owners: dict[UUID, UUID | None] = {
        event_id: event_id for event_id in directory.codes
    }
    seals = SealedLog(read_models.app).all()
    written = 0

    def write(record: dict[str, Any]) -> None:
        nonlocal written
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        written += 1
        progress(written)

    for position, event in _events(read_models):
        while seals and seals[0].position < position:
            write(_seal_record(seals.pop(0)))
        if not selection.covers_date(_recorded_on(event)):
            continue
        if wanted is not None and _owner(read_models, event, owners) not in wanted:
            continue
        write(_record(position, event))
    for seal in seals:
        write(_seal_record(seal))
    if selection == Selection():
        tokens = SealedLog(read_models.app, log=TOKENS_LOG)
        token_seals = tokens.all()
        for position, record in _token_events(tokens):
            while token_seals and token_seals[0].position < position:
                write({"type": "TokenSeal", **token_seals.pop(0).as_record()})
            write(record)
        for seal in token_seals:
            write({"type": "TokenSeal", **seal.as_record()})
    return written


def _token_events(log: SealedLog) -> Iterator[tuple[int, dict[str, Any]]]:
    """The tokens' stored events in log order, as archive records."""
    table = log.events
    after = 0
    while True:
        query = select(table).where(table.c.id > after).order_by(table.c.id).limit(PAGE)
        with log.engine.connect() as conn:
            rows = conn.execute(query).all()
        if not rows:
            return
        for row in rows:
            data = json.loads(bytes(row.state))
            data.pop("digest", None)  # not the secret, but no reader needs it
            yield (
                row.id,
                {
                    "type": "TokenEvent",
                    "position": row.id,
                    "aggregate": str(row.originator_id),
                    "version": row.originator_version,
                    "topic": row.topic,
                    "data": data,
                },
            )
        after = rows[-1].id


def _seal_record(seal: Seal) -> dict[str, Any]:
    """A seal of the log, after the event at its position: ``type`` is
    ``Seal``, and its fields are those ``khuyenhoc verify`` checks."""
    return {"type": "Seal", **seal.as_record()}


def _events(
    read_models: ReadModels,
) -> Iterator[tuple[int, DomainEvent]]:
    recorder = read_models.app.recorder
    assert isinstance(recorder, SQLAlchemyApplicationRecorder)  # noqa: S101
    table = recorder.events_record_cls.__table__
    mapper = read_models.app.mapper
    after = 0
    while True:
        query = select(table).where(table.c.id > after).order_by(table.c.id).limit(PAGE)
        with read_models.engine.connect() as conn:
            rows = conn.execute(query).all()
        if not rows:
            return
        for row in rows:
            stored = StoredEvent(
                originator_id=row.originator_id,
                originator_version=row.originator_version,
                topic=row.topic,
                state=bytes(row.state),
            )
            event = mapper.to_domain_event(stored)
            assert isinstance(event, DomainEvent)  # noqa: S101 -- every stored event
            yield row.id, event
        after = rows[-1].id


def _owner(
    read_models: ReadModels,
    event: DomainEvent,
    owners: dict[UUID, UUID | None],
) -> UUID | None:
    """The organisation an event belongs to: its own, its voucher's or its
    campaign's organiser (looked up from the aggregate's first event)."""
    found = getattr(event, "org_id", None) or getattr(event, "organiser_id", None)
    if found is not None or event.originator_version == 1:
        return found or event.originator_id
    if event.originator_id not in owners:  # a voucher's or campaign's later event
        first = next(iter(read_models.app.events.get(event.originator_id, lte=1)))
        owner = getattr(first, "org_id", None) or getattr(first, "organiser_id", None)
        owners[event.originator_id] = owner or event.originator_id
    return owners[event.originator_id]


def _recorded_on(event: DomainEvent) -> date:
    return event.timestamp.astimezone(VIETNAM).date()


def _record(position: int, event: DomainEvent) -> dict[str, Any]:
    data = {
        name: _plain(value)
        for name, value in vars(event).items()
        if name not in SKIPPED_FIELDS
    }
    return {
        "position": position,
        "aggregate": str(event.originator_id),
        "version": event.originator_version,
        "type": f"{type(event).__module__}:{type(event).__qualname__}",
        "timestamp": event.timestamp.astimezone(UTC).isoformat(),
        "actor": data.get("recorded_by"),
        "data": data,
    }


def _plain(value: object) -> object:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
