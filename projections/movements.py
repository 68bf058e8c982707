"""Movements: the ledger's money events as flat lines, and what each line adds up to.

A *line* is one movement of one fund of one organisation — an opening
balance, a donation, a disbursement, one side of a transfer or of a merge, or
a reversal. The journal stores lines; every other read model is a sum over
lines, which is why one function per read model says what a line contributes:

- to **stocks** (balances): money in or out of the organisation's fund on the
  line's business date, rolled up along *today's* hierarchy;
- to **flows** (the yearly summary and campaign totals): raised, paid,
  recipients, transfers, dated by the business date of the entry the line
  stands for — a reversal counts against the reversed entry's own date and
  year — and rolled up along the hierarchy *as it stood on that date*. A
  transfer (or merge) counts for a subtree only when it crosses the subtree's
  boundary.

A read model's rows are the sum of these contributions over its lines, so a
rebuild, an incremental update and a re-roll after a move all add the same
numbers.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from ledger.organisation import Organisation
from ledger.restructuring import SplitReceived, SplitUp
from ledger.types import VIETNAM, EntryKind, Level
from projections.tree import Tree


class LineKind(enum.Enum):
    OPENING_BALANCE = "opening_balance"
    DONATION = "donation"
    DISBURSEMENT = "disbursement"
    TRANSFER_OUT = "transfer_out"
    TRANSFER_IN = "transfer_in"
    MERGE_OUT = "merge_out"
    MERGE_IN = "merge_in"
    REVERSAL = "reversal"


INFLOWS = frozenset(
    {
        LineKind.OPENING_BALANCE,
        LineKind.DONATION,
        LineKind.TRANSFER_IN,
        LineKind.MERGE_IN,
    }
)
CROSSING = frozenset(
    {LineKind.TRANSFER_OUT, LineKind.TRANSFER_IN, LineKind.MERGE_OUT, LineKind.MERGE_IN}
)
"""Kinds that move money between two organisations."""

OWN, SUBTREE, ALL = "own", "subtree", "all"
"""Scopes of a row: the organisation alone, it and everything below it, everyone."""


@dataclass(frozen=True, slots=True)
class Line:
    """One movement of one fund; the journal's row."""

    position: int
    line_no: int
    org_id: UUID
    kind: LineKind
    fund: str
    amount: int
    """Always positive; ``delta`` carries the sign."""
    delta: int
    """The change to the fund's balance."""
    business_date: date
    recorded_at: datetime
    """When the event was recorded, UTC without tzinfo (as stored)."""
    recorded_by: str
    entry_id: UUID | None = None
    voucher_no: str | None = None
    campaign_id: UUID | None = None
    counterparty: str | None = None
    counterpart_id: UUID | None = None
    category: str | None = None
    recipients: int = 0
    details: Mapping[str, str | None] = field(default_factory=dict)
    """Donation details: donor kind, method, in-kind and foreign-currency notes."""
    note: str | None = None
    reversed_entry_id: UUID | None = None
    reversed_kind: LineKind | None = None
    reversed_date: date | None = None
    reason: str | None = None

    @property
    def recorded_on(self) -> date:
        """The Vietnamese date on which the line was recorded."""
        return self.recorded_at.replace(tzinfo=UTC).astimezone(VIETNAM).date()

    @property
    def flow_kind(self) -> LineKind:
        """What the line counts as in flows: a reversal counts as what it undoes."""
        return self.reversed_kind or self.kind

    @property
    def flow_date(self) -> date:
        return self.reversed_date or self.business_date

    @property
    def sign(self) -> int:
        return -1 if self.kind is LineKind.REVERSAL else 1


DETAIL_FIELDS = (
    "donor_kind",
    "method",
    "in_kind_description",
    "valuation_basis",
    "original_currency",
    "original_amount",
    "exchange_rate",
)


ENTRY_EVENTS: tuple[type[Organisation.Entry], ...] = (
    Organisation.OpeningBalanceRecorded,
    Organisation.DonationReceived,
    Organisation.DisbursementPaid,
    Organisation.TransferSent,
    Organisation.TransferReceived,
    Organisation.EntryReversed,
)
"""The stored events of entries: one line each."""
LINE_EVENTS: tuple[type, ...] = (
    *ENTRY_EVENTS,
    Organisation.Merged,
    Organisation.Absorbed,
    SplitUp,
    SplitReceived,
)
"""The stored events that move money: the ones with lines."""


def lines_of(event: object, position: int) -> list[Line]:
    """The lines a stored event stands for; none for events that move no money.

    The runner asks once per event and hands the lines to every view.
    """
    if isinstance(event, Organisation.Entry):
        return [_entry_line(event, position)]
    if isinstance(event, Organisation.Merged):
        return _merge_lines(event, position, LineKind.MERGE_OUT, event.into_id)
    if isinstance(event, Organisation.Absorbed):  # a split's successor too
        return _merge_lines(event, position, LineKind.MERGE_IN, event.source_id)
    if isinstance(event, SplitUp):
        return _split_lines(event, position)
    return []


def _split_lines(event: SplitUp, position: int) -> list[Line]:
    """A split moves each part to its successor: one line per successor and
    fund, like the source side of a merge."""
    parts = sorted(
        (UUID(successor), fund, amount)
        for successor, funds in event.parts.items()
        for fund, amount in funds.items()
        if amount
    )
    return [
        Line(
            position=position,
            line_no=line_no,
            org_id=event.originator_id,
            kind=LineKind.MERGE_OUT,
            fund=fund,
            amount=amount,
            delta=-amount,
            business_date=event.effective_on,
            recorded_at=_utc(event.timestamp),
            recorded_by=event.recorded_by,
            counterpart_id=successor,
        )
        for line_no, (successor, fund, amount) in enumerate(parts)
    ]


def _merge_lines(
    event: Organisation.Merged | Organisation.Absorbed,
    position: int,
    kind: LineKind,
    counterpart: UUID,
) -> list[Line]:
    """A merge moves each fund's balance: one line per fund that held money."""
    sign = 1 if kind in INFLOWS else -1
    return [
        Line(
            position=position,
            line_no=line_no,
            org_id=event.originator_id,
            kind=kind,
            fund=fund,
            amount=amount,
            delta=sign * amount,
            business_date=event.effective_on,
            recorded_at=_utc(event.timestamp),
            recorded_by=event.recorded_by,
            counterpart_id=counterpart,
        )
        for line_no, (fund, amount) in enumerate(sorted(event.balances.items()))
        if amount
    ]


def _entry_line(event: Organisation.Entry, position: int) -> Line:
    common: dict[str, Any] = {
        "position": position,
        "line_no": 0,
        "org_id": event.originator_id,
        "fund": event.fund,
        "amount": event.amount,
        "delta": event.change(),
        "business_date": event.business_date,
        "recorded_at": _utc(event.timestamp),
        "recorded_by": event.recorded_by,
        "entry_id": event.entry_id,
        "voucher_no": event.voucher_no,
        "campaign_id": event.campaign_id,
        "counterparty": event.counterparty,
        "note": event.note,
    }
    if isinstance(event, Organisation.DonationReceived):
        details = {name: _plain(getattr(event, name)) for name in DETAIL_FIELDS}
        return Line(kind=LineKind.DONATION, details=details, **common)
    if isinstance(event, Organisation.DisbursementPaid):
        return Line(
            kind=LineKind.DISBURSEMENT,
            category=event.category.value,
            recipients=event.recipients,
            **common,
        )
    if isinstance(event, Organisation.TransferSent):
        return Line(
            kind=LineKind.TRANSFER_OUT, counterpart_id=event.to_org_id, **common
        )
    if isinstance(event, Organisation.TransferReceived):
        return Line(
            kind=LineKind.TRANSFER_IN, counterpart_id=event.from_org_id, **common
        )
    if isinstance(event, Organisation.EntryReversed):
        return Line(
            kind=LineKind.REVERSAL,
            counterpart_id=event.counterpart_org_id,
            category=event.category.value if event.category else None,
            recipients=event.recipients,
            reversed_entry_id=event.reversed_entry_id,
            reversed_kind=_undone(event.reversed_kind, event.balance_delta),
            reversed_date=event.reversed_date,
            reason=event.reason,
            **common,
        )
    return Line(kind=LineKind.OPENING_BALANCE, **common)


def _undone(kind: EntryKind, balance_delta: int) -> LineKind:
    """The kind of line a reversal undoes; its sign tells a transfer's side."""
    if kind is EntryKind.TRANSFER:
        return LineKind.TRANSFER_OUT if balance_delta > 0 else LineKind.TRANSFER_IN
    return LineKind(kind.value)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def _plain(value: object) -> str | None:
    if isinstance(value, enum.Enum):
        return str(value.value)
    return None if value is None else str(value)


# ---- stocks -----------------------------------------------------------------


def stock_change(line: Line) -> tuple[int, int]:
    """(money in, money out) of the line's fund; a reversal takes back its entry's."""
    amount = line.sign * line.amount
    return (amount, 0) if line.flow_kind in INFLOWS else (0, amount)


def stock_scopes(line: Line, tree: Tree) -> Iterator[tuple[UUID, str]]:
    """The rows a line's money adds to: its organisation, and every subtree it
    sits in today."""
    yield line.org_id, OWN
    for org_id in tree.current_ancestry(line.org_id):
        yield org_id, SUBTREE


# ---- flows ------------------------------------------------------------------

SUMMARY_FIELDS = (
    "raised",
    "disbursed",
    "scholarships",
    "awards",
    "other_disbursed",
    "recipients",
    "transfers_in",
    "transfers_out",
    *(f"raised_{level.value}" for level in Level),
)


def flow_rows(line: Line, tree: Tree) -> Iterator[tuple[UUID, str]]:
    """(organisation, scope) of each summary row the line counts in.

    A donation or disbursement counts for its organisation and every subtree
    it sat in on the date; a transfer or merge only for the subtrees that hold
    one side and not the other.
    """
    day = line.flow_date
    yield line.org_id, OWN
    chain = tree.ancestry_on(line.org_id, day)
    if line.flow_kind in CROSSING and line.counterpart_id is not None:
        other = set(tree.ancestry_on(line.counterpart_id, day))
        chain = [org_id for org_id in chain if org_id not in other]
    for org_id in chain:
        yield org_id, SUBTREE


def flow_values(line: Line, tree: Tree) -> dict[str, int]:
    """What one line adds to a summary row (before its sign)."""
    kind, amount = line.flow_kind, line.amount
    if kind is LineKind.DONATION:
        level = tree[line.org_id].level.value
        return {"raised": amount, f"raised_{level}": amount}
    if kind is LineKind.DISBURSEMENT:
        bucket = {"scholarship": "scholarships", "award": "awards"}
        return {
            "disbursed": amount,
            bucket.get(line.category or "", "other_disbursed"): amount,
            "recipients": line.recipients,
        }
    if kind in (LineKind.TRANSFER_IN, LineKind.MERGE_IN):
        return {"transfers_in": amount}
    if kind in (LineKind.TRANSFER_OUT, LineKind.MERGE_OUT):
        return {"transfers_out": amount}
    return {}


CAMPAIGN_FIELDS = ("raised", "disbursed", "recipients", "entries")
NOBODY = UUID(int=0)
"""The organisation of the campaign-wide row (scope ``all``)."""


def campaign_rows(line: Line, tree: Tree) -> Iterator[tuple[UUID, str]]:
    """(organisation, scope) of each campaign-totals row the line counts in."""
    yield NOBODY, ALL
    yield line.org_id, OWN
    for org_id in tree.ancestry_on(line.org_id, line.flow_date):
        yield org_id, SUBTREE


def campaign_values(line: Line) -> dict[str, int] | None:
    """What a line adds to its campaign's totals, or None if it counts in none.

    A transfer counts as one entry, on the sender's side.
    """
    if line.campaign_id is None:
        return None
    kind = line.flow_kind
    if kind is LineKind.DONATION:
        return {"raised": line.amount, "entries": 1}
    if kind is LineKind.DISBURSEMENT:
        return {"disbursed": line.amount, "recipients": line.recipients, "entries": 1}
    if kind is LineKind.TRANSFER_OUT:
        return {"entries": 1}
    return None
