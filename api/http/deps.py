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

import asyncio
import time
from typing import Annotated

from fastapi import Depends, Query, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from api.auth.gate import authenticate, check_throttle, client_of
from api.auth.tokens import NOBODY, Principal
from api.http.problems import ApiError
from api.http.service import HttpService
from projections.errors import InvalidQuery, WaitTimeout

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
    """The read models' position; with ``after``, once it is reached.

    The wait sleeps on the event loop between looks (each look is a short
    query in the thread pool), so waiting clients do not hold the threads
    that serve everyone else.
    """
    read_models = service.read_models
    position = await run_in_threadpool(read_models.position)
    if after is None or position >= after:
        return position
    head = await run_in_threadpool(read_models.head)
    if after > head:
        raise InvalidQuery(
            f"?after={after} is beyond the end of the event log ({head})",
            after=after,
        )
    deadline = time.monotonic() + service.settings.read_wait_seconds
    pause = 0.005
    while position < after:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise WaitTimeout(
                f"the read models reached position {position}, not {after}, "
                f"within {service.settings.read_wait_seconds} s"
            )
        await asyncio.sleep(min(pause, remaining))
        pause = min(pause * 2, 0.1)
        position = await run_in_threadpool(read_models.position)
    return position


ReadPositionDep = Annotated[int, Depends(read_position)]
