"""Reports for people: Vietnamese and English figures (golden files for the
demo province and the seed's), and ``--json`` giving exactly the HTTP summary.

The golden files' recipe, and which of their figures come from an
independent source (the article's province totals, the demo's hand-written
entries) and which only from the code: ``tests/books/regenerate_golden.py``,
which also rewrites them (``python -m tests.books.regenerate_golden``)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.books import figures
from api.cli import main as cli
from api.http.app import create_app
from api.ops.demo import load_demo
from api.settings import Settings
from bench.seed import ARTICLE
from tests.books import regenerate_golden as golden
from tests.books.conftest import Books


@pytest.mark.parametrize(
    ("amount", "vi", "en"),
    [
        (87_100_000_000, "87,1 tỷ đồng", "87.1 billion đồng"),
        (68_249_999_999, "68,2 tỷ đồng", "68.2 billion đồng"),
        (68_250_000_000, "68,3 tỷ đồng", "68.3 billion đồng"),
        (3_000_000_000, "3 tỷ đồng", "3 billion đồng"),
        (27_500_000, "27,5 triệu đồng", "27.5 million đồng"),
        (26_065, "26.000 đồng", "26,000 đồng"),
        (26_500, "27.000 đồng", "27,000 đồng"),
        (999, "999 đồng", "999 đồng"),
        # Small amounts exactly: 1.312 is not "1.000".
        (1_312, "1.312 đồng", "1,312 đồng"),
        (9_999, "9.999 đồng", "9,999 đồng"),
        (10_400, "10.000 đồng", "10,000 đồng"),
        # The unit the rounded amount reaches, not the raw one.
        (999_999, "1 triệu đồng", "1 million đồng"),
        (999_499, "999.000 đồng", "999,000 đồng"),
        (999_960_000, "1 tỷ đồng", "1 billion đồng"),
        (999_940_000, "999,9 triệu đồng", "999.9 million đồng"),
        (0, "0 đồng", "0 đồng"),
    ],
)
def test_amounts_are_written_as_the_province_writes_them(
    amount: int, vi: str, en: str
) -> None:
    assert (figures.money(amount, "vi"), figures.money(amount, "en")) == (vi, en)


def test_counts_shares_and_dates_follow_each_languages_conventions() -> None:
    assert figures.whole(775_276, "vi") == "775.276"
    assert figures.whole(775_276, "en") == "775,276"
    assert figures.percent(0.232, "vi") == "23,2%"
    assert figures.percent(0.23249, "en") == "23.2%"
    assert figures.decimal(Decimal("0.05"), "vi") == "0,1"
    # A negative share under one keeps its sign (int("-0") would drop it).
    assert figures.decimal(Decimal("-0.46"), "vi") == "-0,5"
    assert figures.money(-250_000_000, "en") == "-250 million đồng"
    assert figures.money(-2_500_000_000, "vi") == "-2,5 tỷ đồng"
    assert figures.day(date(2022, 9, 5), "vi") == "05/09/2022"
    assert figures.day(date(2022, 9, 5), "en") == "2022-09-05"


@pytest.mark.parametrize(
    ("data", "code", "subtree", "lang"),
    [
        ("seed", "NA", True, "vi"),
        ("seed", "NA", True, "en"),
        ("demo", "NA-DC-DH", False, "vi"),
        ("demo", "NA-DC-DH", False, "en"),
    ],
)
def test_a_report_matches_its_golden_file(
    books: Books,
    csv_set: list[Path],
    data: str,
    code: str,
    subtree: bool,
    lang: figures.Lang,
) -> None:
    # The recipe is regenerate_golden's; here on SQLite and PostgreSQL.
    if data == "seed":  # the article's province, at a tiny scale
        books.import_files(csv_set)
        assert books.errors == []
    else:
        load_demo(books.ledger)

    text = golden.render(books.ledger, code, subtree, lang)

    expected = golden.golden_path(data, code, subtree, lang)
    assert text == expected.read_text(encoding="utf-8")
    if data == "seed":  # the figures taken from the article, not the code
        summary = books.queries.summary(code, 2022, subtree=True)
        assert (summary.raised_vnd, summary.disbursed_vnd) == (
            ARTICLE.raised_vnd,
            ARTICLE.disbursed_vnd,
        )
        assert (summary.recipients, summary.members) == (
            ARTICLE.recipients,
            ARTICLE.members,
        )


def test_report_json_is_the_http_summary(
    books: Books,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    load_demo(books.ledger)
    monkeypatch.setenv("KHUYENHOC_DATABASE_URL", database_url)

    code = cli.main(["report", "--org", "NA", "--year", "2022", "--subtree", "--json"])

    printed = json.loads(capsys.readouterr().out)
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        answer = client.get(
            "/v1/organisations/NA/summary", params={"year": 2022, "subtree": "true"}
        )
    assert code == 0
    assert answer.status_code == 200
    assert printed == answer.json()
    assert printed["raised_vnd"] == 78_000_000
    assert printed["member_ratio"] == 0.231994  # 775,276 of 3,341,800
