"""Fixtures of the audit tests: a ledger with a history, raw SQL on its
database, and empty target databases for replays (on SQLite and PostgreSQL,
following ``database_url``)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from api.ops.demo import load_demo
from ledger import Ledger
from storage.schema import drop_guards
from tests.conftest import LedgerFactory, _libpq_url

TargetFactory = Callable[[], str]


@pytest.fixture
def demo(open_ledger: LedgerFactory) -> Ledger:
    """The demo province (31 events)."""
    ledger = open_ledger()
    load_demo(ledger)
    return ledger


@pytest.fixture
def raw(database_url: str) -> Iterator[Callable[..., Any]]:
    """Run one SQL statement on the test's database (committed), as someone
    who owns it would: dropping the append-only triggers first (the ledger
    puts them back when it next creates its tables)."""
    engine: Engine = create_engine(database_url)

    def run(statement: str, **params: object) -> list[Any]:
        with engine.begin() as conn:
            drop_guards(conn)
            result = conn.execute(text(statement), params)
            return list(result.all()) if result.returns_rows else []

    yield run
    engine.dispose()


@pytest.fixture
def new_target(
    database_url: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[TargetFactory]:
    """Fresh, empty databases of the same kind as the test's."""
    schemas: list[str] = []
    server = ""

    def make() -> str:
        nonlocal server
        if database_url.startswith("sqlite"):
            return f"sqlite:///{tmp_path / f'replay-{uuid.uuid4().hex[:8]}.sqlite3'}"
        server = request.getfixturevalue("postgres_server")
        schema = f"r_{uuid.uuid4().hex[:16]}"
        with psycopg.connect(_libpq_url(server), autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        schemas.append(schema)
        return f"{server}?options=-csearch_path%3D{schema}"

    yield make
    if schemas:
        with psycopg.connect(_libpq_url(server), autocommit=True) as conn:
            for schema in schemas:
                conn.execute(f"DROP SCHEMA {schema} CASCADE")
