"""Checks of single values shared by the aggregates and the application."""

from __future__ import annotations

import re
from datetime import date, datetime

from ledger import errors
from ledger.types import MAX_AMOUNT, MAX_COUNT

_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_PRINTABLE_MAX = 200


def check_amount(amount: object) -> None:
    """An amount is a whole number of đồng, above zero, below a sane bound."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise errors.InvalidAmount(
            f"an amount is a whole number of đồng, not {amount!r}", amount=amount
        )
    if not 0 < amount <= MAX_AMOUNT:
        raise errors.InvalidAmount(
            f"an amount must be between 1 and {MAX_AMOUNT} đồng, not {amount}",
            amount=amount,
        )


def check_code(code: object, what: str) -> str:
    """Codes are short: letters, digits, '.', '_' and '-'; case matters."""
    if not isinstance(code, str) or not _CODE.fullmatch(code):
        raise errors.InvalidInput(
            f"{what} code {code!r} must be 1-64 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    return code


def check_text(value: object, what: str, *, required: bool = True) -> str | None:
    """Free text (names, voucher numbers): trimmed, printable, at most 200 chars."""
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        if required:
            raise errors.InvalidInput(f"{what} is required")
        return None
    text = value.strip()
    if len(text) > _PRINTABLE_MAX or not text.isprintable():
        raise errors.InvalidInput(
            f"{what} must be printable text of at most {_PRINTABLE_MAX} characters"
        )
    return text


MAX_VOUCHER_NO = 80
"""Long enough for any voucher book, short enough that ``<sender>:<number>``
(a transfer's number at its receiver) stays under the 200 of free text."""


def check_voucher_no(value: object) -> str:
    number = required_text(value, "voucher_no")
    if len(number) > MAX_VOUCHER_NO:
        raise errors.InvalidInput(
            f"a voucher number has at most {MAX_VOUCHER_NO} characters"
        )
    return number


def check_date(value: object, what: str) -> date:
    """A business date is a ``date`` (not a ``datetime``, not a string)."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise errors.InvalidDate(f"{what} must be a date, not {value!r}")
    return value


def check_whole(
    value: object, what: str, *, minimum: int = 0, maximum: int = MAX_COUNT
) -> int:
    """A count or a year: an ``int`` (not a ``bool``, not a ``float``) between
    ``minimum`` and ``maximum`` (by default ten billion: more people than the
    country has, fewer than a database integer holds)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise errors.InvalidInput(
            f"{what} must be a whole number ≥ {minimum}, not {value!r}"
        )
    if value > maximum:
        raise errors.InvalidInput(f"{what} must be at most {maximum}, not {value}")
    return value


def required_text(value: object, what: str) -> str:
    """Like ``check_text``, for text that must be there."""
    text = check_text(value, what)
    if text is None:  # unreachable: check_text raises for missing required text
        raise errors.InvalidInput(f"{what} is required")
    return text
