"""Commands on the read models: ``rebuild`` (from the whole event log),
``verify`` (the sealed log, and the read models against a rebuild) and
``project`` (a worker that keeps them up to date)."""

from __future__ import annotations

import argparse
import signal
import threading
import time
from types import FrameType

from api.cli.audit import check_seals
from api.cli.progress import Progress
from api.cli.read_model_progress import counting, events_to_apply
from api.cli.subcommands import (
    EXIT_DATA_ERROR,
    EXIT_OK,
    Subcommands,
    core_from_settings,
)
from projections.verify import verify

SHOWN_DIFFERENCES = 50


def register(subcommands: Subcommands) -> None:
    subcommands.add(
        "rebuild",
        summary="drop the read models and replay the whole event log into them",
        description="Drop every read model (balances, summaries, campaign totals, "
        "journal, hierarchy) and rebuild them from the event log. Stop other "
        "processes that update the read models first.",
        example="khuyenhoc rebuild",
        run=_rebuild,
    )
    checking = subcommands.add(
        "verify",
        summary="check the sealed log, and that the read models equal a rebuild",
        description="Recompute the sealed log's hash chain from the stored events "
        "and name the first position where an event was altered, deleted, "
        "inserted or reordered before the last seal; then rebuild every read "
        "model into scratch tables, compare them row by row with the live ones "
        "and print every difference. Exits 1 if there is any.",
        example="khuyenhoc verify --seal 304e7c68…a15472 && echo clean",
        run=_verify,
    )
    checking.add_argument(
        "--seal",
        action="append",
        default=[],
        metavar="HASH",
        help="a seal's hash kept outside the database (printed on a report): "
        "it must still be in the log's chain of seals (repeatable)",
    )
    project = subcommands.add(
        "project",
        summary="keep the read models up to date (a projection worker)",
        description="Follow the event log and apply new events to the read models "
        "until stopped (SIGTERM or Ctrl-C). On PostgreSQL it wakes on NOTIFY; on "
        "SQLite it polls.",
        example="khuyenhoc project --poll 0.5",
        run=_project,
    )
    project.add_argument(
        "--poll",
        type=float,
        default=0.5,
        metavar="SECONDS",
        help="how often to look for new events without a notification (default 0.5)",
    )


def _rebuild(_args: argparse.Namespace) -> int:
    with core_from_settings() as core:
        read_models = core.read_models
        total = events_to_apply(read_models, 0, read_models.head())
        started = time.perf_counter()
        with counting(read_models, Progress("rebuild", total, "events")):
            position = read_models.rebuild()
        seconds = time.perf_counter() - started
    print(f"read models rebuilt up to log position {position} in {seconds:.1f} s")
    return EXIT_OK


def _verify(args: argparse.Namespace) -> int:
    with core_from_settings() as core:
        sealed = check_seals(core.ledger, anchors=args.seal)
        read_models = core.read_models
        total = events_to_apply(read_models, 0, read_models.position())
        try:
            progress = Progress("verify: rebuilding", total, "events")
            with counting(read_models, progress):
                result = verify(read_models)
        except Exception as error:
            if sealed:
                raise
            # A tampered event may not even decode: the seals have said where.
            print(f"read models: could not rebuild from the altered log: {error}")
            return EXIT_DATA_ERROR
    for difference in result.differences[:SHOWN_DIFFERENCES]:
        print(difference)
    hidden = len(result.differences) - SHOWN_DIFFERENCES
    if hidden > 0:
        print(f"… and {hidden} more differences")
    verdict = "clean" if result.clean else f"{len(result.differences)} differences"
    print(
        f"verify at log position {result.position}: {result.rows_compared} rows "
        f"compared, {verdict}"
    )
    return EXIT_OK if result.clean and sealed else EXIT_DATA_ERROR


def _project(args: argparse.Namespace) -> int:
    stop = threading.Event()

    def request_stop(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    with core_from_settings() as core:
        print(
            f"following {core.url} from log position {core.read_models.position()}",
            flush=True,
        )
        core.read_models.follow(stop, poll_interval=args.poll)
        print(f"stopped at log position {core.read_models.position()}")
    return EXIT_OK
