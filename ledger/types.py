"""The ledger's vocabulary: domain aliases, enumerations and the business clock.

Amounts are integer đồng (VND has no minor unit). Business dates are local
dates in Vietnam (Asia/Ho_Chi_Minh, UTC+7 all year, no daylight saving).
"""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta, timezone
from uuid import UUID

Dong = int
"""An amount of money in Vietnamese đồng: always an ``int``, never a float."""

OrgCode = str
"""The stable code of an organisation (``NA``, ``NA-DC``, ``NA-DC-X01`` …)."""

CampaignCode = str
FundName = str
VoucherNo = str
EntryId = UUID
"""The id of a money entry: the id of its voucher (see ``ledger.voucher``)."""

GENERAL_FUND: FundName = "general"
MAX_AMOUNT: Dong = 1_000_000_000_000
"""A sane upper bound for one entry: one thousand billion đồng."""
MAX_RECIPIENTS = 1_000_000
MAX_COUNT = 10_000_000_000
"""The largest count (members, population) the ledger takes: a sane bound."""
MAX_EDITION = 10_000
MAX_TEXT = 200
"""The longest free text (a name, a note, a reason) the ledger keeps."""
MAX_VOUCHER_NO = 80
"""Long enough for any voucher book, short enough that ``<sender>:<number>``
(a transfer's number at its receiver) stays within ``MAX_TEXT``."""
CODE_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}"
"""Codes of organisations, campaigns and funds: 1-64 letters, digits, '.',
'_' or '-', starting with a letter or digit; case matters."""

VIETNAM = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")


def today_in_vietnam() -> date:
    """Today's business date in Vietnam."""
    return datetime.now(VIETNAM).date()


class Level(enum.Enum):
    """The level of an organisation in the association's hierarchy."""

    CENTRAL = "central"
    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"
    BRANCH = "branch"
    CLAN = "clan"
    AGENCY = "agency"
    HOMETOWN = "hometown"

    @property
    def rank(self) -> int:
        """0 for the central association; larger is lower in the hierarchy."""
        return _RANKS[self]


_RANKS = {
    Level.CENTRAL: 0,
    Level.PROVINCE: 1,
    Level.DISTRICT: 2,
    Level.COMMUNE: 3,
    Level.BRANCH: 4,
    Level.CLAN: 4,
    Level.AGENCY: 4,
    Level.HOMETOWN: 4,
}


class Status(enum.Enum):
    ACTIVE = "active"
    MERGED = "merged"
    DISSOLVED = "dissolved"
    SPLIT = "split"


class DonorKind(enum.Enum):
    INDIVIDUAL = "individual"
    BUSINESS = "business"
    ORGANISATION = "organisation"
    ANONYMOUS = "anonymous"


class Method(enum.Enum):
    """How a donation arrived."""

    CASH = "cash"
    BANK = "bank"
    IN_KIND = "in_kind"


class Category(enum.Enum):
    """What a disbursement paid for; scholarships and awards are reported apart
    from every other spending (support in kind, ceremonies, printing
    certificates, operating costs, other)."""

    SCHOLARSHIP = "scholarship"
    AWARD = "award"
    SUPPORT = "support"
    CEREMONY = "ceremony"
    PRINTING = "printing"
    OPERATING = "operating"
    OTHER = "other"


class Account(enum.Enum):
    """Where a fund's money is kept: the cash book (quỹ tiền mặt) or the bank
    deposit account (tiền gửi ngân hàng). Entries that name none, and every
    event recorded before accounts existed, are ``cash``."""

    CASH = "cash"
    BANK = "bank"


class IncomeKind(enum.Enum):
    """A receipt that is not a gift: never counted as raised."""

    INTEREST = "interest"
    DUES = "dues"
    UNIT_CONTRIBUTION = "unit_contribution"
    OTHER_INCOME = "other_income"


class CampaignKind(enum.Enum):
    TET = "tet"
    THANG = "thang"
    OTHER = "other"


class EntryKind(enum.Enum):
    """The kind of a money entry, as its voucher remembers it."""

    OPENING_BALANCE = "opening_balance"
    DONATION = "donation"
    DISBURSEMENT = "disbursement"
    TRANSFER = "transfer"
    INCOME = "income"
    DEPOSIT = "deposit"
    WITHDRAWAL = "withdrawal"


class LearningModel(enum.Enum):
    """The five learning models whose titles are evaluated every year
    (QĐ 448/QĐ-HKH 2015; citizens QĐ 677/QĐ-TTg 2022): what is counted is
    households, clans, communities (villages, residential groups, communes),
    units (agencies, schools, enterprises) and adult citizens."""

    FAMILY = "family"
    CLAN = "clan"
    COMMUNITY = "community"
    UNIT = "unit"
    CITIZEN = "citizen"


LEARNING_TARGETS: tuple[tuple[int, int, dict[LearningModel, int]], ...] = (
    (
        2021,
        2026,
        {
            LearningModel.FAMILY: 70,
            LearningModel.CLAN: 65,
            LearningModel.COMMUNITY: 65,
            LearningModel.CITIZEN: 50,
        },
    ),
)
"""The association's national targets: (first year, last year, percent of
those eligible recognised per model). No national target is set for units."""


ENUMS: tuple[type[enum.Enum], ...] = (
    Level,
    Status,
    DonorKind,
    Method,
    Category,
    CampaignKind,
    EntryKind,
    Account,
    IncomeKind,
    LearningModel,
)
"""Every enumeration stored in events; each gets a transcoding."""
