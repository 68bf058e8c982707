"""Commands on money: opening balances, donations, disbursements, transfers
and reversals — each recorded once per voucher number, idempotently.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from ledger import errors
from ledger.base import SYSTEM, LedgerBase
from ledger.entries import coerce, entry_fingerprint
from ledger.ids import received_voucher_no, reversal_id, voucher_id
from ledger.organisation import Organisation
from ledger.types import (
    GENERAL_FUND,
    CampaignCode,
    Category,
    Dong,
    DonorKind,
    EntryId,
    EntryKind,
    FundName,
    Method,
    OrgCode,
    VoucherNo,
)
from ledger.validation import (
    check_amount,
    check_code,
    check_date,
    check_text,
    check_voucher_no,
    check_whole,
    required_text,
)
from ledger.voucher import Voucher, check_same_entry


class Bookkeeping(LedgerBase):
    """The money: every entry is one voucher of one organisation."""

    def record_opening_balance(
        self,
        code: OrgCode,
        *,
        amount: Dong,
        business_date: date,
        fund: FundName = GENERAL_FUND,
        voucher_no: VoucherNo | None = None,
        note: str | None = None,
        recorded_by: str = SYSTEM,
    ) -> EntryId:
        """A fund's balance brought forward from before the ledger (once per fund)."""
        return self._record_entry(
            EntryKind.OPENING_BALANCE,
            code,
            {
                "voucher_no": voucher_no or f"opening-{fund}",
                "fund": fund,
                "amount": amount,
                "business_date": business_date,
                "campaign": None,
                "counterparty": None,
                "note": note,
            },
            recorded_by,
            lambda org, _, today, fields: org.record_opening_balance(
                today=today, **fields
            ),
        )

    def receive_donation(
        self,
        code: OrgCode,
        *,
        voucher_no: VoucherNo,
        amount: Dong,
        business_date: date,
        fund: FundName = GENERAL_FUND,
        donor: str | None = None,
        donor_kind: DonorKind | str = DonorKind.INDIVIDUAL,
        method: Method | str = Method.CASH,
        campaign: CampaignCode | None = None,
        in_kind_description: str | None = None,
        valuation_basis: str | None = None,
        original_currency: str | None = None,
        original_amount: str | None = None,
        exchange_rate: str | None = None,
        note: str | None = None,
        recorded_by: str = SYSTEM,
    ) -> EntryId:
        """Record a donation (phiếu thu). Returns the entry id.

        Re-sending the same donation returns the original id and records
        nothing; the same voucher number with other content is refused.
        """
        foreign = (original_currency, original_amount, exchange_rate)
        if any(foreign) and not all(foreign):
            raise errors.InvalidInput(
                "a foreign-currency gift needs its currency, amount and exchange rate"
            )
        return self._record_entry(
            EntryKind.DONATION,
            code,
            {
                "voucher_no": voucher_no,
                "fund": fund,
                "amount": amount,
                "business_date": business_date,
                "campaign": campaign,
                "counterparty": donor,
                "note": note,
                "donor_kind": coerce(DonorKind, donor_kind, "donor_kind"),
                "method": coerce(Method, method, "method"),
                "in_kind_description": check_text(
                    in_kind_description, "in_kind_description", required=False
                ),
                "valuation_basis": check_text(
                    valuation_basis, "valuation_basis", required=False
                ),
                "original_currency": check_text(
                    original_currency, "original_currency", required=False
                ),
                "original_amount": check_text(
                    original_amount, "original_amount", required=False
                ),
                "exchange_rate": check_text(
                    exchange_rate, "exchange_rate", required=False
                ),
            },
            recorded_by,
            lambda org, _, today, fields: org.receive_donation(today=today, **fields),
        )

    def disburse(
        self,
        code: OrgCode,
        *,
        voucher_no: VoucherNo,
        amount: Dong,
        business_date: date,
        category: Category | str,
        recipients: int = 1,
        fund: FundName = GENERAL_FUND,
        recipient: str | None = None,
        campaign: CampaignCode | None = None,
        note: str | None = None,
        recorded_by: str = SYSTEM,
    ) -> EntryId:
        """Pay scholarships, awards or other costs (phiếu chi). Returns the entry id."""
        check_whole(recipients, "recipients")
        return self._record_entry(
            EntryKind.DISBURSEMENT,
            code,
            {
                "voucher_no": voucher_no,
                "fund": fund,
                "amount": amount,
                "business_date": business_date,
                "campaign": campaign,
                "counterparty": recipient,
                "note": note,
                "category": coerce(Category, category, "category"),
                "recipients": recipients,
            },
            recorded_by,
            lambda org, _, today, fields: org.disburse(today=today, **fields),
        )

    def transfer(
        self,
        code: OrgCode,
        *,
        to_code: OrgCode,
        voucher_no: VoucherNo,
        amount: Dong,
        business_date: date,
        fund: FundName = GENERAL_FUND,
        to_fund: FundName = GENERAL_FUND,
        campaign: CampaignCode | None = None,
        note: str | None = None,
        recorded_by: str = SYSTEM,
    ) -> EntryId:
        """Move money from one organisation's fund to another's, atomically."""
        check_code(to_code, "receiving organisation")
        check_code(to_fund, "fund")
        return self._record_entry(
            EntryKind.TRANSFER,
            code,
            {
                "voucher_no": voucher_no,
                "fund": fund,
                "amount": amount,
                "business_date": business_date,
                "campaign": campaign,
                "counterparty": to_code,
                "note": note,
                "to_fund": to_fund,
            },
            recorded_by,
            lambda org, to, today, fields: org.send_transfer(
                today=today, to=_present(to), **fields
            ),
            counterpart_code=to_code,
        )

    def reverse_entry(
        self,
        code: OrgCode,
        voucher_no: VoucherNo,
        *,
        reason: str,
        business_date: date | None = None,
        recorded_by: str = SYSTEM,
    ) -> EntryId:
        """Undo an entry by a compensating event, at most once.

        Returns the reversal's entry id. A second reversal of the same entry
        is ``already_reversed``; its details name the recorded reversal (id and
        reason), so a client whose first request timed out can tell it went
        through. A transfer can be reversed from either side, by the sender's
        voucher number or by the receiver's ``<sender>:<number>``; both sides
        are reversed in one save.
        """
        voucher_no = required_text(voucher_no, "voucher_no")
        reason = required_text(reason, "reason")
        recorded_by = required_text(recorded_by, "recorded_by")
        if business_date is not None:
            check_date(business_date, "business_date")
        # Both sides of a transfer take their turn: find the other side first.
        # (An entry's event and an organisation's code never change.)
        other_code = self._counterpart_code(self._org(code), voucher_no)

        def attempt() -> EntryId:
            org = self._org(code)
            voucher = self._voucher(org, voucher_no)
            original = self._entry_event(org.id, voucher.event_version)
            if isinstance(original, Organisation.TransferReceived):
                # A transfer is reversed where it was sent, whichever side asks.
                org = self._org_by_id(original.from_org_id)
                voucher = self._voucher(org, original.from_voucher_no)
                original = self._entry_event(org.id, voucher.event_version)
            voucher.reverse(reason=reason, recorded_by=recorded_by)
            today = self.today()
            sides = [(org, original)]
            if isinstance(original, Organisation.TransferSent):
                receiver = self._org_by_id(original.to_org_id)
                version = voucher.counter_version
                assert version is not None  # noqa: S101 -- set for every transfer
                sides.append((receiver, self._entry_event(receiver.id, version)))
            for side, entry in sides:
                side.reverse(
                    entry,
                    business_date=business_date or today,
                    today=today,
                    reason=reason,
                    recorded_by=recorded_by,
                )
            self.save(voucher, *(side for side, _ in sides))
            return reversal_id(voucher.id)

        return self._retrying(attempt, code, other_code)

    def counterpart(self, code: OrgCode, voucher_no: VoucherNo) -> OrgCode | None:
        """The other organisation of a transfer entry (either side's voucher
        number), None for any other entry. Raises ``unknown_entry``."""
        voucher_no = required_text(voucher_no, "voucher_no")
        return self._counterpart_code(self._org(code), voucher_no)

    def _counterpart_code(self, org: Organisation, voucher_no: VoucherNo) -> str | None:
        """The other organisation of a transfer entry, None for other entries."""
        voucher = self._voucher(org, voucher_no)
        entry = self._entry_event(org.id, voucher.event_version)
        if isinstance(entry, Organisation.TransferSent):
            return self._org_by_id(entry.to_org_id).code
        if isinstance(entry, Organisation.TransferReceived):
            return self._org_by_id(entry.from_org_id).code
        return None

    def _record_entry(
        self,
        kind: EntryKind,
        code: OrgCode,
        fields: dict[str, Any],
        recorded_by: str,
        apply: Callable[
            [Organisation, Organisation | None, date, dict[str, Any]], None
        ],
        *,
        counterpart_code: OrgCode | None = None,
    ) -> EntryId:
        """Record one money entry, idempotently by voucher number."""
        check_code(code, "organisation")
        fields["voucher_no"] = check_voucher_no(fields["voucher_no"])
        check_code(fields["fund"], "fund")
        check_amount(fields["amount"])
        check_date(fields["business_date"], "business_date")
        fields["counterparty"] = check_text(
            fields["counterparty"], "counterparty", required=False
        )
        fields["note"] = check_text(fields["note"], "note", required=False)
        recorded_by = required_text(recorded_by, "recorded_by")
        fingerprint = entry_fingerprint(kind, code, fields)
        campaign_code = fields.pop("campaign")

        entry_id = voucher_id(Organisation.id_for(code), fields["voucher_no"])

        def attempt() -> EntryId:
            issued = self._first_event(entry_id, Voucher.Issued)
            if issued is not None:
                # The voucher's first event says all (no snapshot look-up).
                check_same_entry(issued.voucher_no, issued.fingerprint, fingerprint)
                return entry_id
            campaign_id = None
            if campaign_code is not None:
                campaign = self._campaign(campaign_code)
                campaign.check_entry_date(fields["business_date"])
                campaign_id = campaign.id
            counterpart = (
                self._org(counterpart_code) if counterpart_code is not None else None
            )
            # Load the organisation last: the less time between its load and
            # the save, the less often another writer gets in between.
            org = self._org(code)
            apply(
                org,
                counterpart,
                self.today(),
                dict(
                    fields,
                    entry_id=entry_id,
                    campaign_id=campaign_id,
                    recorded_by=recorded_by,
                ),
            )
            vouchers = [
                Voucher.issue(
                    id=entry_id,
                    org_id=org.id,
                    voucher_no=fields["voucher_no"],
                    kind=kind,
                    fingerprint=fingerprint,
                    event_version=org.version,
                    counter_version=counterpart.version if counterpart else None,
                )
            ]
            if counterpart is not None:
                vouchers.append(
                    self._receiving_voucher(
                        org, counterpart, fields["voucher_no"], kind, fingerprint
                    )
                )
            self.save(org, counterpart, *vouchers)
            return entry_id

        return self._retrying(attempt, code, counterpart_code)

    def _receiving_voucher(
        self,
        sender: Organisation,
        receiver: Organisation,
        voucher_no: VoucherNo,
        kind: EntryKind,
        fingerprint: str,
    ) -> Voucher:
        """Reserve the transfer's number at the receiver, ``<sender>:<number>``."""
        number = received_voucher_no(sender.code, voucher_no)
        received_id = voucher_id(receiver.id, number)
        if self._first_event(received_id, Voucher.Issued) is not None:
            raise errors.DuplicateVoucher(
                f"{receiver.code} already has an entry with voucher {number!r}",
                voucher_no=number,
            )
        return Voucher.issue(
            id=received_id,
            org_id=receiver.id,
            voucher_no=number,
            kind=kind,
            fingerprint=fingerprint,
            event_version=receiver.version,
            counter_version=sender.version,
        )


def _present(org: Organisation | None) -> Organisation:
    assert org is not None  # noqa: S101 -- transfers always load the receiver
    return org
