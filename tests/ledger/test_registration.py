"""Registering organisations: who may sit under whom, and re-sent registrations."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date
from typing import Any

import pytest

from ledger import Ledger, errors
from ledger.organisation import Organisation
from ledger.types import Level, Status

NA = Organisation.id_for("NA")
NA_DC = Organisation.id_for("NA-DC")


def test_a_province_registers_with_no_parent(ledger: Ledger) -> None:
    org_id = ledger.register_organisation(
        "NA",
        name="Hội Khuyến học tỉnh Nghệ An",
        level=Level.PROVINCE,
        registered_on=date(2000, 1, 1),
        recorded_by="admin",
    )

    assert org_id == NA
    (event,) = ledger.events.get(NA)
    assert isinstance(event, Organisation.Registered)
    assert event.code == "NA"
    assert event.name == "Hội Khuyến học tỉnh Nghệ An"
    assert event.level is Level.PROVINCE
    assert event.parent_id is None
    assert event.registered_on == date(2000, 1, 1)
    assert event.recorded_by == "admin"
    state = ledger.organisation("NA")
    assert state.status is Status.ACTIVE
    assert state.balances == {"general": 0}
    assert state.active_children == 0


def test_a_commune_registers_under_its_district_which_counts_it(
    nghe_an: Ledger,
) -> None:
    parent_version = nghe_an.organisation("NA-DC").version

    org_id = nghe_an.register_organisation(
        "NA-DC-X03",
        name="Hội Khuyến học xã Diễn Kỷ",
        level="commune",
        parent_code="NA-DC",
        registered_on=date(2012, 5, 1),
    )

    (registered,) = nghe_an.events.get(org_id)
    assert isinstance(registered, Organisation.Registered)
    assert registered.parent_id == NA_DC
    assert registered.level is Level.COMMUNE
    (attached,) = nghe_an.events.get(NA_DC, gt=parent_version)
    assert isinstance(attached, Organisation.ChildAttached)
    assert attached.child_id == org_id
    assert attached.effective_on == date(2012, 5, 1)
    assert nghe_an.organisation("NA-DC").active_children == 3


@pytest.mark.parametrize(
    ("level", "parent_code"),
    [
        (Level.COMMUNE, "NA"),  # no district in between, as after 2025
        (Level.CLAN, "NA"),
        (Level.AGENCY, "NA-DC"),
        (Level.HOMETOWN, "NA-DC-X01"),
    ],
)
def test_levels_may_be_skipped(nghe_an: Ledger, level: Level, parent_code: str) -> None:
    nghe_an.register_organisation(
        "NEW",
        name="Ban khuyến học",
        level=level,
        parent_code=parent_code,
        registered_on=date(2020, 1, 1),
    )

    state = nghe_an.organisation("NEW")
    assert state.level is level
    assert state.parent_id == Organisation.id_for(parent_code)


def test_re_sending_the_same_registration_records_nothing(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded:
        org_id = nghe_an.register_organisation(
            "NA-DC-X01",
            name="Hội Khuyến học xã X01",
            level="commune",
            parent_code="NA-DC",
            registered_on=date(2010, 3, 15),
            recorded_by="another clerk",
        )

    assert org_id == Organisation.id_for("NA-DC-X01")
    assert nghe_an.organisation("NA-DC").active_children == 2


@pytest.mark.parametrize(
    "change",
    [
        {"name": "Another name"},
        {"level": "branch"},
        {"parent_code": "NA-ND"},
        {"registered_on": date(2011, 1, 1)},
    ],
)
def test_the_same_code_with_other_details_is_a_duplicate_organisation(
    nghe_an: Ledger,
    nothing_recorded: AbstractContextManager[None],
    change: dict[str, Any],
) -> None:
    registration: dict[str, Any] = {
        "name": "Hội Khuyến học xã X01",
        "level": "commune",
        "parent_code": "NA-DC",
        "registered_on": date(2010, 3, 15),
    }

    with nothing_recorded, pytest.raises(errors.DuplicateOrganisation):
        nghe_an.register_organisation("NA-DC-X01", **(registration | change))


def test_a_registration_dated_in_the_future_is_refused(
    ledger: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidDate):
        ledger.register_organisation(
            "NA", name="Nghệ An", level="province", registered_on=date(2023, 7, 1)
        )


def test_registering_today_is_allowed(ledger: Ledger) -> None:
    ledger.register_organisation(
        "NA", name="Nghệ An", level="province", registered_on=date(2023, 6, 30)
    )

    assert ledger.organisation("NA").registered_on == date(2023, 6, 30)


def test_an_unknown_parent_is_refused(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.UnknownOrganisation):
        nghe_an.register_organisation(
            "HT",
            name="Hà Tĩnh commune",
            level="commune",
            parent_code="HT-DISTRICT",
            registered_on=date(2010, 1, 1),
        )


@pytest.mark.parametrize(
    ("level", "parent_code"),
    [
        (Level.PROVINCE, "NA"),  # same rank
        (Level.DISTRICT, "NA-DC-X01"),  # child above its parent
        (Level.PROVINCE, "NA-DC-X01-B1"),
        (Level.CLAN, "NA-DC-X01-B1"),  # branch, clan … share the lowest rank
        (Level.CENTRAL, "NA"),
    ],
)
def test_a_parent_must_rank_above_its_child(
    nghe_an: Ledger,
    nothing_recorded: AbstractContextManager[None],
    level: Level,
    parent_code: str,
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidHierarchy):
        nghe_an.register_organisation(
            "NEW",
            name="Misplaced",
            level=level,
            parent_code=parent_code,
            registered_on=date(2020, 1, 1),
        )


def test_nothing_registers_under_a_dissolved_organisation(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    nghe_an.dissolve("NA-DC-X02", effective_on=date(2023, 1, 1))

    with nothing_recorded, pytest.raises(errors.OrganisationClosed):
        nghe_an.register_organisation(
            "NA-DC-X02-B1",
            name="Chi hội",
            level="branch",
            parent_code="NA-DC-X02",
            registered_on=date(2020, 1, 1),
        )


@pytest.mark.parametrize(
    ("code", "fields"),
    [
        ("", {}),
        ("has space", {}),
        ("-leading-dash", {}),
        ("X" * 65, {}),
        ("NA", {"name": "   "}),
        ("NA", {"level": "ward"}),
        ("NA", {"recorded_by": ""}),
    ],
)
def test_malformed_registrations_are_invalid_input(
    ledger: Ledger,
    nothing_recorded: AbstractContextManager[None],
    code: str,
    fields: dict[str, Any],
) -> None:
    registration: dict[str, Any] = {
        "name": "Nghệ An",
        "level": "province",
        "registered_on": date(2000, 1, 1),
    }

    with nothing_recorded, pytest.raises(errors.InvalidInput) as info:
        ledger.register_organisation(code, **(registration | fields))

    assert type(info.value) is errors.InvalidInput


def test_the_aggregate_registers_a_child_and_attaches_it_to_the_parent() -> None:
    # Given a district, when a commune registers under it,
    district = Organisation.register(
        code="NA-DC",
        name="Diễn Châu",
        level=Level.DISTRICT,
        parent=None,
        registered_on=date(2000, 1, 1),
        today=date(2023, 6, 30),
        recorded_by="admin",
    )
    district.collect_events()

    commune = Organisation.register(
        code="NA-DC-X01",
        name="X01",
        level=Level.COMMUNE,
        parent=district,
        registered_on=date(2010, 3, 15),
        today=date(2023, 6, 30),
        recorded_by="admin",
    )

    # then the commune is registered and the district gains one active child.
    (registered,) = commune.collect_events()
    assert isinstance(registered, Organisation.Registered)
    assert registered.parent_id == district.id
    (attached,) = district.collect_events()
    assert isinstance(attached, Organisation.ChildAttached)
    assert attached.child_id == commune.id
    assert district.active_children == 1
