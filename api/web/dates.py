"""Dates and moments as people type them: dd/mm/yyyy (Vietnamese) or ISO.

Forms use plain text boxes for dates, so the page shows dd/mm/yyyy whatever
the browser's own locale (a date picker would follow the browser's).
A moment is a date with a time, ``dd/mm/yyyy hh:mm[:ss]`` or ISO 8601,
in Vietnamese time unless it says otherwise.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from api.web.problem import FormProblem

DAY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
MOMENT = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?")


def iso_day(text: str) -> str:
    """dd/mm/yyyy rewritten as yyyy-mm-dd; anything else as it is."""
    found = DAY.fullmatch(text.strip())
    if not found:
        return text
    day, month, year = found.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


def parse_day(text: str) -> date | FormProblem | None:
    """A date typed as dd/mm/yyyy or yyyy-mm-dd; None when empty."""
    if not text.strip():
        return None
    try:
        return date.fromisoformat(iso_day(text))
    except ValueError:
        return FormProblem(
            "validation_failed", "Input should be a valid date", "date_parsing"
        )


def parse_moment(text: str) -> datetime | FormProblem | None:
    """A moment typed as dd/mm/yyyy hh:mm[:ss] or ISO 8601; None when empty."""
    text = text.strip()
    if not text:
        return None
    try:
        found = MOMENT.fullmatch(text)
        if found:
            day, month, year, hour, minute, second = found.groups()
            return datetime(  # noqa: DTZ001 -- naive: Vietnamese time, as queries take it
                int(year),
                int(month),
                int(day),
                int(hour),
                int(minute),
                int(second or 0),
            )
        return datetime.fromisoformat(text)
    except ValueError:
        return FormProblem(
            "validation_failed", "Input should be a valid datetime", "datetime_parsing"
        )
