"""The learning models' bar chart, as inline SVG: per model, the share of
those eligible who registered (light bar) and who were recognised (dark bar),
on a scale of 0-100%, with the target marked across both by a red line.

Like ``api.web.charts``: horizontal bars, scaled to the column
(``viewBox``), no script, every text escaped, the same figures in the table
beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from api.web.charts import BAR, GAP, LABEL, ROW, TOP, VALUE, WIDTH

REGISTERED = "#81c784"
RECOGNISED = "#2e7d32"
TARGET = "#c62828"


@dataclass(frozen=True, slots=True)
class ShareRow:
    label: str
    registered: float | None
    recognised: float | None
    target: float | None


def shares_against_targets(
    rows: Sequence[ShareRow],
    *,
    title: str,
    registered: str,
    recognised: str,
    target: str,
    share: Callable[[float], str],
) -> Markup:
    """An SVG of ``rows``: two bars per model and its target's line."""
    span = WIDTH - LABEL - VALUE
    height = TOP + ROW * len(rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{LABEL}" y1="0" x2="{LABEL}" y2="{height}" stroke="#c3c8cc"/>',
        f'<line x1="{LABEL + span}" y1="0" x2="{LABEL + span}" y2="{height}" '
        'stroke="#e3e6e8" stroke-dasharray="2 2"/>',
    ]
    for index, row in enumerate(rows):
        y = TOP + index * ROW
        # The figures stand clear of the target's line.
        target_x = LABEL + round(span * row.target) if row.target is not None else 0
        parts.append(
            f'<text x="{LABEL - 8}" y="{y + BAR + 3}" text-anchor="end" '
            f'font-size="12" fill="#1d2327">{escape(row.label)}</text>'
        )
        for offset, (value, colour, what) in enumerate(
            (
                (row.registered, REGISTERED, registered),
                (row.recognised, RECOGNISED, recognised),
            )
        ):
            bar_y = y + offset * (BAR + GAP)
            shown = "—" if value is None else share(value)
            length = 0 if value is None else round(span * min(value, 1.0))
            parts.append(
                f'<rect x="{LABEL}" y="{bar_y}" width="{max(length, 1)}" '
                f'height="{BAR}" fill="{colour}">'
                f"<title>{escape(what)}: {escape(shown)}</title></rect>"
            )
            text_x = max(LABEL + max(length, 1), target_x + 1) + 5
            parts.append(
                f'<text x="{text_x}" y="{bar_y + BAR - 2}" '
                f'font-size="10" fill="#5b6670">{escape(shown)}</text>'
            )
        if row.target is not None:
            x = target_x
            parts.append(
                f'<line x1="{x}" y1="{y - 2}" x2="{x}" y2="{y + 2 * BAR + GAP + 2}" '
                f'stroke="{TARGET}" stroke-width="2">'
                f"<title>{escape(target)}: {escape(share(row.target))}</title></line>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 -- every text above is escaped
