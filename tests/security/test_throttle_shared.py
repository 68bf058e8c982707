"""The failed-authentication throttle is kept in the database — shared by
every worker, kept across restarts — and counts the address the deployment
trusts: ``X-Forwarded-For`` only from ``KHUYENHOC_TRUSTED_PROXIES``."""

from __future__ import annotations

import functools
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2
import uvicorn

from api.auth.tokens import Role
from api.cli.serve import server_options
from api.http.app import create_app
from api.http.service import HttpService
from api.settings import Settings
from tests.api.conftest import ApiFactory

_get = functools.partial(httpx2.get, timeout=30.0)
"""A request with room for a loaded machine (the default waits 5 s)."""
BAD = {"Authorization": "Bearer khk_00000000_not-a-token"}


def test_two_workers_count_the_same_failures(open_api: ApiFactory) -> None:
    """The probe: with 2 workers, 20 guesses passed before a 429."""
    first, second = open_api(auth_failures=10), open_api(auth_failures=10)
    statuses = [
        (first if n % 2 else second).client.get("/health", headers=BAD).status_code
        for n in range(12)
    ]
    assert statuses == [401] * 10 + [429] * 2


def test_the_count_survives_a_restart(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'l.sqlite3'}")
    for _ in range(settings.auth_failures):
        with _served(settings) as (base, _service):
            assert _get(f"{base}/health", headers=BAD).status_code == 401
    with _served(settings) as (base, _service):
        assert _get(f"{base}/health", headers=BAD).status_code == 429


def test_a_client_cannot_choose_the_address_it_is_counted_under(
    tmp_path: Path,
) -> None:
    """The probe: X-Forwarded-For from 127.0.0.1 was believed by default, so
    rotating it allowed 40 guesses, and naming another's address locked that
    one out."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'l.sqlite3'}")
    with _served(settings) as (base, service):
        token = service.tokens.create(Role.AUDITOR).secret
        victim = {"X-Forwarded-For": "10.0.0.1"}
        statuses = [
            _get(
                f"{base}/health", headers=BAD | {"X-Forwarded-For": f"10.9.9.{n}"}
            ).status_code
            for n in range(settings.auth_failures + 2)
        ]
        assert statuses[-2:] == [429, 429]  # the rotation did not help
        assert service.throttle.failures("127.0.0.1") == settings.auth_failures
        assert service.throttle.failures("10.0.0.1") == 0
        # The victim's address was never named in a count.
        assert service.throttle.retry_after("10.0.0.1") is None
        good = {"Authorization": f"Bearer {token}"} | victim
        assert _get(f"{base}/health", headers=good).status_code == 429


def test_behind_a_trusted_proxy_the_forwarded_address_is_counted(
    tmp_path: Path,
) -> None:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'l.sqlite3'}",
        trusted_proxies="127.0.0.1",
    )
    with _served(settings) as (base, service):
        token = service.tokens.create(Role.AUDITOR).secret
        for _ in range(settings.auth_failures):
            answer = _get(
                f"{base}/health", headers=BAD | {"X-Forwarded-For": "203.0.113.7"}
            )
            assert answer.status_code == 401
        guesser = BAD | {"X-Forwarded-For": "203.0.113.7"}
        assert _get(f"{base}/health", headers=guesser).status_code == 429
        colleague = {"Authorization": f"Bearer {token}", "X-Forwarded-For": "10.0.0.2"}
        assert _get(f"{base}/health", headers=colleague).status_code == 200
        assert service.throttle.failures("203.0.113.7") == settings.auth_failures


@contextmanager
def _served(settings: Settings) -> Iterator[tuple[str, HttpService]]:
    """The app under uvicorn with ``serve``'s own options, on a free port."""
    app = create_app(settings)
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    port = listening.getsockname()[1]
    options = server_options(settings)
    config = uvicorn.Config(
        app,
        log_level="warning",
        http=options["http"],
        proxy_headers=options["proxy_headers"],
        forwarded_allow_ips=options["forwarded_allow_ips"],
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [listening]}, daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}", app.state.service
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        listening.close()
