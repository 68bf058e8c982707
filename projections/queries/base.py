"""What every group of questions shares: the read models' tables and lookups
of codes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from uuid import UUID

from sqlalchemy import Connection, select

from projections import errors
from projections.runner import ReadModels


class QueryBase:
    """The tables of ``read_models`` and lookups between codes and ids."""

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
