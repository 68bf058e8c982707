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
    """What a disbursement paid for; scholarships and awards are reported apart."""

    SCHOLARSHIP = "scholarship"
    AWARD = "award"
    OTHER = "other"


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


ENUMS: tuple[type[enum.Enum], ...] = (
    Level,
    Status,
    DonorKind,
    Method,
    Category,
    CampaignKind,
    EntryKind,
)
"""Every enumeration stored in events; each gets a transcoding."""
