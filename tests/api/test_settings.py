"""Settings come from KHUYENHOC_* variables and fail fast on bad values."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from api.settings import Settings


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("KHUYENHOC_PORT", "abc"),
        ("KHUYENHOC_PORT", "70000"),
        ("KHUYENHOC_PROJECTIONS", "sometimes"),
        ("KHUYENHOC_READ_WAIT_SECONDS", "0"),
        ("KHUYENHOC_DATABASE_URL", "mysql://root@localhost/khuyenhoc"),
        ("KHUYENHOC_DATABASE_URL", "sqlite:///"),
        ("KHUYENHOC_DATABASE_URL", "sqlite:///:memory:"),
        ("KHUYENHOC_CORS_ORIGINS", "*"),
        ("KHUYENHOC_CORS_ORIGINS", "https://bao-cao.example/path"),
        ("KHUYENHOC_CORS_ORIGINS", "bao-cao.example"),
        ("KHUYENHOC_MAX_BODY_BYTES", "10"),
        ("KHUYENHOC_MAX_BODY_BYTES", "a lot"),
        ("KHUYENHOC_AUTH_FAILURES", "0"),
        ("KHUYENHOC_AUTH_WINDOW_SECONDS", "-1"),
        ("KHUYENHOC_SEAL_INTERVAL_SECONDS", "-5"),
    ],
)
def test_a_bad_value_stops_the_service_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValidationError) as refused:
        Settings()
    field = variable.removeprefix("KHUYENHOC_").lower()
    assert [e["loc"] for e in refused.value.errors()] == [(field,)]


def test_the_defaults_are_the_embedded_service(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "PORT", "PROJECTIONS", "HOST"):
        monkeypatch.delenv(f"KHUYENHOC_{name}", raising=False)
    settings = Settings()
    assert settings.database_url == "sqlite:///var/khuyenhoc.sqlite3"
    assert (settings.host, settings.port, settings.projections) == (
        "127.0.0.1",
        8000,
        "embedded",
    )
