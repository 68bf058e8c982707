"""A restructuring plan over HTTP: its rows as JSON (the CSV's columns), and
what it changed or would change."""

from __future__ import annotations

import csv
import io

from pydantic import Field

from api.books.restructuring import PLAN_COLUMNS
from api.http.schemas.common import Code, Position, Schema

Cell = str | None


class PlanRow(Schema):
    """One operation: the columns of a plan file (``docs/restructuring.md``)."""

    op: str = Field(examples=["merge"])
    code: Code
    name: Cell = None
    level: Cell = None
    parent_code: Cell = None
    into_code: Cell = None
    fund: Cell = None
    amount_vnd: int | None = Field(None, ge=0)
    effective_on: str = Field(examples=["2025-07-01"])


class PlanCreate(Schema):
    rows: list[PlanRow] = Field(min_length=1, max_length=100_000)

    def as_csv(self) -> str:
        """The plan file these rows make: row ``i`` is on line ``i + 2``."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(PLAN_COLUMNS)
        for row in self.rows:
            values = row.model_dump()
            writer.writerow(
                ["" if values[c] is None else str(values[c]) for c in PLAN_COLUMNS]
            )
        return out.getvalue()


FIRST_ROW_LINE = 2
"""The line of ``rows[0]`` in the plan file: line 1 is the header."""


class StepPublic(Schema):
    row: int = Field(description="Its index in `rows` (the first of a split's).")
    op: str
    code: Code
    skipped: bool = Field(description="Already in place: nothing to do.")


class StandingPublic(Schema):
    name: str
    level: str
    parent: Code | None
    status: str
    balances: dict[str, int]


class ChangePublic(Schema):
    code: Code
    before: StandingPublic | None = Field(description="None: the plan registers it.")
    after: StandingPublic


class MoneyMovePublic(Schema):
    row: int
    from_code: Code
    to_code: Code
    fund: Code
    amount_vnd: int


class RestructuringPublic(Schema):
    dry_run: bool
    applied: bool
    steps: list[StepPublic] = Field(description="In the order run.")
    changes: list[ChangePublic]
    moves: list[MoneyMovePublic]
    total_before_vnd: int
    total_after_vnd: int = Field(description="Equal to the total before.")
    position: Position
