"""No personal names and no tokens in the logs: every record the service
writes while it serves requests carrying a donor's name and a bearer token —
a success, a refusal, an unexpected database error, and uvicorn's access log
of a real server — is free of both."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator

import httpx2
import pytest
import uvicorn
from sqlalchemy import text

from api.auth.tokens import Role
from api.http.app import create_app
from api.settings import Settings
from ledger.commands import RecordDonation
from tests.api.conftest import ApiFactory

DONOR = "Nguyễn Thị Bích Ngọc"
RECIPIENT = "Trần Văn Hùng"


def logged(records: list[logging.LogRecord]) -> str:
    """Everything the records would print: messages, arguments, tracebacks."""
    formatter = logging.Formatter("%(name)s %(message)s")
    lines = []
    for record in records:
        lines.append(formatter.format(record))
        lines.append(repr(record.args))
    return "\n".join(lines)


def secret_part(token: str) -> str:
    return token.split("_", 2)[2]


def test_requests_with_names_and_tokens_leave_neither_in_the_logs(
    open_api: ApiFactory, caplog: pytest.LogCaptureFixture
) -> None:
    api = open_api()
    caplog.set_level(logging.DEBUG)
    caplog.clear()

    recorded = api.donate("PT-1", 5_000_000, donor=DONOR, note=f"cho {RECIPIENT}")
    journal = api.get("/v1/organisations/NA-DC-DH/entries", "auditor")
    wrong = api.client.get(
        "/health", headers={"Authorization": f"Bearer {api.tokens['auditor']}x"}
    )
    refused = api.post(
        "/v1/organisations/NA-QL-QT/donations",
        {
            "voucher_no": "PT-2",
            "amount_vnd": 1_000,
            "business_date": "2022-03-01",
            "donor": DONOR,
        },
        "treasurer",
    )

    assert (recorded.status_code, journal.status_code) == (201, 200)
    assert DONOR in journal.text  # the name was there to leak
    assert (wrong.status_code, refused.status_code) == (401, 403)
    text_of_logs = logged(caplog.records)
    assert DONOR not in text_of_logs
    assert RECIPIENT not in text_of_logs
    for token in api.tokens.values():
        assert secret_part(token) not in text_of_logs


def test_an_unexpected_database_error_is_logged_without_its_values(
    open_api: ApiFactory,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    api = open_api()
    engine = api.service.read_models.engine

    def failing(command: RecordDonation) -> None:
        with engine.connect() as conn:  # a statement that fails, with the name
            conn.execute(
                text("SELECT no_such_column FROM api_tokens WHERE label = :n"),
                {"n": command.donor},
            )

    monkeypatch.setattr(api.service.ledger, "execute", failing)
    caplog.set_level(logging.DEBUG)
    caplog.clear()

    answer = api.donate("PT-3", 5_000_000, donor=DONOR)

    assert answer.status_code == 500
    assert answer.json()["code"] == "internal_error"
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors  # it was logged, with its traceback …
    assert "no_such_column" in logged(errors)
    assert DONOR not in logged(caplog.records)  # … but not the value
    assert DONOR not in answer.text
    assert "no_such_column" not in answer.text
    assert secret_part(api.tokens["treasurer"]) not in logged(caplog.records)


@pytest.fixture
def live_server(database_url: str) -> Iterator[tuple[str, str]]:
    """The service under a real uvicorn, its loggers propagating to pytest's."""
    app = create_app(Settings(database_url=database_url))
    config = uvicorn.Config(app, log_config=None, access_log=True, log_level="debug")
    server = uvicorn.Server(config)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, daemon=True
    )
    thread.start()
    try:
        for _ in range(500):  # start-up: a bounded wait, not a timing assertion
            if server.started or not thread.is_alive():
                break
            time.sleep(0.01)
        assert server.started, "uvicorn did not start"
        token = app.state.service.tokens.create(Role.ADMIN).secret
        yield f"http://127.0.0.1:{port}", token
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


def test_uvicorns_access_log_holds_the_path_but_no_token_or_name(
    live_server: tuple[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    base, token = live_server
    caplog.set_level(logging.DEBUG)
    body = {
        "code": "NA",
        "name": f"Hội Khuyến học của {DONOR}",
        "level": "province",
        "registered_on": "2010-01-01",
    }

    with httpx2.Client(base_url=base) as client:
        created = client.post(
            "/v1/organisations",
            json=body,
            headers={"Authorization": f"Bearer {token}"},
        )
        wrong = client.get(
            "/v1/organisations/NA/balance?subtree=true",
            headers={"Authorization": f"Bearer {token}x"},
        )

    assert (created.status_code, wrong.status_code) == (201, 401)
    access = [r for r in caplog.records if r.name == "uvicorn.access"]
    lines = logged(access)
    assert "POST /v1/organisations" in lines
    assert "/v1/organisations/NA/balance?subtree=true" in lines
    everything = logged(caplog.records)  # the test's own client's too
    assert secret_part(token) not in everything
    assert DONOR not in everything
    server = logged([r for r in caplog.records if not r.name.startswith("http")])
    assert "Bearer" not in server
