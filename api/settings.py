"""The service's settings: one class, read from the environment, checked at start.

Every variable starts with ``KHUYENHOC_``; a bad value stops the service
before it opens a port, with a message naming the variable.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from ledger.persistence import DEFAULT_DATABASE_URL


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KHUYENHOC_", extra="ignore")

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


@lru_cache
def get_settings() -> Settings:
    """The settings from the environment (cached; tests build their own)."""
    return Settings()
