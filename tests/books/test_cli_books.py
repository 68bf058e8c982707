"""The command line of the books: ``import``, ``export``, ``report``, and the
progress shown by long work (``rebuild`` and ``verify`` too); exit codes 0, 1
and 2."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from api.cli import main as cli
from api.cli.progress import Progress
from ledger import Ledger
from tests.books.conftest import edit_cell
from tests.books.test_import import disbursement_lines


@pytest.fixture
def database(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("KHUYENHOC_DATABASE_URL", database_url)
    return database_url


def logged_events(url: str) -> int:
    ledger = Ledger(url)
    try:
        return len(ledger.recorder.select_notifications(start=1, limit=100_000))
    finally:
        ledger.close()


def test_import_reports_what_it_recorded_and_again_that_nothing_changed(
    database: str, csv_set: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["import", *map(str, csv_set)]) == 0
    first = capsys.readouterr()
    events = logged_events(database)

    assert cli.main(["import", *map(str, csv_set)]) == 0
    again = capsys.readouterr()

    assert f"{events:,} new events" in first.out
    assert "entries.csv: " in first.out
    assert " 0 new events" in again.out
    assert logged_events(database) == events
    assert "import: " in first.err  # progress, as plain lines off a terminal
    assert "read models: " in first.err


def test_import_of_a_bad_row_exits_1_listing_it_and_writes_nothing(
    database: str, csv_set: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    line = disbursement_lines(csv_set[-1])[0]  # leaving it out starves nothing
    edit_cell(csv_set[-1], line, "amount_vnd", "1,5")

    assert cli.main(["import", *map(str, csv_set)]) == 1

    err = capsys.readouterr().err
    assert f"entries.csv, dòng {line}, cột E ('amount_vnd'): " in err
    assert "khuyenhoc: 1 lỗi; chưa nhập gì cả." in err
    assert logged_events(database) == 0


def test_usage_errors_exit_2(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["import", str(tmp_path / "missing.csv")]) == 2
    assert "no such file" in capsys.readouterr().err
    for argv in (
        ["export", "--format", "xml"],
        ["export", "--format", "csv", "--from", "2022-13-01"],
        ["report", "--org", "NA"],
        ["report", "--org", "NA", "--year", "2022", "--lang", "fr"],
    ):
        with pytest.raises(SystemExit) as exited:
            cli.main(argv)
        assert exited.value.code == 2, argv


def test_a_report_of_an_unknown_organisation_exits_1(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["demo"]) == 0
    capsys.readouterr()

    assert cli.main(["report", "--org", "NA-NOWHERE", "--year", "2022"]) == 1

    assert "unknown_organisation" in capsys.readouterr().err


def test_export_writes_to_stdout_or_a_file(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["demo"]) == 0
    capsys.readouterr()
    target = tmp_path / "demo.journal"

    assert cli.main(["export", "--format", "csv", "--org", "NA-QL"]) == 0
    out = capsys.readouterr().out
    assert cli.main(["export", "--format", "hledger", "--output", str(target)]) == 0

    assert out.startswith("\ufefforg_code,voucher_no,kind,date,amount_vnd,")
    assert len(out.splitlines()) == 3  # header, a gift and a payment of NA-QL-QT
    assert "assets:NA:NA-DC:NA-DC-DH:general:cash  50000000 VND" in target.read_text(
        encoding="utf-8"
    )


@pytest.mark.parametrize("command", ["import", "export", "report"])
def test_each_command_shows_an_example_in_its_help(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main([command, "--help"])
    assert exited.value.code == 0
    assert f"example:\n  khuyenhoc {command} " in capsys.readouterr().out


def test_rebuild_and_verify_show_their_progress(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["demo"]) == 0
    capsys.readouterr()

    assert cli.main(["rebuild"]) == 0
    rebuilt = capsys.readouterr().err
    assert cli.main(["verify"]) == 0
    verified = capsys.readouterr().err

    # The demo's log holds 17 events that change a read model.
    assert "rebuild: [########################] 100% 17/17 events" in rebuilt
    assert "verify: rebuilding: [########################] 100% 17/17" in verified


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_on_a_terminal_progress_redraws_one_line_with_counts_rate_and_time_left() -> (
    None
):
    screen, clock = FakeTerminal(), Clock()
    progress = Progress("import", 1_000, "rows", stream=screen, clock=clock)

    clock.now += 2
    progress.update(250)
    clock.now += 0.01
    progress.update(260)  # too soon to redraw
    clock.now += 2
    progress.finish(1_000)

    frames = screen.getvalue().split("\r\x1b[K")[1:]
    assert frames == [
        "import: [######..................]  25% 250/1,000 rows, 125/s, 2.0 s, "
        "6 s left",
        "import: [########################] 100% 1,000/1,000 rows, 249/s, 4.0 s\n",
    ]


def test_off_a_terminal_progress_writes_a_plain_line_now_and_then() -> None:
    log, clock = io.StringIO(), Clock()
    progress = Progress("export csv", None, "rows", stream=log, clock=clock)

    for done in range(1, 31):
        clock.now += 1
        progress.update(done * 100)
    progress.finish()

    assert log.getvalue().splitlines() == [
        "export csv: 1,000 rows, 100/s, 10.0 s",
        "export csv: 2,000 rows, 100/s, 20.0 s",
        "export csv: 3,000 rows, 100/s, 30.0 s",
        "export csv: 3,000 rows, 100/s, 30.0 s",
    ]
