"""The read side's Python API: the questions the HTTP layer and the CLI ask.

Every answer comes from the read models' tables, never from the event log or
aggregates. A subtree question reads the roll-up rows kept for that subtree,
so it costs the same for a commune as for a province: a balance or summary
is one or two rows, a balance ``as_of`` a date sums about one row per day of
activity. The exception is ``known_at``: the entries recorded later on the
same day as the moment are read to take them off, over today's subtree
(found with a recursive query) — a cost that grows with the subtree, paid
only by point-in-time questions of auditors.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, and_, func, or_, select

from ledger.types import GENERAL_FUND, VIETNAM, Level, Status
from projections import errors
from projections.answers import (
    Balance,
    CampaignInfo,
    CampaignTotals,
    FundBalance,
    JournalEntry,
    JournalPage,
    OrganisationInfo,
    Period,
    YearSummary,
    per_capita,
    ratio,
)
from projections.journal import from_row
from projections.movements import ALL, NOBODY, OWN, SUBTREE, stock_change
from projections.runner import ReadModels
from projections.summary import MEMBERSHIP_FIELDS, Membership

MAX_PAGE = 1_000


class Queries:
    """Questions answered from the read models of ``read_models``."""

    def __init__(self, read_models: ReadModels) -> None:
        self.read_models = read_models
        self.engine = read_models.engine
        self.orgs = read_models.hierarchy.organisations
        self.parentage = read_models.hierarchy.parentage
        self.journal_lines = read_models.journal.lines
        self.balances = read_models.balances.totals.table
        self.balance_days = read_models.balances.days.table
        self.summaries = read_models.summary.flows.table
        self.membership = read_models.summary.membership
        self.campaigns = read_models.campaigns.campaigns
        self.campaign_sums = read_models.campaigns.totals.table

    # ---- balances ---------------------------------------------------------------

    def balance(
        self,
        code: str,
        *,
        fund: str | None = None,
        subtree: bool = False,
        as_of: date | None = None,
        known_at: datetime | None = None,
    ) -> Balance:
        """Balances per fund of an organisation (or its subtree, today's).

        ``as_of`` counts entries dated up to that business date; ``known_at``
        counts what had been recorded by that moment (a naive datetime is
        Vietnamese time).
        """
        scope = SUBTREE if subtree else OWN
        with self.engine.connect() as conn:
            org_id = self._org_id(conn, code)
            b = self.balances.c
            where = [b.org_id == org_id, b.scope == scope]
            if fund is not None:
                where.append(b.fund == fund)
            now = {
                row.fund: (row.total_in, row.total_out)
                for row in conn.execute(select(self.balances).where(*where))
            }
            if fund is not None and fund not in now:
                raise errors.UnknownFund(f"{code} has no fund {fund!r}", fund=fund)
            if as_of is None and known_at is None:
                sums = now
            else:
                sums = self._balance_then(conn, org_id, scope, fund, as_of, known_at)
        funds = tuple(
            FundBalance(name, money_in - money_out, money_in, money_out)
            for name in sorted(now)
            for money_in, money_out in [sums.get(name, (0, 0))]
            # A subtree lists general and the funds with money in or out in
            # the answer: a zeroed row where a moved-away subtree's fund was
            # is not one of its funds.
            if not subtree
            or fund is not None
            or name == GENERAL_FUND
            or money_in
            or money_out
        )
        return Balance(code, subtree, as_of, known_at, funds)

    def _balance_then(
        self,
        conn: Connection,
        org_id: UUID,
        scope: str,
        fund: str | None,
        as_of: date | None,
        known_at: datetime | None,
    ) -> dict[str, tuple[int, int]]:
        d = self.balance_days.c
        where = [d.org_id == org_id, d.scope == scope]
        if fund is not None:
            where.append(d.fund == fund)
        if as_of is not None:
            where.append(d.business_date <= as_of)
        moment = _as_stored(known_at) if known_at is not None else None
        if moment is not None:
            where.append(d.recorded_on <= _vietnam_day(moment))
        sums = {
            row.fund: [row.money_in, row.money_out]
            for row in conn.execute(
                select(
                    d.fund,
                    func.sum(d.total_in).label("money_in"),
                    func.sum(d.total_out).label("money_out"),
                )
                .where(*where)
                .group_by(d.fund)
            )
        }
        if moment is not None:
            # The rows of known_at's own day include entries recorded later
            # that day: take those off.
            for line in self._recorded_after(conn, org_id, scope, moment, as_of):
                if fund is None or line.fund == fund:
                    money_in, money_out = stock_change(line)
                    fund_sums = sums.setdefault(line.fund, [0, 0])
                    fund_sums[0] -= money_in
                    fund_sums[1] -= money_out
        return {name: (values[0], values[1]) for name, values in sums.items()}

    def _recorded_after(
        self,
        conn: Connection,
        org_id: UUID,
        scope: str,
        moment: datetime,
        as_of: date | None,
    ) -> Iterable[Any]:
        j = self.journal_lines.c
        if scope == OWN:
            members: Any = [org_id]
        else:
            o = self.orgs.c
            tree = select(o.org_id).where(o.org_id == org_id).cte(recursive=True)
            tree = tree.union_all(select(o.org_id).where(o.parent_id == tree.c.org_id))
            members = select(tree.c.org_id)
        where = [
            j.recorded_on == _vietnam_day(moment),
            j.recorded_at > moment,
            j.org_id.in_(members),
        ]
        if as_of is not None:
            where.append(j.business_date <= as_of)
        rows = conn.execute(select(self.journal_lines).where(*where)).mappings()
        return [from_row(row) for row in rows]

    # ---- yearly summary ---------------------------------------------------------

    def summary(self, code: str, year: int, *, subtree: bool = False) -> YearSummary:
        """The year's figures of an organisation, or of its subtree."""
        if not 1900 <= year <= 9999:
            raise errors.InvalidQuery(f"year must be between 1900 and 9999, not {year}")
        scope = SUBTREE if subtree else OWN
        with self.engine.connect() as conn:
            org_id = self._org_id(conn, code)
            s = self.summaries.c
            flows = (
                conn.execute(
                    select(self.summaries).where(
                        s.org_id == org_id, s.year == year, s.scope == scope
                    )
                )
                .mappings()
                .first()
            )
            m = self.membership.c
            found = conn.execute(
                select(*(m[name] for name in MEMBERSHIP_FIELDS)).where(
                    m.org_id == org_id, m.year == year
                )
            ).first()
        values: dict[str, int] = dict(flows) if flows else {}
        membership = Membership(*found) if found else Membership()
        members = membership.subtree_members if subtree else membership.members
        population = membership.effective_population or None
        raised = values.get("raised", 0)
        return YearSummary(
            organisation=code,
            year=year,
            subtree=subtree,
            raised_vnd=raised,
            disbursed_vnd=values.get("disbursed", 0),
            scholarships_vnd=values.get("scholarships", 0),
            awards_vnd=values.get("awards", 0),
            other_disbursed_vnd=values.get("other_disbursed", 0),
            recipients=values.get("recipients", 0),
            transfers_in_vnd=values.get("transfers_in", 0),
            transfers_out_vnd=values.get("transfers_out", 0),
            members=members,
            population=population,
            per_capita_vnd=per_capita(raised, population),
            member_ratio=ratio(members, population),
            raised_by_level={
                level.value: values.get(f"raised_{level.value}", 0) for level in Level
            },
        )

    # ---- campaigns --------------------------------------------------------------

    def campaign(self, code: str) -> CampaignInfo:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(self.campaigns).where(self.campaigns.c.code == code)
            ).first()
            if row is None:
                raise errors.UnknownCampaign(f"no campaign {code!r}", campaign=code)
            organiser = self._codes(conn, [row.organiser_id])[row.organiser_id]
        return CampaignInfo(
            code=row.code,
            name=row.name,
            kind=row.kind,
            edition=row.edition,
            organiser=organiser,
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            target_vnd=row.target_vnd,
            closed_on=row.closed_on,
        )

    def campaign_totals(
        self, code: str, *, org: str | None = None, subtree: bool = True
    ) -> CampaignTotals:
        """A campaign's totals: campaign-wide, or of one organisation's subtree
        (as it stood on each entry's date) or of the organisation alone."""
        with self.engine.connect() as conn:
            campaign_id = conn.execute(
                select(self.campaigns.c.campaign_id).where(
                    self.campaigns.c.code == code
                )
            ).scalar()
            if campaign_id is None:
                raise errors.UnknownCampaign(f"no campaign {code!r}", campaign=code)
            if org is None:
                org_id, scope = NOBODY, ALL
            else:
                org_id, scope = self._org_id(conn, org), SUBTREE if subtree else OWN
            t = self.campaign_sums.c
            row = (
                conn.execute(
                    select(self.campaign_sums).where(
                        t.campaign_id == campaign_id,
                        t.org_id == org_id,
                        t.scope == scope,
                    )
                )
                .mappings()
                .first()
            )
        values: dict[str, int] = dict(row) if row else {}
        return CampaignTotals(
            campaign=code,
            organisation=org,
            subtree=subtree and org is not None,
            raised_vnd=values.get("raised", 0),
            disbursed_vnd=values.get("disbursed", 0),
            recipients=values.get("recipients", 0),
            entries=values.get("entries", 0),
        )

    # ---- journal ----------------------------------------------------------------

    def journal(
        self,
        code: str,
        *,
        date_from: date | None = None,
        date_to: date | None = None,
        cursor: str | None = None,
        limit: int = 100,
    ) -> JournalPage:
        """An organisation's entries in log order, a page at a time."""
        if not 1 <= limit <= MAX_PAGE:
            raise errors.InvalidQuery(f"limit must be between 1 and {MAX_PAGE}")
        after = _parse_cursor(cursor)
        j = self.journal_lines.c
        with self.engine.connect() as conn:
            org_id = self._org_id(conn, code)
            where: list[Any] = [j.org_id == org_id]
            if date_from is not None:
                where.append(j.business_date >= date_from)
            if date_to is not None:
                where.append(j.business_date <= date_to)
            if after is not None:
                position, line_no = after
                where.append(
                    or_(
                        j.position > position,
                        and_(j.position == position, j.line_no > line_no),
                    )
                )
            rows = list(
                conn.execute(
                    select(self.journal_lines)
                    .where(*where)
                    .order_by(j.position, j.line_no)
                    .limit(limit + 1)
                ).mappings()
            )
            page = rows[:limit]
            org_codes = self._codes(
                conn, {r["org_id"] for r in page} | {r["counterpart_id"] for r in page}
            )
            campaign_codes = self._campaign_codes(
                conn, {r["campaign_id"] for r in page}
            )
        entries = tuple(_entry(row, org_codes, campaign_codes) for row in page)
        next_cursor = None
        if len(rows) > limit:
            next_cursor = f"{page[-1]['position']}.{page[-1]['line_no']}"
        return JournalPage(entries, next_cursor)

    # ---- hierarchy --------------------------------------------------------------

    def organisation(self, code: str) -> OrganisationInfo:
        with self.engine.connect() as conn:
            org_id = self._org_id(conn, code)
            row = conn.execute(
                select(self.orgs).where(self.orgs.c.org_id == org_id)
            ).one()
            o = self.orgs.c
            children = conn.execute(
                select(func.count()).where(
                    o.parent_id == org_id, o.status == Status.ACTIVE.value
                )
            ).scalar_one()
            codes = self._codes(conn, [row.parent_id, row.merged_into_id])
        return OrganisationInfo(
            code=row.code,
            name=row.name,
            level=row.level,
            parent=codes.get(row.parent_id),
            registered_on=row.registered_on,
            status=row.status,
            closed_on=row.closed_on,
            merged_into=codes.get(row.merged_into_id),
            children=children,
        )

    def children(self, code: str, *, on: date | None = None) -> list[OrganisationInfo]:
        """Organisations directly under ``code``: active ones today, or those
        that were under it on ``on``."""
        with self.engine.connect() as conn:
            org_id = self._org_id(conn, code)
            o, p = self.orgs.c, self.parentage.c
            if on is None:
                query = select(o.code).where(
                    o.parent_id == org_id, o.status == Status.ACTIVE.value
                )
            else:
                query = (
                    select(o.code)
                    .join(self.parentage, p.org_id == o.org_id)
                    .where(
                        p.parent_id == org_id,
                        p.valid_from <= on,
                        or_(p.valid_to.is_(None), p.valid_to > on),
                        o.registered_on <= on,
                        or_(o.closed_on.is_(None), o.closed_on > on),
                    )
                )
            codes = sorted(conn.execute(query).scalars())
        return [self.organisation(child) for child in codes]

    def ancestors(self, code: str, *, on: date | None = None) -> list[str]:
        """The codes above ``code``, nearest first: today, or on ``on``."""
        found: list[str] = []
        with self.engine.connect() as conn:
            org_id: UUID | None = self._org_id(conn, code)
            while org_id is not None:
                org_id = self._parent_id(conn, org_id, on)
                if org_id is not None:
                    found.append(self._codes(conn, [org_id])[org_id])
        return found

    def parent(self, code: str, *, on: date | None = None) -> str | None:
        above = self.ancestors(code, on=on)
        return above[0] if above else None

    def history(self, code: str) -> list[Period]:
        """Every period of ``code`` under a parent, oldest first."""
        with self.engine.connect() as conn:
            org_id = self._org_id(conn, code)
            p = self.parentage.c
            rows = list(
                conn.execute(
                    select(self.parentage)
                    .where(p.org_id == org_id)
                    .order_by(p.valid_from)
                )
            )
            codes = self._codes(conn, [row.parent_id for row in rows])
        return [Period(codes.get(r.parent_id), r.valid_from, r.valid_to) for r in rows]

    # ---- lookups ----------------------------------------------------------------

    def _org_id(self, conn: Connection, code: str) -> UUID:
        org_id: UUID | None = conn.execute(
            select(self.orgs.c.org_id).where(self.orgs.c.code == code)
        ).scalar()
        if org_id is None:
            raise errors.UnknownOrganisation(f"no organisation {code!r}", org=code)
        return org_id

    def _parent_id(
        self, conn: Connection, org_id: UUID, on: date | None
    ) -> UUID | None:
        if on is None:
            parent: UUID | None = conn.execute(
                select(self.orgs.c.parent_id).where(self.orgs.c.org_id == org_id)
            ).scalar()
            return parent
        p = self.parentage.c
        return conn.execute(
            select(p.parent_id)
            .where(p.org_id == org_id, p.valid_from <= on)
            .order_by(p.valid_from.desc())
            .limit(1)
        ).scalar()

    def _codes(
        self, conn: Connection, ids: Iterable[UUID | None]
    ) -> dict[UUID | None, str]:
        wanted = [i for i in set(ids) if i is not None]
        if not wanted:
            return {}
        o = self.orgs.c
        rows = conn.execute(select(o.org_id, o.code).where(o.org_id.in_(wanted)))
        return {row.org_id: row.code for row in rows}

    def _campaign_codes(
        self, conn: Connection, ids: Iterable[UUID | None]
    ) -> dict[UUID | None, str]:
        wanted = [i for i in set(ids) if i is not None]
        if not wanted:
            return {}
        c = self.campaigns.c
        rows = conn.execute(
            select(c.campaign_id, c.code).where(c.campaign_id.in_(wanted))
        )
        return {row.campaign_id: row.code for row in rows}


def _entry(
    row: Any, org_codes: dict[UUID | None, str], campaign_codes: dict[UUID | None, str]
) -> JournalEntry:
    line = from_row(row)
    return JournalEntry(
        position=line.position,
        line_no=line.line_no,
        organisation=org_codes[line.org_id],
        kind=line.kind.value,
        entry_id=line.entry_id,
        voucher_no=line.voucher_no,
        fund=line.fund,
        amount_vnd=line.amount,
        balance_change_vnd=line.delta,
        business_date=line.business_date,
        recorded_at=line.recorded_at.replace(tzinfo=UTC),
        recorded_by=line.recorded_by,
        campaign=campaign_codes.get(line.campaign_id),
        counterparty=line.counterparty,
        counterpart=org_codes.get(line.counterpart_id),
        category=line.category,
        recipients=line.recipients,
        details={k: v for k, v in line.details.items() if v is not None},
        note=line.note,
        reversed_entry_id=line.reversed_entry_id,
        reason=line.reason,
        reversed_by=row["reversed_by"],
    )


CURSOR = re.compile(r"(\d{1,18})\.(\d{1,9})")


def _parse_cursor(cursor: str | None) -> tuple[int, int] | None:
    if cursor is None:
        return None
    found = CURSOR.fullmatch(cursor)
    if found is None:
        raise errors.InvalidQuery(f"not a journal cursor: {cursor!r}")
    return int(found[1]), int(found[2])


def _as_stored(moment: datetime) -> datetime:
    """A moment as stored: UTC without tzinfo; a naive one is Vietnamese time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=VIETNAM)
    try:
        stored = moment.astimezone(UTC).replace(tzinfo=None)
        _vietnam_day(stored)
    except OverflowError:
        raise errors.InvalidQuery(f"known_at {moment} is out of range") from None
    return stored


def _vietnam_day(utc_moment: datetime) -> date:
    return utc_moment.replace(tzinfo=UTC).astimezone(VIETNAM).date()
