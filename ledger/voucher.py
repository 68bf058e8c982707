"""A voucher (phiếu thu / phiếu chi): the uniqueness and fate of one entry.

Its id is ``uuid5(organisation id, voucher number)`` — the library's idiom for
uniqueness — so two writers that record the same voucher number race on one
aggregate id and exactly one wins, across processes and restarts. The voucher
remembers a fingerprint of the entry's content (to tell an idempotent re-send
from a conflicting one), where the entry's event is in the organisation's
history, and for a transfer in the receiver's (to reverse it), and whether it
has been reversed. Its state stays this small however much is recorded.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate

from ledger import errors
from ledger.ids import reversal_id
from ledger.types import EntryKind
from ledger.wording import says


class Voucher(Aggregate):
    """State version 2 added ``approved_by`` and ``rejection_reason`` (a
    payment that waited for approval, ``docs/accounts.md``)."""

    class_version = 2

    @staticmethod
    def upcast_v1_v2(state: dict[str, object]) -> None:
        state["approved_by"] = None
        state["rejection_reason"] = None

    class Issued(Aggregate.Created):
        org_id: UUID
        voucher_no: str
        kind: EntryKind
        fingerprint: str
        event_version: int
        counter_version: int | None

    class Reversed(Aggregate.Event):
        reason: str
        recorded_by: str

        def apply(self, voucher: Voucher) -> None:
            voucher.reversed = True
            voucher.reversal_reason = self.reason

    class Approved(Aggregate.Event):
        """The payment was approved: its ``DisbursementPaid`` is at
        ``event_version`` of the organisation's history."""

        event_version: int
        approved_by: str

        def apply(self, voucher: Voucher) -> None:
            voucher.event_version = self.event_version
            voucher.approved_by = self.approved_by

    class Rejected(Aggregate.Event):
        reason: str
        recorded_by: str

        def apply(self, voucher: Voucher) -> None:
            voucher.rejection_reason = self.reason

    def __init__(
        self,
        org_id: UUID,
        voucher_no: str,
        kind: EntryKind,
        fingerprint: str,
        event_version: int,
        counter_version: int | None,
    ) -> None:
        self.org_id = org_id
        self.voucher_no = voucher_no
        self.kind = kind
        self.fingerprint = fingerprint
        self.event_version = event_version
        self.counter_version = counter_version
        self.reversed = False
        self.reversal_reason: str | None = None
        # Who approved the payment, if it waited for approval (printed on it).
        self.approved_by: str | None = None
        self.rejection_reason: str | None = None

    @classmethod
    def issue(
        cls,
        *,
        id: UUID,  # noqa: A002 -- the library's name for an aggregate id
        org_id: UUID,
        voucher_no: str,
        kind: EntryKind,
        fingerprint: str,
        event_version: int,
        counter_version: int | None = None,
    ) -> Voucher:
        return cls._create(
            cls.Issued,
            id=id,
            org_id=org_id,
            voucher_no=voucher_no,
            kind=kind,
            fingerprint=fingerprint,
            event_version=event_version,
            counter_version=counter_version,
        )

    def reverse(self, *, reason: str, recorded_by: str) -> None:
        if self.reversed:
            raise errors.AlreadyReversed(
                says(
                    "voucher.already_reversed",
                    voucher_no=self.voucher_no,
                    reason=self.reversal_reason,
                ),
                field="voucher_no",
                voucher_no=self.voucher_no,
                reversal_id=str(reversal_id(self.id)),
                reason=self.reversal_reason,
            )
        self.trigger_event(self.Reversed, reason=reason, recorded_by=recorded_by)

    def approve(self, *, event_version: int, approved_by: str) -> None:
        self.trigger_event(
            self.Approved, event_version=event_version, approved_by=approved_by
        )

    def reject(self, *, reason: str, recorded_by: str) -> None:
        self.trigger_event(self.Rejected, reason=reason, recorded_by=recorded_by)


def check_same_entry(voucher_no: str, recorded: str, asked: str) -> None:
    """A re-sent entry must be the very same entry: same content fingerprint."""
    if asked != recorded:
        raise errors.DuplicateVoucher(
            says("voucher.taken", voucher_no=voucher_no),
            field="voucher_no",
            voucher_no=voucher_no,
        )
