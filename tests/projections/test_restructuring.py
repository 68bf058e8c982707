"""A split and a change of level in the read models: balances follow the
parts, flows cross the subtree's edge, the tree keeps its history, verify is
clean — on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

from tests.projections.conftest import Books


def test_a_split_moves_each_part_to_its_successor(books: Books) -> None:
    books.register("P", "province")
    books.register("D1", "district", "P")
    books.register("D2", "district", "P")
    books.register("C", "commune", "D1")
    books.register("A", "commune", "D1")
    books.register("B", "commune", "D2")
    books.ledger.open_fund(
        "C", "ngheo", name="Quỹ học sinh nghèo", restricted=True, purpose="nghèo"
    )
    books.donate("C", "PT-1", 7_000_000, date(2022, 3, 1))
    books.donate("C", "PT-2", 1_000_000, date(2022, 3, 2), fund="ngheo")
    books.ledger.split(
        "C",
        parts={
            "A": {"general": 4_000_000, "ngheo": 1_000_000},
            "B": {"general": 3_000_000},
        },
        effective_on=date(2024, 1, 1),
    )
    q = books.caught_up()

    assert q.balance("A").balance == 5_000_000
    assert q.balance("A", fund="ngheo").balance == 1_000_000
    assert q.balance("B").balance == 3_000_000
    assert q.balance("C").balance == 0
    assert q.balance("C", as_of=date(2023, 12, 31)).balance == 8_000_000
    assert q.balance("P", subtree=True).balance == 8_000_000
    assert q.balance("D2", subtree=True).balance == 3_000_000
    assert q.summary("C", 2022).raised_vnd == 8_000_000
    d1 = q.summary("D1", 2024, subtree=True)
    assert (d1.transfers_in_vnd, d1.transfers_out_vnd) == (0, 3_000_000)
    assert q.summary("D2", 2024, subtree=True).transfers_in_vnd == 3_000_000
    assert q.summary("P", 2024, subtree=True).transfers_in_vnd == 0
    assert q.organisation("C").status == "split"
    assert [e.kind for e in q.journal("C").entries][-3:] == ["merge_out"] * 3
    books.assert_verified()


def test_a_change_of_level_counts_later_gifts_at_the_new_level(books: Books) -> None:
    books.register("P", "province")
    books.register("C", "commune", "P")
    books.register("H", "branch", "C")
    books.donate("H", "PT-1", 1_000, date(2024, 1, 1))
    books.ledger.change_level("H", level="agency", effective_on=date(2024, 2, 1))
    books.donate("H", "PT-2", 2_000, date(2024, 3, 1))
    q = books.caught_up()

    assert q.organisation("H").level == "agency"
    raised = q.summary("P", 2024, subtree=True).raised_by_level
    assert (raised["branch"], raised["agency"]) == (1_000, 2_000)
    books.assert_verified()
