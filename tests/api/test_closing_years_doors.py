"""Closing a year through the command line and HTTP (issue 15)."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.cli import main as cli
from tests.api.conftest import Api
from tests.api.test_routes import problem

ORG = "/v1/organisations/NA-DC-DH"


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    monkeypatch.setenv("KHUYENHOC_DATABASE_URL", url)
    return url


def test_close_year_then_reopen_year_on_the_command_line(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["demo"]) == 0
    capsys.readouterr()
    assert cli.main(["close-year", "--org", "NA-DC-DH", "--year", "2022"]) == 0
    assert "2022 closed" in capsys.readouterr().out
    assert cli.main(["close-year", "--org", "NA-DC-DH", "--year", "2030"]) == 1
    assert "invalid_date" in capsys.readouterr().err
    assert cli.main(["reopen-year", "--org", "NA-DC-DH", "--year", "2022",
                     "--reason", "Kiểm toán yêu cầu"]) == 0  # fmt: skip
    assert "2022 reopened" in capsys.readouterr().out


def test_closing_a_year_over_http_refuses_entries_dated_in_it(api: Api) -> None:
    assert api.donate("PT-1", 2_000_000, business_date="2022-03-01").status_code == 201
    problem(api.post(f"{ORG}/years/2022/close", {}), 403, "forbidden")  # treasurer
    closed = api.post(f"{ORG}/years/2022/close", {}, who="admin")
    assert closed.status_code == 200, closed.text
    assert closed.json()["closed"] is True

    refused = problem(
        api.donate("PT-2", 1_000, business_date="2022-12-31"), 409, "period_closed"
    )
    assert [e["field"] for e in refused["errors"]] == ["body.business_date"]
    assert api.donate("PT-3", 1_000, business_date="2023-01-02").status_code == 201

    # Only the last closed year can be reopened.
    problem(
        api.post(f"{ORG}/years/2021/reopen", {"reason": "sai"}, who="admin"),
        422,
        "invalid_date",
    )
    reopened = api.post(
        f"{ORG}/years/2022/reopen", {"reason": "Kiểm toán"}, who="admin"
    )
    assert reopened.status_code == 200, reopened.text
    assert api.donate("PT-2", 1_000, business_date="2022-12-31").status_code == 201
