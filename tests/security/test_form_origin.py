"""Every POST route of the web pages refuses a page from another site, by
construction (a dependency of the pages' router); answers with names are
never cached."""

from __future__ import annotations

import re

from fastapi.routing import APIRoute, iter_route_contexts

from api import web
from tests.api.conftest import Api
from tests.web.conftest import COMMUNE, Site

ELSEWHERE = {"Origin": "https://elsewhere.example"}
PATH_VALUES = {"code": COMMUNE, "kind": "donation", "entry_id": "0" * 32}


def _post_routes() -> list[str]:
    paths = [
        context.route.path
        for context in iter_route_contexts(web.router.routes)
        if isinstance(context.route, APIRoute)
        and "POST" in (context.route.methods or ())
    ]
    return [re.sub(r"{(\w+)}", lambda m: PATH_VALUES[m.group(1)], p) for p in paths]


def test_every_post_route_of_the_pages_refuses_another_sites_page(
    site: Site,
) -> None:
    routes = _post_routes()
    # The probe's two: signing out and running verify.
    assert {"/signout", f"/audit/{COMMUNE}/verify"} <= set(routes)
    for who in ("auditor", "treasurer"):
        site.sign_in(who)
        for path in routes:
            answer = site.client.post(
                path, data={"token": site.tokens[who]}, headers=ELSEWHERE,
                follow_redirects=False,
            )  # fmt: skip
            assert answer.status_code == 403, (who, path, answer.status_code)
            assert answer.json()["code"] == "forbidden"
            assert "set-cookie" not in answer.headers, path
    # Still signed in: the cross-site sign-out ended nothing.
    assert site.get(f"/journal/{COMMUNE}").status_code == 200


def test_json_answers_with_names_are_never_cached(api: Api) -> None:
    api.donate("PT-1", 1_000, donor="Nhà Hảo Tâm")
    for path in ("entries", "events"):
        answer = api.get(f"/v1/organisations/NA-DC-DH/{path}", who="auditor")
        assert answer.status_code == 200
        assert answer.headers["cache-control"] == "no-store", path
