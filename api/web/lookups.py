"""Three look-ups the pages need that ``projections.Queries`` does not offer yet:
the organisations at the top of the tree, the campaigns that concern an
organisation, and where in the journal an entry is.

Each reads the read models' own tables (never the event log) through the
``Queries`` object, and hands over to its public questions for the answer
itself (``organisation``, ``campaign``, ``journal``), so what a page shows is
what the API answers. They belong in ``projections/queries/``; until they
move there, they live beside the only code that uses them.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select, union

from ledger.types import Status
from projections import Queries
from projections.answers import CampaignInfo, JournalEntry, OrganisationInfo
from projections.movements import SUBTREE

MAX_ROOTS = 200


def roots(queries: Queries) -> list[OrganisationInfo]:
    """Active organisations without a parent today (a province, the centre)."""
    o = queries.orgs.c
    with queries.engine.connect() as conn:
        codes = list(
            conn.execute(
                select(o.code)
                .where(o.parent_id.is_(None), o.status == Status.ACTIVE.value)
                .order_by(o.code)
                .limit(MAX_ROOTS)
            ).scalars()
        )
    return [queries.organisation(code) for code in codes]


def campaigns_of(queries: Queries, code: str, above: list[str]) -> list[CampaignInfo]:
    """Campaigns with entries in ``code``'s subtree, or organised by it or by an
    organisation ``above`` it; the latest first."""
    o, c, t = queries.orgs.c, queries.campaigns.c, queries.campaign_sums.c
    with_entries = (
        select(t.campaign_id)
        .join(queries.orgs, o.org_id == t.org_id)
        .where(o.code == code, t.scope == SUBTREE)
    )
    organised = (
        select(c.campaign_id)
        .join(queries.orgs, o.org_id == c.organiser_id)
        .where(o.code.in_([code, *above]))
    )
    wanted = union(with_entries, organised).subquery()
    with queries.engine.connect() as conn:
        found = list(
            conn.execute(
                select(c.code)
                .where(c.campaign_id.in_(select(wanted.c.campaign_id)))
                .order_by(c.starts_on.desc(), c.code)
            ).scalars()
        )
    return [queries.campaign(campaign) for campaign in found]


def entry(queries: Queries, code: str, entry_id: UUID) -> JournalEntry | None:
    """The journal line of ``code`` for ``entry_id``, as ``Queries.journal``
    gives it; None if ``code`` has none."""
    j = queries.journal_lines.c
    with queries.engine.connect() as conn:
        positions = list(
            conn.execute(
                select(j.position).where(j.entry_id == entry_id).order_by(j.position)
            ).scalars()
        )
    for position in positions:
        # The first of code's lines from this position on (lines of entries
        # are line 0 of their event).
        page = queries.journal(code, cursor=f"{position - 1}.999999999", limit=1)
        for line in page.entries:
            if line.entry_id == entry_id:
                return line
    return None
