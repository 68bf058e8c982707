"""The treasurer's forms: what they record, what they refuse (beside the field,
as the API refuses it), and a form sent twice recording once."""

from __future__ import annotations

import re
import threading
from html import unescape

from fastapi.testclient import TestClient

from api.auth.tokens import Role
from api.http.app import create_app
from api.http.service import HttpService
from api.ops.demo import load_demo
from api.settings import Settings
from tests.web.conftest import COMMUNE, Site, code_beside, error_beside, figure

BALANCE = 27_500_000
"""Diễn Hoa's demo balance: 12.5 + 50 - 30 - 5 million đồng."""


def donation(voucher: str, amount: str = "5.000.000", **more: str) -> dict[str, str]:
    return {
        "voucher_no": voucher,
        "business_date": "20/03/2022",
        "amount_vnd": amount,
        "donor": "Lê Văn Cường",
        "donor_kind": "individual",
        "method": "cash",
        **more,
    }


def test_a_donation_recorded_by_the_form_is_in_the_journal_and_balance(
    site: Site,
) -> None:
    site.sign_in("treasurer")
    assert site.balance(COMMUNE) == BALANCE
    answer = site.submit(COMMUNE, "donation", donation("PT-2022-050"))
    assert answer.status_code == 303
    done = answer.headers["location"]
    found = re.fullmatch(rf"/desk/{COMMUNE}\?done=([0-9a-f-]{{36}})&after=\d+", done)
    assert found is not None, done
    desk = site.get(done).text
    assert "Đã ghi phiếu thu số PT-2022-050: 5.000.000 đ." in desk
    assert f'href="/vouchers/{COMMUNE}/{found.group(1)}"' in desk
    assert site.balance(COMMUNE) == BALANCE + 5_000_000
    assert site.journal_lines(COMMUNE)[-1] == "PT-2022-050"
    # The API sees the same entry: dd/mm/yyyy and grouped digits were read.
    auditor = {"Authorization": f"Bearer {site.tokens['auditor']}"}
    entries = site.client.get(
        f"/v1/organisations/{COMMUNE}/entries", headers=auditor
    ).json()["data"]
    entry = entries[-1]
    assert entry["voucher_no"] == "PT-2022-050"
    assert entry["amount_vnd"] == 5_000_000
    assert entry["business_date"] == "2022-03-20"
    assert entry["counterparty"] == "Lê Văn Cường"
    assert entry["recorded_by"].startswith("token:")


def test_with_a_projection_worker_the_desk_waits_for_the_entry_just_recorded(
    database_url: str,
) -> None:
    """KHUYENHOC_PROJECTIONS=external: the read models follow a moment later;
    the page after the form still shows the entry and the new balance."""
    app = create_app(Settings(database_url=database_url, projections="external"))
    with TestClient(app) as client:
        service: HttpService = app.state.service
        load_demo(service.ledger)
        service.read_models.catch_up()
        site = Site(client, service, {"treasurer": service.tokens.create(
            Role.TREASURER, "NA-DC").secret})  # fmt: skip
        site.sign_in("treasurer")

        answer = site.submit(COMMUNE, "donation", donation("PT-2022-051"))
        assert answer.status_code == 303
        assert service.read_models.position() < service.read_models.head()
        worker = threading.Timer(0.3, service.read_models.catch_up)  # the worker
        worker.start()
        desk = site.get(answer.headers["location"]).text
        worker.join()

    assert "Đã ghi phiếu thu số PT-2022-051: 5.000.000 đ." in desk
    assert figure(desk, "balance_vnd") == BALANCE + 5_000_000


def test_a_bad_amount_is_refused_beside_the_field_as_the_api_refuses_it(
    site: Site,
) -> None:
    site.sign_in("treasurer")
    expected = {
        "0": "Phải lớn hơn 0.",
        "-5": "Phải lớn hơn 0.",
        "5,5": "Phải là một số nguyên, ví dụ 5.000.000.",
        "năm triệu": "Phải là một số nguyên, ví dụ 5.000.000.",
        "1.000.000.000.001": "Không được lớn hơn 1.000.000.000.000.",
        "": "Cần điền mục này.",
    }
    for amount, message in expected.items():
        answer = site.submit(COMMUNE, "donation", donation("PT-BAD", amount))
        assert answer.status_code == 422, amount
        assert error_beside(answer.text, "amount_vnd") == message, amount
        assert code_beside(answer.text, "amount_vnd") == "validation_failed"
        assert error_beside(answer.text, "voucher_no") == ""
        assert 'value="PT-BAD"' in answer.text  # what was typed stays
    assert "PT-BAD" not in site.journal_lines(COMMUNE)
    assert site.balance(COMMUNE) == BALANCE
    # In English the page says what the API says.
    site.get("/lang/en")
    page = site.submit(COMMUNE, "donation", donation("PT-BAD", "0")).text
    api = site.client.post(
        f"/v1/organisations/{COMMUNE}/donations",
        json={"voucher_no": "PT-BAD", "amount_vnd": 0, "business_date": "2022-03-20"},
        headers={"Authorization": f"Bearer {site.tokens['treasurer']}"},
    ).json()
    assert api["code"] == "validation_failed"
    assert error_beside(page, "amount_vnd") == (api["errors"][0]["message"])


def test_a_payment_beyond_the_balance_is_refused_with_the_balance(
    site: Site,
) -> None:
    site.sign_in("treasurer")
    fields = {
        "voucher_no": "PC-BIG",
        "business_date": "05/09/2022",
        "amount_vnd": "999000000",
        "category": "scholarship",
        "recipients": "3",
    }
    answer = site.submit(COMMUNE, "disbursement", fields)
    assert answer.status_code == 409
    assert error_beside(answer.text, "amount_vnd") == (
        # The balance on the payment's date (issue 15: never below zero on
        # any date), named.
        "Quỹ chung của NA-DC-DH chỉ còn 32.500.000 đồng ngày 05/09/2022; phiếu cần "
        "999.000.000 đồng."
    )
    assert code_beside(answer.text, "amount_vnd") == "insufficient_funds"
    assert site.balance(COMMUNE) == BALANCE


def test_a_form_sent_twice_records_once(site: Site) -> None:
    site.sign_in("treasurer")
    key = site.form_key(f"/desk/{COMMUNE}/donation")
    first = site.submit(COMMUNE, "donation", donation("PT-2022-060"), key)
    again = site.submit(COMMUNE, "donation", donation("PT-2022-060"), key)
    assert first.status_code == again.status_code == 303
    assert again.headers["location"] == first.headers["location"] + "&again=1"
    assert "&again=1" not in first.headers["location"]
    assert "Đã ghi phiếu thu số PT-2022-060" in site.get(first.headers["location"]).text
    said = site.get(again.headers["location"]).text
    assert (
        "Phiếu này (phiếu thu số PT-2022-060, 5.000.000 đ) đã được ghi từ trước" in said
    )
    assert "Đã ghi phiếu thu" not in said
    assert site.journal_lines(COMMUNE).count("PT-2022-060") == 1
    assert site.balance(COMMUNE) == BALANCE + 5_000_000
    # Two renderings of the form with the same content: the voucher number
    # makes them one entry.
    third = site.submit(COMMUNE, "donation", donation("PT-2022-060"))
    assert third.headers["location"].endswith("&again=1")
    assert (
        third.headers["location"].split("&after")[0]
        == (first.headers["location"].split("&after")[0])
    )
    assert site.journal_lines(COMMUNE).count("PT-2022-060") == 1
    # The same key with other content is another form: refused, nothing lost.
    other = site.submit(COMMUNE, "donation", donation("PT-2022-061"), key)
    assert other.status_code == 409
    assert "idempotency_key_reused" in other.text
    assert 'value="PT-2022-061"' in other.text
    assert f'value="{key}"' not in other.text  # it comes back with a new key
    assert "PT-2022-061" not in site.journal_lines(COMMUNE)


def test_a_voucher_number_taken_by_another_entry_is_refused_beside_it(
    site: Site,
) -> None:
    site.sign_in("treasurer")
    answer = site.submit(COMMUNE, "donation", donation("PT-2022-001"))
    assert answer.status_code == 409
    assert error_beside(answer.text, "voucher_no") == (
        "Số phiếu 'PT-2022-001' đã dùng cho một bút toán khác."
    )
    assert code_beside(answer.text, "voucher_no") == "duplicate_voucher"


def test_a_transfer_to_an_unknown_organisation_is_refused_beside_it(
    site: Site,
) -> None:
    site.sign_in("treasurer")
    fields = {
        "voucher_no": "PC-TR",
        "business_date": "2022-10-01",
        "amount_vnd": "1000000",
        "to": "NOWHERE",
    }
    answer = site.submit(COMMUNE, "transfer", fields)
    assert answer.status_code == 404
    assert error_beside(answer.text, "to") == ("Không có tổ chức mã NOWHERE.")
    fields["to"] = "NA-DC-DH-HO"
    assert site.submit(COMMUNE, "transfer", fields).status_code == 303
    assert site.balance(COMMUNE) == BALANCE - 1_000_000
    assert site.balance("NA-DC-DH-HO") == 9_000_000


def test_a_reversal_by_form_is_recorded_once(site: Site) -> None:
    site.sign_in("treasurer")
    unknown = {"voucher_no": "PT-NONE", "reason": "Nhập nhầm"}
    refused = site.submit(COMMUNE, "reversal", unknown)
    assert error_beside(refused.text, "voucher_no") == (
        "NA-DC-DH không có bút toán nào với số phiếu 'PT-NONE'."
    )
    journal = site.get(f"/journal/{COMMUNE}").text
    link = f"/desk/{COMMUNE}/reversal?voucher_no=PC-2022-007"
    assert f'href="{link}"' in journal
    assert 'value="PC-2022-007"' in site.get(link).text
    fields = {"voucher_no": "PC-2022-007", "reason": "Nhập nhầm số tiền"}
    first = site.submit(COMMUNE, "reversal", fields)
    assert first.status_code == 303
    assert site.balance(COMMUNE) == BALANCE + 30_000_000
    # A second form with the same reversal finds the first.
    second = site.submit(COMMUNE, "reversal", fields)
    assert second.headers["location"] == first.headers["location"] + "&again=1"
    other = site.submit(COMMUNE, "reversal", {**fields, "reason": "Lý do khác"})
    assert other.status_code == 409
    assert error_beside(other.text, "voucher_no") == (
        "Bút toán của phiếu 'PC-2022-007' đã được hủy rồi (lý do: Nhập nhầm số tiền)."
    )
    assert site.balance(COMMUNE) == BALANCE + 30_000_000
    assert site.journal_lines(COMMUNE).count("PC-2022-007") == 2  # it and its reversal


def test_the_reversal_form_asks_for_the_journals_voucher_number(site: Site) -> None:
    site.sign_in("treasurer")
    form = site.get(f"/desk/{COMMUNE}/reversal").text
    assert "Số phiếu của bút toán cần hủy, như trong sổ nhật ký" in form
    assert "không trùng trong một hội" not in form  # the new-voucher hint
    assert "không trùng trong một hội" in site.get(f"/desk/{COMMUNE}/donation").text
    desk = site.get(f"/desk/{COMMUNE}").text
    assert "<h1>Sổ quỹ: " in desk
    assert "Bàn thủ quỹ" not in desk


def test_the_reversal_form_shows_the_entry_it_will_reverse(site: Site) -> None:
    site.sign_in("treasurer")
    form = unescape(site.get(f"/desk/{COMMUNE}/reversal?voucher_no=PC-2022-007").text)
    shown = re.search(r'id="reversing">(.*?)</div>', form, re.DOTALL)
    assert shown is not None
    text = " ".join(re.sub(r"<[^>]+>", " ", shown.group(1)).split())
    assert text.startswith("Bút toán sẽ bị hủy:")
    assert "Phiếu chi PC-2022-007 · 05/09/2022 · 30.000.000 đ" in text
    assert "Học bổng, 60 người" in text
    assert "để xác nhận" in text
    assert 'id="reversing"' not in site.get(f"/desk/{COMMUNE}/reversal").text
