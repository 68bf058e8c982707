"""The web pages, served by the API's own app: server-rendered HTML in
Vietnamese (English on request), no scripts needed, nothing from elsewhere.

- ``/`` and ``/o/{code}``: public figures of an organisation (``public``);
- ``/signin``, ``/desk/{code}``: the treasurer's desk (``desk``) and its
  forms (``recording``);
- ``/journal/{code}``: the journal, names included (``journal``);
- ``/audit/{code}``: the auditor's view (``audit``);
- ``/vouchers/{code}/{entry_id}``: printable vouchers and PDFs (``vouchers``);
- ``/reform``: an admin's restructuring plan, previewed then applied (``reform``).

Access follows ``api.auth.access``, with the token kept in a cookie
(``session``). ``router`` holds every page; the app includes it once. The
pages stay out of the OpenAPI description, which is the JSON API's.
"""

from __future__ import annotations

from fastapi import APIRouter

from api.web import audit, desk, journal, public, recording, reform, vouchers

router = APIRouter(include_in_schema=False)
for module in (public, desk, recording, journal, audit, reform, vouchers):
    router.include_router(module.router)

__all__ = ["router"]
