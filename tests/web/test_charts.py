"""Chart labels: whole words on up to two lines, never cut mid-name at the
chart's edge; the full name is the label's title (shown on hover)."""

from __future__ import annotations

import re

from api.web.charts import MAX_LINE, Row, raised_and_paid


def labels(svg: str) -> list[tuple[str, list[str]]]:
    texts = re.findall(r"<text text-anchor=\"end\"[^>]*>(.*?)</text>", svg)
    found = []
    for text in texts:
        title = re.search(r"<title>(.*?)</title>", text)
        assert title is not None
        found.append((title.group(1), re.findall(r"<tspan[^>]*>(.*?)</tspan>", text)))
    return found


def chart(*names: str) -> str:
    return str(
        raised_and_paid(
            [Row(name, 1_000, 500) for name in names],
            title="t",
            raised="Huy động",
            paid="Đã chi",
            figure=str,
        )
    )


def test_a_long_name_wraps_on_whole_words_with_its_full_name_as_title() -> None:
    ((title, lines),) = labels(chart("Ban khuyến học dòng họ Hồ"))
    assert title == "Ban khuyến học dòng họ Hồ"
    assert " ".join(lines) == "Ban khuyến học dòng họ Hồ"
    assert len(lines) == 2
    assert all(len(line) <= MAX_LINE for line in lines)


def test_the_common_prefix_is_left_off_and_a_short_name_is_one_line() -> None:
    ((title, lines),) = labels(chart("Hội Khuyến học huyện Diễn Châu"))
    assert title == "Hội Khuyến học huyện Diễn Châu"
    assert lines == ["Huyện Diễn Châu"]


def test_a_name_too_long_for_two_lines_ends_in_an_ellipsis() -> None:
    name = "Hội đồng hương Quỳnh Lưu tại thành phố Hồ Chí Minh và các tỉnh phía Nam"
    ((title, lines),) = labels(chart(name))
    assert title == name
    assert len(lines) == 2
    assert lines[-1].endswith("…")
    assert all(len(line) <= MAX_LINE for line in lines)
