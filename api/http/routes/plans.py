"""``POST /v1/restructurings``: a whole reform as one plan, all or nothing
(``api.books.restructuring``); ``?dry_run=true`` answers what it would change
and records nothing. A plan with errors is a problem listing each row and
column (``body.rows[3].into_code``)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse

from api.auth.access import AdminDep
from api.books.restructuring import apply_plan, preview_plan
from api.http.deps import ServiceDep
from api.http.problems import problem, responses
from api.http.schemas.plans import (
    FIRST_ROW_LINE,
    ChangePublic,
    MoneyMovePublic,
    PlanCreate,
    RestructuringPublic,
    StandingPublic,
    StepPublic,
)

router = APIRouter(prefix="/v1/restructurings", tags=["restructuring"])


@router.post(
    "",
    summary="Apply a restructuring plan, all or nothing (admin); ?dry_run=true "
    "previews it",
    responses=responses(
        "unauthenticated", "forbidden", "validation_failed", "invalid_plan"
    ),
    response_model=RestructuringPublic,
)
def restructure(
    body: PlanCreate,
    service: ServiceDep,
    principal: AdminDep,
    response: Response,
    dry_run: Annotated[
        bool, Query(description="Answer what would change; record nothing")
    ] = False,
) -> RestructuringPublic | JSONResponse:
    run = preview_plan if dry_run else apply_plan
    outcome = run(service.ledger, body.as_csv(), recorded_by=principal.name)
    if outcome.errors:
        return problem(
            "invalid_plan",
            f"the plan has {len(outcome.errors)} errors; nothing was recorded",
            errors=[
                {
                    "field": f"body.rows[{error.line - FIRST_ROW_LINE}]"
                    + (f".{error.column}" if error.column else ""),
                    "message": f"{error.code}: {error.message}",
                }
                for error in outcome.errors
            ],
        )
    position = (
        service.written(response) if outcome.applied else service.read_models.head()
    )
    return RestructuringPublic(
        dry_run=dry_run,
        applied=outcome.applied,
        steps=[
            StepPublic(
                row=step.line - FIRST_ROW_LINE, op=step.op, code=step.code, skipped=done
            )
            for step, done in outcome.steps
        ],
        changes=[
            ChangePublic(
                code=change.code,
                before=StandingPublic(**asdict(change.before))
                if change.before
                else None,
                after=StandingPublic(**asdict(change.after)),
            )
            for change in outcome.changes
        ],
        moves=[
            MoneyMovePublic(
                row=move.line - FIRST_ROW_LINE,
                from_code=move.from_code,
                to_code=move.to_code,
                fund=move.fund,
                amount_vnd=move.amount,
            )
            for move in outcome.moves
        ],
        total_before_vnd=outcome.total_before,
        total_after_vnd=outcome.total_after,
        position=position,
    )
