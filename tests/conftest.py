"""Shared fixtures: a fixed business clock and real databases.

``database_url`` runs a test once on a fresh SQLite file and once on a fresh
PostgreSQL schema. PostgreSQL is found at ``KHUYENHOC_TEST_POSTGRES_URL``
(default: the local server, database ``test``). When it cannot be reached the
PostgreSQL variants skip — except with ``CI=true``, where they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import psycopg
import pytest
from hypothesis import settings

from ledger import Ledger

# CI runs each property test on the same examples every time: a failure there
# is reproducible, and a rare example found while developing is kept by
# turning it into a test. Locally, examples are drawn afresh.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")

TODAY = date(2024, 12, 31)
POSTGRES_URL = os.environ.get(
    "KHUYENHOC_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _libpq_url(sqlalchemy_url: str) -> str:
    return sqlalchemy_url.replace("postgresql+psycopg://", "postgresql://", 1)


@pytest.fixture(scope="session")
def postgres_server() -> str:
    try:
        with psycopg.connect(_libpq_url(POSTGRES_URL), connect_timeout=5):
            pass
    except psycopg.OperationalError as error:
        message = f"PostgreSQL is not reachable at {POSTGRES_URL}: {error}"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI=true: PostgreSQL tests must run)")
        pytest.skip(message)
    return POSTGRES_URL


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A URL whose search_path is a new, empty schema, dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(_libpq_url(postgres_server), autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in postgres_server else "?"
    yield f"{postgres_server}{sep}options=-csearch_path%3D{schema}"
    with psycopg.connect(_libpq_url(postgres_server), autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


LedgerFactory = Callable[..., Ledger]


@pytest.fixture
def open_ledger(database_url: str) -> Iterator[LedgerFactory]:
    """Open Ledgers on the test's database; all are closed at the end."""
    opened: list[Ledger] = []

    def factory(**kwargs: object) -> Ledger:
        kwargs.setdefault("today", lambda: TODAY)
        ledger = Ledger(database_url, **kwargs)  # type: ignore[arg-type]
        opened.append(ledger)
        return ledger

    yield factory
    for ledger in opened:
        ledger.close()
