"""The learning models in the printed report: for each model with a report
behind it, how many there are, how many registered and how many were
recognised, with their shares and the target — ``238.123 gia đình (78,0%)``.

Shares keep one decimal, even when it is zero (a province writes 78,0%), so
that the column of shares lines up.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from api.books.figures import Lang, whole
from ledger.types import LearningModel
from projections.queries.learning import LearningFigures, LearningModels

LABEL_WIDTH = 30

MODEL_NAMES: dict[Lang, dict[LearningModel, str]] = {
    "vi": {
        LearningModel.FAMILY: "Gia đình học tập",
        LearningModel.CLAN: "Dòng họ học tập",
        LearningModel.COMMUNITY: "Cộng đồng học tập",
        LearningModel.UNIT: "Đơn vị học tập",
        LearningModel.CITIZEN: "Công dân học tập",
    },
    "en": {
        LearningModel.FAMILY: "Learning families",
        LearningModel.CLAN: "Learning clans",
        LearningModel.COMMUNITY: "Learning communities",
        LearningModel.UNIT: "Learning units",
        LearningModel.CITIZEN: "Learning citizens",
    },
}
UNITS: dict[Lang, dict[LearningModel, str]] = {
    "vi": {
        LearningModel.FAMILY: "gia đình",
        LearningModel.CLAN: "dòng họ",
        LearningModel.COMMUNITY: "cộng đồng",
        LearningModel.UNIT: "đơn vị",
        LearningModel.CITIZEN: "công dân",
    },
    "en": {
        LearningModel.FAMILY: "households",
        LearningModel.CLAN: "clans",
        LearningModel.COMMUNITY: "communities",
        LearningModel.UNIT: "units",
        LearningModel.CITIZEN: "citizens",
    },
}
_TEXT: dict[Lang, dict[str, str]] = {
    "vi": {
        "title": "Xây dựng mô hình học tập",
        "heading": "{name} (tổng số {count} {unit})",
        "registered": "  đăng ký",
        "recognised": "  được công nhận",
        "target": "chỉ tiêu {share}",
    },
    "en": {
        "title": "Learning models",
        "heading": "{name} ({count} {unit} in all)",
        "registered": "  registered",
        "recognised": "  recognised",
        "target": "target {share}",
    },
}


def share(fraction: float, lang: Lang) -> str:
    """0.78 → 78,0% (vi) or 78.0% (en): always one decimal."""
    shown = (Decimal(str(fraction)) * 100).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
    units, tenths = f"{shown:f}".split(".")
    mark = "," if lang == "vi" else "."
    return f"{whole(int(units), lang)}{mark}{tenths}%"


def lines(found: LearningModels, lang: Lang) -> list[str]:
    """The report's section, or nothing when no model was reported."""
    reported = [figures for figures in found.models if figures.reported]
    if not reported:
        return []
    t = _TEXT[lang]
    out = ["", t["title"]]
    for figures in reported:
        out.extend(_model(figures, lang))
    return out


def _model(figures: LearningFigures, lang: Lang) -> list[str]:
    t = _TEXT[lang]
    unit = UNITS[lang][figures.model]
    heading = t["heading"].format(
        name=MODEL_NAMES[lang][figures.model],
        count=whole(figures.eligible, lang),
        unit=unit,
    )
    registered = _count(figures.registered, figures.registered_ratio, unit, lang)
    recognised = _count(figures.recognised, figures.recognised_ratio, unit, lang)
    if figures.target_ratio is not None:
        target = t["target"].format(share=share(figures.target_ratio, lang))
        recognised = f"{recognised}; {target}"
    return [
        heading,
        f"{t['registered']:<{LABEL_WIDTH}} {registered}",
        f"{t['recognised']:<{LABEL_WIDTH}} {recognised}",
    ]


def _count(count: int, ratio: float | None, unit: str, lang: Lang) -> str:
    text = f"{whole(count, lang)} {unit}"
    return text if ratio is None else f"{text} ({share(ratio, lang)})"
