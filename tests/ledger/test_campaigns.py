"""Campaigns (Tết Khuyến học, Tháng Khuyến học): launched, dated, closed."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date
from typing import Any

import pytest

from ledger import Ledger, errors
from ledger.campaign import Campaign
from ledger.organisation import Organisation
from ledger.types import CampaignKind

NA = Organisation.id_for("NA")
X01 = Organisation.id_for("NA-DC-X01")
THANG_19 = Campaign.id_for("THANG-19")


def launch(ledger: Ledger, **fields: Any) -> None:
    """Launch the 19th Tháng Khuyến học (2022-08-20 … 2022-10-02), changed by
    ``fields``."""
    campaign: dict[str, Any] = {
        "name": "Tháng Khuyến học lần thứ 19",
        "kind": "thang",
        "edition": 19,
        "organiser_code": "NA",
        "starts_on": date(2022, 8, 20),
        "ends_on": date(2022, 10, 2),
    }
    ledger.launch_campaign("THANG-19", **(campaign | fields))


@pytest.fixture
def campaign(nghe_an: Ledger) -> Ledger:
    """Given the 19th Tháng Khuyến học, 20 August to 2 October 2022."""
    launch(nghe_an)
    return nghe_an


def donate(ledger: Ledger, **fields: Any) -> None:
    donation: dict[str, Any] = {
        "voucher_no": "PT-001",
        "amount": 1_000_000,
        "business_date": date(2022, 9, 5),
        "campaign": "THANG-19",
    }
    ledger.receive_donation("NA-DC-X01", **(donation | fields))


def test_a_launched_campaign_records_its_kind_edition_dates_and_target(
    nghe_an: Ledger,
) -> None:
    campaign_id = nghe_an.launch_campaign(
        "THANG-19",
        name="Tháng Khuyến học lần thứ 19",
        kind=CampaignKind.THANG,
        edition=19,
        organiser_code="NA",
        starts_on=date(2022, 8, 20),
        ends_on=date(2022, 10, 2),
        target_vnd=90_000_000_000,
        recorded_by="admin",
    )

    assert campaign_id == THANG_19
    (launched,) = nghe_an.events.get(THANG_19)
    assert isinstance(launched, Campaign.Launched)
    assert launched.code == "THANG-19"
    assert launched.name == "Tháng Khuyến học lần thứ 19"
    assert launched.kind is CampaignKind.THANG
    assert launched.edition == 19
    assert launched.organiser_id == NA
    assert (launched.starts_on, launched.ends_on) == (
        date(2022, 8, 20),
        date(2022, 10, 2),
    )
    assert launched.target_vnd == 90_000_000_000
    assert launched.recorded_by == "admin"


def test_a_campaign_needs_no_edition_or_target(nghe_an: Ledger) -> None:
    launch(nghe_an, kind="tet", edition=None)

    (launched,) = nghe_an.events.get(THANG_19)
    assert isinstance(launched, Campaign.Launched)
    assert launched.kind is CampaignKind.TET
    assert launched.edition is None
    assert launched.target_vnd is None


def test_re_sending_the_same_launch_records_nothing(
    campaign: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded:
        campaign_id = campaign.launch_campaign(
            "THANG-19",
            name="Tháng Khuyến học lần thứ 19",
            kind="thang",
            edition=19,
            organiser_code="NA",
            starts_on=date(2022, 8, 20),
            ends_on=date(2022, 10, 2),
            recorded_by="another clerk",
        )

    assert campaign_id == THANG_19


@pytest.mark.parametrize(
    "change",
    [
        {"name": "Tháng Khuyến học"},
        {"kind": "other"},
        {"edition": 20},
        {"organiser_code": "NA-DC"},
        {"ends_on": date(2022, 10, 15)},
        {"target_vnd": 1_000_000},
    ],
)
def test_the_same_code_with_other_details_is_a_duplicate_campaign(
    campaign: Ledger,
    nothing_recorded: AbstractContextManager[None],
    change: dict[str, Any],
) -> None:
    with nothing_recorded, pytest.raises(errors.DuplicateCampaign):
        launch(campaign, **change)


def test_a_campaign_that_ends_before_it_starts_is_refused(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidDate):
        launch(nghe_an, starts_on=date(2022, 10, 2), ends_on=date(2022, 8, 20))


def test_a_one_day_campaign_is_fine(nghe_an: Ledger) -> None:
    launch(nghe_an, starts_on=date(2022, 9, 5), ends_on=date(2022, 9, 5))

    donate(nghe_an, business_date=date(2022, 9, 5))

    assert nghe_an.balance("NA-DC-X01") == 1_000_000


@pytest.mark.parametrize(
    "fields",
    [
        {"edition": 0},
        {"edition": -19},
        {"edition": True},
        {"edition": 10_001},
        {"kind": "tet-nguyen-dan"},
        {"name": ""},
    ],
    ids=[
        "edition-0",
        "edition-negative",
        "edition-bool",
        "edition-huge",
        "kind",
        "name",
    ],
)
def test_a_malformed_launch_is_invalid_input(
    nghe_an: Ledger,
    nothing_recorded: AbstractContextManager[None],
    fields: dict[str, Any],
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidInput) as info:
        launch(nghe_an, **fields)

    assert type(info.value) is errors.InvalidInput


@pytest.mark.parametrize("edition", [19.5, "19"], ids=["fraction", "str"])
def test_an_edition_is_a_whole_number(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None], edition: object
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidInput):
        launch(nghe_an, edition=edition)


@pytest.mark.parametrize("target_vnd", [0, -1, 1.5])
def test_a_target_is_an_amount(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None], target_vnd: object
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidAmount):
        launch(nghe_an, target_vnd=target_vnd)


def test_a_campaign_needs_a_known_organiser(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.UnknownOrganisation):
        launch(nghe_an, organiser_code="HT")


def test_a_dissolved_organisation_launches_no_campaign(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    nghe_an.dissolve("NA-ND", effective_on=date(2022, 1, 1))

    with nothing_recorded, pytest.raises(errors.OrganisationClosed):
        launch(nghe_an, organiser_code="NA-ND")


# ---- entries in a campaign -----------------------------------------------------


def test_a_donation_in_a_campaign_carries_the_campaign(campaign: Ledger) -> None:
    donate(campaign)

    *_, event = campaign.events.get(X01)
    assert isinstance(event, Organisation.DonationReceived)
    assert event.campaign_id == THANG_19
    assert campaign.balance("NA-DC-X01") == 1_000_000


@pytest.mark.parametrize("business_date", [date(2022, 8, 20), date(2022, 10, 2)])
def test_the_first_and_last_days_are_inside_the_campaign(
    campaign: Ledger, business_date: date
) -> None:
    donate(campaign, business_date=business_date)

    assert campaign.balance("NA-DC-X01") == 1_000_000


@pytest.mark.parametrize(
    "business_date",
    [date(2022, 8, 19), date(2022, 10, 3), date(2023, 9, 5)],
    ids=["day-before", "day-after", "next-year"],
)
def test_a_donation_dated_outside_the_campaign_is_refused(
    campaign: Ledger,
    nothing_recorded: AbstractContextManager[None],
    business_date: date,
) -> None:
    with nothing_recorded, pytest.raises(errors.OutsideCampaign) as info:
        donate(campaign, business_date=business_date)

    assert info.value.details["campaign"] == "THANG-19"


def test_a_disbursement_dated_outside_the_campaign_is_refused(
    campaign: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    donate(campaign)

    with nothing_recorded, pytest.raises(errors.OutsideCampaign):
        campaign.disburse(
            "NA-DC-X01",
            voucher_no="PC-001",
            amount=500_000,
            business_date=date(2022, 10, 10),
            category="scholarship",
            campaign="THANG-19",
        )


def test_a_transfer_in_a_campaign_carries_it_to_both_sides(campaign: Ledger) -> None:
    donate(campaign)

    campaign.transfer(
        "NA-DC-X01",
        to_code="NA",
        voucher_no="CK-001",
        amount=400_000,
        business_date=date(2022, 9, 30),
        campaign="THANG-19",
    )

    *_, sent = campaign.events.get(X01)
    *_, received = campaign.events.get(NA)
    assert isinstance(sent, Organisation.TransferSent)
    assert isinstance(received, Organisation.TransferReceived)
    assert sent.campaign_id == received.campaign_id == THANG_19


def test_a_transfer_dated_outside_the_campaign_is_refused(
    campaign: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    donate(campaign)

    with nothing_recorded, pytest.raises(errors.OutsideCampaign):
        campaign.transfer(
            "NA-DC-X01",
            to_code="NA",
            voucher_no="CK-001",
            amount=400_000,
            business_date=date(2022, 10, 3),
            campaign="THANG-19",
        )


def test_an_entry_naming_an_unknown_campaign_is_refused(
    campaign: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.UnknownCampaign):
        donate(campaign, campaign="THANG-20")


# ---- closing -------------------------------------------------------------------


def test_closing_a_campaign_is_recorded(campaign: Ledger) -> None:
    campaign.close_campaign(
        "THANG-19", closed_on=date(2022, 10, 15), recorded_by="admin"
    )

    _, closed = campaign.events.get(THANG_19)
    assert isinstance(closed, Campaign.Closed)
    assert closed.closed_on == date(2022, 10, 15)
    assert closed.recorded_by == "admin"


def test_a_campaign_closes_today_unless_told(campaign: Ledger) -> None:
    campaign.close_campaign("THANG-19")

    _, closed = campaign.events.get(THANG_19)
    assert isinstance(closed, Campaign.Closed)
    assert closed.closed_on == date(2023, 6, 30)


def test_a_closed_campaign_takes_no_more_entries(
    campaign: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    campaign.close_campaign("THANG-19", closed_on=date(2022, 10, 15))

    with nothing_recorded, pytest.raises(errors.CampaignClosed) as info:
        donate(campaign, business_date=date(2022, 9, 5))

    assert info.value.details["campaign"] == "THANG-19"


def test_a_closed_campaign_cannot_close_again(
    campaign: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    campaign.close_campaign("THANG-19", closed_on=date(2022, 10, 15))

    with nothing_recorded, pytest.raises(errors.CampaignClosed):
        campaign.close_campaign("THANG-19", closed_on=date(2022, 10, 16))


@pytest.mark.parametrize(
    "closed_on",
    [date(2022, 8, 19), date(2023, 7, 1)],
    ids=["before-it-starts", "in-the-future"],
)
def test_a_close_dated_before_the_start_or_in_the_future_is_refused(
    campaign: Ledger, nothing_recorded: AbstractContextManager[None], closed_on: date
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidDate):
        campaign.close_campaign("THANG-19", closed_on=closed_on)


def test_closing_an_unknown_campaign_is_refused(
    campaign: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.UnknownCampaign):
        campaign.close_campaign("TET-2023")


def test_the_aggregate_checks_entry_dates_against_its_own() -> None:
    # Given a launched campaign (its Launched event pending),
    tet = Campaign.launch(
        code="TET-2023",
        name="Tết Khuyến học Quý Mão",
        kind=CampaignKind.TET,
        edition=None,
        organiser_id=NA,
        starts_on=date(2023, 1, 1),
        ends_on=date(2023, 2, 28),
        target_vnd=None,
        recorded_by="admin",
    )
    (launched,) = tet.collect_events()
    assert isinstance(launched, Campaign.Launched)

    # when it closes, then it records one Closed event and refuses entries.
    tet.close(closed_on=date(2023, 3, 1), today=date(2023, 6, 30), recorded_by="admin")

    (closed,) = tet.collect_events()
    assert isinstance(closed, Campaign.Closed)
    with pytest.raises(errors.CampaignClosed):
        tet.check_entry_date(date(2023, 1, 15))
