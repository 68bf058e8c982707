"""``khuyenhoc backup --to FILE`` and ``khuyenhoc restore FILE`` (``api.ops.backup``).

``backup`` prints the seal each log of the copy ends at: keep those lines
outside the database (a province checks a commune's copy against them).
``restore`` fills an empty database from a backup, runs ``verify`` there and
prints the last seals again, to be compared with the printed ones.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from api.bootstrap import open_core
from api.cli.audit import check_seals, describe
from api.cli.subcommands import EXIT_DATA_ERROR, EXIT_OK, Subcommands, database_url
from api.ops.backup import BackupCopy, backup, restore
from api.settings import DATABASE_URL_VARIABLE
from ledger import errors
from ledger.seals import BOOKS_LOG, LOG_NAMES
from projections.verify import verify


def register(subcommands: Subcommands) -> None:
    backing_up = subcommands.add(
        "backup",
        summary="copy the live ledger into a new SQLite file, and print its seals",
        description="Seal every log, then copy the whole ledger into a new file: "
        "from SQLite with SQLite's online backup (consistent while the service "
        "records), from PostgreSQL by a migration into a SQLite file. The copy "
        "is checked and flushed to disk before it takes the file's name. Prints "
        "the seal each log of the copy ends at: keep it outside the database.",
        example="khuyenhoc backup --to backup/khuyenhoc-2024-12-31.sqlite3",
        run=_backup,
    )
    backing_up.add_argument(
        "--to", required=True, type=Path, metavar="FILE", help="a new file"
    )
    restoring = subcommands.add(
        "restore",
        summary="put a backup into an empty database, then verify it",
        description=f"Copy a backup file into the empty database at "
        f"${DATABASE_URL_VARIABLE} (SQLite: an exact copy; PostgreSQL: a "
        "migration), then check the sealed logs and the read models there and "
        "print the last seals, to compare with those printed by 'backup'. Exits "
        "1 if the database is not empty or verify finds a difference.",
        example="khuyenhoc restore backup/khuyenhoc-2024-12-31.sqlite3",
        run=_restore,
    )
    restoring.add_argument("file", type=Path, metavar="FILE")
    restoring.add_argument(
        "--seal",
        action="append",
        default=[],
        metavar="HASH",
        help="a seal hash printed by 'backup': it must be in the restored log",
    )


def _backup(args: argparse.Namespace) -> int:
    try:
        copy = backup(database_url(), args.to)
    except errors.InvalidInput as error:
        print(f"khuyenhoc backup: {error}")
        return EXIT_DATA_ERROR
    print(f"backup: {copy.path} ({copy.events:,} events)")
    _print_seals(copy)
    return EXIT_OK


def _restore(args: argparse.Namespace) -> int:
    target = database_url()
    try:
        copy = restore(args.file, target)
    except errors.InvalidInput as error:
        print(f"khuyenhoc restore: {error}")
        return EXIT_DATA_ERROR
    print(f"restored {args.file} ({copy.events:,} events)")
    with open_core(target) as core:
        sealed = check_seals(core.ledger, anchors=args.seal)
        result = verify(core.read_models)
    for difference in result.differences[:50]:
        print(difference)
    verdict = "clean" if result.clean else f"{len(result.differences)} differences"
    print(f"verify: read models {verdict}")
    _print_seals(copy)
    return EXIT_OK if sealed and result.clean else EXIT_DATA_ERROR


def _print_seals(copy: BackupCopy) -> None:
    for log, seal in copy.seals.items():
        name = LOG_NAMES[log] if log != BOOKS_LOG else "sealed log"
        if seal is None:
            print(f"{name}: no seal")
        else:
            print(f"{name}: ends at {describe(seal)}")
