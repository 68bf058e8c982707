"""Learning-model figures against a naive recomputation.

Each example runs a random history through a real ``Ledger`` on a fresh
SQLite file: a province, two districts and four communes (one registered
late); learning-model reports of two models for 2021-2024 by any of them,
some corrected later; communes moved between the districts and merged into
one another, on dates in any year. Commands the ledger refuses are skipped,
and counted: at least half as many commands as reports sent must pass. Two
sets of read models follow the log, one in batches of three, one in a single
pass. An explicit example merges a commune during a year it reported for.
Both must give, for every organisation, year and model, the figures the
oracle computes from the final hierarchy: an organisation's territory is its
own report if it made one, or else the sum over its children at the year's
end that were not closed by then. ``verify`` must find the read models
clean.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, event, example, given, note, settings
from hypothesis import strategies as st

from ledger import Ledger
from ledger.errors import LedgerError
from ledger.types import LearningModel
from projections.queries import Queries
from projections.runner import ReadModels
from projections.verify import verify

TODAY = date(2024, 12, 31)
YEARS = (2021, 2022, 2023, 2024)
MODELS = (LearningModel.FAMILY, LearningModel.CLAN)
DISTRICTS = ("D1", "D2")
COMMUNES = ("C1", "C2", "C3", "C4")
STARTED = {"C4": date(2022, 3, 1)}  # registered late; the others in 2020
Figures = tuple[int, int, int]


@dataclass
class Oracle:
    """The final facts, and the naive answer from them."""

    periods: dict[str, list[tuple[date, str | None]]] = field(default_factory=dict)
    closed: dict[str, int] = field(default_factory=dict)
    reports: dict[tuple[str, int, LearningModel], Figures] = field(default_factory=dict)

    def parent_on(self, code: str, day: date) -> str | None:
        periods = self.periods[code]
        parent = periods[0][1]
        for start, then in periods:
            if start <= day:
                parent = then
        return parent

    def territory(self, code: str, year: int, model: LearningModel) -> Figures:
        own = self.reports.get((code, year, model))
        if own is not None:
            return own
        total = (0, 0, 0)
        for child in self.periods:
            if self.parent_on(child, date(year, 12, 31)) != code:
                continue
            if self.closed.get(child, year + 1) <= year:
                continue
            found = self.territory(child, year, model)
            total = (total[0] + found[0], total[1] + found[1], total[2] + found[2])
        return total


@dataclass(frozen=True)
class LearningReportStep:
    code: str
    year: int
    model: LearningModel
    counts: Figures


@dataclass(frozen=True)
class LearningMoveStep:
    code: str
    parent: str
    on: date


@dataclass(frozen=True)
class LearningMergeStep:
    code: str
    into: str
    on: date


Step = LearningReportStep | LearningMoveStep | LearningMergeStep

figures = st.tuples(st.integers(0, 50), st.integers(0, 50), st.integers(0, 50)).map(
    lambda t: (t[0] + t[1] + t[2], t[0] + t[1], t[0])
)
reports = st.builds(
    LearningReportStep,
    st.sampled_from(("P", *DISTRICTS, *COMMUNES)),
    st.sampled_from(YEARS),
    st.sampled_from(MODELS),
    figures,
)
days = st.dates(date(2021, 1, 1), TODAY)
moves = st.builds(
    LearningMoveStep, st.sampled_from(COMMUNES), st.sampled_from(DISTRICTS), days
)
merges = st.builds(
    LearningMergeStep, st.sampled_from(COMMUNES), st.sampled_from(COMMUNES), days
)
histories = st.lists(
    st.one_of(reports, reports, reports, moves, merges), min_size=1, max_size=25
)


def register(ledger: Ledger, oracle: Oracle) -> None:
    ledger.register_organisation(
        "P", name="Hội P", level="province", registered_on=date(2020, 1, 1)
    )
    oracle.periods["P"] = [(date(2020, 1, 1), None)]
    for code in DISTRICTS:
        ledger.register_organisation(
            code,
            name=f"Hội {code}",
            level="district",
            parent_code="P",
            registered_on=date(2020, 1, 1),
        )
        oracle.periods[code] = [(date(2020, 1, 1), "P")]
    for n, code in enumerate(COMMUNES):
        on = STARTED.get(code, date(2020, 1, 1))
        parent = DISTRICTS[n % 2]
        ledger.register_organisation(
            code, name=f"Hội {code}", level="commune", parent_code=parent,
            registered_on=on,
        )  # fmt: skip
        oracle.periods[code] = [(on, parent)]


def run(ledger: Ledger, history: list[Step], oracle: Oracle) -> int:
    """Send the history's commands; returns how many the ledger accepted."""
    register(ledger, oracle)
    accepted = 0
    for step in history:
        note(repr(step))
        kind = type(step).__name__
        try:
            apply(ledger, step, oracle)
        except LedgerError as refused:
            event(f"refused {kind}: {refused.code}")
            continue
        event(f"accepted {kind}")
        accepted += 1
    return accepted


def apply(ledger: Ledger, step: Step, oracle: Oracle) -> None:
    if isinstance(step, LearningReportStep):
        eligible, registered, recognised = step.counts
        ledger.report_learning_model(
            step.code,
            year=step.year,
            model=step.model,
            eligible=eligible,
            registered=registered,
            recognised=recognised,
        )
        oracle.reports[(step.code, step.year, step.model)] = step.counts
    elif isinstance(step, LearningMoveStep):
        ledger.move(step.code, new_parent_code=step.parent, effective_on=step.on)
        kept = [p for p in oracle.periods[step.code] if p[0] < step.on]
        oracle.periods[step.code] = [*kept, (step.on, step.parent)]
    else:
        ledger.merge(step.code, into_code=step.into, effective_on=step.on)
        oracle.closed[step.code] = step.on.year


def check(queries: Queries, oracle: Oracle) -> None:
    for code in oracle.periods:
        for year in YEARS:
            found = queries.learning_models(code, year, subtree=True)
            own = queries.learning_models(code, year)
            for model in MODELS:
                (figures_found,) = [f for f in found.models if f.model is model]
                (own_found,) = [f for f in own.models if f.model is model]
                expected = oracle.territory(code, year, model)
                got = (
                    figures_found.eligible,
                    figures_found.registered,
                    figures_found.recognised,
                )
                assert got == expected, (code, year, model.value)
                reported = oracle.reports.get((code, year, model), (0, 0, 0))
                assert (
                    own_found.eligible,
                    own_found.registered,
                    own_found.recognised,
                ) == reported


@settings(
    max_examples=15,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(history=histories)
# A commune that reported for a year and merged during it; one moved after
# its district reported for the whole territory.
@example(
    history=[
        LearningReportStep("C1", 2023, LearningModel.FAMILY, (5, 3, 1)),
        LearningReportStep("C3", 2023, LearningModel.FAMILY, (7, 6, 2)),
        LearningMergeStep("C1", "C2", date(2023, 7, 1)),
        LearningReportStep("D2", 2022, LearningModel.CLAN, (9, 9, 9)),
        LearningReportStep("C2", 2022, LearningModel.CLAN, (1, 1, 1)),
        LearningMoveStep("C2", "D1", date(2022, 5, 1)),
    ]
)
def test_learning_models_agree_with_the_naive_recomputation(
    history: list[Step],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'ledger.sqlite3'}"
        ledger = Ledger(url, today=lambda: TODAY)
        try:
            stepwise = ReadModels(ledger, prefix="inc_", batch_size=3)
            oracle = Oracle()
            accepted = run(ledger, history, oracle)
            stepwise.catch_up()
            at_once = ReadModels(ledger)
            at_once.catch_up()
            check(Queries(stepwise), oracle)
            check(Queries(at_once), oracle)
            assert verify(at_once).clean
            assert verify(stepwise).clean
            reports_sent = sum(isinstance(step, LearningReportStep) for step in history)
            assert accepted >= reports_sent // 2 or reports_sent < 2
        finally:
            ledger.close()
