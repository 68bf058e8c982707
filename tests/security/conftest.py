"""The security tests reuse the HTTP service's fixtures (``open_api``, ``api``:
the service on SQLite and PostgreSQL, a token per role) and the books' (a
ledger with its read models) and the web pages' (``site``)."""

from __future__ import annotations

from tests.api.conftest import Api, ApiFactory, api, open_api
from tests.books.conftest import Books, books
from tests.web.conftest import Site, site

__all__ = ["Api", "ApiFactory", "Books", "Site", "api", "books", "open_api", "site"]
