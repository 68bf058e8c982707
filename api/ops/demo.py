"""A small sample province recorded through the ``Ledger``: ``khuyenhoc demo``.

Every command carries fixed dates and voucher numbers, so running the demo
again records nothing new: registrations and entries are idempotent.
"""

from __future__ import annotations

from datetime import date

from ledger import Ledger
from ledger.types import Level

DEMO_ORGANISATIONS: tuple[tuple[str, str, Level, str | None], ...] = (
    ("NA", "Hội Khuyến học tỉnh Nghệ An", Level.PROVINCE, None),
    ("NA-DC", "Hội Khuyến học huyện Diễn Châu", Level.DISTRICT, "NA"),
    ("NA-DC-DH", "Hội Khuyến học xã Diễn Hoa", Level.COMMUNE, "NA-DC"),
    ("NA-DC-DH-X3", "Chi hội Khuyến học xóm 3", Level.BRANCH, "NA-DC-DH"),
    ("NA-DC-DH-HO", "Ban khuyến học dòng họ Hồ", Level.CLAN, "NA-DC-DH"),
    ("NA-QL", "Hội Khuyến học huyện Quỳnh Lưu", Level.DISTRICT, "NA"),
    ("NA-QL-QT", "Hội Khuyến học xã Quỳnh Thạch", Level.COMMUNE, "NA-QL"),
)
REGISTERED_ON = date(2010, 1, 1)


def load_demo(ledger: Ledger) -> list[str]:
    """Record the sample province; returns the organisation codes in tree order."""
    actor = "demo"
    for code, name, level, parent in DEMO_ORGANISATIONS:
        ledger.register_organisation(
            code,
            name=name,
            level=level,
            parent_code=parent,
            registered_on=REGISTERED_ON,
            recorded_by=actor,
        )
    ledger.report_membership(
        "NA", year=2022, members=775_276, population=3_341_800, recorded_by=actor
    )
    ledger.launch_campaign(
        "THANG-2022",
        name="Tháng Khuyến học Nghệ An lần thứ 19",
        kind="thang",
        edition=19,
        organiser_code="NA",
        starts_on=date(2022, 8, 25),
        ends_on=date(2022, 10, 2),
        recorded_by=actor,
    )
    ledger.record_opening_balance(
        "NA-DC-DH", amount=12_500_000, business_date=date(2022, 1, 1), recorded_by=actor
    )
    ledger.receive_donation(
        "NA-DC-DH",
        voucher_no="PT-2022-001",
        amount=50_000_000,
        business_date=date(2022, 1, 20),
        donor="Công ty CP Sữa Vinamilk",
        donor_kind="business",
        method="bank",
        recorded_by=actor,
    )
    ledger.receive_donation(
        "NA-DC-DH-HO",
        voucher_no="PT-2022-001",
        amount=8_000_000,
        business_date=date(2022, 2, 1),
        donor_kind="anonymous",
        recorded_by=actor,
    )
    ledger.receive_donation(
        "NA-QL-QT",
        voucher_no="PT-2022-014",
        amount=20_000_000,
        business_date=date(2022, 9, 5),
        donor="Hội đồng hương Quỳnh Lưu tại Hà Nội",
        donor_kind="organisation",
        campaign="THANG-2022",
        recorded_by=actor,
    )
    ledger.disburse(
        "NA-DC-DH",
        voucher_no="PC-2022-007",
        amount=30_000_000,
        business_date=date(2022, 9, 5),
        category="scholarship",
        recipients=60,
        campaign="THANG-2022",
        recorded_by=actor,
    )
    ledger.disburse(
        "NA-QL-QT",
        voucher_no="PC-2022-003",
        amount=6_000_000,
        business_date=date(2022, 9, 30),
        category="award",
        recipients=12,
        campaign="THANG-2022",
        recorded_by=actor,
    )
    ledger.transfer(
        "NA-DC-DH",
        to_code="NA-DC-DH-X3",
        voucher_no="PC-2022-010",
        amount=5_000_000,
        business_date=date(2022, 11, 2),
        recorded_by=actor,
    )
    return [code for code, *_ in DEMO_ORGANISATIONS]
