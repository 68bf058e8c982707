"""The settings: one class, read from the environment, checked at start — by
the HTTP service and by every command of the command line alike.

Every variable starts with ``KHUYENHOC_``; a bad value stops the service
before it opens a port (and a command before it opens the database), with a
message naming the variable.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Annotated, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from api.environment import DATABASE_URL_VARIABLE, ENV_PREFIX
from storage.engines import DEFAULT_DATABASE_URL

__all__ = [
    "DATABASE_URL_VARIABLE",
    "ENV_PREFIX",
    "Settings",
    "describe_problems",
    "get_settings",
]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore")

    database_url: str = Field(
        DEFAULT_DATABASE_URL,
        description="sqlite:///path/file.sqlite3 or postgresql+psycopg://user@host/db",
    )
    host: str = Field("127.0.0.1", description="the address `serve` listens on")
    port: int = Field(8000, ge=1, le=65_535, description="the port `serve` listens on")
    projections: Literal["embedded", "external"] = Field(
        "embedded",
        description="embedded: the service keeps the read models up to date itself "
        "(and a write answers after they include it); external: a separate "
        "`khuyenhoc project` worker does",
    )
    read_wait_seconds: float = Field(
        5.0,
        gt=0,
        le=60,
        description="how long a GET with ?after=<position> may wait for the read "
        "models to reach the position",
    )
    poll_seconds: float = Field(
        0.5,
        gt=0,
        le=60,
        description="how often the embedded follower looks for new events written "
        "by other processes (on PostgreSQL it also wakes on NOTIFY)",
    )
    seal_interval_seconds: float = Field(
        300.0,
        ge=0,
        description="how often the service seals the event log (a hash chain "
        "that `khuyenhoc verify` checks) when events were recorded; 0: never",
    )

    max_body_bytes: int = Field(
        1_048_576,
        ge=1_024,
        le=1_073_741_824,
        description="the largest request body accepted (413 above it)",
    )
    auth_failures: int = Field(
        10,
        ge=1,
        le=1_000_000,
        description="failed authentications a client (IP address) may make within "
        "auth_window_seconds before it is answered 429",
    )
    auth_window_seconds: float = Field(
        300.0,
        gt=0,
        le=86_400,
        description="the sliding window over which failed authentications count",
    )
    idempotency_retention_days: float = Field(
        30.0,
        gt=0,
        le=3_650,
        description="how long an Idempotency-Key's answer is kept; after it, the "
        "key is new again (the voucher number still records an entry once)",
    )
    session_hours: float = Field(
        12.0,
        gt=0,
        le=24 * 90,
        description="how long a web session lasts after signing in",
    )
    trusted_proxies: str = Field(
        "",
        description="addresses of reverse proxies whose X-Forwarded-For is believed "
        "(comma-separated, uvicorn's --forwarded-allow-ips); none by default: the "
        "failed-sign-in throttle counts the connecting address",
    )
    cors_origins: Annotated[tuple[str, ...], NoDecode] = Field(
        (),
        description="origins whose browser pages may call the API, comma-separated "
        "(https://example.org,http://localhost:3000); none by default",
    )

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _origin_list(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("cors_origins")
    @classmethod
    def _origins(cls, origins: tuple[str, ...]) -> tuple[str, ...]:
        for origin in origins:
            if not _ORIGIN.fullmatch(origin):
                raise ValueError(
                    f"{origin!r} is not an origin: scheme://host[:port], no path "
                    "and no wildcard"
                )
        return origins

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, url: str) -> str:
        if not url.startswith(("sqlite:///", "postgresql+psycopg://")):
            raise ValueError(
                "must start with sqlite:/// or postgresql+psycopg:// "
                f"(got {url.split(':', 1)[0]}:…)"
            )
        if url.startswith("sqlite:///"):
            path = url.removeprefix("sqlite:///").split("?", 1)[0]
            if path in ("", ":memory:"):
                raise ValueError(
                    "a SQLite database needs a file: sqlite:///path/file.sqlite3"
                )
        return url


_ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")


def describe_problems(error: ValidationError) -> str:
    """The settings' refusal, one ``KHUYENHOC_NAME: message`` per variable."""
    return "; ".join(
        f"{ENV_PREFIX}{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}"
        for e in error.errors()
    )


@lru_cache
def get_settings() -> Settings:
    """The settings from the environment (cached; tests build their own)."""
    return Settings()
