"""The treasurer's desk: signing in and out, and the desk of an organisation —
its funds, the links to its forms (``api.web.recording``), its journal and
audit view, and the entry just recorded with its voucher.

Who may do what is ``api.auth.access``'s: the desk of an organisation is for a
treasurer whose scope holds it (``may_record``).
"""

from __future__ import annotations

import contextlib
from typing import Annotated
from urllib.parse import urlsplit
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from api.auth import access
from api.auth.gate import authenticate, client_of
from api.auth.tokens import Principal, Role
from api.http.deps import ServiceDep
from api.http.problems import STATUS, ApiError
from api.http.service import HttpService
from api.web.forms import FORMS
from api.web.pages import page, render, sign_in_first
from api.web.problem import FormProblem
from api.web.session import (
    MAX_SECRET,
    WebPrincipalDep,
    forget_token,
    keep_session,
    local_path,
    token_of,
)
from ledger import LedgerError
from projections.errors import InvalidQuery, WaitTimeout

router = APIRouter()


async def from_this_site(request: Request) -> None:
    """Refuse a POST whose page came from another site.

    Every route of the web pages depends on it (``api.web.router``), so a
    form route cannot be added without it. The cookie's SameSite=Strict
    already keeps the session from other sites' forms; this also stops a
    page elsewhere from signing a browser in or out. This site is the
    ``Host`` the request came to, or the one a reverse proxy says it came to
    (``X-Forwarded-Host``): a page elsewhere cannot add that header to a form
    it posts, so trusting it opens nothing.
    """
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    origin = request.headers.get("origin")
    if origin and urlsplit(origin).netloc not in _this_site(request):
        raise ApiError("forbidden", "a form may only be sent from this site's pages")


async def posted(request: Request) -> dict[str, str]:
    """A form's fields (text only; a repeated name keeps its last value)."""
    form = await request.form()
    return {name: value for name, value in form.multi_items() if isinstance(value, str)}


PostedDep = Annotated[dict[str, str], Depends(posted)]


def _this_site(request: Request) -> set[str]:
    hosts = {request.headers.get("host", "")}
    forwarded = request.headers.get("x-forwarded-host")
    if forwarded:
        hosts.add(forwarded.split(",")[0].strip())
    return hosts


def home_of(principal: Principal) -> str:
    if principal.role is Role.TREASURER and principal.org:
        return f"/desk/{principal.org}"
    if principal.role is Role.AUDITOR:
        return "/audit"
    return "/"


@router.get("/signin")
def sign_in_form(
    request: Request,
    principal: WebPrincipalDep,
    next_page: Annotated[str | None, Query(alias="next")] = None,
) -> Response:
    return render(
        request,
        "signin.html",
        principal=principal,
        private=True,
        next_page=local_path(next_page, ""),
        problem=None,
    )


@router.post("/signin")
def sign_in(request: Request, service: ServiceDep, fields: PostedDep) -> Response:
    secret = fields.get("token", "").strip()
    next_page = local_path(fields.get("next"), "")
    refused = FormProblem("unauthenticated", "a token is needed to sign in")
    found = None
    if 0 < len(secret) <= MAX_SECRET:
        try:  # the API's check: failures counted and slowed down per client
            found = authenticate(
                service.tokens, service.throttle, secret, client_of(request)
            )
        except ApiError as error:
            refused = FormProblem(error.code, error.detail)
    if found is None:
        return render(
            request,
            "signin.html",
            status=STATUS.get(refused.code, 401),
            private=True,
            next_page=next_page,
            problem=refused,
        )
    response = RedirectResponse(next_page or home_of(found), status_code=303)
    keep_session(request, response, service.sessions.begin(found))
    return response


@router.post("/signout")
def sign_out(request: Request, service: ServiceDep) -> Response:
    """End the session (its cookie opens nothing afterwards) and clear it."""
    secret = token_of(request)
    if secret:
        service.sessions.end(secret)
    response = RedirectResponse("/", status_code=303)
    forget_token(request, response)
    return response


@router.get("/desk")
@page
def desk_home(request: Request, principal: WebPrincipalDep) -> Response:
    if principal.role is None:
        return sign_in_first(request)
    if principal.role in (Role.TREASURER, Role.AUDITOR):
        return RedirectResponse(home_of(principal), status_code=303)
    raise ApiError("forbidden", "this token may not record entries")


async def shown_after(
    code: str,
    service: ServiceDep,
    principal: WebPrincipalDep,
    after: Annotated[int | None, Query(ge=0, le=2**62)] = None,
) -> None:
    """The entry just recorded: the desk shows it once the read models hold
    it — waiting as the API's ``?after=`` does (``api.http.waiting``), on the
    event loop and bounded; a position past the log's end or a wait that runs
    out shows the desk as it is. Only a treasurer of ``code`` waits at all."""
    if after is None:
        return
    allowed = await run_in_threadpool(_may_record, service, principal, code)
    if not allowed:
        return
    with contextlib.suppress(WaitTimeout, InvalidQuery):
        await service.waits.until(
            service.read_models, after, service.settings.read_wait_seconds
        )


def _may_record(service: HttpService, principal: Principal, code: str) -> bool:
    try:
        access.may_record(service, principal, code)
    except (ApiError, LedgerError):
        return False
    return True


ShownAfterDep = Annotated[None, Depends(shown_after)]


@router.get("/desk/{code}")
@page
def desk(
    request: Request,
    code: str,
    service: ServiceDep,
    principal: WebPrincipalDep,
    _: ShownAfterDep,
    done: UUID | None = None,
    again: bool = False,
) -> Response:
    access.may_record(service, principal, code)
    queries = service.queries
    info = queries.organisation(code)
    parent = info.parent
    return render(
        request,
        "desk.html",
        principal=principal,
        private=True,
        org=info,
        balance=queries.balance(code),
        parent=queries.organisation(parent)
        if parent and access.in_scope(service, principal, parent)
        else None,
        children=queries.children(code),
        done=queries.entry(code, done) if done else None,
        again=again,
        forms=list(FORMS),
    )
