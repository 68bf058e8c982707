"""The campaign totals read model: what each campaign raised and paid, by subtree.

``rm_campaigns`` describes each campaign (Tết Khuyến học, Tháng Khuyến học
and its editions, others). ``rm_campaign_totals`` (campaign, organisation,
scope) sums the entries that name the campaign: raised, disbursed, recipients
and the number of entries, net of reversals — for the organisation itself
(``own``), for its subtree as the hierarchy stood on each entry's date
(``subtree``), and campaign-wide (scope ``all``, organisation ``NOBODY``).
A transfer counts as one entry, at the sender.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Column, Date, Integer, String, Uuid, update
from sqlalchemy.orm import Session

from ledger.campaign import Campaign
from projections.change import handles
from projections.flows import FlowView
from projections.movements import (
    ALL,
    CAMPAIGN_FIELDS,
    NOBODY,
    SUBTREE,
    Line,
    campaign_rows,
    campaign_values,
)
from projections.tree import Tree
from projections.view import money, sum_columns


class CampaignsView(FlowView):
    name = "campaigns"

    def define_tables(self) -> None:
        self.campaigns = self.table(
            "campaigns",
            Column("campaign_id", Uuid, primary_key=True),
            Column("code", String(64), nullable=False, unique=True),
            Column("name", String(200), nullable=False),
            Column("kind", String(8), nullable=False),
            Column("edition", Integer, nullable=True),
            Column("organiser_id", Uuid, nullable=False),
            Column("starts_on", Date, nullable=False),
            Column("ends_on", Date, nullable=False),
            Column("target_vnd", money(), nullable=True),
            Column("closed_on", Date, nullable=True),
        )
        self.totals = self.sum_table(
            "campaign_totals",
            Column("campaign_id", Uuid, primary_key=True),
            Column("org_id", Uuid, primary_key=True),
            Column("scope", String(8), primary_key=True),
            *sum_columns(CAMPAIGN_FIELDS),
        )

    def add_lines(
        self,
        lines: Iterable[Line],
        tree: Tree,
        *,
        subtree_only: bool = False,
        sign: int = 1,
    ) -> None:
        for line in lines:
            values = campaign_values(line)
            if values is None:
                continue
            keys = [
                (line.campaign_id, org_id, scope)
                for org_id, scope in campaign_rows(line, tree)
                if scope == SUBTREE or not subtree_only
            ]
            self.totals.add_to(keys, values, sign * line.sign)

    @handles(Campaign.Launched)
    def launch(
        self, session: Session, event: Campaign.Launched, lines: Sequence[Line]
    ) -> None:
        session.execute(
            self.campaigns.insert().values(
                campaign_id=event.originator_id,
                code=event.code,
                name=event.name,
                kind=event.kind.value,
                edition=event.edition,
                organiser_id=event.organiser_id,
                starts_on=event.starts_on,
                ends_on=event.ends_on,
                target_vnd=event.target_vnd,
                closed_on=None,
            )
        )
        self.totals.touch((event.originator_id, NOBODY, ALL))

    @handles(Campaign.Closed)
    def close(
        self, session: Session, event: Campaign.Closed, lines: Sequence[Line]
    ) -> None:
        session.execute(
            update(self.campaigns)
            .where(self.campaigns.c.campaign_id == event.originator_id)
            .values(closed_on=event.closed_on)
        )
