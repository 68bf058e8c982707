"""Paying scholarships, awards and costs (phiếu chi): never below zero."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from ledger import Ledger, errors
from ledger.ids import voucher_id
from ledger.organisation import Organisation
from ledger.types import MAX_RECIPIENTS, Category

X01 = Organisation.id_for("NA-DC-X01")


@pytest.fixture
def funded(nghe_an: Ledger) -> Ledger:
    """Given NA-DC-X01 received 10,000,000 đồng on 1 February 2023."""
    nghe_an.receive_donation(
        "NA-DC-X01",
        voucher_no="PT-001",
        amount=10_000_000,
        business_date=date(2023, 2, 1),
    )
    return nghe_an


def pay(ledger: Ledger, **fields: Any) -> None:
    """Pay one 1,000,000 đồng scholarship from NA-DC-X01, changed by ``fields``."""
    payment: dict[str, Any] = {
        "voucher_no": "PC-001",
        "amount": 1_000_000,
        "business_date": date(2023, 5, 20),
        "category": "scholarship",
    }
    ledger.disburse("NA-DC-X01", **(payment | fields))


def test_a_disbursement_pays_from_the_fund(funded: Ledger) -> None:
    version = funded.organisation("NA-DC-X01").version

    entry_id = funded.disburse(
        "NA-DC-X01",
        voucher_no="PC-001",
        amount=6_000_000,
        business_date=date(2023, 5, 20),
        category=Category.SCHOLARSHIP,
        recipients=12,
        recipient="12 học sinh nghèo vượt khó",
        recorded_by="kế toán",
    )

    assert entry_id == voucher_id(X01, "PC-001")
    (event,) = funded.events.get(X01, gt=version)
    assert isinstance(event, Organisation.DisbursementPaid)
    assert event.entry_id == entry_id
    assert event.voucher_no == "PC-001"
    assert event.fund == "general"
    assert event.amount == 6_000_000
    assert event.business_date == date(2023, 5, 20)
    assert event.category is Category.SCHOLARSHIP
    assert event.recipients == 12
    assert event.counterparty == "12 học sinh nghèo vượt khó"
    assert event.recorded_by == "kế toán"
    assert funded.balance("NA-DC-X01") == 4_000_000


def test_a_disbursement_pays_one_recipient_by_default(funded: Ledger) -> None:
    pay(funded, category="award")

    *_, event = funded.events.get(X01)
    assert isinstance(event, Organisation.DisbursementPaid)
    assert event.category is Category.AWARD
    assert event.recipients == 1


def test_the_whole_balance_may_be_spent(funded: Ledger) -> None:
    pay(funded, amount=10_000_000)

    assert funded.balance("NA-DC-X01") == 0


def test_spending_more_than_the_balance_is_insufficient_funds(
    funded: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.InsufficientFunds) as info:
        pay(funded, amount=10_000_001)

    error = info.value
    assert (error.balance, error.amount) == (10_000_000, 10_000_001)
    assert error.details == {
        "org": "NA-DC-X01",
        "fund": "general",
        "balance": 10_000_000,
        "amount": 10_000_001,
        "account": "cash",
        "on": "2023-05-20",
    }
    assert error.code == "insufficient_funds"
    assert funded.balance("NA-DC-X01") == 10_000_000


def test_an_empty_fund_pays_nothing(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.InsufficientFunds) as info:
        pay(nghe_an, amount=1)

    assert (info.value.balance, info.value.amount) == (0, 1)


def test_money_already_spent_cannot_be_spent_again(
    funded: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    pay(funded, voucher_no="PC-001", amount=7_000_000)

    with nothing_recorded, pytest.raises(errors.InsufficientFunds) as info:
        pay(funded, voucher_no="PC-002", amount=4_000_000)

    assert (info.value.balance, info.value.amount) == (3_000_000, 4_000_000)


@pytest.mark.parametrize("category", ["scholarship", "award"])
def test_a_scholarship_or_award_for_no_recipient_is_invalid_input(
    funded: Ledger, nothing_recorded: AbstractContextManager[None], category: str
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidInput) as info:
        pay(funded, category=category, recipients=0)

    assert type(info.value) is errors.InvalidInput


def test_another_cost_may_have_no_recipient(funded: Ledger) -> None:
    pay(funded, category="other", recipients=0, note="văn phòng phẩm")

    *_, event = funded.events.get(X01)
    assert isinstance(event, Organisation.DisbursementPaid)
    assert event.category is Category.OTHER
    assert event.recipients == 0


@pytest.mark.parametrize(
    "recipients", [-1, True, 2.0, "3", MAX_RECIPIENTS + 1], ids=repr
)
def test_recipients_must_be_a_sane_whole_number(
    funded: Ledger, nothing_recorded: AbstractContextManager[None], recipients: object
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidInput) as info:
        pay(funded, recipients=recipients)

    assert type(info.value) is errors.InvalidInput


def test_an_unknown_category_is_invalid_input(
    funded: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidInput) as info:
        pay(funded, category="bonus")

    assert type(info.value) is errors.InvalidInput


@pytest.mark.parametrize("amount", [0, -1_000_000, 1_000_000.0])
def test_a_disbursement_amount_must_be_positive_whole_dong(
    funded: Ledger, nothing_recorded: AbstractContextManager[None], amount: object
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidAmount):
        pay(funded, amount=amount)


@pytest.mark.parametrize("business_date", [date(2023, 7, 1), date(2010, 3, 14)])
def test_a_disbursement_dated_in_the_future_or_before_registration_is_refused(
    funded: Ledger, nothing_recorded: AbstractContextManager[None], business_date: date
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidDate):
        pay(funded, business_date=business_date)


def test_a_disbursement_from_an_unknown_fund_is_refused(
    funded: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.UnknownFund):
        pay(funded, fund="xay-truong")


@pytest.fixture
def restricted(funded: Ledger) -> Ledger:
    """Given also 3,000,000 đồng in NA-DC-X01's restricted fund ``ngheo``."""
    funded.open_fund(
        "NA-DC-X01",
        "ngheo",
        name="Quỹ học bổng học sinh nghèo",
        restricted=True,
        purpose="scholarships for poor pupils",
    )
    funded.receive_donation(
        "NA-DC-X01",
        voucher_no="PT-002",
        amount=3_000_000,
        business_date=date(2023, 3, 1),
        fund="ngheo",
    )
    return funded


def test_a_restricted_fund_pays_from_itself_only(restricted: Ledger) -> None:
    pay(restricted, fund="ngheo", amount=2_000_000)

    assert restricted.balance("NA-DC-X01", "ngheo") == 1_000_000
    assert restricted.balance("NA-DC-X01") == 10_000_000


def test_a_restricted_fund_cannot_draw_on_the_general_fund(
    restricted: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.InsufficientFunds) as info:
        pay(restricted, fund="ngheo", amount=3_500_000)

    assert info.value.details["fund"] == "ngheo"
    assert (info.value.balance, info.value.amount) == (3_000_000, 3_500_000)


def test_the_general_fund_cannot_spend_restricted_money(
    restricted: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    # 13,000,000 đồng in all, but only 10,000,000 of it is free to spend.
    with nothing_recorded, pytest.raises(errors.InsufficientFunds) as info:
        pay(restricted, amount=12_000_000)

    assert info.value.details["fund"] == "general"
    assert info.value.balance == 10_000_000


def test_a_count_of_recipients_that_is_not_a_whole_number_is_invalid_input(
    funded: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidInput):
        pay(funded, recipients=Decimal(2))
