"""What a write touches beyond its own organisation (``api.auth.access.may_write``):
a transfer's receiver and an entry's campaign, through the API and the web
forms alike. The treasurer's scope is NA-DC; HT (Hà Tĩnh) is another province
with a commune and a campaign of its own.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from api.auth import access
from api.auth.tokens import Principal, Role
from api.http.problems import ApiError
from api.http.service import HttpService
from ledger.commands import Rename
from tests.api.conftest import Api
from tests.web.conftest import Site

ORG = "/v1/organisations/NA-DC-DH"


def _another_province(service: HttpService) -> None:
    ledger = service.ledger
    ledger.register_organisation(
        "HT", name="Hội Khuyến học Hà Tĩnh", level="province",
        registered_on=date(2010, 1, 1),
    )  # fmt: skip
    ledger.register_organisation(
        "HT-KA", name="Hội Khuyến học Kỳ Anh", level="commune", parent_code="HT",
        registered_on=date(2010, 1, 1),
    )  # fmt: skip
    for code, organiser in (("HT-TET", "HT"), ("NA-TET", "NA"), ("DC-TET", "NA-DC")):
        ledger.launch_campaign(
            code, name=f"Tết {code}", kind="tet", organiser_code=organiser,
            starts_on=date(2022, 1, 1), ends_on=date(2022, 12, 31),
        )  # fmt: skip
    service.read_models.catch_up()


def _transfer(api: Api, to: str, voucher: str, **extra: Any) -> dict[str, Any]:
    body = {"voucher_no": voucher, "to": to, "amount_vnd": 1_000}
    return body | {"business_date": "2022-03-02"} | extra


def test_a_transfer_to_an_organisation_outside_the_scope_is_refused(
    api: Api,
) -> None:
    _another_province(api.service)
    api.donate("PT-1", 50_000)
    refused = api.post(f"{ORG}/transfers", _transfer(api, "HT-KA", "CK-1"))
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["field"] == "body.to"
    public = api.get("/v1/organisations/HT-KA/balance").json()
    assert public["balance_vnd"] == 0
    assert api.get("/v1/organisations/NA-DC-DH/balance").json()["balance_vnd"] == 50_000
    # Down the subtree, and up to an ancestor (a remittance), are the treasurer's.
    down = _transfer(api, "NA-DC", "CK-2")
    assert api.post(f"{ORG}/transfers", down).status_code == 201
    up = _transfer(api, "NA", "CK-3")
    assert api.post(f"{ORG}/transfers", up).status_code == 201
    # The province's treasurer, whose subtree holds both sides, may reverse it.
    province = api.service.tokens.create(Role.TREASURER, "NA").secret
    api.tokens["province"] = province
    reversed_ = api.post(
        f"{ORG}/entries/CK-3/reversal", {"reason": "nhầm"}, who="province"
    )
    assert reversed_.status_code == 201


@pytest.mark.parametrize(
    ("campaign", "status"), [("HT-TET", 403), ("NA-TET", 201), ("DC-TET", 201)]
)
def test_an_entry_may_name_a_campaign_open_to_its_organisation_only(
    api: Api, campaign: str, status: int
) -> None:
    _another_province(api.service)
    answer = api.donate("PT-C", 1_000_000_000, campaign=campaign)
    assert answer.status_code == status, answer.text
    totals = api.get(f"/v1/campaigns/{campaign}/totals").json()
    assert totals["raised_vnd"] == (1_000_000_000 if status == 201 else 0)
    if status == 403:
        assert answer.json()["errors"][0]["field"] == "body.campaign"


def test_the_web_forms_go_through_the_same_rules(site: Site) -> None:
    _another_province(site.service)
    site.sign_in("treasurer")
    before = site.service.queries.balance("HT-KA").balance
    fields = {
        "voucher_no": "CK-WEB", "to": "HT-KA", "amount_vnd": "1000",
        "business_date": "02/03/2022",
    }  # fmt: skip
    answer = site.submit("NA-DC-DH", "transfer", fields)
    assert answer.status_code == 403
    gift = {
        "voucher_no": "PT-WEB", "amount_vnd": "1000", "business_date": "02/03/2022",
        "campaign": "HT-TET", "donor": "Nhà Hảo Tâm", "donor_kind": "individual",
        "method": "cash",
    }  # fmt: skip
    assert site.submit("NA-DC-DH", "donation", gift).status_code == 403
    site.service.read_models.catch_up()
    assert site.service.queries.balance("HT-KA").balance == before
    assert site.service.queries.campaign_totals("HT-TET").raised_vnd == 0


def test_only_an_admin_changes_the_hierarchy_whatever_the_door(api: Api) -> None:
    """``may_write`` refuses a treasurer a rename in its own subtree: the
    hierarchy is an admin's, even for a door without ``AdminDep``."""
    treasurer = api.service.tokens.identify(api.tokens["treasurer"])
    admin = api.service.tokens.identify(api.tokens["admin"])
    assert isinstance(treasurer, Principal)
    assert isinstance(admin, Principal)
    rename = Rename("NA-DC-DH", name="Xã Diễn Hoa mới")
    with pytest.raises(ApiError) as refused:
        access.may_write(api.service, treasurer, rename)
    assert refused.value.code == "forbidden"
    access.may_write(api.service, admin, rename)  # allowed: nothing raised
