"""Health: is the database there, and how far behind are the read models?"""

from __future__ import annotations

import logging

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.http.deps import ServiceDep
from api.http.schemas.health import HealthPublic
from projections.errors import OutOfStep

router = APIRouter(tags=["health"])
logger = logging.getLogger(__name__)


@router.get(
    "/health",
    response_model=HealthPublic,
    summary="Database reachability and the read models' lag",
    responses={503: {"model": HealthPublic, "description": "database unreachable"}},
)
def health(service: ServiceDep) -> HealthPublic | JSONResponse:
    try:
        head = service.read_models.head()
        position = service.read_models.position()
    except OutOfStep:
        logger.exception("the read models are out of step")
        stuck = HealthPublic(
            status="degraded", database="ok", position=None, head=None, lag=None
        )
        return JSONResponse(stuck.model_dump(), status_code=503)
    except Exception:  # any failure to read is "unreachable", whatever its cause
        logger.exception("health check could not read the database")
        down = HealthPublic(
            status="degraded",
            database="unreachable",
            position=None,
            head=None,
            lag=None,
        )
        return JSONResponse(down.model_dump(), status_code=503)
    return HealthPublic(
        status="ok", database="ok", position=position, head=head, lag=head - position
    )
