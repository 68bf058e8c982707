"""Cash and bank: receipts that are not gifts, deposits and withdrawals, and
each fund's balance per account."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.auth import access
from api.auth.access import EntriesReaderDep, RecorderDep
from api.http.deps import ReadPositionDep, ServiceDep
from api.http.problems import responses
from api.http.routes.entries import READ_ERRORS, RECORD_ERRORS, recorded
from api.http.schemas.accounts import (
    AccountMoveCreate,
    AccountsPublic,
    FundAccounts,
    IncomeCreate,
)
from api.http.schemas.common import OrgCodePath
from api.http.schemas.entries import EntryRecorded

router = APIRouter(prefix="/v1/organisations/{code}", tags=["accounts"])


@router.post(
    "/income",
    status_code=201,
    summary="Record income that is not a gift (phiếu thu): interest, dues …",
    responses=responses(*RECORD_ERRORS, "invalid_input"),
)
def income(
    code: OrgCodePath,
    body: IncomeCreate,
    service: ServiceDep,
    principal: RecorderDep,
    response: Response,
) -> EntryRecorded:
    entry_id = access.record(service, principal, body.to_command(code, principal.name))
    return recorded(service, response, code, body.voucher_no, entry_id, "income")


@router.post(
    "/deposits",
    status_code=201,
    summary="Pay cash into the bank account (within one fund)",
    responses=responses(*RECORD_ERRORS, "insufficient_funds", "invalid_input"),
)
def deposit(
    code: OrgCodePath,
    body: AccountMoveCreate,
    service: ServiceDep,
    principal: RecorderDep,
    response: Response,
) -> EntryRecorded:
    entry_id = access.record(service, principal, body.deposit(code, principal.name))
    return recorded(service, response, code, body.voucher_no, entry_id, "deposit")


@router.post(
    "/withdrawals",
    status_code=201,
    summary="Draw cash from the bank account (within one fund)",
    responses=responses(*RECORD_ERRORS, "insufficient_funds", "invalid_input"),
)
def withdrawal(
    code: OrgCodePath,
    body: AccountMoveCreate,
    service: ServiceDep,
    principal: RecorderDep,
    response: Response,
) -> EntryRecorded:
    entry_id = access.record(service, principal, body.withdrawal(code, principal.name))
    return recorded(service, response, code, body.voucher_no, entry_id, "withdrawal")


@router.get(
    "/accounts",
    summary="Each fund's balance in cash and at the bank",
    responses=responses(*READ_ERRORS),
)
def accounts(
    code: OrgCodePath,
    service: ServiceDep,
    _reader: EntriesReaderDep,
    position: ReadPositionDep,
    fund: Annotated[str | None, Query(max_length=64)] = None,
    as_of: Annotated[date | None, Query(description="Entries dated up to")] = None,
) -> AccountsPublic:
    found = service.queries.account_balances(code, fund=fund, as_of=as_of)
    return AccountsPublic(
        organisation=code,
        as_of=as_of,
        funds=[
            FundAccounts(fund=name, cash_vnd=held["cash"], bank_vnd=held["bank"])
            for name, held in sorted(found.items())
        ],
    )
