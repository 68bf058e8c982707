"""Transfers between organisations: both sides change in one atomic save."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date
from typing import Any

import pytest

from ledger import Ledger, errors
from ledger.ids import voucher_id
from ledger.organisation import Organisation

NA = Organisation.id_for("NA")
X01 = Organisation.id_for("NA-DC-X01")
X02 = Organisation.id_for("NA-DC-X02")


@pytest.fixture
def funded(nghe_an: Ledger) -> Ledger:
    """Given NA-DC-X01 received 10,000,000 đồng on 1 February 2023."""
    nghe_an.receive_donation(
        "NA-DC-X01",
        voucher_no="PT-001",
        amount=10_000_000,
        business_date=date(2023, 2, 1),
    )
    return nghe_an


def send(ledger: Ledger, **fields: Any) -> None:
    """Send 4,000,000 đồng from NA-DC-X01 to NA-DC-X02, changed by ``fields``."""
    transfer: dict[str, Any] = {
        "to_code": "NA-DC-X02",
        "voucher_no": "CK-001",
        "amount": 4_000_000,
        "business_date": date(2023, 3, 1),
    }
    ledger.transfer("NA-DC-X01", **(transfer | fields))


def test_a_transfer_changes_both_organisations_in_one_entry(funded: Ledger) -> None:
    sender_version = funded.organisation("NA-DC-X01").version
    receiver_version = funded.organisation("NA-DC-X02").version
    position = funded.recorder.max_notification_id()

    entry_id = funded.transfer(
        "NA-DC-X01",
        to_code="NA-DC-X02",
        voucher_no="CK-001",
        amount=4_000_000,
        business_date=date(2023, 3, 1),
        note="hỗ trợ xã bạn",
        recorded_by="thu quỹ",
    )

    assert entry_id == voucher_id(X01, "CK-001")
    (sent,) = funded.events.get(X01, gt=sender_version)
    (received,) = funded.events.get(X02, gt=receiver_version)
    assert isinstance(sent, Organisation.TransferSent)
    assert isinstance(received, Organisation.TransferReceived)
    assert sent.entry_id == received.entry_id == entry_id
    assert sent.voucher_no == received.from_voucher_no == "CK-001"
    assert received.voucher_no == "NA-DC-X01:CK-001"
    assert sent.amount == received.amount == 4_000_000
    assert sent.business_date == received.business_date == date(2023, 3, 1)
    assert (sent.to_org_id, sent.to_fund, sent.fund) == (X02, "general", "general")
    assert (received.from_org_id, received.from_fund) == (X01, "general")
    assert received.fund == "general"
    assert sent.recorded_by == received.recorded_by == "thu quỹ"
    assert funded.balance("NA-DC-X01") == 6_000_000
    assert funded.balance("NA-DC-X02") == 4_000_000
    # Two money events and the two sides' vouchers, nothing else.
    assert funded.recorder.max_notification_id() == (position or 0) + 4


def test_each_side_names_the_other_organisation_as_its_counterparty(
    funded: Ledger,
) -> None:
    send(funded)

    *_, sent = funded.events.get(X01)
    *_, received = funded.events.get(X02)
    assert isinstance(sent, Organisation.TransferSent)
    assert isinstance(received, Organisation.TransferReceived)
    assert sent.counterparty == "NA-DC-X02"
    assert received.counterparty == "NA-DC-X01"


def test_a_transfer_may_go_up_the_hierarchy(funded: Ledger) -> None:
    send(funded, to_code="NA")

    assert funded.balance("NA") == 4_000_000
    assert funded.balance("NA-DC-X01") == 6_000_000


def test_a_transfer_beyond_the_balance_changes_neither_side(
    funded: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.InsufficientFunds) as info:
        send(funded, amount=10_000_001)

    assert (info.value.balance, info.value.amount) == (10_000_000, 10_000_001)
    assert funded.balance("NA-DC-X01") == 10_000_000
    assert funded.balance("NA-DC-X02") == 0


def test_a_transfer_to_oneself_is_invalid_input(
    funded: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidInput) as info:
        send(funded, to_code="NA-DC-X01")

    assert type(info.value) is errors.InvalidInput


def test_a_transfer_to_an_unknown_organisation_is_refused(
    funded: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.UnknownOrganisation):
        send(funded, to_code="HT-X01")


def test_a_transfer_from_an_unknown_organisation_is_refused(
    funded: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.UnknownOrganisation):
        funded.transfer(
            "HT-X01",
            to_code="NA-DC-X02",
            voucher_no="CK-001",
            amount=1,
            business_date=date(2023, 3, 1),
        )


def test_a_transfer_to_a_dissolved_organisation_is_refused(
    funded: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    funded.dissolve("NA-DC-X02", effective_on=date(2023, 2, 15))

    with nothing_recorded, pytest.raises(errors.OrganisationClosed):
        send(funded)

    assert funded.balance("NA-DC-X01") == 10_000_000


def test_a_transfer_into_a_fund_the_receiver_lacks_is_refused(
    funded: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.UnknownFund):
        send(funded, to_fund="ngheo")


def test_a_transfer_dated_before_the_receiver_existed_is_refused(
    funded: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    # The sender was registered in 2010, the receiving branch on 1 January 2015.
    with nothing_recorded, pytest.raises(errors.InvalidDate):
        send(funded, to_code="NA-DC-X01-B1", business_date=date(2014, 12, 31))


def test_a_transfer_dated_in_the_future_is_refused(
    funded: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidDate):
        send(funded, business_date=date(2023, 7, 1))


@pytest.mark.parametrize("amount", [0, -4_000_000, 4e6, False])
def test_a_transfer_amount_must_be_positive_whole_dong(
    funded: Ledger, nothing_recorded: AbstractContextManager[None], amount: object
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidAmount):
        send(funded, amount=amount)


def open_fund(ledger: Ledger, code: str, fund: str, *, restricted: bool) -> None:
    ledger.open_fund(
        code,
        fund,
        name=fund,
        restricted=restricted,
        purpose="scholarships for poor pupils" if restricted else None,
    )


@pytest.fixture
def restricted(funded: Ledger) -> Ledger:
    """Given 5,000,000 đồng in NA-DC-X01's restricted fund ``ngheo``."""
    open_fund(funded, "NA-DC-X01", "ngheo", restricted=True)
    funded.receive_donation(
        "NA-DC-X01",
        voucher_no="PT-002",
        amount=5_000_000,
        business_date=date(2023, 2, 2),
        fund="ngheo",
    )
    return funded


def test_restricted_money_may_not_move_to_an_unrestricted_fund(
    restricted: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.RestrictedFund):
        send(restricted, fund="ngheo", to_fund="general")

    assert restricted.balance("NA-DC-X01", "ngheo") == 5_000_000


def test_restricted_money_may_not_move_to_an_unrestricted_fund_of_that_name(
    restricted: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    open_fund(restricted, "NA-DC-X02", "ngheo", restricted=False)

    with nothing_recorded, pytest.raises(errors.RestrictedFund):
        send(restricted, fund="ngheo", to_fund="ngheo")


def test_restricted_money_may_move_to_another_restricted_fund(
    restricted: Ledger,
) -> None:
    open_fund(restricted, "NA-DC-X02", "hoc-bong", restricted=True)

    send(restricted, fund="ngheo", to_fund="hoc-bong", amount=5_000_000)

    assert restricted.balance("NA-DC-X01", "ngheo") == 0
    assert restricted.balance("NA-DC-X02", "hoc-bong") == 5_000_000
    *_, received = restricted.events.get(X02)
    assert isinstance(received, Organisation.TransferReceived)
    assert (received.fund, received.from_fund) == ("hoc-bong", "ngheo")


def test_general_money_may_move_into_a_restricted_fund(restricted: Ledger) -> None:
    open_fund(restricted, "NA-DC-X02", "hoc-bong", restricted=True)

    send(restricted, to_fund="hoc-bong")

    assert restricted.balance("NA-DC-X02", "hoc-bong") == 4_000_000
    assert restricted.balance("NA-DC-X02") == 0


def test_a_stale_receiver_never_leaves_half_a_transfer(
    nghe_an: Ledger, another_process: Callable[[Ledger], Ledger]
) -> None:
    # Given 10,000,000 đồng at NA-DC-X01, and a clerk elsewhere who records a
    # donation at NA-DC-X02 while the transfer is being decided (the first
    # time the ledger asks for today's date),
    nghe_an.receive_donation(
        "NA-DC-X01",
        voucher_no="PT-001",
        amount=10_000_000,
        business_date=date(2023, 2, 1),
    )
    other = another_process(nghe_an)
    asked: list[date] = []

    def today() -> date:
        asked.append(date(2023, 6, 30))
        if len(asked) == 1:
            other.receive_donation(
                "NA-DC-X02",
                voucher_no="PT-X02",
                amount=1_000_000,
                business_date=date(2023, 3, 1),
            )
        return date(2023, 6, 30)

    nghe_an.today = today

    # when the transfer is recorded,
    send(nghe_an)

    # then the stale attempt was retried and left nothing behind: one
    # transfer, sent once and received once, and the other donation kept.
    assert len(asked) == 2
    sent = [
        e for e in nghe_an.events.get(X01) if isinstance(e, Organisation.TransferSent)
    ]
    received = [
        e
        for e in nghe_an.events.get(X02)
        if isinstance(e, Organisation.TransferReceived)
    ]
    assert (len(sent), len(received)) == (1, 1)
    assert nghe_an.balance("NA-DC-X01") == 6_000_000
    assert nghe_an.balance("NA-DC-X02") == 5_000_000


def test_the_receiver_cannot_reuse_the_transfer_s_number_for_its_own_entry(
    funded: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    funded.transfer(
        "NA-DC-X01",
        to_code="NA-DC-X02",
        voucher_no="CK-9",
        amount=1_000,
        business_date=date(2023, 3, 1),
    )

    with nothing_recorded, pytest.raises(errors.DuplicateVoucher):
        funded.receive_donation(
            "NA-DC-X02",
            voucher_no="NA-DC-X01:CK-9",
            amount=5,
            business_date=date(2023, 3, 2),
        )
    # The receiver's own numbering is untouched: it may use CK-9 itself.
    funded.receive_donation(
        "NA-DC-X02", voucher_no="CK-9", amount=5, business_date=date(2023, 3, 2)
    )


def test_a_transfer_whose_receiving_number_is_taken_is_refused(
    funded: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    funded.receive_donation(
        "NA-DC-X02",
        voucher_no="NA-DC-X01:CK-7",
        amount=5,
        business_date=date(2023, 3, 2),
    )

    with nothing_recorded, pytest.raises(errors.DuplicateVoucher):
        funded.transfer(
            "NA-DC-X01",
            to_code="NA-DC-X02",
            voucher_no="CK-7",
            amount=1_000,
            business_date=date(2023, 3, 3),
        )


def test_restricted_money_goes_only_to_a_fund_with_the_same_purpose(
    funded: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    funded.open_fund(
        "NA-DC-X01", "hb", name="Học bổng", restricted=True, purpose="scholarships"
    )
    funded.receive_donation(
        "NA-DC-X01",
        voucher_no="PT-HB",
        amount=1_000_000,
        business_date=date(2023, 3, 1),
        fund="hb",
    )
    funded.open_fund("NA-DC-X02", "sach", name="Sách", restricted=True, purpose="books")
    funded.open_fund(
        "NA-DC-X02", "hb", name="Học bổng", restricted=True, purpose="scholarships"
    )

    with nothing_recorded, pytest.raises(errors.RestrictedFund):
        funded.transfer(
            "NA-DC-X01",
            to_code="NA-DC-X02",
            voucher_no="CK-HB",
            amount=100,
            business_date=date(2023, 3, 2),
            fund="hb",
            to_fund="sach",
        )
    funded.transfer(
        "NA-DC-X01",
        to_code="NA-DC-X02",
        voucher_no="CK-HB",
        amount=100,
        business_date=date(2023, 3, 2),
        fund="hb",
        to_fund="hb",
    )
    assert funded.balance("NA-DC-X02", "hb") == 100


def test_a_long_voucher_number_is_refused_and_the_longest_reverses_from_both_sides(
    funded: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidInput):
        funded.transfer(
            "NA-DC-X01",
            to_code="NA-DC-X02",
            voucher_no="C" * 81,
            amount=1_000,
            business_date=date(2023, 3, 1),
        )
    longest = "C" * 80
    funded.transfer(
        "NA-DC-X01",
        to_code="NA-DC-X02",
        voucher_no=longest,
        amount=1_000,
        business_date=date(2023, 3, 1),
    )

    funded.reverse_entry("NA-DC-X02", f"NA-DC-X01:{longest}", reason="nhầm")

    assert funded.balance("NA-DC-X02") == 0
