"""Reversing entries: a compensating event, at most once; nothing is edited."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date

import pytest

from ledger import Ledger, errors, ids
from ledger.ids import voucher_id
from ledger.organisation import Organisation
from ledger.types import Category, EntryKind
from ledger.voucher import Voucher

X01 = Organisation.id_for("NA-DC-X01")
X02 = Organisation.id_for("NA-DC-X02")


@pytest.fixture
def books(nghe_an: Ledger) -> Ledger:
    """Given, at NA-DC-X01 in 2023: an opening balance of 1,000,000 (1 Jan),
    donations PT-001 of 10,000,000 (1 Feb) and PT-002 of 20,000,000 (2 Feb),
    a scholarship PC-001 of 3,000,000 to 3 pupils (1 Mar), and a transfer
    CK-001 of 2,000,000 to NA-DC-X02 (1 Apr).
    General fund: 26,000,000 at X01, 2,000,000 at X02.
    """
    nghe_an.record_opening_balance(
        "NA-DC-X01", amount=1_000_000, business_date=date(2023, 1, 1)
    )
    nghe_an.receive_donation(
        "NA-DC-X01",
        voucher_no="PT-001",
        amount=10_000_000,
        business_date=date(2023, 2, 1),
        donor="Nguyễn Văn A",
    )
    nghe_an.receive_donation(
        "NA-DC-X01",
        voucher_no="PT-002",
        amount=20_000_000,
        business_date=date(2023, 2, 2),
    )
    nghe_an.disburse(
        "NA-DC-X01",
        voucher_no="PC-001",
        amount=3_000_000,
        business_date=date(2023, 3, 1),
        category="scholarship",
        recipients=3,
    )
    nghe_an.transfer(
        "NA-DC-X01",
        to_code="NA-DC-X02",
        voucher_no="CK-001",
        amount=2_000_000,
        business_date=date(2023, 4, 1),
    )
    assert nghe_an.balance("NA-DC-X01") == 26_000_000
    return nghe_an


def test_reversing_a_donation_takes_its_money_back_out(books: Ledger) -> None:
    version = books.organisation("NA-DC-X01").version

    reversal_id = books.reverse_entry(
        "NA-DC-X01",
        "PT-001",
        reason="nhập trùng",
        business_date=date(2023, 6, 1),
        recorded_by="kế toán",
    )

    assert reversal_id == ids.reversal_id(voucher_id(X01, "PT-001"))
    (event,) = books.events.get(X01, gt=version)
    assert isinstance(event, Organisation.EntryReversed)
    assert event.entry_id == reversal_id
    assert event.reversed_entry_id == voucher_id(X01, "PT-001")
    assert event.counterpart_org_id is None
    assert event.voucher_no == "PT-001"
    assert event.fund == "general"
    assert event.amount == 10_000_000
    assert event.business_date == date(2023, 6, 1)
    assert event.reversed_kind is EntryKind.DONATION
    assert event.reversed_date == date(2023, 2, 1)
    assert event.balance_delta == -10_000_000
    assert event.counterparty == "Nguyễn Văn A"
    assert event.reason == "nhập trùng"
    assert event.recorded_by == "kế toán"
    assert books.balance("NA-DC-X01") == 16_000_000


def test_the_voucher_remembers_its_reversal(books: Ledger) -> None:
    books.reverse_entry("NA-DC-X01", "PT-001", reason="nhập trùng")

    issued, reversed_ = books.events.get(voucher_id(X01, "PT-001"))
    assert isinstance(issued, Voucher.Issued)
    assert issued.kind is EntryKind.DONATION
    assert isinstance(reversed_, Voucher.Reversed)
    assert reversed_.reason == "nhập trùng"


def test_a_reversal_is_dated_today_unless_told(books: Ledger) -> None:
    books.reverse_entry("NA-DC-X01", "PT-001", reason="nhập trùng")

    *_, event = books.events.get(X01)
    assert isinstance(event, Organisation.EntryReversed)
    assert event.business_date == date(2023, 6, 30)


def test_reversing_a_disbursement_puts_the_money_back(books: Ledger) -> None:
    books.reverse_entry("NA-DC-X01", "PC-001", reason="học sinh không nhận")

    *_, event = books.events.get(X01)
    assert isinstance(event, Organisation.EntryReversed)
    assert event.reversed_kind is EntryKind.DISBURSEMENT
    assert event.balance_delta == 3_000_000
    assert event.category is Category.SCHOLARSHIP
    assert event.recipients == 3
    assert books.balance("NA-DC-X01") == 29_000_000


def test_reversing_a_transfer_restores_both_organisations(books: Ledger) -> None:
    sender_version = books.organisation("NA-DC-X01").version
    receiver_version = books.organisation("NA-DC-X02").version

    books.reverse_entry("NA-DC-X01", "CK-001", reason="chuyển nhầm xã")

    (at_sender,) = books.events.get(X01, gt=sender_version)
    (at_receiver,) = books.events.get(X02, gt=receiver_version)
    assert isinstance(at_sender, Organisation.EntryReversed)
    assert isinstance(at_receiver, Organisation.EntryReversed)
    reversal = ids.reversal_id(voucher_id(X01, "CK-001"))
    assert at_sender.entry_id == at_receiver.entry_id == reversal
    assert at_sender.reversed_entry_id == voucher_id(X01, "CK-001")
    assert at_receiver.reversed_entry_id == voucher_id(X01, "CK-001")
    assert (at_sender.counterpart_org_id, at_receiver.counterpart_org_id) == (X02, X01)
    assert at_sender.reversed_kind is at_receiver.reversed_kind is EntryKind.TRANSFER
    assert (at_sender.balance_delta, at_receiver.balance_delta) == (
        2_000_000,
        -2_000_000,
    )
    assert books.balance("NA-DC-X01") == 28_000_000
    assert books.balance("NA-DC-X02") == 0


def test_reversing_an_opening_balance_takes_it_back_out(books: Ledger) -> None:
    books.reverse_entry("NA-DC-X01", "opening-general", reason="sai số dư")

    *_, event = books.events.get(X01)
    assert isinstance(event, Organisation.EntryReversed)
    assert event.reversed_kind is EntryKind.OPENING_BALANCE
    assert event.balance_delta == -1_000_000
    assert books.balance("NA-DC-X01") == 25_000_000


@pytest.mark.parametrize(
    "voucher_no", ["opening-general", "PT-001", "PC-001", "CK-001"]
)
def test_an_entry_is_reversed_at_most_once(
    books: Ledger, nothing_recorded: AbstractContextManager[None], voucher_no: str
) -> None:
    books.reverse_entry("NA-DC-X01", voucher_no, reason="sai")
    balances = (books.balance("NA-DC-X01"), books.balance("NA-DC-X02"))

    with nothing_recorded, pytest.raises(errors.AlreadyReversed):
        books.reverse_entry("NA-DC-X01", voucher_no, reason="sai, lần nữa")

    assert (books.balance("NA-DC-X01"), books.balance("NA-DC-X02")) == balances


def test_a_donation_whose_money_is_spent_cannot_be_reversed(
    books: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    books.disburse(
        "NA-DC-X01",
        voucher_no="PC-002",
        amount=20_000_000,
        business_date=date(2023, 5, 1),
        category="award",
        recipients=10,
    )

    with nothing_recorded, pytest.raises(errors.InsufficientFunds) as info:
        books.reverse_entry("NA-DC-X01", "PT-001", reason="nhập trùng")

    assert (info.value.balance, info.value.amount) == (6_000_000, 10_000_000)
    assert books.balance("NA-DC-X01") == 6_000_000


def test_a_refused_reversal_may_succeed_once_the_money_is_back(books: Ledger) -> None:
    # Given the donation's money was spent and its reversal refused, which
    # must not have marked the voucher reversed, and then more money came in,
    books.disburse(
        "NA-DC-X01",
        voucher_no="PC-002",
        amount=20_000_000,
        business_date=date(2023, 5, 1),
        category="award",
        recipients=10,
    )
    with pytest.raises(errors.InsufficientFunds):
        books.reverse_entry("NA-DC-X01", "PT-001", reason="nhập trùng")
    books.receive_donation(
        "NA-DC-X01",
        voucher_no="PT-003",
        amount=4_000_000,
        business_date=date(2023, 5, 2),
    )

    books.reverse_entry("NA-DC-X01", "PT-001", reason="nhập trùng")

    *_, event = books.events.get(X01)
    assert isinstance(event, Organisation.EntryReversed)
    assert event.reversed_entry_id == voucher_id(X01, "PT-001")
    assert books.balance("NA-DC-X01") == 0


def test_a_transfer_the_receiver_has_spent_cannot_be_reversed(
    books: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    books.disburse(
        "NA-DC-X02",
        voucher_no="PC-001",
        amount=1_500_000,
        business_date=date(2023, 5, 1),
        category="scholarship",
    )

    with nothing_recorded, pytest.raises(errors.InsufficientFunds) as info:
        books.reverse_entry("NA-DC-X01", "CK-001", reason="chuyển nhầm")

    assert info.value.details["org"] == "NA-DC-X02"
    assert (info.value.balance, info.value.amount) == (500_000, 2_000_000)
    assert books.balance("NA-DC-X01") == 26_000_000
    assert books.balance("NA-DC-X02") == 500_000


def test_reversing_an_unknown_voucher_is_an_unknown_entry(
    books: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.UnknownEntry):
        books.reverse_entry("NA-DC-X01", "PT-999", reason="sai")


def test_a_transfer_is_reversed_by_its_sender_not_its_receiver(
    books: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.UnknownEntry):
        books.reverse_entry("NA-DC-X02", "CK-001", reason="sai")


def test_reversing_at_an_unknown_organisation_is_refused(
    books: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.UnknownOrganisation):
        books.reverse_entry("HT", "PT-001", reason="sai")


@pytest.mark.parametrize(
    "business_date",
    [date(2023, 1, 31), date(2023, 7, 1)],
    ids=["before-the-entry", "in-the-future"],
)
def test_a_reversal_dated_before_its_entry_or_in_the_future_is_refused(
    books: Ledger, nothing_recorded: AbstractContextManager[None], business_date: date
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidDate):
        books.reverse_entry(
            "NA-DC-X01", "PT-001", reason="sai", business_date=business_date
        )


def test_a_reversal_may_share_its_entry_s_date(books: Ledger) -> None:
    books.reverse_entry(
        "NA-DC-X01", "PT-001", reason="sai", business_date=date(2023, 2, 1)
    )

    *_, event = books.events.get(X01)
    assert isinstance(event, Organisation.EntryReversed)
    assert event.business_date == event.reversed_date == date(2023, 2, 1)


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_reversal_needs_a_reason(
    books: Ledger, nothing_recorded: AbstractContextManager[None], reason: str
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidInput) as info:
        books.reverse_entry("NA-DC-X01", "PT-001", reason=reason)

    assert type(info.value) is errors.InvalidInput


def test_nothing_is_reversed_at_a_merged_organisation(
    books: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    books.receive_donation(
        "NA-DC-X02",
        voucher_no="PT-X02",
        amount=1_000_000,
        business_date=date(2023, 5, 1),
    )
    books.merge("NA-DC-X02", into_code="NA-DC-X01", effective_on=date(2023, 6, 1))

    with nothing_recorded, pytest.raises(errors.OrganisationClosed):
        books.reverse_entry("NA-DC-X02", "PT-X02", reason="sai")


def test_a_transfer_to_an_organisation_since_merged_is_not_reversed(
    books: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    books.merge("NA-DC-X02", into_code="NA-DC-X01", effective_on=date(2023, 6, 1))

    with nothing_recorded, pytest.raises(errors.OrganisationClosed):
        books.reverse_entry("NA-DC-X01", "CK-001", reason="sai")


def test_a_reversed_voucher_number_is_not_reused_for_other_content(
    books: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    books.reverse_entry("NA-DC-X01", "PT-001", reason="sai số tiền")

    with nothing_recorded, pytest.raises(errors.DuplicateVoucher):
        books.receive_donation(
            "NA-DC-X01",
            voucher_no="PT-001",
            amount=1_000_000,
            business_date=date(2023, 2, 1),
            donor="Nguyễn Văn A",
        )


def test_a_reversal_keeps_the_entry_s_campaign(nghe_an: Ledger) -> None:
    campaign_id = nghe_an.launch_campaign(
        "TET-2023",
        name="Tết Khuyến học 2023",
        kind="tet",
        organiser_code="NA",
        starts_on=date(2023, 1, 1),
        ends_on=date(2023, 2, 28),
    )
    nghe_an.receive_donation(
        "NA-DC-X01",
        voucher_no="PT-TET",
        amount=1_000_000,
        business_date=date(2023, 1, 20),
        campaign="TET-2023",
    )

    nghe_an.reverse_entry("NA-DC-X01", "PT-TET", reason="sai")

    *_, event = nghe_an.events.get(X01)
    assert isinstance(event, Organisation.EntryReversed)
    assert event.campaign_id == campaign_id


def test_a_second_reversal_with_the_same_reason_is_refused_and_names_the_first(
    books: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    first = books.reverse_entry("NA-DC-X01", "PC-001", reason="chi nhầm")
    balance = books.balance("NA-DC-X01")

    with nothing_recorded, pytest.raises(errors.AlreadyReversed) as refused:
        books.reverse_entry("NA-DC-X01", "PC-001", reason="chi nhầm")

    assert first == ids.reversal_id(voucher_id(X01, "PC-001"))
    assert refused.value.details["reversal_id"] == str(first)
    assert refused.value.details["reason"] == "chi nhầm"
    assert books.balance("NA-DC-X01") == balance


def test_a_transfer_can_be_reversed_from_the_receiving_side(
    books: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    reversal = books.reverse_entry("NA-DC-X02", "NA-DC-X01:CK-001", reason="nhầm xã")

    assert reversal == ids.reversal_id(voucher_id(X01, "CK-001"))
    assert books.balance("NA-DC-X01") == 28_000_000
    assert books.balance("NA-DC-X02") == 0
    # It is one entry: the sender's voucher now says reversed, too.
    with nothing_recorded, pytest.raises(errors.AlreadyReversed):
        books.reverse_entry("NA-DC-X01", "CK-001", reason="another reason")


def test_a_reversal_cannot_itself_be_looked_up_as_an_entry_to_reverse(
    books: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.UnknownEntry):
        books.reverse_entry("NA-DC-X01", "PT-404", reason="không có")
