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
from api.web import charts, learning_chart
from api.web.i18n import Words
from api.web.lineage import lineage
from api.web.numbers import LANGS, Lang
from api.web.overview import Overview, overview
from api.web.pages import Figures, page, render
from api.web.session import WebPrincipalDep, keep_language, language, local_path
from ledger.types import today_in_vietnam
from projections.queries.learning import LearningModels

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
    learning = service.queries.learning_models(code, view.year, subtree=True)
    own_learning = service.queries.learning_models(code, view.year)
    roll = service.queries.honour_roll(code, view.year)
    lang = language(request)
    return render(
        request,
        "org.html",
        principal=principal,
        view=view,
        learning=learning,
        mismatches=[m for m in own_learning.models if m.named_mismatch],
        # Names only once the organisation publishes them.
        honour_roll=roll.recognitions if roll.published else (),
        lineage=lineage(service.queries, code, view.year, today.year),
        can_read=may_read(service, principal, code),
        charts=_charts(view, lang) | _learning_chart(learning, lang),
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


def _learning_chart(learning: LearningModels, lang: Lang) -> dict[str, Markup]:
    words, figures = Words(lang), Figures(lang)
    rows = [
        learning_chart.ShareRow(
            words(f"learning.model.{m.model.value}"),
            m.registered_ratio,
            m.recognised_ratio,
            m.target_ratio,
        )
        for m in learning.models
        if m.reported
    ]
    chart = learning_chart.shares_against_targets(
        rows,
        title=words("learning.chart", year=learning.year),
        registered=words("learning.registered"),
        recognised=words("learning.recognised"),
        target=words("learning.target"),
        share=figures.share,
    )
    return {"learning_chart": chart}


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
