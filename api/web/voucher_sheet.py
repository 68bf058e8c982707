"""What a voucher says: the receipt voucher (phiếu thu, form C40-BB) or payment
voucher (phiếu chi, form C41-BB) of one journal line.

Money coming in (a donation, a transfer received, the reversal of a
payment) is a phiếu thu; money going out (a disbursement, a transfer sent,
the reversal of a receipt) a phiếu chi. Its words are Vietnamese whatever
the page's language: it is the form the books keep. The payer or payee is
named, so whoever shows a voucher checks the journal's access rule first.
An opening balance or a merge is no voucher.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from api.web.numbers import long_day, moment, whole
from api.web.pages import NotFound
from api.web.words import amount_in_words
from ledger.types import GENERAL_FUND
from projections import Queries
from projections.answers import JournalEntry

RECEIPT_KINDS = frozenset({"donation", "transfer_in"})
PAYMENT_KINDS = frozenset({"disbursement", "transfer_out"})
RECEIPT_SIGNATURES = (
    "Thủ trưởng đơn vị",
    "Kế toán trưởng",
    "Người nộp tiền",
    "Người lập",
    "Thủ quỹ",
)
PAYMENT_SIGNATURES = (
    "Thủ trưởng đơn vị",
    "Kế toán trưởng",
    "Người lập",
    "Thủ quỹ",
    "Người nhận tiền",
)
CATEGORY = {"scholarship": "Chi học bổng", "award": "Chi khen thưởng", "other": "Chi"}
ANONYMOUS = "Nhà hảo tâm (giấu tên)"
CIRCULARS: tuple[tuple[date, str], ...] = (
    (date(2018, 1, 1), "Thông tư số 107/2017/TT-BTC ngày 10/10/2017 của Bộ Tài chính"),
    (date(2025, 1, 1), "Thông tư số 24/2024/TT-BTC ngày 17/4/2024 của Bộ Tài chính"),
)
"""(in force from, the circular): the public-sector accounting regime whose
forms C40-BB (phiếu thu) and C41-BB (phiếu chi) a voucher follows; Thông tư
24/2024 replaced 107/2017 from 1 January 2025 (the form codes stayed)."""
GENERAL_FUND_NAME = "Quỹ chung"


@dataclass(frozen=True, slots=True)
class VoucherSheet:
    """What a C40-BB / C41-BB says, ready to lay out."""

    receipt: bool
    organisation: str
    org_code: str
    parent: str | None
    book: str
    number: str
    day: date
    person: str
    reason: str
    amount: int
    fund: str
    reversed: bool
    recorded_by: str
    recorded_at: datetime
    approved_by: str | None = None
    """Who approved the payment, if it waited for approval (issue 15)."""

    @property
    def circular(self) -> str:
        """The circular in force on the voucher's date that issues its form."""
        for since, circular in reversed(CIRCULARS):
            if self.day >= since:
                return circular
        return CIRCULARS[0][1]

    @property
    def form(self) -> str:
        return "C40-BB" if self.receipt else "C41-BB"

    @property
    def title(self) -> str:
        return "PHIẾU THU" if self.receipt else "PHIẾU CHI"

    @property
    def person_label(self) -> str:
        return (
            "Họ và tên người nộp tiền" if self.receipt else "Họ và tên người nhận tiền"
        )

    @property
    def digits(self) -> str:
        """The amount in digits, grouped the Vietnamese way: 50.000.000."""
        return whole(self.amount, "vi")

    @property
    def recorded_line(self) -> str:
        return moment(self.recorded_at, "vi")

    @property
    def date_line(self) -> str:
        return long_day(self.day)

    @property
    def words(self) -> str:
        return amount_in_words(self.amount)

    @property
    def signatures(self) -> tuple[str, ...]:
        return RECEIPT_SIGNATURES if self.receipt else PAYMENT_SIGNATURES


def voucher_of(queries: Queries, code: str, entry: JournalEntry) -> VoucherSheet:
    if entry.kind not in RECEIPT_KINDS | PAYMENT_KINDS | {"reversal"}:
        raise NotFound(f"a {entry.kind} line has no voucher")
    info = queries.organisation(code)
    parent = queries.organisation(info.parent).name if info.parent else None
    return VoucherSheet(
        receipt=entry.balance_change_vnd > 0,
        organisation=info.name,
        org_code=info.code,
        parent=parent,
        book=str(entry.business_date.year),
        number=(entry.voucher_no or "")
        + (" (hủy)" if entry.kind == "reversal" else ""),
        day=entry.business_date,
        person=_person(queries, entry),
        reason=_reason(queries, entry),
        amount=entry.amount_vnd,
        fund=fund_name(queries, code, entry.fund),
        reversed=entry.reversed_by is not None,
        recorded_by=entry.recorded_by,
        recorded_at=entry.recorded_at,
    )


def fund_name(queries: Queries, code: str, fund: str) -> str:
    """The fund as the books call it: "Quỹ chung", or the name it was opened with."""
    if fund == GENERAL_FUND:
        return GENERAL_FUND_NAME
    return queries.fund_names(code).get(fund, fund)


def _person(queries: Queries, entry: JournalEntry) -> str:
    if entry.counterpart is not None:
        other = queries.organisation(entry.counterpart)
        return f"{other.name} ({other.code})"
    if entry.counterparty:
        return entry.counterparty
    if entry.details.get("donor_kind") == "anonymous":
        return ANONYMOUS
    if entry.kind == "disbursement":
        return f"{entry.recipients} đối tượng"
    return ""


def _reason(queries: Queries, entry: JournalEntry) -> str:
    parts: list[str] = []
    if entry.kind == "donation":
        parts.append("Ủng hộ Quỹ khuyến học")
        details = entry.details
        if details.get("method") == "bank":
            parts.append("(chuyển khoản)")
        if details.get("in_kind_description"):
            basis = details.get("valuation_basis")
            parts.append(
                f"- hiện vật: {details['in_kind_description']}"
                + (f", định giá: {basis}" if basis else "")
            )
        if details.get("original_currency"):
            parts.append(
                f"- nguyên tệ {details.get('original_amount')} "
                f"{details['original_currency']}, tỷ giá {details.get('exchange_rate')}"
            )
    elif entry.kind == "disbursement":
        parts.append(
            f"{CATEGORY.get(entry.category or '', 'Chi')} cho "
            f"{entry.recipients} đối tượng"
        )
    elif entry.kind == "transfer_out":
        parts.append(f"Chuyển quỹ cho {_name(queries, entry.counterpart)}")
    elif entry.kind == "transfer_in":
        parts.append(f"Nhận chuyển quỹ từ {_name(queries, entry.counterpart)}")
    else:
        parts.append(f"Hủy bút toán phiếu số {entry.voucher_no}: {entry.reason}")
    if entry.campaign:
        parts.append(f"- {queries.campaign(entry.campaign).name}")
    if entry.note:
        parts.append(f"- {entry.note}")
    return " ".join(parts)


def _name(queries: Queries, code: str | None) -> str:
    return queries.organisation(code).name if code else ""
