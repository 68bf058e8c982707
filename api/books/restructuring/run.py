"""Preview or apply a plan in one batch (``Ledger.batch()``): all or nothing.

Both run every step, in the safe order, inside one transaction, and note
what each organisation was before and is after — name, level, parent,
status, balances — and every balance that moves and where to. A preview
then rolls the transaction back, so nothing is recorded; applying commits
it only if no step failed. Every failure is listed with its plan line and
column (a failed step changes nothing, so the rest still run and report).

A step whose effect is already in place — the same registration, the same
name or level, a move to the parent it has, an ending it has had — is
skipped: re-running an applied plan changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from api.books.restructuring.order import safe_order
from api.books.restructuring.plan import PlanError, PlanStep, placed, read_plan
from ledger import Ledger, errors
from ledger.bulk import Batch
from ledger.commands import ChangeLevel, Merge, Move, RegisterOrganisation, Split
from ledger.types import Level, Status

ENDED = {"merge": Status.MERGED, "split": Status.SPLIT, "dissolve": Status.DISSOLVED}


@dataclass(frozen=True, slots=True)
class Standing:
    """An organisation as it stands: before or after the plan."""

    name: str
    level: str
    parent: str | None
    status: str
    balances: Mapping[str, int]

    @property
    def total(self) -> int:
        return sum(self.balances.values())


@dataclass(frozen=True, slots=True)
class PlanChange:
    code: str
    before: Standing | None
    """None: the plan registers it."""
    after: Standing


@dataclass(frozen=True, slots=True)
class MoneyMove:
    line: int
    from_code: str
    to_code: str
    fund: str
    amount: int


@dataclass
class PlanOutcome:
    applied: bool
    steps: list[tuple[PlanStep, bool]] = field(default_factory=list)
    """Each step in the order run, and whether it was skipped (already done)."""
    changes: list[PlanChange] = field(default_factory=list)
    moves: list[MoneyMove] = field(default_factory=list)
    total_before: int = 0
    total_after: int = 0
    errors: list[PlanError] = field(default_factory=list)


def preview_plan(ledger: Ledger, path: Path | str, *, recorded_by: str) -> PlanOutcome:
    """What the plan (a file, or its text) would change; nothing is recorded."""
    return _run(ledger, path, recorded_by=recorded_by, apply=False)


def apply_plan(ledger: Ledger, path: Path | str, *, recorded_by: str) -> PlanOutcome:
    """Record the whole plan, or — if any line fails — nothing."""
    return _run(ledger, path, recorded_by=recorded_by, apply=True)


def _run(
    ledger: Ledger, path: Path | str, *, recorded_by: str, apply: bool
) -> PlanOutcome:
    plan = read_plan(path, recorded_by=recorded_by)
    outcome = PlanOutcome(applied=False, errors=list(plan.errors))
    refused = {error.line for error in plan.errors}
    # The lines that were read still run (and report), then roll back.
    steps = [s for s in plan.steps if not refused & set(s.lines)]
    with ledger.batch() as batch:
        codes = _codes_touched(steps)
        before = {code: _standing(batch, code) for code in codes}
        ordered, ring = safe_order(steps, lambda s: _rank(batch, s))
        outcome.errors.extend(ring)
        for step in ordered if not ring else []:
            done = _already_done(batch, step)
            outcome.steps.append((step, done))
            if done:
                continue
            moves = _money_moving(batch, step)
            try:
                batch.execute(step.command)
            except errors.LedgerError as error:
                outcome.errors.append(placed(step.line, error))
                continue
            outcome.moves.extend(moves)
        after = {code: _standing(batch, code) for code in codes}
        outcome.changes = [
            PlanChange(code, before[code], standing)
            for code, standing in sorted(after.items())
            if standing is not None and standing != before[code]
        ]
        outcome.total_before = sum(s.total for s in before.values() if s)
        outcome.total_after = sum(s.total for s in after.values() if s)
        outcome.errors.sort(key=lambda e: (e.line, e.column or ""))
        if apply and not outcome.errors:
            outcome.applied = True
        else:
            batch.abort()
    return outcome


def _codes_touched(steps: list[PlanStep]) -> list[str]:
    found: dict[str, None] = {}
    for step in steps:
        found[step.code] = None
        for code in step.targets:
            found[code] = None
        command = step.command
        if isinstance(command, Move):
            found[command.new_parent_code] = None
        if isinstance(command, RegisterOrganisation) and command.parent_code:
            found[command.parent_code] = None
    return list(found)


def _standing(batch: Batch, code: str) -> Standing | None:
    try:
        state = batch.organisation(code)
    except errors.UnknownOrganisation:
        return None
    parent = batch.code_of(state.parent_id) if state.parent_id else None
    return Standing(
        name=state.name,
        level=state.level.value,
        parent=parent,
        status=state.status.value,
        balances={fund: amount for fund, amount in state.balances.items() if amount},
    )


def _rank(batch: Batch, step: PlanStep) -> int:
    command = step.command
    if isinstance(command, RegisterOrganisation | ChangeLevel):
        return command.level.rank
    try:
        return batch.organisation(step.code).level.rank
    except errors.UnknownOrganisation:
        return max(level.rank for level in Level)


def _already_done(batch: Batch, step: PlanStep) -> bool:
    """The step's effect is in place (a plan run again)."""
    try:
        state = batch.organisation(step.code)
    except errors.UnknownOrganisation:
        return False
    command = step.command
    if step.op in ENDED:
        return state.status is ENDED[step.op]
    if isinstance(command, Move):
        parent = batch.code_of(state.parent_id) if state.parent_id else None
        return parent == command.new_parent_code
    return False


def _money_moving(batch: Batch, step: PlanStep) -> list[MoneyMove]:
    """The balances the step would move (before it runs)."""
    command = step.command
    if isinstance(command, Split):
        return [
            MoneyMove(step.line, step.code, successor, fund, amount)
            for successor, funds in command.parts.items()
            for fund, amount in funds.items()
            if amount
        ]
    if isinstance(command, Merge):
        try:
            balances = batch.organisation(step.code).balances
        except errors.UnknownOrganisation:
            return []
        return [
            MoneyMove(step.line, step.code, command.into_code, fund, amount)
            for fund, amount in sorted(balances.items())
            if amount
        ]
    return []
