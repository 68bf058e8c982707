"""The learning models in the printed report: the province's way of writing
them (238.123 gia đình (78,0%)), and nothing when no model was reported."""

from __future__ import annotations

from api.books import learning_report
from ledger.types import LearningModel
from projections.queries.learning import LearningFigures, LearningModels


def figures(
    model: LearningModel, *counts: int, target: float | None
) -> LearningFigures:
    eligible, registered, recognised = counts
    return LearningFigures(
        model=model,
        reported=eligible > 0,
        eligible=eligible,
        registered=registered,
        recognised=recognised,
        registered_ratio=round(registered / eligible, 6) if eligible else None,
        recognised_ratio=round(recognised / eligible, 6) if eligible else None,
        target_ratio=target,
    )


def test_the_province_s_figures_as_it_writes_them() -> None:
    found = LearningModels(
        "BT",
        2019,
        True,
        (
            figures(LearningModel.FAMILY, 305_286, 238_123, 200_000, target=0.7),
            figures(LearningModel.CLAN, 101, 95, 88, target=0.65),
            figures(LearningModel.COMMUNITY, 0, 0, 0, target=0.65),
        ),
    )

    text = "\n".join(learning_report.lines(found, "vi"))

    assert "238.123 gia đình (78,0%)" in text
    assert "88 dòng họ (87,1%); chỉ tiêu 65,0%" in text
    assert "Cộng đồng" not in text  # not reported
    english = "\n".join(learning_report.lines(found, "en"))
    assert "238,123 households (78.0%)" in english


def test_nothing_reported_prints_no_section() -> None:
    empty = LearningModels("X", 2022, False, ())
    assert learning_report.lines(empty, "vi") == []
    assert learning_report.share(0.7805, "vi") == "78,1%"  # half up
    assert learning_report.share(1.0, "en") == "100.0%"
