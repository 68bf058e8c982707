"""Numbers, amounts and dates for people, in Vietnamese or English.

Vietnamese (``vi``): a dot groups thousands and a comma marks decimals —
87,1 tỷ đồng; 775.276; 23,2%; dates dd/mm/yyyy. English (``en``): 87.1
billion đồng; 775,276; 23.2%; ISO dates. A headline amount of a billion
đồng or more is written in tỷ to one decimal, of a million or more in
triệu, a smaller one to the nearest thousand; tables show the exact đồng.
Rounding is half up, in decimal arithmetic. These are the conventions of the
command line's reports (``api.books.figures``, whose functions these are); moments
are shown in Vietnamese time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from api.books.figures import LANGS, Lang, day, decimal, money, percent, whole
from ledger.types import VIETNAM

__all__ = [
    "LANGS",
    "Lang",
    "day",
    "decimal",
    "exact",
    "long_day",
    "moment",
    "money",
    "percent",
    "whole",
]


def exact(amount: int, lang: Lang) -> str:
    """An amount to the đồng: 50.000.000 đ (vi), 50,000,000 đ (en)."""
    return f"{whole(amount, lang)} đ"


def moment(value: datetime, lang: Lang) -> str:
    """A moment in Vietnamese time, to the second; a naive one is UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    local = value.astimezone(VIETNAM)
    if lang == "vi":
        return f"{local:%H:%M:%S %d/%m/%Y}"
    return f"{local:%Y-%m-%d %H:%M:%S} (UTC+7)"


def long_day(value: date) -> str:
    """A voucher's date line: "Ngày 05 tháng 09 năm 2022"."""
    return f"Ngày {value:%d} tháng {value:%m} năm {value:%Y}"
