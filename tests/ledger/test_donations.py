"""Receiving donations (phiếu thu): amounts, dates, donors and gifts in kind."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date, datetime
from typing import Any

import pytest

from ledger import Ledger, errors
from ledger.ids import voucher_id
from ledger.organisation import Organisation
from ledger.types import MAX_AMOUNT, DonorKind, Method

X01 = Organisation.id_for("NA-DC-X01")


def donate(ledger: Ledger, **fields: Any) -> None:
    """Record a 500,000 đồng cash donation to NA-DC-X01, changed by ``fields``."""
    donation: dict[str, Any] = {
        "voucher_no": "PT-001",
        "amount": 500_000,
        "business_date": date(2023, 2, 1),
    }
    ledger.receive_donation("NA-DC-X01", **(donation | fields))


def test_a_donation_adds_to_the_fund_and_records_who_gave_it(nghe_an: Ledger) -> None:
    version = nghe_an.organisation("NA-DC-X01").version

    entry_id = nghe_an.receive_donation(
        "NA-DC-X01",
        voucher_no="PT-001",
        amount=2_000_000,
        business_date=date(2023, 2, 1),
        donor="Công ty TNHH Minh Phát",
        donor_kind=DonorKind.BUSINESS,
        method=Method.BANK,
        note="Tết Khuyến học",
        recorded_by="thu quỹ Lan",
    )

    assert entry_id == voucher_id(X01, "PT-001")
    (event,) = nghe_an.events.get(X01, gt=version)
    assert isinstance(event, Organisation.DonationReceived)
    assert event.entry_id == entry_id
    assert event.voucher_no == "PT-001"
    assert event.fund == "general"
    assert event.amount == 2_000_000
    assert event.business_date == date(2023, 2, 1)
    assert event.campaign_id is None
    assert event.counterparty == "Công ty TNHH Minh Phát"
    assert event.donor_kind is DonorKind.BUSINESS
    assert event.method is Method.BANK
    assert event.note == "Tết Khuyến học"
    assert event.recorded_by == "thu quỹ Lan"
    assert event.timestamp is not None
    assert nghe_an.balance("NA-DC-X01") == 2_000_000


def test_donations_add_up(nghe_an: Ledger) -> None:
    donate(nghe_an, voucher_no="PT-001", amount=500_000)
    donate(nghe_an, voucher_no="PT-002", amount=1_500_000)

    assert nghe_an.balance("NA-DC-X01") == 2_000_000


def test_donor_kind_and_method_may_be_given_as_their_values(nghe_an: Ledger) -> None:
    donate(nghe_an, donor="Dòng họ Nguyễn", donor_kind="organisation", method="bank")

    *_, event = nghe_an.events.get(X01)
    assert isinstance(event, Organisation.DonationReceived)
    assert event.donor_kind is DonorKind.ORGANISATION
    assert event.method is Method.BANK


@pytest.mark.parametrize("fields", [{"donor_kind": "government"}, {"method": "cheque"}])
def test_an_unknown_donor_kind_or_method_is_invalid_input(
    nghe_an: Ledger,
    nothing_recorded: AbstractContextManager[None],
    fields: dict[str, Any],
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidInput) as info:
        donate(nghe_an, **fields)

    assert type(info.value) is errors.InvalidInput


@pytest.mark.parametrize(
    "amount",
    [0, -1, -500_000, 500_000.0, 0.5, True, "500000", None, MAX_AMOUNT + 1],
    ids=[
        "zero",
        "minus-one",
        "negative",
        "float",
        "fraction",
        "bool",
        "str",
        "none",
        "too-large",
    ],
)
def test_an_amount_must_be_a_positive_whole_number_of_dong_within_bounds(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None], amount: object
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidAmount) as info:
        donate(nghe_an, amount=amount)

    assert info.value.code == "invalid_amount"
    assert nghe_an.balance("NA-DC-X01") == 0


@pytest.mark.parametrize("amount", [1, MAX_AMOUNT])
def test_the_bounds_themselves_are_valid_amounts(nghe_an: Ledger, amount: int) -> None:
    donate(nghe_an, amount=amount)

    assert nghe_an.balance("NA-DC-X01") == amount


@pytest.mark.parametrize(
    "business_date",
    [date(2023, 7, 1), date(2024, 1, 1), date(2010, 3, 14), date(1999, 12, 31)],
    ids=["tomorrow", "next-year", "day-before-registration", "long-before"],
)
def test_a_donation_dated_in_the_future_or_before_registration_is_refused(
    nghe_an: Ledger,
    nothing_recorded: AbstractContextManager[None],
    business_date: date,
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidDate):
        donate(nghe_an, business_date=business_date)


@pytest.mark.parametrize("business_date", [date(2010, 3, 15), date(2023, 6, 30)])
def test_the_registration_day_and_today_are_valid_dates(
    nghe_an: Ledger, business_date: date
) -> None:
    donate(nghe_an, business_date=business_date)

    *_, event = nghe_an.events.get(X01)
    assert isinstance(event, Organisation.DonationReceived)
    assert event.business_date == business_date


@pytest.mark.parametrize("business_date", ["2023-02-01", None])
def test_a_business_date_that_is_not_a_date_is_an_invalid_date(
    nghe_an: Ledger,
    nothing_recorded: AbstractContextManager[None],
    business_date: object,
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidDate):
        donate(nghe_an, business_date=business_date)


def test_a_timestamp_instead_of_a_business_date_is_an_invalid_date(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    # A datetime is a date subclass; a caller that passes one by mistake must
    # get the ledger's error, not a TypeError from deep inside a comparison.
    with nothing_recorded, pytest.raises(errors.InvalidDate):
        donate(nghe_an, business_date=datetime(2023, 2, 1, 9, 30))  # noqa: DTZ001


def test_a_gift_in_kind_keeps_its_description_and_valuation(nghe_an: Ledger) -> None:
    donate(
        nghe_an,
        amount=30_000_000,
        method="in_kind",
        in_kind_description="10 xe đạp cho học sinh nghèo",
        valuation_basis="hoá đơn mua hàng",
    )

    *_, event = nghe_an.events.get(X01)
    assert isinstance(event, Organisation.DonationReceived)
    assert event.method is Method.IN_KIND
    assert event.in_kind_description == "10 xe đạp cho học sinh nghèo"
    assert event.valuation_basis == "hoá đơn mua hàng"
    assert nghe_an.balance("NA-DC-X01") == 30_000_000


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"valuation_basis": "hoá đơn"},
        {"in_kind_description": "10 xe đạp"},
        {"in_kind_description": "   ", "valuation_basis": "hoá đơn"},
    ],
    ids=["neither", "no-description", "no-valuation", "blank-description"],
)
def test_a_gift_in_kind_without_description_or_valuation_is_invalid_input(
    nghe_an: Ledger,
    nothing_recorded: AbstractContextManager[None],
    fields: dict[str, Any],
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidInput) as info:
        donate(nghe_an, method=Method.IN_KIND, **fields)

    assert type(info.value) is errors.InvalidInput


def test_an_anonymous_donation_names_no_donor(nghe_an: Ledger) -> None:
    donate(nghe_an, donor_kind="anonymous")

    *_, event = nghe_an.events.get(X01)
    assert isinstance(event, Organisation.DonationReceived)
    assert event.donor_kind is DonorKind.ANONYMOUS
    assert event.counterparty is None


def test_an_anonymous_donation_with_a_named_donor_is_invalid_input(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidInput) as info:
        donate(nghe_an, donor_kind=DonorKind.ANONYMOUS, donor="Nguyễn Văn A")

    assert type(info.value) is errors.InvalidInput


def test_a_foreign_currency_gift_is_recorded_in_dong_with_its_original(
    nghe_an: Ledger,
) -> None:
    donate(
        nghe_an,
        amount=24_350_000,
        donor="Hội đồng hương tại Pháp",
        original_currency="EUR",
        original_amount="1000.00",
        exchange_rate="24350",
    )

    *_, event = nghe_an.events.get(X01)
    assert isinstance(event, Organisation.DonationReceived)
    assert event.amount == 24_350_000
    assert (event.original_currency, event.original_amount, event.exchange_rate) == (
        "EUR",
        "1000.00",
        "24350",
    )


@pytest.mark.parametrize(
    "fields",
    [
        {"original_currency": "EUR"},
        {"original_currency": "USD", "original_amount": "100"},
        {"exchange_rate": "24350"},
    ],
)
def test_a_foreign_currency_gift_needs_currency_amount_and_rate(
    nghe_an: Ledger,
    nothing_recorded: AbstractContextManager[None],
    fields: dict[str, Any],
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidInput) as info:
        donate(nghe_an, **fields)

    assert type(info.value) is errors.InvalidInput


@pytest.mark.parametrize(
    "fields",
    [
        {"voucher_no": ""},
        {"voucher_no": "   "},
        {"voucher_no": "PT\n001"},
        {"note": "x" * 201},
        {"donor": "y" * 201},
        {"recorded_by": ""},
        {"fund": "not a code"},
    ],
    ids=[
        "empty-voucher",
        "blank-voucher",
        "control-char",
        "long-note",
        "long-donor",
        "nobody",
        "bad-fund-code",
    ],
)
def test_malformed_text_is_invalid_input(
    nghe_an: Ledger,
    nothing_recorded: AbstractContextManager[None],
    fields: dict[str, Any],
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidInput) as info:
        donate(nghe_an, **fields)

    assert type(info.value) is errors.InvalidInput


def test_a_donation_to_an_unknown_organisation_is_refused(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.UnknownOrganisation):
        nghe_an.receive_donation(
            "HT", voucher_no="PT-001", amount=1, business_date=date(2023, 1, 1)
        )


def test_a_donation_to_an_unknown_fund_is_refused(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.UnknownFund):
        donate(nghe_an, fund="hoc-bong-ngheo")


def test_a_donation_to_a_restricted_fund_adds_to_that_fund_only(
    nghe_an: Ledger,
) -> None:
    nghe_an.open_fund(
        "NA-DC-X01",
        "hoc-bong-ngheo",
        name="Học bổng học sinh nghèo",
        restricted=True,
        purpose="scholarships for poor pupils",
    )

    donate(nghe_an, fund="hoc-bong-ngheo", amount=7_000_000)

    assert nghe_an.balance("NA-DC-X01", "hoc-bong-ngheo") == 7_000_000
    assert nghe_an.balance("NA-DC-X01") == 0
