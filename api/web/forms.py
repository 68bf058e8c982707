"""The treasurer's four forms — donation, disbursement, transfer, reversal — and
how a submitted form becomes a ``Ledger`` command, or errors beside fields.

A form is checked by the very schema the API checks its JSON with
(``DonationCreate`` …), then recorded by the same ``Ledger`` command, so a
form refuses what the API refuses, with the same codes and messages: a
schema's complaint is ``validation_failed`` beside its field, a domain
error's code (``insufficient_funds``, ``duplicate_voucher`` …) beside the
field it is about, or above the form when it is about no one field.

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
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import Field, ValidationError

from api.auth.tokens import Principal
from api.http.schemas.common import Schema
from api.http.schemas.entries import (
    DisbursementCreate,
    DonationCreate,
    ReversalCreate,
    TransferCreate,
)
from api.web import dates
from api.web.problem import FormProblem
from ledger import Ledger, LedgerError

Kind = Literal["donation", "disbursement", "transfer", "reversal"]
Widget = Literal["text", "amount", "date", "select", "number", "campaign", "fund"]
GROUPED = re.compile(r"\d{1,3}(?:[.,  ]\d{3})+")


class ReversalForm(ReversalCreate):
    """The reversal's body, and the voucher number the API takes in its path."""

    voucher_no: Annotated[str, Field(min_length=1, max_length=200)]


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
    schema: type[Schema]
    inputs: tuple[Input, ...]


VOUCHER = Input("voucher_no", required=True)
DATE = Input("business_date", "date", required=True)
AMOUNT = Input("amount_vnd", "amount", required=True)
FUND = Input("fund", "fund", more=True)
CAMPAIGN = Input("campaign", "campaign")
NOTE = Input("note")

FORMS: dict[str, EntryForm] = {
    "donation": EntryForm(
        "donation",
        DonationCreate,
        (
            VOUCHER,
            DATE,
            AMOUNT,
            Input("donor"),
            Input(
                "donor_kind",
                "select",
                choices=("individual", "business", "organisation", "anonymous"),
            ),
            Input("method", "select", choices=("cash", "bank", "in_kind")),
            CAMPAIGN,
            NOTE,
            FUND,
            Input("in_kind_description", more=True),
            Input("valuation_basis", more=True),
            Input("original_currency", more=True),
            Input("original_amount", more=True),
            Input("exchange_rate", more=True),
        ),
    ),
    "disbursement": EntryForm(
        "disbursement",
        DisbursementCreate,
        (
            VOUCHER,
            DATE,
            AMOUNT,
            Input(
                "category",
                "select",
                required=True,
                choices=("scholarship", "award", "other"),
            ),
            Input("recipients", "number", required=True),
            Input("recipient"),
            CAMPAIGN,
            NOTE,
            FUND,
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
        ),
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

FIELD_OF_CODE = {
    "invalid_amount": "amount_vnd",
    "insufficient_funds": "amount_vnd",
    "duplicate_voucher": "voucher_no",
    "unknown_entry": "voucher_no",
    "already_reversed": "voucher_no",
    "invalid_date": "business_date",
    "outside_campaign": "business_date",
    "unknown_campaign": "campaign",
    "campaign_closed": "campaign",
    "unknown_fund": "fund",
    "restricted_fund": "fund",
}
"""Which field a domain error is about; others go above the form."""
FORM = "__form__"


def values_of(form: EntryForm, raw: Mapping[str, str]) -> dict[str, str]:
    """The form's fields as typed (trimmed), for showing them again."""
    return {i.name: str(raw.get(i.name, "")).strip() for i in form.inputs}


def parse(
    form: EntryForm, values: Mapping[str, str]
) -> Schema | dict[str, FormProblem]:
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


def record(
    ledger: Ledger, principal: Principal, code: str, kind: Kind, body: Schema
) -> UUID:
    """Run the form's command, as the API's route does; raises ``LedgerError``."""
    fields = body.model_dump()
    by = principal.name
    if kind == "donation":
        return ledger.receive_donation(code, recorded_by=by, **_renamed(fields))
    if kind == "disbursement":
        return ledger.disburse(code, recorded_by=by, **_renamed(fields))
    if kind == "transfer":
        return ledger.transfer(code, recorded_by=by, **_renamed(fields, to="to_code"))
    return ledger.reverse_entry(
        code,
        fields["voucher_no"],
        reason=fields["reason"],
        business_date=fields["business_date"],
        recorded_by=by,
    )


def _renamed(fields: dict[str, Any], **names: str) -> dict[str, Any]:
    names.setdefault("amount_vnd", "amount")
    return {names.get(key, key): value for key, value in fields.items()}


def refusal(form: EntryForm, code: str, error: LedgerError) -> dict[str, FormProblem]:
    """A domain error, beside the field it is about (``code``: the page's)."""
    name = FIELD_OF_CODE.get(error.code, FORM)
    if error.code == "unknown_organisation" and error.details.get("org") != code:
        name = "to"
    if error.code == "invalid_input":
        mentioned = [i.name for i in form.inputs if i.name in error.message]
        name = mentioned[0] if mentioned else FORM
    if name not in {i.name for i in form.inputs}:
        name = FORM
    return {name: FormProblem(error.code, error.message, context=error.details)}
