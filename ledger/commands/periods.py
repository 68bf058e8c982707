"""Closing a year (issue 15): once an organisation's annual accounts are
approved, no entry may be dated in that year any more; corrections go into
the open year. Reopening is an explicit, recorded act with a reason."""

from __future__ import annotations

import attrs

from ledger.commands.base import Command
from ledger.types import OrgCode
from ledger.validation import check_whole, is_code, is_required_text, stripped


def _year(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    check_whole(value, attribute.name, minimum=1900)


@attrs.frozen
class CloseYear(Command[None]):
    """Close ``year`` of ``org``: entries dated in it are refused afterwards
    (``period_closed``); each fund's balance per account on 31 December is
    recorded as the next year's opening. Closing a closed year is a no-op."""

    org: OrgCode = attrs.field(validator=is_code)
    year: int = attrs.field(kw_only=True, validator=_year)

    def locks(self) -> tuple[OrgCode | None, ...]:
        return (self.org,)


@attrs.frozen
class ReopenYear(Command[None]):
    """Reopen the last closed ``year`` of ``org``, saying why."""

    org: OrgCode = attrs.field(validator=is_code)
    year: int = attrs.field(kw_only=True, validator=_year)
    reason: str = attrs.field(
        kw_only=True, converter=stripped, validator=is_required_text
    )

    def locks(self) -> tuple[OrgCode | None, ...]:
        return (self.org,)
