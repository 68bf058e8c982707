"""What the write model answers directly: ancestors today, a transfer's other
side, an organisation's raw event stream."""

from __future__ import annotations

from datetime import date

import pytest

from ledger import Ledger, errors
from ledger.organisation import Organisation


def test_ancestors_follow_todays_hierarchy(nghe_an: Ledger) -> None:
    assert nghe_an.ancestors("NA-DC-X01-B1") == ["NA-DC-X01", "NA-DC", "NA"]
    assert nghe_an.ancestors("NA") == []
    nghe_an.move("NA-DC-X01", new_parent_code="NA-ND", effective_on=date(2020, 1, 1))
    assert nghe_an.ancestors("NA-DC-X01-B1") == ["NA-DC-X01", "NA-ND", "NA"]
    with pytest.raises(errors.UnknownOrganisation):
        nghe_an.ancestors("NOPE")


def test_is_within_follows_todays_hierarchy(nghe_an: Ledger) -> None:
    within = nghe_an.is_within
    assert within("NA-DC-X01-B1", "NA-DC-X01")
    assert within("NA-DC-X01-B1", "NA-DC")
    assert within("NA-DC-X01-B1", "NA")
    assert within("NA-DC", "NA-DC")
    assert not within("NA-DC", "NA-DC-X01")  # below is not above
    assert not within("NA-DC-X01-B1", "NA-ND")  # another district
    nghe_an.move("NA-DC-X01", new_parent_code="NA-ND", effective_on=date(2020, 1, 1))
    assert within("NA-DC-X01-B1", "NA-ND")
    assert not within("NA-DC-X01-B1", "NA-DC")
    with pytest.raises(errors.UnknownOrganisation):
        within("NOPE", "NA")


def test_a_transfers_counterpart_is_known_from_either_side(nghe_an: Ledger) -> None:
    nghe_an.receive_donation(
        "NA-DC", voucher_no="PT-1", amount=5_000, business_date=date(2022, 1, 1)
    )
    nghe_an.transfer(
        "NA-DC",
        to_code="NA-DC-X01",
        voucher_no="CK-1",
        amount=1_000,
        business_date=date(2022, 2, 1),
    )
    assert nghe_an.counterpart("NA-DC", "CK-1") == "NA-DC-X01"
    assert nghe_an.counterpart("NA-DC-X01", "NA-DC:CK-1") == "NA-DC"
    assert nghe_an.counterpart("NA-DC", "PT-1") is None
    with pytest.raises(errors.UnknownEntry):
        nghe_an.counterpart("NA-DC", "PT-404")


def test_history_pages_through_an_organisations_events(nghe_an: Ledger) -> None:
    for n in range(3):
        nghe_an.receive_donation(
            "NA-DC-X02",
            voucher_no=f"PT-{n}",
            amount=1_000,
            business_date=date(2022, 1, 1),
        )
    first = nghe_an.history("NA-DC-X02", limit=2)
    assert [type(e) for e in first] == [
        Organisation.Registered,
        Organisation.DonationReceived,
    ]
    rest = nghe_an.history("NA-DC-X02", after_version=first[-1].originator_version)
    assert [e.originator_version for e in rest] == [3, 4]
    with pytest.raises(errors.UnknownOrganisation):
        nghe_an.history("NOPE")
