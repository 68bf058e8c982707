"""Shared fixtures: a fixed business clock and real databases.

``database_url`` runs a test once on a fresh SQLite file and once on a fresh
PostgreSQL schema. PostgreSQL is found at ``KHUYENHOC_TEST_POSTGRES_URL``
(default: the local server, database ``test``). When it cannot be reached the
PostgreSQL variants skip — except in CI (``tests.ci.in_ci``: ``CI`` is
``true``, ``1`` or ``yes`` in any case), where they fail.

Property tests (Hypothesis) in CI run twice: first a derandomized pass — the
same examples every run, so a failure is reproducible — then a bounded random
pass (a quarter of the examples, at least five) from this session's seed,
printed in the run's header. A failure in the random pass names the seed;
``KHUYENHOC_HYPOTHESIS_SEED=<seed> CI=true pytest <test>`` replays it.
Every test has a time limit (pytest-timeout, ``timeout`` in pyproject.toml):
a hung test fails with its stack instead of stopping the run.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Generator, Iterator
from datetime import date
from pathlib import Path

import psycopg
import pytest
from hypothesis import settings
from hypothesis.internal.detection import is_hypothesis_test

from ledger import Ledger
from tests.ci import (
    RANDOM_SEED,
    SEED_VARIABLE,
    in_ci,
    random_pass_settings,
    replay_hint,
)
from tests.stores import LedgerSchema

# CI runs each property test on the same examples every time: a failure there
# is reproducible, and a rare example found while developing is kept by
# turning it into a test. Locally, examples are drawn afresh. Then, in CI, a
# bounded random pass (below) explores examples the fixed pass never draws.
settings.register_profile("ci", derandomize=True, database=None)
if in_ci():
    settings.load_profile("ci")


def pytest_report_header() -> str:
    if in_ci():
        return (
            "CI: PostgreSQL and browser tests must run; property tests run a "
            f"derandomized pass, then a random pass with {SEED_VARIABLE}={RANDOM_SEED}"
        )
    return "not CI: property tests draw fresh examples; unreachable services skip"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    """In CI, run each ``@given`` test again, randomly, after its fixed pass."""
    yield  # the fixed pass; a failure there ends the test
    test = getattr(item, "obj", None)
    test = getattr(test, "__func__", test)
    if not (in_ci() and is_hypothesis_test(test)):
        return
    fixed = test._hypothesis_internal_use_settings  # type: ignore[union-attr]
    test._hypothesis_internal_use_settings = random_pass_settings(fixed)  # type: ignore[union-attr]
    test._hypothesis_internal_use_seed = RANDOM_SEED  # type: ignore[union-attr]
    try:
        item.runtest()
    except BaseException as error:
        error.add_note(replay_hint(item.nodeid))
        raise
    finally:
        test._hypothesis_internal_use_settings = fixed  # type: ignore[union-attr]
        test._hypothesis_internal_use_seed = None  # type: ignore[union-attr]


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
        if in_ci():
            pytest.fail(message + " (in CI: PostgreSQL tests must run)")
        pytest.skip(message)
    return POSTGRES_URL


@pytest.fixture(scope="session")
def ledger_schema(postgres_server: str) -> Iterator[LedgerSchema]:
    """One schema with the ledger's tables for the session, to be emptied
    before each use (``LedgerSchema.emptied``): the rule tests' PostgreSQL."""
    with LedgerSchema.made(postgres_server) as schema:
        yield schema


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
