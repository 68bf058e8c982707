"""Tables beside the events, created when missing — safely when several
processes start at once.

Statements say ``IF NOT EXISTS``; on PostgreSQL, where two concurrent
``CREATE TABLE IF NOT EXISTS`` can still collide in the catalogue, the
transaction that creates (or alters) tables first takes one advisory lock,
``SCHEMA_LOCK``, the same for every layer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Table, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.schema import CreateIndex, CreateTable

SCHEMA_LOCK = 0x6B68_6C67
"""The PostgreSQL advisory lock key under which tables are created."""


def hold_schema_lock(conn: Connection) -> None:
    """On PostgreSQL, hold the schema lock until the transaction ends (elsewhere
    nothing: SQLite serialises writers itself)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})


def create_tables(engine: Engine, tables: Iterable[Table]) -> None:
    """Create the tables (and their indexes) that do not exist yet, in one
    transaction under the schema lock."""
    with engine.begin() as conn:
        hold_schema_lock(conn)
        for table in tables:
            conn.execute(CreateTable(table, if_not_exists=True))
            for index in table.indexes:
                conn.execute(CreateIndex(index, if_not_exists=True))


def drop_tables(engine: Engine, tables: Sequence[Table]) -> None:
    """Drop the tables that exist, the last first (the reverse of creation)."""
    for table in reversed(tables):
        table.drop(engine, checkfirst=True)
