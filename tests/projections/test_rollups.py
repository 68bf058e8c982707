"""Roll-ups along the hierarchy (design §4): flows by the hierarchy of their
date, stocks by today's; closed organisations keep their history; transfers
inside a subtree are not raised; raised split by level; reversals."""

from __future__ import annotations

from datetime import date

from tests.projections.conftest import Books, BooksFactory


def province_with_two_districts(books: Books) -> None:
    books.register("P", "province")
    books.register("D1", "district", "P")
    books.register("D2", "district", "P")
    books.register("C", "commune", "D1")


def test_flows_roll_up_along_the_hierarchy_of_their_date(books: Books) -> None:
    province_with_two_districts(books)
    books.donate("C", "PT-1", 10_000_000, date(2022, 3, 1))
    books.ledger.move("C", new_parent_code="D2", effective_on=date(2023, 1, 1))
    books.donate("C", "PT-2", 4_000_000, date(2023, 2, 1))
    q = books.caught_up()

    assert q.summary("D1", 2022, subtree=True).raised_vnd == 10_000_000
    assert q.summary("D2", 2022, subtree=True).raised_vnd == 0
    assert q.summary("D1", 2023, subtree=True).raised_vnd == 0
    assert q.summary("D2", 2023, subtree=True).raised_vnd == 4_000_000
    assert q.summary("P", 2022, subtree=True).raised_vnd == 10_000_000
    assert q.summary("C", 2022).raised_vnd == 10_000_000
    books.assert_verified()


def test_stocks_roll_up_along_todays_hierarchy(books: Books) -> None:
    province_with_two_districts(books)
    books.donate("C", "PT-1", 10_000_000, date(2022, 3, 1))
    books.read_models.catch_up()  # the move lands in a later batch
    books.ledger.move("C", new_parent_code="D2", effective_on=date(2023, 1, 1))
    q = books.caught_up()

    assert q.balance("D2", subtree=True).balance == 10_000_000
    assert q.balance("D1", subtree=True).balance == 0
    # Even as of a date when C was still under D1: stocks use today's tree.
    assert q.balance("D2", subtree=True, as_of=date(2022, 12, 31)).balance == (
        10_000_000
    )
    assert q.balance("D1", subtree=True, as_of=date(2022, 12, 31)).balance == 0
    assert q.balance("P", subtree=True).balance == 10_000_000
    books.assert_verified()


def test_a_back_dated_move_re_counts_the_flows_after_its_date(books: Books) -> None:
    province_with_two_districts(books)
    books.donate("C", "PT-1", 10_000_000, date(2022, 3, 1))
    books.donate("C", "PT-2", 6_000_000, date(2022, 7, 1))
    books.pay("C", "PC-1", 5_000_000, date(2022, 8, 1), recipients=5)
    books.read_models.catch_up()
    books.ledger.move("C", new_parent_code="D2", effective_on=date(2022, 6, 1))
    q = books.caught_up()

    d1, d2 = q.summary("D1", 2022, subtree=True), q.summary("D2", 2022, subtree=True)
    assert (d1.raised_vnd, d1.disbursed_vnd, d1.recipients) == (10_000_000, 0, 0)
    assert (d2.raised_vnd, d2.disbursed_vnd, d2.recipients) == (6_000_000, 5_000_000, 5)
    assert q.summary("P", 2022, subtree=True).raised_vnd == 16_000_000
    assert q.ancestors("C", on=date(2022, 5, 31)) == ["D1", "P"]
    assert q.ancestors("C", on=date(2022, 6, 1)) == ["D2", "P"]
    books.assert_verified()


def test_a_district_dissolved_in_2025_still_appears_in_its_2022_summary(
    open_books: BooksFactory,
) -> None:
    books = open_books(today=date(2025, 12, 31))
    books.register("P", "province")
    books.register("D", "district", "P")
    books.register("C", "commune", "D")
    books.donate("C", "PT-1", 30_000_000, date(2022, 4, 1))
    books.donate("D", "PT-1", 8_000_000, date(2022, 5, 1))
    books.pay("D", "PC-1", 3_000_000, date(2022, 6, 1), category="award")
    # 2025: the district level is abolished.
    books.ledger.move("C", new_parent_code="P", effective_on=date(2025, 7, 1))
    books.ledger.transfer(
        "D",
        to_code="P",
        voucher_no="CK-1",
        amount=5_000_000,
        business_date=date(2025, 7, 1),
    )
    books.ledger.dissolve("D", effective_on=date(2025, 7, 1))
    q = books.caught_up()

    d = q.summary("D", 2022, subtree=True)
    assert (d.raised_vnd, d.disbursed_vnd, d.awards_vnd) == (
        38_000_000,
        3_000_000,
        3_000_000,
    )
    assert [o.code for o in q.children("P", on=date(2022, 6, 30))] == ["D"]
    assert q.ancestors("C", on=date(2022, 6, 30)) == ["D", "P"]
    assert [o.code for o in q.children("P")] == ["C"]  # D is closed
    assert q.organisation("D").status == "dissolved"
    assert q.summary("P", 2022, subtree=True).raised_vnd == 38_000_000
    assert q.summary("P", 2025, subtree=True).transfers_in_vnd == 0  # internal
    assert q.summary("P", 2025).transfers_in_vnd == 5_000_000
    books.assert_verified()


def test_transfers_inside_a_subtree_are_not_raised_and_cross_only_at_its_edge(
    books: Books,
) -> None:
    province_with_two_districts(books)
    books.donate("P", "PT-1", 50_000_000, date(2022, 1, 10))
    books.ledger.transfer(
        "P", to_code="D1", voucher_no="CK-1", amount=20_000_000,
        business_date=date(2022, 2, 1),
    )  # fmt: skip
    books.ledger.transfer(
        "D1", to_code="C", voucher_no="CK-1", amount=15_000_000,
        business_date=date(2022, 3, 1),
    )  # fmt: skip
    q = books.caught_up()

    p = q.summary("P", 2022, subtree=True)
    assert (p.raised_vnd, p.transfers_in_vnd, p.transfers_out_vnd) == (50_000_000, 0, 0)
    d1 = q.summary("D1", 2022, subtree=True)
    assert (d1.raised_vnd, d1.transfers_in_vnd, d1.transfers_out_vnd) == (
        0,
        20_000_000,
        0,
    )
    d1_own = q.summary("D1", 2022)
    assert (d1_own.transfers_in_vnd, d1_own.transfers_out_vnd) == (
        20_000_000,
        15_000_000,
    )
    assert q.summary("C", 2022).transfers_in_vnd == 15_000_000
    # Stocks: money moved, none appeared.
    assert q.balance("P", subtree=True).balance == 50_000_000
    assert q.balance("C").balance == 15_000_000
    books.assert_verified()


def test_raised_is_split_by_the_level_of_the_recording_organisation(
    books: Books,
) -> None:
    province_with_two_districts(books)
    books.register("B", "branch", "C")
    books.register("H", "clan", "C")
    books.donate("P", "PT-1", 1_000_000, date(2022, 1, 10))
    books.donate("D1", "PT-1", 2_000_000, date(2022, 1, 10))
    books.donate("C", "PT-1", 3_000_000, date(2022, 1, 10))
    books.donate("B", "PT-1", 4_000_000, date(2022, 1, 10))
    books.donate("H", "PT-1", 5_000_000, date(2022, 1, 10))
    q = books.caught_up()

    by_level = q.summary("P", 2022, subtree=True).raised_by_level
    assert {k: v for k, v in by_level.items() if v} == {
        "province": 1_000_000,
        "district": 2_000_000,
        "commune": 3_000_000,
        "branch": 4_000_000,
        "clan": 5_000_000,
    }
    assert q.summary("C", 2022, subtree=True).raised_by_level["clan"] == 5_000_000
    assert sum(by_level.values()) == q.summary("P", 2022, subtree=True).raised_vnd
    books.assert_verified()


def test_reversals_reduce_the_figures_of_the_entrys_own_year(books: Books) -> None:
    province_with_two_districts(books)
    books.donate("C", "PT-1", 9_000_000, date(2022, 12, 20))
    books.donate("C", "PT-2", 5_000_000, date(2022, 12, 21))
    books.pay("C", "PC-1", 4_000_000, date(2022, 12, 22), recipients=8)
    books.read_models.catch_up()
    books.ledger.reverse_entry(
        "C", "PT-1", reason="trả lại nhà tài trợ", business_date=date(2023, 1, 10)
    )
    books.ledger.reverse_entry(
        "C", "PC-1", reason="học sinh chưa nhận", business_date=date(2023, 1, 11)
    )
    q = books.caught_up()

    y2022 = q.summary("D1", 2022, subtree=True)
    assert (y2022.raised_vnd, y2022.disbursed_vnd, y2022.recipients) == (
        5_000_000,
        0,
        0,
    )
    y2023 = q.summary("D1", 2023, subtree=True)
    assert (y2023.raised_vnd, y2023.disbursed_vnd, y2023.recipients) == (0, 0, 0)
    # The money itself left (and came back) on the reversals' dates.
    assert q.balance("C", as_of=date(2022, 12, 31)).balance == 10_000_000
    assert q.balance("C", as_of=date(2023, 1, 10)).balance == 1_000_000
    now = q.balance("C").funds[0]
    assert (now.balance, now.total_in, now.total_out) == (5_000_000, 5_000_000, 0)
    entries = q.journal("C").entries
    assert [e.kind for e in entries] == [
        "donation",
        "donation",
        "disbursement",
        "reversal",
        "reversal",
    ]
    assert entries[0].reversed_by == entries[3].entry_id
    assert entries[1].reversed_by is None
    books.assert_verified()


def test_a_merge_moves_the_balances_and_keeps_the_history(books: Books) -> None:
    province_with_two_districts(books)
    books.register("C2", "commune", "D1")
    books.register("C3", "commune", "D2")
    books.donate("C", "PT-1", 7_000_000, date(2022, 3, 1))
    books.donate("C3", "PT-1", 2_000_000, date(2022, 3, 1))
    books.ledger.merge("C", into_code="C2", effective_on=date(2024, 1, 1))
    books.ledger.merge("C3", into_code="C2", effective_on=date(2024, 2, 1))
    q = books.caught_up()

    assert q.balance("C2").balance == 9_000_000
    assert q.balance("C").balance == 0
    assert q.balance("C", as_of=date(2023, 12, 31)).balance == 7_000_000
    assert q.balance("D1", subtree=True).balance == 9_000_000
    assert q.balance("D2", subtree=True).balance == 0
    assert q.summary("C", 2022).raised_vnd == 7_000_000
    d1 = q.summary("D1", 2024, subtree=True)
    assert (d1.transfers_in_vnd, d1.transfers_out_vnd) == (2_000_000, 0)
    assert q.summary("D2", 2024, subtree=True).transfers_out_vnd == 2_000_000
    assert q.organisation("C").merged_into == "C2"
    assert [e.kind for e in q.journal("C2").entries] == ["merge_in", "merge_in"]
    books.assert_verified()
