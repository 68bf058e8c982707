"""Campaign totals, journal pages, the hierarchy and the queries' errors."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from projections import errors
from projections.answers import JournalEntry
from tests.projections.conftest import Books


def province(books: Books) -> None:
    books.register("P", "province")
    books.register("D1", "district", "P")
    books.register("D2", "district", "P")
    books.register("C", "commune", "D1")
    books.ledger.launch_campaign(
        "THANG-19",
        name="Tháng Khuyến học lần thứ 19",
        kind="thang",
        edition=19,
        organiser_code="P",
        starts_on=date(2022, 8, 25),
        ends_on=date(2022, 10, 2),
    )


def test_campaign_totals_per_subtree_and_campaign_wide(books: Books) -> None:
    province(books)
    thang = {"campaign": "THANG-19"}
    books.donate("C", "PT-1", 9_000_000, date(2022, 9, 1), **thang)
    books.donate("D2", "PT-1", 4_000_000, date(2022, 9, 2), **thang)
    books.donate("C", "PT-2", 1_000_000, date(2022, 9, 3))  # not the campaign's
    books.pay("C", "PC-1", 6_000_000, date(2022, 9, 5), recipients=12, **thang)
    books.pay("D2", "PC-1", 1_000_000, date(2022, 9, 6), recipients=2, **thang)
    books.ledger.reverse_entry("D2", "PC-1", reason="nhầm")
    q = books.caught_up()

    everyone = q.campaign_totals("THANG-19")
    assert (everyone.raised_vnd, everyone.disbursed_vnd, everyone.recipients) == (
        13_000_000,
        6_000_000,
        12,
    )
    assert everyone.entries == 3
    d1 = q.campaign_totals("THANG-19", org="D1")
    assert (d1.raised_vnd, d1.disbursed_vnd, d1.recipients, d1.entries) == (
        9_000_000,
        6_000_000,
        12,
        2,
    )
    assert q.campaign_totals("THANG-19", org="D1", subtree=False).entries == 0
    assert q.campaign_totals("THANG-19", org="P").raised_vnd == 13_000_000
    info = q.campaign("THANG-19")
    assert (info.kind, info.edition, info.organiser) == ("thang", 19, "P")
    books.assert_verified()


def test_campaign_totals_follow_the_hierarchy_of_the_entrys_date(books: Books) -> None:
    province(books)
    books.donate("C", "PT-1", 9_000_000, date(2022, 9, 1), campaign="THANG-19")
    books.ledger.move("C", new_parent_code="D2", effective_on=date(2023, 1, 1))
    q = books.caught_up()
    assert q.campaign_totals("THANG-19", org="D1").raised_vnd == 9_000_000
    assert q.campaign_totals("THANG-19", org="D2").raised_vnd == 0
    books.ledger.move("C", new_parent_code="D1", effective_on=date(2023, 6, 1))
    books.register("D3", "district", "P")
    books.read_models.catch_up()
    books.assert_verified()


def test_journal_pages_follow_the_cursor_to_the_end(books: Books) -> None:
    province(books)
    for n in range(7):
        books.donate("C", f"PT-{n}", 1_000 * (n + 1), date(2022, 1, n + 1))
    books.ledger.transfer(
        "C",
        to_code="D1",
        voucher_no="CK-1",
        amount=500,
        business_date=date(2022, 2, 1),
        recorded_by="thu-quy",
    )
    q = books.caught_up()

    seen: list[JournalEntry] = []
    cursor: str | None = None
    pages = 0
    while True:
        page = q.journal("C", cursor=cursor, limit=3)
        seen.extend(page.entries)
        pages += 1
        cursor = page.next_cursor
        if cursor is None:
            break
    assert pages == 3
    assert [e.voucher_no for e in seen] == [f"PT-{n}" for n in range(7)] + ["CK-1"]
    assert [e.position for e in seen] == sorted(e.position for e in seen)
    transfer = seen[-1]
    assert (transfer.kind, transfer.counterpart, transfer.recorded_by) == (
        "transfer_out",
        "D1",
        "thu-quy",
    )
    assert transfer.balance_change_vnd == -500
    received = q.journal("D1").entries[0]
    assert (received.kind, received.voucher_no) == ("transfer_in", "C:CK-1")
    dated = q.journal("C", date_from=date(2022, 1, 3), date_to=date(2022, 1, 4))
    assert [e.voucher_no for e in dated.entries] == ["PT-2", "PT-3"]
    assert seen[0].details == {"donor_kind": "individual", "method": "cash"}


def test_the_hierarchy_now_and_on_a_date(books: Books) -> None:
    province(books)
    books.register("C2", "commune", "D1", on=date(2015, 1, 1))
    books.ledger.move("C", new_parent_code="D2", effective_on=date(2020, 1, 1))
    books.ledger.rename("D2", name="Hội Khuyến học thị xã")
    q = books.caught_up()

    d1 = q.organisation("D1")
    assert (d1.parent, d1.level, d1.children, d1.status) == (
        "P",
        "district",
        1,
        "active",
    )
    assert q.organisation("D2").name == "Hội Khuyến học thị xã"
    assert [o.code for o in q.children("D1")] == ["C2"]
    assert [o.code for o in q.children("D1", on=date(2014, 1, 1))] == ["C"]
    assert [o.code for o in q.children("D1", on=date(2019, 12, 31))] == ["C", "C2"]
    assert q.parent("C") == "D2"
    assert q.parent("C", on=date(2019, 12, 31)) == "D1"
    assert q.ancestors("C") == ["D2", "P"]
    assert q.ancestors("P") == []
    assert [(p.parent, p.valid_from, p.valid_to) for p in q.history("C")] == [
        ("D1", date(2010, 1, 1), date(2020, 1, 1)),
        ("D2", date(2020, 1, 1), None),
    ]


def test_roots_campaigns_of_and_an_entry_by_id(books: Books) -> None:
    province(books)
    books.register("Q", "province")
    books.ledger.launch_campaign(
        "D2-QUY", name="Quỹ D2", kind="other", organiser_code="D2",
        starts_on=date(2023, 1, 1), ends_on=date(2023, 12, 31),
    )  # fmt: skip
    entry_id = books.ledger.receive_donation(
        "C", voucher_no="PT-9", amount=7_000, business_date=date(2022, 9, 1),
        campaign="THANG-19",
    )  # fmt: skip
    q = books.caught_up()

    assert [o.code for o in q.roots()] == ["P", "Q"]
    # C has entries of THANG-19 (organised above it); D2's own campaign is not
    # C's; for D2 both count, the latest first.
    assert [c.code for c in q.campaigns_of("C", ["D1", "P"])] == ["THANG-19"]
    assert [c.code for c in q.campaigns_of("D2", ["P"])] == ["D2-QUY", "THANG-19"]
    assert [c.code for c in q.campaigns_of("Q", [])] == []
    found = q.entry("C", entry_id)
    assert found is not None
    assert (found.voucher_no, found.amount_vnd) == ("PT-9", 7_000)
    assert q.entry("D1", entry_id) is None  # another organisation's line


def test_queries_refuse_what_does_not_exist(books: Books) -> None:
    province(books)
    q = books.caught_up()
    with pytest.raises(errors.UnknownOrganisation):
        q.balance("NOPE")
    with pytest.raises(errors.UnknownOrganisation):
        q.summary("NOPE", 2022)
    with pytest.raises(errors.UnknownFund):
        q.balance("C", fund="sach-vo")
    with pytest.raises(errors.UnknownCampaign):
        q.campaign_totals("TET-1990")
    with pytest.raises(errors.InvalidQuery):
        q.journal("C", cursor="not-a-cursor")
    with pytest.raises(errors.InvalidQuery):
        q.journal("C", limit=0)
    with pytest.raises(errors.InvalidQuery):
        q.summary("C", 20222)


def test_a_fund_appears_at_zero_once_opened(books: Books) -> None:
    province(books)
    books.ledger.open_fund(
        "C", "sach-vo", name="Quỹ sách vở", restricted=True, purpose="sách vở"
    )
    books.donate("C", "PT-1", 700_000, date(2022, 3, 1), fund="sach-vo")
    q = books.caught_up()
    assert [(f.fund, f.balance) for f in q.balance("C").funds] == [
        ("general", 0),
        ("sach-vo", 700_000),
    ]
    assert q.balance("P", subtree=True, fund="sach-vo").balance == 700_000
    assert q.balance("D2", subtree=True).funds[0].fund == "general"


def test_a_subtree_lists_the_funds_money_moved_through(books: Books) -> None:
    province(books)
    books.ledger.open_fund("C", "xe-dap", name="Quỹ xe đạp")
    q = books.caught_up()
    assert [f.fund for f in q.balance("D1", subtree=True).funds] == ["general"]
    books.donate("C", "PT-1", 700_000, date(2022, 3, 1), fund="xe-dap")
    books.ledger.move("C", new_parent_code="D2", effective_on=date(2023, 1, 1))
    q = books.caught_up()
    assert [f.fund for f in q.balance("D1", subtree=True).funds] == ["general"]
    assert [(f.fund, f.balance) for f in q.balance("D2", subtree=True).funds] == [
        ("general", 0),
        ("xe-dap", 700_000),
    ]
    assert [f.fund for f in q.balance("C").funds] == ["general", "xe-dap"]


def test_a_subtree_lists_a_fund_at_a_date_it_held_money(books: Books) -> None:
    province(books)
    books.ledger.open_fund("C", "hoc-bong", name="Quỹ học bổng")
    books.donate("C", "PT-1", 100_000, date(2022, 3, 1), fund="hoc-bong")
    books.ledger.reverse_entry(
        "C", "PT-1", reason="trả lại", business_date=date(2024, 1, 10)
    )
    q = books.caught_up()
    then = q.balance("P", subtree=True, as_of=date(2023, 12, 31))
    assert [(f.fund, f.balance) for f in then.funds] == [
        ("general", 0),
        ("hoc-bong", 100_000),
    ]
    assert then.balance == 100_000
    assert [f.fund for f in q.balance("P", subtree=True).funds] == ["general"]


@pytest.mark.parametrize(
    "known_at",
    [
        datetime(1, 1, 1),  # noqa: DTZ001 -- naive: Vietnamese time, before year 1 UTC
        datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5))),
        datetime(9999, 12, 31, 23, tzinfo=UTC),
    ],
    ids=["year-1-naive", "year-1-plus-5", "year-9999"],
)
def test_a_known_at_out_of_range_is_invalid_not_a_crash(
    books: Books, known_at: datetime
) -> None:
    province(books)
    q = books.caught_up()
    with pytest.raises(errors.InvalidQuery):
        q.balance("C", known_at=known_at)


@pytest.mark.parametrize(
    "cursor", ["99999999999999999999.0", "1.99999999999", "1_0.0", " 1.0", "1.-2"]
)
def test_a_cursor_out_of_shape_is_invalid(books: Books, cursor: str) -> None:
    province(books)
    with pytest.raises(errors.InvalidQuery):
        books.caught_up().journal("C", cursor=cursor)
