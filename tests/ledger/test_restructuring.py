"""A split and a change of level: given the Nghệ An slice, when the command,
then the events — or an error naming the field, and nothing recorded."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger import Ledger, errors
from ledger.commands import Split
from ledger.organisation import Organisation
from ledger.restructuring import LevelChanged, SplitReceived, SplitUp
from ledger.types import Level, Status

X01 = Organisation.id_for("NA-DC-X01")
X02 = Organisation.id_for("NA-DC-X02")
NA_DC = Organisation.id_for("NA-DC")
SPLIT_ON = date(2023, 6, 1)


@pytest.fixture
def with_money(nghe_an: Ledger) -> Ledger:
    """Given NA-DC-X02 holds 3,000,000 in ``general`` and 2,000,000 in the
    restricted ``ngheo``; two new communes under NA-ND will succeed it."""
    nghe_an.open_fund(
        "NA-DC-X02",
        "ngheo",
        name="Quỹ học sinh nghèo",
        restricted=True,
        purpose="scholarships for poor pupils",
    )
    for voucher_no, fund, amount in [
        ("PT-1", "general", 3_000_000),
        ("PT-2", "ngheo", 2_000_000),
    ]:
        nghe_an.receive_donation(
            "NA-DC-X02",
            voucher_no=voucher_no,
            amount=amount,
            business_date=date(2023, 3, 1),
            fund=fund,
        )
    for code in ["NA-ND-A", "NA-ND-B"]:
        nghe_an.register_organisation(
            code,
            name=f"Hội Khuyến học xã {code[-1]}",
            level="commune",
            parent_code="NA-ND",
            registered_on=date(2023, 5, 1),
        )
    return nghe_an


PARTS = {
    "NA-ND-A": {"general": 1_000_000, "ngheo": 2_000_000},
    "NA-ND-B": {"general": 2_000_000},
}


def test_a_split_divides_each_fund_and_closes_the_source(with_money: Ledger) -> None:
    before = with_money.organisation("NA-DC-X02").version

    with_money.split(
        "NA-DC-X02", parts=PARTS, effective_on=SPLIT_ON, recorded_by="admin"
    )

    (split,) = with_money.events.get(X02, gt=before)
    assert isinstance(split, SplitUp)
    a, b = Organisation.id_for("NA-ND-A"), Organisation.id_for("NA-ND-B")
    assert split.parts == {
        str(a): {"general": 1_000_000, "ngheo": 2_000_000},
        str(b): {"general": 2_000_000},
    }
    *_, received = with_money.events.get(a)
    assert isinstance(received, SplitReceived)
    assert received.source_id == X02
    assert received.funds["ngheo"]["restricted"] is True
    source = with_money.organisation("NA-DC-X02")
    assert source.status is Status.SPLIT
    assert source.balances == {"general": 0, "ngheo": 0}
    assert with_money.organisation("NA-ND-A").balances == {
        "general": 1_000_000,
        "ngheo": 2_000_000,
    }
    assert with_money.organisation("NA-ND-B").balances == {"general": 2_000_000}
    assert with_money.organisation("NA-DC").active_children == 1


def test_the_restricted_part_stays_restricted(
    with_money: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with_money.split("NA-DC-X02", parts=PARTS, effective_on=SPLIT_ON)

    with nothing_recorded, pytest.raises(errors.RestrictedFund):
        with_money.transfer(
            "NA-ND-A",
            to_code="NA-ND",
            voucher_no="CK-1",
            amount=1,
            business_date=SPLIT_ON,
            fund="ngheo",
        )


@pytest.mark.parametrize(
    ("parts", "fund"),
    [
        (
            {
                "NA-ND-A": {"general": 1_000_000, "ngheo": 2_000_000},
                "NA-ND-B": {"general": 1_999_999},
            },
            "general",
        ),
        ({"NA-ND-A": {"general": 3_000_000}, "NA-ND-B": {"ngheo": 1_000_000}}, "ngheo"),
    ],
)
def test_parts_that_do_not_add_up_are_refused(
    with_money: Ledger,
    nothing_recorded: AbstractContextManager[None],
    parts: dict[str, dict[str, int]],
    fund: str,
) -> None:
    with nothing_recorded, pytest.raises(errors.UnbalancedSplit) as refused:
        with_money.split("NA-DC-X02", parts=parts, effective_on=SPLIT_ON)

    assert refused.value.field == "parts"
    assert refused.value.details["fund"] == fund


def test_restricted_money_cannot_split_into_an_unrestricted_fund(
    with_money: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with_money.open_fund("NA-ND-A", "ngheo", name="Quỹ học sinh nghèo")

    with nothing_recorded, pytest.raises(errors.RestrictedFund) as refused:
        with_money.split("NA-DC-X02", parts=PARTS, effective_on=SPLIT_ON)

    assert refused.value.field == "parts"
    assert refused.value.details["org"] == "NA-ND-A"


def test_a_split_names_two_successors_other_than_itself() -> None:
    with pytest.raises(errors.InvalidInput) as one:
        Split("NA-DC-X02", parts={"NA-ND-A": {"general": 1}}, effective_on=SPLIT_ON)
    assert one.value.field == "parts"
    with pytest.raises(errors.InvalidHierarchy) as itself:
        Split(
            "NA-DC-X02",
            parts={"NA-DC-X02": {"general": 1}, "NA-ND-A": {}},
            effective_on=SPLIT_ON,
        )
    assert itself.value.field == "parts"
    with pytest.raises(errors.InvalidInput) as negative:
        Split(
            "NA-DC-X02",
            parts={"NA-ND-B": {"general": -1}, "NA-ND-A": {}},
            effective_on=SPLIT_ON,
        )
    assert negative.value.field == "parts"


@pytest.mark.parametrize(
    ("change", "error", "field"),
    [
        ({"parts": {"NA-ND-A": {}, "NOPE": {}}}, errors.UnknownOrganisation, "parts"),
        (
            {"parts": {"NA-ND-A": {}, "NA-DC-X01-B1": {}}},
            errors.InvalidHierarchy,
            "parts",
        ),
        ({"effective_on": date(2023, 2, 1)}, errors.InvalidDate, "effective_on"),
        ({"effective_on": date(2023, 7, 1)}, errors.InvalidDate, "effective_on"),
        (
            {"parts": {"NA-ND-A": {"nope": 1}, "NA-ND-B": {}}},
            errors.UnknownFund,
            "parts",
        ),
    ],
)
def test_a_bad_split_names_its_field_and_records_nothing(
    with_money: Ledger,
    nothing_recorded: AbstractContextManager[None],
    change: dict[str, object],
    error: type[errors.LedgerError],
    field: str,
) -> None:
    asked: dict[str, object] = {"parts": PARTS, "effective_on": SPLIT_ON} | change

    with nothing_recorded, pytest.raises(error) as refused:
        with_money.split("NA-DC-X02", **asked)  # type: ignore[arg-type]

    assert refused.value.field == field


def test_an_organisation_with_children_cannot_be_split(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.HasChildren):
        nghe_an.split(
            "NA-DC-X01",
            parts={"NA-DC-X02": {}, "NA-DC": {}},
            effective_on=SPLIT_ON,
        )


def test_a_commune_may_split_into_its_own_district_and_a_sibling(
    with_money: Ledger,
) -> None:
    with_money.split(
        "NA-DC-X02",
        parts={"NA-DC": {"general": 3_000_000}, "NA-DC-X01": {"ngheo": 2_000_000}},
        effective_on=SPLIT_ON,
    )

    district = with_money.organisation("NA-DC")
    assert district.balances["general"] == 3_000_000
    assert district.active_children == 1


# ---- change of level -------------------------------------------------------------


def test_a_change_of_level_keeps_the_code_and_the_money(nghe_an: Ledger) -> None:
    nghe_an.receive_donation(
        "NA-DC-X01-B1", voucher_no="PT-1", amount=5, business_date=date(2023, 1, 1)
    )

    nghe_an.change_level("NA-DC-X01-B1", level="agency", effective_on=date(2023, 6, 1))

    org = nghe_an.organisation("NA-DC-X01-B1")
    assert org.level is Level.AGENCY
    assert org.balances["general"] == 5
    *_, changed = nghe_an.events.get(org.id)
    assert isinstance(changed, LevelChanged)
    assert (changed.old_level, changed.level) == (Level.BRANCH, Level.AGENCY)


def test_the_same_level_again_records_nothing(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded:
        nghe_an.change_level("NA-DC-X01", level="commune")


@pytest.mark.parametrize(
    ("code", "level", "error"),
    [
        ("NA-DC-X01", "district", errors.InvalidHierarchy),  # as high as its parent
        ("NA-DC-X01", "branch", errors.HasChildren),  # below its own branch
        ("NA-DC-X02", "nope", errors.InvalidInput),
    ],
)
def test_a_change_of_level_keeps_parents_above_children(
    nghe_an: Ledger,
    nothing_recorded: AbstractContextManager[None],
    code: str,
    level: str,
    error: type[errors.LedgerError],
) -> None:
    with nothing_recorded, pytest.raises(error) as refused:
        nghe_an.change_level(code, level=level)

    assert refused.value.field == "level"


@settings(max_examples=25, deadline=None)
@given(
    balance=st.integers(min_value=1, max_value=10**9),
    cuts=st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=3),
    off_by=st.integers(min_value=-5, max_value=5),
)
def test_a_split_conserves_money_to_the_dong_or_records_nothing(
    balance: int, cuts: list[int], off_by: int
) -> None:
    """Parts that add up to the balance move it exactly; any other sum is
    refused with nothing recorded."""
    ledger = Ledger("memory:", today=lambda: date(2023, 6, 30))
    codes = ["S", *(f"T{i}" for i in range(len(cuts) + 1))]
    for code in codes:
        ledger.register_organisation(
            code, name=code, level="commune", registered_on=date(2020, 1, 1)
        )
    ledger.receive_donation(
        "S", voucher_no="PT-1", amount=balance, business_date=date(2023, 1, 1)
    )
    bounds = sorted(min(cut, balance) for cut in cuts)
    amounts = [b - a for a, b in zip([0, *bounds], [*bounds, balance], strict=True)]
    amounts[-1] += off_by
    parts = {
        code: {"general": amount}
        for code, amount in zip(codes[1:], amounts, strict=True)
    }
    if any(amount < 0 for amount in amounts):
        return
    head = ledger.recorder.max_notification_id()
    if off_by:
        with pytest.raises(errors.UnbalancedSplit):
            ledger.split("S", parts=parts, effective_on=SPLIT_ON)
        assert ledger.recorder.max_notification_id() == head
        return
    ledger.split("S", parts=parts, effective_on=SPLIT_ON)
    after = [ledger.balance(code) for code in codes]
    assert after[0] == 0
    assert after[1:] == amounts
    assert sum(after) == balance
