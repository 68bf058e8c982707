"""A report for a past year prints the name in force that year (golden file):
the demo's commune renamed by the 2025 reform still reads Diễn Hoa in 2022."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from api.cli import main as cli
from api.ops.demo import load_demo
from ledger.types import today_in_vietnam
from projections import Queries, ReadModels
from tests.conftest import LedgerFactory

GOLDEN = Path(__file__).parent / "golden"
NEW_NAME = "Hội Khuyến học xã Diễn Châu mới"


def test_the_2022_report_of_a_commune_renamed_in_2025_prints_its_2022_name(
    open_ledger: LedgerFactory,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ledger = open_ledger(today=lambda: date(2025, 8, 1))
    load_demo(ledger)
    ledger.rename("NA-DC-DH", name=NEW_NAME, effective_on=date(2025, 7, 1))
    monkeypatch.setenv("KHUYENHOC_DATABASE_URL", database_url)

    code = cli.main(["report", "--org", "NA-DC-DH", "--year", "2022"])
    printed = capsys.readouterr().out
    cli.main(["report", "--org", "NA-DC-DH", "--year", "2025"])
    this_year = capsys.readouterr().out

    assert code == 0
    # The golden file was printed on 31/12/2024; the command line prints today.
    printed_on = today_in_vietnam().strftime("%d/%m/%Y")
    golden = GOLDEN / "renamed-NA-DC-DH-2022-vi.txt"
    assert printed.replace(printed_on, "31/12/2024") == golden.read_text("utf-8")
    assert f"{NEW_NAME} (NA-DC-DH)" in this_year
    queries = Queries(ReadModels(ledger))
    assert (
        queries.name_on("NA-DC-DH", date(2025, 6, 30)) == "Hội Khuyến học xã Diễn Hoa"
    )
    assert queries.organisation("NA-DC-DH").name == NEW_NAME
