"""The service's health: database and how far behind the read models are."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from api.http.schemas.common import Schema


class HealthPublic(Schema):
    status: Literal["ok", "degraded"]
    database: Literal["ok", "unreachable"]
    position: int | None = Field(description="Where the read models stand.")
    head: int | None = Field(description="The last position of the event log.")
    lag: int | None = Field(description="Events the read models have yet to apply.")
