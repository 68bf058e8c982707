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
from uuid import UUID

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
ORG_IDS = frozenset(
    {
        "parent_id",
        "old_parent_id",
        "new_parent_id",
        "child_id",
        "counterpart_org_id",
        "from_org_id",
        "to_org_id",
        "into_id",
        "source_id",
        "organiser_id",
    }
)
"""Fields that hold an organisation's id: shown as its code."""
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
    seal = SealedLog(service.ledger).last()
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
        events=_events(service, events),
        next_after=events[-1].originator_version if len(stored) > PAGE else None,
        may_verify=principal.role is Role.AUDITOR,
        verification=verification if isinstance(verification, Verification) else None,
        verify_problem=verification if isinstance(verification, FormProblem) else None,
        shown_differences=SHOWN_DIFFERENCES,
        seal=seal,
        sealed_at=datetime.fromisoformat(seal.sealed_at) if seal else None,
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


def _events(service: HttpService, events: list[Any]) -> list[dict[str, Any]]:
    """The events as a person reads them: organisations by their codes (not
    their ids), internal ids left out; the page names types and fields."""
    ids = [
        value
        for event in events
        for key, value in vars(event).items()
        if key in ORG_IDS and isinstance(value, UUID)
    ]
    codes = service.queries.org_codes(ids)
    return [_event(event, codes) for event in events]


def _event(event: Any, codes: dict[UUID | None, str]) -> dict[str, Any]:
    """An event as the API's ``/events`` shows it: version, type, moment, actor
    and its own fields (an organisation's id as its code)."""
    data: dict[str, object] = {}
    for key, value in vars(event).items():
        if key in LEFT_OUT or key == "recorded_by" or value is None:
            continue
        if key in ORG_IDS and isinstance(value, UUID):
            data[key.removesuffix("_id")] = codes.get(value, "?")
        elif not isinstance(value, UUID):
            data[key] = _plain(value)
    return {
        "version": event.originator_version,
        "type": type(event).__qualname__.split(".")[-1],
        "timestamp": event.timestamp,
        "recorded_by": getattr(event, "recorded_by", None),
        "data": data,
    }


def _plain(value: object) -> object:
    """Whole numbers stay numbers (shown grouped), dates stay dates (shown
    the reader's way); the rest as text."""
    if isinstance(value, int | date) and not isinstance(value, bool):
        return value
    enum_value = getattr(value, "value", None)
    if isinstance(enum_value, str):
        return enum_value
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)
