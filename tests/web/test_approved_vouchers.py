"""A payment that waited for approval prints its approver on its phiếu chi
(issue 15, item 5), on the page and in the PDF; one that never waited does
not."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from tests.web.conftest import COMMUNE, Site
from tests.web.test_vouchers import entry_ids, text_of


def test_an_approved_payment_prints_its_approver(site: Site) -> None:
    ledger = site.service.ledger
    ledger.set_approval_threshold(COMMUNE, threshold=1_000_000)
    for voucher in ("PC-A-1", "PC-A-2"):
        ledger.disburse(
            COMMUNE,
            voucher_no=voucher,
            amount=2_000_000,
            business_date=date(2023, 5, 2),
            category="award",
            recipients=1,
            recorded_by="Thủ quỹ Lan",
        )
    ledger.approve_payment(COMMUNE, "PC-A-1", recorded_by="Chủ tịch Hùng")
    site.service.read_models.catch_up()
    site.sign_in("treasurer")
    ids = entry_ids(site, COMMUNE)
    assert "PC-A-2" not in ids  # pending: in no journal, no total

    page = text_of(site.get(f"/vouchers/{COMMUNE}/{ids['PC-A-1']}").text)
    assert "Người duyệt chi: Chủ tịch Hùng" in page
    assert "bởi Thủ quỹ Lan" in page
    pdf = site.get(f"/vouchers/{COMMUNE}/{ids['PC-A-1']}.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Người duyệt chi: Chủ tịch Hùng" in " ".join(text.split())

    before = text_of(site.get(f"/vouchers/{COMMUNE}/{ids['PT-2022-001']}").text)
    assert "Người duyệt chi" not in before
