"""Figures written for people, the way a Vietnamese province prints them.

Vietnamese (``vi``): a dot groups thousands and a comma marks decimals —
87,1 tỷ đồng; 775.276 hội viên; 23,2%; dates dd/mm/yyyy. English (``en``):
87.1 billion đồng; 775,276; 23.2%; ISO dates. Amounts of a billion đồng or
more are given in billions (tỷ) to one decimal, of a million or more in
millions (triệu), smaller ones to the nearest thousand đồng (a province
writes 26.000 đồng per inhabitant), and under a thousand exactly. Rounding
is half up, in decimal arithmetic. Machines get plain numbers (``--json``).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

Lang = Literal["vi", "en"]
LANGS: tuple[Lang, ...] = ("vi", "en")

BILLION = 1_000_000_000
MILLION = 1_000_000
THOUSAND = 1_000
EXACT_BELOW = 10_000
"""Amounts under this are written exactly: rounding 1.312 đồng to thousands
would say 1.000 đồng, a fifth off."""
ONE_PLACE = Decimal("0.1")
_UNITS = {
    "vi": ((BILLION, "tỷ đồng"), (MILLION, "triệu đồng")),
    "en": ((BILLION, "billion đồng"), (MILLION, "million đồng")),
}


def whole(number: int, lang: Lang) -> str:
    """775276 → 775.276 (vi) or 775,276 (en)."""
    grouped = f"{number:,}"
    return grouped.replace(",", ".") if lang == "vi" else grouped


def decimal(number: Decimal, lang: Lang, places: int = 1) -> str:
    """One decimal place, none when it is zero: 87,1 / 50 (vi); 87.1 / 50 (en)."""
    rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if rounded == rounded.to_integral_value():
        return whole(int(rounded), lang)
    units, fraction = f"{rounded:f}".split(".")
    mark = "," if lang == "vi" else "."
    sign = "-" if units.startswith("-") else ""  # -0,5: int("-0") has no sign
    return f"{sign}{whole(abs(int(units)), lang)}{mark}{fraction}"


def money(amount: int, lang: Lang) -> str:
    """87_100_000_000 → 87,1 tỷ đồng; 26_065 → 26.000 đồng; 1_312 → 1.312
    đồng (under ten thousand, exactly). The unit is the
    one the *rounded* amount reaches: 999_999 → 1 triệu đồng (not 1.000.000
    đồng), 999_960_000 → 1 tỷ đồng (not 1.000 triệu đồng)."""
    nearest = amount
    if abs(amount) >= EXACT_BELOW:
        thousands = (Decimal(amount) / THOUSAND).quantize(
            Decimal(1), rounding=ROUND_HALF_UP
        )
        nearest = int(thousands) * THOUSAND
    units = _UNITS[lang]  # the largest first
    for n, (size, unit) in enumerate(units):
        if abs(nearest) >= size:
            shown = Decimal(amount) / size
            if n > 0 and abs(shown.quantize(ONE_PLACE, ROUND_HALF_UP)) >= THOUSAND:
                larger, larger_unit = units[n - 1]
                return f"{decimal(Decimal(amount) / larger, lang)} {larger_unit}"
            return f"{decimal(shown, lang)} {unit}"
    return f"{whole(nearest, lang)} đồng"


def percent(fraction: float, lang: Lang) -> str:
    """0.232 → 23,2% (vi) or 23.2% (en)."""
    return decimal(Decimal(str(fraction)) * 100, lang) + "%"


def day(value: date, lang: Lang) -> str:
    return f"{value:%d/%m/%Y}" if lang == "vi" else value.isoformat()
