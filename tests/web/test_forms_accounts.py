"""The treasurer's desk for issue 15: other income, deposits, withdrawals and
the account of an entry, through the same forms as every other entry."""

from __future__ import annotations

from tests.web.conftest import COMMUNE, Site, error_beside

BALANCE = 27_500_000  # the demo commune's, all of it cash


def test_income_deposit_and_withdrawal_forms_record_their_entries(site: Site) -> None:
    site.sign_in("treasurer")
    income = {
        "voucher_no": "PT-LS-1",
        "business_date": "30/12/2022",
        "amount_vnd": "120.000",
        "income_kind": "interest",
        "payer": "Agribank",
        "account": "bank",
    }
    assert site.submit(COMMUNE, "income", income).status_code == 303
    move = {
        "voucher_no": "NT-1",
        "business_date": "30/12/2022",
        "amount_vnd": "1.000.000",
    }
    assert site.submit(COMMUNE, "deposit", move).status_code == 303
    back = move | {"voucher_no": "RT-1", "amount_vnd": "500.000"}
    assert site.submit(COMMUNE, "withdrawal", back).status_code == 303

    assert site.balance(COMMUNE) == BALANCE + 120_000
    state = site.service.ledger.organisation(COMMUNE)
    assert state.accounts["general"] == {
        "cash": BALANCE - 500_000,
        "bank": 620_000,
    }
    assert {"PT-LS-1", "NT-1", "RT-1"} <= set(site.journal_lines(COMMUNE))


def test_a_withdrawal_beyond_the_bank_is_refused_beside_the_amount(site: Site) -> None:
    site.sign_in("treasurer")
    move = {"voucher_no": "RT-1", "business_date": "30/12/2022", "amount_vnd": "1"}
    answer = site.submit(COMMUNE, "withdrawal", move)
    assert answer.status_code == 409
    assert error_beside(answer.text, "amount_vnd").startswith(
        "Quỹ chung của NA-DC-DH chỉ còn 0 đồng ngày 30/12/2022"
    )
