"""The errors a treasurer meets on the pages are Vietnamese sentences: no
English inside, no error code appended (the code stays in ``data-code``)."""

from __future__ import annotations

import re
from html import unescape

from tests.web.conftest import COMMUNE, Site, code_beside, error_beside

ENGLISH = re.compile(
    r"\b(the|is|of|not|must|may|token|entry|entries|organisation|recipient|"
    r"future|read|no)\b"
)


def alert(html: str) -> str:
    found = re.search(r'role="alert"[^>]*>(.*?)</p>', html, flags=re.DOTALL)
    assert found is not None
    return unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip()


def test_form_errors_are_vietnamese_sentences_without_codes(site: Site) -> None:
    site.sign_in("treasurer")
    fields = {
        "voucher_no": "PC-X",
        "business_date": "16/11/2099",
        "amount_vnd": "1000000",
        "category": "scholarship",
        "recipients": "1",
    }
    future = site.submit(COMMUNE, "disbursement", fields)
    said = error_beside(future.text, "business_date")
    assert said == "Ngày chứng từ 16/11/2099 là một ngày trong tương lai."
    assert code_beside(future.text, "business_date") == "invalid_date"
    fields |= {"business_date": "05/09/2022", "recipients": "0"}
    nobody = site.submit(COMMUNE, "disbursement", fields)
    said = error_beside(nobody.text, "recipients")
    assert said == "Học bổng hay phần thưởng phải có ít nhất một người nhận."
    for page in (future, nobody):
        assert not ENGLISH.search(error_beside(page.text, "business_date"))
        assert "invalid_" not in re.sub(r'data-code="[^"]*"', "", page.text)


def test_error_pages_are_vietnamese(site: Site) -> None:
    missing = site.get("/o/ZZZ")
    assert missing.status_code == 404
    assert alert(missing.text) == "Không có tổ chức mã ZZZ."
    assert "no organisation" not in missing.text
    site.sign_in("treasurer")  # of NA-DC: not of the province NA
    refused = site.get("/journal/NA")
    assert refused.status_code == 403
    assert not ENGLISH.search(alert(refused.text)), alert(refused.text)
    assert "this token" not in refused.text
    assert 'data-code="forbidden"' in refused.text


def test_english_pages_group_the_amounts_in_errors(site: Site) -> None:
    site.sign_in("treasurer")
    site.get("/lang/en")
    fields = {
        "voucher_no": "PC-BIG",
        "business_date": "2022-09-05",
        "amount_vnd": "999000000",
        "category": "scholarship",
        "recipients": "3",
    }
    answer = site.submit(COMMUNE, "disbursement", fields)
    assert error_beside(answer.text, "amount_vnd") == (
        "fund 'general' of NA-DC-DH (cash) holds 32,500,000 đồng on 2022-09-05; "
        "999,000,000 đồng asked"
    )  # the cash on the voucher's day, as tests/web/test_forms.py says it in Vietnamese
