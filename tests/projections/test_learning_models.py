"""Learning-model figures: an organisation's own report, its territory's
figures rolled up along the hierarchy at the year's end (its own report wins
over its children's sum), ratios and targets; moves, merges and corrections."""

from __future__ import annotations

from datetime import date

from ledger.types import LearningModel
from projections.queries.learning import LearningFigures, LearningModels
from tests.projections.conftest import Books


def district(books: Books) -> None:
    books.register("P", "province")
    books.register("D", "district", "P")
    books.register("D2", "district", "P")
    books.register("C1", "commune", "D")
    books.register("C2", "commune", "D")
    books.register("B", "branch", "C1")


def report(books: Books, code: str, year: int, model: str, *figures: int) -> None:
    eligible, registered, recognised = figures
    books.ledger.report_learning_model(
        code,
        year=year,
        model=model,
        eligible=eligible,
        registered=registered,
        recognised=recognised,
    )


def of(found: LearningModels, model: str) -> LearningFigures:
    (figures,) = [f for f in found.models if f.model is LearningModel(model)]
    return figures


def triple(found: LearningModels, model: str) -> tuple[int, int, int]:
    f = of(found, model)
    return (f.eligible, f.registered, f.recognised)


def test_territories_add_up_and_an_own_report_covers_its_territory(
    books: Books,
) -> None:
    district(books)
    report(books, "C1", 2022, "family", 1_000, 800, 700)
    report(books, "C2", 2022, "family", 500, 300, 200)
    report(books, "B", 2022, "family", 100, 90, 80)  # inside C1's own report
    report(books, "C1", 2022, "clan", 10, 9, 8)
    q = books.caught_up()

    d = q.learning_models("D", 2022, subtree=True)
    assert triple(d, "family") == (1_500, 1_100, 900)
    assert triple(d, "clan") == (10, 9, 8)
    assert triple(d, "unit") == (0, 0, 0)
    assert not of(d, "unit").reported
    assert of(d, "unit").recognised_ratio is None
    assert triple(q.learning_models("P", 2022, subtree=True), "family") == (
        1_500,
        1_100,
        900,
    )
    # The district's own figures: it reported nothing itself.
    assert not q.learning_models("D", 2022).reported
    assert triple(q.learning_models("D", 2022), "family") == (0, 0, 0)
    # Other years are untouched.
    assert not q.learning_models("P", 2021, subtree=True).reported

    # A province that reports its own territory is not summed again.
    report(books, "P", 2022, "family", 238_123 * 2, 238_123, 200_000)
    q = books.caught_up()
    p = q.learning_models("P", 2022, subtree=True)
    assert triple(p, "family") == (476_246, 238_123, 200_000)
    assert triple(p, "clan") == (10, 9, 8)
    books.assert_verified()


def test_ratios_and_the_national_targets(books: Books) -> None:
    district(books)
    report(books, "C1", 2022, "family", 1_000, 780, 700)
    report(books, "C1", 2022, "unit", 708, 666, 600)
    report(books, "C1", 2019, "family", 1_000, 780, 700)
    q = books.caught_up()

    found = q.learning_models("C1", 2022)
    family = of(found, "family")
    assert family.registered_ratio == 0.78
    assert family.recognised_ratio == 0.7
    assert family.target_ratio == 0.7
    assert family.meets_target is True
    assert of(found, "clan").target_ratio == 0.65
    assert of(found, "clan").meets_target is None  # nothing eligible reported
    assert of(found, "citizen").target_ratio == 0.5
    assert of(found, "unit").target_ratio is None  # no national target for units
    assert of(found, "unit").registered_ratio == round(666 / 708, 6)
    # The targets are those of 2021-2026.
    assert of(q.learning_models("C1", 2019), "family").target_ratio is None

    report(books, "C1", 2022, "family", 1_000, 780, 699)
    assert (
        of(books.caught_up().learning_models("C1", 2022), "family").meets_target
        is False
    )


def test_a_later_report_supersedes_the_earlier(books: Books) -> None:
    district(books)
    report(books, "C1", 2022, "community", 10, 8, 5)
    report(books, "C2", 2022, "community", 6, 6, 6)
    books.read_models.catch_up()
    report(books, "C1", 2022, "community", 12, 9, 7)
    q = books.caught_up()

    assert triple(q.learning_models("C1", 2022), "community") == (12, 9, 7)
    assert triple(q.learning_models("P", 2022, subtree=True), "community") == (
        18,
        15,
        13,
    )
    books.assert_verified()


def test_the_figures_follow_the_hierarchy_at_the_years_end(books: Books) -> None:
    district(books)
    report(books, "C1", 2022, "family", 100, 50, 40)
    report(books, "C1", 2023, "family", 120, 60, 50)
    books.read_models.catch_up()
    books.ledger.move("C1", new_parent_code="D2", effective_on=date(2023, 6, 1))
    q = books.caught_up()

    assert triple(q.learning_models("D", 2022, subtree=True), "family") == (100, 50, 40)
    assert triple(q.learning_models("D", 2023, subtree=True), "family") == (0, 0, 0)
    assert triple(q.learning_models("D2", 2023, subtree=True), "family") == (
        120,
        60,
        50,
    )
    assert triple(q.learning_models("P", 2023, subtree=True), "family") == (
        120,
        60,
        50,
    )
    books.assert_verified()


def test_an_organisation_merged_during_the_year_leaves_that_years_tree(
    books: Books,
) -> None:
    # C2 merges into C1 on 1 July 2024: its 2023 report stays in D's 2023
    # figures; its 2024 report (made before the merge) stays on its own row,
    # and C1's 2024 report covers the merged territory.
    district(books)
    report(books, "C2", 2023, "family", 500, 300, 200)
    report(books, "C2", 2024, "family", 520, 310, 210)
    report(books, "C1", 2024, "family", 1_000, 800, 700)
    books.read_models.catch_up()
    assert triple(books.queries.learning_models("D", 2024, subtree=True), "family") == (
        1_520,
        1_110,
        910,
    )

    books.ledger.merge("C2", into_code="C1", effective_on=date(2024, 7, 1))
    q = books.caught_up()
    assert triple(q.learning_models("D", 2023, subtree=True), "family") == (
        500,
        300,
        200,
    )
    assert triple(q.learning_models("D", 2024, subtree=True), "family") == (
        1_000,
        800,
        700,
    )
    assert triple(q.learning_models("C2", 2024), "family") == (520, 310, 210)

    # C1 corrects its report for the merged territory: D follows.
    report(books, "C1", 2024, "family", 1_520, 1_110, 910)
    q = books.caught_up()
    assert triple(q.learning_models("P", 2024, subtree=True), "family") == (
        1_520,
        1_110,
        910,
    )
    books.assert_verified()


def test_a_dissolved_organisation_leaves_the_tree_of_its_year(books: Books) -> None:
    district(books)
    report(books, "C2", 2024, "citizen", 4_000, 2_000, 1_000)
    books.ledger.dissolve("C2", effective_on=date(2024, 11, 1))
    report(books, "C1", 2024, "citizen", 3_000, 2_000, 1_500)
    q = books.caught_up()

    assert triple(q.learning_models("D", 2024, subtree=True), "citizen") == (
        3_000,
        2_000,
        1_500,
    )
    books.assert_verified()


def test_an_organisations_target_applies_to_its_territory_before_the_national_one(
    books: Books,
) -> None:
    district(books)
    report(books, "C1", 2023, "family", 100, 90, 72)
    report(books, "C1", 2023, "clan", 10, 9, 6)
    books.ledger.set_learning_target(
        "P", model="family", first_year=2022, last_year=2023, percent=75
    )
    books.ledger.set_learning_target(
        "D", model="family", first_year=2023, last_year=2023, percent=72
    )
    books.ledger.set_learning_target(
        "P", model="unit", first_year=2021, last_year=2026, percent=40
    )
    q = books.caught_up()

    c1 = q.learning_models("C1", 2023)
    assert of(c1, "family").target_ratio == 0.72  # its district's, the nearest
    assert of(c1, "family").meets_target is True
    assert of(c1, "clan").target_ratio == 0.65  # none set: the national target
    assert of(c1, "unit").target_ratio == 0.4  # the province's, for units too
    p = q.learning_models("P", 2023, subtree=True)
    assert of(p, "family").target_ratio == 0.75
    assert of(p, "family").meets_target is False  # 72% of 75%
    assert of(q.learning_models("P", 2024), "family").target_ratio == 0.7

    # A later setting supersedes for the years it covers.
    books.ledger.set_learning_target(
        "P", model="family", first_year=2023, last_year=2023, percent=60
    )
    assert (
        of(books.caught_up().learning_models("P", 2023), "family").target_ratio == 0.6
    )
    assert of(q.learning_models("P", 2022), "family").target_ratio == 0.75
    books.assert_verified()


def test_named_recognitions_are_listed_once_and_compared_with_the_count(
    books: Books,
) -> None:
    district(books)
    report(books, "C1", 2023, "clan", 10, 9, 3)
    for name in ("Họ Nguyễn", "Họ Trần", "Họ Nguyễn"):  # one sent twice
        books.ledger.record_recognition(
            "C1",
            year=2023,
            model="clan",
            name=name,
            decision_no="7/QĐ",
            decision_date=date(2023, 12, 1),
        )
    q = books.caught_up()

    roll = q.honour_roll("C1", 2023)
    assert [r.name for r in roll.recognitions] == ["Họ Nguyễn", "Họ Trần"]
    assert roll.published is False
    clan = of(q.learning_models("C1", 2023), "clan")
    assert (clan.named, clan.recognised) == (2, 3)
    assert clan.named_mismatch  # shown, not added to the reported count
    assert of(q.learning_models("C1", 2023), "family").named is None
    assert of(q.learning_models("D", 2023, subtree=True), "clan").recognised == 3

    books.ledger.record_recognition(
        "C1",
        year=2023,
        model="clan",
        name="Họ Lê",
        village="xóm 2",
        decision_no="7/QĐ",
        decision_date=date(2023, 12, 1),
    )
    books.ledger.publish_honour_roll("C1")
    q = books.caught_up()
    assert not of(q.learning_models("C1", 2023), "clan").named_mismatch
    assert q.honour_roll("C1", 2023).published is True
    books.assert_verified()


def test_an_organisation_split_during_the_year_leaves_that_years_tree(
    books: Books,
) -> None:
    district(books)
    report(books, "C2", 2023, "family", 500, 300, 200)
    report(books, "C2", 2024, "family", 520, 310, 210)
    books.register("C3", "commune", "D")
    books.ledger.split("C2", parts={"C1": {}, "C3": {}}, effective_on=date(2024, 7, 1))
    q = books.caught_up()

    assert triple(q.learning_models("D", 2023, subtree=True), "family") == (
        500,
        300,
        200,
    )
    assert triple(q.learning_models("D", 2024, subtree=True), "family") == (0, 0, 0)
    assert triple(q.learning_models("C2", 2024), "family") == (520, 310, 210)
    books.assert_verified()
