"""Tables are created on first start, safely when several processes start at
once (API workers and a projection worker on a fresh database)."""

from __future__ import annotations

import subprocess
import sys

from sqlalchemy import create_engine, inspect

STARTERS = 4
START = """
import sys
from api.http.idempotency import IdempotencyStore
from api.auth.sessions import SessionStore
from api.auth.tokens import TokenStore
from ledger import Ledger
from projections import ReadModels
ledger = Ledger(sys.argv[1])
read_models = ReadModels(ledger)
SessionStore(read_models.engine, TokenStore(read_models.engine))
IdempotencyStore(read_models.engine)
ledger.close()
"""


def test_processes_starting_together_create_every_table_once(
    database_url: str,
) -> None:
    starters = [
        subprocess.Popen(
            [sys.executable, "-c", START, database_url],
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(STARTERS)
    ]
    errors = [starter.communicate(timeout=120)[1] for starter in starters]
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
