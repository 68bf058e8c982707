"""Errors as RFC 9457 problem details (``application/problem+json``).

Every error the service answers has a stable ``code`` — the domain's own
(``insufficient_funds``, ``unknown_organisation`` …) or the service's
(``unauthenticated``, ``forbidden``, ``idempotency_key_reused``,
``validation_failed``, ``payload_too_large``,
``too_many_failed_authentications``) — and ``type`` is ``/problems/<code>``.
Details the client can act on travel as extension members: the balance and the amount
asked for ``insufficient_funds``, each bad field for ``validation_failed``, and
the one field a domain rule is about (``errors``: ``body.amount_vnd``,
``path.code`` …, found from the error's command field and the route's body
schema, never from the message). Nothing else: no stack trace, no SQL, no
internal message.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from api.http.schemas.common import Schema
from ledger.errors import CodedError
from ledger.wording import Language
from storage.engines import DISK_FULL, is_disk_full

logger = logging.getLogger(__name__)

MEDIA_TYPE = "application/problem+json"

STATUS: dict[str, int] = {
    "invalid_input": 422,
    "invalid_amount": 422,
    "invalid_date": 422,
    "unbalanced_split": 422,
    "invalid_plan": 422,
    "validation_failed": 422,
    "unknown_organisation": 404,
    "unknown_campaign": 404,
    "unknown_fund": 404,
    "unknown_entry": 404,
    "not_found": 404,
    "insufficient_funds": 409,
    "duplicate_voucher": 409,
    "duplicate_organisation": 409,
    "duplicate_campaign": 409,
    "duplicate_fund": 409,
    "organisation_closed": 409,
    "campaign_closed": 409,
    "outside_campaign": 409,
    "already_reversed": 409,
    "opening_balance_exists": 409,
    "period_closed": 409,
    "not_pending": 409,
    "self_approval": 403,
    "endowment_principal": 409,
    "restricted_fund": 409,
    "invalid_hierarchy": 409,
    "has_children": 409,
    "has_balance": 409,
    "concurrent_update": 409,
    "idempotency_key_reused": 409,
    "idempotency_key_in_progress": 409,
    "unauthenticated": 401,
    "forbidden": 403,
    "method_not_allowed": 405,
    "payload_too_large": 413,
    "too_many_failed_authentications": 429,
    "disk_full": 507,
    "read_model_lag": 503,
    "read_models_out_of_step": 503,
}
"""HTTP status per error code; any other code is a 500."""

DETAILS = (
    "balance",
    "amount",
    "fund",
    "voucher_no",
    "org",
    "campaign",
    "reversal_id",
    "account",
    "on",
)
"""Domain error details that are safe and useful to pass on."""


class FieldError(BaseModel):
    field: str = Field(description="Where the bad value is: `body.amount_vnd` …")
    message: str


class Problem(BaseModel):
    """An error (RFC 9457)."""

    type: str = Field(examples=["/problems/insufficient_funds"])
    title: str = Field(examples=["insufficient funds"])
    status: int = Field(examples=[409])
    detail: str = Field(
        description="For a person: in Vietnamese, or in English when the "
        "request's Accept-Language puts English first.",
        examples=[
            "Quỹ chung của NA-DC chỉ còn 2.000.000 đồng; phiếu cần 9.000.000 đồng."
        ],
    )
    code: str = Field(
        description="Stable, machine-readable: the domain's error code.",
        examples=["insufficient_funds"],
    )
    balance: int | None = Field(None, description="insufficient_funds: the balance")
    amount: int | None = Field(None, description="insufficient_funds: the amount asked")
    account: str | None = Field(
        None, description="insufficient_funds: the account (cash, bank) short of money"
    )
    on: str | None = Field(
        None,
        description="insufficient_funds: the first date (ISO) on which the balance "
        "would fall below zero",
    )
    errors: list[FieldError] | None = Field(
        None,
        description="validation_failed: every bad field; a domain error: the field "
        "it is about, when it is about one",
    )


class ApiError(Exception):
    """An error of the service itself (authentication, access, idempotency)."""

    def __init__(
        self,
        code: str,
        detail: str,
        *,
        headers: dict[str, str] | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.headers = headers or {}
        self.field = field
        """The command field the refusal concerns, if one (as ``CodedError``)."""


def problem(
    code: str,
    detail: str,
    *,
    status: int | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    status = status or STATUS.get(code, 500)
    body = {
        "type": f"/problems/{code}",
        "title": code.replace("_", " "),
        "status": status,
        "detail": detail,
        "code": code,
        **{key: value for key, value in extra.items() if value is not None},
    }
    headers = dict(headers or {})
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse(
        body, status_code=status, media_type=MEDIA_TYPE, headers=headers
    )


def responses(*codes: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for a route that may answer these error codes."""
    found: dict[int | str, dict[str, Any]] = {}
    for code in codes:
        status = STATUS[code]
        entry = found.setdefault(
            status,
            {"model": Problem, "content": {MEDIA_TYPE: {}}, "description": ""},
        )
        entry["description"] = ", ".join(filter(None, [entry["description"], code]))
    return found


def located(request: Request, field: str | None) -> str | None:
    """Where the command field ``field`` came from in ``request``: its body
    field (by the schema's public name) or its path parameter; None when the
    request did not carry it."""
    if field is None:
        return None
    route = request.scope.get("route")
    body = getattr(getattr(route, "body_field", None), "field_info", None)
    schema = getattr(body, "annotation", None)
    if isinstance(schema, type) and issubclass(schema, Schema):
        public = schema.public_field(field)
        if public is not None:
            return f"body.{public}"
    path = request.path_params
    name = ORGANISATION_PATH if field == ORGANISATION_FIELD else field
    return f"path.{name}" if name in path else None


def reader_language(request: Request) -> Language:
    """Vietnamese, unless the request's ``Accept-Language`` puts English first."""
    asked = request.headers.get("accept-language", "").strip().lower()
    return "en" if asked.startswith("en") else "vi"


ORGANISATION_FIELD, ORGANISATION_PATH = "org", "code"
"""A command's organisation comes from the path parameter ``{code}``."""


def install(app: FastAPI) -> None:
    """Answer every error as a problem."""

    @app.exception_handler(CodedError)
    def _domain(request: Request, error: CodedError) -> JSONResponse:
        # JSON extension members of the answer, whatever their type.
        extra: dict[str, Any] = {k: v for k, v in error.details.items() if k in DETAILS}
        said = error.text(reader_language(request))
        where = located(request, error.field)
        if where is not None:
            extra["errors"] = [{"field": where, "message": said}]
        return problem(error.code, said, **extra)

    @app.exception_handler(ApiError)
    def _api(request: Request, error: ApiError) -> JSONResponse:
        where = located(request, error.field)
        errors = [{"field": where, "message": error.detail}] if where else None
        return problem(error.code, error.detail, headers=error.headers, errors=errors)

    @app.exception_handler(RequestValidationError)
    def _validation(_: Request, error: RequestValidationError) -> JSONResponse:
        errors = [
            {
                "field": ".".join(str(part) for part in e["loc"]),
                "message": e["msg"],
            }
            for e in error.errors()
        ]
        fields = ", ".join(e["field"] for e in errors)
        return problem("validation_failed", f"invalid: {fields}", errors=errors)

    @app.exception_handler(HTTPException)
    def _http(_: Request, error: HTTPException) -> JSONResponse:
        code = {
            404: "not_found",
            405: "method_not_allowed",
            413: "payload_too_large",
        }.get(error.status_code, "http_error")
        return problem(code, str(error.detail), status=error.status_code)

    @app.exception_handler(Exception)
    def _unexpected(request: Request, error: Exception) -> JSONResponse:
        if is_disk_full(error):  # nothing was committed: the writer may resend
            logger.error("the database's disk is full on %s", request.url.path)
            return problem("disk_full", DISK_FULL)
        logger.error(
            "unexpected error on %s %s",
            request.method,
            request.url.path,
            exc_info=error,
        )
        return problem("internal_error", "something went wrong; it has been logged")
