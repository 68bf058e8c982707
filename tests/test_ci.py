"""What "in CI" means, and that CI cannot go green by skipping PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.load import free_port
from tests.ci import in_ci

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "value", ["true", "True", "TRUE", "1", "yes", "Yes", "YES", " true "]
)
def test_every_usual_spelling_of_yes_is_ci(value: str) -> None:
    assert in_ci({"CI": value})


@pytest.mark.parametrize("value", ["", "0", "false", "no", "False", "off"])
def test_anything_else_is_a_developers_run(value: str) -> None:
    assert not in_ci({"CI": value})
    assert not in_ci({})


def run_without_postgres(ci: str | None) -> subprocess.CompletedProcess[str]:
    """Run one small PostgreSQL test against a port where nothing listens."""
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "PYTEST_ADDOPTS")}
    if ci is not None:
        env["CI"] = ci
    env["KHUYENHOC_TEST_POSTGRES_URL"] = (
        f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/test"
    )
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-q",
            "tests/ledger/test_reads.py",
            "-k",
            "postgres",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


@pytest.mark.parametrize("ci", ["1", "True"])
def test_in_ci_a_missing_postgresql_fails_the_run(ci: str) -> None:
    result = run_without_postgres(ci)

    assert result.returncode == 1, result.stdout[-2000:]
    assert "PostgreSQL tests must run" in result.stdout
    assert " skipped" not in result.stdout.splitlines()[-1]


def test_outside_ci_a_missing_postgresql_skips() -> None:
    result = run_without_postgres(None)

    assert result.returncode == 0, result.stdout[-2000:]
    assert " skipped" in result.stdout.splitlines()[-1]
    assert "failed" not in result.stdout.splitlines()[-1]
