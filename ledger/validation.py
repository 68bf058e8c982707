"""Checks of single values, each naming the field it checks.

They are the *shape* of the ledger's vocabulary — types, codes, bounds,
printable text — and run where a command is built (``ledger.commands``), so
every door gets the same answer; the rules that need state are the
aggregates'. The ``is_*`` functions are the same checks as attrs validators.
"""

from __future__ import annotations

import enum
import re
from datetime import date, datetime
from typing import TypeVar

import attrs

from ledger import errors
from ledger.types import (
    CODE_PATTERN,
    MAX_AMOUNT,
    MAX_COUNT,
    MAX_TEXT,
    MAX_VOUCHER_NO,
)
from ledger.wording import says

_CODE = re.compile(CODE_PATTERN)
E = TypeVar("E", bound=enum.Enum)
V = TypeVar("V")
"""The type of the field an attrs validator checks."""


def check_amount(amount: object, field: str = "amount") -> int:
    """An amount is a whole number of đồng, above zero, below a sane bound."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise errors.InvalidAmount(
            says("amount.not_whole", amount=amount),
            field=field,
            amount=amount,
        )
    if not 0 < amount <= MAX_AMOUNT:
        raise errors.InvalidAmount(
            says("amount.range", maximum=MAX_AMOUNT, amount=amount),
            field=field,
            amount=amount,
        )
    return amount


def check_code(code: object, field: str, what: str | None = None) -> str:
    """Codes are short: letters, digits, '.', '_' and '-'; case matters."""
    if not isinstance(code, str) or not _CODE.fullmatch(code):
        raise errors.InvalidInput(
            says("code.malformed", field=what or field, code=code),
            field=field,
        )
    return code


def check_text(value: object, field: str, *, required: bool = True) -> str | None:
    """Free text (names, notes): trimmed, printable, at most ``MAX_TEXT`` chars."""
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        if required:
            raise errors.InvalidInput(says("text.required", field=field), field=field)
        return None
    text = value.strip()
    if len(text) > MAX_TEXT or not text.isprintable():
        raise errors.InvalidInput(
            says("text.too_long", field=field, maximum=MAX_TEXT),
            field=field,
        )
    return text


def required_text(value: object, field: str) -> str:
    """Like ``check_text``, for text that must be there."""
    text = check_text(value, field)
    if text is None:  # unreachable: check_text raises for missing required text
        raise errors.InvalidInput(says("text.required", field=field), field=field)
    return text


def check_voucher_no(value: object, field: str = "voucher_no") -> str:
    number = required_text(value, field)
    if len(number) > MAX_VOUCHER_NO:
        raise errors.InvalidInput(
            says("voucher_no.too_long", maximum=MAX_VOUCHER_NO), field=field
        )
    return number


def check_date(value: object, field: str) -> date:
    """A business date is a ``date`` (not a ``datetime``, not a string)."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise errors.InvalidDate(
            says("date.malformed", field=field, value=value), field=field
        )
    return value


def check_whole(
    value: object, field: str, *, minimum: int = 0, maximum: int = MAX_COUNT
) -> int:
    """A count or a year: an ``int`` (not a ``bool``, not a ``float``) between
    ``minimum`` and ``maximum`` (by default ten billion: more people than the
    country has, fewer than a database integer holds)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise errors.InvalidInput(
            says("whole.too_small", field=field, minimum=minimum, value=value),
            field=field,
        )
    if value > maximum:
        raise errors.InvalidInput(
            says("whole.too_big", field=field, maximum=maximum, value=value),
            field=field,
        )
    return value


def check_choice(enum_type: type[E], value: object, field: str) -> E:
    """An enum member, or its value (``"scholarship"``)."""
    if isinstance(value, enum_type):
        return value
    try:
        return enum_type(value)
    except ValueError:
        choices = ", ".join(str(m.value) for m in enum_type)
        raise errors.InvalidInput(
            says("choice.unknown", field=field, choices=choices, value=value),
            field=field,
        ) from None


# ---- the same checks as attrs validators: (instance, attribute, value) ------


def is_amount(_: object, attribute: attrs.Attribute[V], value: V) -> None:
    check_amount(value, attribute.name)


def is_code(_: object, attribute: attrs.Attribute[V], value: V) -> None:
    check_code(value, attribute.name)


def is_code_or_none(_: object, attribute: attrs.Attribute[V], value: V) -> None:
    if value is not None:
        check_code(value, attribute.name)


def is_text(_: object, attribute: attrs.Attribute[V], value: V) -> None:
    if value is not None and not isinstance(value, str):
        raise errors.InvalidInput(
            says("text.not_text", field=attribute.name, value=value),
            field=attribute.name,
        )
    check_text(value, attribute.name, required=False)


def is_required_text(_: object, attribute: attrs.Attribute[V], value: V) -> None:
    required_text(value, attribute.name)


def is_voucher_no(_: object, attribute: attrs.Attribute[V], value: V) -> None:
    check_voucher_no(value, attribute.name)


def is_date(_: object, attribute: attrs.Attribute[V], value: V) -> None:
    check_date(value, attribute.name)


def is_date_or_none(_: object, attribute: attrs.Attribute[V], value: V) -> None:
    if value is not None:
        check_date(value, attribute.name)


def is_count(_: object, attribute: attrs.Attribute[V], value: V) -> None:
    check_whole(value, attribute.name)


def is_count_or_none(_: object, attribute: attrs.Attribute[V], value: V) -> None:
    if value is not None:
        check_whole(value, attribute.name)


def is_flag(_: object, attribute: attrs.Attribute[V], value: V) -> None:
    if not isinstance(value, bool):
        raise errors.InvalidInput(
            says("flag.not_flag", field=attribute.name, value=value),
            field=attribute.name,
        )


# ---- converters: how a value given is normalised before it is checked -------


def stripped(value: str) -> str:
    """Text without surrounding blanks (anything else is left for the check)."""
    return value.strip() if isinstance(value, str) else value


def stripped_or_none(value: str | None) -> str | None:
    """Optional text: blank is none."""
    if isinstance(value, str):
        return value.strip() or None
    return value
