"""Commands for auditors: ``seal`` (seal the event log up to its head) and
``replay`` (the books as they stood at a log position or date, in a database
of their own). ``verify`` (in ``api.cli.read_models``) checks the seals with
``check_seals`` below.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
import time
from collections.abc import Sequence
from datetime import date

from api.cli.progress import Progress
from api.cli.read_model_progress import counting, events_to_apply
from api.cli.subcommands import (
    EXIT_DATA_ERROR,
    EXIT_OK,
    EXIT_USAGE,
    Subcommands,
    core_from_settings,
    database_url,
)
from api.ops.replay import replay
from ledger import Ledger, errors
from ledger.seals import BOOKS_LOG, ChainCheck, Seal, SealedLog, sealed_logs
from projections import ReadModels

SUPPORTED_URLS = ("sqlite:///", "postgresql+psycopg://")


def register(subcommands: Subcommands) -> None:
    subcommands.add(
        "seal",
        summary="seal the event logs up to their last positions (hash chains)",
        description="Add a seal: the position of the log's last event, the hash "
        "of the previous seal and a hash over every stored event up to it. "
        "'khuyenhoc verify' then names the first position where a stored event "
        "was altered, deleted, inserted or reordered before the last seal. "
        "The tokens' log is sealed too, by a chain of its own. "
        "Imports and the HTTP service add seals too. Prints the seal's hash: "
        "keep it outside the database.",
        example="khuyenhoc seal",
        run=_seal,
    )
    replaying = subcommands.add(
        "replay",
        summary="rebuild the books as they stood at a log position or date",
        description="Copy the event log up to a position (or to the end of a "
        "recording date in Vietnam, UTC+7) into an empty database, with the seals "
        "that cover it, and build the read models there: 'report' and the HTTP "
        "service then read that database (KHUYENHOC_DATABASE_URL=…). The target "
        "must be empty.",
        example="khuyenhoc replay --until 2022-12-31 --to sqlite:///var/2022.sqlite3",
        run=_replay,
    )
    replaying.add_argument(
        "--until",
        required=True,
        type=_until,
        metavar="POSITION|YYYY-MM-DD",
        help="a log position, or a recording date in Vietnam (up to its end)",
    )
    replaying.add_argument(
        "--to",
        required=True,
        type=_url,
        metavar="URL",
        help="the empty target database: sqlite:///file or postgresql+psycopg://…",
    )


def _until(text: str) -> int | date:
    if re.fullmatch(r"\d+", text):
        position = int(text)
        if position < 1:
            raise argparse.ArgumentTypeError("a log position starts at 1")
        return position
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise argparse.ArgumentTypeError(
        f"{text!r}: give a log position (1234) or a date (2022-12-31)"
    )


def _url(text: str) -> str:
    if not text.startswith(SUPPORTED_URLS):
        raise argparse.ArgumentTypeError(
            "must start with sqlite:/// or postgresql+psycopg://"
        )
    return text


def _seal(_args: argparse.Namespace) -> int:
    with core_from_settings() as core:
        for log in sealed_logs(core.ledger):
            added = log.seal()
            last = log.last()
            # The books' lines as before; the other logs' named.
            name = "" if log.log == BOOKS_LOG else f"{log.log}: "
            if last is None:
                print(f"{name}the log is empty: nothing to seal")
            elif not added:
                print(f"{name}nothing new since {describe(last)}")
            else:
                for seal in added:
                    print(f"{name}{describe(seal)}")
    return EXIT_OK


def describe(seal: Seal) -> str:
    return (
        f"seal #{seal.seal_no} at log position {seal.position:,} "
        f"({seal.events:,} events, {seal.sealed_at}): {seal.seal_hash}"
    )


def _replay(args: argparse.Namespace) -> int:
    source = database_url()
    if args.to == source:
        print("khuyenhoc replay: --to is the ledger's own database", file=sys.stderr)
        return EXIT_USAGE
    if isinstance(args.until, int):
        ledger = Ledger(source)
        try:
            head = SealedLog(ledger).head()
        finally:
            ledger.close()
        if args.until > head:
            print(
                f"khuyenhoc replay: position {args.until} is not in the log (it "
                f"runs from 1 to {head})",
                file=sys.stderr,
            )
            return EXIT_USAGE
    started = time.perf_counter()
    copying = Progress("replay: copying", None, "events")

    def rebuild(read_models: ReadModels) -> int:
        copying.finish()
        total = events_to_apply(read_models, 0, read_models.head())
        with counting(read_models, Progress("replay: rebuilding", total, "events")):
            return read_models.rebuild()

    try:
        done = replay(
            source, args.to, args.until, progress=copying.update, rebuild=rebuild
        )
    except errors.InvalidInput as error:
        print(f"khuyenhoc replay: {error}", file=sys.stderr)
        return EXIT_DATA_ERROR
    seconds = time.perf_counter() - started
    print(
        f"replayed {done.events:,} events and {done.seals:,} "
        f"seal{'' if done.seals == 1 else 's'} up to log "
        f"position {done.position:,} in {seconds:.1f} s; read it with "
        f"KHUYENHOC_DATABASE_URL={args.to}"
    )
    return EXIT_OK


def check_seals(ledger: Ledger, anchors: Sequence[str] = ()) -> bool:
    """Every sealed log's check (the books', then the tokens'), printed;
    ``verify`` adds the read models'. True when all are clean.

    ``anchors``: seal hashes kept outside the database (a printed report's);
    each must be one of the books' seals, else the seals were rewritten.
    """
    clean = True
    for log in sealed_logs(ledger):
        check = check_log(log, anchors if log.log == BOOKS_LOG else ())
        clean = clean and check.clean
    return clean


def check_log(log: SealedLog, anchors: Sequence[str] = ()) -> ChainCheck:
    """One sealed log's check, printed, each line headed by the log's name."""
    name = log.name
    check = log.verify()
    if anchors:
        known = {seal.seal_hash: seal for seal in log.all()}
        missing = []
        for anchor in anchors:
            found = known.get(anchor.strip().lower())
            if found is None:
                missing.append(
                    f"the seal {anchor} is not in this log: its seals were "
                    "rewritten or removed after it was printed"
                )
            else:
                print(f"{name}: {anchor} is {describe(found)}")
        if missing:
            check = dataclasses.replace(check, problems=(*check.problems, *missing))
    for problem in check.problems:
        print(f"{name}: {problem}")
    for finding in check.findings:
        print(f"{name}: {finding}")
    hidden = check.differing_positions - len(check.findings)
    if hidden > 0:
        print(f"{name}: … and {hidden:,} more differing positions")
    if check.last is None:
        print(f"{name}: no seal yet ({check.unsealed:,} events unsealed)")
    elif check.clean:
        print(
            f"{name}: clean up to {describe(check.last)}; "
            f"{check.unsealed:,} events after it are not sealed yet"
        )
    elif check.first_position is None:
        last = describe(check.last)
        print(f"{name}: the seals themselves were changed (last: {last})")
    else:
        print(
            f"{name}: the stored events differ from the sealed log from "
            f"position {check.first_position:,} on (last seal: "
            f"{describe(check.last)})"
        )
    return check
