"""The HTTP service on a real database (SQLite and PostgreSQL), driven through
Starlette's TestClient, with a token per role."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from api.auth.tokens import Role
from api.http.app import create_app
from api.http.service import HttpService
from api.settings import Settings

ORGS: tuple[tuple[str, str, str | None], ...] = (
    ("NA", "province", None),
    ("NA-DC", "district", "NA"),
    ("NA-DC-DH", "commune", "NA-DC"),
    ("NA-QL", "district", "NA"),
    ("NA-QL-QT", "commune", "NA-QL"),
)


@dataclass
class Api:
    """A client of the service, and a token for each kind of caller."""

    client: TestClient
    service: HttpService
    tokens: dict[str, str]

    def headers(self, who: str, **extra: str) -> dict[str, str]:
        """Headers for a caller: none, public, treasurer, outsider, auditor, admin."""
        headers = dict(extra)
        if who != "none":
            headers["Authorization"] = f"Bearer {self.tokens[who]}"
        return headers

    def post(
        self, path: str, body: dict[str, Any], who: str = "treasurer", **h: str
    ) -> Response:
        return self.client.post(path, json=body, headers=self.headers(who, **h))

    def get(self, path: str, who: str = "none", **params: Any) -> Response:
        return self.client.get(path, params=params, headers=self.headers(who))

    def donate(
        self, voucher: str, amount: int, org: str = "NA-DC-DH", **kw: Any
    ) -> Response:
        body = {
            "voucher_no": voucher,
            "amount_vnd": amount,
            "business_date": "2022-03-01",
        }
        return self.post(f"/v1/organisations/{org}/donations", body | kw)


ApiFactory = Callable[..., Api]


@pytest.fixture
def open_api(database_url: str) -> Iterator[ApiFactory]:
    clients: list[TestClient] = []

    def factory(**settings: Any) -> Api:
        app = create_app(Settings(database_url=database_url, **settings))
        client = TestClient(app, raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        service: HttpService = app.state.service
        tokens = {
            "public": service.tokens.create(Role.PUBLIC).secret,
            "auditor": service.tokens.create(Role.AUDITOR).secret,
            "admin": service.tokens.create(Role.ADMIN).secret,
        }
        for code, level, parent in ORGS:
            service.ledger.register_organisation(
                code,
                name=f"Hội Khuyến học {code}",
                level=level,
                parent_code=parent,
                registered_on=date(2010, 1, 1),
            )
        service.read_models.catch_up()
        tokens["treasurer"] = service.tokens.create(Role.TREASURER, "NA-DC").secret
        tokens["outsider"] = service.tokens.create(Role.TREASURER, "NA-QL").secret
        return Api(client, service, tokens)

    yield factory
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def api(open_api: ApiFactory) -> Api:
    return open_api()
