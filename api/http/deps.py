"""What routes ask for: the running service, who is asking, and a read position.

``PrincipalDep`` reads ``Authorization: Bearer <token>``: no header is an
anonymous caller (public figures only); an unknown, expired, revoked or
malformed token is ``401 unauthenticated``, and counts as a failure of the
client's address: past ``KHUYENHOC_AUTH_FAILURES`` of them in the window, a
request with a token is ``429 too_many_failed_authentications``
(``api.auth.gate``, ``api.auth.throttle``). ``ReadPositionDep`` honours
``?after=<position>``: it waits (bounded) until the read models include that
position, so a client that has just written reads its write. A position past
the end of the log is ``422 invalid_input``; a wait that runs out is ``503
read_model_lag``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from api.auth.gate import authenticate, check_throttle, client_of
from api.auth.tokens import NOBODY, Principal
from api.http.problems import ApiError
from api.http.service import HttpService

bearer = HTTPBearer(
    auto_error=False,
    description="A token from `khuyenhoc token create --role R [--org CODE]`.",
)


def get_service(request: Request) -> HttpService:
    service: HttpService = request.app.state.service
    return service


ServiceDep = Annotated[HttpService, Depends(get_service)]


def get_principal(
    request: Request,
    service: ServiceDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
) -> Principal:
    if credentials is None and "authorization" not in request.headers:
        return NOBODY
    client = client_of(request)
    check_throttle(service.throttle, client)
    if credentials is None:
        service.throttle.failed(client)
        raise ApiError("unauthenticated", "use 'Authorization: Bearer <token>'")
    return authenticate(
        service.tokens, service.throttle, credentials.credentials, client
    )


PrincipalDep = Annotated[Principal, Depends(get_principal)]


async def read_position(
    service: ServiceDep,
    after: Annotated[
        int | None,
        Query(
            ge=0,
            description="Wait (a few seconds at most) until the read models include "
            "this log position — the one your write answered with.",
        ),
    ] = None,
) -> int:
    """The read models' position; with ``after``, once it is reached
    (``api.http.waiting``: bounded, refused past the log's end, on the event
    loop)."""
    if after is None:
        return await run_in_threadpool(service.read_models.position)
    return await service.waits.until(
        service.read_models, after, service.settings.read_wait_seconds
    )


ReadPositionDep = Annotated[int, Depends(read_position)]
