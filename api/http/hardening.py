"""What every response and request goes through: a body size limit, security
headers, and CORS (closed unless configured).

- **Body size.** A request whose body is larger than
  ``KHUYENHOC_MAX_BODY_BYTES`` is answered ``413 payload_too_large``: at once
  when its ``Content-Length`` says so, otherwise as soon as the bytes read
  pass the limit (a chunked body is counted as it arrives, never buffered
  whole first).
- **Headers.** Every response says ``X-Content-Type-Options: nosniff``. An
  HTML page also gets a Content-Security-Policy that allows only this site's
  own stylesheets, images and forms, no scripts (but the print button's
  one-line handler, by its hash), no framing (also ``X-Frame-Options: DENY``),
  and ``Referrer-Policy: same-origin``. The OpenAPI pages (``/docs``,
  ``/redoc``) load Swagger UI and ReDoc from this site (``/docs/assets``,
  the copies ``fastapi-offline`` ships), so their policy allows inline
  scripts there only and nothing from elsewhere. A header the route set
  itself is kept.
- **CORS.** No ``Access-Control-Allow-Origin`` is ever sent unless
  ``KHUYENHOC_CORS_ORIGINS`` lists origins; then those (and only those) may
  call the API from a browser, with a bearer token, never with cookies.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.http.problems import problem
from api.settings import Settings

PRINT_HANDLER = "'sha256-MguIPR6qNR8D3B+eAlK+bIRTZe8t3wkOY4B/56Me9FU='"
"""The hash of ``window.print()``, the voucher page's print button."""

PAGE_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    f"script-src 'unsafe-hashes' {PRINT_HANDLER}; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
DOCS_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "worker-src 'self' blob:; connect-src 'self'; font-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
DOCS_PATHS = ("/docs", "/redoc")

PAGE_HEADERS = {
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
}


class BodyLimit:
    """Past the limit, the client gets the 413 from here and the application
    sees the client go away (``http.disconnect``): nothing is raised through
    the middleware stack (where a task group would wrap it and the status be
    lost), and whatever the application still does with the cut-off body is
    neither sent nor logged as an error."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = Headers(scope=scope).get("content-length", "")
        if length.isdigit() and int(length) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        received = 0
        started = refused = False

        async def counting_receive() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    refused = True
                    if not started:
                        await self._refuse(scope, receive, send)
                    return {"type": "http.disconnect"}
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            if refused:
                return  # the 413 has gone out; the application's answer is moot
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except Exception:
            if not refused:
                raise
            # The application gave up on the body it was cut off from.

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem(
            "payload_too_large",
            f"the request body is larger than {self.max_bytes} bytes",
        )
        response.headers["connection"] = "close"
        await response(scope, receive, send)


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        docs = path in DOCS_PATHS or path.startswith("/docs/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("x-content-type-options", "nosniff")
                if headers.get("content-type", "").startswith("text/html"):
                    policy = DOCS_POLICY if docs else PAGE_POLICY
                    headers.setdefault("content-security-policy", policy)
                    for name, value in PAGE_HEADERS.items():
                        headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install(app: FastAPI, settings: Settings) -> None:
    """Add the middleware, outermost last: the body limit sees a request
    before anything reads it; the headers go on every answer, errors too."""
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key"],
            expose_headers=[
                "X-Log-Position",
                "Idempotent-Replayed",
                "Location",
                "Retry-After",
            ],
            allow_credentials=False,
            max_age=600,
        )
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
