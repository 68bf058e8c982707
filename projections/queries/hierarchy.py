"""The hierarchy: an organisation, its children, its ancestors, its history —
today, or on a date."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy import func, or_, select

from ledger.types import Status
from projections.answers import OrganisationInfo, Period
from projections.queries.base import QueryBase

MAX_ROOTS = 200


class HierarchyQueries(QueryBase):
    def roots(self) -> list[OrganisationInfo]:
        """Active organisations without a parent today (a province, the
        centre), by code; at most ``MAX_ROOTS``."""
        o = self.orgs.c
        with self.engine.connect() as conn:
            codes = list(
                conn.execute(
                    select(o.code)
                    .where(o.parent_id.is_(None), o.status == Status.ACTIVE.value)
                    .order_by(o.code)
                    .limit(MAX_ROOTS)
                ).scalars()
            )
        return [self.organisation(code) for code in codes]

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
