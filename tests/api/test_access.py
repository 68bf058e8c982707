"""Who may do what: every caller against every route, asserted as one table.

The treasurer's scope is NA-DC (NA-DC-DH is under it); the outsider is the
treasurer of NA-QL.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from httpx2 import Response

from api.auth.tokens import Role
from tests.api.conftest import Api, ApiFactory

CALLERS = ("none", "public", "treasurer", "outsider", "auditor", "admin")
ORG = "/v1/organisations/NA-DC-DH"

Request = Callable[[Api, str], Response]


def donation(api: Api, who: str) -> Response:
    body = {
        "voucher_no": f"PT-{who}",
        "amount_vnd": 1_000,
        "business_date": "2022-03-01",
    }
    return api.post(f"{ORG}/donations", body, who=who)


def disbursement(api: Api, who: str) -> Response:
    body = {
        "voucher_no": f"PC-{who}",
        "amount_vnd": 1_000,
        "business_date": "2022-03-02",
        "category": "award",
    }
    return api.post(f"{ORG}/disbursements", body, who=who)


def transfer(api: Api, who: str) -> Response:
    body = {
        "voucher_no": f"CK-{who}",
        "to": "NA-DC",
        "amount_vnd": 1_000,
        "business_date": "2022-03-02",
    }
    return api.post(f"{ORG}/transfers", body, who=who)


def reversal(api: Api, who: str) -> Response:
    return api.post(f"{ORG}/entries/PT-REVERSE-ME/reversal", {"reason": who}, who=who)


def membership(api: Api, who: str) -> Response:
    return api.post(f"{ORG}/membership", {"year": 2022, "members": 10}, who=who)


def register(api: Api, who: str) -> Response:
    body = {
        "code": f"NA-DC-{who}",
        "name": "Hội mới",
        "level": "commune",
        "parent_code": "NA-DC",
        "registered_on": "2020-01-01",
    }
    return api.post("/v1/organisations", body, who=who)


def campaign(api: Api, who: str) -> Response:
    body = {
        "code": f"TET-{who}",
        "name": "Tết Khuyến học",
        "kind": "tet",
        "organiser_code": "NA-DC",
        "starts_on": "2022-01-10",
        "ends_on": "2022-02-28",
    }
    return api.post("/v1/campaigns", body, who=who)


def getter(path: str, **params: Any) -> Request:
    def request(api: Api, who: str) -> Response:
        return api.get(path, who=who, **params)

    return request


ROUTES: dict[str, tuple[Request, tuple[int, ...]]] = {
    # route: (request, status for none, public, treasurer, outsider, auditor, admin)
    "GET organisation": (getter(ORG), (200, 200, 200, 200, 200, 200)),
    "GET balance": (getter(f"{ORG}/balance"), (200, 200, 200, 200, 200, 200)),
    "GET summary": (getter(f"{ORG}/summary", year=2022), (200,) * 6),
    "GET campaign totals": (getter("/v1/campaigns/THANG/totals"), (200,) * 6),
    "GET health": (getter("/health"), (200,) * 6),
    "GET entries": (getter(f"{ORG}/entries"), (401, 403, 200, 403, 200, 403)),
    "GET events": (getter(f"{ORG}/events"), (401, 403, 200, 403, 200, 403)),
    "POST donation": (donation, (401, 403, 201, 403, 403, 403)),
    "POST disbursement": (disbursement, (401, 403, 201, 403, 403, 403)),
    "POST transfer": (transfer, (401, 403, 201, 403, 403, 403)),
    "POST reversal": (reversal, (401, 403, 201, 403, 403, 403)),
    "POST membership": (membership, (401, 403, 201, 403, 403, 403)),
    "POST organisation": (register, (401, 403, 403, 403, 403, 201)),
    "POST campaign": (campaign, (401, 403, 201, 403, 403, 201)),
}


def test_the_access_matrix(api: Api) -> None:
    api.donate("PT-SETUP", 50_000)
    api.donate("PT-REVERSE-ME", 100)
    campaign(api, "admin")  # a campaign to read
    api.post(
        "/v1/campaigns",
        {
            "code": "THANG",
            "name": "Tháng Khuyến học",
            "kind": "thang",
            "organiser_code": "NA",
            "starts_on": "2022-08-25",
            "ends_on": "2022-10-02",
        },
        who="admin",
    )
    actual = {
        route: tuple(request(api, who).status_code for who in CALLERS)
        for route, (request, _) in ROUTES.items()
    }
    expected = {route: statuses for route, (_, statuses) in ROUTES.items()}
    assert actual == expected


def test_public_answers_never_carry_personal_names(api: Api) -> None:
    api.donate("PT-1", 9_000, donor="Nguyễn Văn Nhà Hảo Tâm")
    api.post(
        f"{ORG}/disbursements",
        {
            "voucher_no": "PC-1",
            "amount_vnd": 1_000,
            "business_date": "2022-03-02",
            "category": "scholarship",
            "recipient": "Em Lê Thị Học Giỏi",
        },
    )
    for path, params in (
        (ORG, {}),
        (f"{ORG}/balance", {}),
        ("/v1/organisations/NA/balance", {"subtree": "true"}),
        (f"{ORG}/summary", {"year": 2022}),
        ("/v1/organisations/NA/summary", {"year": 2022, "subtree": "true"}),
    ):
        text = api.get(path, **params).text
        assert "Nhà Hảo Tâm" not in text
        assert "Học Giỏi" not in text
    for who in ("none", "public", "outsider", "admin"):
        text = api.get(f"{ORG}/entries", who=who).text
        assert "Nhà Hảo Tâm" not in text
    assert "Nhà Hảo Tâm" in api.get(f"{ORG}/entries", who="auditor").text


def test_reversing_a_transfer_needs_both_organisations_in_scope(
    api: Api,
) -> None:
    api.donate("PT-1", 50_000)
    body = {
        "voucher_no": "CK-1",
        "to": "NA-QL-QT",
        "amount_vnd": 10_000,
        "business_date": "2022-03-02",
    }
    # Only a treasurer whose scope holds both sides may record it (the
    # province's), and only such a one may reverse it.
    province = api.service.tokens.create(Role.TREASURER, "NA").secret
    api.tokens["province"] = province
    assert api.post(f"{ORG}/transfers", body, who="province").status_code == 201
    reason = {"reason": "nhầm"}
    mine = api.post(f"{ORG}/entries/CK-1/reversal", reason)
    theirs = api.post(
        "/v1/organisations/NA-QL-QT/entries/NA-DC-DH:CK-1/reversal",
        reason,
        who="outsider",
    )
    assert (mine.status_code, theirs.status_code) == (403, 403)
    assert (
        api.post(f"{ORG}/entries/CK-1/reversal", reason, who="province").status_code
        == 201
    )
    assert api.get("/v1/organisations/NA-QL-QT/balance").json()["balance_vnd"] == 0


def test_scope_follows_the_write_model_even_when_the_read_models_lag(
    open_api: ApiFactory,
) -> None:
    api = open_api(projections="external")
    # Another process registers a commune and moves one: nobody catches up.
    api.service.ledger.register_organisation(
        "NA-DC-NEW", name="Xã mới", level="commune", parent_code="NA-DC",
        registered_on=date(2020, 1, 1),
    )  # fmt: skip
    api.service.ledger.move(
        "NA-DC-DH", new_parent_code="NA-QL", effective_on=date(2023, 1, 1)
    )
    assert api.donate("PT-1", 1_000, org="NA-DC-NEW").status_code == 201
    assert api.donate("PT-2", 1_000).status_code == 403  # NA-DC-DH left NA-DC
    moved = api.post(
        f"{ORG}/donations",
        {"voucher_no": "PT-3", "amount_vnd": 1_000, "business_date": "2022-03-01"},
        who="outsider",
    )
    assert moved.status_code == 201
