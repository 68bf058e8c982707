"""A yearly report in which interest and dues are shown apart from what was
raised, and per capita counts gifts only (issue 15): golden files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from api.books import figures, reports
from tests.books.conftest import Books

GOLDEN = Path(__file__).parent / "golden"
PRINTED_ON = date(2024, 12, 31)


def record_a_commune_year(books: Books) -> None:
    ledger = books.ledger
    ledger.register_organisation(
        "NA",
        name="Hội Khuyến học tỉnh Nghệ An",
        level="province",
        registered_on=date(2010, 1, 1),
    )
    ledger.register_organisation(
        "NA-DC-DH",
        name="Hội Khuyến học xã Diễn Hoa",
        level="commune",
        parent_code="NA",
        registered_on=date(2010, 1, 1),
    )
    ledger.report_membership("NA-DC-DH", year=2022, members=2_320, population=10_000)
    org = "NA-DC-DH"
    ledger.receive_donation(
        org, voucher_no="PT-1", amount=50_000_000, business_date=date(2022, 2, 1)
    )
    ledger.deposit(
        org, voucher_no="NT-1", amount=40_000_000, business_date=date(2022, 2, 2)
    )
    ledger.receive_income(
        org,
        voucher_no="PT-2",
        amount=1_200_000,
        business_date=date(2022, 6, 30),
        income_kind="interest",
        payer="Agribank",
        account="bank",
    )
    ledger.receive_income(
        org,
        voucher_no="PT-3",
        amount=4_640_000,
        business_date=date(2022, 3, 1),
        income_kind="dues",
    )
    ledger.disburse(
        org,
        voucher_no="PC-1",
        amount=30_000_000,
        business_date=date(2022, 9, 5),
        category="scholarship",
        recipients=60,
        account="bank",
    )
    ledger.disburse(
        org, voucher_no="PC-2", amount=2_000_000, business_date=date(2022, 9, 5),
        category="ceremony", recipients=0,
    )  # fmt: skip


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_other_income_is_reported_apart_and_not_per_capita(
    books: Books, lang: figures.Lang
) -> None:
    record_a_commune_year(books)
    position = books.read_models.catch_up()
    summary = books.queries.summary("NA-DC-DH", 2022)

    assert summary.raised_vnd == 50_000_000
    assert summary.per_capita_vnd == 5_000  # 50,000,000 ÷ 10,000: gifts only
    assert summary.other_income_vnd == 5_840_000
    assert summary.income_by_kind["interest"] == 1_200_000
    assert summary.income_by_kind["dues"] == 4_640_000
    assert (summary.scholarships_vnd, summary.other_disbursed_vnd) == (
        30_000_000,
        2_000_000,
    )
    text = reports.render(
        summary,
        name=books.queries.organisation("NA-DC-DH").name,
        position=position,
        today=PRINTED_ON,
        lang=lang,
    )
    golden = GOLDEN / f"income-NA-DC-DH-own-{lang}.txt"
    assert text == golden.read_text(encoding="utf-8")
