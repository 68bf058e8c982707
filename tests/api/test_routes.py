"""Every route: its success and each of its errors, as problem+json."""

from __future__ import annotations

from typing import Any

from httpx2 import Response

from tests.api.conftest import Api

PROBLEM = "application/problem+json"


def problem(response: Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert (body["code"], body["status"], body["type"]) == (
        code,
        status,
        f"/problems/{code}",
    )
    assert "Traceback" not in response.text
    assert "SELECT" not in response.text
    return body


def test_register_an_organisation(api: Api) -> None:
    body = {
        "code": "NA-DC-DX",
        "name": "Hội Khuyến học xã Diễn Xuân",
        "level": "commune",
        "parent_code": "NA-DC",
        "registered_on": "2015-01-01",
    }
    created = api.post("/v1/organisations", body, who="admin")
    assert created.status_code == 201
    assert created.headers["location"] == "/v1/organisations/NA-DC-DX"
    position = created.json()["position"]
    assert created.headers["x-log-position"] == str(position)
    read = api.get("/v1/organisations/NA-DC-DX")
    assert read.json()["parent"] == "NA-DC"
    assert read.json()["status"] == "active"
    assert api.get("/v1/organisations/NA-DC").json()["children"] == 2

    problem(api.post("/v1/organisations", body | {"name": "X"}, who="admin"), 409,
            "duplicate_organisation")  # fmt: skip
    problem(
        api.post(
            "/v1/organisations", body | {"code": "B", "level": "province"}, who="admin"
        ),
        409,
        "invalid_hierarchy",
    )
    problem(
        api.post(
            "/v1/organisations",
            body | {"code": "C", "parent_code": "NOPE"},
            who="admin",
        ),
        404,
        "unknown_organisation",
    )
    bad = problem(
        api.post("/v1/organisations", {"code": "??", "level": "city"}, who="admin"),
        422,
        "validation_failed",
    )
    fields = {e["field"] for e in bad["errors"]}
    assert {"body.code", "body.level", "body.name", "body.registered_on"} <= fields


def test_read_an_unknown_organisation_is_404(api: Api) -> None:
    problem(api.get("/v1/organisations/NOPE"), 404, "unknown_organisation")
    problem(api.get("/v1/organisations/NOPE/balance"), 404, "unknown_organisation")
    problem(api.get("/v1/nothing-here"), 404, "not_found")


def test_record_a_donation_and_read_the_balance(api: Api) -> None:
    recorded = api.donate("PT-1", 5_000_000, donor="Ông A", campaign=None)
    assert recorded.status_code == 201
    assert recorded.json()["kind"] == "donation"
    balance = api.get("/v1/organisations/NA-DC-DH/balance").json()
    assert balance["balance_vnd"] == 5_000_000
    assert balance["funds"] == [
        {"fund": "general", "balance_vnd": 5_000_000, "total_in_vnd": 5_000_000,
         "total_out_vnd": 0}
    ]  # fmt: skip
    subtree = api.get("/v1/organisations/NA/balance", subtree="true").json()
    assert subtree["balance_vnd"] == 5_000_000
    before = api.get("/v1/organisations/NA-DC-DH/balance", as_of="2022-02-28").json()
    assert before["balance_vnd"] == 0

    problem(api.donate("PT-1", 6_000_000), 409, "duplicate_voucher")
    problem(api.donate("PT-2", 5_000, fund="sach"), 404, "unknown_fund")
    problem(api.donate("PT-3", 5_000, campaign="NOPE"), 404, "unknown_campaign")
    problem(api.donate("PT-4", 5_000, business_date="2099-01-01"), 422, "invalid_date")
    bad = problem(api.donate("PT-5", 0, donor_kind="alien"), 422, "validation_failed")
    assert {e["field"] for e in bad["errors"]} == {"body.amount_vnd", "body.donor_kind"}
    problem(api.donate("PT-6", 1.5), 422, "validation_failed")  # type: ignore[arg-type]
    problem(api.donate("PT-7", 5_000, surprise=1), 422, "validation_failed")
    problem(
        api.donate("PT-8", 5_000, donor_kind="anonymous", donor="Bà B"),
        422,
        "invalid_input",
    )


def test_a_disbursement_beyond_the_balance_says_how_much_there_is(api: Api) -> None:
    api.donate("PT-1", 2_000_000)
    body = {
        "voucher_no": "PC-1",
        "amount_vnd": 9_000_000,
        "business_date": "2022-09-05",
        "category": "scholarship",
        "recipients": 6,
    }
    refused = problem(
        api.post("/v1/organisations/NA-DC-DH/disbursements", body),
        409,
        "insufficient_funds",
    )
    assert (refused["balance"], refused["amount"]) == (2_000_000, 9_000_000)
    paid = api.post(
        "/v1/organisations/NA-DC-DH/disbursements", body | {"amount_vnd": 1_500_000}
    )
    assert paid.status_code == 201
    summary = api.get(
        "/v1/organisations/NA-DC/summary", year=2022, subtree="true"
    ).json()
    assert (summary["scholarships_vnd"], summary["recipients"]) == (1_500_000, 6)


def test_a_transfer_and_its_reversal(api: Api) -> None:
    api.donate("PT-1", 3_000_000)
    body = {
        "voucher_no": "CK-1",
        "to": "NA-DC",
        "amount_vnd": 1_000_000,
        "business_date": "2022-10-01",
    }
    assert api.post("/v1/organisations/NA-DC-DH/transfers", body).status_code == 201
    problem(
        api.post(
            "/v1/organisations/NA-DC-DH/transfers",
            body | {"voucher_no": "CK-2", "to": "NOPE"},
        ),
        404,
        "unknown_organisation",
    )
    reversed_ = api.post(
        "/v1/organisations/NA-DC-DH/entries/CK-1/reversal", {"reason": "nhầm"}
    )
    assert reversed_.status_code == 201
    assert reversed_.json()["kind"] == "reversal"
    problem(
        api.post("/v1/organisations/NA-DC-DH/entries/CK-1/reversal", {"reason": "lại"}),
        409,
        "already_reversed",
    )
    problem(
        api.post("/v1/organisations/NA-DC-DH/entries/PT-404/reversal", {"reason": "x"}),
        404,
        "unknown_entry",
    )
    assert (
        api.get("/v1/organisations/NA-DC-DH/balance").json()["balance_vnd"] == 3_000_000
    )


def test_membership_and_the_yearly_summary(api: Api) -> None:
    body = {"year": 2022, "members": 1_160, "population": 5_000}
    recorded = api.post("/v1/organisations/NA-DC-DH/membership", body)
    assert recorded.status_code == 201
    assert recorded.json()["members"] == 1_160
    api.donate("PT-1", 130_000_000)
    summary = api.get("/v1/organisations/NA-DC", year=2022, subtree="true")
    summary = api.get("/v1/organisations/NA-DC/summary", year=2022, subtree="true")
    assert summary.status_code == 200
    fields = summary.json()
    for name in ("organisation", "year", "raised_vnd", "disbursed_vnd",
                 "scholarships_vnd", "awards_vnd", "recipients", "members",
                 "population", "per_capita_vnd", "member_ratio"):  # fmt: skip
        assert name in fields
    assert (fields["per_capita_vnd"], fields["member_ratio"]) == (26_000, 0.232)
    problem(api.get("/v1/organisations/NA-DC/summary"), 422, "validation_failed")
    problem(
        api.post("/v1/organisations/NA-DC-DH/membership", body | {"members": 9_999}),
        422,
        "invalid_input",
    )


def test_campaigns(api: Api) -> None:
    body = {
        "code": "THANG-2022",
        "name": "Tháng Khuyến học lần thứ 19",
        "kind": "thang",
        "edition": 19,
        "organiser_code": "NA",
        "starts_on": "2022-08-25",
        "ends_on": "2022-10-02",
    }
    assert api.post("/v1/campaigns", body, who="admin").status_code == 201
    api.donate("PT-1", 4_000_000, business_date="2022-09-01", campaign="THANG-2022")
    problem(
        api.donate(
            "PT-2", 4_000_000, business_date="2022-11-01", campaign="THANG-2022"
        ),
        409,
        "outside_campaign",
    )
    totals = api.get("/v1/campaigns/THANG-2022/totals").json()
    assert (totals["raised_vnd"], totals["entries"]) == (4_000_000, 1)
    district = api.get("/v1/campaigns/THANG-2022/totals", org="NA-QL").json()
    assert district["raised_vnd"] == 0
    problem(api.get("/v1/campaigns/NOPE/totals"), 404, "unknown_campaign")
    problem(
        api.post("/v1/campaigns", body | {"name": "Khác"}, who="admin"),
        409,
        "duplicate_campaign",
    )
    problem(
        api.post(
            "/v1/campaigns", body | {"code": "X", "ends_on": "2022-01-01"}, who="admin"
        ),
        422,
        "invalid_date",
    )


def test_the_journal_pages_and_the_event_stream(api: Api) -> None:
    for n in range(5):
        api.donate(f"PT-{n}", 1_000 + n, donor="Bà C")
    first = api.get("/v1/organisations/NA-DC-DH/entries", who="auditor", limit=3)
    assert first.status_code == 200
    page = first.json()
    assert [e["voucher_no"] for e in page["data"]] == ["PT-0", "PT-1", "PT-2"]
    assert page["data"][0]["counterparty"] == "Bà C"
    rest = api.get(
        "/v1/organisations/NA-DC-DH/entries", who="auditor", cursor=page["next_cursor"]
    ).json()
    assert [e["voucher_no"] for e in rest["data"]] == ["PT-3", "PT-4"]
    assert rest["next_cursor"] is None
    dated = api.get(
        "/v1/organisations/NA-DC-DH/entries", who="auditor", **{"from": "2022-03-02"}
    ).json()
    assert dated["data"] == []
    problem(
        api.get("/v1/organisations/NA-DC-DH/entries", who="auditor", cursor="x"),
        422,
        "invalid_input",
    )
    events = api.get("/v1/organisations/NA-DC-DH/events", who="auditor", limit=2).json()
    assert [e["type"] for e in events["data"]] == ["Registered", "DonationReceived"]
    assert events["data"][1]["data"]["counterparty"] == "Bà C"
    more = api.get(
        "/v1/organisations/NA-DC-DH/events",
        who="auditor",
        after_version=events["next_after"],
    ).json()
    assert len(more["data"]) == 4
    assert all(e["recorded_by"].startswith("token:") for e in more["data"])


def test_health_reports_the_database_and_the_lag(api: Api) -> None:
    health = api.get("/health").json()
    assert health["status"] == "ok"
    assert health["database"] == "ok"
    assert health["lag"] == 0
    assert health["head"] == health["position"]


def test_bad_credentials_are_401(api: Api) -> None:
    anyone = api.client.get(
        "/v1/organisations/NA", headers={"Authorization": "Bearer khk_nope"}
    )
    problem(anyone, 401, "unauthenticated")
    assert anyone.headers["www-authenticate"] == "Bearer"
    basic = api.client.get(
        "/v1/organisations/NA", headers={"Authorization": "Basic dXNlcg=="}
    )
    problem(basic, 401, "unauthenticated")
