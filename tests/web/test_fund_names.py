"""Funds by their names, codes kept for programs: the general fund is
"Quỹ chung" (or "General fund") on the desk, the public page, the journal, the
voucher and in errors; another fund is called by the name it was opened with."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

from ledger.commands import OpenFund, RecordDonation
from ledger.types import DonorKind, Method
from tests.web.conftest import COMMUNE, Site, error_beside


def fund_cells(html: str) -> list[str]:
    """The first cell of each row of the funds table (data-fund rows)."""
    rows = re.findall(r'<tr data-fund="[^"]*"><td>([^<]*)</td>', html)
    return [unescape(row) for row in rows]


def test_the_desk_calls_funds_by_name_not_by_code(site: Site) -> None:
    ledger = site.service.ledger
    ledger.execute(OpenFund(COMMUNE, "tu-sach", name="Quỹ tủ sách dòng họ"))
    ledger.execute(
        RecordDonation(
            COMMUNE,
            voucher_no="PT-TS-1",
            business_date=date(2022, 4, 1),
            amount=2_000_000,
            fund="tu-sach",
            donor="Nguyễn Văn An",
            donor_kind=DonorKind.INDIVIDUAL,
            method=Method.CASH,
        )
    )
    site.service.read_models.catch_up()
    site.sign_in("treasurer")
    desk = site.get(f"/desk/{COMMUNE}").text
    assert fund_cells(desk) == ["Quỹ chung", "Quỹ tủ sách dòng họ"]
    assert 'data-fund="general"' in desk  # the code stays, for programs
    assert ">general<" not in desk
    public = site.get(f"/o/{COMMUNE}").text
    assert "<td>Quỹ chung</td>" in public
    assert "<td>Quỹ tủ sách dòng họ</td>" in public
    assert "<td>general</td>" not in public
    journal = site.get(f"/journal/{COMMUNE}").text
    assert "<td>Quỹ chung</td>" in journal
    assert "<td>general</td>" not in journal
    site.get("/lang/en")
    assert fund_cells(site.get(f"/desk/{COMMUNE}").text)[0] == "General fund"


def test_a_voucher_names_the_fund(site: Site) -> None:
    site.sign_in("treasurer")
    journal = site.get(f"/journal/{COMMUNE}").text
    link = re.search(rf'href="(/vouchers/{COMMUNE}/[0-9a-f-]{{36}})"', journal)
    assert link is not None
    voucher = unescape(site.get(link.group(1)).text)
    assert "Quỹ: Quỹ chung" in voucher
    assert "Quỹ: general" not in voucher


def test_an_error_names_the_fund(site: Site) -> None:
    site.sign_in("treasurer")
    fields = {
        "voucher_no": "PC-BIG",
        "business_date": "05/09/2022",
        "amount_vnd": "999000000",
        "category": "scholarship",
        "recipients": "3",
    }
    answer = site.submit(COMMUNE, "disbursement", fields)
    assert error_beside(answer.text, "amount_vnd").startswith(
        f"Quỹ chung của {COMMUNE} chỉ còn"
    )


def test_the_province_labels_its_own_funds_and_its_subtrees(site: Site) -> None:
    page = unescape(site.get("/o/NA").text)
    subtree = page.index('id="funds-subtree"')
    own = page.index('id="funds-own"')
    assert subtree < own
    assert "Quỹ của Hội Khuyến học tỉnh Nghệ An và mọi tổ chức trực thuộc" in page
    assert "Quỹ do Hội Khuyến học tỉnh Nghệ An trực tiếp quản lý" in page
    subtree_total = re.search(r'data-figure="funds_subtree">([^<]*)<', page)
    own_total = re.search(r'data-figure="funds_own">([^<]*)<', page)
    assert subtree_total is not None
    assert own_total is not None
    assert subtree_total.group(1) == "54.500.000"  # the headline's balance
    assert own_total.group(1) == "0"
    # A branch with nothing under it has one table, its own.
    branch = site.get("/o/NA-DC-DH-X3").text
    assert 'id="funds-own"' in branch
    assert 'id="funds-subtree"' not in branch
