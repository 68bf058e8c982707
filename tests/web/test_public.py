"""The public pages: the figures are the API's, nobody's name is shown, and
the pages work in Vietnamese and English with nothing from elsewhere."""

from __future__ import annotations

import re
from datetime import date

from ledger.types import today_in_vietnam
from tests.web.conftest import COMMUNE, Site, figure

DEMO_NAMES = ("Vinamilk", "Hội đồng hương Quỳnh Lưu tại Hà Nội")
RECIPIENT = "Nguyễn Thị Lan Anh"
DONOR = "Trần Văn Bình"


def test_the_province_page_shows_the_apis_figures_for_2022(site: Site) -> None:
    page = site.get("/o/NA", year="2022").text
    summary = site.get("/v1/organisations/NA/summary?year=2022&subtree=true").json()
    balance = site.get("/v1/organisations/NA/balance?subtree=true").json()
    assert figure(page, "balance_vnd") == balance["balance_vnd"] == 54_500_000
    for name in (
        "raised_vnd",
        "scholarships_vnd",
        "awards_vnd",
        "recipients",
        "per_capita_vnd",
        "members",
    ):
        assert figure(page, name) == summary[name], name
    assert summary["raised_vnd"] == 78_000_000
    assert 'data-figure="member_ratio">23,2%<' in page
    assert "78 triệu đồng" in page
    assert "775.276" in page


def test_without_a_year_the_page_shows_the_latest_year_with_figures(
    site: Site,
) -> None:
    page = site.get("/o/NA").text
    assert "Huy động năm 2022" in page
    this_year = today_in_vietnam().year
    assert f'href="/o/NA?year={this_year}"' in page
    assert f'<tr data-year="{this_year}">' in page


def test_the_page_lists_the_years_children_and_campaigns_with_charts(
    site: Site,
) -> None:
    page = site.get("/o/NA", year="2022").text
    row = re.search(r'<tr class="selected" data-year="2022">(.*?)</tr>', page, re.S)
    assert row is not None
    assert "78.000.000" in row.group(1)
    assert "30.000.000" in row.group(1)
    assert 'href="/o/NA-DC"' in page
    assert 'href="/o/NA-QL"' in page
    assert 'data-campaign="THANG-2022"' in page
    assert "Tháng Khuyến học Nghệ An lần thứ 19" in page
    assert page.count("<svg") == 2
    assert "Diễn Châu" in page.split("<svg")[2]
    commune = site.get(f"/o/{COMMUNE}", year="2022").text
    assert 'href="/o/NA"' in commune
    assert 'href="/o/NA-DC"' in commune
    assert figure(commune, "raised_vnd") == 58_000_000


def test_no_public_page_shows_a_donors_or_a_recipients_name(site: Site) -> None:
    ledger = site.service.ledger
    ledger.receive_donation(
        COMMUNE,
        voucher_no="PT-NAME",
        amount=2_000_000,
        business_date=date(2022, 5, 1),
        donor=DONOR,
        donor_kind="individual",
    )
    ledger.disburse(
        COMMUNE,
        voucher_no="PC-NAME",
        amount=1_000_000,
        business_date=date(2022, 5, 2),
        category="scholarship",
        recipient=RECIPIENT,
    )
    site.service.read_models.catch_up()
    names = (*DEMO_NAMES, DONOR, RECIPIENT)
    pages = ["/", "/o/NA", "/o/NA-DC", f"/o/{COMMUNE}", "/o/NA-QL-QT"]
    for lang in ("vi", "en"):
        site.get(f"/lang/{lang}")
        for path in pages:
            for year in ("", "2022"):
                html = site.get(path, **({"year": year} if year else {})).text
                shown = [name for name in names if name in html]
                assert shown == [], f"{path}?year={year} ({lang}) shows {shown}"
    # The names are in the books: the auditor's journal shows them.
    site.sign_in("auditor")
    journal = site.get(f"/journal/{COMMUNE}").text
    assert all(name in journal for name in (DEMO_NAMES[0], DONOR, RECIPIENT))


def test_english_is_a_switch_away_and_comes_back(site: Site) -> None:
    answer = site.get("/lang/en", next="/o/NA?year=2022")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/o/NA?year=2022"
    page = site.get("/o/NA", year="2022").text
    assert '<html lang="en">' in page
    assert "Raised in 2022" in page
    assert "78 million đồng" in page
    assert 'data-figure="member_ratio">23.2%<' in page
    assert "25/08/2022" not in page
    assert "2022-08-25" in page
    site.get("/lang/vi")
    assert "Huy động năm 2022" in site.get("/o/NA", year="2022").text


def test_the_language_switch_never_leads_to_another_site(site: Site) -> None:
    for target in ("https://elsewhere.example/", "//elsewhere", "/\\x", "x"):
        assert site.get("/lang/en", next=target).headers["location"] == "/", target


def test_the_home_page_leads_to_the_province(site: Site) -> None:
    page = site.get("/").text
    assert 'href="/o/NA"' in page
    assert "Hội Khuyến học tỉnh Nghệ An" in page
    assert 'href="/signin"' in page


def test_pages_load_nothing_from_another_host(site: Site) -> None:
    for path in ("/", "/o/NA", "/signin"):
        html = site.get(path).text
        assert re.findall(r'(?:src|href)="(?:https?:)?//', html) == [], path
        assert "<script" not in html, path
    css = site.get("/static/style.css")
    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")
    assert "url(" not in css.text
    assert site.get("/static/other.css").status_code == 404


def test_an_unknown_organisation_is_a_404_page(site: Site) -> None:
    answer = site.get("/o/NOPE")
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/html")
    assert "Không có tổ chức mã NOPE." in answer.text
    assert 'data-code="unknown_organisation"' in answer.text
    assert "no organisation" not in answer.text


def test_the_pages_stay_out_of_the_apis_description(site: Site) -> None:
    paths = site.get("/openapi.json").json()["paths"]
    assert all(path.startswith(("/v1/", "/health")) for path in paths)


def test_a_shared_cache_never_hands_one_readers_page_to_another(site: Site) -> None:
    signed_out = site.get("/o/NA")
    site.sign_in("treasurer")
    signed_in = site.get("/o/NA")

    assert signed_out.headers["vary"] == "Cookie"
    assert "cache-control" not in signed_out.headers  # public: cacheable per cookie
    assert signed_in.headers["vary"] == "Cookie"
    assert signed_in.headers["cache-control"] == "private"
    assert site.get(f"/desk/{COMMUNE}").headers["cache-control"] == "no-store"
