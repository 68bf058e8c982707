"""Cells of an import file: text as a spreadsheet writes it, to typed values.

Each parser takes the cell's text and returns a value or raises ``CellError``
with a message a treasurer can act on. Dates are ``yyyy-mm-dd`` or
``dd/mm/yyyy``; text is trimmed (and loses the apostrophe the export puts
before a leading ``=``, ``+``, ``-``, ``@``, tab, CR or apostrophe); whole
numbers are digits, optionally grouped in threes by dots or spaces as
Vietnamese spreadsheets show them (``1.000.000``), never with a decimal
comma: VND has no minor unit.
"""

from __future__ import annotations

import re
from datetime import date

from ledger import errors
from ledger.validation import check_code, check_text, check_voucher_no
from ledger.wording import Language, Saying, says

_DIGITS = re.compile(r"[0-9]+")
_GROUPED = re.compile(r"[0-9]{1,3}([. ][0-9]{3})+")
_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_VIETNAMESE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A text cell starting so is exported behind an apostrophe (a spreadsheet
would run it as a formula: OWASP's list; the ledger's own text never starts
with a tab or CR, it is trimmed); the importer takes the apostrophe off."""
ESCAPED_STARTS = (*FORMULA_STARTS, "'")
"""After an apostrophe, what the importer takes for the export's escape: a
text that itself starts with an apostrophe is exported with one more, so
every text comes back as it left."""


class CellError(Exception):
    """A cell that cannot be read; ``column`` is set by the row's reader.

    ``message`` is the English sentence (for programs and logs); ``text``
    says it in a person's language when it was raised as a ``Saying``."""

    def __init__(self, said: Saying | str, column: str | None = None) -> None:
        message = said.text("en") if isinstance(said, Saying) else said
        super().__init__(message)
        self.message = message
        self.saying = said if isinstance(said, Saying) else None
        self.column = column

    def text(self, lang: Language = "vi") -> str:
        return self.message if self.saying is None else self.saying.text(lang)


def _from(error: errors.LedgerError) -> CellError:
    return CellError(error.saying or error.message)


def whole(cell: str, what: str = "a whole number") -> int:
    text = cell.strip()
    if _DIGITS.fullmatch(text):
        return int(text)
    if _GROUPED.fullmatch(text):
        return int(text.replace(".", "").replace(" ", ""))
    raise CellError(says("csv.digits", what=what, value=cell))


def optional_whole(cell: str, what: str = "a whole number") -> int | None:
    return whole(cell, what) if cell.strip() else None


def day(cell: str) -> date:
    text = cell.strip()
    iso = _ISO.fullmatch(text)
    vietnamese = _VIETNAMESE.fullmatch(text)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        if vietnamese:
            return date(int(vietnamese[3]), int(vietnamese[2]), int(vietnamese[1]))
    except ValueError:
        raise CellError(says("csv.no_such_day", value=cell)) from None
    raise CellError(says("csv.day_format", value=cell))


def code(cell: str, what: str) -> str:
    try:
        return check_code(cell.strip(), what)
    except errors.LedgerError as error:
        raise _from(error) from None


def optional_code(cell: str, what: str) -> str | None:
    return code(cell, what) if cell.strip() else None


def _unescaped(cell: str) -> str:
    text = cell.strip()
    if text.startswith("'") and text[1:].startswith(ESCAPED_STARTS):
        return text[1:]
    return cell


def required(cell: str, what: str) -> str:
    try:
        found = check_text(_unescaped(cell), what)
    except errors.LedgerError as error:
        raise _from(error) from None
    if found is None:  # check_text raises for missing required text
        raise CellError(says("csv.required", what=what))
    return found


def optional(cell: str, what: str) -> str | None:
    try:
        return check_text(_unescaped(cell), what, required=False)
    except errors.LedgerError as error:
        raise _from(error) from None


def voucher(cell: str) -> str:
    try:
        return check_voucher_no(_unescaped(cell))
    except errors.LedgerError as error:
        raise _from(error) from None


def choice(cell: str, choices: tuple[str, ...], what: str) -> str:
    text = cell.strip()
    if text not in choices:
        raise CellError(
            says(
                "csv.choice",
                what=what,
                choices=", ".join(choices),
                quoted=", ".join(repr(choice) for choice in choices),
                value=cell,
            )
        )
    return text
