"""The auditor's view of an organisation: its event history (who did what,
when), its balance at a chosen point in time (``as_of`` a business date,
``known_at`` a moment of recording), the ``verify`` result and the seal.

Reading it follows ``api.auth.access.entries_reader`` (an auditor, or a treasurer
whose scope holds the organisation), as the API's ``/events`` does. Running
``verify`` rebuilds every read model into scratch tables and compares them:
it concerns the whole ledger and shows rows with names, so only an auditor
may start it; it checks the sealed log's chain too (``ledger.seals``). The
page shows the last seal: its number, position, time and hash.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from api.auth import access
from api.auth.tokens import Principal, Role
from api.http.deps import ServiceDep
from api.http.problems import ApiError
from api.http.service import HttpService
from api.web.dates import parse_day, parse_moment
from api.web.pages import page, render, sign_in_first
from api.web.problem import FormProblem
from api.web.session import WebPrincipalDep
from ledger.seals import ChainCheck, SealedLog
from projections.errors import ReadModelError
from projections.verify import Verification, verify

router = APIRouter()
PAGE = 50
MAX_VERSION = 2**62
LEFT_OUT = {"originator_id", "originator_version", "originator_topic", "timestamp"}
SHOWN_DIFFERENCES = 50


@router.get("/audit")
@page
def audit_home(
    request: Request, service: ServiceDep, principal: WebPrincipalDep
) -> Response:
    if principal.role is None:
        return sign_in_first(request)
    if principal.role is Role.TREASURER and principal.org:
        return RedirectResponse(f"/audit/{principal.org}", status_code=303)
    if principal.role is not Role.AUDITOR:
        raise ApiError("forbidden", "this token may not read entries")
    return render(
        request,
        "audit_home.html",
        principal=principal,
        private=True,
        roots=service.queries.roots(),
    )


@router.get("/audit/{code}")
@page
def audit(
    request: Request,
    code: str,
    service: ServiceDep,
    principal: WebPrincipalDep,
    as_of: Annotated[str, Query(max_length=20)] = "",
    known_at: Annotated[str, Query(max_length=40)] = "",
    subtree: bool = False,
    after_version: Annotated[int, Query(ge=0, le=MAX_VERSION)] = 0,
) -> Response:
    access.entries_reader(code, service, principal)
    return _audit_page(
        request, service, principal, code, as_of, known_at, subtree, after_version
    )


@router.post("/audit/{code}/verify")
@page
def run_verify(
    request: Request, code: str, service: ServiceDep, principal: WebPrincipalDep
) -> Response:
    access.entries_reader(code, service, principal)
    if principal.role is not Role.AUDITOR:
        raise ApiError("forbidden", "only an auditor may run verify")
    chain = SealedLog(service.ledger).verify()
    try:
        result: Verification | FormProblem = verify(service.read_models)
    except ReadModelError as error:
        result = FormProblem.of(error)
    return _audit_page(
        request, service, principal, code, verification=result, chain=chain
    )


def _audit_page(
    request: Request,
    service: HttpService,
    principal: Principal,
    code: str,
    as_of: str = "",
    known_at: str = "",
    subtree: bool = False,
    after_version: int = 0,
    verification: Verification | FormProblem | None = None,
    chain: ChainCheck | None = None,
) -> Response:
    queries = service.queries
    point, problems = _point_in_time(as_of, known_at)
    balance = None
    if (point[0] or point[1]) and not problems:
        try:
            balance = queries.balance(
                code, subtree=subtree, as_of=point[0], known_at=point[1]
            )
        except ReadModelError as error:
            problems["known_at"] = FormProblem.of(error)
    stored = service.ledger.history(code, after_version=after_version, limit=PAGE + 1)
    events = stored[:PAGE]
    return render(
        request,
        "audit.html",
        principal=principal,
        private=True,
        status=422 if problems else 200,
        org=queries.organisation(code),
        today_balance=queries.balance(code, subtree=subtree),
        balance=balance,
        then={fund.fund: fund.balance for fund in balance.funds} if balance else {},
        asked={"as_of": as_of, "known_at": known_at, "subtree": subtree},
        problems=problems,
        events=[_event(event) for event in events],
        next_after=events[-1].originator_version if len(stored) > PAGE else None,
        may_verify=principal.role is Role.AUDITOR,
        verification=verification if isinstance(verification, Verification) else None,
        verify_problem=verification if isinstance(verification, FormProblem) else None,
        shown_differences=SHOWN_DIFFERENCES,
        seal=SealedLog(service.ledger).last(),
        chain=chain,
    )


def _point_in_time(
    as_of: str, known_at: str
) -> tuple[tuple[date | None, datetime | None], dict[str, FormProblem]]:
    problems: dict[str, FormProblem] = {}
    day = parse_day(as_of)
    if isinstance(day, FormProblem):
        problems["as_of"] = day
        day = None
    moment = parse_moment(known_at)
    if isinstance(moment, FormProblem):
        problems["known_at"] = moment
        moment = None
    return (day, moment), problems


def _event(event: Any) -> dict[str, Any]:
    """An event as the API's ``/events`` shows it: version, type, moment, actor
    and its own fields."""
    return {
        "version": event.originator_version,
        "type": type(event).__qualname__.split(".")[-1],
        "timestamp": event.timestamp,
        "recorded_by": getattr(event, "recorded_by", None),
        "data": {
            key: _plain(value)
            for key, value in vars(event).items()
            if key not in LEFT_OUT and key != "recorded_by" and value is not None
        },
    }


def _plain(value: object) -> object:
    """Whole numbers stay numbers (shown grouped); the rest as text."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    enum_value = getattr(value, "value", None)
    if isinstance(enum_value, str):
        return enum_value
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)
