"""A form shows a domain error beside the input of the field the ledger named
(its public name in the form), never by reading the message's words."""

from __future__ import annotations

import pytest

from tests.rewording import reworded
from tests.web.conftest import COMMUNE, Site, error_beside

GIFT = {
    "voucher_no": "PT-9",
    "business_date": "20/03/2022",
    "amount_vnd": "1.000.000",
    "donor_kind": "individual",
    "method": "cash",
}
PAY = {
    "voucher_no": "PC-9",
    "business_date": "20/03/2022",
    "amount_vnd": "1.000.000",
    "category": "scholarship",
    "recipients": "1",
}
SEND = {
    "voucher_no": "CK-9",
    "business_date": "20/03/2022",
    "amount_vnd": "1.000",
    "to": "NA-DC",
}

CASES: dict[str, tuple[str, dict[str, str], str]] = {
    "insufficient funds": (
        "disbursement",
        PAY | {"amount_vnd": "900.000.000"},
        "amount_vnd",
    ),
    "date in the future": (
        "donation",
        GIFT | {"business_date": "01/01/2099"},
        "business_date",
    ),
    "unknown campaign": ("donation", GIFT | {"campaign": "NO-SUCH"}, "campaign"),
    "unknown fund": ("donation", GIFT | {"fund": "nosuch"}, "fund"),
    "in-kind gift without a description": (
        "donation",
        GIFT | {"method": "in_kind", "valuation_basis": "theo giá bìa"},
        "in_kind_description",
    ),
    "anonymous gift naming a donor": (
        "donation",
        GIFT | {"donor_kind": "anonymous", "donor": "Ông A"},
        "donor",
    ),
    "scholarship paying nobody": (
        "disbursement",
        PAY | {"recipients": "0"},
        "recipients",
    ),
    "transfer to an unknown organisation": (
        "transfer",
        SEND | {"to": "NA-NOWHERE"},
        "to",
    ),
    "transfer to an unknown fund": (
        "transfer",
        SEND | {"to_fund": "nosuch"},
        "to_fund",
    ),
    "reversal of an unknown entry": (
        "reversal",
        {"voucher_no": "PT-404", "reason": "nhầm"},
        "voucher_no",
    ),
}


@pytest.mark.parametrize("words", ["as written", "reworded"])
@pytest.mark.parametrize("case", list(CASES))
def test_a_refused_form_shows_the_error_beside_its_field(
    site: Site, monkeypatch: pytest.MonkeyPatch, case: str, words: str
) -> None:
    site.sign_in("treasurer")
    kind, fields, where = CASES[case]
    key = site.form_key(f"/desk/{COMMUNE}/{kind}")
    if words == "reworded":
        reworded(monkeypatch)

    page = site.submit(COMMUNE, kind, fields, key=key)

    assert page.status_code >= 400
    assert error_beside(page.text, where) != ""
    others = {"voucher_no", "amount_vnd", "business_date", "campaign", "fund"} - {where}
    assert [name for name in sorted(others) if error_beside(page.text, name)] == []
