"""A naive model of the read models, recomputed from the event log.

``Oracle`` reads the stored events in log order and answers the questions of
``projections.queries.Queries`` the slow, obvious way, following
``docs/read-models.md``: it keeps every money movement as a *line*, every
organisation's periods under parents, and the latest membership report per
organisation and year, and recomputes each answer from scratch by walking
those lists. It shares no code with ``projections/`` (only the event classes
and vocabulary of ``ledger/``), so that a mistake in the read models is not
repeated here.

Where the docs are silent the oracle takes these readings (each is what the
read models do too):

- a move effective on the day the organisation's current period began
  replaces that period (the ledger allows no earlier date);
- a merged or dissolved organisation stays under its last parent for good:
  its balances roll up there, and its membership reports count in the
  subtree and the children's population "as it stood on 31 December" even
  when it closed before that day;
- ``children(code, on=day)`` lists only organisations registered by that day
  and not closed on or before it; ``ancestors(code, on=day)`` is empty before
  the organisation was registered;
- a population of 0 counts as no population (per-capita and ratio None).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from uuid import UUID

from eventsourcing.domain import Aggregate

from ledger.campaign import Campaign
from ledger.organisation import Organisation
from ledger.types import GENERAL_FUND, VIETNAM, Level

INFLOW_KINDS = frozenset({"opening_balance", "donation", "transfer_in", "merge_in"})
CROSSING_KINDS = frozenset({"transfer_in", "transfer_out", "merge_in", "merge_out"})

SUMMARY_KEYS = (
    "raised",
    "disbursed",
    "scholarships",
    "awards",
    "other",
    "recipients",
    "transfers_in",
    "transfers_out",
)

FundFigures = tuple[int, int, int]
"""(balance, money in, money out) of one fund."""


@dataclass(frozen=True)
class Line:
    """One movement of one fund of one organisation, as the docs define it."""

    position: int
    org: str
    kind: str
    fund: str
    amount: int
    delta: int
    business_date: date
    recorded_at: datetime
    """Aware, UTC."""
    entry_id: UUID | None
    voucher_no: str | None
    campaign: str | None
    counterpart: str | None
    category: str | None
    recipients: int
    reversed_kind: str | None = None
    reversed_date: date | None = None

    @property
    def flow_kind(self) -> str:
        return self.reversed_kind or self.kind

    @property
    def flow_date(self) -> date:
        return self.reversed_date or self.business_date

    @property
    def sign(self) -> int:
        return -1 if self.kind == "reversal" else 1


@dataclass
class Org:
    code: str
    name: str
    level: Level
    registered_on: date
    periods: list[tuple[date, str | None]]
    """(from, parent), oldest first."""
    status: str = "active"
    closed_on: date | None = None
    merged_into: str | None = None
    funds: set[str] = field(default_factory=lambda: {GENERAL_FUND})
    balances: dict[str, int] = field(default_factory=lambda: {GENERAL_FUND: 0})


@dataclass(frozen=True)
class CampaignFacts:
    code: str
    starts_on: date
    ends_on: date
    closed_on: date | None = None


def as_utc(moment: datetime) -> datetime:
    """An aware UTC moment; a naive one is Vietnamese time (as the docs say)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=VIETNAM)
    return moment.astimezone(UTC)


class Oracle:
    """Every read model's answers, recomputed from ``(position, event)`` pairs."""

    def __init__(self, events: Iterable[tuple[int, object]]) -> None:
        self.orgs: dict[str, Org] = {}
        self.codes: dict[UUID, str] = {}
        self.campaigns: dict[str, CampaignFacts] = {}
        self.campaign_codes: dict[UUID, str] = {}
        self.lines: list[Line] = []
        self.entries: dict[tuple[str, UUID], Line] = {}
        self.reversed_by: dict[tuple[str, UUID], UUID] = {}
        self.reports: dict[tuple[str, int], tuple[int, int | None]] = {}
        self.moves: list[date] = []
        self.timestamps: list[datetime] = []
        for position, event in events:
            self._apply(position, event)

    # ---- reading the log -----------------------------------------------------------

    def _apply(self, position: int, event: object) -> None:  # noqa: PLR0912
        if isinstance(event, Aggregate.Event):
            self.timestamps.append(as_utc(event.timestamp))
        if isinstance(event, Organisation.Registered):
            parent = self.codes[event.parent_id] if event.parent_id else None
            self.codes[event.originator_id] = event.code
            self.orgs[event.code] = Org(
                event.code,
                event.name,
                event.level,
                event.registered_on,
                [(event.registered_on, parent)],
            )
        elif isinstance(event, Organisation.Renamed):
            self._org(event).name = event.name
        elif isinstance(event, Organisation.Moved):
            org = self._org(event)
            new = (event.effective_on, self.codes[event.new_parent_id])
            last_start = org.periods[-1][0]
            assert event.effective_on >= last_start, "a move predates the last period"
            if event.effective_on == last_start:
                org.periods[-1] = new
            else:
                org.periods.append(new)
            self.moves.append(event.effective_on)
        elif isinstance(event, Organisation.MembershipReported):
            key = (self._org(event).code, event.year)
            self.reports[key] = (event.members, event.population)
        elif isinstance(event, Organisation.FundOpened):
            org = self._org(event)
            org.funds.add(event.fund)
            org.balances.setdefault(event.fund, 0)
        elif isinstance(event, Organisation.EntryReversed):
            self._reversal(position, event)
        elif isinstance(event, Organisation.Entry):
            self._entry(position, event)
        elif isinstance(event, Organisation.Merged):
            org = self._org(event)
            held = {fund: amount for fund, amount in org.balances.items() if amount}
            assert held == {f: a for f, a in event.balances.items() if a}, (
                "a merge moved other balances than the organisation held"
            )
            org.status, org.closed_on = "merged", event.effective_on
            org.merged_into = self.codes[event.into_id]
            self._merge_lines(position, event, "merge_out", org.merged_into)
        elif isinstance(event, Organisation.Absorbed):
            org = self._org(event)
            org.funds.update(event.funds)
            for fund in event.funds:
                org.balances.setdefault(fund, 0)
            self._merge_lines(position, event, "merge_in", self.codes[event.source_id])
        elif isinstance(event, Organisation.Dissolved):
            org = self._org(event)
            org.status, org.closed_on = "dissolved", event.effective_on
        elif isinstance(event, Campaign.Launched):
            self.campaign_codes[event.originator_id] = event.code
            self.campaigns[event.code] = CampaignFacts(
                event.code, event.starts_on, event.ends_on
            )
        elif isinstance(event, Campaign.Closed):
            code = self.campaign_codes[event.originator_id]
            facts = self.campaigns[code]
            self.campaigns[code] = CampaignFacts(
                code, facts.starts_on, facts.ends_on, event.closed_on
            )

    def _org(self, event: Aggregate.Event) -> Org:
        return self.orgs[self.codes[event.originator_id]]

    def _add(self, line: Line) -> None:
        org = self.orgs[line.org]
        org.balances[line.fund] = org.balances.get(line.fund, 0) + line.delta
        assert org.balances[line.fund] >= 0, f"{line.org} {line.fund} below zero"
        self.lines.append(line)

    def _entry(self, position: int, event: Organisation.Entry) -> None:
        org = self._org(event)
        kind, delta, counterpart, category, recipients = (
            "opening_balance",
            1,
            None,
            None,
            0,
        )
        if isinstance(event, Organisation.DonationReceived):
            kind = "donation"
        elif isinstance(event, Organisation.DisbursementPaid):
            kind, delta = "disbursement", -1
            category, recipients = event.category.value, event.recipients
        elif isinstance(event, Organisation.TransferSent):
            kind, delta, counterpart = "transfer_out", -1, self.codes[event.to_org_id]
        elif isinstance(event, Organisation.TransferReceived):
            kind, counterpart = "transfer_in", self.codes[event.from_org_id]
        line = Line(
            position=position,
            org=org.code,
            kind=kind,
            fund=event.fund,
            amount=event.amount,
            delta=delta * event.amount,
            business_date=event.business_date,
            recorded_at=as_utc(event.timestamp),
            entry_id=event.entry_id,
            voucher_no=event.voucher_no,
            campaign=self._campaign(event.campaign_id),
            counterpart=counterpart,
            category=category,
            recipients=recipients,
        )
        self.entries[(org.code, event.entry_id)] = line
        self._add(line)

    def _reversal(self, position: int, event: Organisation.EntryReversed) -> None:
        org = self._org(event)
        original = self.entries[(org.code, event.reversed_entry_id)]
        assert (org.code, event.reversed_entry_id) not in self.reversed_by
        assert event.balance_delta == -original.delta
        assert (event.fund, event.amount) == (original.fund, original.amount)
        assert event.reversed_date == original.business_date
        self.reversed_by[(org.code, event.reversed_entry_id)] = event.entry_id
        self._add(
            Line(
                position=position,
                org=org.code,
                kind="reversal",
                fund=original.fund,
                amount=original.amount,
                delta=-original.delta,
                business_date=event.business_date,
                recorded_at=as_utc(event.timestamp),
                entry_id=event.entry_id,
                voucher_no=original.voucher_no,
                campaign=original.campaign,
                counterpart=original.counterpart,
                category=original.category,
                recipients=original.recipients,
                reversed_kind=original.kind,
                reversed_date=original.business_date,
            )
        )

    def _merge_lines(
        self,
        position: int,
        event: Organisation.Merged | Organisation.Absorbed,
        kind: str,
        counterpart: str,
    ) -> None:
        org = self._org(event)
        sign = 1 if kind in INFLOW_KINDS else -1
        for fund, amount in sorted(event.balances.items()):
            if amount:
                self._add(
                    Line(
                        position=position,
                        org=org.code,
                        kind=kind,
                        fund=fund,
                        amount=amount,
                        delta=sign * amount,
                        business_date=event.effective_on,
                        recorded_at=as_utc(event.timestamp),
                        entry_id=None,
                        voucher_no=None,
                        campaign=None,
                        counterpart=counterpart,
                        category=None,
                        recipients=0,
                    )
                )

    def _campaign(self, campaign_id: UUID | None) -> str | None:
        return None if campaign_id is None else self.campaign_codes[campaign_id]

    # ---- the hierarchy -------------------------------------------------------------

    def parent_on(self, code: str, day: date) -> tuple[bool, str | None]:
        """(whether ``code`` existed on ``day``, its parent then)."""
        found: tuple[bool, str | None] = (False, None)
        for start, parent in self.orgs[code].periods:
            if start <= day:
                found = (True, parent)
        return found

    def ancestors_on(self, code: str, day: date) -> list[str]:
        above: list[str] = []
        existed, parent = self.parent_on(code, day)
        if not existed:
            return above
        while parent is not None:
            above.append(parent)
            existed, parent = self.parent_on(parent, day)
            assert existed, f"{above[-1]} is an ancestor on {day} before it existed"
        return above

    def chain_on(self, code: str, day: date) -> list[str]:
        """``code`` and its ancestors on ``day`` (on which it must have existed)."""
        assert self.parent_on(code, day)[0], f"{code} did not exist on {day}"
        return [code, *self.ancestors_on(code, day)]

    def parent(self, code: str) -> str | None:
        return self.orgs[code].periods[-1][1]

    def ancestors(self, code: str) -> list[str]:
        above: list[str] = []
        parent = self.parent(code)
        while parent is not None:
            above.append(parent)
            parent = self.parent(parent)
        return above

    def subtree(self, code: str) -> set[str]:
        """``code`` and everything below it today (closed organisations included)."""
        return {z for z in self.orgs if z == code or code in self.ancestors(z)}

    def children(self, code: str, on: date | None = None) -> list[str]:
        if on is None:
            return sorted(
                z
                for z, org in self.orgs.items()
                if self.parent(z) == code and org.status == "active"
            )
        found = []
        for z, org in self.orgs.items():
            existed, parent = self.parent_on(z, on)
            open_then = org.closed_on is None or org.closed_on > on
            if existed and parent == code and org.registered_on <= on and open_then:
                found.append(z)
        return sorted(found)

    def history(self, code: str) -> list[tuple[str | None, date, date | None]]:
        periods = self.orgs[code].periods
        ends: list[date | None] = [start for start, _ in periods[1:]]
        ends.append(None)
        return [
            (parent, start, end)
            for (start, parent), end in zip(periods, ends, strict=True)
        ]

    # ---- balances --------------------------------------------------------------

    def balance(
        self,
        code: str,
        *,
        subtree: bool,
        as_of: date | None = None,
        known_at: datetime | None = None,
    ) -> dict[str, FundFigures]:
        members = self.subtree(code) if subtree else {code}
        funds: set[str] = set()
        for member in members:
            funds |= self.orgs[member].funds
        sums = {fund: [0, 0] for fund in funds}
        moment = None if known_at is None else as_utc(known_at)
        for line in self.lines:
            if line.org not in members:
                continue
            if as_of is not None and line.business_date > as_of:
                continue
            if moment is not None and line.recorded_at > moment:
                continue
            column = 0 if line.flow_kind in INFLOW_KINDS else 1
            sums[line.fund][column] += line.sign * line.amount
        return {
            fund: (money_in - money_out, money_in, money_out)
            for fund, (money_in, money_out) in sums.items()
        }

    # ---- yearly summary ----------------------------------------------------------

    def flow_holders(self, line: Line) -> list[str]:
        """The organisations whose subtree a line's flow counts for."""
        chain = self.chain_on(line.org, line.flow_date)
        if line.flow_kind in CROSSING_KINDS:
            assert line.counterpart is not None
            other = set(self.chain_on(line.counterpart, line.flow_date))
            chain = [z for z in chain if z not in other]
        return chain

    def flows(self, code: str, year: int, *, subtree: bool) -> dict[str, int]:
        totals = dict.fromkeys(SUMMARY_KEYS, 0)
        by_level = {level.value: 0 for level in Level}
        for line in self.lines:
            if line.flow_date.year != year:
                continue
            if subtree:
                if code not in self.flow_holders(line):
                    continue
            elif line.org != code:
                continue
            amount = line.sign * line.amount
            kind = line.flow_kind
            if kind == "donation":
                totals["raised"] += amount
                by_level[self.orgs[line.org].level.value] += amount
            elif kind == "disbursement":
                totals["disbursed"] += amount
                bucket = {"scholarship": "scholarships", "award": "awards"}
                totals[bucket.get(line.category or "", "other")] += amount
                totals["recipients"] += line.sign * line.recipients
            elif kind in ("transfer_in", "merge_in"):
                totals["transfers_in"] += amount
            elif kind in ("transfer_out", "merge_out"):
                totals["transfers_out"] += amount
        return totals | {f"raised_{level}": v for level, v in by_level.items()}

    def year_tree(self, year: int) -> dict[str, str | None]:
        """Each organisation that existed on 31 December, and its parent then."""
        end = date(year, 12, 31)
        tree = {}
        for code in self.orgs:
            existed, parent = self.parent_on(code, end)
            if existed:
                tree[code] = parent
        return tree

    def population(self, code: str, year: int) -> int:
        report = self.reports.get((code, year))
        if report is not None and report[1] is not None:
            return report[1]
        tree = self.year_tree(year)
        return sum(
            self.population(child, year)
            for child, parent in tree.items()
            if parent == code
        )

    def members(self, code: str, year: int, *, subtree: bool) -> int:
        if not subtree:
            return self.reports.get((code, year), (0, None))[0]
        end = date(year, 12, 31)
        return sum(
            self.reports.get((z, year), (0, None))[0]
            for z in self.year_tree(year)
            if code in self.chain_on(z, end)
        )

    def summary(self, code: str, year: int, *, subtree: bool) -> dict[str, object]:
        flows = self.flows(code, year, subtree=subtree)
        members = self.members(code, year, subtree=subtree)
        population = self.population(code, year) or None
        raised = flows["raised"]
        per_capita = ratio = None
        if population:
            assert raised >= 0
            per_capita = (2 * raised + population) // (2 * population)  # half up
            ratio = round(members / population, 6)
        return {
            **{key: flows[key] for key in SUMMARY_KEYS},
            "members": members,
            "population": population,
            "per_capita": per_capita,
            "member_ratio": ratio,
            "raised_by_level": {
                level.value: flows[f"raised_{level.value}"] for level in Level
            },
        }

    # ---- campaign totals -------------------------------------------------------

    def campaign_totals(
        self, campaign: str, org: str | None = None, *, subtree: bool = True
    ) -> tuple[int, int, int, int]:
        """(raised, disbursed, recipients, entries)."""
        raised = disbursed = recipients = entries = 0
        for line in self.lines:
            if line.campaign != campaign:
                continue
            if org is not None:
                holders = (
                    self.chain_on(line.org, line.flow_date) if subtree else [line.org]
                )
                if org not in holders:
                    continue
            kind = line.flow_kind
            if kind == "donation":
                raised += line.sign * line.amount
            elif kind == "disbursement":
                disbursed += line.sign * line.amount
                recipients += line.sign * line.recipients
            elif kind != "transfer_out":
                continue
            entries += line.sign
        return raised, disbursed, recipients, entries

    # ---- journal ---------------------------------------------------------------

    def journal(self, code: str) -> Iterator[Line]:
        return (line for line in self.lines if line.org == code)
