"""Numbers, amounts and dates for people, in Vietnamese or English.

Vietnamese (``vi``): a dot groups thousands and a comma marks decimals —
87,1 tỷ đồng; 775.276; 23,2%; dates dd/mm/yyyy. English (``en``): 87.1
billion đồng; 775,276; 23.2%; ISO dates. A headline amount of a billion
đồng or more is written in tỷ to one decimal, of a million or more in
triệu, a smaller one to the nearest thousand; tables show the exact đồng.
Rounding is half up, in decimal arithmetic. These are the conventions of the
command line's reports; moments are shown in Vietnamese time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from ledger.types import VIETNAM

Lang = Literal["vi", "en"]
LANGS: tuple[Lang, ...] = ("vi", "en")

BILLION = 1_000_000_000
MILLION = 1_000_000
THOUSAND = 1_000
_UNITS: dict[Lang, tuple[tuple[int, str], ...]] = {
    "vi": ((BILLION, "tỷ đồng"), (MILLION, "triệu đồng")),
    "en": ((BILLION, "billion đồng"), (MILLION, "million đồng")),
}


def whole(number: int, lang: Lang) -> str:
    """775276 → 775.276 (vi) or 775,276 (en)."""
    grouped = f"{number:,}"
    return grouped.replace(",", ".") if lang == "vi" else grouped


def decimal(number: Decimal, lang: Lang, places: int = 1) -> str:
    """To ``places`` decimals, none when they are zero: 87,1 / 50 (vi)."""
    rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if rounded == rounded.to_integral_value():
        return whole(int(rounded), lang)
    units, fraction = f"{rounded:f}".split(".")
    mark = "," if lang == "vi" else "."
    sign = "-" if units.startswith("-") else ""
    return f"{sign}{whole(abs(int(units)), lang)}{mark}{fraction}"


def money(amount: int, lang: Lang) -> str:
    """A headline amount: 87_100_000_000 → 87,1 tỷ đồng; 26_065 → 26.000 đồng."""
    for size, unit in _UNITS[lang]:
        if abs(amount) >= size:
            return f"{decimal(Decimal(amount) / size, lang)} {unit}"
    if abs(amount) >= THOUSAND:
        thousands = (Decimal(amount) / THOUSAND).quantize(
            Decimal(1), rounding=ROUND_HALF_UP
        )
        amount = int(thousands) * THOUSAND
    return f"{whole(amount, lang)} đồng"


def exact(amount: int, lang: Lang) -> str:
    """An amount to the đồng: 50.000.000 đ (vi), 50,000,000 đ (en)."""
    return f"{whole(amount, lang)} đ"


def percent(fraction: float, lang: Lang) -> str:
    """0.232 → 23,2% (vi) or 23.2% (en)."""
    return decimal(Decimal(str(fraction)) * 100, lang) + "%"


def day(value: date, lang: Lang) -> str:
    """05/09/2022 (vi) or 2022-09-05 (en)."""
    return f"{value:%d/%m/%Y}" if lang == "vi" else value.isoformat()


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
