"""The public page's learning-model section: the API's figures in a table, a
chart against the targets, in Vietnamese and English; a year without reports
says so."""

from __future__ import annotations

import re
from datetime import date

from tests.web.conftest import COMMUNE, Site


def report(site: Site) -> None:
    ledger = site.service.ledger
    for code, figures in (
        (COMMUNE, {"family": (1_200, 1_050, 900), "clan": (9, 8, 5)}),
        ("NA-QL-QT", {"family": (800, 620, 500), "citizen": (3_000, 1_800, 1_400)}),
    ):
        for model, (eligible, registered, recognised) in figures.items():
            ledger.report_learning_model(
                code,
                year=2022,
                model=model,
                eligible=eligible,
                registered=registered,
                recognised=recognised,
            )
    site.service.read_models.catch_up()


def row(page: str, model: str) -> str:
    found = re.search(rf'<tr data-model="{model}">(.*?)</tr>', page, re.S)
    assert found is not None, model
    return found.group(1)


def test_the_province_page_shows_its_territorys_learning_models(site: Site) -> None:
    report(site)

    page = site.get("/o/NA", year="2022").text
    api = site.get("/v1/organisations/NA/learning-models?year=2022&subtree=true")
    family = next(m for m in api.json()["models"] if m["model"] == "family")

    assert "Xây dựng mô hình học tập năm 2022" in page
    cells = row(page, "family")
    assert "2.000" in cells  # 1.200 + 800
    assert "gia đình" in cells
    assert family["eligible"] == 2_000
    assert "1.670" in cells  # registered
    assert "83,5%" in cells  # 1.670 / 2.000
    assert "70,0%" in cells  # 1.400 of 2.000 recognised: the target is met
    assert '"tag met">đạt' in cells
    assert "chưa đạt" in row(page, "clan")  # 5 of 9: 55,6% under 65%
    assert 'data-model="unit"' not in page  # nobody reported units
    assert page.count("<svg") == 3
    chart = page.split("<svg")[3]
    assert "Gia đình học tập" in chart
    assert "Chỉ tiêu: 70,0%" in chart

    site.client.get("/lang/en")
    english = site.get("/o/NA", year="2022").text
    assert "Learning models in 2022" in english
    assert "83.5%" in row(english, "family")


def test_a_year_without_reports_says_so(site: Site) -> None:
    page = site.get("/o/NA", year="2022").text
    assert "Chưa có báo cáo mô hình học tập năm 2022." in page
    assert page.count("<svg") == 2


def test_names_show_only_once_the_honour_roll_is_published(site: Site) -> None:
    report(site)
    site.service.ledger.record_recognition(
        COMMUNE,
        year=2022,
        model="clan",
        name="Họ Hồ",
        village="xóm 3",
        decision_no="7/QĐ-HKH",
        decision_date=date(2022, 12, 1),
    )
    site.service.read_models.catch_up()

    page = site.get(f"/o/{COMMUNE}", year="2022").text
    assert "Họ Hồ" not in page  # private by default
    # The list (1 name) and the reported count (5) disagree: shown, not summed.
    assert 'data-mismatch="clan"' in page
    assert "danh sách có 1 tên" in page

    site.service.ledger.publish_honour_roll(COMMUNE)
    site.service.read_models.catch_up()
    page = site.get(f"/o/{COMMUNE}", year="2022").text
    assert "Danh sách được công nhận năm 2022" in page
    assert "Họ Hồ" in page
    assert "7/QĐ-HKH, 01/12/2022" in page
