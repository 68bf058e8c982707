"""Tables are created on first start, safely when several processes start at
once (API workers and a projection worker on a fresh database).

The starters import everything first, then wait behind a barrier — each says
``ready`` and waits for ``go`` on its standard input — so that they open the
database together rather than one after another as their imports finish."""

from __future__ import annotations

import subprocess
import sys

from sqlalchemy import create_engine, inspect

from tests.processes import read_line

STARTERS = 4
START = """
import sys
from api.http.idempotency import IdempotencyStore
from api.auth.sessions import SessionStore
from api.auth.tokens import TokenStore
from ledger import Ledger
from projections import ReadModels
print("ready", flush=True)
assert sys.stdin.readline() == "go\\n"
ledger = Ledger(sys.argv[1])
read_models = ReadModels(ledger)
SessionStore(read_models.engine, TokenStore(read_models.engine))
IdempotencyStore(read_models.engine)
ledger.close()
"""


def test_processes_starting_together_create_every_table_once(
    database_url: str,
) -> None:
    starters: list[subprocess.Popen[str]] = []
    try:
        for _ in range(STARTERS):
            starters.append(
                subprocess.Popen(
                    [sys.executable, "-c", START, database_url],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
            )
        for starter in starters:  # the barrier: all have imported everything
            assert starter.stdout is not None
            assert read_line(starter.stdout, 120, what="a starter") == "ready\n"
        for starter in starters:
            assert starter.stdin is not None
            starter.stdin.write("go\n")
            starter.stdin.flush()
        errors = [starter.communicate(timeout=120)[1] for starter in starters]
    finally:
        for starter in starters:
            if starter.poll() is None:
                starter.kill()
                starter.wait(timeout=20)
    assert [starter.returncode for starter in starters] == [0] * STARTERS, errors
    engine = create_engine(database_url)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert {
        "ledger_events",
        "ledger_snapshots",
        "rm_journal",
        "rm_summary",
        "rm_journal_tracking",
        "api_tokens",
        "api_idempotency_keys",
        "web_sessions",
    } <= tables
