"""Backups and restores (``khuyenhoc backup``, ``khuyenhoc restore``).

A backup is one SQLite file holding the whole ledger: every log of record
with its seals, the tokens, the snapshots and the read models.

- From a SQLite ledger, SQLite's online backup API copies the live file in
  one step, under one read transaction: a consistent copy while the service
  records (writers wait for it, within their busy timeout).
- From PostgreSQL, the ledger is migrated (``api.ops.migrate``) into a new
  SQLite file: a portable copy a province can check on any machine.
  ``pg_dump`` remains the way to copy a whole PostgreSQL database
  (``docs/deploy.md``).

Every log is sealed first, so that the copy is covered up to its head; the
copy is written beside the target under a temporary name, checked
(``PRAGMA integrity_check``), flushed to disk and only then renamed: a
backup cut short never appears under the target's name. What the backup
ends at — the last seal of each log, read from the copy itself — is
returned, for the caller to print and keep outside the database.

A restore puts a backup into an empty database: on SQLite by the same backup
API (an exact copy, idempotency answers included), on PostgreSQL by
``migrate`` from a scratch copy of the file (the backup itself is never
opened for writing). The caller then runs ``verify``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from api.ops.migrate import migrate
from ledger import Ledger, errors
from ledger.seals import SEALED_LOGS, Seal, sealed_logs


@dataclass(frozen=True, slots=True)
class BackupCopy:
    path: Path
    seals: dict[str, Seal | None]
    """Each log of record → the last seal in the copy (None: never sealed)."""
    events: int
    """The books' events in the copy."""


def backup(source_url: str, target: Path) -> BackupCopy:
    """Copy the ledger at ``source_url`` into the new SQLite file ``target``."""
    if target.exists():
        raise errors.InvalidInput(
            f"{target} đã có: sao lưu vào một tệp mới (already exists: back up "
            "to a new file)"
        )
    ledger = Ledger(source_url)
    try:
        for log in sealed_logs(ledger):
            log.seal()
    finally:
        ledger.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        source_file = _sqlite_file(source_url)
        if source_file is not None:
            _copy_sqlite(source_file, partial)
        else:
            migrate(source_url, f"sqlite:///{partial}")
        _check_and_flush(partial)
        partial.replace(target)
        _flush_folder(target.parent)
    finally:
        partial.unlink(missing_ok=True)
    return describe(target)


def describe(path: Path) -> BackupCopy:
    """What a backup file holds: each log's last seal and the books' events.
    Read without writing to it."""
    if not path.is_file():
        raise errors.InvalidInput(f"{path}: không có tệp này (no such file)")
    with _read_only(path) as conn:
        tables = {
            row[0]
            for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        if "ledger_events" not in tables:
            raise errors.InvalidInput(
                f"{path}: không phải bản sao lưu sổ khuyến học (not a ledger backup)"
            )
        seals: dict[str, Seal | None] = {}
        for log, (seals_table, _links) in SEALED_LOGS.items():
            row = None
            if seals_table.name in tables:
                query = (
                    "SELECT seal_no, position, events, chain_hash, previous_hash, "  # noqa: S608 -- our table
                    f"sealed_at, seal_hash FROM {seals_table.name} "
                    "ORDER BY seal_no DESC LIMIT 1"
                )
                row = conn.execute(query).fetchone()
            seals[log] = None if row is None else Seal(*row)
        events = conn.execute("SELECT count(*) FROM ledger_events").fetchone()[0]
    return BackupCopy(path, seals, int(events))


def restore(backup_file: Path, target_url: str) -> BackupCopy:
    """Put the backup into the empty database at ``target_url``; returns what
    the backup holds (its last seals: the restored ledger's must equal them)."""
    held = describe(backup_file)
    target_file = _sqlite_file(target_url)
    if target_file is None:
        with tempfile.TemporaryDirectory() as scratch:
            copy = Path(scratch) / "restore.sqlite3"
            shutil.copyfile(backup_file, copy)
            migrate(f"sqlite:///{copy}", target_url)
        return held
    if target_file.exists() and _holds_a_ledger(target_file):
        raise errors.InvalidInput(
            f"{target_file} đã có sổ: khôi phục vào một cơ sở dữ liệu trống "
            "(already holds a ledger: restore into an empty database)"
        )
    target_file.parent.mkdir(parents=True, exist_ok=True)
    partial = target_file.with_name(f".{target_file.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        _copy_sqlite(backup_file, partial)
        _check_and_flush(partial)
        for leftover in ("-journal", "-wal", "-shm"):
            Path(f"{target_file}{leftover}").unlink(missing_ok=True)
        partial.replace(target_file)
        _flush_folder(target_file.parent)
    finally:
        partial.unlink(missing_ok=True)
    return held


def _sqlite_file(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    if parsed.database in (None, "", ":memory:"):
        raise errors.InvalidInput("a backup needs a SQLite file, not memory")
    return Path(parsed.database)


def _copy_sqlite(source: Path, target: Path) -> None:
    """SQLite's online backup, in one step (one read transaction)."""
    with _read_only(source) as src, contextlib.closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def _check_and_flush(path: Path) -> None:
    """Check the copy, make it one self-contained file (no write-ahead log
    beside it), and flush it to disk."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")
        (verdict,) = conn.execute("PRAGMA integrity_check").fetchone()
    if verdict != "ok":
        raise errors.InvalidInput(f"the copy is damaged: {verdict}")
    with path.open("rb") as copy:
        os.fsync(copy.fileno())


def _flush_folder(folder: Path) -> None:
    """Make a rename durable: flush the folder's entry (POSIX)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover -- a system without folder handles
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _holds_a_ledger(path: Path) -> bool:
    with _read_only(path) as conn:
        found = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='ledger_events'"
        ).fetchone()
        if found is None:
            return False
        row = conn.execute("SELECT 1 FROM ledger_events LIMIT 1").fetchone()
        return row is not None


@contextlib.contextmanager
def _read_only(path: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        conn.execute("PRAGMA busy_timeout = 30000")
        yield conn
    finally:
        conn.close()
