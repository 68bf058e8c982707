"""Request body limits, security headers on HTML pages, CORS closed unless
configured, and settings that fail fast."""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
from collections.abc import Iterator

import pytest
from starlette.types import ASGIApp, Message

from api.settings import Settings
from tests.api.conftest import ApiFactory

LIMIT = 2_048
DONATIONS = "/v1/organisations/NA-DC-DH/donations"


def donation(voucher: str, note: str = "") -> dict[str, object]:
    return {
        "voucher_no": voucher,
        "amount_vnd": 1_000_000,
        "business_date": "2022-03-01",
        "donor": "Ông A",
        "note": note or None,
    }


def test_a_body_over_the_limit_is_413_and_records_nothing(
    open_api: ApiFactory,
) -> None:
    api = open_api(max_body_bytes=LIMIT)
    head = api.service.read_models.head()

    refused = api.post(
        "/v1/organisations/NA-DC-DH/donations", donation("PT-1", "x" * LIMIT)
    )

    assert refused.status_code == 413
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["code"] == "payload_too_large"
    assert api.service.read_models.head() == head


def test_a_chunked_body_is_counted_as_it_arrives(open_api: ApiFactory) -> None:
    api = open_api(max_body_bytes=LIMIT)
    body = json.dumps(donation("PT-2", "y" * LIMIT)).encode()
    head = api.service.read_models.head()

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(body), 512):
            yield body[start : start + 512]

    refused = api.client.post(
        "/v1/organisations/NA-DC-DH/donations",
        content=chunks(),
        headers=api.headers(
            "treasurer", **{"Content-Type": "application/json", "Idempotency-Key": "k1"}
        ),
    )

    assert "content-length" not in refused.request.headers
    assert refused.status_code == 413
    assert refused.json()["code"] == "payload_too_large"
    assert api.service.read_models.head() == head


async def post_endlessly(
    app: ASGIApp, path: str, headers: dict[str, str], start: bytes
) -> tuple[list[Message], int]:
    """POST a body that never ends (chunks of 512 bytes, no Content-Length), as
    a client streaming it would; what was sent back, and how many chunks the
    service read."""
    chunks = itertools.chain([start], itertools.repeat(b"x" * 512))
    read = 0
    sent: list[Message] = []

    async def receive() -> Message:
        nonlocal read
        read += 1
        return {"type": "http.request", "body": next(chunks), "more_body": True}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    await app(scope, receive, send)
    return sent, read


@pytest.mark.parametrize(
    ("path", "content_type", "start", "idempotency_key"),
    [
        (DONATIONS, "application/json", b'{"voucher_no": "PT-9", "note": "', "k9"),
        (DONATIONS, "application/json", b'{"voucher_no": "PT-9", "note": "', None),
        ("/signin", "application/x-www-form-urlencoded", b"token=", None),
    ],
)
def test_a_streamed_body_is_cut_off_at_the_limit_with_a_413(
    open_api: ApiFactory,
    caplog: pytest.LogCaptureFixture,
    path: str,
    content_type: str,
    start: bytes,
    idempotency_key: str | None,
) -> None:
    api = open_api(max_body_bytes=LIMIT)
    head = api.service.read_models.head()
    headers = api.headers("treasurer", **{"Content-Type": content_type})
    if idempotency_key:
        headers["Idempotency-Key"] = idempotency_key

    with caplog.at_level(logging.WARNING):
        sent, read = asyncio.run(post_endlessly(api.client.app, path, headers, start))

    assert sent[0]["type"] == "http.response.start"
    assert sent[0]["status"] == 413
    body = b"".join(m.get("body", b"") for m in sent[1:])
    assert json.loads(body)["code"] == "payload_too_large"
    assert read <= LIMIT // 512 + 2  # counted as it came, never read whole
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert api.service.read_models.head() == head


def test_a_body_within_the_limit_is_served(open_api: ApiFactory) -> None:
    api = open_api(max_body_bytes=LIMIT)

    answer = api.post(
        "/v1/organisations/NA-DC-DH/donations", donation("PT-3", "z" * 100)
    )

    assert answer.status_code == 201


def test_the_default_limit_is_one_mebibyte() -> None:
    assert Settings(database_url="sqlite:///x.sqlite3").max_body_bytes == 1_048_576


def test_html_pages_get_the_security_headers(open_api: ApiFactory) -> None:
    api = open_api()

    page = api.client.get("/")

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "https:" not in policy
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "same-origin"


def test_the_openapi_pages_load_swagger_ui_from_this_site_not_a_cdn(
    open_api: ApiFactory,
) -> None:
    api = open_api()

    docs = api.client.get("/docs")

    assert docs.status_code == 200
    assert "cdn.jsdelivr.net" not in docs.text
    assert "/docs/assets/swagger-ui-bundle.js" in docs.text
    script = api.client.get("/docs/assets/swagger-ui-bundle.js")
    assert script.status_code == 200
    assert len(script.content) > 100_000  # the bundle itself, served here
    assert api.client.get("/docs/assets/swagger-ui.css").status_code == 200
    assert "redoc.standalone.js" in api.client.get("/redoc").text
    policy = docs.headers["content-security-policy"]
    assert "script-src 'self' 'unsafe-inline';" in policy
    assert "https:" not in policy  # nothing from elsewhere
    assert "frame-ancestors 'none'" in policy


def test_json_answers_say_nosniff_and_carry_no_page_policy(
    open_api: ApiFactory,
) -> None:
    api = open_api()

    answer = api.get("/v1/organisations/NA/balance")

    assert answer.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" not in answer.headers


def test_cors_is_closed_by_default(open_api: ApiFactory) -> None:
    api = open_api()
    origin = {"Origin": "https://evil.example"}

    simple = api.client.get("/v1/organisations/NA/balance", headers=origin)
    preflight = api.client.options(
        "/v1/organisations/NA-DC-DH/donations",
        headers=origin
        | {
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization",
        },
    )

    assert simple.status_code == 200
    assert "access-control-allow-origin" not in simple.headers
    assert "access-control-allow-origin" not in preflight.headers


def test_cors_allows_the_configured_origins_only(open_api: ApiFactory) -> None:
    api = open_api(cors_origins=("https://bao-cao.example", "http://localhost:3000"))

    allowed = api.client.get(
        "/v1/organisations/NA/balance",
        headers={"Origin": "https://bao-cao.example"},
    )
    other = api.client.get(
        "/v1/organisations/NA/balance", headers={"Origin": "https://evil.example"}
    )
    preflight = api.client.options(
        "/v1/organisations/NA-DC-DH/donations",
        headers={
            "Origin": "http://localhost:3000",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )

    assert allowed.headers["access-control-allow-origin"] == "https://bao-cao.example"
    assert "access-control-allow-credentials" not in allowed.headers
    assert "access-control-allow-origin" not in other.headers
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "http://localhost:3000"


def test_cors_origins_come_from_a_comma_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "KHUYENHOC_CORS_ORIGINS", "https://bao-cao.example, http://localhost:3000"
    )

    assert Settings().cors_origins == (
        "https://bao-cao.example",
        "http://localhost:3000",
    )
