"""The HTTP door of issue 15: accounts on every entry, income, deposits and
withdrawals, balances per account, and the one rule for balances on any date."""

from __future__ import annotations

from tests.api.conftest import Api
from tests.api.test_routes import problem

ORG = "/v1/organisations/NA-DC-DH"


def test_a_back_dated_payment_that_overdraws_its_day_is_409_naming_it(
    api: Api,
) -> None:
    """The issue's example: 20,000,000 received on 2022-01-20, then 10,000,000
    paid dated 2022-01-10."""
    assert api.donate("PT-1", 20_000_000, business_date="2022-01-20").status_code == 201
    body = {
        "voucher_no": "PC-1",
        "amount_vnd": 10_000_000,
        "business_date": "2022-01-10",
        "category": "scholarship",
    }
    refused = problem(api.post(f"{ORG}/disbursements", body), 409, "insufficient_funds")
    assert refused["on"] == "2022-01-10"
    assert refused["account"] == "cash"
    assert refused["balance"] == 0
    assert refused["errors"] == [
        {"field": "body.amount_vnd", "message": refused["errors"][0]["message"]}
    ]
    assert "ngày 10/01/2022" in refused["detail"]  # Vietnamese first
    balance = api.get(f"{ORG}/balance", as_of="2022-01-15").json()
    assert balance["balance_vnd"] == 0


def test_cash_and_bank_through_http(api: Api) -> None:
    assert api.donate("PT-1", 5_000_000, account="bank").status_code == 201
    deposit = {
        "voucher_no": "NT-1",
        "amount_vnd": 1_000_000,
        "business_date": "2022-03-02",
    }
    assert api.donate("PT-2", 2_000_000).status_code == 201
    recorded = api.post(f"{ORG}/deposits", deposit)
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["kind"] == "deposit"
    income = {
        "voucher_no": "PT-3",
        "amount_vnd": 25_000,
        "business_date": "2022-03-31",
        "income_kind": "interest",
        "payer": "Agribank",
        "account": "bank",
    }
    assert api.post(f"{ORG}/income", income).status_code == 201
    too_much = {
        "voucher_no": "RT-1",
        "amount_vnd": 9_000_000,
        "business_date": "2022-04-01",
    }
    refused = problem(
        api.post(f"{ORG}/withdrawals", too_much), 409, "insufficient_funds"
    )
    assert refused["account"] == "bank"

    accounts = api.get(f"{ORG}/accounts", who="auditor").json()
    assert accounts["funds"] == [
        {"fund": "general", "cash_vnd": 1_000_000, "bank_vnd": 6_025_000}
    ]
    then = api.get(f"{ORG}/accounts", who="auditor", as_of="2022-03-01").json()
    assert then["funds"] == [
        {"fund": "general", "cash_vnd": 2_000_000, "bank_vnd": 5_000_000}
    ]
    summary = api.get(f"{ORG}/summary", year=2022).json()
    assert summary["raised_vnd"] == 7_000_000  # interest is not raised


def test_a_bad_account_or_income_kind_names_its_field(api: Api) -> None:
    refused = problem(
        api.donate("PT-1", 5_000, account="safe"), 422, "validation_failed"
    )
    assert [e["field"] for e in refused["errors"]] == ["body.account"]
    body = {
        "voucher_no": "PT-2",
        "amount_vnd": 5_000,
        "business_date": "2022-03-31",
        "income_kind": "gift",
    }
    refused = problem(api.post(f"{ORG}/income", body), 422, "validation_failed")
    assert [e["field"] for e in refused["errors"]] == ["body.income_kind"]
