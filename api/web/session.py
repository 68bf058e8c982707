"""Who is looking at a web page: a session kept in a cookie, and the language.

Signing in checks a token (``api.auth.tokens``) and begins a session
(``api.auth.sessions``) whose secret — never the token — goes in the
``khuyenhoc_session`` cookie: HttpOnly (no script reads it), SameSite=Strict
(no other site's page can post a form with it, which is the pages' defence
against cross-site requests), Secure when the page came over HTTPS. Signing
out ends the session in the database and clears the cookie. A cookie whose
session is unknown, ended or expired, or whose token was revoked or
expired, counts as signed out. The pages never read the ``Authorization``
header: a browser has none. The language is the ``khuyenhoc_lang`` cookie,
Vietnamese unless it says ``en``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Response

from api.auth.gate import authenticate_session, client_of
from api.auth.sessions import COOKIE
from api.auth.tokens import NOBODY, Principal
from api.http.deps import ServiceDep
from api.http.problems import ApiError
from api.web.numbers import Lang

SESSION_COOKIE = COOKIE
LANG_COOKIE = "khuyenhoc_lang"
MAX_SECRET = 200
YEAR = 365 * 24 * 3600


def token_of(request: Request) -> str:
    """The session's secret, or "" (never shown, only compared): the forms'
    keys are bound to it (``api.web.submissions``)."""
    secret = request.cookies.get(SESSION_COOKIE, "")
    return secret if 0 < len(secret) <= MAX_SECRET else ""


def web_principal(request: Request, service: ServiceDep) -> Principal:
    """The session's principal, checked as the API checks a bearer token (an
    unknown session counts as a failed authentication of this client; while
    the client is slowed down nothing is looked up). A refused session — one
    another database made, ended, expired, or of a revoked or expired token
    — is marked stale, and the page's answer clears the cookie
    (``drop_stale_token``): it is counted once, not on every page the
    browser opens after it."""
    secret = token_of(request)
    if not secret:
        return NOBODY
    try:
        return authenticate_session(
            service.sessions, service.throttle, secret, client_of(request)
        )
    except ApiError as refused:
        if refused.code == "unauthenticated":
            request.state.stale_token = True
        return NOBODY


def drop_stale_token(request: Request, response: Response) -> None:
    """Clear the cookie of a token that was refused on this request."""
    if getattr(request.state, "stale_token", False):
        forget_token(request, response)


WebPrincipalDep = Annotated[Principal, Depends(web_principal)]
"""The signed-in principal, or ``NOBODY``."""


def language(request: Request) -> Lang:
    return "en" if request.cookies.get(LANG_COOKIE) == "en" else "vi"


LangDep = Annotated[Lang, Depends(language)]


def keep_session(request: Request, response: Response, secret: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )


def forget_token(request: Request, response: Response) -> None:
    response.delete_cookie(
        SESSION_COOKIE,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )


def keep_language(response: Response, lang: Lang) -> None:
    response.set_cookie(
        LANG_COOKIE, lang, max_age=YEAR, samesite="lax", httponly=True, path="/"
    )


def local_path(target: str | None, default: str = "/") -> str:
    """A redirect target on this site only: a path, never another host."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target or any(ord(c) < 32 for c in target):
        return default
    return target
