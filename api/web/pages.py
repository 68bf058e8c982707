"""Rendering a page: the templates, what every page is given, and error pages.

Templates are Jinja2, autoescaped, strict about undefined names (a typo in a
template fails its test instead of printing nothing). Every page gets the
language, ``t`` (the words, ``api.web.i18n``), ``f`` (numbers and dates,
``api.web.numbers``), the signed-in principal and the page's own address
(for the language switch and the sign-in's way back).

``page`` wraps a route: a refusal of ``api.auth.access`` becomes the sign-in page
(no token) or a 403 page (the wrong token), an unknown organisation or
entry a 404 page, any other refusal of the ledger or the read models a page
that says what was wrong — in HTML, never the API's JSON.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, ParamSpec
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from api.auth.tokens import NOBODY, Principal
from api.books import learning_report
from api.http.problems import STATUS, ApiError
from api.web import i18n, numbers
from api.web.numbers import Lang
from api.web.problem import FormProblem
from api.web.session import drop_stale_token, language
from ledger import LedgerError
from projections.errors import ReadModelError

P = ParamSpec("P")
NOT_FOUND = {"unknown_organisation", "unknown_entry", "unknown_campaign", "not_found"}


@functools.cache
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("api.web", "templates"),
        autoescape=select_autoescape(("html",)),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


class Figures:
    """``numbers`` in one language, for templates: ``f.money(amount)``."""

    def __init__(self, lang: Lang) -> None:
        self.lang = lang

    def money(self, amount: int) -> str:
        return numbers.money(amount, self.lang)

    def exact(self, amount: int) -> str:
        return numbers.exact(amount, self.lang)

    def whole(self, number: int) -> str:
        return numbers.whole(number, self.lang)

    def percent(self, fraction: float) -> str:
        return numbers.percent(fraction, self.lang)

    def share(self, fraction: float) -> str:
        """A percentage that keeps its decimal: 78,0% (for columns of shares)."""
        return learning_report.share(fraction, self.lang)

    def day(self, value: date) -> str:
        return numbers.day(value, self.lang)

    def moment(self, value: datetime) -> str:
        return numbers.moment(value, self.lang)


def here(request: Request) -> str:
    """This page's path and query, for a way back to it."""
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def render(
    request: Request,
    template: str,
    *,
    principal: Principal = NOBODY,
    status: int = 200,
    private: bool = False,
    **context: Any,
) -> HTMLResponse:
    """A page; ``private`` pages (names, the desk) are never cached, and a
    public one shown to someone signed in only by their own browser."""
    lang = language(request)
    html = (
        environment()
        .get_template(template)
        .render(
            lang=lang,
            t=i18n.Words(lang),
            f=Figures(lang),
            principal=principal,
            here=here(request),
            quote=quote,
            **context,
        )
    )
    # Every page depends on the cookies (language, who is signed in): a shared
    # cache keeps a copy per cookie, and none at all of a signed-in page.
    headers = {"Vary": "Cookie"}
    if private:
        headers["Cache-Control"] = "no-store"
    elif principal.role is not None:
        headers["Cache-Control"] = "private"
    response = HTMLResponse(html, status_code=status, headers=headers)
    drop_stale_token(request, response)
    return response


def sign_in_first(request: Request) -> RedirectResponse:
    response = RedirectResponse(f"/signin?next={quote(here(request))}", status_code=303)
    drop_stale_token(request, response)
    return response


def error_page(
    request: Request,
    principal: Principal,
    status: int,
    code: str,
    detail: str,
    *,
    problem: FormProblem | None = None,
) -> HTMLResponse:
    return render(
        request,
        "error.html",
        principal=principal,
        status=status,
        private=True,
        problem=problem or FormProblem(code, detail),
    )


class NotFound(Exception):
    """A page that does not exist (a form, an entry without a voucher)."""


def page(handler: Callable[P, Response]) -> Callable[P, Response]:
    """Answer a route's refusals as pages (the route takes ``request``)."""

    @functools.wraps(handler)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> Response:
        try:
            return handler(*args, **kwargs)
        except NotFound as missing:
            request, principal = _who(kwargs)
            return error_page(request, principal, 404, "not_found", str(missing))
        except ApiError as refused:
            request, principal = _who(kwargs)
            if refused.code == "unauthenticated":
                return sign_in_first(request)
            return error_page(request, principal, 403, refused.code, refused.detail)
        except (LedgerError, ReadModelError) as error:
            request, principal = _who(kwargs)
            status = 404 if error.code in NOT_FOUND else STATUS.get(error.code, 400)
            return error_page(
                request,
                principal,
                status,
                error.code,
                error.message,
                problem=FormProblem.of(error),
            )

    return guarded


def _who(kwargs: dict[str, Any]) -> tuple[Request, Principal]:
    request: Request = kwargs["request"]
    principal: Principal = kwargs.get("principal", NOBODY)
    return request, principal
