"""Failed authentications are counted per client and slowed down: past the
limit, a request carrying a token is ``429`` with ``Retry-After``, without
the token being looked at; requests without a token are still served. The
clock is a test's: nothing here waits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from api.auth.tokens import Role
from tests.api.conftest import Api, ApiFactory


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def bad(api: Api, client: TestClient | None = None) -> int:
    headers = {"Authorization": "Bearer khk_00000000_not-a-token"}
    return (client or api.client).get("/health", headers=headers).status_code


def test_a_client_that_fails_too_often_is_answered_429(open_api: ApiFactory) -> None:
    api = open_api(auth_failures=3, auth_window_seconds=60)
    clock = Clock()
    api.service.throttle.clock = clock

    answers = [bad(api) for _ in range(3)]
    clock.now += 15
    refused = api.get("/v1/organisations/NA/balance", "auditor")

    assert answers == [401, 401, 401]
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["code"] == "too_many_failed_authentications"
    assert refused.headers["retry-after"] == "45"
    assert api.service.throttle.failures("testclient") == 3


def test_the_refusal_does_not_look_at_the_token(
    open_api: ApiFactory,
) -> None:
    api = open_api(auth_failures=2)
    api.service.throttle.clock = Clock()
    for _ in range(2):
        bad(api)

    def looked(_secret: str) -> None:
        raise AssertionError("a throttled client's token was looked up")

    api.service.tokens.identify = looked  # type: ignore[method-assign,assignment]

    assert api.get("/health", "auditor").status_code == 429
    assert bad(api) == 429
    # a malformed header is throttled too
    basic = api.client.get("/health", headers={"Authorization": "Basic eDp5"})
    assert basic.status_code == 429


def test_a_throttled_client_still_reads_public_figures_without_a_token(
    open_api: ApiFactory,
) -> None:
    api = open_api(auth_failures=2)
    api.service.throttle.clock = Clock()
    for _ in range(2):
        bad(api)

    assert api.get("/v1/organisations/NA/balance").status_code == 200


def test_the_count_is_per_client(open_api: ApiFactory) -> None:
    api = open_api(auth_failures=2)
    api.service.throttle.clock = Clock()
    other = TestClient(api.client.app, client=("203.0.113.9", 50000))
    for _ in range(2):
        bad(api)

    assert bad(api) == 429
    assert bad(api, other) == 401
    assert api.service.throttle.failures("203.0.113.9") == 1
    assert api.service.throttle.failures("testclient") == 2


def test_failures_leave_the_window_and_a_success_does_not_reset_the_count(
    open_api: ApiFactory,
) -> None:
    api = open_api(auth_failures=2, auth_window_seconds=60)
    clock = Clock()
    api.service.throttle.clock = clock
    bad(api)
    assert api.get("/health", "auditor").status_code == 200
    bad(api)
    assert api.get("/health", "auditor").status_code == 429

    clock.now += 60

    assert api.get("/health", "auditor").status_code == 200
    assert api.service.throttle.failures("testclient") == 0


def test_an_expired_or_revoked_token_is_refused_but_not_counted_as_a_guess(
    open_api: ApiFactory,
) -> None:
    api = open_api(auth_failures=2)
    api.service.throttle.clock = Clock()
    api.service.tokens.revoke(api.tokens["public"].split("_")[1])
    expired = api.service.tokens.create(
        Role.AUDITOR, expires_at=datetime.now(UTC) - timedelta(minutes=1)
    )

    for _ in range(5):  # a stale cookie or cron job, again and again
        assert api.get("/health", "public").status_code == 401
        answer = api.client.get(
            "/health", headers={"Authorization": f"Bearer {expired.secret}"}
        )
        assert answer.status_code == 401
        assert "expired" in answer.json()["detail"]
    assert api.service.throttle.failures("testclient") == 0
    assert api.get("/health", "auditor").status_code == 200  # colleagues get in


def test_failures_out_of_the_window_are_deleted(open_api: ApiFactory) -> None:
    """The table holds the window's failures, not every failure ever."""
    api = open_api(auth_failures=1, auth_window_seconds=600)
    throttle = api.service.throttle
    clock = Clock()
    throttle.clock = clock
    throttle.failed("first")
    clock.now += 601
    throttle._purged = float("-inf")  # the next failure deletes the old ones
    throttle.failed("client-2")
    with throttle.engine.connect() as conn:
        rows = conn.execute(throttle.failures_table.select()).fetchall()
    assert [row.client for row in rows] == ["client-2"]
    assert throttle.failures("first") == 0
    assert throttle.retry_after("client-2") == 600
