"""Dated values of an organisation: its name and its level, each with the
period it held (from ``valid_from`` until ``valid_to``, open-ended for today's).

The hierarchy read model keeps them beside the parentage so that a report for
a past year prints the name and level in force then, not today's. A change
dated ``d`` starts a period at ``d``: the period before it ends there, and the
new one ends where the next later one (if a change was recorded out of date
order) begins. Two changes dated the same day: the later recorded wins.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Column, Date, String, Table, Uuid, and_, func, select, update
from sqlalchemy.orm import Session

NAME, LEVEL = "name", "level"
"""The dated attributes."""


def dated_columns() -> list[Column[Any]]:
    """The columns of the table of dated values (``View.table`` names it)."""
    return [
        Column("org_id", Uuid, primary_key=True),
        Column("attribute", String(16), primary_key=True),
        Column("valid_from", Date, primary_key=True),
        Column("valid_to", Date, nullable=True),
        Column("value", String(200), nullable=False),
    ]


def first_values(
    org_id: UUID, on: date, values: dict[str, str]
) -> list[dict[str, Any]]:
    """The rows of a newly registered organisation's first values."""
    return [
        {
            "org_id": org_id,
            "attribute": attribute,
            "valid_from": on,
            "valid_to": None,
            "value": value,
        }
        for attribute, value in values.items()
    ]


def set_value(
    session: Session,
    table: Table,
    org_id: UUID,
    attribute: str,
    on: date,
    value: str,
) -> None:
    """From ``on`` on (until the next dated change), ``attribute`` is ``value``."""
    c = table.c
    mine = and_(c.org_id == org_id, c.attribute == attribute)
    session.execute(table.delete().where(and_(mine, c.valid_from == on)))
    next_start = session.execute(
        select(func.min(c.valid_from)).where(and_(mine, c.valid_from > on))
    ).scalar_one()
    previous = session.execute(
        select(func.max(c.valid_from)).where(and_(mine, c.valid_from < on))
    ).scalar_one()
    if previous is not None:
        session.execute(
            update(table)
            .where(and_(mine, c.valid_from == previous))
            .values(valid_to=on)
        )
    session.execute(
        table.insert().values(
            org_id=org_id,
            attribute=attribute,
            valid_from=on,
            valid_to=next_start,
            value=value,
        )
    )
