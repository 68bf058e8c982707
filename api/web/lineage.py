"""What the public page says of an organisation's past: its earlier names
("formerly …"), the name it had in the year shown, where it went (merged
into, split into, dissolved) and what it was formed from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import groupby

from projections import Queries
from projections.queries.lineage import DatedValue, Link


@dataclass(frozen=True, slots=True)
class LinkGroup:
    """Organisations linked the same way on the same day."""

    how: str
    effective_on: date
    codes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Lineage:
    name_then: str | None
    """The name at the end of the year shown, when it is not today's."""
    former_names: tuple[DatedValue, ...]
    went: tuple[LinkGroup, ...]
    came_from: tuple[LinkGroup, ...]
    dissolved_on: date | None


def lineage(queries: Queries, code: str, year: int, this_year: int) -> Lineage:
    record = queries.record(code)
    today_name = record.organisation.name
    name_then = None
    if year != this_year:
        then = queries.name_on(code, date(year, 12, 31))
        name_then = then if then != today_name else None
    info = record.organisation
    return Lineage(
        name_then=name_then,
        former_names=tuple(n for n in record.names if n.valid_to is not None),
        went=_grouped(record.successors),
        came_from=_grouped(record.predecessors),
        dissolved_on=info.closed_on if info.status == "dissolved" else None,
    )


def _grouped(links: tuple[Link, ...]) -> tuple[LinkGroup, ...]:
    ordered = sorted(links, key=lambda link: (link.effective_on, link.how, link.code))
    return tuple(
        LinkGroup(how, on, tuple(link.code for link in group))
        for (on, how), group in groupby(
            ordered, key=lambda link: (link.effective_on, link.how)
        )
    )
