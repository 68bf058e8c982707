"""Commands on organisations: register one, rename, move, merge, split or
dissolve it, change its level, open a fund, report a year's membership."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from uuid import UUID

import attrs

from ledger import errors
from ledger.commands.base import Command, as_level
from ledger.types import Dong, FundName, Level, OrgCode
from ledger.validation import (
    check_code,
    check_whole,
    is_code,
    is_code_or_none,
    is_count,
    is_count_or_none,
    is_date,
    is_date_or_none,
    is_flag,
    is_required_text,
    is_text,
    stripped,
    stripped_or_none,
)


@attrs.frozen
class RegisterOrganisation(Command[UUID]):
    """Register an organisation; re-sending the same registration is a no-op."""

    code: OrgCode = attrs.field(validator=is_code)
    name: str = attrs.field(
        kw_only=True, converter=stripped, validator=is_required_text
    )
    level: Level = attrs.field(kw_only=True, converter=as_level)
    registered_on: date = attrs.field(kw_only=True, validator=is_date)
    parent_code: OrgCode | None = attrs.field(
        default=None, kw_only=True, validator=is_code_or_none
    )

    def locks(self) -> tuple[OrgCode | None, ...]:
        return (self.parent_code, self.code)


@attrs.frozen
class Rename(Command[None]):
    org: OrgCode = attrs.field(validator=is_code)
    name: str = attrs.field(
        kw_only=True, converter=stripped, validator=is_required_text
    )
    effective_on: date | None = attrs.field(
        default=None, kw_only=True, validator=is_date_or_none
    )
    """Today by default."""

    def locks(self) -> tuple[OrgCode | None, ...]:
        return (self.org,)


@attrs.frozen
class Move(Command[None]):
    """Put ``org`` under another parent from ``effective_on`` on."""

    org: OrgCode = attrs.field(validator=is_code)
    new_parent_code: OrgCode = attrs.field(kw_only=True, validator=is_code)
    effective_on: date = attrs.field(kw_only=True, validator=is_date)

    def locks(self) -> tuple[OrgCode | None, ...]:
        return (self.org, self.new_parent_code)


@attrs.frozen
class Merge(Command[None]):
    """Merge ``org`` into ``into_code``: its balances move across, atomically."""

    org: OrgCode = attrs.field(validator=is_code)
    into_code: OrgCode = attrs.field(kw_only=True, validator=is_code)
    effective_on: date = attrs.field(kw_only=True, validator=is_date)

    def locks(self) -> tuple[OrgCode | None, ...]:
        return (self.org, self.into_code)


@attrs.frozen
class Dissolve(Command[None]):
    """End ``org``, which must hold no money and have no active children."""

    org: OrgCode = attrs.field(validator=is_code)
    effective_on: date = attrs.field(kw_only=True, validator=is_date)

    def locks(self) -> tuple[OrgCode | None, ...]:
        return (self.org,)


def _year(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    check_whole(value, attribute.name, minimum=1900)


@attrs.frozen
class ReportMembership(Command[None]):
    """Members and population for a year; a later report corrects an earlier."""

    org: OrgCode = attrs.field(validator=is_code)
    year: int = attrs.field(kw_only=True, validator=_year)
    members: int = attrs.field(kw_only=True, validator=is_count)
    population: int | None = attrs.field(
        default=None, kw_only=True, validator=is_count_or_none
    )

    def __attrs_post_init__(self) -> None:
        if self.population is not None and self.members > self.population:
            raise errors.InvalidInput(
                f"members ({self.members}) exceed the population ({self.population})",
                field="members",
            )

    def locks(self) -> tuple[OrgCode | None, ...]:
        return (self.org,)


@attrs.frozen
class OpenFund(Command[None]):
    """Open a fund; opening the same fund again with the same details is a no-op."""

    org: OrgCode = attrs.field(validator=is_code)
    fund: FundName = attrs.field(validator=is_code)
    name: str = attrs.field(
        kw_only=True, converter=stripped, validator=is_required_text
    )
    restricted: bool = attrs.field(default=False, kw_only=True, validator=is_flag)
    purpose: str | None = attrs.field(
        default=None, kw_only=True, converter=stripped_or_none, validator=is_text
    )

    def __attrs_post_init__(self) -> None:
        if self.restricted and not self.purpose:
            raise errors.InvalidInput(
                "a restricted fund needs a purpose", field="purpose"
            )

    def locks(self) -> tuple[OrgCode | None, ...]:
        return (self.org,)


def _parts(
    _: object,
    attribute: attrs.Attribute[Mapping[OrgCode, Mapping[FundName, Dong]]],
    value: Mapping[OrgCode, Mapping[FundName, Dong]],
) -> None:
    """Two successors or more, each a code with funds and whole amounts of đồng."""
    name = attribute.name
    if not isinstance(value, Mapping) or len(value) < MIN_SUCCESSORS:
        raise errors.InvalidInput(
            f"a split names at least {MIN_SUCCESSORS} successors", field=name
        )
    for code, funds in value.items():
        check_code(code, name, "successor")
        if not isinstance(funds, Mapping):
            raise errors.InvalidInput(
                f"the part of {code} maps funds to amounts", field=name
            )
        for fund, amount in funds.items():
            check_code(fund, name, "fund")
            check_whole(amount, name, maximum=MAX_BALANCE)


MIN_SUCCESSORS = 2
MAX_BALANCE: Dong = 10**15
"""The largest balance a split may allocate to one successor's fund."""


def _plain_parts(
    value: Mapping[OrgCode, Mapping[FundName, Dong]],
) -> dict[OrgCode, dict[FundName, Dong]]:
    if not isinstance(value, Mapping):
        return value
    return {
        code: dict(funds) if isinstance(funds, Mapping) else funds
        for code, funds in value.items()
    }


@attrs.frozen
class Split(Command[None]):
    """End ``org`` and divide its funds among successors: ``parts`` maps each
    successor's code to the amount it takes of each fund; every fund's parts
    add up to its balance."""

    org: OrgCode = attrs.field(validator=is_code)
    parts: Mapping[OrgCode, Mapping[FundName, Dong]] = attrs.field(
        kw_only=True, converter=_plain_parts, validator=_parts
    )
    effective_on: date = attrs.field(kw_only=True, validator=is_date)

    def __attrs_post_init__(self) -> None:
        if self.org in self.parts:
            raise errors.InvalidHierarchy(
                f"{self.org} cannot be one of its own successors", field="parts"
            )

    def locks(self) -> tuple[OrgCode | None, ...]:
        return (self.org, *self.parts)


@attrs.frozen
class ChangeLevel(Command[None]):
    """Give ``org`` another level from ``effective_on`` on (the same level is a
    no-op)."""

    org: OrgCode = attrs.field(validator=is_code)
    level: Level = attrs.field(kw_only=True, converter=as_level)
    effective_on: date | None = attrs.field(
        default=None, kw_only=True, validator=is_date_or_none
    )
    """Today by default."""

    def locks(self) -> tuple[OrgCode | None, ...]:
        return (self.org,)
