"""The database engine: one URL, SQLite by default, PostgreSQL to scale.

The default is a SQLite file under the working directory; its folder is
made when missing. SQLite runs with ``synchronous=FULL`` (a commit that
returned is on disk) and waits for other writers instead of failing at once.
On every database, an error's message never repeats the statement's values
(names of donors and recipients): it may end up in a log.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url

DEFAULT_DATABASE_URL = "sqlite:///var/khuyenhoc.sqlite3"
DISK_FULL = (
    "máy chủ hết chỗ trên đĩa: thao tác ghi này đã bị huỷ, không lưu gì nửa vời; "
    "hãy thử lại sau khi giải phóng dung lượng (the server's disk is full: this "
    "write was undone, nothing half-done is kept; try again once space is freed)"
)
"""What a writer is told when the database's disk is full."""
_SQLITE_FULL = 13
_POSTGRES_DISK_FULL = "53100"
SQLITE_BUSY_TIMEOUT_MS = 30_000


def make_sqlite_folder(url: str) -> None:
    """Make the folder of a SQLite file URL's file, if missing (other URLs:
    nothing)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (
        None,
        "",
        ":memory:",
    ):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def configure(engine: Engine) -> None:
    """Hide statements' values from error messages; on SQLite, make each new
    connection durable and patient."""
    engine.hide_parameters = True
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _configure_sqlite)


def dispose(engine: Engine) -> None:
    """Return the pool's connections to the database (when the owner closes)."""
    engine.dispose()


def printable(url: str) -> str:
    """The URL with its password hidden, for messages."""
    return make_url(url).render_as_string(hide_password=True)


def is_disk_full(error: BaseException) -> bool:
    """Did ``error`` (or what caused it) come from a full disk: SQLite's
    ``SQLITE_FULL``, PostgreSQL's ``disk_full`` (53100), or ``ENOSPC``?"""
    seen: set[int] = set()
    found: BaseException | None = error
    while found is not None and id(found) not in seen:
        seen.add(id(found))
        if isinstance(found, sqlite3.Error) and (
            getattr(found, "sqlite_errorcode", None) == _SQLITE_FULL
            or "database or disk is full" in str(found)
        ):
            return True
        if getattr(found, "sqlstate", None) == _POSTGRES_DISK_FULL:
            return True
        if isinstance(found, OSError) and found.errno == errno.ENOSPC:
            return True
        found = found.__cause__ or found.__context__
    return False


def _configure_sqlite(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous = FULL")
    finally:
        cursor.close()
