"""POST /v1/restructurings: a plan as JSON rows, previewed with ?dry_run=true
(nothing recorded) or applied all or nothing; errors name the row and column."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api

PLANS = "/v1/restructurings"
ON = "2025-07-01"
ROWS: list[dict[str, Any]] = [
    {"op": "merge", "code": "NA-DC", "into_code": "NA", "effective_on": ON},
    {"op": "merge", "code": "NA-DC-DH", "into_code": "NA-QL-QT", "effective_on": ON},
    {"op": "rename", "code": "NA-QL-QT", "name": "Xã Quỳnh Mới", "effective_on": ON},
    {"op": "move", "code": "NA-QL-QT", "parent_code": "NA", "effective_on": ON},
    {"op": "dissolve", "code": "NA-QL", "effective_on": ON},
]


def test_a_dry_run_answers_the_changes_and_records_nothing(api: Api) -> None:
    api.donate("PT-1", 1_000_000)
    head = api.service.ledger.recorder.max_notification_id()

    answer = api.client.post(
        PLANS,
        params={"dry_run": "true"},
        json={"rows": ROWS},
        headers=api.headers("admin"),
    )

    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["dry_run"], body["applied"]) == (True, False)
    assert body["moves"] == [
        {
            "row": 1,
            "from_code": "NA-DC-DH",
            "to_code": "NA-QL-QT",
            "fund": "general",
            "amount_vnd": 1_000_000,
        }
    ]
    assert body["total_before_vnd"] == body["total_after_vnd"] == 1_000_000
    # Safe order: the commune merges before its district, the move before
    # the dissolution.
    order = [(s["op"], s["code"]) for s in body["steps"]]
    assert order.index(("merge", "NA-DC-DH")) < order.index(("merge", "NA-DC"))
    assert order.index(("move", "NA-QL-QT")) < order.index(("dissolve", "NA-QL"))
    assert api.service.ledger.recorder.max_notification_id() == head


def test_applying_records_the_whole_plan(api: Api) -> None:
    api.donate("PT-1", 1_000_000)

    answer = api.post(PLANS, {"rows": ROWS}, who="admin")

    assert answer.status_code == 200, answer.text
    assert answer.json()["applied"] is True
    assert (
        api.get("/v1/organisations/NA-QL-QT/balance").json()["balance_vnd"] == 1_000_000
    )
    assert api.get("/v1/organisations/NA-QL/history").json()["status"] == "dissolved"
    again = api.post(PLANS, {"rows": ROWS}, who="admin")
    assert again.status_code == 200, again.text
    assert all(
        step["skipped"] for step in again.json()["steps"] if step["op"] != "rename"
    )


def test_a_plan_with_errors_names_each_row_and_records_nothing(api: Api) -> None:
    api.donate("PT-1", 1_000_000)
    head = api.service.ledger.recorder.max_notification_id()
    rows = [
        *ROWS[:2],
        {"op": "merge", "code": "NA-QL", "into_code": "NOPE", "effective_on": ON},
        {
            "op": "rename",
            "code": "NA-DC",
            "name": "Sau khi sáp nhập",
            "effective_on": ON,
        },
    ]

    refused = api.post(PLANS, {"rows": rows}, who="admin")

    assert refused.status_code == 422, refused.text
    assert refused.json()["code"] == "invalid_plan"
    assert [e["field"] for e in refused.json()["errors"]] == [
        "body.rows[2].into_code",
        "body.rows[3].code",
    ]
    assert api.service.ledger.recorder.max_notification_id() == head


def test_only_an_admin_restructures(api: Api) -> None:
    assert api.post(PLANS, {"rows": ROWS}, who="treasurer").status_code == 403
