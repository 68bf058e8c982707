"""The registry: a read model added to it is built, fed, rebuilt and verified
with the others, with no other change to the runner."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pytest
from eventsourcing.utils import get_topic
from sqlalchemy import Column, Integer, String, Uuid, select
from sqlalchemy.orm import Session

from ledger.organisation import Organisation
from projections import Queries, ReadModels
from projections.balances import BalancesView
from projections.change import handles
from projections.hierarchy import HierarchyView
from projections.movements import Line, LineKind
from projections.registry import READ_MODELS, TOPICS
from projections.view import View, Views, sum_columns
from tests.conftest import LedgerFactory
from tests.projections.conftest import Books, BooksFactory


class DonationsByLevelView(View):
    """A made-up read model: donations and their sum per level and year."""

    name = "donations_by_level"

    def connect(self, earlier: Views) -> None:
        self.hierarchy = earlier[HierarchyView]

    def define_tables(self) -> None:
        self.counts = self.sum_table(
            "donations_by_level",
            Column("level", String(16), primary_key=True),
            Column("year", Integer, primary_key=True),
            *sum_columns(("donations", "raised")),
        )

    @handles(Organisation.DonationReceived, Organisation.EntryReversed)
    def count(self, session: Session, event: object, lines: Sequence[Line]) -> None:
        for line in lines:
            if line.flow_kind is LineKind.DONATION:
                level = self.hierarchy.tree[line.org_id].level.value
                self.counts.add(
                    (level, line.flow_date.year),
                    {"donations": 1, "raised": line.amount},
                    line.sign,
                )


def by_level(read_models: ReadModels) -> dict[tuple[str, int], tuple[int, int]]:
    table = read_models.view(DonationsByLevelView).counts.table
    with read_models.engine.connect() as conn:
        rows = conn.execute(select(table)).all()
    return {(r.level, r.year): (r.donations, r.raised) for r in rows}


@pytest.fixture
def with_donations_by_level(open_ledger: LedgerFactory) -> BooksFactory:
    def factory() -> Books:
        ledger = open_ledger()
        read_models = ReadModels(
            ledger, models=(*READ_MODELS, DonationsByLevelView), batch_size=3
        )
        return Books(ledger, read_models, Queries(read_models))

    return factory


def test_a_read_model_added_to_the_registry_is_applied_rebuilt_and_verified(
    with_donations_by_level: BooksFactory,
) -> None:
    books = with_donations_by_level()
    books.register("P", "province")
    books.register("D", "district", "P")
    books.register("C", "commune", "D")
    books.donate("C", "PT-1", 5_000_000, date(2022, 3, 1))
    books.donate("C", "PT-2", 7_000_000, date(2023, 3, 1))
    books.donate("P", "PT-3", 1_000_000, date(2022, 5, 1))
    books.ledger.move("C", new_parent_code="P", effective_on=date(2023, 6, 1))
    books.donate("D", "PT-4", 2_000_000, date(2023, 7, 1))
    books.ledger.reverse_entry("C", "PT-1", reason="nhầm")
    read_models = books.read_models

    assert read_models.catch_up() == read_models.head()
    expected = {
        ("commune", 2022): (0, 0),  # the reversal counts against 2022
        ("commune", 2023): (1, 7_000_000),
        ("province", 2022): (1, 1_000_000),
        ("district", 2023): (1, 2_000_000),
    }
    assert by_level(read_models) == expected
    assert read_models.position() == read_models.head()
    # The other read models are applied as before.
    assert books.queries.summary("P", 2022, subtree=True).raised_vnd == 1_000_000
    books.assert_verified()

    assert read_models.rebuild() == read_models.head()
    assert by_level(read_models) == expected


class ChildrenCountedView(View):
    """A made-up read model that uses an event no registered one does."""

    name = "children_counted"

    def define_tables(self) -> None:
        self.counts = self.sum_table(
            "children_counted",
            Column("parent_id", Uuid, primary_key=True),
            *sum_columns(("attached",)),
        )

    @handles(Organisation.ChildAttached)
    def attach(
        self,
        session: Session,
        event: Organisation.ChildAttached,
        lines: Sequence[Line],
    ) -> None:
        self.counts.add((event.originator_id,), {"attached": 1})


def test_the_runner_reads_the_events_its_views_handle(
    open_ledger: LedgerFactory,
) -> None:
    attached = get_topic(Organisation.ChildAttached)
    assert get_topic(Organisation.DonationReceived) in TOPICS
    assert attached not in TOPICS
    ledger = open_ledger()
    read_models = ReadModels(ledger, models=(*READ_MODELS, ChildrenCountedView))
    assert set(read_models.topics) == {*TOPICS, attached}
    books = Books(ledger, read_models, Queries(read_models))
    books.register("P", "province")
    books.register("D1", "district", "P")
    books.register("D2", "district", "P")
    read_models.catch_up()
    table = read_models.view(ChildrenCountedView).counts.table
    with read_models.engine.connect() as conn:
        assert conn.execute(select(table.c.attached)).scalars().all() == [2]


def test_a_view_must_come_after_the_views_it_reads(open_ledger: LedgerFactory) -> None:
    with pytest.raises(LookupError, match="hierarchy"):
        ReadModels(open_ledger(), models=(BalancesView, HierarchyView))


def test_one_event_class_is_applied_by_one_method_of_a_view() -> None:
    with pytest.raises(TypeError, match=r"Organisation\.Renamed"):

        class Twice(View):
            name = "twice"

            @handles(Organisation.Renamed)
            def first(
                self, session: Session, event: object, lines: Sequence[Line]
            ) -> None:
                pass

            @handles(Organisation.Renamed)
            def second(
                self, session: Session, event: object, lines: Sequence[Line]
            ) -> None:
                pass
