"""What every export looks up: codes, today's hierarchy, and the journal's lines.

Read from the read models' tables only (the hierarchy's ``rm_organisations``,
the campaigns' ``rm_campaigns``, the journal's ``rm_journal``), after they
have caught up with the log. The directory holds one small record per
organisation and campaign; the journal's lines stream from the database in
log order and are never all in memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import select

from ledger import errors
from ledger.wording import says
from projections import ReadModels
from projections.journal import from_row
from projections.movements import Line

STREAM_ROWS = 1_000


@dataclass(frozen=True, slots=True)
class Selection:
    """What an export covers: an organisation's subtree (None: everything)
    and business dates from ``date_from`` to ``date_to`` (inclusive)."""

    org: str | None = None
    date_from: date | None = None
    date_to: date | None = None

    def covers_date(self, day: date) -> bool:
        return (self.date_from is None or day >= self.date_from) and (
            self.date_to is None or day <= self.date_to
        )


class Directory:
    """Organisations' codes and parents (today's hierarchy), campaigns' codes."""

    def __init__(self, read_models: ReadModels) -> None:
        orgs = read_models.hierarchy.organisations
        campaigns = read_models.campaigns.campaigns
        with read_models.engine.connect() as conn:
            rows = conn.execute(
                select(orgs.c.org_id, orgs.c.code, orgs.c.parent_id)
            ).all()
            self.campaign_codes: dict[UUID, str] = dict(
                conn.execute(select(campaigns.c.campaign_id, campaigns.c.code))
                .tuples()
                .all()
            )
        self.codes: dict[UUID, str] = {row.org_id: row.code for row in rows}
        self.parents: dict[UUID, UUID | None] = {
            row.org_id: row.parent_id for row in rows
        }
        self.ids: dict[str, UUID] = {code: i for i, code in self.codes.items()}

    def org_ids(self, code: str | None) -> set[UUID] | None:
        """The organisation ``code`` and everything under it today (None: all)."""
        if code is None:
            return None
        if code not in self.ids:
            raise errors.UnknownOrganisation(
                says("organisation.unknown", org=code), org=code
            )
        children: dict[UUID, list[UUID]] = {}
        for org_id, parent_id in self.parents.items():
            if parent_id is not None:
                children.setdefault(parent_id, []).append(org_id)
        found, stack = set(), [self.ids[code]]
        while stack:
            org_id = stack.pop()
            found.add(org_id)
            stack.extend(children.get(org_id, ()))
        return found

    def path(self, org_id: UUID) -> list[str]:
        """The codes from the root of today's hierarchy down to ``org_id``."""
        codes: list[str] = []
        current: UUID | None = org_id
        while current is not None:
            codes.append(self.codes[current])
            current = self.parents.get(current)
        return codes[::-1]

    def code(self, org_id: UUID | None) -> str | None:
        return None if org_id is None else self.codes.get(org_id)

    def campaign(self, campaign_id: UUID | None) -> str | None:
        return None if campaign_id is None else self.campaign_codes.get(campaign_id)


def journal_lines(
    read_models: ReadModels, selection: Selection
) -> Iterator[tuple[Line, UUID | None]]:
    """Every journal line in log order, with the id of the entry reversing it;
    only the date filter is applied here (both sides of a transfer share it)."""
    lines = read_models.journal.lines
    c = lines.c
    query = select(lines).order_by(c.position, c.line_no)
    if selection.date_from is not None:
        query = query.where(c.business_date >= selection.date_from)
    if selection.date_to is not None:
        query = query.where(c.business_date <= selection.date_to)
    with read_models.engine.connect() as conn:
        result = conn.execution_options(
            stream_results=True, yield_per=STREAM_ROWS
        ).execute(query)
        for row in result.mappings():
            yield from_row(row), row["reversed_by"]
