"""The tree's changes over HTTP (admin): rename, move, merge, dissolve, split
and level, each with ``effective_on``, Idempotency-Key and problems naming the
body field; and an organisation's history with its dates and lineage."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api

ORG = "/v1/organisations"
SPLIT = {
    "parts": {"NA-DC": {"general": 600_000}, "NA-QL-QT": {"general": 400_000}},
    "effective_on": "2025-07-01",
}


def test_an_admin_splits_a_commune_and_its_history_names_the_successors(
    api: Api,
) -> None:
    assert api.donate("PT-1", 1_000_000).status_code == 201

    done = api.post(f"{ORG}/NA-DC-DH/split", SPLIT, who="admin")

    assert done.status_code == 200, done.text
    assert done.json()["change"] == "split"
    assert api.get(f"{ORG}/NA-QL-QT/balance").json()["balance_vnd"] == 400_000
    history = api.get(f"{ORG}/NA-DC-DH/history").json()
    assert history["status"] == "split"
    assert history["closed_on"] == "2025-07-01"
    assert history["successors"] == [
        {"code": "NA-DC", "how": "split", "effective_on": "2025-07-01"},
        {"code": "NA-QL-QT", "how": "split", "effective_on": "2025-07-01"},
    ]
    formed = api.get(f"{ORG}/NA-QL-QT/history").json()
    assert formed["predecessors"] == [
        {"code": "NA-DC-DH", "how": "split", "effective_on": "2025-07-01"}
    ]


def test_names_levels_and_parents_keep_their_dates(api: Api) -> None:
    for path, body in [
        (
            "NA-DC-DH/rename",
            {"name": "Hội Khuyến học xã Mới", "effective_on": "2025-07-01"},
        ),
        ("NA-DC-DH/move", {"new_parent_code": "NA", "effective_on": "2025-07-01"}),
        ("NA-DC-DH/level", {"level": "commune", "effective_on": "2025-07-01"}),
        ("NA-QL-QT/merge", {"into_code": "NA-DC-DH", "effective_on": "2025-07-02"}),
        ("NA-DC/dissolve", {"effective_on": "2025-07-03"}),
    ]:
        answer = api.post(f"{ORG}/{path}", body, who="admin")
        assert answer.status_code == 200, (path, answer.text)

    history = api.get(f"{ORG}/NA-DC-DH/history").json()

    assert history["names"] == [
        {
            "value": "Hội Khuyến học NA-DC-DH",
            "valid_from": "2010-01-01",
            "valid_to": "2025-07-01",
        },
        {
            "value": "Hội Khuyến học xã Mới",
            "valid_from": "2025-07-01",
            "valid_to": None,
        },
    ]
    assert [p["parent"] for p in history["parents"]] == ["NA-DC", "NA"]
    assert history["predecessors"] == [
        {"code": "NA-QL-QT", "how": "merged", "effective_on": "2025-07-02"}
    ]
    assert api.get(f"{ORG}/NA-DC/history").json()["status"] == "dissolved"


@pytest.mark.parametrize(
    ("path", "body", "status", "field"),
    [
        (
            "NA-DC-DH/split",
            SPLIT | {"parts": {"NA-DC": {"general": 1}, "NA-QL-QT": {}}},
            422,
            "body.parts",
        ),
        (
            "NA-DC-DH/merge",
            {"into_code": "NOPE", "effective_on": "2025-07-01"},
            404,
            "body.into_code",
        ),
        (
            "NA-DC-DH/move",
            {"new_parent_code": "NA-DC-DH", "effective_on": "2025-07-01"},
            409,
            "body.new_parent_code",
        ),
        ("NA-DC/dissolve", {"effective_on": "2025-07-01"}, 409, "path.code"),
        ("NA-DC-DH/level", {"level": "province"}, 409, "body.level"),
        (
            "NA-DC-DH/rename",
            {"name": "X", "effective_on": "2999-01-01"},
            422,
            "body.effective_on",
        ),
    ],
)
def test_a_refused_change_names_the_field_and_records_nothing(
    api: Api, path: str, body: dict[str, Any], status: int, field: str
) -> None:
    api.donate("PT-1", 1_000_000)
    before = api.service.ledger.recorder.max_notification_id()

    refused = api.post(f"{ORG}/{path}", body, who="admin")

    assert refused.status_code == status, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in refused.json()["errors"]] == [field]
    assert api.service.ledger.recorder.max_notification_id() == before


def test_only_an_admin_restructures(api: Api) -> None:
    refused = api.post(f"{ORG}/NA-DC-DH/rename", {"name": "X"}, who="treasurer")

    assert refused.status_code == 403


def test_a_re_sent_change_with_its_idempotency_key_is_answered_again(api: Api) -> None:
    api.donate("PT-1", 1_000_000)
    first = api.post(
        f"{ORG}/NA-DC-DH/split", SPLIT, who="admin", **{"Idempotency-Key": "r-1"}
    )
    again = api.post(
        f"{ORG}/NA-DC-DH/split", SPLIT, who="admin", **{"Idempotency-Key": "r-1"}
    )

    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert api.get(f"{ORG}/NA-DC/balance").json()["balance_vnd"] == 600_000


def test_an_organisation_read_on_a_date_has_that_dates_name_and_parent(
    api: Api,
) -> None:
    for path, body in [
        ("NA-DC-DH/rename", {"name": "Xã Mới", "effective_on": "2025-07-01"}),
        ("NA-DC-DH/move", {"new_parent_code": "NA", "effective_on": "2025-07-01"}),
    ]:
        assert api.post(f"{ORG}/{path}", body, who="admin").status_code == 200

    then = api.get(f"{ORG}/NA-DC-DH", on="2022-12-31").json()
    now = api.get(f"{ORG}/NA-DC-DH").json()

    assert (then["name"], then["parent"]) == ("Hội Khuyến học NA-DC-DH", "NA-DC")
    assert (now["name"], now["parent"]) == ("Xã Mới", "NA")
