"""The tree's changes (admin) and an organisation's history (public).

Each change is ``POST /v1/organisations/{code}/<change>`` with its
``effective_on``; ``Idempotency-Key`` answers a re-sent request (the
middleware), and a refused change is a problem naming the body field.
"""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Response

from api.auth.access import AdminDep
from api.http.deps import ReadPositionDep, ServiceDep
from api.http.problems import responses
from api.http.schemas.common import OrgCodePath
from api.http.schemas.restructuring import (
    DatedValuePublic,
    DissolveCreate,
    HistoryPublic,
    LevelChange,
    LinkPublic,
    MergeCreate,
    MoveCreate,
    ParentPeriodPublic,
    RenameCreate,
    Restructured,
    SplitCreate,
)
from api.http.service import HttpService
from ledger.commands import Command

router = APIRouter(prefix="/v1/organisations", tags=["restructuring"])
CHANGE_ERRORS = (
    "unauthenticated",
    "forbidden",
    "validation_failed",
    "unknown_organisation",
    "invalid_date",
    "organisation_closed",
    "invalid_hierarchy",
)


def _run(
    service: HttpService,
    command: Command[None],
    code: str,
    change: str,
    response: Response,
) -> Restructured:
    service.ledger.execute(command)
    position = service.written(response)
    return Restructured(organisation=code, change=change, position=position)


@router.post(
    "/{code}/rename",
    summary="Rename an organisation from a date (admin)",
    responses=responses(*CHANGE_ERRORS),
)
def rename(
    code: OrgCodePath,
    body: RenameCreate,
    service: ServiceDep,
    principal: AdminDep,
    response: Response,
) -> Restructured:
    return _run(
        service, body.to_command(code, principal.name), code, "rename", response
    )


@router.post(
    "/{code}/move",
    summary="Put an organisation under another parent from a date (admin)",
    responses=responses(*CHANGE_ERRORS),
)
def move(
    code: OrgCodePath,
    body: MoveCreate,
    service: ServiceDep,
    principal: AdminDep,
    response: Response,
) -> Restructured:
    return _run(service, body.to_command(code, principal.name), code, "move", response)


@router.post(
    "/{code}/merge",
    summary="Merge an organisation into another: its balances move across (admin)",
    responses=responses(*CHANGE_ERRORS, "has_children", "restricted_fund"),
)
def merge(
    code: OrgCodePath,
    body: MergeCreate,
    service: ServiceDep,
    principal: AdminDep,
    response: Response,
) -> Restructured:
    return _run(service, body.to_command(code, principal.name), code, "merge", response)


@router.post(
    "/{code}/dissolve",
    summary="End an organisation that holds no money and has no children (admin)",
    responses=responses(*CHANGE_ERRORS, "has_children", "has_balance"),
)
def dissolve(
    code: OrgCodePath,
    body: DissolveCreate,
    service: ServiceDep,
    principal: AdminDep,
    response: Response,
) -> Restructured:
    return _run(
        service, body.to_command(code, principal.name), code, "dissolve", response
    )


@router.post(
    "/{code}/split",
    summary="End an organisation and divide its funds among successors (admin)",
    responses=responses(
        *CHANGE_ERRORS,
        "has_children",
        "restricted_fund",
        "unbalanced_split",
        "unknown_fund",
        "invalid_input",
    ),
)
def split(
    code: OrgCodePath,
    body: SplitCreate,
    service: ServiceDep,
    principal: AdminDep,
    response: Response,
) -> Restructured:
    return _run(service, body.to_command(code, principal.name), code, "split", response)


@router.post(
    "/{code}/level",
    summary="Change an organisation's level, e.g. agency 'Hội' to 'Ban' (admin)",
    responses=responses(*CHANGE_ERRORS, "has_children"),
)
def change_level(
    code: OrgCodePath,
    body: LevelChange,
    service: ServiceDep,
    principal: AdminDep,
    response: Response,
) -> Restructured:
    return _run(service, body.to_command(code, principal.name), code, "level", response)


@router.get(
    "/{code}/history",
    summary="Names, levels and parents with their dates; predecessors and successors",
    responses=responses("validation_failed", "unknown_organisation", "read_model_lag"),
)
def history(
    code: OrgCodePath, service: ServiceDep, position: ReadPositionDep
) -> HistoryPublic:
    found = service.queries.record(code)
    info = found.organisation
    return HistoryPublic(
        code=info.code,
        status=info.status,
        closed_on=info.closed_on,
        names=[DatedValuePublic(**asdict(v)) for v in found.names],
        levels=[DatedValuePublic(**asdict(v)) for v in found.levels],
        parents=[ParentPeriodPublic(**asdict(p)) for p in found.parents],
        predecessors=[LinkPublic(**asdict(link)) for link in found.predecessors],
        successors=[LinkPublic(**asdict(link)) for link in found.successors],
        position=position,
    )
