"""The gate a token passes on every request: the throttle, then the token.

``authenticate(tokens, throttle, secret, client)`` is the secret's
``Principal``, or ``ApiError`` 401 for a bad secret and 429 while the client
(``client_of``: its address) has failed too often (``api.auth.throttle``).
The HTTP dependencies, the web pages' cookie and the idempotency replay all
call it, so a token is refused the same way whichever door it comes through.
"""

from __future__ import annotations

from starlette.requests import Request

from api.auth.throttle import AuthThrottle
from api.auth.tokens import Principal, Refusal, TokenStore
from api.http.problems import ApiError


def client_of(request: Request) -> str:
    """Whose failures these are: the client's address as the server sees it
    (behind a proxy, uvicorn's --forwarded-allow-ips decides)."""
    return request.client.host if request.client else "unknown"


def authenticate(
    tokens: TokenStore, throttle: AuthThrottle, secret: str, client: str
) -> Principal:
    """The secret's principal; ``ApiError`` 401 for a bad one or 429 while the
    client has failed too often. Only an unknown secret counts as a failure:
    an expired or revoked one was a real token, not a guess, and counting it
    would let one stale browser cookie or cron job lock out every colleague
    behind the same address."""
    check_throttle(throttle, client)
    found = tokens.identify(secret)
    if isinstance(found, Refusal):
        if found is Refusal.UNKNOWN:
            throttle.failed(client)
        raise ApiError("unauthenticated", found.value)
    return found


def check_throttle(throttle: AuthThrottle, client: str) -> None:
    """``ApiError`` 429 while the client has failed too often."""
    wait = throttle.retry_after(client)
    if wait is not None:
        raise ApiError(
            "too_many_failed_authentications",
            f"too many failed authentications from this address; try again in {wait} s",
            headers={"Retry-After": str(wait)},
        )
