"""A problem to show beside a field (or above a form): the API's code and
message, and for schema errors pydantic's error type and context, from which
``api.web.i18n`` says it in the reader's language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ledger.errors import CodedError
from ledger.wording import Saying


@dataclass(frozen=True, slots=True)
class FormProblem:
    """An error for a person: the API's code and message, and what to say."""

    code: str
    message: str
    type: str = ""
    """The schema's error type (``greater_than`` …), for validation_failed."""
    context: Mapping[str, Any] = field(default_factory=dict)
    saying: Saying | None = None
    """What a domain error says, in either language (``ledger.wording``)."""

    @classmethod
    def of(cls, error: CodedError) -> FormProblem:
        """A domain error, with its own words."""
        return cls(
            error.code, error.message, context=error.details, saying=error.saying
        )
