"""Errors of the read side; each has a stable ``code``, like the ledger's.

The HTTP layer maps codes to statuses; the command line prints the message.
"""

from __future__ import annotations

from ledger.errors import CodedError


class ReadModelError(CodedError):
    code = "read_model_error"


class UnknownOrganisation(ReadModelError):
    code = "unknown_organisation"


class UnknownCampaign(ReadModelError):
    code = "unknown_campaign"


class UnknownFund(ReadModelError):
    code = "unknown_fund"


class InvalidQuery(ReadModelError):
    """A malformed argument: a cursor, a year, a date range."""

    code = "invalid_input"


class WaitTimeout(ReadModelError):
    """The read models did not reach a position in time (read-your-writes)."""

    code = "read_model_lag"


class OutOfStep(ReadModelError):
    """The read models stand at different positions: they need a rebuild."""

    code = "read_models_out_of_step"


class StillMoving(ReadModelError):
    """``verify`` could not compare: the read models kept moving on."""

    code = "read_models_moving"


class Unsupported(ReadModelError):
    code = "unsupported"
