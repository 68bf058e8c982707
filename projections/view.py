"""What every read model's view shares: tables beside the events, pending sums,
a tracking record that moves in the same transaction as the rows, and the
events it applies.

A ``View`` is an eventsourcing ``SQLAlchemyTrackingRecorder``: its tables live
in the events' database, and its tracking table records the last log position
it has applied. A view marks the methods that apply events with ``@handles``
(``projections.change``): those classes are what it uses. The runner hands it
runs of ``Change``s with the batch's session (``apply``); its methods add to
the view's *pending* state or write through that session, and the runner then
``flush``es every view and ``advance``s its tracking record inside the same
transaction, so a batch is applied exactly once or not at all, even if the
process dies half-way.

Sums are kept as deltas and written as ``INSERT … ON CONFLICT DO UPDATE SET
x = x + excluded.x`` (SQLite and PostgreSQL both have it), so a batch costs one
statement per distinct row, not per event.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, TypeVar, cast

import sqlalchemy.exc
from eventsourcing_sqlalchemy.datastore import SQLAlchemyDatastore
from eventsourcing_sqlalchemy.recorders import (
    SQLAlchemyRecorder,
    SQLAlchemyTrackingRecorder,
)
from sqlalchemy import (
    BigInteger,
    Column,
    Insert,
    Integer,
    MetaData,
    String,
    Table,
    insert,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.orm import Session

from projections.change import Change, Handler, declared_handlers
from storage import schema

APPLICATION = "Ledger"
"""The application whose log the views follow (the tracking record's name)."""
LIVE_PREFIX = "rm_"
"""Table-name prefix of the live read models (``rm_balances`` …)."""

Key = tuple[Any, ...]
V = TypeVar("V", bound="View")


class ProjectionConflict(Exception):
    """Another runner applied this batch first; reload and carry on from there."""


def money() -> BigInteger:
    """The column type of an amount of đồng (sums pass 2³¹ easily)."""
    return BigInteger().with_variant(Integer(), "sqlite")


def sum_columns(names: Iterable[str]) -> list[Column[int]]:
    return [Column(name, money(), nullable=False, default=0) for name in names]


class Sums:
    """Pending additions to a table of sums, keyed by its primary key."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.keys = [column.name for column in table.primary_key.columns]
        self.values = [c.name for c in table.columns if c.name not in self.keys]
        self._index = {name: i for i, name in enumerate(self.values)}
        self._pending: dict[Key, list[int]] = {}

    def add(self, key: Key, values: Mapping[str, int], sign: int = 1) -> None:
        self.add_to((key,), values, sign)

    def add_to(
        self, keys: Iterable[Key], values: Mapping[str, int], sign: int = 1
    ) -> None:
        """Add the same values to several rows (a line's, along its ancestors)."""
        indexed = [(self._index[name], sign * value) for name, value in values.items()]
        pending, width = self._pending, len(self.values)
        for key in keys:
            row = pending.get(key)
            if row is None:
                row = pending[key] = [0] * width
            for index, value in indexed:
                row[index] += value

    def touch(self, key: Key) -> None:
        """Make sure the row exists (at zero), e.g. a fund just opened."""
        self.add(key, {})

    def discard(self) -> None:
        self._pending.clear()

    def flush(self, session: Session) -> None:
        if not self._pending:
            return
        rows = [
            dict(zip(self.keys, key, strict=True))
            | dict(zip(self.values, values, strict=True))
            for key, values in self._pending.items()
        ]
        self._pending.clear()
        upsert(session, self.table, rows, add=True)


def upsert(
    session: Session, table: Table, rows: list[dict[str, Any]], *, add: bool = False
) -> None:
    """Insert rows, or update the rows with the same key: set their values, or
    with ``add`` add to them."""
    write_many(session, table, rows, "add" if add else "set")


def insert_many(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    write_many(session, table, rows, "insert")


Mode = Literal["insert", "set", "add"]


def write_many(
    session: Session, table: Table, rows: list[dict[str, Any]], mode: Mode
) -> None:
    """Run an INSERT (``insert``) or an upsert (``set``, ``add``) for many rows
    through the driver's ``executemany``.

    The statement is compiled once per table, dialect and mode (kept in the
    table's ``info``), and each value goes through its column type's own bind
    processor — what ``session.execute`` does, without its per-row parameter
    bookkeeping and per-call compilation, which were most of the write time.
    """
    if not rows:
        return
    connection = session.connection()
    writer = _writer(table, connection.dialect, mode)
    order = writer.names or list(rows[0])
    processors = writer.processors
    converted = [
        [
            processor(row[name]) if (processor := processors[name]) else row[name]
            for name in order
        ]
        for row in rows
    ]
    params: list[Any] = (
        [tuple(values) for values in converted]
        if writer.names
        else [dict(zip(order, values, strict=True)) for values in converted]
    )
    connection.exec_driver_sql(writer.sql, params)


@dataclass(frozen=True, slots=True)
class _Writer:
    sql: str
    names: list[str] | None
    """Parameter order for a positional driver (SQLite); None for named ones."""
    processors: dict[str, Any]


def _writer(table: Table, dialect: Dialect, mode: Mode) -> _Writer:
    cache: dict[tuple[str, str], _Writer] = table.info.setdefault("writers", {})
    found = cache.get((dialect.name, mode))
    if found is None:
        compiled = _statement(table, dialect.name, mode).compile(dialect=dialect)
        found = cache[(dialect.name, mode)] = _Writer(
            sql=str(compiled),
            names=list(compiled.positiontup or []) if compiled.positional else None,
            processors={
                column.name: column.type.bind_processor(dialect)
                for column in table.columns
            },
        )
    return found


def _statement(table: Table, dialect_name: str, mode: Mode) -> Insert:
    if mode == "insert":
        return insert(table)
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    statement = dialect.insert(table)
    keys = [column.name for column in table.primary_key.columns]
    values = [c.name for c in table.columns if c.name not in keys]
    upserted: Insert = statement.on_conflict_do_update(
        index_elements=keys,
        set_={
            name: (table.c[name] + statement.excluded[name])
            if mode == "add"
            else statement.excluded[name]
            for name in values
        },
    )
    return upserted


class View(SQLAlchemyTrackingRecorder):
    """A read model's tables and its tracking record, in the events' database."""

    name: ClassVar[str]
    """The read model's name: its tables are ``<prefix><name>…``."""
    handled: ClassVar[Mapping[type, str]] = {}
    """Event class → the method that applies it: the methods marked
    ``@handles`` in the class and its bases (a subclass's mark wins)."""
    flush_before: ClassVar[frozenset[type]] = frozenset()
    """Event classes whose method reads stored rows (the view's own or an
    earlier view's): the runner writes every view's pending rows first."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.handled = {**cls.handled, **declared_handlers(vars(cls))}

    def __init__(
        self,
        datastore: SQLAlchemyDatastore,
        *,
        prefix: str = LIVE_PREFIX,
        schema_name: str | None = None,
        earlier: Views | None = None,
    ) -> None:
        # The library's __init__, but with a record class named after the
        # table: it names every tracking record class alike, which SQLAlchemy
        # warns about when there are several.
        SQLAlchemyRecorder.__init__(self, datastore, schema_name=schema_name)
        self.tracking_table_name = f"{prefix}{self.name}_tracking"
        self.tracking_record_cls = datastore.define_record_class(
            cls_name="".join(
                part.capitalize() for part in self.tracking_table_name.split("_")
            ),
            table_name=self.tracking_table_name,
            schema_name=schema_name,
            base_cls=datastore.base_notification_tracking_record_cls,
        )
        self.tracking_table = self.tracking_record_cls.__table__
        self.prefix = prefix
        self.metadata = MetaData(schema=schema_name)
        self.sums: list[Sums] = []
        self.connect(earlier if earlier is not None else Views())
        self.define_tables()
        self._handlers: dict[type, Handler] = {
            event_class: getattr(self, method)
            for event_class, method in self.handled.items()
        }

    def connect(self, earlier: Views) -> None:
        """Keep the earlier views this one reads (``earlier[HierarchyView]``);
        none by default."""

    def table(self, suffix: str, *columns: Any) -> Table:
        """Define one of the view's tables, named ``<prefix><suffix>``."""
        table = Table(f"{self.prefix}{suffix}", self.metadata, *columns)
        self.tables.append(table)
        return table

    def sum_table(self, suffix: str, *columns: Any) -> Sums:
        sums = Sums(self.table(suffix, *columns))
        self.sums.append(sums)
        return sums

    def define_tables(self) -> None:
        """Define the view's tables with ``table`` and ``sum_table``."""
        raise NotImplementedError

    # ---- the batch life cycle (driven by the runner) -------------------------

    def begin(self, session: Session) -> None:
        """Get ready for a batch (e.g. read state kept in memory); nothing by
        default."""

    def apply(self, session: Session, changes: Sequence[Change]) -> None:
        """Apply a run of the batch's changes, each by the method that handles
        its event's class; a run holds no event of ``flush_before`` but as its
        only one. (A view may override this to apply a run set-based.)"""
        handlers = self._handlers
        for change in changes:
            handler = handlers.get(type(change.event))
            if handler is not None:
                handler(session, change.event, change.lines)

    def flush(self, session: Session) -> None:
        """Write what the batch has added so far (in the batch's transaction)."""
        for sums in self.sums:
            sums.flush(session)

    def discard(self) -> None:
        """Forget what the batch added: its transaction was rolled back."""
        for sums in self.sums:
            sums.discard()

    def advance(self, session: Session, start: int | None, stop: int) -> None:
        """Move the tracking record from ``start`` to ``stop``, or fail if
        another runner moved it first (compare-and-set)."""
        tracking = self.tracking_table
        if start is None:
            try:
                session.execute(
                    insert(tracking).values(
                        application_name=APPLICATION, notification_id=stop
                    )
                )
            except sqlalchemy.exc.IntegrityError as error:  # another runner's row
                raise ProjectionConflict(self.name) from error
            return
        moved = session.execute(
            update(tracking)
            .where(
                tracking.c.application_name == APPLICATION,
                tracking.c.notification_id == start,
            )
            .values(notification_id=stop)
        )
        if moved.rowcount != 1:  # type: ignore[attr-defined]
            raise ProjectionConflict(self.name)

    def create_table(self) -> None:
        """Create the view's tables and tracking table if missing — safely
        when several processes start at once (``storage.schema``)."""
        engine = self.datastore.engine
        assert isinstance(engine, Engine)  # noqa: S101 -- a view always has a database
        schema.create_tables(engine, [*self.tables, self.tracking_table])

    def drop_tables(self) -> None:
        engine = self.datastore.engine
        assert isinstance(engine, Engine)  # noqa: S101 -- a view always has a database
        schema.drop_tables(engine, [*self.tables, self.tracking_table])

    def rows(self, table: Table, session: Session) -> Iterable[Sequence[Any]]:
        """Every row of ``table`` in primary-key order, text compared byte by byte
        (as Python compares it), for ``verify``."""
        binary = session.get_bind().dialect.name == "postgresql"
        order = [
            column.collate("C")
            if binary and isinstance(column.type, String)
            else column
            for column in table.primary_key.columns
        ]
        return session.execute(table.select().order_by(*order)).yield_per(5_000)


class Views:
    """Views by class, in the order they were built (the registry's)."""

    def __init__(self) -> None:
        self._by_class: dict[type[View], View] = {}

    def add(self, view: View) -> None:
        self._by_class[type(view)] = view

    def __getitem__(self, cls: type[V]) -> V:
        view = self._by_class.get(cls)
        if view is None:
            raise LookupError(
                f"no read model {cls.name!r} registered before the one that reads it"
            )
        return cast(V, view)  # stored under its own class

    def __iter__(self) -> Iterator[View]:
        return iter(self._by_class.values())

    def __len__(self) -> int:
        return len(self._by_class)
