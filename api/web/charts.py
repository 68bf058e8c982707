"""Bar charts as inline SVG: raised beside paid, one pair of bars per row.

Rows are years or child organisations. Bars are horizontal, so long
Vietnamese names fit on a phone; the chart scales to its column
(``viewBox``), needs no script and prints. Every text is escaped. The same
figures are in the table beside each chart, exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 440
LABEL = 150
VALUE = 96
BAR = 12
GAP = 3
ROW = 2 * BAR + GAP + 11
TOP = 6
MAX_LINE = 20
"""Characters of a label's line that fit left of the bars (12 px text)."""
PREFIXES = ("Hội Khuyến học ", "Hội khuyến học ")
"""Left off the labels: every association's name starts so."""


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    raised: int
    paid: int


def raised_and_paid(
    rows: Sequence[Row],
    *,
    title: str,
    raised: str,
    paid: str,
    figure: Callable[[int], str],
) -> Markup:
    """An SVG of ``rows``: a green bar (``raised``) over a blue one (``paid``)."""
    span = WIDTH - LABEL - VALUE
    top = max([1, *(max(row.raised, row.paid) for row in rows)])
    height = TOP + ROW * len(rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for index, row in enumerate(rows):
        y = TOP + index * ROW
        lines = _lines(row.label)
        first_y = y + BAR + 3 - 7 * (len(lines) - 1)
        spans = "".join(
            f'<tspan x="{LABEL - 8}" y="{first_y + 14 * n}">{escape(line)}</tspan>'
            for n, line in enumerate(lines)
        )
        parts.append(
            f'<text text-anchor="end" font-size="12" fill="#1d2327">'
            f"<title>{escape(row.label)}</title>{spans}</text>"
        )
        for offset, (value, colour, what) in enumerate(
            ((row.raised, "#2e7d32", raised), (row.paid, "#1565c0", paid))
        ):
            bar_y = y + offset * (BAR + GAP)
            length = round(span * value / top)
            parts.append(
                f'<rect x="{LABEL}" y="{bar_y}" width="{max(length, 1)}" '
                f'height="{BAR}" fill="{colour}">'
                f"<title>{escape(what)}: {escape(figure(value))}</title></rect>"
            )
            parts.append(
                f'<text x="{LABEL + max(length, 1) + 5}" y="{bar_y + BAR - 2}" '
                f'font-size="10" fill="#5b6670">{escape(figure(value))}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 -- every text above is escaped


def _lines(label: str) -> list[str]:
    """The label without the common prefix, on one or two lines of whole
    words; what still does not fit ends in "…" (the full name is the text's
    title, shown on hover)."""
    for prefix in PREFIXES:
        label = label.removeprefix(prefix)
    label = label[:1].upper() + label[1:]
    lines = [""]
    for word in label.split():
        joined = f"{lines[-1]} {word}".strip()
        if len(joined) <= MAX_LINE or not lines[-1]:
            lines[-1] = joined
        elif len(lines) < 2:
            lines.append(word)
        else:
            lines[-1] = joined
    return [
        line if len(line) <= MAX_LINE else line[: MAX_LINE - 1] + "…" for line in lines
    ]
