"""Where the events live: one database URL, SQLite by default, PostgreSQL to scale.

``KHUYENHOC_DATABASE_URL`` names the database. The default is a SQLite file
under the working directory. SQLite runs in WAL mode with ``synchronous=FULL``
(a commit that returned is on disk) and waits for other writers instead of
failing at once. ``memory:`` keeps everything in process memory (the
library's POPO store), for tests and throw-away runs.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from eventsourcing.persistence import AggregateRecorder, ApplicationRecorder
from eventsourcing.utils import Environment
from eventsourcing_sqlalchemy.factory import SQLAlchemyFactory
from eventsourcing_sqlalchemy.recorders import SQLAlchemyRecorder
from sqlalchemy import Table, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.schema import CreateIndex, CreateTable

DATABASE_URL_VARIABLE = "KHUYENHOC_DATABASE_URL"
DEFAULT_DATABASE_URL = "sqlite:///var/khuyenhoc.sqlite3"
MEMORY_URL = "memory:"
SQLITE_BUSY_TIMEOUT_MS = 30_000


def database_url_from_env() -> str:
    return os.environ.get(DATABASE_URL_VARIABLE) or DEFAULT_DATABASE_URL


def persistence_env(url: str) -> dict[str, str]:
    """The eventsourcing environment that stores a ledger at ``url``."""
    if url == MEMORY_URL:
        return {"PERSISTENCE_MODULE": "eventsourcing.popo"}
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (
        None,
        "",
        ":memory:",
    ):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    return {
        "PERSISTENCE_MODULE": f"{__name__}:LedgerFactory",
        "SQLALCHEMY_URL": url,
    }


class LedgerFactory(SQLAlchemyFactory):
    """The eventsourcing-sqlalchemy factory, with durable, patient SQLite, and
    tables created safely when several processes start at once."""

    def __init__(self, env: Environment) -> None:
        super().__init__(env)
        engine = self.datastore.engine
        if isinstance(engine, Engine):
            # A database error's message never repeats the statement's values
            # (names of donors and recipients): it may end up in a log.
            engine.hide_parameters = True
        if engine is not None and engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _configure_sqlite)

    def env_create_table(self) -> bool:
        """The library's own check-then-create races between processes: the
        recorders' tables are created by ``create_tables`` below instead."""
        return False

    def aggregate_recorder(self, purpose: str = "events") -> AggregateRecorder:
        recorder = super().aggregate_recorder(purpose)
        self._create(recorder)
        return recorder

    def application_recorder(self) -> ApplicationRecorder:
        recorder = super().application_recorder()
        self._create(recorder)
        return recorder

    def _create(self, recorder: object) -> None:
        engine = self.datastore.engine
        if isinstance(recorder, SQLAlchemyRecorder) and isinstance(engine, Engine):
            create_tables(engine, recorder.tables)

    def close(self) -> None:
        """Return the pool's connections to the database when the Ledger closes."""
        if isinstance(self.datastore.engine, Engine):
            self.datastore.engine.dispose()
        super().close()


SCHEMA_LOCK = 0x6B68_6C67
"""The PostgreSQL advisory lock key under which tables are created."""


def create_tables(engine: Engine, tables: Iterable[Table]) -> None:
    """Create the tables (and their indexes) that do not exist yet.

    Safe when several processes start at once: statements say ``IF NOT
    EXISTS``, and on PostgreSQL — where two concurrent ``CREATE TABLE IF NOT
    EXISTS`` can still collide in the catalogue — one transaction holds an
    advisory lock while it creates.
    """
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK}
            )
        for table in tables:
            conn.execute(CreateTable(table, if_not_exists=True))
            for index in table.indexes:
                conn.execute(CreateIndex(index, if_not_exists=True))


def _configure_sqlite(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous = FULL")
    finally:
        cursor.close()
