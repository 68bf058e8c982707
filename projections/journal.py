"""The journal read model: every entry, flat, in log order.

One row per line (``projections.movements``): position and line number in the
log, organisation, kind, voucher, fund, amount and signed balance change,
business date, when and by whom it was recorded, campaign, counterparty, the
kind's own details, and for a reversal what it undoes. An entry that has been
reversed points at its reversal (``reversed_by``). It serves history pages,
point-in-time corrections of balances, exports, and the other read models when
a move makes them re-count a subtree's flows.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    String,
    Uuid,
    and_,
    or_,
    update,
)
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from ledger.organisation import Organisation
from projections.change import handles
from projections.movements import DETAIL_FIELDS, LINE_EVENTS, Line, LineKind
from projections.tree import Tree
from projections.view import View, insert_many, money

TEXT = 200
CHUNK = 500
"""Organisation ids per ``IN (…)`` when re-reading lines for a move."""


class JournalView(View):
    name = "journal"

    def define_tables(self) -> None:
        self.lines = self.table(
            "journal",
            Column(
                "position",
                BigInteger().with_variant(Integer(), "sqlite"),
                primary_key=True,
            ),
            Column("line_no", Integer, primary_key=True),
            Column("org_id", Uuid, nullable=False),
            Column("kind", String(16), nullable=False),
            Column("entry_id", Uuid, nullable=True),
            Column("voucher_no", String(TEXT), nullable=True),
            Column("fund", String(64), nullable=False),
            Column("amount", money(), nullable=False),
            Column("delta", money(), nullable=False),
            Column("business_date", Date, nullable=False),
            Column("flow_date", Date, nullable=False),
            Column("recorded_at", DateTime, nullable=False),
            Column("recorded_on", Date, nullable=False),
            Column("recorded_by", String(TEXT), nullable=False),
            Column("campaign_id", Uuid, nullable=True),
            Column("counterparty", String(TEXT), nullable=True),
            Column("counterpart_id", Uuid, nullable=True),
            Column("category", String(32), nullable=True),
            Column("recipients", Integer, nullable=False),
            *(Column(name, String(TEXT), nullable=True) for name in DETAIL_FIELDS),
            Column("note", String(TEXT), nullable=True),
            Column("reversed_entry_id", Uuid, nullable=True),
            Column("reversed_kind", String(16), nullable=True),
            Column("reason", String(TEXT), nullable=True),
            Column("reversed_by", Uuid, nullable=True),
            Column("account", String(8), nullable=True),
        )
        c = self.lines.c
        p = self.prefix
        Index(f"{p}journal_org", c.org_id, c.position, c.line_no)
        Index(f"{p}journal_org_flow", c.org_id, c.flow_date)
        Index(f"{p}journal_counterpart_flow", c.counterpart_id, c.flow_date)
        Index(f"{p}journal_entry", c.entry_id)
        Index(f"{p}journal_recorded", c.recorded_on, c.recorded_at)
        self._new: dict[tuple[UUID, UUID], dict[str, Any]] = {}
        self._anonymous: list[dict[str, Any]] = []
        self._reversed: list[tuple[UUID, UUID, UUID]] = []
        self._moved: dict[tuple[UUID, int], list[Line]] = {}
        """Stored lines a move can change, by the move (until the next
        flush): every flow view asks for the same ones."""

    @handles(*LINE_EVENTS)
    def add_lines(self, session: Session, event: object, lines: Sequence[Line]) -> None:
        for line in lines:
            self.add(line)

    def add(self, line: Line) -> None:
        row = to_row(line)
        if line.entry_id is None:
            self._anonymous.append(row)
        else:
            self._new[(line.org_id, line.entry_id)] = row
        if line.reversed_entry_id is not None:
            assert line.entry_id is not None  # noqa: S101 -- reversals have ids
            pending = self._new.get((line.org_id, line.reversed_entry_id))
            if pending is not None:
                pending["reversed_by"] = line.entry_id
            else:
                self._reversed.append(
                    (line.org_id, line.reversed_entry_id, line.entry_id)
                )

    def flush(self, session: Session) -> None:
        super().flush(session)
        rows = [*self._new.values(), *self._anonymous]
        insert_many(session, self.lines, rows)
        c = self.lines.c
        for org_id, entry_id, reversal_id in self._reversed:
            session.execute(
                update(self.lines)
                .where(and_(c.org_id == org_id, c.entry_id == entry_id))
                .values(reversed_by=reversal_id)
            )
        self.discard()

    def discard(self) -> None:
        super().discard()
        self._moved.clear()
        self._new.clear()
        self._anonymous.clear()
        self._reversed.clear()

    def lines_moved_by(
        self, session: Session, event: Organisation.Moved, tree: Tree
    ) -> list[Line]:
        """The stored lines whose flows a move can change, ``tree`` being the
        hierarchy after it; read once per move."""
        key = (event.originator_id, event.originator_version)
        found = self._moved.get(key)
        if found is None:
            under = tree.ever_under(event.originator_id)
            found = list(self.lines_touching(session, under, event.effective_on))
            self._moved[key] = found
        return found

    def lines_touching(
        self, session: Session, org_ids: Collection[UUID], since: date
    ) -> Iterator[Line]:
        """Stored lines whose flows a move of ``org_ids`` from ``since`` can change:
        flow-dated on or after ``since``, on either side of the line."""
        c = self.lines.c
        ids = sorted(org_ids)
        seen: set[tuple[int, int]] = set()
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            query = (
                self.lines.select()
                .where(
                    and_(
                        c.flow_date >= since,
                        or_(c.org_id.in_(chunk), c.counterpart_id.in_(chunk)),
                    )
                )
                .order_by(c.position, c.line_no)
            )
            for row in session.execute(query).mappings():
                key = (row["position"], row["line_no"])
                if key not in seen:
                    seen.add(key)
                    yield from_row(row)


def to_row(line: Line) -> dict[str, Any]:
    return {
        "position": line.position,
        "line_no": line.line_no,
        "org_id": line.org_id,
        "kind": line.kind.value,
        "entry_id": line.entry_id,
        "voucher_no": line.voucher_no,
        "fund": line.fund,
        "amount": line.amount,
        "delta": line.delta,
        "business_date": line.business_date,
        "flow_date": line.flow_date,
        "recorded_at": line.recorded_at,
        "recorded_on": line.recorded_on,
        "recorded_by": line.recorded_by,
        "campaign_id": line.campaign_id,
        "counterparty": line.counterparty,
        "counterpart_id": line.counterpart_id,
        "category": line.category,
        "recipients": line.recipients,
        **{name: line.details.get(name) for name in DETAIL_FIELDS},
        "note": line.note,
        "reversed_entry_id": line.reversed_entry_id,
        "reversed_kind": line.reversed_kind.value if line.reversed_kind else None,
        "reason": line.reason,
        "reversed_by": None,
        "account": line.account,
    }


def from_row(row: RowMapping) -> Line:
    reversed_kind = row["reversed_kind"]
    kind = LineKind(row["kind"])
    return Line(
        position=row["position"],
        line_no=row["line_no"],
        org_id=row["org_id"],
        kind=kind,
        fund=row["fund"],
        amount=row["amount"],
        delta=row["delta"],
        business_date=row["business_date"],
        recorded_at=row["recorded_at"],
        recorded_by=row["recorded_by"],
        entry_id=row["entry_id"],
        voucher_no=row["voucher_no"],
        campaign_id=row["campaign_id"],
        counterparty=row["counterparty"],
        counterpart_id=row["counterpart_id"],
        category=row["category"],
        recipients=row["recipients"],
        details={name: row[name] for name in DETAIL_FIELDS},
        note=row["note"],
        reversed_entry_id=row["reversed_entry_id"],
        reversed_kind=LineKind(reversed_kind) if reversed_kind else None,
        reversed_date=row["flow_date"] if kind is LineKind.REVERSAL else None,
        reason=row["reason"],
        account=row["account"] or "cash",
    )
