"""Endowment funds (issue 15): the principal is kept, only income is spent;
a merge keeps principal and income apart."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date

import pytest

from ledger import Ledger, errors
from ledger.organisation import Organisation

X = "NA-DC-X01"
FUND = "quy-ong-tran"


@pytest.fixture
def endowed(nghe_an: Ledger) -> Ledger:
    """A named endowment with 100,000,000 of principal and 3,000,000 interest."""
    nghe_an.open_endowment(X, FUND, name="Quỹ khuyến học mang tên ông Trần Văn A")
    nghe_an.receive_donation(
        X,
        voucher_no="PT-1",
        amount=100_000_000,
        business_date=date(2023, 1, 2),
        fund=FUND,
        account="bank",
    )
    nghe_an.receive_income(
        X, voucher_no="PT-2", amount=3_000_000, business_date=date(2023, 3, 31),
        fund=FUND, income_kind="interest", account="bank",
    )  # fmt: skip
    return nghe_an


def pay(ledger: Ledger, no: str, amount: int) -> None:
    ledger.disburse(
        X,
        voucher_no=no,
        amount=amount,
        business_date=date(2023, 4, 1),
        category="scholarship",
        fund=FUND,
        account="bank",
    )


def test_an_endowment_spends_its_income(endowed: Ledger) -> None:
    pay(endowed, "PC-1", 3_000_000)
    assert endowed.balance(X, FUND) == 100_000_000


def test_a_payment_from_the_principal_is_refused(
    endowed: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.EndowmentPrincipal) as info:
        pay(endowed, "PC-1", 3_000_001)
    assert info.value.field == "amount"
    assert info.value.details["balance"] == 3_000_000


def test_a_transfer_from_the_principal_is_refused(
    endowed: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    endowed.open_endowment("NA-DC", FUND, name="Quỹ mang tên")
    with nothing_recorded, pytest.raises(errors.EndowmentPrincipal):
        endowed.transfer(
            X, voucher_no="CK-1", amount=50_000_000, business_date=date(2023, 4, 1),
            fund=FUND, to_code="NA-DC", to_fund=FUND, account="bank",
        )  # fmt: skip


def test_opening_an_endowment_again_is_a_no_op_but_not_over_a_plain_fund(
    endowed: Ledger,
) -> None:
    version = endowed.organisation(X).version
    endowed.open_endowment(X, FUND, name="Quỹ khuyến học mang tên ông Trần Văn A")
    assert endowed.organisation(X).version == version
    endowed.open_fund(X, "thuong", name="Quỹ thưởng")
    with pytest.raises(errors.DuplicateFund):
        endowed.open_endowment(X, "thuong", name="Quỹ thưởng")


def test_a_merge_keeps_principal_and_income_apart(endowed: Ledger) -> None:
    endowed.move("NA-DC-X01-B1", new_parent_code="NA-DC", effective_on=date(2023, 4, 2))
    endowed.merge(X, into_code="NA-DC-X02", effective_on=date(2023, 5, 1))
    target: Organisation = endowed.repository.get(Organisation.id_for("NA-DC-X02"))
    assert target.principal == {FUND: 100_000_000}
    assert target.balances[FUND] == 103_000_000
    endowed.disburse(
        "NA-DC-X02", voucher_no="PC-1", amount=3_000_000,
        business_date=date(2023, 5, 2), category="award", fund=FUND, account="bank",
    )  # fmt: skip
    with pytest.raises(errors.EndowmentPrincipal):
        endowed.disburse(
            "NA-DC-X02", voucher_no="PC-2", amount=1, business_date=date(2023, 5, 2),
            category="award", fund=FUND, account="bank",
        )  # fmt: skip


def test_reversing_a_gift_takes_it_off_the_principal(endowed: Ledger) -> None:
    endowed.reverse_entry(X, "PT-1", reason="nhập nhầm")
    org: Organisation = endowed.repository.get(Organisation.id_for(X))
    assert org.principal == {FUND: 0}
    pay(endowed, "PC-1", 3_000_000)
