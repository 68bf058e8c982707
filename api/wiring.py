"""The one place that puts the parts together: the ledger, its read models and
their queries, on one database URL.

Nothing is created at import time; entry points call ``open_services``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

from ledger import Ledger
from ledger.persistence import database_url_from_env
from projections import Queries, ReadModels


@dataclass(frozen=True)
class Services:
    url: str
    ledger: Ledger
    read_models: ReadModels
    queries: Queries


def build_services(url: str | None = None) -> Services:
    """The ledger at ``url`` (default: ``$KHUYENHOC_DATABASE_URL``) and its read
    models; the caller closes ``ledger``."""
    url = url or database_url_from_env()
    ledger = Ledger(url)
    try:
        read_models = ReadModels(ledger)
    except BaseException:
        ledger.close()
        raise
    return Services(url, ledger, read_models, Queries(read_models))


@contextlib.contextmanager
def open_services(url: str | None = None) -> Iterator[Services]:
    """``build_services``, closed on exit."""
    services = build_services(url)
    try:
        yield services
    finally:
        services.ledger.close()
