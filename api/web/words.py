"""An amount of đồng in Vietnamese words, as a voucher writes it ("Viết bằng chữ").

Vietnamese reads a number in groups of three digits — đơn vị, nghìn, triệu —
and starts again after each tỷ (a thousand tỷ is "một nghìn tỷ"). Within a
group: "mười" for ten and "mươi" for the other tens; a one after twenty or
more is "mốt" (hai mươi mốt), a five after ten or more "lăm" (mười lăm); an
empty tens place before a unit is "linh" (một trăm linh năm). A group that
follows a higher one is read in full, zero hundreds included (một triệu
không trăm linh năm); a group of zeros is left out (tám mươi bảy tỷ một trăm
triệu). The words are "nghìn" and "linh", as in the northern and official
usage; "bốn" is never shortened to "tư".
"""

from __future__ import annotations

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
GROUPS = ("", "nghìn", "triệu")
BILLION = 1_000_000_000


def number_in_words(number: int) -> str:
    """1_000_005 → "một triệu không trăm linh năm" (lower case, no unit)."""
    if isinstance(number, bool) or not isinstance(number, int):
        raise TypeError(f"an amount is a whole number of đồng, not {number!r}")
    if number <= 0:
        raise ValueError(f"only a positive amount is written in words, not {number}")
    return " ".join(_words(number, leading=True))


def amount_in_words(amount: int) -> str:
    """5_000_000 → "Năm triệu đồng": a voucher's amount in words."""
    words = number_in_words(amount)
    return f"{words[0].upper()}{words[1:]} đồng"


def _words(number: int, *, leading: bool) -> list[str]:
    """``number`` (0 ≤ number), in words; ``leading``: nothing is read before it."""
    if number >= BILLION:
        billions, rest = divmod(number, BILLION)
        return [*_words(billions, leading=leading), "tỷ", *_below_billion(rest)]
    return _below_billion(number, leading=leading)


def _below_billion(number: int, *, leading: bool = False) -> list[str]:
    groups = [(number // 1000**power) % 1000 for power in (2, 1, 0)]
    words: list[str] = []
    for index, group in enumerate(groups):
        if group == 0:
            continue
        words += _group(group, full=bool(words) or not leading)
        unit = GROUPS[2 - index]
        if unit:
            words.append(unit)
    return words


def _group(number: int, *, full: bool) -> list[str]:
    """A group of three digits (1-999); ``full``: read "không trăm" and "linh"
    as a group after a higher one needs."""
    hundreds, tens, units = number // 100, number // 10 % 10, number % 10
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units == 1 and tens >= 2:
        words.append("mốt")
    elif units == 5 and tens >= 1:
        words.append("lăm")
    elif units:
        words.append(DIGITS[units])
    return words
