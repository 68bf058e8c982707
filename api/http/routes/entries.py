"""Money entries: record donations, disbursements, transfers and reversals; read
the journal and the raw event stream (auditors and treasurers in scope)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Path, Query, Response
from fastapi.encoders import jsonable_encoder

from api.auth import access
from api.auth.access import EntriesReaderDep, RecorderDep, ReverserDep
from api.http.deps import ReadPositionDep, ServiceDep
from api.http.problems import responses
from api.http.schemas.common import OrgCodePath
from api.http.schemas.entries import (
    DisbursementCreate,
    DonationCreate,
    EntriesPublic,
    EntryPublic,
    EntryRecorded,
    EventPublic,
    EventsPublic,
    ReversalCreate,
    TransferCreate,
)
from ledger.types import MAX_TEXT

RecordedKind = Literal[
    "donation",
    "disbursement",
    "transfer",
    "reversal",
    "income",
    "deposit",
    "withdrawal",
]
router = APIRouter(prefix="/v1/organisations/{code}", tags=["entries"])
RECORD_ERRORS = (
    "unauthenticated",
    "forbidden",
    "validation_failed",
    "invalid_amount",
    "invalid_date",
    "unknown_organisation",
    "unknown_fund",
    "unknown_campaign",
    "duplicate_voucher",
    "organisation_closed",
    "campaign_closed",
    "outside_campaign",
    "concurrent_update",
    "idempotency_key_reused",
)
READ_ERRORS = (
    "unauthenticated",
    "forbidden",
    "validation_failed",
    "unknown_organisation",
    "read_model_lag",
)
MAX_VERSION = 2**62
"""Far beyond any aggregate's history, and within a database integer."""
EVENT_FIELDS_LEFT_OUT = {
    "originator_id",
    "originator_version",
    "originator_topic",
    "timestamp",
}


@router.post(
    "/donations",
    status_code=201,
    summary="Record a donation (phiếu thu)",
    responses=responses(*RECORD_ERRORS, "invalid_input"),
)
def donation(
    code: OrgCodePath,
    body: DonationCreate,
    service: ServiceDep,
    principal: RecorderDep,
    response: Response,
) -> EntryRecorded:
    entry_id = access.record(service, principal, body.to_command(code, principal.name))
    return recorded(service, response, code, body.voucher_no, entry_id, "donation")


@router.post(
    "/disbursements",
    status_code=201,
    summary="Pay scholarships, awards or other costs (phiếu chi)",
    responses=responses(*RECORD_ERRORS, "insufficient_funds", "invalid_input"),
)
def disbursement(
    code: OrgCodePath,
    body: DisbursementCreate,
    service: ServiceDep,
    principal: RecorderDep,
    response: Response,
) -> EntryRecorded:
    entry_id = access.record(service, principal, body.to_command(code, principal.name))
    answer = recorded(
        service, response, code, body.voucher_no, entry_id, "disbursement"
    )
    answer.pending = str(entry_id) in service.ledger.organisation(code).pending
    return answer


@router.post(
    "/transfers",
    status_code=201,
    summary="Transfer money to another organisation's fund, atomically",
    responses=responses(
        *RECORD_ERRORS, "insufficient_funds", "restricted_fund", "invalid_input"
    ),
)
def transfer(
    code: OrgCodePath,
    body: TransferCreate,
    service: ServiceDep,
    principal: RecorderDep,
    response: Response,
) -> EntryRecorded:
    entry_id = access.record(service, principal, body.to_command(code, principal.name))
    return recorded(service, response, code, body.voucher_no, entry_id, "transfer")


@router.post(
    "/entries/{voucher_no}/reversal",
    status_code=201,
    summary="Reverse an entry by a compensating one (at most once)",
    responses=responses(
        "unauthenticated",
        "forbidden",
        "validation_failed",
        "invalid_date",
        "unknown_organisation",
        "unknown_entry",
        "already_reversed",
        "insufficient_funds",
        "organisation_closed",
        "concurrent_update",
        "idempotency_key_reused",
    ),
)
def reversal(
    code: OrgCodePath,
    voucher_no: Annotated[str, Path(min_length=1, max_length=MAX_TEXT)],
    body: ReversalCreate,
    service: ServiceDep,
    principal: ReverserDep,
    response: Response,
) -> EntryRecorded:
    command = body.to_command(code, voucher_no, principal.name)
    entry_id = access.record(service, principal, command)
    return recorded(service, response, code, voucher_no, entry_id, "reversal")


def recorded(
    service: ServiceDep,
    response: Response,
    code: str,
    voucher_no: str,
    entry_id: UUID,
    kind: RecordedKind,
) -> EntryRecorded:
    return EntryRecorded(
        organisation=code,
        voucher_no=voucher_no,
        entry_id=str(entry_id),
        kind=kind,
        position=service.written(response),
    )


@router.get(
    "/entries",
    summary="The journal: every entry, in log order, a page at a time",
    responses=responses(*READ_ERRORS, "invalid_input"),
)
def entries(
    code: OrgCodePath,
    service: ServiceDep,
    _reader: EntriesReaderDep,
    position: ReadPositionDep,
    date_from: Annotated[
        date | None, Query(alias="from", description="Business dates from")
    ] = None,
    date_to: Annotated[date | None, Query(alias="to", description="… up to")] = None,
    cursor: Annotated[
        str | None, Query(description="The previous page's next_cursor")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1_000)] = 100,
) -> EntriesPublic:
    page = service.queries.journal(
        code, date_from=date_from, date_to=date_to, cursor=cursor, limit=limit
    )
    return EntriesPublic(
        data=[
            EntryPublic(
                line=e.line_no,
                **{
                    k: v
                    for k, v in jsonable_encoder(e).items()
                    if k not in {"line_no", "recorded_at"}
                },
                recorded_at=e.recorded_at,
            )
            for e in page.entries
        ],
        next_cursor=page.next_cursor,
        position=position,
    )


@router.get(
    "/events",
    summary="The organisation's raw event stream: versions, timestamps, actors",
    responses=responses(*READ_ERRORS),
)
def events(
    code: OrgCodePath,
    service: ServiceDep,
    _reader: EntriesReaderDep,
    after_version: Annotated[int, Query(ge=0, le=MAX_VERSION)] = 0,
    limit: Annotated[int, Query(ge=1, le=1_000)] = 100,
) -> EventsPublic:
    stored = service.ledger.history(code, after_version=after_version, limit=limit + 1)
    page = stored[:limit]
    return EventsPublic(
        data=[
            EventPublic(
                version=event.originator_version,
                type=type(event).__qualname__.split(".")[-1],
                timestamp=event.timestamp,
                recorded_by=getattr(event, "recorded_by", None),
                data=jsonable_encoder(
                    {
                        k: v
                        for k, v in vars(event).items()
                        if k not in EVENT_FIELDS_LEFT_OUT
                    }
                ),
            )
            for event in page
        ],
        next_after=page[-1].originator_version if len(stored) > limit else None,
    )
