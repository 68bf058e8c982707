"""Members add up; population does not, and falls back to the children's sum;
per-capita fund and member ratio (design §4)."""

from __future__ import annotations

from datetime import date

from tests.projections.conftest import Books


def two_communes(books: Books) -> None:
    books.register("P", "province")
    books.register("D", "district", "P")
    books.register("C1", "commune", "D")
    books.register("C2", "commune", "D")
    books.register("B", "branch", "C1")


def test_members_add_up_over_the_subtree(books: Books) -> None:
    two_communes(books)
    report = books.ledger.report_membership
    report("C1", year=2022, members=1_000, population=4_000)
    report("C2", year=2022, members=500, population=3_000)
    report("B", year=2022, members=200)
    report("D", year=2022, members=30)
    q = books.caught_up()

    assert q.summary("D", 2022, subtree=True).members == 1_730
    assert q.summary("D", 2022).members == 30
    assert q.summary("C1", 2022, subtree=True).members == 1_200
    assert q.summary("P", 2022, subtree=True).members == 1_730
    books.assert_verified()


def test_population_is_not_summed_again_and_falls_back_to_the_children(
    books: Books,
) -> None:
    two_communes(books)
    report = books.ledger.report_membership
    report("C1", year=2022, members=1_000, population=4_000)
    report("C2", year=2022, members=500, population=3_000)
    report("B", year=2022, members=200)  # no population: a branch's is its commune's
    q = books.caught_up()

    assert q.summary("C1", 2022, subtree=True).population == 4_000
    assert q.summary("D", 2022, subtree=True).population == 7_000  # children's sum
    assert q.summary("P", 2022, subtree=True).population == 7_000  # recursively
    assert q.summary("B", 2022).population is None

    report("P", year=2022, members=10, population=9_000)  # its own report wins
    q = books.caught_up()
    assert q.summary("P", 2022, subtree=True).population == 9_000
    assert q.summary("D", 2022, subtree=True).population == 7_000

    report("C2", year=2022, members=500, population=3_500)  # a correction
    q = books.caught_up()
    assert q.summary("D", 2022, subtree=True).population == 7_500
    assert q.summary("P", 2022, subtree=True).population == 9_000
    assert q.summary("P", 2022, subtree=True).members == 1_710
    books.assert_verified()


def test_per_capita_fund_and_member_ratio(books: Books) -> None:
    two_communes(books)
    books.ledger.report_membership("C1", year=2022, members=1_160, population=5_000)
    books.ledger.report_membership("C2", year=2022, members=0, population=1)
    books.donate("C1", "PT-1", 130_001, date(2022, 2, 1))  # 130,001 / 5,001 = 25.99…
    books.donate("C2", "PT-1", 25, date(2022, 2, 1))
    q = books.caught_up()

    district = q.summary("D", 2022, subtree=True)
    assert district.population == 5_001
    assert district.per_capita_vnd == 26  # 130,026 / 5,001 = 26.0002
    assert district.member_ratio == round(1_160 / 5_001, 6)
    c1 = q.summary("C1", 2022)
    assert c1.per_capita_vnd == 26  # 26.0002 rounds to 26
    assert c1.member_ratio == 0.232
    # Half a đồng rounds up.
    assert q.summary("C2", 2022).per_capita_vnd == 25
    books.donate("C2", "PT-2", 1, date(2022, 3, 1))
    books.ledger.report_membership("C2", year=2022, members=0, population=4)
    q = books.caught_up()
    assert q.summary("C2", 2022).per_capita_vnd == 7  # 26 / 4 = 6.5
    # Without any population the ratios are unknown, not zero.
    assert q.summary("B", 2022).per_capita_vnd is None
    assert q.summary("B", 2022).member_ratio is None
    books.assert_verified()


def test_membership_follows_the_hierarchy_at_the_years_end(books: Books) -> None:
    two_communes(books)
    books.register("D2", "district", "P")
    books.ledger.report_membership("C1", year=2022, members=100, population=1_000)
    books.ledger.report_membership("C1", year=2023, members=120, population=1_000)
    books.read_models.catch_up()
    books.ledger.move("C1", new_parent_code="D2", effective_on=date(2023, 6, 1))
    q = books.caught_up()

    assert q.summary("D", 2022, subtree=True).members == 100
    assert q.summary("D", 2022, subtree=True).population == 1_000
    assert q.summary("D", 2023, subtree=True).members == 0
    assert q.summary("D2", 2023, subtree=True).members == 120
    assert q.summary("D2", 2023, subtree=True).population == 1_000
    assert q.summary("P", 2023, subtree=True).members == 120
    books.assert_verified()
