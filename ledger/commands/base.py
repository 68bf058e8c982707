"""What every command shares: who asks, what it locks, and how values are taken.

A command is a frozen attrs class whose fields are the ledger's vocabulary.
Building one normalises and checks each value with the field's own name
(``ledger.validation``), so a bad value is refused before anything is
loaded, with the same error through every door. ``Command[R]`` says what
running it returns (an entry id, an organisation id, nothing).

attrs rather than the standard dataclasses: a field's converter
(``"scholarship"`` → ``Category.SCHOLARSHIP``) is typed by mypy's attrs
plugin, so callers may give a member or its value and handlers always see
the member.
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Mapping
from datetime import date
from typing import Generic, TypeVar

import attrs

from ledger import errors
from ledger.types import (
    Account,
    CampaignKind,
    Category,
    DonorKind,
    EntryKind,
    IncomeKind,
    Level,
    Method,
    OrgCode,
)
from ledger.validation import check_choice, is_required_text, stripped
from ledger.wording import says

R_co = TypeVar("R_co", covariant=True)

SYSTEM = "system"
"""Who recorded a command when the caller does not say."""


@attrs.frozen
class Command(Generic[R_co]):
    """Something a caller asks the ledger to do; running it returns an ``R_co``."""

    recorded_by: str = attrs.field(
        default=SYSTEM, kw_only=True, converter=stripped, validator=is_required_text
    )
    """Who asks: a person's or a program's name, kept in every event."""

    def locks(self) -> tuple[OrgCode | None, ...]:
        """The codes whose aggregates the command changes: commands naming the
        same code take turns within a process."""
        return ()


# ---- converters of enumerations, one per field name (errors name the field) --


def as_level(value: Level | str) -> Level:
    return check_choice(Level, value, "level")


def as_category(value: Category | str) -> Category:
    return check_choice(Category, value, "category")


def as_donor_kind(value: DonorKind | str) -> DonorKind:
    return check_choice(DonorKind, value, "donor_kind")


def as_method(value: Method | str) -> Method:
    return check_choice(Method, value, "method")


def as_account(value: Account | str) -> Account:
    return check_choice(Account, value, "account")


def as_to_account(value: Account | str) -> Account:
    return check_choice(Account, value, "to_account")


def as_income_kind(value: IncomeKind | str) -> IncomeKind:
    return check_choice(IncomeKind, value, "income_kind")


def as_campaign_kind(value: CampaignKind | str) -> CampaignKind:
    return check_choice(CampaignKind, value, "kind")


# ---- the fingerprint of an entry ---------------------------------------------

FINGERPRINT_VERSION = 1


def entry_fingerprint(
    kind: EntryKind, org_code: str, fields: Mapping[str, object]
) -> str:
    """A SHA-256 of an entry's content in canonical JSON — kind, organisation
    and fields — but not who recorded it: the same voucher re-sent by another
    clerk is still the same entry.

    Fields left empty (None) are left out, so that adding an optional field
    later does not change the fingerprint of entries that do not use it. The
    keys are those of version 1 (``counterparty`` for a donor, a recipient or
    a receiving organisation), so vouchers recorded before commands were
    values still recognise their entries.
    """
    given = {key: value for key, value in fields.items() if value is not None}
    content = {"v": FINGERPRINT_VERSION, "kind": kind.value, "org": org_code, **given}
    canonical = json.dumps(content, sort_keys=True, default=_plain, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _plain(value: object) -> str:
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    raise errors.InvalidInput(says("entry.bad_value", value=value))
