"""Prove that the live read models equal a rebuild from the event log.

``verify`` replays the log into a scratch copy of every read model (tables
with their own prefix, in the same database), up to the position the live
read models stand at, and compares the two row by row in primary-key order.
Rows of sums that are all zero count as absent: a live roll-up keeps a zeroed
row where figures moved away (a subtree that moved), a rebuild never writes it.
If the live read models move on while the comparison runs, it is redone at
their new position, a few times; if they never hold still, ``verify`` says
so rather than report differences that are not there. The scratch tables
are dropped at the end.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from ledger.wording import says
from projections import errors
from projections.runner import ReadModels
from projections.view import View

ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class Difference:
    table: str
    key: tuple[Any, ...]
    live: dict[str, Any] | None
    """The live row, or None where only the rebuild has one."""
    rebuilt: dict[str, Any] | None
    """The rebuilt row, or None where only the live read models have one."""

    def __str__(self) -> str:
        key = ", ".join(str(part) for part in self.key)
        if self.live is None:
            return f"{self.table} ({key}): missing; a rebuild has {self.rebuilt}"
        if self.rebuilt is None:
            return f"{self.table} ({key}): {self.live}; a rebuild has no such row"
        changed = {
            name: (value, self.rebuilt.get(name))
            for name, value in self.live.items()
            if value != self.rebuilt.get(name)
        }
        shown = ", ".join(
            f"{k}={a!r} (rebuild: {b!r})" for k, (a, b) in changed.items()
        )
        return f"{self.table} ({key}): {shown}"


@dataclass(frozen=True, slots=True)
class Verification:
    position: int
    rows_compared: int
    differences: tuple[Difference, ...]

    @property
    def clean(self) -> bool:
        return not self.differences


def verify(live: ReadModels) -> Verification:
    """Rebuild into a scratch copy and compare it with ``live``, row by row.

    Raises ``projections.errors.StillMoving`` if the live read models moved on
    during every attempt: a comparison with rows of two positions would
    report differences that are not there.
    """
    scratch = ReadModels(
        live.app, prefix=f"vf{secrets.token_hex(4)}_", models=live.models
    )
    try:
        for _ in range(ATTEMPTS):
            position = live.position()
            scratch.catch_up(until=position)
            compared, differences = _compare(live.views, scratch.views)
            if live.position() == position:
                return Verification(position, compared, tuple(differences))
        raise errors.StillMoving(says("readmodels.still_moving", attempts=ATTEMPTS))
    finally:
        _drop(live, scratch)


def _drop(live: ReadModels, scratch: ReadModels) -> None:
    """Drop the scratch tables, even after a failed rebuild: a statement cut
    short may still hold its connection (SQLite: "database table is
    locked"), so the pools are emptied and the drop tried again."""
    try:
        scratch.drop()
    except Exception:
        for engine in {live.engine, scratch.engine}:
            if engine.url.database not in (None, "", ":memory:"):  # keep memory
                engine.dispose()
        scratch.drop()


def _compare(
    live: Sequence[View], scratch: Sequence[View]
) -> tuple[int, list[Difference]]:
    compared, differences = 0, []
    for live_view, scratch_view in zip(live, scratch, strict=True):
        with live_view.transaction(commit=False) as session:
            for live_table, scratch_table in zip(
                live_view.tables, scratch_view.tables, strict=True
            ):
                sums = {s.table.name for s in live_view.sums}
                values = _value_columns(live_table) if live_table.name in sums else None
                left = _rows(live_view.rows(live_table, session), live_table, values)
                right = _rows(
                    scratch_view.rows(scratch_table, session), scratch_table, values
                )
                for difference in _merge(live_table.name, left, right):
                    differences.append(difference)
                compared += _count(live_table, session)
    return compared, differences


def _value_columns(table: Table) -> list[str]:
    keys = {column.name for column in table.primary_key.columns}
    return [column.name for column in table.columns if column.name not in keys]


def _rows(
    rows: Iterable[Sequence[Any]], table: Table, values: list[str] | None
) -> Iterator[tuple[tuple[Any, ...], dict[str, Any]]]:
    names = [column.name for column in table.columns]
    keys = [column.name for column in table.primary_key.columns]
    for row in rows:
        record = dict(zip(names, row, strict=True))
        if values is not None and not any(record[name] for name in values):
            continue  # an all-zero row of sums counts as absent
        yield tuple(record[name] for name in keys), record


def _merge(
    name: str,
    left: Iterator[tuple[tuple[Any, ...], dict[str, Any]]],
    right: Iterator[tuple[tuple[Any, ...], dict[str, Any]]],
) -> Iterator[Difference]:
    a, b = next(left, None), next(right, None)
    while a is not None or b is not None:
        if b is None or (a is not None and a[0] < b[0]):
            assert a is not None  # noqa: S101 -- b is None or a comes first
            yield Difference(name, a[0], a[1], None)
            a = next(left, None)
        elif a is None or b[0] < a[0]:
            yield Difference(name, b[0], None, b[1])
            b = next(right, None)
        else:
            if a[1] != b[1]:
                yield Difference(name, a[0], a[1], b[1])
            a, b = next(left, None), next(right, None)


def _count(table: Table, session: Session) -> int:
    return int(session.execute(select(func.count()).select_from(table)).scalar_one())
