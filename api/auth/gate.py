"""The gate a token passes on every request: the throttle, then the token.

``authenticate(tokens, throttle, secret, client)`` is the secret's
``Principal``, or ``ApiError`` 401 for a bad secret and 429 while the client
(``client_of``: its address) has failed too often (``api.auth.throttle``).
The HTTP dependencies, the web pages' session cookie
(``authenticate_session``) and the idempotency keys (``caller_of``) all go
through the same check, so a caller is refused the same way whichever door
it comes through.
"""

from __future__ import annotations

from starlette.requests import Request

from api.auth.sessions import COOKIE, SessionStore
from api.auth.throttle import AuthThrottle
from api.auth.tokens import NOBODY, Principal, Refusal, TokenStore
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


def authenticate_session(
    sessions: SessionStore, throttle: AuthThrottle, secret: str, client: str
) -> Principal:
    """A web session's principal, refused as ``authenticate`` refuses a
    token: an unknown session counts as a failure of the client."""
    check_throttle(throttle, client)
    found = sessions.identify(secret)
    if isinstance(found, Refusal):
        if found is Refusal.UNKNOWN:
            throttle.failed(client)
        raise ApiError("unauthenticated", found.value.replace("token", "session"))
    return found


def caller_of(
    request: Request,
    tokens: TokenStore,
    throttle: AuthThrottle,
    sessions: SessionStore,
) -> Principal:
    """Who sends this request, whatever the credential: a bearer token, else
    a web session's cookie, else ``NOBODY``. ``ApiError`` for a refused
    bearer token; a refused session is nobody (the page signs it out)."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return authenticate(tokens, throttle, token.strip(), client_of(request))
    secret = request.cookies.get(COOKIE, "")
    if secret:
        try:
            return authenticate_session(sessions, throttle, secret, client_of(request))
        except ApiError:
            return NOBODY
    return NOBODY


def check_throttle(throttle: AuthThrottle, client: str) -> None:
    """``ApiError`` 429 while the client has failed too often."""
    wait = throttle.retry_after(client)
    if wait is not None:
        raise ApiError(
            "too_many_failed_authentications",
            f"too many failed authentications from this address; try again in {wait} s",
            headers={"Retry-After": str(wait)},
        )
