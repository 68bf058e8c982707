"""A domain error names the field it is about: the problem's ``errors`` say
where it came from (``body.<public name>`` or ``path.<parameter>``), found
from the command field the ledger named, never from the message's words."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api
from tests.rewording import reworded

COMMUNE = "/v1/organisations/NA-DC-DH"
GIFT = {"voucher_no": "PT-1", "amount_vnd": 1_000_000, "business_date": "2022-03-01"}
PAY = {
    "voucher_no": "PC-1",
    "amount_vnd": 500_000,
    "business_date": "2022-04-01",
    "category": "scholarship",
}
SEND = {
    "voucher_no": "CK-1",
    "amount_vnd": 100_000,
    "business_date": "2022-04-01",
    "to": "NA-DC",
}

CASES: dict[str, tuple[str, dict[str, Any], str, str]] = {
    "insufficient funds": (
        "disbursements",
        PAY | {"amount_vnd": 9_000_000},
        "insufficient_funds",
        "body.amount_vnd",
    ),
    "voucher used by another entry": (
        "donations",
        GIFT | {"amount_vnd": 7},
        "duplicate_voucher",
        "body.voucher_no",
    ),
    "date in the future": (
        "donations",
        GIFT | {"voucher_no": "PT-2", "business_date": "2099-01-01"},
        "invalid_date",
        "body.business_date",
    ),
    "unknown campaign": (
        "donations",
        GIFT | {"voucher_no": "PT-2", "campaign": "NO-SUCH"},
        "unknown_campaign",
        "body.campaign",
    ),
    "unknown fund": (
        "donations",
        GIFT | {"voucher_no": "PT-2", "fund": "nosuch"},
        "unknown_fund",
        "body.fund",
    ),
    "in-kind gift without a description": (
        "donations",
        GIFT | {"voucher_no": "PT-2", "method": "in_kind", "valuation_basis": "x"},
        "invalid_input",
        "body.in_kind_description",
    ),
    "anonymous gift naming a donor": (
        "donations",
        GIFT | {"voucher_no": "PT-2", "donor_kind": "anonymous", "donor": "Ông A"},
        "invalid_input",
        "body.donor",
    ),
    "scholarship paying nobody": (
        "disbursements",
        PAY | {"voucher_no": "PC-2", "recipients": 0},
        "invalid_input",
        "body.recipients",
    ),
    "transfer to an unknown organisation": (
        "transfers",
        SEND | {"to": "NA-NOWHERE"},
        "unknown_organisation",
        "body.to",
    ),
    "transfer to an unknown fund": (
        "transfers",
        SEND | {"to_fund": "nosuch"},
        "unknown_fund",
        "body.to_fund",
    ),
    "members beyond the population": (
        "membership",
        {"year": 2022, "members": 11, "population": 10},
        "invalid_input",
        "body.members",
    ),
    "reversal of an unknown entry": (
        "entries/PT-404/reversal",
        {"reason": "nhầm"},
        "unknown_entry",
        "path.voucher_no",
    ),
}


@pytest.mark.parametrize("words", ["as written", "reworded"])
@pytest.mark.parametrize("case", list(CASES))
def test_a_domain_error_names_its_field(
    api: Api, monkeypatch: pytest.MonkeyPatch, case: str, words: str
) -> None:
    assert api.donate("PT-1", 1_000_000).status_code == 201
    if words == "reworded":
        reworded(monkeypatch)
    route, body, code, field = CASES[case]

    answer = api.post(f"{COMMUNE}/{route}", body)

    problem = answer.json()
    assert (answer.status_code >= 400, problem["code"]) == (True, code)
    assert [e["field"] for e in problem["errors"]] == [field]


def test_an_error_about_the_path_s_organisation_names_the_path(api: Api) -> None:
    answer = api.post("/v1/organisations/NA-DC-NOPE/donations", GIFT)

    problem = answer.json()
    assert (answer.status_code, problem["code"]) == (404, "unknown_organisation")
    assert [e["field"] for e in problem["errors"]] == ["path.code"]


def test_a_domain_error_is_said_in_vietnamese_unless_english_is_asked(
    api: Api,
) -> None:
    body = GIFT | {"voucher_no": "PT-2", "business_date": "2099-01-01"}
    vi = api.post(f"{COMMUNE}/donations", body).json()
    assert vi["code"] == "invalid_date"  # for programs
    assert vi["detail"] == "Ngày chứng từ 01/01/2099 là một ngày trong tương lai."
    assert vi["errors"][0]["message"] == vi["detail"]
    en = api.post(
        f"{COMMUNE}/donations", body, **{"Accept-Language": "en-GB,en;q=0.8"}
    ).json()
    assert en["code"] == "invalid_date"
    assert en["detail"] == "entry date 2099-01-01 is in the future"
