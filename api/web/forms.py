"""The treasurer's four forms — donation, disbursement, transfer, reversal — and
how a submitted form becomes a ``Ledger`` command, or errors beside fields.

A form is checked by the very schema the API checks its JSON with
(``DonationCreate`` …), whose ``to_command`` makes the same ``Ledger``
command, so a form refuses what the API refuses, with the same codes and
messages: a schema's complaint is ``validation_failed`` beside its field, a
domain error (``insufficient_funds``, ``duplicate_voucher`` …) beside the
input of the command field it names (the schema's public name for it), or
above the form when it names none this form has.

What a browser sends is text: an empty field is left out (the schema's
default applies); an amount may be written with grouped thousands
(``5.000.000``, ``5 000 000``) and a date as dd/mm/yyyy — both are
rewritten to what the API takes before the schema sees them; nothing else is
guessed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

from pydantic import Field, ValidationError

from api.http.schemas.accounts import AccountMoveCreate, IncomeCreate, WithdrawalCreate
from api.http.schemas.common import EntryBody, Text
from api.http.schemas.entries import (
    DisbursementCreate,
    DonationCreate,
    TransferCreate,
)
from api.web import dates
from api.web.problem import FormProblem
from ledger import LedgerError
from ledger.commands import ReverseEntry
from ledger.types import MAX_TEXT, Account, Category, DonorKind, IncomeKind, Method

Kind = Literal[
    "donation",
    "disbursement",
    "transfer",
    "reversal",
    "income",
    "deposit",
    "withdrawal",
]
Widget = Literal["text", "amount", "date", "select", "number", "campaign", "fund"]
GROUPED = re.compile(r"\d{1,3}(?:[.,  ]\d{3})+")


class ReversalForm(EntryBody):
    """The reversal's body (``ReversalCreate``), and the voucher number the API
    takes in its path."""

    voucher_no: Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]
    reason: Text
    business_date: date | None = None

    def to_command(self, org: str, recorded_by: str) -> ReverseEntry:
        return ReverseEntry(
            org,
            self.voucher_no,
            reason=self.reason,
            business_date=self.business_date,
            recorded_by=recorded_by,
        )


@dataclass(frozen=True, slots=True)
class Input:
    name: str
    widget: Widget = "text"
    required: bool = False
    choices: tuple[str, ...] = ()
    more: bool = False
    """Shown under "more details", folded."""


@dataclass(frozen=True, slots=True)
class EntryForm:
    kind: Kind
    schema: type[EntryBody]
    inputs: tuple[Input, ...]


def _values(
    choices: type[DonorKind | Method | Category | Account | IncomeKind],
) -> tuple[str, ...]:
    return tuple(str(member.value) for member in choices)


VOUCHER = Input("voucher_no", required=True)
DATE = Input("business_date", "date", required=True)
AMOUNT = Input("amount_vnd", "amount", required=True)
FUND = Input("fund", "fund", more=True)
CAMPAIGN = Input("campaign", "campaign")
NOTE = Input("note")
ACCOUNT = Input("account", "select", choices=_values(Account), more=True)
"""Cash (the default) or bank (issue 15)."""

FORMS: dict[str, EntryForm] = {
    "donation": EntryForm(
        "donation",
        DonationCreate,
        (
            VOUCHER,
            DATE,
            AMOUNT,
            Input("donor"),
            Input("donor_kind", "select", choices=_values(DonorKind)),
            Input("method", "select", choices=_values(Method)),
            CAMPAIGN,
            NOTE,
            FUND,
            Input("in_kind_description", more=True),
            Input("valuation_basis", more=True),
            Input("original_currency", more=True),
            Input("original_amount", more=True),
            Input("exchange_rate", more=True),
            ACCOUNT,
        ),
    ),
    "disbursement": EntryForm(
        "disbursement",
        DisbursementCreate,
        (
            VOUCHER,
            DATE,
            AMOUNT,
            Input("category", "select", required=True, choices=_values(Category)),
            Input("recipients", "number", required=True),
            Input("recipient"),
            CAMPAIGN,
            NOTE,
            FUND,
            ACCOUNT,
        ),
    ),
    "transfer": EntryForm(
        "transfer",
        TransferCreate,
        (
            VOUCHER,
            DATE,
            AMOUNT,
            Input("to", required=True),
            CAMPAIGN,
            NOTE,
            FUND,
            Input("to_fund", "fund", more=True),
            ACCOUNT,
            Input("to_account", "select", choices=_values(Account), more=True),
        ),
    ),
    "income": EntryForm(
        "income",
        IncomeCreate,
        (
            VOUCHER,
            DATE,
            AMOUNT,
            Input("income_kind", "select", required=True, choices=_values(IncomeKind)),
            Input("payer"),
            CAMPAIGN,
            NOTE,
            FUND,
            ACCOUNT,
        ),
    ),
    "deposit": EntryForm(
        "deposit", AccountMoveCreate, (VOUCHER, DATE, AMOUNT, NOTE, FUND)
    ),
    "withdrawal": EntryForm(
        "withdrawal", WithdrawalCreate, (VOUCHER, DATE, AMOUNT, NOTE, FUND)
    ),
    "reversal": EntryForm(
        "reversal",
        ReversalForm,
        (
            Input("voucher_no", required=True),
            Input("reason", required=True),
            Input("business_date", "date"),
        ),
    ),
}

FORM = "__form__"


def values_of(form: EntryForm, raw: Mapping[str, str]) -> dict[str, str]:
    """The form's fields as typed (trimmed), for showing them again."""
    return {i.name: str(raw.get(i.name, "")).strip() for i in form.inputs}


def parse(
    form: EntryForm, values: Mapping[str, str]
) -> EntryBody | dict[str, FormProblem]:
    """The schema's model of the form, or a problem per bad field."""
    data = {i.name: _rewrite(i, values[i.name]) for i in form.inputs if values[i.name]}
    try:
        return form.schema.model_validate(data)
    except ValidationError as error:
        problems: dict[str, FormProblem] = {}
        for e in error.errors():
            name = str(e["loc"][0]) if e["loc"] else FORM
            problems.setdefault(
                name if name in values else FORM,
                FormProblem("validation_failed", e["msg"], e["type"], e.get("ctx", {})),
            )
        return problems


def _rewrite(input_: Input, value: str) -> str:
    if input_.widget in ("amount", "number") and GROUPED.fullmatch(value):
        return re.sub(r"[.,  ]", "", value)
    if input_.widget == "date":
        return dates.iso_day(value)
    return value


def refusal(form: EntryForm, error: LedgerError) -> dict[str, FormProblem]:
    """A domain error, beside the input of the field it names, else above."""
    name = form.schema.public_field(error.field) if error.field else None
    if name is None or name not in {i.name for i in form.inputs}:
        name = FORM
    return {name: FormProblem.of(error)}
