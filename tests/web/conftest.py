"""The web pages on a real database (SQLite and PostgreSQL), with the demo
province recorded and a token per kind of caller, driven like a browser:
forms are posted, the sign-in cookie is kept.

The treasurer's scope is NA-DC (NA-DC-DH, Diễn Hoa, is under it); the
outsider is the treasurer of NA-QL.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from api.auth.tokens import Role
from api.http.app import create_app
from api.http.service import HttpService
from api.ops.demo import load_demo
from api.settings import Settings

COMMUNE = "NA-DC-DH"
"""Diễn Hoa: the demo's commune with a donation, a payment and a transfer."""
FORM_KEY = re.compile(r'name="form_key" value="([^"]+)"')


@dataclass
class Site:
    client: TestClient
    service: HttpService
    tokens: dict[str, str]

    def sign_in(self, who: str) -> Response:
        """Sign in as ``who`` (none: signed out)."""
        self.client.cookies.clear()
        if who == "none":
            return self.client.get("/")
        return self.client.post(
            "/signin", data={"token": self.tokens[who]}, follow_redirects=False
        )

    def get(self, path: str, **params: str) -> Response:
        if params:
            return self.client.get(path, params=params, follow_redirects=False)
        return self.client.get(path, follow_redirects=False)

    def form_key(self, path: str) -> str:
        found = FORM_KEY.search(self.get(path).text)
        assert found is not None, f"{path} has no form key"
        return found.group(1)

    def submit(
        self, code: str, kind: str, fields: dict[str, str], key: str | None = None
    ) -> Response:
        """Fill a fresh form (or the one of ``key``) and send it."""
        path = f"/desk/{code}/{kind}"
        data = {"form_key": key or self.form_key(path), **fields}
        return self.client.post(path, data=data, follow_redirects=False)

    def journal_lines(self, code: str) -> list[str]:
        """The voucher numbers of the journal's first page, in order."""
        page = self.get(f"/journal/{code}").text
        return [unescape(v) for v in re.findall(r'data-voucher="([^"]*)"', page)]

    def balance(self, code: str) -> int:
        """The desk's total balance, read off the page."""
        return figure(self.get(f"/desk/{code}").text, "balance_vnd")


def figure(html: str, name: str) -> int:
    """The whole number in the element marked ``data-figure="name"``."""
    found = re.search(rf'data-figure="{name}"[^>]*>([^<]*)<', html)
    assert found is not None, f"no figure {name}"
    digits = re.sub(r"\D", "", found.group(1))
    sign = -1 if found.group(1).strip().startswith("-") else 1
    return sign * int(digits)


def error_beside(html: str, field: str) -> str:
    """The error shown under ``field``, as text ('' if none)."""
    found = re.search(rf'id="{field}-error"[^>]*>(.*?)</p>', html, flags=re.DOTALL)
    return unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip() if found else ""


def code_beside(html: str, field: str) -> str:
    """The code of the error shown under ``field``, for programs ('' if none)."""
    found = re.search(rf'id="{field}-error"[^>]*data-code="([^"]*)"', html)
    return found.group(1) if found else ""


@pytest.fixture
def site(database_url: str) -> Iterator[Site]:
    app = create_app(Settings(database_url=database_url))
    with TestClient(app) as client:
        service: HttpService = app.state.service
        load_demo(service.ledger)
        service.read_models.catch_up()
        tokens = {
            "public": service.tokens.create(Role.PUBLIC).secret,
            "treasurer": service.tokens.create(Role.TREASURER, "NA-DC").secret,
            "outsider": service.tokens.create(Role.TREASURER, "NA-QL").secret,
            "auditor": service.tokens.create(Role.AUDITOR).secret,
            "admin": service.tokens.create(Role.ADMIN).secret,
        }
        yield Site(client, service, tokens)
