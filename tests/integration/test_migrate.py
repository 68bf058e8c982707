"""Moving an office's SQLite ledger to PostgreSQL: the same books on the other
side, and a move that fails changes nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from api.auth.tokens import Role, TokenStore
from api.cli.main import main
from api.ops.migrate import migrate
from bench.seed import NgheAn2022
from ledger import Ledger, errors
from ledger.seals import SealedLog
from projections import Queries, ReadModels
from projections.verify import verify

TODAY = date(2024, 12, 31)
pytestmark = pytest.mark.postgres


def populated(url: str) -> tuple[list[str], str]:
    ledger = Ledger(url, today=lambda: TODAY, snapshot_interval=5)
    try:
        seed = NgheAn2022(scale=0.003)
        seed.record(ledger)
        ledger.register_organisation(
            "NA-D99", name="Hội mới", level="district", parent_code="NA",
            registered_on=date(2023, 1, 1),
        )  # fmt: skip
        commune = next(o.code for o in seed.organisations if o.level == "commune")
        ledger.move(commune, new_parent_code="NA-D99", effective_on=date(2023, 6, 1))
        read_models = ReadModels(ledger)
        read_models.catch_up()
        token = TokenStore(read_models.engine).create(Role.AUDITOR).secret
        return [o.code for o in seed.organisations] + ["NA-D99"], token
    finally:
        ledger.close()


def books(url: str, codes: list[str]) -> dict[str, object]:
    ledger = Ledger(url, today=lambda: TODAY)
    try:
        read_models = ReadModels(ledger)
        read_models.catch_up()
        q = Queries(read_models)
        return {
            code: (
                q.balance(code),
                q.balance(code, subtree=True),
                q.summary(code, 2022, subtree=True),
                q.summary(code, 2023, subtree=True),
                [(e.kind, e.voucher_no, e.amount_vnd) for e in q.journal(code).entries],
                q.ancestors(code, on=date(2022, 12, 31)),
            )
            for code in codes
        } | {"campaign": q.campaign_totals("NA-THANG-19", org="NA")}
    finally:
        ledger.close()


def test_a_sqlite_ledger_moves_to_postgresql_whole(
    tmp_path: Path, postgres_url: str
) -> None:
    sqlite_url = f"sqlite:///{tmp_path / 'office.sqlite3'}"
    codes, token = populated(sqlite_url)
    copied: list[int] = []

    moved = migrate(sqlite_url, postgres_url, progress=copied.append)

    assert moved.verification.clean
    assert moved.events == copied[-1]
    assert moved.snapshots > 0
    assert moved.tokens == 1
    assert books(postgres_url, codes) == books(sqlite_url, codes)
    target = Ledger(postgres_url)
    try:
        read_models = ReadModels(target)
        assert TokenStore(read_models.engine).authenticate(token) is not None
        assert read_models.head() == moved.position
        assert verify(read_models).clean
    finally:
        target.close()


def test_a_target_that_holds_a_ledger_is_refused(
    tmp_path: Path, postgres_url: str
) -> None:
    sqlite_url = f"sqlite:///{tmp_path / 'office.sqlite3'}"
    populated(sqlite_url)
    existing = Ledger(postgres_url, today=lambda: TODAY)
    existing.register_organisation(
        "X", name="X", level="province", registered_on=date(2020, 1, 1)
    )
    head = existing.recorder.max_notification_id()
    existing.close()
    with pytest.raises(errors.InvalidInput, match="already holds a ledger"):
        migrate(sqlite_url, postgres_url)
    target = Ledger(postgres_url)
    assert target.recorder.max_notification_id() == head
    target.close()


def test_a_copy_that_fails_half_way_leaves_the_target_empty(
    tmp_path: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    sqlite_url = f"sqlite:///{tmp_path / 'office.sqlite3'}"
    populated(sqlite_url)

    def broken(*_: object) -> int:
        raise RuntimeError("the disk filled up")

    # The events are in, the snapshots fail: the one transaction rolls back.
    monkeypatch.setattr("api.ops.migrate._copy_snapshots", broken)
    with pytest.raises(RuntimeError, match="disk filled up"):
        migrate(sqlite_url, postgres_url)
    target = Ledger(postgres_url)
    assert target.recorder.max_notification_id() is None
    target.close()
    monkeypatch.undo()
    assert migrate(sqlite_url, postgres_url).verification.clean


def test_the_migrate_command_moves_and_verifies(
    tmp_path: Path, postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    sqlite_url = f"sqlite:///{tmp_path / 'office.sqlite3'}"
    codes, _token = populated(sqlite_url)

    moved = main(["migrate", "--from", sqlite_url, "--to", postgres_url])

    out = capsys.readouterr().out
    assert moved == 0, out
    assert "verify: clean" in out
    assert books(postgres_url, codes) == books(sqlite_url, codes)
    # A second move into the now-populated target is refused, and changes nothing.
    assert main(["migrate", "--from", sqlite_url, "--to", postgres_url]) == 1
    assert "already holds a ledger" in capsys.readouterr().err
    assert books(postgres_url, codes) == books(sqlite_url, codes)


def test_a_moved_ledger_keeps_its_positions_and_its_seals(
    tmp_path: Path, postgres_url: str
) -> None:
    sqlite_url = f"sqlite:///{tmp_path / 'office.sqlite3'}"
    populated(sqlite_url)
    source = Ledger(sqlite_url)
    try:
        (sealed,) = SealedLog(source).seal()
        # Events after the last seal move too, unsealed.
        source.register_organisation(
            "NA-D98", name="Hội mới", level="district", parent_code="NA",
            registered_on=date(2023, 1, 1),
        )  # fmt: skip
        head = SealedLog(source).head()
    finally:
        source.close()

    moved = migrate(sqlite_url, postgres_url)

    assert moved.position == head
    target = Ledger(postgres_url)
    try:
        log = SealedLog(target)
        assert log.last() == sealed  # a seal hash printed before the move checks
        check = log.verify()
        assert check.clean, [str(f) for f in check.findings]
        assert (check.unsealed, log.head()) == (head - sealed.position, head)
        assert head > sealed.position
    finally:
        target.close()
