"""Approving payments (issue 15, item 5): ``approval-threshold``,
``approve-payment`` and ``reject-payment``."""

from __future__ import annotations

import argparse

from api.cli.subcommands import EXIT_OK, Subcommands, core_from_settings
from ledger.commands import ApprovePayment, RejectPayment, SetApprovalThreshold


def register(subcommands: Subcommands) -> None:
    threshold = subcommands.add(
        "approval-threshold",
        summary="payments of an organisation above an amount wait for approval",
        description="A payment (disbursement) above the amount is recorded as "
        "pending: it holds its amount and counts in no total until an approver "
        "approves or rejects it. --off turns approval off (the default).",
        example="khuyenhoc approval-threshold --org NA-DC-DH --amount 20000000",
        run=_threshold,
    )
    threshold.add_argument("--org", required=True, metavar="CODE")
    choice = threshold.add_mutually_exclusive_group(required=True)
    choice.add_argument("--amount", type=int, metavar="DONG")
    choice.add_argument("--off", action="store_true")
    threshold.add_argument("--recorded-by", default="khuyenhoc approval-threshold")
    for name, summary, run in (
        ("approve-payment", "approve a pending payment", _approve),
        ("reject-payment", "reject a pending payment, with a reason", _reject),
    ):
        deciding = subcommands.add(
            name,
            summary=summary,
            description="--recorded-by names the approver (never whoever "
            "recorded the payment: self_approval); the phiếu chi prints it.",
            example=f'khuyenhoc {name} --org NA-DC-DH --voucher PC-7 --recorded-by "…"',
            run=run,
        )
        deciding.add_argument("--org", required=True, metavar="CODE")
        deciding.add_argument("--voucher", required=True, metavar="NUMBER")
        deciding.add_argument("--recorded-by", required=True, metavar="APPROVER")
        if run is _reject:
            deciding.add_argument("--reason", required=True)


def _threshold(args: argparse.Namespace) -> int:
    amount = None if args.off else args.amount
    with core_from_settings() as core:
        core.ledger.execute(
            SetApprovalThreshold(
                args.org, threshold=amount, recorded_by=args.recorded_by
            )
        )
    print(f"{args.org}: approval {'off' if amount is None else f'above {amount}'}")
    return EXIT_OK


def _approve(args: argparse.Namespace) -> int:
    with core_from_settings() as core:
        core.ledger.execute(
            ApprovePayment(args.org, args.voucher, recorded_by=args.recorded_by)
        )
    print(f"{args.org}: {args.voucher} approved")
    return EXIT_OK


def _reject(args: argparse.Namespace) -> int:
    with core_from_settings() as core:
        core.ledger.execute(
            RejectPayment(
                args.org, args.voucher, reason=args.reason, recorded_by=args.recorded_by
            )
        )
    print(f"{args.org}: {args.voucher} rejected")
    return EXIT_OK
