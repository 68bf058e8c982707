"""The public page through the 2025 reform: the year's own name ("Tên năm
2022"), earlier names ("Trước đây"), where an ended organisation went and what
an organisation was formed from."""

from __future__ import annotations

from datetime import date
from html import unescape

from tests.web.conftest import COMMUNE, Site

REFORM = date(2025, 7, 1)
NEW_NAME = "Hội Khuyến học xã Diễn Châu"


def reform(site: Site) -> None:
    ledger = site.service.ledger
    ledger.rename(COMMUNE, name=NEW_NAME, effective_on=REFORM)
    ledger.move(COMMUNE, new_parent_code="NA", effective_on=REFORM)
    ledger.merge("NA-QL-QT", into_code=COMMUNE, effective_on=REFORM)
    site.service.read_models.catch_up()


def test_a_past_year_shows_that_years_name_and_today_the_former_one(
    site: Site,
) -> None:
    reform(site)

    in_2022 = unescape(site.get(f"/o/{COMMUNE}", year="2022").text)
    today = unescape(site.get(f"/o/{COMMUNE}").text)

    assert "Tên năm 2022: <strong>Hội Khuyến học xã Diễn Hoa</strong>" in in_2022
    assert f"nay là {NEW_NAME}" in in_2022
    assert "Trước đây: Hội Khuyến học xã Diễn Hoa (đến 01/07/2025)" in today
    assert "Tên năm" not in today
    assert 'Ngày 01/07/2025 nhận sáp nhập <a href="/o/NA-QL-QT">NA-QL-QT</a>' in today


def test_an_ended_organisation_says_when_and_into_what_it_went(site: Site) -> None:
    reform(site)

    page = unescape(site.get("/o/NA-QL-QT", year="2022").text)
    site.client.get("/lang/en")
    english = unescape(site.get("/o/NA-QL-QT", year="2022").text)

    assert f'Từ ngày 01/07/2025 đã sáp nhập vào <a href="/o/{COMMUNE}">' in page
    assert "đã sáp nhập" in page  # the status, beside the level
    assert 'data-figure="raised_vnd"' in page  # and its history is still there
    assert f'From 2025-07-01 merged into <a href="/o/{COMMUNE}">' in english
