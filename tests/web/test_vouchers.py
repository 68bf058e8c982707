"""Vouchers: a phiếu thu (C40-BB) for money in, a phiếu chi (C41-BB) for money
out, each with the amount in digits and in words, as a page and as a PDF."""

from __future__ import annotations

import io
import re
from datetime import date
from html import unescape

from pypdf import PdfReader

from tests.web.conftest import COMMUNE, Site


def entry_ids(site: Site, code: str) -> dict[str, str]:
    """Voucher number (``…/reversal`` for a reversal) → entry id, from the API."""
    auditor = {"Authorization": f"Bearer {site.tokens['auditor']}"}
    entries = site.client.get(
        f"/v1/organisations/{code}/entries", headers=auditor
    ).json()["data"]
    return {
        e["voucher_no"] + ("/reversal" if e["kind"] == "reversal" else ""): e[
            "entry_id"
        ]
        for e in entries
    }


def text_of(html: str) -> str:
    """The voucher's words, one space between them."""
    voucher = html.split('<article class="voucher"', 1)[1].split("</article>", 1)[0]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", voucher)).split())


def test_a_donation_has_a_receipt_voucher(site: Site) -> None:
    site.sign_in("treasurer")
    ids = entry_ids(site, COMMUNE)
    page = site.get(f"/vouchers/{COMMUNE}/{ids['PT-2022-001']}")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    text = text_of(page.text)
    for expected in (
        "Đơn vị: Hội Khuyến học xã Diễn Hoa",
        "Mẫu số: C40-BB",
        "PHIẾU THU",
        "Ngày 20 tháng 01 năm 2022",
        "Quyển số: 2022 Số: PT-2022-001",
        "Họ và tên người nộp tiền: Công ty CP Sữa Vinamilk",
        "Nội dung: Ủng hộ Quỹ khuyến học (chuyển khoản)",
        "Số tiền: 50.000.000 đồng",
        "(Viết bằng chữ): Năm mươi triệu đồng",
        "NGƯỜI NỘP TIỀN (Ký, họ tên)",
        "THỦ QUỸ (Ký, họ tên)",
    ):
        assert expected in text, expected


def test_payments_and_transfers_have_payment_vouchers(site: Site) -> None:
    site.sign_in("treasurer")
    ids = entry_ids(site, COMMUNE)
    paid = text_of(site.get(f"/vouchers/{COMMUNE}/{ids['PC-2022-007']}").text)
    assert "Mẫu số: C41-BB" in paid
    assert "PHIẾU CHI" in paid
    assert "Họ và tên người nhận tiền: 60 đối tượng" in paid
    assert (
        "Nội dung: Chi học bổng cho 60 đối tượng - Tháng Khuyến học Nghệ An lần thứ 19"
    ) in paid
    assert "(Viết bằng chữ): Ba mươi triệu đồng" in paid
    assert "NGƯỜI NHẬN TIỀN" in paid
    sent = text_of(site.get(f"/vouchers/{COMMUNE}/{ids['PC-2022-010']}").text)
    assert "PHIẾU CHI" in sent
    assert "Chi hội Khuyến học xóm 3 (NA-DC-DH-X3)" in sent
    branch = "NA-DC-DH-X3"
    received_id = entry_ids(site, branch)[f"{COMMUNE}:PC-2022-010"]
    received = text_of(site.get(f"/vouchers/{branch}/{received_id}").text)
    assert "PHIẾU THU" in received
    assert "Nhận chuyển quỹ từ Hội Khuyến học xã Diễn Hoa" in received
    assert "(Viết bằng chữ): Năm triệu đồng" in received


def test_a_reversal_has_its_own_voucher_and_marks_the_original(site: Site) -> None:
    site.sign_in("treasurer")
    site.submit(
        COMMUNE, "reversal", {"voucher_no": "PC-2022-007", "reason": "Chi nhầm"}
    )
    ids = entry_ids(site, COMMUNE)
    undone = text_of(site.get(f"/vouchers/{COMMUNE}/{ids['PC-2022-007']}").text)
    assert "ĐÃ HỦY" in undone
    reversal = site.get(f"/vouchers/{COMMUNE}/{ids['PC-2022-007/reversal']}").text
    text = text_of(reversal)
    assert "PHIẾU THU" in text  # the money comes back
    assert "Số: PC-2022-007 (hủy)" in text
    assert "Hủy bút toán phiếu số PC-2022-007: Chi nhầm" in text


def test_the_pdf_voucher_has_the_amount_in_words(site: Site) -> None:
    site.sign_in("auditor")
    ids = entry_ids(site, COMMUNE)
    answer = site.get(f"/vouchers/{COMMUNE}/{ids['PT-2022-001']}.pdf")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"].startswith(
        'attachment; filename="phieu-thu-'
    )
    pages = PdfReader(io.BytesIO(answer.content)).pages
    assert len(pages) == 1
    assert round(float(pages[0].mediabox.width) / 72 * 25.4) == 148  # A5
    text = " ".join(pages[0].extract_text().split())
    for expected in (
        "PHIẾU THU",
        "C40-BB",
        "Số: PT-2022-001",
        "Công ty CP Sữa Vinamilk",
        "Số tiền: 50.000.000 đồng",
        "(Viết bằng chữ): Năm mươi triệu đồng",
    ):
        assert expected in text, expected


def test_lines_without_a_voucher_and_unknown_entries_are_404(site: Site) -> None:
    site.sign_in("auditor")
    ids = entry_ids(site, COMMUNE)
    opening = site.get(f"/vouchers/{COMMUNE}/{ids['opening-general']}")
    assert opening.status_code == 404
    assert "Không tìm thấy trang này." in opening.text
    assert "has no voucher" not in opening.text  # English, for logs only
    other_org = site.get(f"/vouchers/NA-QL-QT/{ids['PT-2022-001']}")
    assert other_org.status_code == 404
    assert site.get(f"/vouchers/{COMMUNE}/not-an-id").status_code == 404
    assert site.get(f"/vouchers/{COMMUNE}/not-an-id.pdf").status_code == 404


def test_a_voucher_cites_the_circular_in_force_on_its_date(site: Site) -> None:
    site.service.ledger.receive_donation(
        COMMUNE,
        voucher_no="PT-2025-001",
        amount=1_000_000,
        business_date=date(2025, 3, 1),
    )
    site.service.read_models.catch_up()
    site.sign_in("auditor")
    ids = entry_ids(site, COMMUNE)
    old = unescape(site.get(f"/vouchers/{COMMUNE}/{ids['PT-2022-001']}").text)
    assert "Thông tư số 107/2017/TT-BTC ngày 10/10/2017" in old
    assert "24/2024" not in old
    new = unescape(site.get(f"/vouchers/{COMMUNE}/{ids['PT-2025-001']}").text)
    assert "Thông tư số 24/2024/TT-BTC ngày 17/4/2024" in new
    assert "107/2017" not in new
    assert "Mẫu số: C40-BB" in new
    pdf = site.get(f"/vouchers/{COMMUNE}/{ids['PT-2025-001']}.pdf")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "24/2024/TT-BTC" in text
