"""What the public page of an organisation shows, from the read side's answers.

Aggregate figures only — balances, yearly summaries, campaign totals,
organisation names — exactly as the API's public routes answer them; no
journal line is read, so no donor's or recipient's name can reach the page.

Years: every year from the organisation's registration (the last
``MAX_YEARS`` at most) up to this one; the table lists the years that had
any activity, and always this year. The page's year is the one asked for,
else this year if it had activity, else the latest year that had. Children
are today's, for the list; the chart of the year compares those that were
under the organisation at the end of that year (or today, for this year) —
flows roll up along the hierarchy as it stood on their date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from projections import Queries
from projections.answers import (
    Balance,
    CampaignInfo,
    CampaignTotals,
    OrganisationInfo,
    YearSummary,
)

MAX_YEARS = 30


@dataclass(frozen=True, slots=True)
class Child:
    info: OrganisationInfo
    summary: YearSummary
    balance: Balance


@dataclass(frozen=True, slots=True)
class CampaignOverview:
    info: CampaignInfo
    totals: CampaignTotals


@dataclass(frozen=True, slots=True)
class Overview:
    info: OrganisationInfo
    ancestors: list[OrganisationInfo]
    """Nearest last: the breadcrumb."""
    balance: Balance
    """Today's subtree."""
    own_balance: Balance
    year: int
    this_year: int
    summary: YearSummary
    """The page's year, subtree."""
    own_summary: YearSummary
    years: list[YearSummary]
    """Years with activity (and this year), latest first; subtree."""
    children: list[Child]
    """Today's children, with the page's year's figures."""
    year_children: list[Child]
    """The children at the end of the page's year, for its chart."""
    campaigns: list[CampaignOverview]


def active(summary: YearSummary) -> bool:
    return bool(
        summary.raised_vnd
        or summary.disbursed_vnd
        or summary.transfers_in_vnd
        or summary.transfers_out_vnd
        or summary.members
    )


def overview(queries: Queries, code: str, *, year: int | None, today: date) -> Overview:
    info = queries.organisation(code)
    above = queries.ancestors(code)
    first = max(info.registered_on.year, today.year - MAX_YEARS + 1)
    every_year = [
        queries.summary(code, each, subtree=True)
        for each in range(today.year, first - 1, -1)
    ]
    years = [s for s in every_year if active(s) or s.year == today.year]
    if year is None:
        busy = [s.year for s in years if active(s)]
        year = today.year if not busy or busy[0] == today.year else busy[0]
    summary = next(
        (s for s in every_year if s.year == year),
        None,
    ) or queries.summary(code, year, subtree=True)
    end = min(date(year, 12, 31), today)
    today_children = [child.code for child in queries.children(code)]
    year_children = [child.code for child in queries.children(code, on=end)]
    figures = {
        child: _child(queries, child, year)
        for child in dict.fromkeys([*today_children, *year_children])
    }
    return Overview(
        info=info,
        ancestors=[queries.organisation(a) for a in reversed(above)],
        balance=queries.balance(code, subtree=True),
        own_balance=queries.balance(code),
        year=year,
        this_year=today.year,
        summary=summary,
        own_summary=queries.summary(code, year),
        years=years,
        children=[figures[child] for child in today_children],
        year_children=[figures[child] for child in year_children],
        campaigns=[
            CampaignOverview(c, queries.campaign_totals(c.code, org=code))
            for c in queries.campaigns_of(code, above)
        ],
    )


def _child(queries: Queries, code: str, year: int) -> Child:
    return Child(
        info=queries.organisation(code),
        summary=queries.summary(code, year, subtree=True),
        balance=queries.balance(code, subtree=True),
    )
