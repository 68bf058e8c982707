"""Journal pages: an organisation's entries in log order, by cursor."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, and_, or_, select

from ledger.wording import says
from projections import errors
from projections.answers import JournalEntry, JournalPage
from projections.campaigns import CampaignsView
from projections.journal import JournalView, from_row
from projections.queries.base import QueryBase
from projections.runner import ReadModels

MAX_PAGE = 1_000


class JournalQueries(QueryBase):
    def __init__(self, read_models: ReadModels) -> None:
        super().__init__(read_models)
        self.journal_lines = read_models.view(JournalView).lines
        self.campaigns = read_models.view(CampaignsView).campaigns

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
            raise errors.InvalidQuery(says("query.limit", maximum=MAX_PAGE))
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

    def entry_by_voucher(self, code: str, voucher_no: str) -> JournalEntry | None:
        """The entry (not a reversal) of ``code`` with that voucher number, as
        ``journal`` gives it; None if there is none."""
        j = self.journal_lines.c
        with self.engine.connect() as conn:
            org_id = self._org_id(conn, code)
            found = conn.execute(
                select(j.entry_id)
                .where(
                    j.org_id == org_id,
                    j.voucher_no == voucher_no,
                    j.kind != "reversal",
                    j.entry_id.is_not(None),
                )
                .order_by(j.position)
                .limit(1)
            ).scalar()
        return None if found is None else self.entry(code, found)

    def entry(self, code: str, entry_id: UUID) -> JournalEntry | None:
        """The journal line of ``code`` for ``entry_id``, as ``journal`` gives
        it; None if ``code`` has none."""
        j = self.journal_lines.c
        with self.engine.connect() as conn:
            positions = list(
                conn.execute(
                    select(j.position)
                    .where(j.entry_id == entry_id)
                    .order_by(j.position)
                ).scalars()
            )
        for position in positions:
            # The first of code's lines from this position on (lines of
            # entries are line 0 of their event).
            page = self.journal(code, cursor=f"{position - 1}.999999999", limit=1)
            for line in page.entries:
                if line.entry_id == entry_id:
                    return line
        return None

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
        raise errors.InvalidQuery(says("query.cursor", cursor=cursor))
    return int(found[1]), int(found[2])
