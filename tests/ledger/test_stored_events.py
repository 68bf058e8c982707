"""What comes back from the event store: types intact, snapshots equal to replay.

Events read with ``ledger.events.get`` are decoded from the stored JSON, so
these tests see what a read model or a restarted process would see.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from eventsourcing.application import project_aggregate

from ledger import Ledger
from ledger.campaign import Campaign
from ledger.ids import voucher_id
from ledger.organisation import Organisation
from ledger.types import (
    CampaignKind,
    Category,
    DonorKind,
    EntryKind,
    Level,
    Method,
    Status,
)
from ledger.voucher import Voucher

X01 = Organisation.id_for("NA-DC-X01")
X02 = Organisation.id_for("NA-DC-X02")


def is_plain_date(value: object) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def test_levels_and_dates_of_registrations_survive_the_store(
    nghe_an: Ledger,
) -> None:
    registered, *_ = nghe_an.events.get(X01)

    assert isinstance(registered, Organisation.Registered)
    assert isinstance(registered.level, Level)
    assert registered.level is Level.COMMUNE
    assert is_plain_date(registered.registered_on)
    assert registered.registered_on == date(2010, 3, 15)


def test_the_enums_and_dates_of_money_events_survive_the_store(
    nghe_an: Ledger,
) -> None:
    nghe_an.launch_campaign(
        "TET-2023",
        name="Tết Khuyến học",
        kind="tet",
        organiser_code="NA",
        starts_on=date(2023, 1, 1),
        ends_on=date(2023, 2, 28),
    )
    nghe_an.receive_donation(
        "NA-DC-X01",
        voucher_no="PT-1",
        amount=3_000_000,
        business_date=date(2023, 1, 20),
        donor_kind="business",
        method="in_kind",
        in_kind_description="sách giáo khoa",
        valuation_basis="giá bìa",
        campaign="TET-2023",
    )
    nghe_an.disburse(
        "NA-DC-X01",
        voucher_no="PC-1",
        amount=1_000_000,
        business_date=date(2023, 2, 1),
        category="award",
        recipients=4,
    )
    nghe_an.reverse_entry("NA-DC-X01", "PC-1", reason="sai")

    *_, donation, payment, reversal = nghe_an.events.get(X01)
    (launched,) = nghe_an.events.get(Campaign.id_for("TET-2023"))
    issued, _ = nghe_an.events.get(voucher_id(X01, "PC-1"))

    assert isinstance(donation, Organisation.DonationReceived)
    assert donation.donor_kind is DonorKind.BUSINESS
    assert donation.method is Method.IN_KIND
    assert is_plain_date(donation.business_date)
    assert donation.campaign_id == Campaign.id_for("TET-2023")
    assert isinstance(payment, Organisation.DisbursementPaid)
    assert payment.category is Category.AWARD
    assert isinstance(payment.recipients, int)
    assert isinstance(reversal, Organisation.EntryReversed)
    assert reversal.reversed_kind is EntryKind.DISBURSEMENT
    assert reversal.category is Category.AWARD
    assert is_plain_date(reversal.reversed_date)
    assert is_plain_date(reversal.business_date)
    assert isinstance(launched, Campaign.Launched)
    assert launched.kind is CampaignKind.TET
    assert is_plain_date(launched.starts_on)
    assert is_plain_date(launched.ends_on)
    assert isinstance(issued, Voucher.Issued)
    assert issued.kind is EntryKind.DISBURSEMENT


def test_a_merge_s_balances_and_funds_survive_the_store(nghe_an: Ledger) -> None:
    nghe_an.open_fund(
        "NA-DC-X02", "ngheo", name="Quỹ", restricted=True, purpose="poor pupils"
    )
    nghe_an.receive_donation(
        "NA-DC-X02",
        voucher_no="PT-1",
        amount=2_000_000,
        business_date=date(2023, 3, 1),
        fund="ngheo",
    )

    nghe_an.merge("NA-DC-X02", into_code="NA-DC-X01", effective_on=date(2023, 6, 1))

    *_, merged = nghe_an.events.get(X02)
    *_, absorbed = nghe_an.events.get(X01)
    assert isinstance(merged, Organisation.Merged)
    assert is_plain_date(merged.effective_on)
    assert merged.balances == {"general": 0, "ngheo": 2_000_000}
    assert isinstance(absorbed, Organisation.Absorbed)
    assert absorbed.funds["ngheo"] == {
        "name": "Quỹ",
        "restricted": True,
        "purpose": "poor pupils",
    }


def record_history(ledger: Ledger, entries: int) -> None:
    """Given ``entries`` donations and disbursements at NA-DC-X01 and a moved,
    renamed, fund-opening organisation."""
    ledger.open_fund(
        "NA-DC-X01", "ngheo", name="Quỹ", restricted=True, purpose="poor pupils"
    )
    ledger.rename("NA-DC-X01", name="Xã Minh Châu", effective_on=date(2020, 1, 1))
    ledger.move("NA-DC-X01", new_parent_code="NA", effective_on=date(2021, 1, 1))
    for n in range(entries):
        ledger.receive_donation(
            "NA-DC-X01",
            voucher_no=f"PT-{n}",
            amount=1_000 + n,
            business_date=date(2023, 1, 1),
            fund="ngheo" if n % 3 else "general",
        )
        if n % 2:
            ledger.disburse(
                "NA-DC-X01",
                voucher_no=f"PC-{n}",
                amount=500,
                business_date=date(2023, 1, 2),
                category="scholarship",
            )


def test_an_organisation_rebuilt_from_a_snapshot_equals_its_full_replay() -> None:
    ledger = Ledger("memory:", today=lambda: date(2023, 6, 30), snapshot_interval=5)
    for code, level, parent in [
        ("NA", "province", None),
        ("NA-DC", "district", "NA"),
        ("NA-DC-X01", "commune", "NA-DC"),
    ]:
        ledger.register_organisation(
            code,
            name=code,
            level=level,
            parent_code=parent,
            registered_on=date(2010, 3, 15),
        )
    record_history(ledger, entries=12)
    version = ledger.organisation("NA-DC-X01").version
    assert ledger.snapshots is not None
    snapshots = list(ledger.snapshots.get(X01))

    from_snapshot: Any = ledger.repository.get(X01, version=version)
    replayed: Any = project_aggregate(None, ledger.events.get(X01))

    assert snapshots, "snapshots are taken every 5 events"
    assert all(s.originator_version % 5 == 0 for s in snapshots)
    assert isinstance(from_snapshot, Organisation)
    assert vars(from_snapshot) == vars(replayed)
    assert from_snapshot.level is Level.COMMUNE
    assert from_snapshot.status is Status.ACTIVE
    assert is_plain_date(from_snapshot.registered_on)
    assert from_snapshot.parent_since == date(2021, 1, 1)
    assert from_snapshot.balances == ledger.organisation("NA-DC-X01").balances


def test_an_organisation_s_state_does_not_grow_with_its_history(
    nghe_an: Ledger,
) -> None:
    def sizes() -> dict[str, int]:
        org: Any = nghe_an.repository.get(X01)
        return {
            name: len(value)
            for name, value in vars(org).items()
            if isinstance(value, list | dict | set | tuple)
            and name != "_pending_events"
        }

    record_history(nghe_an, entries=3)
    few = sizes()

    for n in range(3, 60):
        nghe_an.receive_donation(
            "NA-DC-X01",
            voucher_no=f"PT-{n}",
            amount=1_000,
            business_date=date(2023, 1, 1),
        )

    assert nghe_an.organisation("NA-DC-X01").version > 60
    assert sizes() == few
