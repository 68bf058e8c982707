"""Append-only by the database, and every log of record in the seal.

The event logs, the seals and their links refuse ``UPDATE`` and ``DELETE``
(and ``TRUNCATE`` on PostgreSQL) by triggers that ``create_tables`` makes —
on a fresh database and on one made before them. Someone who owns the
database can drop the triggers first: ``verify`` still finds what they did,
in the tokens' log as in the books'.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError

from api.auth.tokens import Role, TokenStore
from api.cli import main as cli
from api.ops.demo import load_demo
from ledger import Ledger
from ledger.seals import BOOKS_LOG, SEALED_LOGS, TOKENS_LOG, SealedLog, sealed_logs
from projections import ReadModels
from storage.schema import drop_guards, guards
from tests.conftest import LedgerFactory

DAY = date(2022, 10, 1)
TABLES_OF_RECORD = [
    name
    for log, (seals, links) in SEALED_LOGS.items()
    for name in (log, seals.name, links.name)
]


def key_column(table: str) -> str:
    if table.endswith("_events"):
        return "id"
    return "seal_no" if table.endswith("_seals") else "position"


@dataclass
class Recorded:
    ledger: Ledger
    engine: Engine
    tokens: TokenStore


@pytest.fixture
def recorded(open_ledger: LedgerFactory, database_url: str) -> Iterator[Recorded]:
    """The demo province and two token events, every log sealed."""
    ledger = open_ledger()
    load_demo(ledger)
    engine = create_engine(database_url)
    tokens = TokenStore(engine)
    issued = tokens.create(Role.AUDITOR, label="kiểm toán")
    tokens.revoke(issued.token_id)
    for log in sealed_logs(ledger):
        assert log.seal()
    yield Recorded(ledger, engine, tokens)
    engine.dispose()


def test_every_table_of_record_has_its_guards(recorded: Recorded) -> None:
    with recorded.engine.connect() as conn:
        guarded = {table for _trigger, table in guards(conn)}
    assert guarded == set(TABLES_OF_RECORD)


@pytest.mark.parametrize("table", TABLES_OF_RECORD)
@pytest.mark.parametrize(
    "statement",
    ["UPDATE {table} SET {column} = {column}", "DELETE FROM {table}"],
    ids=["update", "delete"],
)
def test_the_database_refuses_to_change_a_table_of_record(
    recorded: Recorded, table: str, statement: str
) -> None:
    column = key_column(table)
    with recorded.engine.connect() as conn:
        before = conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()  # noqa: S608
    assert before

    refused = pytest.raises(DatabaseError, match="chỉ được ghi thêm")
    with refused, recorded.engine.begin() as conn:
        conn.execute(text(statement.format(table=table, column=column)))

    with recorded.engine.connect() as conn:
        after = conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()  # noqa: S608
    assert after == before
    assert all(log.verify().clean for log in sealed_logs(recorded.ledger))


@pytest.mark.postgres
@pytest.mark.parametrize("table", TABLES_OF_RECORD)
def test_postgresql_refuses_to_truncate_a_table_of_record(
    postgres_url: str, table: str
) -> None:
    ledger = Ledger(postgres_url)
    engine = create_engine(postgres_url)
    try:
        TokenStore(engine)
        sealed_logs(ledger)
        refused = pytest.raises(DatabaseError, match="chỉ được ghi thêm")
        with refused, engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {table}"))
    finally:
        engine.dispose()
        ledger.close()


def test_a_database_made_before_the_guards_gets_them_when_opened(
    recorded: Recorded, database_url: str
) -> None:
    with recorded.engine.begin() as conn:
        drop_guards(conn)
        assert guards(conn) == []

    reopened = Ledger(database_url)  # a new process: a new engine
    engine = create_engine(database_url)
    try:
        sealed_logs(reopened)
        TokenStore(engine)
        with recorded.engine.connect() as conn:
            guarded = {table for _trigger, table in guards(conn)}
    finally:
        engine.dispose()
        reopened.close()
    assert guarded == set(TABLES_OF_RECORD)


def test_snapshots_may_still_be_replaced(open_ledger: LedgerFactory) -> None:
    """Snapshots are a cache of the events (``docs/deploy.md``): not guarded."""
    ledger = open_ledger(snapshot_interval=2)
    load_demo(ledger)
    log = SealedLog(ledger)
    with log.engine.begin() as conn:
        assert conn.execute(text("SELECT count(*) FROM ledger_snapshots")).scalar()
        conn.execute(text("DELETE FROM ledger_snapshots"))
    ledger.receive_donation(
        "NA-DC-DH", voucher_no="PT-S-9", amount=1_000, business_date=DAY
    )


def test_verify_names_a_rewritten_token_event(
    recorded: Recorded,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    tokens = SealedLog(recorded.ledger, log=TOKENS_LOG)
    # Whoever owns the database drops the triggers, then turns the auditor's
    # token into an admin's in its Issued event.
    with recorded.engine.begin() as conn:
        drop_guards(conn)
        position, state = conn.execute(
            text(f"SELECT id, state FROM {TOKENS_LOG} ORDER BY id LIMIT 1")  # noqa: S608
        ).one()
        forged = bytes(state).replace(b'"auditor"', b'"admin"')
        assert forged != bytes(state)
        conn.execute(
            text(f"UPDATE {TOKENS_LOG} SET state = :s WHERE id = :p"),  # noqa: S608
            {"s": forged, "p": position},
        )

    check = tokens.verify()

    assert [(f.position, f.kind) for f in check.findings] == [(position, "altered")]
    assert SealedLog(recorded.ledger, log=BOOKS_LOG).verify().clean
    monkeypatch.setenv("KHUYENHOC_DATABASE_URL", database_url)
    capsys.readouterr()
    assert cli.main(["verify"]) == 1
    out = capsys.readouterr().out
    assert f"sealed token log: position {position}: the stored event was altered" in out
    assert "sealed log: clean up to seal #1" in out


def test_seal_and_the_archive_cover_the_tokens_log(
    recorded: Recorded,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("KHUYENHOC_DATABASE_URL", database_url)
    recorded.tokens.create(Role.PUBLIC, label="bảng tin")
    capsys.readouterr()

    assert cli.main(["seal"]) == 0
    out = capsys.readouterr().out
    assert f"{TOKENS_LOG}: seal #2 at log position 3 (3 events" in out
    archive = tmp_path / "archive.jsonl"
    assert cli.main(["export", "--format", "jsonl", "--output", str(archive)]) == 0
    records = [json.loads(line) for line in archive.read_text().splitlines()]
    kinds = [r["type"] for r in records]
    assert kinds[-5:] == [
        "TokenEvent",
        "TokenEvent",
        "TokenSeal",
        "TokenEvent",
        "TokenSeal",
    ]
    seals = SealedLog(recorded.ledger, log=TOKENS_LOG).all()
    assert [r for r in records if r["type"] == "TokenSeal"] == [
        {"type": "TokenSeal", **seal.as_record()} for seal in seals
    ]
    events = [r for r in records if r["type"] == "TokenEvent"]
    assert [e["position"] for e in events] == [1, 2, 3]
    assert all("digest" not in e["data"] for e in events)


DEPLOY = Path(__file__).resolve().parents[2] / "docs" / "deploy.md"


def deploy_sql(marker: str, names: dict[str, str]) -> list[str]:
    """The SQL block after ``marker`` in docs/deploy.md, with our names, as
    statements."""
    text_ = DEPLOY.read_text(encoding="utf-8")
    block = text_.split(f"<!-- append-only: {marker} -->", 1)[1]
    block = block.split("```sql\n", 1)[1].split("```", 1)[0]
    for name, ours in names.items():
        block = re.sub(rf"\b{name}\b", ours, block)
    lines = [line for line in block.splitlines() if not line.startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


@pytest.mark.postgres
def test_a_service_role_may_only_read_and_insert_the_tables_of_record(
    postgres_server: str,
) -> None:
    suffix = uuid.uuid4().hex[:10]
    names = {
        "khuyenhoc_owner": f"kh_owner_{suffix}",
        "khuyenhoc_app": f"kh_app_{suffix}",
        "khuyenhoc": f"kh_{suffix}",
    }
    admin = create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    app_url = (
        postgres_server.replace("postgres@", f"{names['khuyenhoc_app']}@", 1)
        + f"?options=-csearch_path%3D{names['khuyenhoc']}"
    )
    try:
        with admin.connect() as conn:
            for statement in deploy_sql("before the first start", names):
                conn.execute(text(statement))
        first = Ledger(app_url)  # the first start, as the service's role
        first_engine = create_engine(app_url)
        TokenStore(first_engine)
        sealed_logs(first)
        first.close()
        first_engine.dispose()
        with admin.connect() as conn:
            for statement in deploy_sql("after the first start", names):
                conn.execute(text(statement))

        # Every later start, as the service's role: it records, seals, verifies.
        ledger = Ledger(app_url)
        engine = create_engine(app_url)
        try:
            load_demo(ledger)
            tokens = TokenStore(engine)
            tokens.revoke(tokens.create(Role.AUDITOR).token_id)
            for log in sealed_logs(ledger):
                assert log.seal()
                assert log.verify().clean
            ReadModels(ledger).catch_up()
            assert tokens.verify() == []
            for table in TABLES_OF_RECORD:
                key = key_column(table)
                for statement in (
                    f"UPDATE {table} SET {key} = {key}",  # noqa: S608 -- ours
                    f"DELETE FROM {table}",  # noqa: S608 -- our table names
                    f"TRUNCATE {table}",
                    f"ALTER TABLE {table} DISABLE TRIGGER ALL",
                    f"DROP TRIGGER khuyenhoc_append_only_rows ON {table}",
                    f"DROP TABLE {table}",
                ):
                    with (
                        pytest.raises(DatabaseError, match=r"denied|owner|ghi thêm"),
                        engine.begin() as conn,
                    ):
                        conn.execute(text(statement))
            with engine.connect() as conn:
                assert len(guards(conn)) == 2 * len(TABLES_OF_RECORD)
        finally:
            engine.dispose()
            ledger.close()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {names['khuyenhoc']} CASCADE"))
            for role in (names["khuyenhoc_app"], names["khuyenhoc_owner"]):
                conn.execute(text(f"DROP OWNED BY {role} CASCADE"))
                conn.execute(text(f"DROP ROLE {role}"))
        admin.dispose()
