"""Approving payments (issue 15, item 5): an organisation may require that a
payment above an amount it sets be approved — by an approver, never the one
who recorded it — before it counts. Until then it is pending: it holds its
amount against the balance and appears in no total."""

from __future__ import annotations

import attrs

from ledger.commands.base import Command
from ledger.types import EntryId, OrgCode, VoucherNo
from ledger.validation import check_amount, is_code, is_required_text, stripped


def _threshold(
    _: object, attribute: attrs.Attribute[int | None], value: int | None
) -> None:
    if value is not None:
        check_amount(value, attribute.name)


@attrs.frozen
class SetApprovalThreshold(Command[None]):
    """Payments (disbursements) of ``org`` above ``threshold`` đồng wait for
    approval; ``None`` (the default of every organisation) turns it off."""

    org: OrgCode = attrs.field(validator=is_code)
    threshold: int | None = attrs.field(kw_only=True, validator=_threshold)

    def locks(self) -> tuple[OrgCode | None, ...]:
        return (self.org,)


@attrs.frozen
class ApprovePayment(Command[EntryId]):
    """Approve the pending payment ``voucher_no`` of ``org``: from now on it
    counts, and its voucher names the approver (``recorded_by``)."""

    org: OrgCode = attrs.field(validator=is_code)
    voucher_no: VoucherNo = attrs.field(converter=stripped, validator=is_required_text)

    def locks(self) -> tuple[OrgCode | None, ...]:
        return (self.org,)


@attrs.frozen
class RejectPayment(Command[EntryId]):
    """Reject the pending payment ``voucher_no`` of ``org``, saying why: the
    amount it held is free again and it never counts."""

    org: OrgCode = attrs.field(validator=is_code)
    voucher_no: VoucherNo = attrs.field(converter=stripped, validator=is_required_text)
    reason: str = attrs.field(
        kw_only=True, converter=stripped, validator=is_required_text
    )

    def locks(self) -> tuple[OrgCode | None, ...]:
        return (self.org,)
