"""Event stores for tests that run on each of them: memory, SQLite, PostgreSQL.

``LedgerSchema`` is one PostgreSQL schema holding the ledger's tables, made
once per session (``ledger_schema`` in ``tests/conftest.py``) and emptied
before each use: a few milliseconds, where a new schema and its tables take
a few hundred. ``fast_folder`` places SQLite files in memory (``/dev/shm``)
where there is one: tests of the ledger's rules test the rules, not the disk's
flushes (``synchronous=FULL``), which would triple their time.
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

from ledger import Ledger

TABLES = ("ledger_events", "ledger_snapshots")
SHM = Path("/dev/shm")  # noqa: S108 -- a folder of our own is made in it


def libpq_url(sqlalchemy_url: str) -> str:
    return sqlalchemy_url.replace("postgresql+psycopg://", "postgresql://", 1)


@dataclass(frozen=True)
class LedgerSchema:
    """A PostgreSQL schema with the ledger's tables; ``url`` reaches it."""

    server: str
    schema: str

    @property
    def url(self) -> str:
        sep = "&" if "?" in self.server else "?"
        return f"{self.server}{sep}options=-csearch_path%3D{self.schema}"

    @classmethod
    @contextmanager
    def made(cls, server: str) -> Iterator[LedgerSchema]:
        """A new schema with the tables, dropped at the end."""
        made = cls(server, f"t_ledger_{uuid.uuid4().hex[:12]}")
        with psycopg.connect(libpq_url(server), autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {made.schema}")
        try:
            Ledger(made.url).close()  # creates the tables
            yield made
        finally:
            with psycopg.connect(libpq_url(server), autocommit=True) as conn:
                conn.execute(f"DROP SCHEMA {made.schema} CASCADE")

    def emptied(self) -> str:
        """Delete every stored event and snapshot — a test's scaffolding, past
        the append-only guards, which stay in place for the test itself; the
        URL of the empty store (only the notification ids go on counting)."""
        with psycopg.connect(libpq_url(self.server), autocommit=True) as conn:
            # The tables are append-only (storage.schema's triggers): this
            # session alone, as replication does, skips the triggers.
            conn.execute("SET session_replication_role = replica")
            for table in TABLES:
                conn.execute(f"DELETE FROM {self.schema}.{table}")  # noqa: S608 -- our names
        return self.url


@contextmanager
def fast_folder() -> Iterator[Path]:
    """A new folder in ``/dev/shm`` where there is one (else the system's
    temporary folder), removed at the end."""
    where = SHM if SHM.is_dir() else None
    with tempfile.TemporaryDirectory(dir=where, prefix="khuyenhoc-") as folder:
        yield Path(folder)
