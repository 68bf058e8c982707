"""The security tests reuse the HTTP service's fixtures (``open_api``, ``api``:
the service on SQLite and PostgreSQL, a token per role) and the books' (a
ledger with its read models)."""

from __future__ import annotations

from tests.api.conftest import Api, ApiFactory, api, open_api
from tests.books.conftest import Books, books

__all__ = ["Api", "ApiFactory", "Books", "api", "books", "open_api"]
