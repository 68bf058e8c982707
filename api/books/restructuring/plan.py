"""A restructuring plan's file: one operation per row, read into commands.

UTF-8 CSV (a BOM is fine) with the header ``PLAN_COLUMNS``; empty cells are
fine where the operation does not use the column::

    op,code,name,level,parent_code,into_code,fund,amount_vnd,effective_on
    register,NA-X-MOI,Hội Khuyến học xã Mới,commune,NA,,,,2025-07-01
    move,NA-DC-X01,,,NA,,,,2025-07-01
    merge,NA-DC-X02,,,,NA-X-MOI,,,2025-07-01
    split,NA-DC-X03,,,,NA-X-MOI,general,3000000,2025-07-01
    split,NA-DC-X03,,,,NA-DC-X01,general,2000000,2025-07-01
    dissolve,NA-DC,,,,,,,2025-07-01
    rename,NA-DC-X01,Hội Khuyến học xã Diễn Châu,,,,,,2025-07-01
    level,NA-CQ-01,,agency,,,,,2025-07-01

The rows of one ``split`` (same code) are its parts, one per successor and
fund (``fund`` empty: ``general``). Each row's cells become the command a
caller would have sent (``ledger.commands``): the shape is checked there,
with the field's name, and ``COLUMN_OF`` places the error in its column.
A code may be closed (merge, split, dissolve) once, and nothing else may
happen to it after it closes: a row that contradicts an earlier one is an
error naming both lines.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from api.books.csv_import.values import CellError, day, whole
from ledger import errors
from ledger.commands import (
    ChangeLevel,
    Command,
    Dissolve,
    Merge,
    Move,
    RegisterOrganisation,
    Rename,
    Split,
)
from ledger.types import GENERAL_FUND

PLAN_COLUMNS = (
    "op",
    "code",
    "name",
    "level",
    "parent_code",
    "into_code",
    "fund",
    "amount_vnd",
    "effective_on",
)
OPS = ("register", "rename", "level", "move", "merge", "split", "dissolve")
CLOSING = frozenset({"merge", "split", "dissolve"})
COLUMN_OF = {
    "org": "code",
    "code": "code",
    "name": "name",
    "level": "level",
    "parent_code": "parent_code",
    "new_parent_code": "parent_code",
    "into_code": "into_code",
    "parts": "into_code",
    "registered_on": "effective_on",
    "effective_on": "effective_on",
}
"""Command field → plan column."""


@dataclass(frozen=True, slots=True)
class PlanError:
    """One problem, at a plan line (0: the file) and column."""

    line: int
    column: str | None
    code: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", {self.column}" if self.column else "")
        return f"{where}: {self.code}: {self.message}"


@dataclass
class PlanStep:
    """One operation of the plan, its command, and the lines it came from."""

    op: str
    code: str
    lines: list[int]
    command: Command[object]
    targets: tuple[str, ...] = field(default=())
    """The codes it hands money or children to (merge target, split successors)."""

    @property
    def line(self) -> int:
        return self.lines[0]


@dataclass
class Plan:
    steps: list[PlanStep]
    errors: list[PlanError]


def read_plan(source: Path | str, *, recorded_by: str) -> Plan:
    """The plan's steps in file order, or the errors of its rows; ``source``
    is the file, or its text (the HTTP body)."""
    found: list[PlanError] = []
    rows = _rows(_text(source), found)
    steps: list[PlanStep] = []
    splits: dict[str, tuple[int, dict[str, dict[str, int]], set[str], list[int]]] = {}
    closed_at: dict[str, int] = {}
    for line, cells in rows:
        op, code = cells["op"].strip(), cells["code"].strip()
        if op not in OPS:
            found.append(
                PlanError(line, "op", "invalid_input", f"op is one of {', '.join(OPS)}")
            )
            continue
        earlier = closed_at.get(code)
        if earlier is not None and not (op == "split" and code in splits):
            found.append(
                PlanError(
                    line,
                    "code",
                    "plan_contradiction",
                    f"{code} already ends at line {earlier}",
                )
            )
            continue
        try:
            if op == "split":
                _add_part(splits, line, code, cells)
            else:
                steps.append(_step(op, code, line, cells, recorded_by))
        except CellError as error:
            found.append(PlanError(line, error.column, "invalid_input", str(error)))
            continue
        except errors.LedgerError as error:
            found.append(placed(line, error))
            continue
        if op in CLOSING:
            closed_at[code] = line
    for code, (line, parts, dates, lines) in splits.items():
        if len(dates) > 1:
            found.append(
                PlanError(
                    line,
                    "effective_on",
                    "invalid_input",
                    "the rows of one split share one date",
                )
            )
            continue
        try:
            command = Split(
                code,
                parts=parts,
                effective_on=day(next(iter(dates))),
                recorded_by=recorded_by,
            )
        except CellError as error:
            found.append(PlanError(line, "effective_on", "invalid_input", str(error)))
            continue
        except errors.LedgerError as error:
            found.append(placed(line, error))
            continue
        steps.append(PlanStep("split", code, lines, command, tuple(parts)))
    _check_used_after_closing(steps, closed_at, found)
    return Plan(sorted(steps, key=lambda step: step.line), found)


def _text(source: Path | str) -> str:
    if isinstance(source, Path):
        return source.read_text(encoding="utf-8-sig")
    return source.removeprefix("\ufeff")


def _rows(text: str, found: list[PlanError]) -> list[tuple[int, dict[str, str]]]:
    with io.StringIO(text, newline="") as file:
        reader = csv.reader(file)
        header = [cell.strip() for cell in next(reader, [])]
        if tuple(header) != PLAN_COLUMNS:
            found.append(
                PlanError(
                    1,
                    None,
                    "invalid_input",
                    f"the header is {','.join(PLAN_COLUMNS)}",
                )
            )
            return []
        rows = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            padded = [*cells, *[""] * len(PLAN_COLUMNS)][: len(PLAN_COLUMNS)]
            rows.append((reader.line_num, dict(zip(PLAN_COLUMNS, padded, strict=True))))
        return rows


def _cell(cells: dict[str, str], column: str) -> str:
    return cells[column].strip()


def _date(cells: dict[str, str]) -> date:
    try:
        return day(cells["effective_on"])
    except CellError as error:
        error.column = "effective_on"
        raise


def _step(
    op: str, code: str, line: int, cells: dict[str, str], recorded_by: str
) -> PlanStep:
    on = _date(cells)
    name, level = _cell(cells, "name"), _cell(cells, "level")
    parent, into = _cell(cells, "parent_code"), _cell(cells, "into_code")
    command: Command[object]
    targets: tuple[str, ...] = ()
    if op == "register":
        command = RegisterOrganisation(
            code,
            name=name,
            level=level,
            parent_code=parent or None,
            registered_on=on,
            recorded_by=recorded_by,
        )
    elif op == "rename":
        command = Rename(code, name=name, effective_on=on, recorded_by=recorded_by)
    elif op == "level":
        command = ChangeLevel(
            code,
            level=level,
            effective_on=on,
            recorded_by=recorded_by,
        )
    elif op == "move":
        command = Move(
            code,
            new_parent_code=parent,
            effective_on=on,
            recorded_by=recorded_by,
        )
    elif op == "merge":
        command = Merge(code, into_code=into, effective_on=on, recorded_by=recorded_by)
        targets = (into,)
    else:
        command = Dissolve(code, effective_on=on, recorded_by=recorded_by)
    return PlanStep(op, code, [line], command, targets)


def _add_part(
    splits: dict[str, tuple[int, dict[str, dict[str, int]], set[str], list[int]]],
    line: int,
    code: str,
    cells: dict[str, str],
) -> None:
    successor = _cell(cells, "into_code")
    if not successor:
        raise CellError("a split row names its successor", "into_code")
    fund = _cell(cells, "fund") or GENERAL_FUND
    try:
        amount = whole(cells["amount_vnd"], "an amount of đồng")
    except CellError as error:
        error.column = "amount_vnd"
        raise
    _, parts, dates, lines = splits.setdefault(code, (line, {}, set(), []))
    funds = parts.setdefault(successor, {})
    if fund in funds:
        raise CellError(f"{successor} already takes a part of {fund!r}", "fund")
    funds[fund] = amount
    dates.add(_cell(cells, "effective_on"))
    lines.append(line)


def _check_used_after_closing(
    steps: list[PlanStep], closed_at: dict[str, int], found: list[PlanError]
) -> None:
    """No child is moved under an organisation the plan ends. (Merging into
    one that ends later is a chain the order resolves: the first merge runs
    first.)"""
    for step in steps:
        command = step.command
        if not isinstance(command, Move):
            continue
        closes = closed_at.get(command.new_parent_code)
        if closes is not None:
            found.append(
                PlanError(
                    step.line,
                    "parent_code",
                    "plan_contradiction",
                    f"{command.new_parent_code} ends at line {closes}; "
                    "nothing can move under it",
                )
            )


def placed(line: int, error: errors.LedgerError) -> PlanError:
    column = COLUMN_OF.get(error.field or "")
    return PlanError(line, column, error.code, error.message)
