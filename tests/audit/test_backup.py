"""``khuyenhoc backup`` and ``khuyenhoc restore``: a copy of a live ledger
that restores into an empty database, verifies clean there and ends at the
seal the backup printed."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from api.cli import main as cli
from api.ops.backup import describe
from ledger import Ledger
from ledger.seals import BOOKS_LOG, TOKENS_LOG, SealedLog
from tests.api.conftest import Api, open_api
from tests.audit.conftest import TargetFactory

__all__ = ["open_api"]

SEAL_LINE = re.compile(
    r"^(sealed log|sealed token log): ends at seal #\d+ .*: ([0-9a-f]{64})$"
)


def printed_seals(out: str) -> dict[str, str]:
    return {
        m.group(1): m.group(2)
        for m in (SEAL_LINE.match(line) for line in out.splitlines())
        if m
    }


def stored_states(url: str) -> list[bytes]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [
                bytes(s)
                for s in conn.execute(text("SELECT state FROM ledger_events")).scalars()
            ]
    finally:
        engine.dispose()


def test_a_backup_taken_while_the_service_records_restores_clean_to_its_seal(
    open_api: object,
    database_url: str,
    new_target: TargetFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    api: Api = open_api()  # type: ignore[operator]
    acknowledged: list[str] = []
    stop = threading.Event()

    def record() -> None:
        n = 0
        while not stop.is_set():
            voucher = f"PT-B-{n}"
            if api.donate(voucher, 1_000 + n).status_code == 201:
                acknowledged.append(voucher)
            n += 1

    writer = threading.Thread(target=record)
    writer.start()
    try:
        while len(acknowledged) < 5:
            stop.wait(0.05)
        before = list(acknowledged)
        monkeypatch.setenv("KHUYENHOC_DATABASE_URL", database_url)
        file = tmp_path / "backup" / "khuyenhoc.sqlite3"
        capsys.readouterr()
        assert cli.main(["backup", "--to", str(file)]) == 0
        out = capsys.readouterr().out
        while len(acknowledged) < len(before) + 3:  # it kept recording
            stop.wait(0.05)
    finally:
        stop.set()
        writer.join()
    printed = printed_seals(out)
    assert set(printed) == {"sealed log", "sealed token log"}
    held = describe(file)
    last = held.seals[BOOKS_LOG]
    assert last is not None
    assert printed["sealed log"] == last.seal_hash
    assert list(file.parent.iterdir()) == [file]  # no partial copy left

    target = new_target()
    monkeypatch.setenv("KHUYENHOC_DATABASE_URL", target)
    assert cli.main(["restore", str(file), "--seal", printed["sealed log"]]) == 0
    out = capsys.readouterr().out
    assert "sealed log: clean up to seal #" in out
    assert "sealed token log: clean up to seal #" in out
    assert "verify: read models clean" in out

    restored = Ledger(target)
    try:
        books = SealedLog(restored).last()
        tokens = SealedLog(restored, log=TOKENS_LOG).last()
    finally:
        restored.close()
    assert books is not None
    assert tokens is not None
    assert books.seal_hash == printed["sealed log"]
    assert tokens.seal_hash == printed["sealed token log"]
    states = b"\n".join(stored_states(target))
    assert all(f'"{voucher}"'.encode() in states for voucher in before)


def test_restore_refuses_a_database_that_holds_a_ledger(
    demo: Ledger,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("KHUYENHOC_DATABASE_URL", database_url)
    file = tmp_path / "copy.sqlite3"
    assert cli.main(["backup", "--to", str(file)]) == 0
    assert cli.main(["backup", "--to", str(file)]) == 1  # never over a file
    before = stored_states(database_url)
    capsys.readouterr()

    assert cli.main(["restore", str(file)]) == 1

    assert "into an empty database" in capsys.readouterr().out
    assert stored_states(database_url) == before
