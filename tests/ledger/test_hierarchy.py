"""The hierarchy changes: organisations are moved, merged, dissolved and renamed."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date

import pytest

from ledger import Ledger, errors
from ledger.organisation import Organisation
from ledger.types import Status

NA = Organisation.id_for("NA")
NA_DC = Organisation.id_for("NA-DC")
NA_ND = Organisation.id_for("NA-ND")
X01 = Organisation.id_for("NA-DC-X01")
X02 = Organisation.id_for("NA-DC-X02")


# ---- move ----------------------------------------------------------------------


def test_moving_a_commune_changes_its_parent_and_both_parents_counts(
    nghe_an: Ledger,
) -> None:
    versions = {
        o: nghe_an.organisation(o).version for o in ["NA-DC-X02", "NA-DC", "NA-ND"]
    }

    nghe_an.move(
        "NA-DC-X02",
        new_parent_code="NA-ND",
        effective_on=date(2023, 1, 1),
        recorded_by="admin",
    )

    (moved,) = nghe_an.events.get(X02, gt=versions["NA-DC-X02"])
    assert isinstance(moved, Organisation.Moved)
    assert (moved.old_parent_id, moved.new_parent_id) == (NA_DC, NA_ND)
    assert moved.effective_on == date(2023, 1, 1)
    assert moved.recorded_by == "admin"
    (detached,) = nghe_an.events.get(NA_DC, gt=versions["NA-DC"])
    assert isinstance(detached, Organisation.ChildDetached)
    assert (detached.child_id, detached.effective_on) == (X02, date(2023, 1, 1))
    (attached,) = nghe_an.events.get(NA_ND, gt=versions["NA-ND"])
    assert isinstance(attached, Organisation.ChildAttached)
    assert (attached.child_id, attached.effective_on) == (X02, date(2023, 1, 1))
    assert nghe_an.organisation("NA-DC-X02").parent_id == NA_ND
    assert nghe_an.organisation("NA-DC").active_children == 1
    assert nghe_an.organisation("NA-ND").active_children == 1


def test_a_commune_moves_straight_under_its_province_as_after_2025(
    nghe_an: Ledger,
) -> None:
    nghe_an.move("NA-DC-X02", new_parent_code="NA", effective_on=date(2023, 6, 30))

    assert nghe_an.organisation("NA-DC-X02").parent_id == NA
    assert nghe_an.organisation("NA").active_children == 3


def test_a_moved_organisation_keeps_its_money(nghe_an: Ledger) -> None:
    nghe_an.receive_donation(
        "NA-DC-X02", voucher_no="PT-1", amount=700_000, business_date=date(2023, 1, 5)
    )

    nghe_an.move("NA-DC-X02", new_parent_code="NA-ND", effective_on=date(2023, 2, 1))

    assert nghe_an.balance("NA-DC-X02") == 700_000


def test_an_organisation_without_a_parent_may_be_placed_under_one(
    nghe_an: Ledger,
) -> None:
    nghe_an.register_organisation(
        "HUONG-HN",
        name="Hội đồng hương Nghệ An tại Hà Nội",
        level="hometown",
        registered_on=date(2018, 1, 1),
    )
    version = nghe_an.organisation("HUONG-HN").version

    nghe_an.move("HUONG-HN", new_parent_code="NA", effective_on=date(2020, 1, 1))

    (moved,) = nghe_an.events.get(Organisation.id_for("HUONG-HN"), gt=version)
    assert isinstance(moved, Organisation.Moved)
    assert moved.old_parent_id is None
    assert nghe_an.organisation("NA").active_children == 3


@pytest.mark.parametrize(
    ("code", "new_parent_code"),
    [
        ("NA-DC-X01", "NA-DC-X01"),  # under itself
        ("NA", "NA-DC-X01"),  # a province under its own commune
        ("NA", "NA-DC"),  # … or its own district: a cycle
        ("NA-DC", "NA-DC-X01-B1"),  # under its own grandchild
        ("NA-DC-X01", "NA-DC-X02"),  # under a sibling of the same rank
        ("NA-DC-X02", "NA-DC-X01-B1"),  # under a branch
        ("NA-DC-X01", "NA-DC"),  # under the parent it already has
    ],
)
def test_a_move_that_breaks_the_hierarchy_is_refused(
    nghe_an: Ledger,
    nothing_recorded: AbstractContextManager[None],
    code: str,
    new_parent_code: str,
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidHierarchy):
        nghe_an.move(
            code, new_parent_code=new_parent_code, effective_on=date(2023, 1, 1)
        )


@pytest.mark.parametrize(
    "effective_on",
    [date(2023, 7, 1), date(2010, 3, 14)],
    ids=["in-the-future", "before-registration"],
)
def test_a_move_dated_in_the_future_or_before_registration_is_refused(
    nghe_an: Ledger,
    nothing_recorded: AbstractContextManager[None],
    effective_on: date,
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidDate):
        nghe_an.move("NA-DC-X02", new_parent_code="NA-ND", effective_on=effective_on)


def test_a_move_may_not_predate_the_current_parent(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    nghe_an.move("NA-DC-X02", new_parent_code="NA-ND", effective_on=date(2023, 1, 1))

    with nothing_recorded, pytest.raises(errors.InvalidDate):
        nghe_an.move("NA-DC-X02", new_parent_code="NA", effective_on=date(2022, 12, 31))


def test_moving_to_an_unknown_parent_is_refused(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.UnknownOrganisation):
        nghe_an.move("NA-DC-X02", new_parent_code="HT", effective_on=date(2023, 1, 1))


def test_moving_under_a_dissolved_organisation_is_refused(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    nghe_an.dissolve("NA-ND", effective_on=date(2023, 1, 1))

    with nothing_recorded, pytest.raises(errors.OrganisationClosed):
        nghe_an.move(
            "NA-DC-X02", new_parent_code="NA-ND", effective_on=date(2023, 2, 1)
        )


# ---- merge ---------------------------------------------------------------------


@pytest.fixture
def two_communes(nghe_an: Ledger) -> Ledger:
    """Given NA-DC-X02 holds 3,000,000 in ``general`` and 2,000,000 in its
    restricted fund ``ngheo``; NA-DC-X01 holds 5,000,000 in ``general``.
    """
    nghe_an.open_fund(
        "NA-DC-X02",
        "ngheo",
        name="Quỹ học sinh nghèo",
        restricted=True,
        purpose="scholarships for poor pupils",
    )
    for code, voucher_no, fund, amount in [
        ("NA-DC-X02", "PT-1", "general", 3_000_000),
        ("NA-DC-X02", "PT-2", "ngheo", 2_000_000),
        ("NA-DC-X01", "PT-1", "general", 5_000_000),
    ]:
        nghe_an.receive_donation(
            code,
            voucher_no=voucher_no,
            amount=amount,
            business_date=date(2023, 3, 1),
            fund=fund,
        )
    return nghe_an


def test_a_merge_carries_every_balance_to_the_target_and_closes_the_source(
    two_communes: Ledger,
) -> None:
    versions = {
        o: two_communes.organisation(o).version
        for o in ["NA-DC-X02", "NA-DC-X01", "NA-DC"]
    }

    two_communes.merge(
        "NA-DC-X02",
        into_code="NA-DC-X01",
        effective_on=date(2023, 6, 1),
        recorded_by="admin",
    )

    (merged,) = two_communes.events.get(X02, gt=versions["NA-DC-X02"])
    assert isinstance(merged, Organisation.Merged)
    assert merged.into_id == X01
    assert merged.effective_on == date(2023, 6, 1)
    assert merged.balances == {"general": 3_000_000, "ngheo": 2_000_000}
    (absorbed,) = two_communes.events.get(X01, gt=versions["NA-DC-X01"])
    assert isinstance(absorbed, Organisation.Absorbed)
    assert absorbed.source_id == X02
    assert absorbed.balances == {"general": 3_000_000, "ngheo": 2_000_000}
    assert absorbed.funds["ngheo"]["restricted"] is True
    (detached,) = two_communes.events.get(NA_DC, gt=versions["NA-DC"])
    assert isinstance(detached, Organisation.ChildDetached)
    assert detached.child_id == X02

    source = two_communes.organisation("NA-DC-X02")
    assert source.status is Status.MERGED
    assert source.balances == {"general": 0, "ngheo": 0}
    target = two_communes.organisation("NA-DC-X01")
    assert target.status is Status.ACTIVE
    assert target.balances == {"general": 8_000_000, "ngheo": 2_000_000}
    assert two_communes.organisation("NA-DC").active_children == 1


def test_a_carried_restricted_fund_stays_restricted(
    two_communes: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    two_communes.merge(
        "NA-DC-X02", into_code="NA-DC-X01", effective_on=date(2023, 6, 1)
    )

    with nothing_recorded, pytest.raises(errors.RestrictedFund):
        two_communes.transfer(
            "NA-DC-X01",
            to_code="NA-DC",
            voucher_no="CK-1",
            amount=1_000_000,
            business_date=date(2023, 6, 2),
            fund="ngheo",
        )


def test_a_merge_adds_to_a_restricted_fund_both_keep(two_communes: Ledger) -> None:
    two_communes.open_fund(
        "NA-DC-X01",
        "ngheo",
        name="Quỹ học sinh nghèo",
        restricted=True,
        purpose="scholarships for poor pupils",
    )
    two_communes.receive_donation(
        "NA-DC-X01",
        voucher_no="PT-2",
        amount=500_000,
        business_date=date(2023, 3, 2),
        fund="ngheo",
    )

    two_communes.merge(
        "NA-DC-X02", into_code="NA-DC-X01", effective_on=date(2023, 6, 1)
    )

    assert two_communes.balance("NA-DC-X01", "ngheo") == 2_500_000


def test_restricted_funds_with_different_purposes_block_the_merge(
    two_communes: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    two_communes.open_fund(
        "NA-DC-X01",
        "ngheo",
        name="Quỹ học sinh nghèo",
        restricted=True,
        purpose="bicycles for pupils",
    )

    with nothing_recorded, pytest.raises(errors.RestrictedFund):
        two_communes.merge(
            "NA-DC-X02", into_code="NA-DC-X01", effective_on=date(2023, 6, 1)
        )


def test_a_fund_restricted_on_one_side_only_blocks_the_merge(
    two_communes: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    two_communes.open_fund("NA-DC-X01", "ngheo", name="Quỹ học sinh nghèo")

    with nothing_recorded, pytest.raises(errors.RestrictedFund):
        two_communes.merge(
            "NA-DC-X02", into_code="NA-DC-X01", effective_on=date(2023, 6, 1)
        )


def test_a_district_merges_into_its_own_province(nghe_an: Ledger) -> None:
    # In 2025 the district level was abolished: a district with no children
    # left hands its fund to its province.
    nghe_an.receive_donation(
        "NA-ND", voucher_no="PT-1", amount=4_000_000, business_date=date(2023, 1, 1)
    )

    nghe_an.merge("NA-ND", into_code="NA", effective_on=date(2023, 6, 1))

    assert nghe_an.organisation("NA-ND").status is Status.MERGED
    province = nghe_an.organisation("NA")
    assert province.balances == {"general": 4_000_000}
    assert province.active_children == 1


def later_entries() -> list[tuple[str, Callable[[Ledger], object]]]:
    """Every command that would touch NA-DC-X02, merged on 1 June 2023."""
    on = date(2023, 6, 15)
    return [
        (
            "donation",
            lambda ledger: ledger.receive_donation(
                "NA-DC-X02", voucher_no="PT-9", amount=1, business_date=on
            ),
        ),
        (
            "donation-dated-before-the-merge",
            lambda ledger: ledger.receive_donation(
                "NA-DC-X02", voucher_no="PT-9", amount=1, business_date=date(2023, 5, 1)
            ),
        ),
        (
            "disbursement",
            lambda ledger: ledger.disburse(
                "NA-DC-X02",
                voucher_no="PC-9",
                amount=1,
                business_date=on,
                category="award",
            ),
        ),
        (
            "transfer-from",
            lambda ledger: ledger.transfer(
                "NA-DC-X02",
                to_code="NA-DC",
                voucher_no="CK-9",
                amount=1,
                business_date=on,
            ),
        ),
        (
            "transfer-to",
            lambda ledger: ledger.transfer(
                "NA-DC-X01",
                to_code="NA-DC-X02",
                voucher_no="CK-9",
                amount=1,
                business_date=on,
            ),
        ),
        (
            "opening-balance",
            lambda ledger: ledger.record_opening_balance(
                "NA-DC-X02", amount=1, business_date=on, fund="ngheo"
            ),
        ),
        (
            "rename",
            lambda ledger: ledger.rename("NA-DC-X02", name="Xã mới"),
        ),
        (
            "membership",
            lambda ledger: ledger.report_membership(
                "NA-DC-X02", year=2023, members=10, population=100
            ),
        ),
        (
            "open-fund",
            lambda ledger: ledger.open_fund(
                "NA-DC-X02", "xay-truong", name="Xây trường"
            ),
        ),
        (
            "move",
            lambda ledger: ledger.move(
                "NA-DC-X02", new_parent_code="NA-ND", effective_on=on
            ),
        ),
        (
            "merge-again",
            lambda ledger: ledger.merge(
                "NA-DC-X02", into_code="NA-DC-X01", effective_on=on
            ),
        ),
        (
            "merge-into-it",
            lambda ledger: ledger.merge(
                "NA-DC-X01-B1", into_code="NA-DC-X02", effective_on=on
            ),
        ),
        (
            "dissolve",
            lambda ledger: ledger.dissolve("NA-DC-X02", effective_on=on),
        ),
        (
            "register-under-it",
            lambda ledger: ledger.register_organisation(
                "NA-DC-X02-B1",
                name="Chi hội",
                level="branch",
                parent_code="NA-DC-X02",
                registered_on=on,
            ),
        ),
        (
            "launch-a-campaign",
            lambda ledger: ledger.launch_campaign(
                "X02-2023",
                name="Khuyến học xã",
                kind="other",
                organiser_code="NA-DC-X02",
                starts_on=on,
                ends_on=on,
            ),
        ),
    ]


@pytest.mark.parametrize(
    "command", [c for _, c in later_entries()], ids=[i for i, _ in later_entries()]
)
def test_a_merged_organisation_takes_nothing_more(
    two_communes: Ledger,
    nothing_recorded: AbstractContextManager[None],
    command: Callable[[Ledger], object],
) -> None:
    two_communes.merge(
        "NA-DC-X02", into_code="NA-DC-X01", effective_on=date(2023, 6, 1)
    )

    with nothing_recorded, pytest.raises(errors.OrganisationClosed) as info:
        command(two_communes)

    assert info.value.details == {"org": "NA-DC-X02", "status": "merged"}


def test_an_organisation_with_children_cannot_be_merged(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.HasChildren) as info:
        nghe_an.merge("NA-DC-X01", into_code="NA-DC-X02", effective_on=date(2023, 6, 1))

    assert info.value.details["active_children"] == 1


def test_once_its_children_moved_away_it_can_be_merged(nghe_an: Ledger) -> None:
    nghe_an.move(
        "NA-DC-X01-B1", new_parent_code="NA-DC-X02", effective_on=date(2023, 5, 1)
    )

    nghe_an.merge("NA-DC-X01", into_code="NA-DC-X02", effective_on=date(2023, 6, 1))

    assert nghe_an.organisation("NA-DC-X01").status is Status.MERGED
    assert nghe_an.organisation("NA-DC-X02").active_children == 1


def test_an_organisation_cannot_merge_into_itself(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidHierarchy):
        nghe_an.merge("NA-DC-X02", into_code="NA-DC-X02", effective_on=date(2023, 6, 1))


def test_nothing_merges_into_a_dissolved_organisation(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    nghe_an.dissolve("NA-ND", effective_on=date(2023, 1, 1))

    with nothing_recorded, pytest.raises(errors.OrganisationClosed):
        nghe_an.merge("NA-DC-X02", into_code="NA-ND", effective_on=date(2023, 6, 1))


def test_merging_into_an_unknown_organisation_is_refused(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.UnknownOrganisation):
        nghe_an.merge("NA-DC-X02", into_code="HT", effective_on=date(2023, 6, 1))


@pytest.mark.parametrize(
    ("into_code", "effective_on"),
    [
        ("NA-DC-X01", date(2023, 7, 1)),  # in the future
        ("NA-DC-X01", date(2010, 3, 14)),  # before the source existed
        ("NA-DC-X03", date(2019, 12, 31)),  # before the target existed
    ],
)
def test_a_merge_dated_in_the_future_or_before_either_existed_is_refused(
    nghe_an: Ledger,
    nothing_recorded: AbstractContextManager[None],
    into_code: str,
    effective_on: date,
) -> None:
    nghe_an.register_organisation(
        "NA-DC-X03",
        name="Xã mới",
        level="commune",
        parent_code="NA-DC",
        registered_on=date(2020, 1, 1),
    )

    with nothing_recorded, pytest.raises(errors.InvalidDate):
        nghe_an.merge("NA-DC-X02", into_code=into_code, effective_on=effective_on)


@pytest.fixture
def spent_in_may(nghe_an: Ledger) -> Ledger:
    """Given NA-DC-X02 received and paid out 1,000,000 đồng on 1 May 2023."""
    nghe_an.receive_donation(
        "NA-DC-X02", voucher_no="PT-1", amount=1_000_000, business_date=date(2023, 5, 1)
    )
    nghe_an.disburse(
        "NA-DC-X02",
        voucher_no="PC-1",
        amount=1_000_000,
        business_date=date(2023, 5, 1),
        category="scholarship",
    )
    return nghe_an


# Closing an organisation as of a date before its own entries would leave
# the books with entries of an organisation that no longer existed on their
# dates ("no entry on a merged or dissolved organisation").


def test_a_merge_may_not_predate_the_organisation_s_own_entries(
    spent_in_may: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidDate):
        spent_in_may.merge(
            "NA-DC-X02", into_code="NA-DC-X01", effective_on=date(2023, 3, 1)
        )


def test_a_dissolution_may_not_predate_the_organisation_s_own_entries(
    spent_in_may: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidDate):
        spent_in_may.dissolve("NA-DC-X02", effective_on=date(2023, 3, 1))


# ---- dissolve ------------------------------------------------------------------


def test_an_organisation_with_no_money_and_no_children_dissolves(
    nghe_an: Ledger,
) -> None:
    version = nghe_an.organisation("NA-DC-X02").version
    parent_version = nghe_an.organisation("NA-DC").version

    nghe_an.dissolve("NA-DC-X02", effective_on=date(2023, 6, 1), recorded_by="admin")

    (dissolved,) = nghe_an.events.get(X02, gt=version)
    assert isinstance(dissolved, Organisation.Dissolved)
    assert dissolved.effective_on == date(2023, 6, 1)
    assert dissolved.recorded_by == "admin"
    (detached,) = nghe_an.events.get(NA_DC, gt=parent_version)
    assert isinstance(detached, Organisation.ChildDetached)
    assert detached.child_id == X02
    assert nghe_an.organisation("NA-DC-X02").status is Status.DISSOLVED
    assert nghe_an.organisation("NA-DC").active_children == 1


def test_a_fund_spent_down_to_zero_does_not_block_dissolution(
    nghe_an: Ledger,
) -> None:
    nghe_an.receive_donation(
        "NA-DC-X02", voucher_no="PT-1", amount=1_000, business_date=date(2023, 1, 1)
    )
    nghe_an.disburse(
        "NA-DC-X02",
        voucher_no="PC-1",
        amount=1_000,
        business_date=date(2023, 1, 2),
        category="award",
    )

    nghe_an.dissolve("NA-DC-X02", effective_on=date(2023, 6, 1))

    assert nghe_an.organisation("NA-DC-X02").status is Status.DISSOLVED


def test_an_organisation_that_still_holds_money_cannot_dissolve(
    two_communes: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.HasBalance) as info:
        two_communes.dissolve("NA-DC-X02", effective_on=date(2023, 6, 1))

    assert info.value.details["balances"] == {"general": 3_000_000, "ngheo": 2_000_000}


def test_an_organisation_with_children_cannot_dissolve(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.HasChildren):
        nghe_an.dissolve("NA-DC", effective_on=date(2023, 6, 1))


def test_a_dissolved_organisation_cannot_dissolve_again(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    nghe_an.dissolve("NA-DC-X02", effective_on=date(2023, 6, 1))

    with nothing_recorded, pytest.raises(errors.OrganisationClosed) as info:
        nghe_an.dissolve("NA-DC-X02", effective_on=date(2023, 6, 2))

    assert info.value.details["status"] == "dissolved"


def test_a_dissolved_organisation_takes_no_donation(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    nghe_an.dissolve("NA-DC-X02", effective_on=date(2023, 6, 1))

    with nothing_recorded, pytest.raises(errors.OrganisationClosed):
        nghe_an.receive_donation(
            "NA-DC-X02", voucher_no="PT-1", amount=1, business_date=date(2023, 6, 2)
        )


@pytest.mark.parametrize("effective_on", [date(2023, 7, 1), date(2010, 3, 14)])
def test_a_dissolution_dated_in_the_future_or_before_registration_is_refused(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None], effective_on: date
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidDate):
        nghe_an.dissolve("NA-DC-X02", effective_on=effective_on)


def test_dissolving_an_unknown_organisation_is_refused(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.UnknownOrganisation):
        nghe_an.dissolve("HT", effective_on=date(2023, 6, 1))


# ---- rename --------------------------------------------------------------------


def test_a_rename_is_recorded_and_dated_today_unless_told(nghe_an: Ledger) -> None:
    version = nghe_an.organisation("NA-DC-X02").version

    nghe_an.rename("NA-DC-X02", name="Hội Khuyến học xã Minh Châu", recorded_by="admin")

    (renamed,) = nghe_an.events.get(X02, gt=version)
    assert isinstance(renamed, Organisation.Renamed)
    assert renamed.name == "Hội Khuyến học xã Minh Châu"
    assert renamed.effective_on == date(2023, 6, 30)
    assert renamed.recorded_by == "admin"
    assert nghe_an.organisation("NA-DC-X02").name == "Hội Khuyến học xã Minh Châu"


def test_a_rename_may_be_back_dated(nghe_an: Ledger) -> None:
    nghe_an.rename("NA-DC-X02", name="Xã Minh Châu", effective_on=date(2020, 1, 1))

    *_, renamed = nghe_an.events.get(X02)
    assert isinstance(renamed, Organisation.Renamed)
    assert renamed.effective_on == date(2020, 1, 1)


def test_renaming_to_the_current_name_records_nothing(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded:
        nghe_an.rename("NA-DC-X02", name="Hội Khuyến học xã X02")

    assert nghe_an.organisation("NA-DC-X02").name == "Hội Khuyến học xã X02"


@pytest.mark.parametrize(
    "effective_on",
    [date(2023, 7, 1), date(2010, 3, 14)],
    ids=["in-the-future", "before-registration"],
)
def test_a_rename_dated_in_the_future_or_before_registration_is_refused(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None], effective_on: date
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidDate):
        nghe_an.rename("NA-DC-X02", name="Xã mới", effective_on=effective_on)


@pytest.mark.parametrize("name", ["", "   ", "x" * 201])
def test_a_rename_needs_a_sensible_name(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None], name: str
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidInput) as info:
        nghe_an.rename("NA-DC-X02", name=name)

    assert type(info.value) is errors.InvalidInput


def test_renaming_an_unknown_organisation_is_refused(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.UnknownOrganisation):
        nghe_an.rename("HT", name="Hà Tĩnh")


def test_an_organisation_cannot_merge_into_a_lower_level(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidHierarchy):
        nghe_an.merge("NA-ND", into_code="NA-DC-X01-B1", effective_on=date(2023, 6, 1))


def test_a_dissolution_may_not_predate_a_child_leaving(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    nghe_an.move(
        "NA-DC-X01-B1", new_parent_code="NA-DC-X02", effective_on=date(2023, 5, 1)
    )
    nghe_an.move("NA-DC-X01", new_parent_code="NA-ND", effective_on=date(2023, 5, 1))
    nghe_an.move("NA-DC-X02", new_parent_code="NA-ND", effective_on=date(2023, 5, 2))

    with nothing_recorded, pytest.raises(errors.InvalidDate):
        nghe_an.dissolve("NA-DC", effective_on=date(2023, 5, 1))
    nghe_an.dissolve("NA-DC", effective_on=date(2023, 5, 2))


def test_an_organisation_cannot_close_before_it_absorbed_another(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    nghe_an.dissolve("NA-DC-X01-B1", effective_on=date(2023, 1, 2))
    nghe_an.merge("NA-DC-X01", into_code="NA-DC-X02", effective_on=date(2023, 6, 1))

    with nothing_recorded, pytest.raises(errors.InvalidDate):
        nghe_an.merge("NA-DC-X02", into_code="NA-ND", effective_on=date(2023, 3, 1))


def test_a_rename_does_not_hold_back_a_back_dated_closure(nghe_an: Ledger) -> None:
    nghe_an.rename("NA-ND", name="Hội Khuyến học thị xã Nam Đàn")  # today

    nghe_an.dissolve("NA-ND", effective_on=date(2023, 1, 1))

    assert nghe_an.organisation("NA-ND").status.value == "dissolved"
