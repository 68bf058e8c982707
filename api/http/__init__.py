"""The HTTP API: ``app.create_app(settings)`` and what every request goes
through.

- ``app``: the app factory; its lifespan opens the service (``service``,
  built by ``api.bootstrap``) and the sealer;
- ``routes``: one router per resource; ``schemas``: their bodies (pydantic);
- ``deps``: what a route asks for — the service, the caller, a read position;
- ``problems``: every error as ``application/problem+json`` with a stable code;
- ``idempotency``: ``Idempotency-Key`` replays; ``hardening``: body limit,
  security headers, CORS; ``nodelay``: uvicorn without Nagle's delay.

Data flow: request → hardening → idempotency → route (deps check the token
through ``api.auth``) → ``Ledger`` command or query → response, with the
write's log position.
"""
