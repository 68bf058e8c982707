"""Closing a year (issue 15): after the close, nothing may be dated in it;
the closing records each fund's balance per account on 31 December; only
the last closed year can be reopened, with a reason."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date

import pytest

from ledger import Ledger, errors
from ledger.organisation import Organisation

X = "NA-DC-X01"
X01 = Organisation.id_for(X)


@pytest.fixture
def year_2022(nghe_an: Ledger) -> Ledger:
    nghe_an.receive_donation(
        X, voucher_no="PT-1", amount=10_000_000, business_date=date(2022, 3, 1)
    )
    nghe_an.deposit(
        X, voucher_no="NT-1", amount=6_000_000, business_date=date(2022, 3, 2)
    )
    nghe_an.disburse(
        X,
        voucher_no="PC-1",
        amount=1_000_000,
        business_date=date(2023, 1, 5),
        category="award",
    )
    return nghe_an


def test_closing_records_the_balances_of_31_december(year_2022: Ledger) -> None:
    year_2022.close_year(X, year=2022, recorded_by="chủ tịch hội")

    closed = list(year_2022.events.get(X01))[-1]
    assert isinstance(closed, Organisation.YearClosed)
    assert closed.year == 2022
    assert closed.closing_balances == {
        "general": {"cash": 4_000_000, "bank": 6_000_000}
    }
    assert closed.recorded_by == "chủ tịch hội"


def test_an_entry_dated_in_a_closed_year_is_refused(
    year_2022: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    year_2022.close_year(X, year=2022)
    records: list[Callable[[], object]] = [
        lambda: year_2022.receive_donation(
            X, voucher_no="PT-2", amount=1, business_date=date(2022, 12, 31)
        ),
        lambda: year_2022.disburse(
            X,
            voucher_no="PC-2",
            amount=1,
            business_date=date(2021, 6, 1),
            category="other",
        ),
        lambda: year_2022.transfer(
            "NA-DC",
            voucher_no="CK-1",
            amount=1,
            business_date=date(2022, 6, 1),
            to_code=X,
        ),
        lambda: year_2022.reverse_entry(
            X, "PT-1", reason="nhập nhầm", business_date=date(2022, 12, 1)
        ),
    ]
    with nothing_recorded:
        for record in records:
            with pytest.raises(errors.PeriodClosed) as info:
                record()
            assert info.value.field == "business_date"
            assert info.value.details["closed_through"] == 2022


def test_a_correction_goes_into_the_open_year(year_2022: Ledger) -> None:
    year_2022.close_year(X, year=2022)
    year_2022.receive_donation(
        X, voucher_no="PT-2", amount=500_000, business_date=date(2023, 1, 2)
    )
    year_2022.reverse_entry(
        X, "PC-1", reason="chi nhầm", business_date=date(2023, 2, 1)
    )
    assert year_2022.balance(X) == 10_500_000


def test_a_back_dated_payment_in_the_open_year_still_sees_the_closed_money(
    year_2022: Ledger,
) -> None:
    year_2022.close_year(X, year=2022)
    year_2022.disburse(
        X,
        voucher_no="PC-2",
        amount=3_000_000,
        business_date=date(2023, 1, 1),
        category="scholarship",
    )
    with pytest.raises(errors.InsufficientFunds) as info:
        year_2022.disburse(
            X,
            voucher_no="PC-3",
            amount=1,
            business_date=date(2023, 1, 1),
            category="scholarship",
        )
    assert info.value.on == date(2023, 1, 5)


def test_closing_folds_the_closed_days_into_one(year_2022: Ledger) -> None:
    year_2022.close_year(X, year=2022)
    org: Organisation = year_2022.repository.get(X01)
    assert org.days["general|cash"] == {
        "2022-12-31": 4_000_000,
        "2023-01-05": -1_000_000,
    }
    assert org.days["general|bank"] == {"2022-12-31": 6_000_000}


def test_years_close_in_order_and_only_when_over(
    year_2022: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded:
        with pytest.raises(errors.InvalidDate) as info:
            year_2022.close_year(X, year=2023)  # today is 30 June 2023
        assert info.value.field == "year"
        with pytest.raises(errors.InvalidDate):
            year_2022.close_year(X, year=2009)  # before its registration
    year_2022.close_year(X, year=2021)
    with pytest.raises(errors.InvalidDate):
        year_2022.close_year(X, year=2023)
    year_2022.close_year(X, year=2022)
    version = year_2022.organisation(X).version
    year_2022.close_year(X, year=2022)  # again: nothing new
    assert year_2022.organisation(X).version == version


def test_reopening_is_recorded_with_its_reason_and_only_for_the_last_year(
    year_2022: Ledger,
) -> None:
    year_2022.close_year(X, year=2021)
    year_2022.close_year(X, year=2022)
    with pytest.raises(errors.InvalidDate) as info:
        year_2022.reopen_year(X, year=2021, reason="kiểm toán yêu cầu")
    assert info.value.field == "year"
    with pytest.raises(errors.InvalidInput) as missing:
        year_2022.reopen_year(X, year=2022, reason="  ")
    assert missing.value.field == "reason"

    year_2022.reopen_year(X, year=2022, reason="kiểm toán yêu cầu")

    reopened = list(year_2022.events.get(X01))[-1]
    assert isinstance(reopened, Organisation.YearReopened)
    assert reopened.reason == "kiểm toán yêu cầu"
    # 2022 takes entries again (its days were folded into 31 December);
    # 2021 stays closed.
    year_2022.receive_donation(
        X, voucher_no="PT-2", amount=1, business_date=date(2022, 12, 31)
    )
    with pytest.raises(errors.PeriodClosed):
        year_2022.receive_donation(
            X, voucher_no="PT-3", amount=1, business_date=date(2021, 12, 31)
        )


def test_a_merge_dated_in_a_closed_year_is_refused(year_2022: Ledger) -> None:
    year_2022.close_year("NA-DC-X02", year=2022)
    year_2022.move(
        "NA-DC-X01-B1", new_parent_code="NA-DC", effective_on=date(2023, 2, 1)
    )
    with pytest.raises(errors.PeriodClosed) as info:
        year_2022.merge("NA-DC-X02", into_code=X, effective_on=date(2022, 12, 31))
    assert info.value.field == "effective_on"
