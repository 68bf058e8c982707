"""Approving payments (issue 15, item 5): above an organisation's threshold
a payment waits; pending, it holds its amount and counts nowhere; approved
it counts; rejected it frees its amount; its recorder may not decide it."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date

import pytest
from eventsourcing.domain import Snapshot

from ledger import Ledger, errors
from ledger.ids import voucher_id
from ledger.organisation import Organisation
from ledger.voucher import Voucher

X = "NA-DC-X01"
X01 = Organisation.id_for(X)


@pytest.fixture
def approving(nghe_an: Ledger) -> Ledger:
    nghe_an.receive_donation(
        X, voucher_no="PT-1", amount=10_000_000, business_date=date(2023, 1, 10)
    )
    nghe_an.set_approval_threshold(X, threshold=5_000_000, recorded_by="chủ tịch")
    return nghe_an


def pay(ledger: Ledger, voucher: str, amount: int, by: str = "thủ quỹ") -> object:
    return ledger.disburse(
        X,
        voucher_no=voucher,
        amount=amount,
        business_date=date(2023, 2, 1),
        category="scholarship",
        recipients=1,
        recorded_by=by,
    )


def test_approval_is_off_by_default(nghe_an: Ledger) -> None:
    nghe_an.receive_donation(
        X, voucher_no="PT-1", amount=10_000_000, business_date=date(2023, 1, 10)
    )
    pay(nghe_an, "PC-1", 9_000_000)
    assert nghe_an.balance(X) == 1_000_000


def test_a_payment_at_the_threshold_counts_at_once(approving: Ledger) -> None:
    pay(approving, "PC-1", 5_000_000)
    assert approving.balance(X) == 5_000_000


def test_a_pending_payment_holds_its_amount_and_counts_nowhere(
    approving: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    pay(approving, "PC-1", 6_000_000)
    last = list(approving.events.get(X01))[-1]
    assert isinstance(last, Organisation.PaymentPending)
    assert not isinstance(last, Organisation.Entry)  # in no total
    assert approving.balance(X) == 10_000_000
    with nothing_recorded, pytest.raises(errors.InsufficientFunds) as refused:
        pay(approving, "PC-2", 4_500_000)
    assert refused.value.field == "amount"
    with nothing_recorded, pytest.raises(errors.InsufficientFunds):
        approving.disburse(
            X,
            voucher_no="PC-3",
            amount=4_500_000,
            business_date=date(2023, 3, 1),
            category="operating",
            recipients=0,
        )
    pay(approving, "PC-4", 4_000_000)


def test_an_approved_payment_counts_and_names_its_approver(approving: Ledger) -> None:
    entry = pay(approving, "PC-1", 6_000_000)
    approving.approve_payment(X, "PC-1", recorded_by="chủ tịch")

    assert approving.balance(X) == 4_000_000
    *_, approved, paid = list(approving.events.get(X01))
    assert isinstance(approved, Organisation.PaymentApproved)
    assert approved.approved_by == "chủ tịch"
    assert isinstance(paid, Organisation.DisbursementPaid)
    assert paid.entry_id == entry
    assert paid.recorded_by == "thủ quỹ"
    voucher: Voucher = approving.repository.get(voucher_id(X01, "PC-1"))
    assert voucher.approved_by == "chủ tịch"
    # The hold became the payment: 4,000,000 left, not less.
    pay(approving, "PC-2", 4_000_000)
    assert approving.balance(X) == 0
    with pytest.raises(errors.NotPending):
        approving.approve_payment(X, "PC-1", recorded_by="phó chủ tịch")
    # An approved payment is reversed like any other.
    approving.reverse_entry(X, "PC-1", reason="Trả lại")
    assert approving.balance(X) == 6_000_000


def test_a_rejected_payment_frees_its_amount(approving: Ledger) -> None:
    pay(approving, "PC-1", 6_000_000)
    approving.reject_payment(X, "PC-1", reason="Thiếu hồ sơ", recorded_by="chủ tịch")

    assert approving.balance(X) == 10_000_000
    last = list(approving.events.get(X01))[-1]
    assert isinstance(last, Organisation.PaymentRejected)
    assert last.reason == "Thiếu hồ sơ"
    pay(approving, "PC-2", 5_000_000)
    pay(approving, "PC-3", 5_000_000)
    assert approving.balance(X) == 0
    with pytest.raises(errors.NotPending):
        approving.approve_payment(X, "PC-1", recorded_by="chủ tịch")


def test_whoever_recorded_a_payment_may_not_decide_it(
    approving: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    pay(approving, "PC-1", 6_000_000, by="thủ quỹ")
    with nothing_recorded, pytest.raises(errors.SelfApproval) as refused:
        approving.approve_payment(X, "PC-1", recorded_by="thủ quỹ")
    assert refused.value.field == "recorded_by"
    with nothing_recorded, pytest.raises(errors.SelfApproval):
        approving.reject_payment(X, "PC-1", reason="sai", recorded_by="thủ quỹ")


def test_a_payment_that_never_waited_is_not_pending(
    approving: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    pay(approving, "PC-1", 1_000_000)
    with nothing_recorded, pytest.raises(errors.NotPending) as refused:
        approving.approve_payment(X, "PC-1", recorded_by="chủ tịch")
    assert refused.value.field == "voucher_no"


def test_a_year_with_pending_payments_does_not_close(approving: Ledger) -> None:
    approving.receive_donation(
        X, voucher_no="PT-0", amount=7_000_000, business_date=date(2022, 11, 1)
    )
    approving.disburse(
        X,
        voucher_no="PC-1",
        amount=6_000_000,
        business_date=date(2022, 12, 1),
        category="award",
        recipients=1,
    )
    with pytest.raises(errors.NotPending) as refused:
        approving.close_year(X, year=2022)
    assert refused.value.field == "year"
    approving.reject_payment(
        X, "PC-1", reason="Không đủ điều kiện", recorded_by="chủ tịch"
    )
    approving.close_year(X, year=2022)


def test_turning_approval_off_lets_payments_count_at_once(approving: Ledger) -> None:
    approving.set_approval_threshold(X, threshold=None)
    pay(approving, "PC-1", 9_000_000)
    assert approving.balance(X) == 1_000_000


def test_a_snapshot_from_before_approvals_loads_with_every_attribute(
    approving: Ledger,
) -> None:
    pay(approving, "PC-1", 6_000_000)
    org: Organisation = approving.repository.get(X01)
    taken = Snapshot.take(org)
    added_in_v3 = {"approval_threshold", "pending", "holds", "class_version"}
    old = Snapshot(
        originator_id=taken.originator_id,
        originator_version=taken.originator_version,
        timestamp=taken.timestamp,
        topic=taken.topic,
        state={k: v for k, v in taken.state.items() if k not in added_in_v3}
        | {"class_version": 2},
    )
    loaded = old.mutate(None)
    assert isinstance(loaded, Organisation)
    assert set(vars(loaded)) == set(vars(org))
    assert loaded.approval_threshold is None
    assert loaded.pending == {}
