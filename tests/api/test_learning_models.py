"""POST and GET /v1/organisations/{code}/learning-models, and the summary's
``learning_models`` block: bad input is a problem naming the field, with a
Vietnamese message, and records nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api
from tests.api.test_routes import problem

PATH = "/v1/organisations/NA-DC-DH/learning-models"
BODY: dict[str, Any] = {
    "year": 2022,
    "model": "family",
    "eligible": 1_000,
    "registered": 780,
    "recognised": 700,
}


def test_a_report_is_recorded_and_read_back(api: Api) -> None:
    recorded = api.post(PATH, BODY)
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["organisation"] == "NA-DC-DH"
    assert recorded.json()["recognised"] == 700
    api.post("/v1/organisations/NA-QL-QT/learning-models", BODY, who="outsider")
    position = recorded.json()["position"]

    found = api.get(PATH, year=2022, after=position).json()
    family = next(m for m in found["models"] if m["model"] == "family")
    assert (family["eligible"], family["registered"], family["recognised"]) == (
        1_000,
        780,
        700,
    )
    assert (family["registered_ratio"], family["target_ratio"]) == (0.78, 0.7)
    assert family["meets_target"] is True
    assert [m["model"] for m in found["models"]] == [
        "family",
        "clan",
        "community",
        "unit",
        "citizen",
    ]

    summary = api.get("/v1/organisations/NA/summary", year=2022, subtree="true")
    block = {m["model"]: m for m in summary.json()["learning_models"]}
    assert block["family"]["eligible"] == 2_000
    assert block["clan"]["reported"] is False


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"recognised": 781}, "body.recognised"),
        ({"registered": 1_001}, "body.registered"),
        ({"model": "school"}, "body.model"),
        ({"eligible": -3}, "body.eligible"),
        ({"year": 2100}, "body.year"),
    ],
    ids=["recognised", "registered", "model", "negative", "future"],
)
def test_bad_input_names_the_field_and_records_nothing(
    api: Api, change: dict[str, Any], field: str
) -> None:
    version = api.service.ledger.organisation("NA-DC-DH").version
    body = problem(api.post(PATH, BODY | change), 422, problem_code(field))
    assert [error["field"] for error in body["errors"]] == [field]
    assert not _has_english_sentence(body["detail"])
    assert api.service.ledger.organisation("NA-DC-DH").version == version


def problem_code(field: str) -> str:
    return "invalid_date" if field == "body.year" else "invalid_input"


def _has_english_sentence(text: str) -> bool:
    return any(word in text.split() for word in ("must", "not", "exceed", "is"))


def test_a_treasurer_records_only_in_its_subtree(api: Api) -> None:
    problem(api.post(PATH, BODY, who="outsider"), 403, "forbidden")
    problem(api.post(PATH, BODY, who="none"), 401, "unauthenticated")


def test_a_target_set_by_the_district_applies_to_its_communes(api: Api) -> None:
    body = {"model": "family", "first_year": 2021, "last_year": 2026, "percent": 80}
    recorded = api.post("/v1/organisations/NA-DC/learning-targets", body)
    assert recorded.status_code == 201, recorded.text
    position = api.post(PATH, BODY).json()["position"]

    found = api.get(PATH, year=2022, after=position).json()
    family = next(m for m in found["models"] if m["model"] == "family")
    assert family["target_ratio"] == 0.8
    assert family["meets_target"] is False  # 70% recognised

    bad = api.post("/v1/organisations/NA-DC/learning-targets", body | {"percent": 120})
    assert [e["field"] for e in problem(bad, 422, "invalid_input")["errors"]] == [
        "body.percent"
    ]
    problem(
        api.post("/v1/organisations/NA-DC/learning-targets", body, who="outsider"),
        403,
        "forbidden",
    )


def test_named_recognitions_are_private_until_the_honour_roll_is_published(
    api: Api,
) -> None:
    named = {
        "year": 2022,
        "model": "family",
        "name": "Gia đình ông Nguyễn Văn An",
        "village": "xóm 3",
        "decision_no": "12/QĐ-HKH",
        "decision_date": "2022-12-10",
    }
    api.post(PATH, BODY)
    recorded = api.post("/v1/organisations/NA-DC-DH/recognitions", named)
    assert recorded.status_code == 201, recorded.text
    position = recorded.json()["position"]
    roll = "/v1/organisations/NA-DC-DH/recognitions"

    problem(api.get(roll, year=2022, after=position), 401, "unauthenticated")
    problem(api.get(roll, who="outsider", year=2022), 403, "forbidden")
    names = api.get(roll, who="auditor", year=2022).json()["recognitions"]
    assert [n["name"] for n in names] == ["Gia đình ông Nguyễn Văn An"]
    family = next(
        m for m in api.get(PATH, year=2022).json()["models"] if m["model"] == "family"
    )
    assert (family["named"], family["named_mismatch"]) == (1, True)  # 700 reported

    published = api.post(
        "/v1/organisations/NA-DC-DH/honour-roll", {"published": True}
    ).json()["position"]
    public = api.get(roll, year=2022, after=published).json()
    assert public["published"] is True
    assert public["recognitions"][0]["village"] == "xóm 3"

    bad = api.post(
        "/v1/organisations/NA-DC-DH/recognitions", named | {"model": "citizen"}
    )
    assert [e["field"] for e in problem(bad, 422, "invalid_input")["errors"]] == [
        "body.model"
    ]
