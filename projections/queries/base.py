"""What every group of questions shares: the read models, and lookups of
codes in the hierarchy read model.

A group of questions takes the tables it reads from the views of
``read_models`` (``read_models.view(SomeView)``) in its own ``__init__``;
nothing here lists another read model's tables."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from uuid import UUID

from sqlalchemy import Connection, select

from ledger.wording import says
from projections import errors
from projections.hierarchy import HierarchyView
from projections.runner import ReadModels


class QueryBase:
    """``read_models``, and lookups between codes and ids."""

    def __init__(self, read_models: ReadModels) -> None:
        self.read_models = read_models
        self.engine = read_models.engine
        hierarchy = read_models.view(HierarchyView)
        self.orgs = hierarchy.organisations
        self.parentage = hierarchy.parentage

    def _org_id(self, conn: Connection, code: str) -> UUID:
        org_id: UUID | None = conn.execute(
            select(self.orgs.c.org_id).where(self.orgs.c.code == code)
        ).scalar()
        if org_id is None:
            raise errors.UnknownOrganisation(
                says("organisation.unknown", org=code), org=code
            )
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

    def org_codes(self, ids: Iterable[UUID | None]) -> dict[UUID | None, str]:
        """Organisation id → code, for the ids known."""
        with self.engine.connect() as conn:
            return self._codes(conn, ids)

    def _codes(
        self, conn: Connection, ids: Iterable[UUID | None]
    ) -> dict[UUID | None, str]:
        wanted = [i for i in set(ids) if i is not None]
        if not wanted:
            return {}
        o = self.orgs.c
        rows = conn.execute(select(o.org_id, o.code).where(o.org_id.in_(wanted)))
        return {row.org_id: row.code for row in rows}
