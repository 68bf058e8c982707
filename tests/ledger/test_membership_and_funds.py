"""Members and population by year; funds, restricted funds and opening balances."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date
from typing import Any

import pytest

from ledger import Ledger, errors
from ledger.ids import voucher_id
from ledger.organisation import Organisation

X01 = Organisation.id_for("NA-DC-X01")


# ---- membership ----------------------------------------------------------------


def test_a_membership_report_records_members_and_population(nghe_an: Ledger) -> None:
    version = nghe_an.organisation("NA").version

    nghe_an.report_membership(
        "NA", year=2022, members=775_276, population=3_341_800, recorded_by="admin"
    )

    (event,) = nghe_an.events.get(Organisation.id_for("NA"), gt=version)
    assert isinstance(event, Organisation.MembershipReported)
    assert (event.year, event.members, event.population) == (2022, 775_276, 3_341_800)
    assert event.recorded_by == "admin"


def test_the_same_report_again_records_nothing_but_a_correction_does(
    nghe_an: Ledger,
) -> None:
    nghe_an.report_membership("NA", year=2022, members=775_276, population=3_341_800)
    version = nghe_an.organisation("NA").version

    nghe_an.report_membership("NA", year=2022, members=775_276, population=3_341_800)
    assert nghe_an.organisation("NA").version == version

    nghe_an.report_membership("NA", year=2022, members=775_300, population=3_341_800)
    (correction,) = nghe_an.events.get(Organisation.id_for("NA"), gt=version)
    assert isinstance(correction, Organisation.MembershipReported)
    assert correction.members == 775_300


def test_the_population_may_be_left_to_the_children(nghe_an: Ledger) -> None:
    nghe_an.report_membership("NA-DC", year=2022, members=40_000)

    *_, event = nghe_an.events.get(Organisation.id_for("NA-DC"))
    assert isinstance(event, Organisation.MembershipReported)
    assert event.population is None


def test_every_inhabitant_may_be_a_member(nghe_an: Ledger) -> None:
    nghe_an.report_membership("NA-DC-X01", year=2023, members=8_000, population=8_000)

    *_, event = nghe_an.events.get(X01)
    assert isinstance(event, Organisation.MembershipReported)
    assert event.members == event.population == 8_000


def test_more_members_than_inhabitants_is_invalid_input(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidInput) as info:
        nghe_an.report_membership(
            "NA-DC-X01", year=2023, members=8_001, population=8_000
        )

    assert type(info.value) is errors.InvalidInput


@pytest.mark.parametrize(
    "counts",
    [
        {"members": -1},
        {"members": True},
        {"members": 10.0},
        {"members": 10, "population": -100},
        {"members": 10, "population": "100"},
        {"members": 10, "population": 10**19},
        {"members": 10_000_000_001},
    ],
    ids=[
        "negative",
        "bool",
        "float",
        "negative-population",
        "str-population",
        "population-beyond-a-database-integer",
        "members-beyond-ten-billion",
    ],
)
def test_counts_are_whole_numbers_from_zero(
    nghe_an: Ledger,
    nothing_recorded: AbstractContextManager[None],
    counts: dict[str, Any],
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidInput) as info:
        nghe_an.report_membership("NA-DC-X01", year=2023, **counts)

    assert type(info.value) is errors.InvalidInput


@pytest.mark.parametrize("year", [2009, 2024], ids=["before-registration", "next-year"])
def test_a_report_for_a_year_before_registration_or_to_come_is_refused(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None], year: int
) -> None:
    # NA-DC-X01 was registered on 15 March 2010; today is in 2023.
    with nothing_recorded, pytest.raises(errors.InvalidDate):
        nghe_an.report_membership("NA-DC-X01", year=year, members=10)


@pytest.mark.parametrize("year", [2010, 2023])
def test_the_registration_year_and_this_year_may_be_reported(
    nghe_an: Ledger, year: int
) -> None:
    nghe_an.report_membership("NA-DC-X01", year=year, members=10)

    *_, event = nghe_an.events.get(X01)
    assert isinstance(event, Organisation.MembershipReported)
    assert event.year == year


def test_membership_of_an_unknown_organisation_is_refused(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.UnknownOrganisation):
        nghe_an.report_membership("HT", year=2022, members=10)


# ---- funds ---------------------------------------------------------------------


def test_every_organisation_has_the_general_fund(nghe_an: Ledger) -> None:
    assert nghe_an.organisation("NA-DC-X01").balances == {"general": 0}
    assert nghe_an.balance("NA-DC-X01", "general") == 0


def test_a_restricted_fund_is_opened_with_its_purpose(nghe_an: Ledger) -> None:
    version = nghe_an.organisation("NA-DC-X01").version

    nghe_an.open_fund(
        "NA-DC-X01",
        "ngheo",
        name="Quỹ học bổng học sinh nghèo",
        restricted=True,
        purpose="scholarships for poor pupils",
        recorded_by="admin",
    )

    (event,) = nghe_an.events.get(X01, gt=version)
    assert isinstance(event, Organisation.FundOpened)
    assert event.fund == "ngheo"
    assert event.name == "Quỹ học bổng học sinh nghèo"
    assert event.restricted is True
    assert event.purpose == "scholarships for poor pupils"
    assert event.recorded_by == "admin"
    assert nghe_an.organisation("NA-DC-X01").balances == {"general": 0, "ngheo": 0}


def test_an_unrestricted_fund_needs_no_purpose(nghe_an: Ledger) -> None:
    nghe_an.open_fund("NA-DC-X01", "xay-truong", name="Quỹ xây trường")

    *_, event = nghe_an.events.get(X01)
    assert isinstance(event, Organisation.FundOpened)
    assert (event.restricted, event.purpose) == (False, None)


@pytest.mark.parametrize("purpose", [None, "", "   "])
def test_a_restricted_fund_without_a_purpose_is_invalid_input(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None], purpose: str | None
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidInput) as info:
        nghe_an.open_fund(
            "NA-DC-X01", "ngheo", name="Quỹ", restricted=True, purpose=purpose
        )

    assert type(info.value) is errors.InvalidInput


def test_opening_the_same_fund_again_records_nothing(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    nghe_an.open_fund(
        "NA-DC-X01", "ngheo", name="Quỹ", restricted=True, purpose="poor pupils"
    )

    with nothing_recorded:
        nghe_an.open_fund(
            "NA-DC-X01",
            "ngheo",
            name="Quỹ",
            restricted=True,
            purpose="poor pupils",
            recorded_by="another clerk",
        )

    assert nghe_an.organisation("NA-DC-X01").balances == {"general": 0, "ngheo": 0}


@pytest.mark.parametrize(
    "change",
    [
        {"name": "Quỹ khác"},
        {"restricted": False, "purpose": None},
        {"purpose": "teachers"},
    ],
)
def test_the_same_fund_with_other_details_is_a_duplicate_fund(
    nghe_an: Ledger,
    nothing_recorded: AbstractContextManager[None],
    change: dict[str, Any],
) -> None:
    fund: dict[str, Any] = {"name": "Quỹ", "restricted": True, "purpose": "poor pupils"}
    nghe_an.open_fund("NA-DC-X01", "ngheo", **fund)

    with nothing_recorded, pytest.raises(errors.DuplicateFund) as info:
        nghe_an.open_fund("NA-DC-X01", "ngheo", **(fund | change))

    assert info.value.details["fund"] == "ngheo"


def test_the_general_fund_cannot_be_reopened_as_another(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.DuplicateFund):
        nghe_an.open_fund(
            "NA-DC-X01", "general", name="Quỹ", restricted=True, purpose="x"
        )


def test_the_same_fund_name_at_two_organisations_is_fine(nghe_an: Ledger) -> None:
    nghe_an.open_fund("NA-DC-X01", "xay-truong", name="Quỹ xây trường")

    nghe_an.open_fund("NA-DC-X02", "xay-truong", name="Quỹ xây trường mới")

    assert "xay-truong" in nghe_an.organisation("NA-DC-X02").balances


@pytest.mark.parametrize(
    ("fund", "name"), [("quỹ nghèo", "Quỹ"), ("", "Quỹ"), ("ngheo", "")]
)
def test_a_malformed_fund_is_invalid_input(
    nghe_an: Ledger,
    nothing_recorded: AbstractContextManager[None],
    fund: str,
    name: str,
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidInput) as info:
        nghe_an.open_fund("NA-DC-X01", fund, name=name)

    assert type(info.value) is errors.InvalidInput


def test_the_balance_of_an_unknown_fund_is_refused(nghe_an: Ledger) -> None:
    with pytest.raises(errors.UnknownFund) as info:
        nghe_an.balance("NA-DC-X01", "ngheo")

    assert info.value.details["fund"] == "ngheo"


def test_the_state_of_an_unknown_organisation_is_refused(nghe_an: Ledger) -> None:
    with pytest.raises(errors.UnknownOrganisation) as info:
        nghe_an.organisation("HT")

    assert info.value.details["org"] == "HT"


# ---- opening balances ----------------------------------------------------------


def test_an_opening_balance_brings_a_fund_forward(nghe_an: Ledger) -> None:
    version = nghe_an.organisation("NA-DC-X01").version

    entry_id = nghe_an.record_opening_balance(
        "NA-DC-X01",
        amount=12_500_000,
        business_date=date(2022, 12, 31),
        note="số dư sổ quỹ 2022",
        recorded_by="kế toán",
    )

    assert entry_id == voucher_id(X01, "opening-general")
    (event,) = nghe_an.events.get(X01, gt=version)
    assert isinstance(event, Organisation.OpeningBalanceRecorded)
    assert event.entry_id == entry_id
    assert event.voucher_no == "opening-general"
    assert event.fund == "general"
    assert event.amount == 12_500_000
    assert event.business_date == date(2022, 12, 31)
    assert event.note == "số dư sổ quỹ 2022"
    assert nghe_an.balance("NA-DC-X01") == 12_500_000


def test_each_fund_has_its_own_opening_balance(nghe_an: Ledger) -> None:
    nghe_an.open_fund(
        "NA-DC-X01", "ngheo", name="Quỹ", restricted=True, purpose="poor pupils"
    )
    nghe_an.record_opening_balance(
        "NA-DC-X01", amount=1_000_000, business_date=date(2022, 12, 31)
    )

    nghe_an.record_opening_balance(
        "NA-DC-X01", amount=300_000, business_date=date(2022, 12, 31), fund="ngheo"
    )

    assert nghe_an.organisation("NA-DC-X01").balances == {
        "general": 1_000_000,
        "ngheo": 300_000,
    }


def test_a_second_opening_balance_for_a_fund_is_refused(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    nghe_an.record_opening_balance(
        "NA-DC-X01", amount=1_000_000, business_date=date(2022, 12, 31)
    )

    with nothing_recorded, pytest.raises(errors.OpeningBalanceExists):
        nghe_an.record_opening_balance(
            "NA-DC-X01",
            amount=1_000_000,
            business_date=date(2022, 12, 31),
            voucher_no="SD-2022",
        )

    assert nghe_an.balance("NA-DC-X01") == 1_000_000


def test_a_different_opening_balance_under_the_default_voucher_is_a_conflict(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    nghe_an.record_opening_balance(
        "NA-DC-X01", amount=1_000_000, business_date=date(2022, 12, 31)
    )

    with nothing_recorded, pytest.raises(errors.DuplicateVoucher):
        nghe_an.record_opening_balance(
            "NA-DC-X01", amount=2_000_000, business_date=date(2022, 12, 31)
        )


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"amount": 0}, errors.InvalidAmount),
        ({"amount": -5}, errors.InvalidAmount),
        ({"amount": 1.5}, errors.InvalidAmount),
        ({"business_date": date(2023, 7, 1)}, errors.InvalidDate),
        ({"business_date": date(2010, 3, 14)}, errors.InvalidDate),
        ({"fund": "ngheo"}, errors.UnknownFund),
    ],
    ids=["zero", "negative", "float", "future", "before-registration", "no-fund"],
)
def test_a_bad_opening_balance_is_refused(
    nghe_an: Ledger,
    nothing_recorded: AbstractContextManager[None],
    fields: dict[str, Any],
    error: type[errors.LedgerError],
) -> None:
    opening: dict[str, Any] = {"amount": 1_000, "business_date": date(2022, 12, 31)}

    with nothing_recorded, pytest.raises(error):
        nghe_an.record_opening_balance("NA-DC-X01", **(opening | fields))
