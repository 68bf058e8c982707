"""Amounts in Vietnamese words, as a voucher writes them, and the figures of
the pages: golden values a Vietnamese reader checked."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from api.web import numbers
from api.web.words import amount_in_words, number_in_words

GOLDEN = {
    1: "một",
    5: "năm",
    10: "mười",
    11: "mười một",
    14: "mười bốn",
    15: "mười lăm",
    20: "hai mươi",
    21: "hai mươi mốt",
    25: "hai mươi lăm",
    55: "năm mươi lăm",
    100: "một trăm",
    105: "một trăm linh năm",
    110: "một trăm mười",
    115: "một trăm mười lăm",
    121: "một trăm hai mươi mốt",
    1_000: "một nghìn",
    1_001: "một nghìn không trăm linh một",
    1_010: "một nghìn không trăm mười",
    26_000: "hai mươi sáu nghìn",
    1_005_000: "một triệu không trăm linh năm nghìn",
    1_000_005: "một triệu không trăm linh năm",
    5_000_000: "năm triệu",
    12_500_000: "mười hai triệu năm trăm nghìn",
    68_200_000_000: "sáu mươi tám tỷ hai trăm triệu",
    87_100_000_000: "tám mươi bảy tỷ một trăm triệu",
    10_000_000_050: "mười tỷ không trăm năm mươi",
    1_000_000_000_000: "một nghìn tỷ",
    1_000_000_000_005: "một nghìn tỷ không trăm linh năm",
}


@pytest.mark.parametrize(("amount", "words"), GOLDEN.items())
def test_an_amount_reads_as_a_vietnamese_says_it(amount: int, words: str) -> None:
    assert number_in_words(amount) == words


def test_a_voucher_writes_the_amount_with_a_capital_and_the_currency() -> None:
    assert amount_in_words(5_000_000) == "Năm triệu đồng"
    assert amount_in_words(50_000_000) == "Năm mươi triệu đồng"
    assert amount_in_words(1) == "Một đồng"


@pytest.mark.parametrize("amount", [0, -5])
def test_zero_and_negative_amounts_have_no_words(amount: int) -> None:
    with pytest.raises(ValueError, match="positive"):
        amount_in_words(amount)


@pytest.mark.parametrize("amount", [1.5, True, "5"])
def test_only_whole_numbers_are_written(amount: object) -> None:
    with pytest.raises(TypeError, match="whole number"):
        number_in_words(amount)  # type: ignore[arg-type]


def test_figures_follow_vietnamese_conventions() -> None:
    assert numbers.money(87_100_000_000, "vi") == "87,1 tỷ đồng"
    assert numbers.money(87_100_000_000, "en") == "87.1 billion đồng"
    assert numbers.money(54_500_000, "vi") == "54,5 triệu đồng"
    assert numbers.money(26_065, "vi") == "26.000 đồng"
    assert numbers.money(23, "vi") == "23 đồng"
    assert numbers.whole(775_276, "vi") == "775.276"
    assert numbers.whole(775_276, "en") == "775,276"
    assert numbers.exact(50_000_000, "vi") == "50.000.000 đ"
    assert numbers.percent(0.231993, "vi") == "23,2%"
    assert numbers.percent(0.231993, "en") == "23.2%"
    assert numbers.day(date(2022, 9, 5), "vi") == "05/09/2022"
    assert numbers.day(date(2022, 9, 5), "en") == "2022-09-05"
    assert numbers.long_day(date(2022, 1, 20)) == "Ngày 20 tháng 01 năm 2022"
    # 17:30 UTC is half past midnight the next day in Vietnam.
    moment = datetime(2022, 12, 31, 17, 30, tzinfo=UTC)
    assert numbers.moment(moment, "vi") == "00:30:00 01/01/2023"
