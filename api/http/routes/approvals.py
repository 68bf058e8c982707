"""Approving payments (issue 15, item 5): an organisation's approver (a token
with the ``approver`` role for it) approves or rejects a pending payment; an
admin or the approver sets the amount above which payments wait."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Response
from pydantic import Field

from api.auth import access
from api.http.deps import PrincipalDep, ServiceDep
from api.http.problems import responses
from api.http.schemas.common import (
    Amount,
    Code,
    OrgCodePath,
    Position,
    Schema,
    Text,
)
from ledger.commands import ApprovePayment, RejectPayment, SetApprovalThreshold
from ledger.types import MAX_TEXT

router = APIRouter(prefix="/v1/organisations/{code}", tags=["approvals"])
ERRORS = (
    "unauthenticated",
    "forbidden",
    "validation_failed",
    "unknown_organisation",
    "organisation_closed",
    "concurrent_update",
    "idempotency_key_reused",
)
DECIDE_ERRORS = (
    *ERRORS,
    "unknown_entry",
    "not_pending",
    "self_approval",
    "period_closed",
)
VoucherPath = Annotated[str, Path(min_length=1, max_length=MAX_TEXT)]


class ApprovalThreshold(Schema):
    threshold: Amount | None = Field(
        alias="threshold_vnd",
        description="Payments above this many đồng wait for approval; null: none do.",
        examples=[20_000_000],
    )


class ApprovalSettings(Schema):
    organisation: Code
    threshold_vnd: int | None
    position: Position


class PaymentRejection(Schema):
    reason: Text = Field(examples=["Thiếu hồ sơ xét học bổng"])


class PaymentDecision(Schema):
    organisation: Code
    voucher_no: str
    entry_id: str
    status: Literal["approved", "rejected"]
    decided_by: str
    position: Position


@router.put(
    "/approval-threshold",
    summary="Set the amount above which payments wait for approval (admin or approver)",
    responses=responses(*ERRORS, "invalid_input"),
)
def set_approval_threshold(
    code: OrgCodePath,
    body: ApprovalThreshold,
    service: ServiceDep,
    principal: PrincipalDep,
    response: Response,
) -> ApprovalSettings:
    command = SetApprovalThreshold(
        code, threshold=body.threshold, recorded_by=principal.name
    )
    access.record(service, principal, command)
    return ApprovalSettings(
        organisation=code,
        threshold_vnd=body.threshold,
        position=service.written(response),
    )


@router.post(
    "/payments/{voucher_no}/approval",
    summary="Approve a pending payment (its organisation's approver, not its recorder)",
    responses=responses(*DECIDE_ERRORS),
)
def approve_payment(
    code: OrgCodePath,
    voucher_no: VoucherPath,
    service: ServiceDep,
    principal: PrincipalDep,
    response: Response,
) -> PaymentDecision:
    command = ApprovePayment(code, voucher_no, recorded_by=principal.name)
    entry_id = access.record(service, principal, command)
    return PaymentDecision(
        organisation=code,
        voucher_no=voucher_no,
        entry_id=str(entry_id),
        status="approved",
        decided_by=principal.name,
        position=service.written(response),
    )


@router.post(
    "/payments/{voucher_no}/rejection",
    summary="Reject a pending payment, saying why (its organisation's approver)",
    responses=responses(*DECIDE_ERRORS),
)
def reject_payment(
    code: OrgCodePath,
    voucher_no: VoucherPath,
    body: PaymentRejection,
    service: ServiceDep,
    principal: PrincipalDep,
    response: Response,
) -> PaymentDecision:
    command = RejectPayment(
        code, voucher_no, reason=body.reason, recorded_by=principal.name
    )
    entry_id = access.record(service, principal, command)
    return PaymentDecision(
        organisation=code,
        voucher_no=voucher_no,
        entry_id=str(entry_id),
        status="rejected",
        decided_by=principal.name,
        position=service.written(response),
    )
