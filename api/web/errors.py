"""Errors for browsers: a page that does not exist, a method not allowed or
an error of the service answers a browser (``Accept: text/html``, outside the
JSON API's ``/v1/``) with an HTML page in its reader's language, and every
other client with the problem+json it always had."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from api.auth.tokens import NOBODY
from api.web.pages import error_page

logger = logging.getLogger(__name__)

Handler = Callable[[Request, Exception], Response | Awaitable[Response]]
CODES = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}


def wants_html(request: Request) -> bool:
    """A browser asking for a page: HTML accepted, not an API path."""
    if request.url.path.startswith(("/v1/", "/health", "/openapi.json")):
        return False
    return "text/html" in request.headers.get("accept", "")


def install(app: FastAPI) -> None:
    """Put the HTML answers in front of the problem+json handlers (installed
    first, by ``api.http.problems``)."""
    as_problem: Handler = app.exception_handlers[HTTPException]
    unexpected: Handler = app.exception_handlers[Exception]

    @app.exception_handler(HTTPException)
    async def _http(request: Request, error: HTTPException) -> Response:
        if not wants_html(request):
            return await _answer(as_problem, request, error)
        code = CODES.get(error.status_code, "http_error")
        return error_page(request, NOBODY, error.status_code, code, str(error.detail))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> Response:
        if not wants_html(request):
            return await _answer(unexpected, request, error)
        logger.error(
            "unexpected error on %s %s",
            request.method,
            request.url.path,
            exc_info=error,
        )
        return error_page(request, NOBODY, 500, "internal_error", "")


async def _answer(handler: Handler, request: Request, error: Exception) -> Response:
    answer = handler(request, error)
    return await answer if isinstance(answer, Awaitable) else answer
