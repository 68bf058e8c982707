"""The public pages: the list of organisations at ``/``, an organisation's
figures at ``/o/{code}``, the language switch, and the stylesheet.

Anyone may read them, signed in or not; they show aggregate figures only
(``api.web.overview``). A signed-in auditor, or a treasurer whose scope
holds the organisation, also gets links to its journal and audit view.
"""

from __future__ import annotations

from importlib import resources
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from api.auth import access
from api.auth.tokens import Principal
from api.http.deps import ServiceDep
from api.http.problems import ApiError
from api.web import charts
from api.web.i18n import Words
from api.web.lineage import lineage
from api.web.numbers import LANGS, Lang
from api.web.overview import Overview, overview
from api.web.pages import Figures, page, render
from api.web.session import WebPrincipalDep, keep_language, language, local_path
from ledger.types import today_in_vietnam

router = APIRouter()
STATIC = {"style.css": "text/css; charset=utf-8"}


@router.get("/")
@page
def index(
    request: Request, service: ServiceDep, principal: WebPrincipalDep
) -> Response:
    queries = service.queries
    roots = [
        (root, queries.balance(root.code, subtree=True)) for root in queries.roots()
    ]
    return render(request, "index.html", principal=principal, roots=roots)


@router.get("/o/{code}")
@page
def organisation(
    request: Request,
    code: str,
    service: ServiceDep,
    principal: WebPrincipalDep,
    year: Annotated[int | None, Query(ge=1900, le=9999)] = None,
) -> Response:
    today = today_in_vietnam()
    view = overview(service.queries, code, year=year, today=today)
    return render(
        request,
        "org.html",
        principal=principal,
        view=view,
        lineage=lineage(service.queries, code, view.year, today.year),
        can_read=may_read(service, principal, code),
        charts=_charts(view, language(request)),
    )


def may_read(service: ServiceDep, principal: Principal, code: str) -> bool:
    """May ``principal`` read ``code``'s entries (``api.auth.access``'s rule)?"""
    try:
        access.entries_reader(code, service, principal)
    except ApiError:
        return False
    return True


def _charts(view: Overview, lang: Lang) -> dict[str, Markup]:
    words, figures = Words(lang), Figures(lang)
    by_year = [
        charts.Row(str(s.year), s.raised_vnd, s.disbursed_vnd)
        for s in reversed(view.years)
    ]
    by_child = [
        charts.Row(c.info.name, c.summary.raised_vnd, c.summary.disbursed_vnd)
        for c in view.year_children
    ]
    titles = {
        "year_chart": (by_year, words("chart.years", name=view.info.name)),
        "child_chart": (
            by_child,
            words("chart.children", name=view.info.name, year=view.year),
        ),
    }
    return {
        name: charts.raised_and_paid(
            rows,
            title=title,
            raised=words("raised"),
            paid=words("paid"),
            figure=figures.money,
        )
        for name, (rows, title) in titles.items()
    }


@router.get("/lang/{lang}")
def switch_language(
    lang: Annotated[str, Path(pattern="^(vi|en)$")],
    next_page: Annotated[str | None, Query(alias="next")] = None,
) -> Response:
    response = RedirectResponse(local_path(next_page), status_code=303)
    keep_language(response, "en" if lang == LANGS[1] else "vi")
    return response


@router.get("/static/{name}")
def static(name: str) -> Response:
    media_type = STATIC.get(name)
    if media_type is None:
        return Response("not found", status_code=404, media_type="text/plain")
    body = resources.files("api.web").joinpath("static", name).read_bytes()
    return Response(
        body,
        media_type=media_type,
        headers={"Cache-Control": "public, max-age=3600"},
    )
