"""The journal page: an organisation's entries in log order, a page at a time,
between two business dates — names included, so for an auditor or a
treasurer whose scope holds the organisation (``api.auth.access.entries_reader``).
Each entry links to its voucher.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.auth import access
from api.http.deps import ServiceDep
from api.web.dates import parse_day
from api.web.pages import page, render
from api.web.problem import FormProblem
from api.web.session import WebPrincipalDep

router = APIRouter()
PAGE = 50
VOUCHER_KINDS = frozenset(
    {"donation", "disbursement", "transfer_out", "transfer_in", "reversal"}
)


@router.get("/journal/{code}")
@page
def journal(
    request: Request,
    code: str,
    service: ServiceDep,
    principal: WebPrincipalDep,
    date_from: Annotated[str, Query(alias="from", max_length=20)] = "",
    date_to: Annotated[str, Query(alias="to", max_length=20)] = "",
    cursor: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    access.entries_reader(code, service, principal)
    bounds = {"from": parse_day(date_from), "to": parse_day(date_to)}
    problems = {k: v for k, v in bounds.items() if isinstance(v, FormProblem)}
    start, end = (v if isinstance(v, date) else None for v in bounds.values())
    queries = service.queries
    found = None
    if not problems:
        found = queries.journal(
            code, date_from=start, date_to=end, cursor=cursor, limit=PAGE
        )
    return render(
        request,
        "journal.html",
        principal=principal,
        private=True,
        status=422 if problems else 200,
        org=queries.organisation(code),
        filters={"from": date_from, "to": date_to},
        problems=problems,
        entries=found.entries if found else (),
        next_cursor=found.next_cursor if found else None,
        voucher_kinds=VOUCHER_KINDS,
        may_record=access.in_scope(service, principal, code),
    )
