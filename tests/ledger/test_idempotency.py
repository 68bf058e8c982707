"""Voucher numbers: a re-sent entry answers the original; other content conflicts."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date
from typing import Any

import pytest

from ledger import Ledger, errors
from ledger.commands.base import entry_fingerprint
from ledger.ids import voucher_id
from ledger.organisation import Organisation
from ledger.types import EntryKind
from ledger.voucher import Voucher, check_same_entry

X01 = Organisation.id_for("NA-DC-X01")
X02 = Organisation.id_for("NA-DC-X02")

DONATION: dict[str, Any] = {
    "voucher_no": "PT-001",
    "amount": 5_000_000,
    "business_date": date(2023, 2, 1),
    "donor": "Nguyễn Văn A",
    "note": "Tết",
}


@pytest.fixture
def donated(nghe_an: Ledger) -> Ledger:
    """Given NA-DC-X01 recorded donation PT-001 (``DONATION``), by clerk Lan."""
    nghe_an.receive_donation("NA-DC-X01", recorded_by="Lan", **DONATION)
    return nghe_an


def test_re_sending_a_donation_answers_the_original_and_records_nothing(
    donated: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded:
        entry_id = donated.receive_donation("NA-DC-X01", recorded_by="Lan", **DONATION)

    assert entry_id == voucher_id(X01, "PT-001")
    assert donated.balance("NA-DC-X01") == 5_000_000


def test_another_clerk_re_sending_it_is_the_same_entry(
    donated: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded:
        entry_id = donated.receive_donation("NA-DC-X01", recorded_by="Hoa", **DONATION)

    assert entry_id == voucher_id(X01, "PT-001")
    *_, event = donated.events.get(X01)
    assert isinstance(event, Organisation.DonationReceived)
    assert event.recorded_by == "Lan"


def test_a_re_sent_voucher_number_with_surrounding_spaces_is_the_same(
    donated: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded:
        entry_id = donated.receive_donation(
            "NA-DC-X01", **(DONATION | {"voucher_no": " PT-001 "})
        )

    assert entry_id == voucher_id(X01, "PT-001")


@pytest.mark.parametrize(
    "change",
    [
        {"amount": 5_000_001},
        {"business_date": date(2023, 2, 2)},
        {"donor": "Nguyễn Văn B"},
        {"note": None},
        {"donor_kind": "business"},
        {"method": "bank"},
    ],
    ids=["amount", "date", "donor", "note", "donor-kind", "method"],
)
def test_the_same_voucher_with_other_content_is_a_duplicate_voucher(
    donated: Ledger,
    nothing_recorded: AbstractContextManager[None],
    change: dict[str, Any],
) -> None:
    with nothing_recorded, pytest.raises(errors.DuplicateVoucher) as info:
        donated.receive_donation("NA-DC-X01", **(DONATION | change))

    assert info.value.details["voucher_no"] == "PT-001"
    assert donated.balance("NA-DC-X01") == 5_000_000


def test_a_donation_s_voucher_number_cannot_pay_a_disbursement(
    donated: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.DuplicateVoucher):
        donated.disburse(
            "NA-DC-X01",
            voucher_no="PT-001",
            amount=1_000_000,
            business_date=date(2023, 3, 1),
            category="scholarship",
        )


def test_the_same_voucher_number_at_two_organisations_is_two_entries(
    donated: Ledger,
) -> None:
    entry_id = donated.receive_donation("NA-DC-X02", **DONATION)

    assert entry_id == voucher_id(X02, "PT-001")
    assert entry_id != voucher_id(X01, "PT-001")
    assert donated.balance("NA-DC-X01") == 5_000_000
    assert donated.balance("NA-DC-X02") == 5_000_000


def test_re_sending_a_disbursement_does_not_pay_twice_even_once_funds_ran_out(
    donated: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    payment: dict[str, Any] = {
        "voucher_no": "PC-001",
        "amount": 5_000_000,
        "business_date": date(2023, 3, 1),
        "category": "scholarship",
        "recipients": 10,
    }
    first = donated.disburse("NA-DC-X01", **payment)

    with nothing_recorded:
        again = donated.disburse("NA-DC-X01", **payment)

    assert again == first
    assert donated.balance("NA-DC-X01") == 0


def test_re_sending_a_transfer_moves_the_money_once(
    donated: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    transfer: dict[str, Any] = {
        "to_code": "NA-DC-X02",
        "voucher_no": "CK-001",
        "amount": 2_000_000,
        "business_date": date(2023, 3, 1),
    }
    first = donated.transfer("NA-DC-X01", **transfer)

    with nothing_recorded:
        again = donated.transfer("NA-DC-X01", recorded_by="Hoa", **transfer)

    assert again == first
    assert donated.balance("NA-DC-X01") == 3_000_000
    assert donated.balance("NA-DC-X02") == 2_000_000


def test_a_transfer_voucher_re_sent_to_another_receiver_is_a_conflict(
    donated: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    donated.transfer(
        "NA-DC-X01",
        to_code="NA-DC-X02",
        voucher_no="CK-001",
        amount=2_000_000,
        business_date=date(2023, 3, 1),
    )

    with nothing_recorded, pytest.raises(errors.DuplicateVoucher):
        donated.transfer(
            "NA-DC-X01",
            to_code="NA-DC",
            voucher_no="CK-001",
            amount=2_000_000,
            business_date=date(2023, 3, 1),
        )


def test_a_re_sent_entry_answers_the_original_after_it_was_reversed(
    donated: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    donated.reverse_entry("NA-DC-X01", "PT-001", reason="nhập trùng")

    with nothing_recorded:
        entry_id = donated.receive_donation("NA-DC-X01", **DONATION)

    assert entry_id == voucher_id(X01, "PT-001")
    assert donated.balance("NA-DC-X01") == 0


def test_a_re_sent_entry_answers_the_original_after_a_merge(
    donated: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    donated.move(
        "NA-DC-X01-B1", new_parent_code="NA-DC-X02", effective_on=date(2023, 5, 1)
    )
    donated.merge("NA-DC-X01", into_code="NA-DC-X02", effective_on=date(2023, 6, 1))

    with nothing_recorded:
        entry_id = donated.receive_donation("NA-DC-X01", **DONATION)

    assert entry_id == voucher_id(X01, "PT-001")


def test_the_voucher_remembers_the_entry_s_kind_place_and_fingerprint(
    donated: Ledger,
) -> None:
    (issued,) = donated.events.get(voucher_id(X01, "PT-001"))

    assert isinstance(issued, Voucher.Issued)
    assert issued.org_id == X01
    assert issued.voucher_no == "PT-001"
    assert issued.kind is EntryKind.DONATION
    assert issued.event_version == donated.organisation("NA-DC-X01").version
    assert issued.counter_version is None
    assert len(issued.fingerprint) == 64


def test_a_transfer_s_voucher_remembers_where_the_receiver_recorded_it(
    donated: Ledger,
) -> None:
    entry_id = donated.transfer(
        "NA-DC-X01",
        to_code="NA-DC-X02",
        voucher_no="CK-001",
        amount=2_000_000,
        business_date=date(2023, 3, 1),
    )

    (issued,) = donated.events.get(entry_id)
    assert isinstance(issued, Voucher.Issued)
    assert issued.kind is EntryKind.TRANSFER
    assert issued.event_version == donated.organisation("NA-DC-X01").version
    assert issued.counter_version == donated.organisation("NA-DC-X02").version


def test_a_fingerprint_ignores_who_recorded_but_not_what() -> None:
    fields: dict[str, Any] = {"voucher_no": "PT-1", "amount": 1, "note": None}

    same = entry_fingerprint(EntryKind.DONATION, "X01", fields)

    assert same == entry_fingerprint(EntryKind.DONATION, "X01", dict(fields))
    assert same != entry_fingerprint(EntryKind.DISBURSEMENT, "X01", fields)
    assert same != entry_fingerprint(EntryKind.DONATION, "X02", fields)
    assert same != entry_fingerprint(EntryKind.DONATION, "X01", fields | {"amount": 2})


def test_the_voucher_aggregate_refuses_other_content_and_a_second_reversal() -> None:
    # Given an issued voucher,
    voucher = Voucher.issue(
        id=voucher_id(X01, "PT-1"),
        org_id=X01,
        voucher_no="PT-1",
        kind=EntryKind.DONATION,
        fingerprint="abc",
        event_version=7,
    )
    voucher.collect_events()

    # when it is checked and reversed,
    check_same_entry(voucher.voucher_no, voucher.fingerprint, "abc")
    voucher.reverse(reason="sai", recorded_by="Lan")

    # then one Reversed event, and no second reversal nor other content.
    (reversed_,) = voucher.collect_events()
    assert isinstance(reversed_, Voucher.Reversed)
    with pytest.raises(errors.DuplicateVoucher):
        check_same_entry(voucher.voucher_no, voucher.fingerprint, "abd")
    assert voucher.reversal_reason == "sai"
    with pytest.raises(errors.AlreadyReversed):
        voucher.reverse(reason="sai", recorded_by="Lan")
    assert voucher.collect_events() == []
