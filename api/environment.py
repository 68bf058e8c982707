"""The names of the environment variables, apart from the settings that read
them (``api.settings``, pydantic): the command line names them in its help
without loading pydantic (docs/benchmarks.md, "Command-line start-up")."""

from __future__ import annotations

ENV_PREFIX = "KHUYENHOC_"
DATABASE_URL_VARIABLE = f"{ENV_PREFIX}DATABASE_URL"
