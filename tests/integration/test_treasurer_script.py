"""The issue's acceptance script, written only against the Ledger's commands.

A province's year, end to end, on SQLite and PostgreSQL: build the tree,
receive and pay, be refused, re-send, transfer, reverse, move and merge.
"""

from __future__ import annotations

from datetime import date

import pytest

from ledger import errors
from ledger.organisation import Organisation
from ledger.types import Status
from tests.conftest import LedgerFactory

OPENED = date(2010, 1, 1)


def test_a_province_year_through_the_ledger(open_ledger: LedgerFactory) -> None:
    ledger = open_ledger(snapshot_interval=5)

    # Build province → district → communes → branch.
    tree = [
        ("NA", "province", None),
        ("NA-DC", "district", "NA"),
        ("NA-QL", "district", "NA"),
        ("NA-DC-DH", "commune", "NA-DC"),
        ("NA-DC-DT", "commune", "NA-DC"),
        ("NA-DC-DH-X1", "branch", "NA-DC-DH"),
    ]
    for code, level, parent in tree:
        ledger.register_organisation(
            code,
            name=f"Hội {code}",
            level=level,
            parent_code=parent,
            registered_on=OPENED,
        )
    assert ledger.organisation("NA-DC").active_children == 2

    # Donations and disbursements.
    gift = ledger.receive_donation(
        "NA-DC-DH",
        voucher_no="PT-01",
        amount=40_000_000,
        business_date=date(2022, 2, 1),
        donor="Công ty A",
        donor_kind="business",
        method="bank",
    )
    ledger.receive_donation(
        "NA-DC-DT", voucher_no="PT-01", amount=9_000_000, business_date=date(2022, 2, 3)
    )
    ledger.disburse(
        "NA-DC-DH",
        voucher_no="PC-01",
        amount=15_000_000,
        business_date=date(2022, 9, 5),
        category="scholarship",
        recipients=30,
    )
    ledger.disburse(
        "NA-DC-DH",
        voucher_no="PC-02",
        amount=5_000_000,
        business_date=date(2022, 9, 6),
        category="award",
        recipients=10,
    )

    # An overdraft is refused and records nothing.
    head = ledger.recorder.max_notification_id()
    with pytest.raises(errors.InsufficientFunds) as refused:
        ledger.disburse(
            "NA-DC-DH",
            voucher_no="PC-03",
            amount=20_000_001,
            business_date=date(2022, 9, 7),
            category="scholarship",
            recipients=40,
        )
    assert (refused.value.balance, refused.value.amount) == (20_000_000, 20_000_001)
    assert ledger.recorder.max_notification_id() == head

    # Re-sending a donation answers the same id; a conflicting voucher is refused.
    again = ledger.receive_donation(
        "NA-DC-DH",
        voucher_no="PT-01",
        amount=40_000_000,
        business_date=date(2022, 2, 1),
        donor="Công ty A",
        donor_kind="business",
        method="bank",
    )
    assert again == gift
    with pytest.raises(errors.DuplicateVoucher):
        ledger.receive_donation(
            "NA-DC-DH", voucher_no="PT-01", amount=1, business_date=date(2022, 2, 1)
        )
    assert ledger.recorder.max_notification_id() == head

    # A transfer between organisations is one atomic save.
    ledger.transfer(
        "NA-DC-DH",
        to_code="NA-DC-DH-X1",
        voucher_no="CK-01",
        amount=2_000_000,
        business_date=date(2022, 10, 1),
    )
    assert ledger.balance("NA-DC-DH") == 18_000_000
    assert ledger.balance("NA-DC-DH-X1") == 2_000_000

    # Reverse an entry once; a second reversal is refused.
    ledger.reverse_entry(
        "NA-DC-DH", "PC-02", reason="chi trùng", business_date=date(2022, 10, 5)
    )
    assert ledger.balance("NA-DC-DH") == 23_000_000
    with pytest.raises(errors.AlreadyReversed):
        ledger.reverse_entry("NA-DC-DH", "PC-02", reason="lý do khác")

    # Move a commune to another district.
    ledger.move("NA-DC-DT", new_parent_code="NA-QL", effective_on=date(2023, 1, 1))
    assert ledger.organisation("NA-DC-DT").parent_id == Organisation.id_for("NA-QL")
    assert ledger.organisation("NA-DC").active_children == 1
    assert ledger.organisation("NA-QL").active_children == 1

    # Merge two communes: the branch moves first, then balances carry over.
    with pytest.raises(errors.HasChildren):
        ledger.merge("NA-DC-DH", into_code="NA-DC-DT", effective_on=date(2024, 7, 1))
    ledger.move(
        "NA-DC-DH-X1", new_parent_code="NA-DC-DT", effective_on=date(2024, 7, 1)
    )
    history_before = list(ledger.events.get(Organisation.id_for("NA-DC-DH")))
    ledger.merge("NA-DC-DH", into_code="NA-DC-DT", effective_on=date(2024, 7, 1))

    merged = ledger.organisation("NA-DC-DH")
    assert merged.status is Status.MERGED
    assert merged.balances == {"general": 0}
    assert ledger.balance("NA-DC-DT") == 9_000_000 + 23_000_000
    assert ledger.organisation("NA-DC").active_children == 0
    with pytest.raises(errors.OrganisationClosed):
        ledger.receive_donation(
            "NA-DC-DH", voucher_no="PT-99", amount=1, business_date=date(2024, 8, 1)
        )

    # History is intact: every earlier event is still there, unchanged.
    reopened = open_ledger()
    history_after = list(reopened.events.get(Organisation.id_for("NA-DC-DH")))
    assert history_after[: len(history_before)] == history_before
    assert isinstance(history_after[-1], Organisation.Merged)
    total = sum(reopened.organisation(code).balances["general"] for code, *_ in tree)
    assert total == 40_000_000 + 9_000_000 - 15_000_000
