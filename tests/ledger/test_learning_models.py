"""Learning-model reports: recorded per organisation, year and model; a later
report supersedes; bad figures, models and years are refused, naming the
field, and record nothing."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date
from typing import Any

import pytest

from ledger import Ledger, errors
from ledger.commands import ReportLearningModel
from ledger.organisation import Organisation
from ledger.types import LearningModel

X01 = Organisation.id_for("NA-DC-X01")
GOOD: dict[str, Any] = {"eligible": 1_200, "registered": 900, "recognised": 700}


def test_a_report_records_the_three_figures(nghe_an: Ledger) -> None:
    version = nghe_an.organisation("NA-DC-X01").version

    nghe_an.report_learning_model(
        "NA-DC-X01", year=2022, model="family", recorded_by="thu-quy", **GOOD
    )

    (event,) = nghe_an.events.get(X01, gt=version)
    assert isinstance(event, Organisation.LearningModelReported)
    assert (event.year, event.model) == (2022, LearningModel.FAMILY)
    assert (event.eligible, event.registered, event.recognised) == (1_200, 900, 700)
    assert event.recorded_by == "thu-quy"


def test_the_same_report_again_records_nothing_and_a_later_one_supersedes(
    nghe_an: Ledger,
) -> None:
    report = nghe_an.report_learning_model
    report("NA-DC-X01", year=2022, model=LearningModel.CLAN, **GOOD)
    version = nghe_an.organisation("NA-DC-X01").version

    report("NA-DC-X01", year=2022, model="clan", **GOOD)
    assert nghe_an.organisation("NA-DC-X01").version == version

    report("NA-DC-X01", year=2022, model="clan", **(GOOD | {"recognised": 800}))
    (correction,) = nghe_an.events.get(X01, gt=version)
    assert isinstance(correction, Organisation.LearningModelReported)
    assert correction.recognised == 800
    # Another model or another year is another report, not a correction.
    report("NA-DC-X01", year=2022, model="family", **(GOOD | {"recognised": 800}))
    report("NA-DC-X01", year=2021, model="clan", **(GOOD | {"recognised": 800}))
    assert nghe_an.organisation("NA-DC-X01").version == version + 3


def test_everyone_eligible_may_be_registered_and_recognised(nghe_an: Ledger) -> None:
    version = nghe_an.organisation("NA-DC-X01").version
    nghe_an.report_learning_model(
        "NA-DC-X01", year=2023, model="unit", eligible=7, registered=7, recognised=7
    )
    nghe_an.report_learning_model(
        "NA-DC-X01", year=2023, model="citizen", eligible=0, registered=0, recognised=0
    )
    assert nghe_an.organisation("NA-DC-X01").version == version + 2


@pytest.mark.parametrize(
    ("figures", "field"),
    [
        ({"recognised": 901}, "recognised"),
        ({"registered": 1_201}, "registered"),
        ({"eligible": -1}, "eligible"),
        ({"registered": -5}, "registered"),
        ({"recognised": True}, "recognised"),
        ({"eligible": 1200.0}, "eligible"),
        ({"eligible": "1200"}, "eligible"),
        ({"eligible": 10_000_000_001}, "eligible"),
    ],
    ids=[
        "recognised-above-registered",
        "registered-above-eligible",
        "negative-eligible",
        "negative-registered",
        "bool",
        "float",
        "text",
        "beyond-ten-billion",
    ],
)
def test_bad_figures_name_their_field_and_record_nothing(
    nghe_an: Ledger,
    nothing_recorded: AbstractContextManager[None],
    figures: dict[str, Any],
    field: str,
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidInput) as info:
        nghe_an.report_learning_model(
            "NA-DC-X01", year=2022, model="family", **(GOOD | figures)
        )

    assert type(info.value) is errors.InvalidInput
    assert info.value.field == field


def test_an_unknown_model_names_the_model(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidInput) as info:
        nghe_an.report_learning_model("NA-DC-X01", year=2022, model="school", **GOOD)

    assert info.value.field == "model"
    assert "Mô hình học tập" in info.value.text()  # a person reads Vietnamese
    assert "'school'" in info.value.text("en")


def test_the_messages_speak_vietnamese() -> None:
    with pytest.raises(errors.InvalidInput) as info:
        ReportLearningModel(
            "X", year=2022, model="clan", eligible=10, registered=9, recognised=10
        )
    assert info.value.text() == "Số được công nhận (10) vượt quá số đăng ký (9)."
    assert info.value.text("en") == "recognised (10) exceeds registered (9)"
    assert info.value.field == "recognised"


@pytest.mark.parametrize(
    "year", [2009, 2024, 1899], ids=["before-registration", "next-year", "absurd"]
)
def test_a_year_to_come_or_before_the_organisation_is_refused(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None], year: int
) -> None:
    # NA-DC-X01 was registered on 15 March 2010; today is 30 June 2023.
    with nothing_recorded, pytest.raises(errors.InvalidInput) as info:
        nghe_an.report_learning_model("NA-DC-X01", year=year, model="family", **GOOD)

    assert info.value.field == "year"


def test_a_closed_or_unknown_organisation_reports_nothing(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.UnknownOrganisation):
        nghe_an.report_learning_model("HT", year=2022, model="family", **GOOD)

    nghe_an.merge("NA-DC-X02", into_code="NA-DC-X01", effective_on=date(2023, 1, 1))
    with pytest.raises(errors.OrganisationClosed):
        nghe_an.report_learning_model("NA-DC-X02", year=2022, model="family", **GOOD)


# ---- targets -------------------------------------------------------------------


def test_a_target_is_recorded_for_a_period(nghe_an: Ledger) -> None:
    version = nghe_an.organisation("NA").version

    nghe_an.set_learning_target(
        "NA", model="family", first_year=2021, last_year=2026, percent=75
    )

    (event,) = nghe_an.events.get(Organisation.id_for("NA"), gt=version)
    assert isinstance(event, Organisation.LearningTargetSet)
    assert (event.model, event.first_year, event.last_year, event.percent) == (
        LearningModel.FAMILY,
        2021,
        2026,
        75,
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"percent": 101}, "percent"),
        ({"percent": -1}, "percent"),
        ({"percent": 70.5}, "percent"),
        ({"last_year": 2020}, "last_year"),
        ({"last_year": 2041}, "last_year"),
        ({"model": "village"}, "model"),
    ],
    ids=["above-100", "negative", "fraction", "backwards", "too-long", "model"],
)
def test_a_bad_target_names_its_field(
    nghe_an: Ledger,
    nothing_recorded: AbstractContextManager[None],
    change: dict[str, Any],
    field: str,
) -> None:
    target: dict[str, Any] = {
        "model": "clan",
        "first_year": 2021,
        "last_year": 2026,
        "percent": 65,
    }
    with nothing_recorded, pytest.raises(errors.InvalidInput) as info:
        nghe_an.set_learning_target("NA", **(target | change))

    assert info.value.field == field


# ---- named recognitions ----------------------------------------------------------

NAMED: dict[str, Any] = {
    "year": 2022,
    "model": "family",
    "name": "Gia đình ông Nguyễn Văn An",
    "village": "xóm 3",
    "decision_no": "12/QĐ-HKH",
    "decision_date": date(2022, 12, 10),
}


def test_a_named_recognition_is_recorded(nghe_an: Ledger) -> None:
    version = nghe_an.organisation("NA-DC-X01").version

    nghe_an.record_recognition("NA-DC-X01", **NAMED)
    nghe_an.publish_honour_roll("NA-DC-X01")

    first, published = nghe_an.events.get(X01, gt=version)
    assert isinstance(first, Organisation.RecognitionRecorded)
    assert (first.name, first.village, first.decision_no) == (
        "Gia đình ông Nguyễn Văn An",
        "xóm 3",
        "12/QĐ-HKH",
    )
    assert isinstance(published, Organisation.HonourRollPublished)
    assert published.published is True


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"model": "citizen"}, "model"),
        ({"name": "  "}, "name"),
        ({"decision_no": ""}, "decision_no"),
        ({"decision_date": date(2021, 12, 31)}, "decision_date"),
        ({"decision_date": date(2023, 7, 1)}, "decision_date"),
        ({"year": 2009}, "year"),  # before NA-DC-X01 was registered
    ],
    ids=["citizens", "no-name", "no-decision", "before-year", "future", "year"],
)
def test_a_bad_recognition_names_its_field(
    nghe_an: Ledger,
    nothing_recorded: AbstractContextManager[None],
    change: dict[str, Any],
    field: str,
) -> None:
    with nothing_recorded, pytest.raises(errors.InvalidInput) as info:
        nghe_an.record_recognition("NA-DC-X01", **(NAMED | change))

    assert info.value.field == field
