"""Where the ledger's events live: the eventsourcing persistence for a URL.

``persistence_env(url)`` is the library's environment for a database URL
(``sqlite:///…`` or ``postgresql+psycopg://…``), or for ``memory:``, which
keeps everything in process memory (the library's POPO store), for tests and
throw-away runs. The URL comes from the caller (the entry points read it from
their settings); the engine's configuration and the tables' creation are
``storage``'s, shared with the read models and the entry points' tables.
"""

from __future__ import annotations

from eventsourcing.persistence import AggregateRecorder, ApplicationRecorder
from eventsourcing.utils import Environment
from eventsourcing_sqlalchemy.factory import SQLAlchemyFactory
from eventsourcing_sqlalchemy.recorders import (
    SQLAlchemyApplicationRecorder,
    SQLAlchemyRecorder,
)
from sqlalchemy.engine import Engine

from storage import engines
from storage.schema import append_only, create_tables

MEMORY_URL = "memory:"


def persistence_env(url: str) -> dict[str, str]:
    """The eventsourcing environment that stores a ledger at ``url``."""
    if url == MEMORY_URL:
        return {"PERSISTENCE_MODULE": "eventsourcing.popo"}
    engines.make_sqlite_folder(url)
    return {
        "PERSISTENCE_MODULE": f"{__name__}:LedgerFactory",
        "SQLALCHEMY_URL": url,
    }


class LedgerFactory(SQLAlchemyFactory):
    """The eventsourcing-sqlalchemy factory, with the engine configured by
    ``storage`` and tables created safely when several processes start at
    once."""

    def __init__(self, env: Environment) -> None:
        super().__init__(env)
        engine = self.datastore.engine
        if isinstance(engine, Engine):
            engines.configure(engine)

    def env_create_table(self) -> bool:
        """The library's own check-then-create races between processes: the
        recorders' tables are created by ``storage.schema.create_tables``
        instead."""
        return False

    def aggregate_recorder(self, purpose: str = "events") -> AggregateRecorder:
        recorder = super().aggregate_recorder(purpose)
        self._create(recorder)
        return recorder

    def application_recorder(self) -> ApplicationRecorder:
        """The event log's recorder; its table is a table of record
        (append-only: snapshots, in the aggregate recorder's table, are not)."""
        recorder = super().application_recorder()
        if isinstance(recorder, SQLAlchemyApplicationRecorder):
            append_only(recorder.events_record_cls.__table__)
        self._create(recorder)
        return recorder

    def _create(self, recorder: object) -> None:
        engine = self.datastore.engine
        if isinstance(recorder, SQLAlchemyRecorder) and isinstance(engine, Engine):
            create_tables(engine, recorder.tables)

    def close(self) -> None:
        """Return the pool's connections to the database when the Ledger closes."""
        if isinstance(self.datastore.engine, Engine):
            engines.dispose(self.datastore.engine)
        super().close()
