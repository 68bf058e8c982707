"""Yearly summaries and campaign totals: a row or two each, whatever the
size of the subtree."""

from __future__ import annotations

from sqlalchemy import select, union

from ledger.types import IncomeKind, Level
from ledger.wording import says
from projections import errors
from projections.answers import (
    CampaignInfo,
    CampaignTotals,
    YearSummary,
    per_capita,
    ratio,
)
from projections.campaigns import CampaignsView
from projections.movements import ALL, NOBODY, OWN, SUBTREE
from projections.queries.base import QueryBase
from projections.runner import ReadModels
from projections.summary import MEMBERSHIP_FIELDS, Membership, SummaryView


class SummaryQueries(QueryBase):
    def __init__(self, read_models: ReadModels) -> None:
        super().__init__(read_models)
        summary = read_models.view(SummaryView)
        self.summaries = summary.flows.table
        self.membership = summary.membership
        campaigns = read_models.view(CampaignsView)
        self.campaigns = campaigns.campaigns
        self.campaign_sums = campaigns.totals.table

    def summary(self, code: str, year: int, *, subtree: bool = False) -> YearSummary:
        """The year's figures of an organisation, or of its subtree."""
        if not 1900 <= year <= 9999:
            raise errors.InvalidQuery(says("query.year", year=year))
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
            other_income_vnd=values.get("other_income", 0),
            income_by_kind={
                kind.value: values.get(f"income_{kind.value}", 0) for kind in IncomeKind
            },
        )

    def campaign(self, code: str) -> CampaignInfo:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(self.campaigns).where(self.campaigns.c.code == code)
            ).first()
            if row is None:
                raise errors.UnknownCampaign(
                    says("campaign.unknown", campaign=code), campaign=code
                )
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

    def campaigns_of(self, code: str, above: list[str]) -> list[CampaignInfo]:
        """Campaigns with entries in ``code``'s subtree, or organised by it or by
        an organisation ``above`` it; the latest first."""
        o, c, t = self.orgs.c, self.campaigns.c, self.campaign_sums.c
        with_entries = (
            select(t.campaign_id)
            .join(self.orgs, o.org_id == t.org_id)
            .where(o.code == code, t.scope == SUBTREE)
        )
        organised = (
            select(c.campaign_id)
            .join(self.orgs, o.org_id == c.organiser_id)
            .where(o.code.in_([code, *above]))
        )
        wanted = union(with_entries, organised).subquery()
        with self.engine.connect() as conn:
            found = list(
                conn.execute(
                    select(c.code)
                    .where(c.campaign_id.in_(select(wanted.c.campaign_id)))
                    .order_by(c.starts_on.desc(), c.code)
                ).scalars()
            )
        return [self.campaign(campaign) for campaign in found]

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
                raise errors.UnknownCampaign(
                    says("campaign.unknown", campaign=code), campaign=code
                )
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
