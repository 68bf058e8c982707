"""Helpers for entry content: enum coercion and the idempotency fingerprint.

The fingerprint is a SHA-256 of an entry's content in canonical JSON — kind,
organisation, voucher number, fund, amount, date, campaign, counterparty,
note and the kind's own fields, leaving out empty ones — but not who recorded
it: the same voucher re-sent by another clerk is still the same entry.
"""

from __future__ import annotations

import enum
import hashlib
import json
from datetime import date
from typing import Any, TypeVar

from ledger import errors
from ledger.types import EntryKind

E = TypeVar("E", bound=enum.Enum)


def coerce(enum_type: type[E], value: E | str, what: str) -> E:
    """Accept an enum member or its value (``"scholarship"``)."""
    if isinstance(value, enum_type):
        return value
    try:
        return enum_type(value)
    except ValueError:
        choices = ", ".join(str(m.value) for m in enum_type)
        raise errors.InvalidInput(
            f"{what} must be one of {choices}, not {value!r}"
        ) from None


FINGERPRINT_VERSION = 1


def entry_fingerprint(kind: EntryKind, org_code: str, fields: dict[str, Any]) -> str:
    """Fields left empty (None) are left out, so that adding an optional field
    later does not change the fingerprint of entries that do not use it."""
    given = {key: value for key, value in fields.items() if value is not None}
    content = {"v": FINGERPRINT_VERSION, "kind": kind.value, "org": org_code, **given}
    canonical = json.dumps(content, sort_keys=True, default=_plain, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _plain(value: object) -> str:
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    raise errors.InvalidInput(f"not a value an entry can hold: {value!r}")
