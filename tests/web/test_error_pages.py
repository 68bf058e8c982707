"""A browser meets HTML error pages in its reader's language; a program
meets problem+json, as before."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.http.app import create_app
from api.settings import Settings
from tests.web.conftest import Site

BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


def test_an_unknown_url_is_an_html_page_for_a_browser(site: Site) -> None:
    page = site.client.get("/no/such/page", headers=BROWSER)
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "Không tìm thấy trang này." in page.text
    assert 'data-code="not_found"' in page.text
    site.get("/lang/en")
    english = site.client.get("/no/such/page", headers=BROWSER)
    assert "There is no such page." in english.text


def test_a_program_still_gets_problem_json(site: Site) -> None:
    for path, headers in (
        ("/no/such/page", {}),
        ("/no/such/page", {"Accept": "application/json"}),
        ("/v1/nothing-here", BROWSER),  # the JSON API answers JSON
    ):
        answer = site.client.get(path, headers=headers)
        assert answer.status_code == 404, path
        assert answer.headers["content-type"] == "application/problem+json", path
        assert answer.json()["code"] == "not_found"


def test_an_error_of_the_service_is_an_html_page(database_url: str) -> None:
    app = create_app(Settings(database_url=database_url))

    @app.get("/boom", include_in_schema=False)
    def boom() -> None:
        raise RuntimeError("the disk filled up")

    with TestClient(app, raise_server_exceptions=False) as client:
        page = client.get("/boom", headers=BROWSER)
        assert page.status_code == 500
        assert page.headers["content-type"].startswith("text/html")
        assert "Máy chủ gặp lỗi" in page.text
        assert "disk filled up" not in page.text
        answer = client.get("/boom")
        assert answer.status_code == 500
        assert answer.json()["code"] == "internal_error"
