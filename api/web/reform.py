"""The admin's restructuring page, ``/reform``: paste a plan (the CSV of
``docs/restructuring.md``), see its dry run as tables — the steps in the
order they will run, each organisation before and after, the balances that
move, the totals, every error with its line — and apply it with one
confirmation. Applying runs the same plan again, all or nothing; a plan
applied twice changes nothing the second time.

Only an admin may use it. Every form carries a key bound to the signed-in
token (``api.web.submissions``), so a page elsewhere cannot post one.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.auth.tokens import Principal, Role
from api.books.restructuring import apply_plan, preview_plan
from api.books.restructuring.run import PlanOutcome
from api.http.deps import ServiceDep
from api.http.problems import ApiError
from api.http.service import HttpService
from api.web import submissions
from api.web.desk import PostedDep
from api.web.pages import page, render, sign_in_first
from api.web.session import WebPrincipalDep, token_of

router = APIRouter()
MAX_PLAN = 2_000_000
"""The longest plan pasted into the page, in characters."""


@router.get("/reform")
@page
def reform_form(
    request: Request, service: ServiceDep, principal: WebPrincipalDep
) -> Response:
    if principal.role is None:
        return sign_in_first(request)
    _admin_only(principal)
    return _show(request, principal, plan="", outcome=None, stage="edit")


@router.post("/reform")
@page
def reform_submit(
    request: Request,
    service: ServiceDep,
    principal: WebPrincipalDep,
    fields: PostedDep,
) -> Response:
    if principal.role is None:
        return sign_in_first(request)
    _admin_only(principal)
    plan = fields.get("plan", "")[:MAX_PLAN]
    if not submissions.is_ours(token_of(request), fields.get("form_key", "")):
        return _show(request, principal, plan=plan, outcome=None, stage="expired")
    if fields.get("action") == "apply":
        outcome = _run(service, principal, plan, apply=True)
        stage = "applied" if outcome.applied else "refused"
    else:
        outcome = _run(service, principal, plan, apply=False)
        stage = "preview"
    return _show(request, principal, plan=plan, outcome=outcome, stage=stage)


def _admin_only(principal: Principal) -> None:
    if principal.role is not Role.ADMIN:
        raise ApiError("forbidden", "only an admin may restructure")


def _run(
    service: HttpService, principal: Principal, plan: str, *, apply: bool
) -> PlanOutcome:
    run = apply_plan if apply else preview_plan
    outcome = run(service.ledger, plan, recorded_by=principal.name)
    if outcome.applied:
        service.read_models.catch_up()
    return outcome


def _show(
    request: Request,
    principal: Principal,
    *,
    plan: str,
    outcome: PlanOutcome | None,
    stage: str,
) -> Response:
    status = 422 if outcome is not None and outcome.errors else 200
    return render(
        request,
        "reform.html",
        principal=principal,
        private=True,
        status=status,
        plan=plan,
        outcome=outcome,
        stage=stage,
        form_key=submissions.new_key(token_of(request)),
    )
