"""A province-year through a whole reform plan (issue 14): districts end,
communes merge in threes, one commune splits in two — checked against a naive
recomputation, on SQLite and PostgreSQL; then the preview, a re-run, and a
plan with errors.

The province ``P`` has districts ``D1`` (communes C1, C2, C3, C7) and ``D2``
(C4, C5, C6). On 2025-07-01 the plan (written in an unsafe order on purpose)
merges C1 and C2 into C3 and C4 and C5 into C6, renames C3 and C6 and puts
them under P, splits C7 between them, and merges both districts into P.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from api.books.restructuring import apply_plan, preview_plan
from api.books.restructuring.text import render
from api.cli import main as cli
from ledger import Ledger
from projections import Queries, ReadModels
from projections.answers import YearSummary
from projections.verify import verify
from tests.conftest import LedgerFactory

TODAY = date(2025, 12, 31)
REFORM = date(2025, 7, 1)
TREE = {
    "P": ("province", None),
    "D1": ("district", "P"),
    "D2": ("district", "P"),
    **dict.fromkeys(("C1", "C2", "C3", "C7"), ("commune", "D1")),
    **dict.fromkeys(("C4", "C5", "C6"), ("commune", "D2")),
}
GIFTS = [  # (code, voucher, date, amount)
    ("P", "PT-1", date(2024, 2, 1), 9_000_000),
    ("D1", "PT-1", date(2024, 2, 1), 4_000_000),
    ("D2", "PT-1", date(2024, 2, 1), 3_000_000),
    ("C1", "PT-1", date(2024, 3, 1), 1_100_000),
    ("C2", "PT-1", date(2024, 3, 1), 1_200_000),
    ("C3", "PT-1", date(2024, 3, 1), 1_300_000),
    ("C4", "PT-1", date(2024, 3, 1), 1_400_000),
    ("C5", "PT-1", date(2024, 3, 1), 1_500_000),
    ("C6", "PT-1", date(2024, 3, 1), 1_600_000),
    ("C7", "PT-1", date(2024, 3, 1), 1_700_000),
    ("C1", "PT-2", date(2025, 3, 1), 100_000),  # 2025, before the reform
    ("C4", "PT-2", date(2025, 3, 1), 200_000),
]
AFTER_GIFTS = [  # 2025, on the new tree
    ("C3", "PT-2", date(2025, 8, 1), 500_000),
    ("C6", "PT-2", date(2025, 8, 1), 700_000),
]
PLAN = """\
op,code,name,level,parent_code,into_code,fund,amount_vnd,effective_on
merge,D1,,,,P,,,2025-07-01
merge,D2,,,,P,,,2025-07-01
split,C7,,,,C3,general,1000000,2025-07-01
split,C7,,,,C6,general,700000,2025-07-01
merge,C1,,,,C3,,,2025-07-01
merge,C2,,,,C3,,,2025-07-01
merge,C4,,,,C6,,,2025-07-01
merge,C5,,,,C6,,,2025-07-01
rename,C3,Hội Khuyến học xã Hợp Nhất,,,,,,2025-07-01
rename,C6,Hội Khuyến học xã Đồng Tâm,,,,,,2025-07-01
move,C3,,,P,,,,2025-07-01
move,C6,,,P,,,,2025-07-01
"""
NEW_PARENT = {"C3": "P", "C6": "P"}


@dataclass
class Province:
    ledger: Ledger
    read_models: ReadModels
    queries: Queries
    plan: Path

    def summaries(self, year: int) -> dict[tuple[str, bool], YearSummary]:
        self.read_models.catch_up()
        return {
            (code, subtree): self.queries.summary(code, year, subtree=subtree)
            for code in TREE
            for subtree in (False, True)
        }

    def own_total(self) -> int:
        return sum(self.ledger.organisation(code).balances["general"] for code in TREE)


@pytest.fixture
def province(open_ledger: LedgerFactory, tmp_path: Path) -> Province:
    ledger = open_ledger(today=lambda: TODAY)
    for code, (level, parent) in TREE.items():
        ledger.register_organisation(
            code,
            name=f"Hội Khuyến học {code}",
            level=level,
            parent_code=parent,
            registered_on=date(2010, 1, 1),
        )
    for code, voucher, on, amount in GIFTS:
        ledger.receive_donation(
            code, voucher_no=voucher, amount=amount, business_date=on
        )
    read_models = ReadModels(ledger)
    plan = tmp_path / "nghe-an-2025.csv"
    plan.write_text(PLAN, encoding="utf-8")
    return Province(ledger, read_models, Queries(read_models), plan)


def parent_on(code: str, day: date) -> str | None:
    """The naive tree: the plan's moves from the reform on; closed
    organisations stay where they were."""
    if day >= REFORM and code in NEW_PARENT:
        return NEW_PARENT[code]
    return TREE[code][1]


def naive_raised(code: str, year: int, gifts: list[tuple[str, str, date, int]]) -> int:
    """Raised in ``code``'s subtree: every gift whose organisation sat under it
    on the gift's date."""
    total = 0
    for giver, _, on, amount in gifts:
        if on.year != year:
            continue
        walker: str | None = giver
        while walker is not None and walker != code:
            walker = parent_on(walker, on)
        if walker == code:
            total += amount
    return total


def test_a_province_year_goes_through_the_whole_reform(province: Province) -> None:
    before_2024 = province.summaries(2024)
    money_before = province.own_total()

    outcome = apply_plan(province.ledger, province.plan, recorded_by="admin")

    assert outcome.errors == []
    assert outcome.applied
    for code, voucher, on, amount in AFTER_GIFTS:
        province.ledger.receive_donation(
            code, voucher_no=voucher, amount=amount, business_date=on
        )
    # The previous year is untouched, for every organisation, own and subtree.
    assert province.summaries(2024) == before_2024
    # Money is conserved to the đồng, and lands where the plan said.
    gifts_after = sum(amount for *_, amount in AFTER_GIFTS)
    assert province.own_total() == money_before + gifts_after
    balance = province.ledger.balance
    assert (
        balance("C3")
        == 1_100_000 + 100_000 + 1_200_000 + 1_300_000 + 1_000_000 + 500_000
    )
    assert (
        balance("C6") == 1_400_000 + 200_000 + 1_500_000 + 1_600_000 + 700_000 + 700_000
    )
    assert balance("P") == 9_000_000 + 4_000_000 + 3_000_000
    for ended in ("D1", "D2", "C1", "C2", "C4", "C5", "C7"):
        assert balance(ended) == 0
    # Flows of the new year follow the tree on each entry's date.
    all_gifts = GIFTS + AFTER_GIFTS
    summaries_2025 = province.summaries(2025)
    for code in TREE:
        found = summaries_2025[(code, True)]
        assert found.raised_vnd == naive_raised(code, 2025, all_gifts), code
    q = province.queries
    assert q.organisation("C3").parent == "P"
    assert q.name_on("C3", date(2024, 12, 31)) == "Hội Khuyến học C3"
    assert q.name_on("C3", TODAY) == "Hội Khuyến học xã Hợp Nhất"
    assert q.balance("P", subtree=True).balance == province.own_total()
    result = verify(province.read_models)
    assert result.clean, [str(d) for d in result.differences[:10]]


def test_the_preview_records_nothing_and_shows_totals_equal(province: Province) -> None:
    head = province.ledger.recorder.max_notification_id()

    outcome = preview_plan(province.ledger, province.plan, recorded_by="admin")

    assert province.ledger.recorder.max_notification_id() == head
    assert not outcome.applied
    assert outcome.errors == []
    assert outcome.total_before == outcome.total_after == province.own_total()
    printed = render(outcome, file="nghe-an-2025.csv", preview=True, lang="vi")
    assert "chưa ghi gì" in printed
    assert "C7 → C3, quỹ general: 1.000.000 đồng" in printed
    assert "(khớp)" in printed
    # Children leave before their district ends; merges into C3 before it moves on.
    order = [(step.op, step.code) for step, _ in outcome.steps]
    assert order.index(("move", "C3")) < order.index(("merge", "D1"))
    assert order.index(("merge", "C1")) < order.index(("merge", "D1"))


def test_applying_the_plan_again_changes_nothing(province: Province) -> None:
    apply_plan(province.ledger, province.plan, recorded_by="admin")
    head = province.ledger.recorder.max_notification_id()

    again = apply_plan(province.ledger, province.plan, recorded_by="admin")

    assert again.errors == []
    assert all(done for step, done in again.steps if step.op != "rename")
    assert province.ledger.recorder.max_notification_id() == head


BAD_PLAN = """\
op,code,name,level,parent_code,into_code,fund,amount_vnd,effective_on
split,C7,,,,C3,general,1000000,2025-07-01
split,C7,,,,C6,general,600000,2025-07-01
merge,C1,,,,NOPE,,,2025-07-01
move,C2,,,C1,,,,2025-07-01
merge,C4,,,,C6,,,2025-07-01
merge,C4,,,,C5,,,2025-07-01
merge,C5,,,,C6,,,2030-01-01
"""


def test_a_bad_plan_lists_every_error_with_its_line_and_records_nothing(
    province: Province, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD_PLAN, encoding="utf-8")
    head = province.ledger.recorder.max_notification_id()

    outcome = apply_plan(province.ledger, bad, recorded_by="admin")

    assert not outcome.applied
    assert province.ledger.recorder.max_notification_id() == head
    found = {(e.line, e.column, e.code) for e in outcome.errors}
    assert found == {
        (2, "into_code", "unbalanced_split"),
        (4, "into_code", "unknown_organisation"),
        (5, "parent_code", "plan_contradiction"),
        (7, "code", "plan_contradiction"),
        (8, "effective_on", "invalid_date"),
    }


def test_the_command_line_previews_then_applies(
    province: Province,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("KHUYENHOC_DATABASE_URL", database_url)
    head = province.ledger.recorder.max_notification_id()

    previewed = cli.main(["reform", "preview", str(province.plan)])
    preview_text = capsys.readouterr().out
    dry = cli.main(["restructure", str(province.plan), "--dry-run", "--lang", "en"])
    dry_text = capsys.readouterr().out
    assert province.ledger.recorder.max_notification_id() == head
    applied = cli.main(["reform", "apply", str(province.plan)])
    applied_text = capsys.readouterr().out

    assert (previewed, dry, applied) == (0, 0, 0)
    assert preview_text.startswith("XEM TRƯỚC KẾ HOẠCH SẮP XẾP nghe-an-2025.csv")
    assert "C3: tên: Hội Khuyến học C3 → Hội Khuyến học xã Hợp Nhất" in preview_text
    assert "nothing recorded" in dry_text
    assert applied_text.startswith("ĐÃ GHI KẾ HOẠCH SẮP XẾP")
    assert (province.ledger.recorder.max_notification_id() or 0) > (head or 0)
