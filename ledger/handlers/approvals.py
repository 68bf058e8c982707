"""Approving payments (issue 15, item 5): the threshold, approving, rejecting."""

from __future__ import annotations

from ledger.commands.approvals import (
    ApprovePayment,
    RejectPayment,
    SetApprovalThreshold,
)
from ledger.handlers.registry import handles
from ledger.types import EntryId
from ledger.unit_of_work import UnitOfWork


@handles(SetApprovalThreshold)
def set_approval_threshold(command: SetApprovalThreshold, uow: UnitOfWork) -> None:
    org = uow.org(command.org)
    org.set_approval_threshold(command.threshold, recorded_by=command.recorded_by)
    uow.save(org)


@handles(ApprovePayment)
def approve_payment(command: ApprovePayment, uow: UnitOfWork) -> EntryId:
    org = uow.org(command.org)
    voucher, payment = uow.pending_payment(org, command.voucher_no)
    org.approve_payment(payment, approved_by=command.recorded_by)
    voucher.approve(event_version=org.version, approved_by=command.recorded_by)
    uow.save(org, voucher)
    return voucher.id


@handles(RejectPayment)
def reject_payment(command: RejectPayment, uow: UnitOfWork) -> EntryId:
    org = uow.org(command.org)
    voucher, payment = uow.pending_payment(org, command.voucher_no)
    org.reject_payment(payment, reason=command.reason, recorded_by=command.recorded_by)
    voucher.reject(reason=command.reason, recorded_by=command.recorded_by)
    uow.save(org, voucher)
    return voucher.id
