"""The command line: the demo command, exit codes and messages."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from api.bootstrap import open_core
from api.cli import main as cli
from api.ops.demo import load_demo
from ledger import Ledger
from tests.processes import read_line, wait_readable


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    monkeypatch.setenv("KHUYENHOC_DATABASE_URL", url)
    return url


def test_demo_records_the_sample_province_and_prints_its_balances(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["demo"]) == 0
    first = capsys.readouterr().out
    assert database in first
    rows = {
        line.split()[0]: line.split()[-1]
        for line in first.splitlines()
        if line.startswith("NA")
    }
    assert rows["NA-DC-DH"] == "27,500,000"  # 12.5M + 50M - 30M - 5M
    assert rows["NA-DC-DH-X3"] == "5,000,000"
    assert rows["NA-QL-QT"] == "14,000,000"  # 20M - 6M


def test_running_the_demo_again_records_nothing_new(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["demo"]) == 0
    ledger = Ledger(database)
    head = ledger.recorder.max_notification_id()
    ledger.close()
    first = capsys.readouterr().out

    assert cli.main(["demo"]) == 0

    ledger = Ledger(database)
    assert ledger.recorder.max_notification_id() == head
    ledger.close()
    assert capsys.readouterr().out == first


def test_a_domain_error_exits_1_with_its_code(
    database: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def overdraw(ledger: Ledger) -> list[str]:
        codes = load_demo(ledger)
        ledger.disburse(
            "NA-QL-QT",
            voucher_no="PC-TOO-MUCH",
            amount=14_000_001,
            business_date=date(2022, 12, 1),
            category="scholarship",
        )
        return codes

    monkeypatch.setattr("api.cli.demo.load_demo", overdraw)
    assert cli.main(["demo"]) == 1
    said = capsys.readouterr().err
    assert said.startswith("khuyenhoc: insufficient_funds: Quỹ chung của NA-QL-QT")
    assert "chỉ còn 14.000.000 đồng" in said  # in Vietnamese, for a person


def test_a_usage_error_exits_2() -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["no-such-command"])
    assert exited.value.code == 2


def test_verify_exits_0_when_clean_and_1_on_any_difference(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["demo"]) == 0
    assert cli.main(["verify"]) == 0
    assert "clean" in capsys.readouterr().out
    engine = create_engine(database)
    with engine.begin() as conn:
        conn.execute(text("UPDATE rm_balances SET total_in = total_in + 1"))
    engine.dispose()
    assert cli.main(["verify"]) == 1
    out = capsys.readouterr().out
    assert "rm_balances" in out
    assert "differences" in out
    assert cli.main(["rebuild"]) == 0
    assert cli.main(["verify"]) == 0


def test_project_follows_the_log_until_sigterm(database: str, tmp_path: Path) -> None:
    assert cli.main(["demo"]) == 0
    env = {**os.environ, "KHUYENHOC_DATABASE_URL": database}
    worker = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "project", "--poll", "0.05"],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
    )
    try:
        assert worker.stdout is not None
        said = read_line(worker.stdout, 60, what="khuyenhoc project")
        assert said.startswith("following ")
        ledger = Ledger(database)
        ledger.receive_donation(
            "NA", voucher_no="PT-LATE", amount=1_000, business_date=date(2022, 5, 1)
        )
        head = ledger.recorder.max_notification_id()
        ledger.close()
        assert head is not None
        with open_core(database) as services:
            assert services.read_models.wait(head, timeout=20) == head
        worker.send_signal(signal.SIGTERM)
        out, _ = worker.communicate(timeout=20)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(timeout=20)
    assert worker.returncode == 0
    assert f"stopped at log position {head}" in out


def test_a_reader_that_goes_away_stops_the_command_quietly(
    database: str, tmp_path: Path
) -> None:
    """`khuyenhoc export … | head`: no traceback, the shell's 141."""
    ledger = Ledger(database)
    load_demo(ledger)
    for n in range(300):  # more than a pipe holds: the export must wait on us
        ledger.receive_donation(
            "NA-DC-DH", voucher_no=f"PT-P{n}", amount=1_000,
            business_date=date(2022, 5, 1), donor="Một nhà hảo tâm",
        )  # fmt: skip
    ledger.close()
    script = (
        "import sys\n"
        "from api.cli import main as cli\n"
        "sys.exit(cli.main(['export', '--format', 'jsonl']))\n"
    )
    reader = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "KHUYENHOC_DATABASE_URL": database},
    )
    try:
        assert reader.stdout is not None
        wait_readable(reader.stdout, 60, what="khuyenhoc export")
        reader.stdout.read(10)
        reader.stdout.close()  # the reader goes away after a few bytes
        _, errors = reader.communicate(timeout=60)
    finally:
        if reader.poll() is None:
            reader.kill()
            reader.wait(timeout=20)
    assert reader.returncode == cli.EXIT_PIPE_CLOSED
    assert b"Traceback" not in errors


def test_make_runs_token_checks_the_port_first_and_replaces_the_last_one(
    database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from api.auth.tokens import TokenStore  # noqa: PLC0415 -- this test only
    from api.cli.demo import DEMO_HOLDER  # noqa: PLC0415

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        monkeypatch.setenv("KHUYENHOC_PORT", str(port))
        assert cli.main(["demo", "--sign-in-token"]) == 2
        said = capsys.readouterr()
        assert f"cổng {port} đang bận" in said.err
        assert f"KHUYENHOC_PORT={port + 1} make run" in said.err
        assert said.out == ""
    with open_core(database) as core:  # nothing was written
        assert TokenStore(core.read_models.engine).list_tokens() == []

    assert cli.main(["demo", "--sign-in-token"]) == 0
    first = capsys.readouterr().out.strip()
    assert cli.main(["demo", "--sign-in-token"]) == 0
    second = capsys.readouterr().out.strip()
    with open_core(database) as core:
        tokens = TokenStore(core.read_models.engine)
        assert tokens.authenticate(first) is None  # revoked by the second run
        principal = tokens.authenticate(second)
        assert principal is not None
        assert principal.holder == DEMO_HOLDER
        (live,) = [t for t in tokens.list_tokens() if t.revoked_at is None]
        assert live.expires_at is not None
