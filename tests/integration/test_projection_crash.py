"""Kill the projection runner at random points: the read models still come out
exactly as an uninterrupted run makes them (docs/read-models.md, "Exactly once,
and in step").

The history is the seeded province (``bench.seed``) with moves, reversals, a
merge and a dissolution recorded amid its entries, so that moves (which make
the flow views re-count lines) sit in the middle of the log. A child process
catches the read models up in small batches and says on stdout where it is,
watching its transactions through SQLAlchemy's events: ``begin s t`` once a
batch's transaction has moved the tracking records from ``s`` to ``t``, ``end
s t`` after its commit.
The test SIGKILLs it seven times — inside the very first batch (which
inserts the tracking records), inside the batch of each move (after its
re-count), at random moments, right after a commit — and restarts it each
time, checking that it resumes after the last batch it committed, never
after part of one. The last run finishes. Then the read models must stand at
the log's head, ``verify`` (a rebuild compared row by row) must be clean, and
the journal and every balance, yearly summary and campaign total must equal
those of read models caught up in one go.

A second test starts two runners at the same moment on the same read models:
compare-and-set lets each batch in exactly once.
"""

from __future__ import annotations

import logging
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

import pytest
from eventsourcing.utils import get_topic
from sqlalchemy import create_engine, func, select, text

from bench.seed import GeneratedEntry, NgheAn2022, record_entry
from ledger import Ledger
from ledger.organisation import Organisation
from projections import Queries, ReadModels
from projections.answers import YearSummary
from projections.runner import TOPICS
from projections.verify import verify

TODAY = date(2024, 12, 31)
SCALE = 0.003
BATCH = 7
"""Events per batch in the child: many small transactions to land in."""
SEED = 20_241_231
TIMEOUT = 60.0
YEARS = (2022, 2023, 2024)
CAMPAIGNS = ("NA-TET-2022", "NA-THANG-19")
logger = logging.getLogger(__name__)

KILLS = ("first", "move", "move", "move", "timer", "timer", "between")
"""Where the kills land (see the crash test); the first one first, the others
in a shuffled order."""

RUNNER = """\
import logging
import sys
import time

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from ledger import Ledger
from projections import ReadModels

url, batch_size, pause_at = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
wait_for_go = "--wait" in sys.argv
TRACKING = "rm_hierarchy_tracking"  # the first read model's tracking record


def say(*words):
    # One write: a kill never leaves half a line (even with PYTHONUNBUFFERED).
    sys.stdout.write(" ".join(map(str, words)) + "\\n")
    sys.stdout.flush()


class SayConflicts(logging.Handler):
    def emit(self, record):
        say("conflict")


log = logging.getLogger("projections.runner")
log.setLevel(logging.INFO)
log.addHandler(SayConflicts())

# Watch the batches at the database: a batch's transaction first moves the
# tracking records (compare-and-set from its start to its end), then writes
# the read models, then commits.
batch = []


@event.listens_for(Engine, "after_cursor_execute")
def tracking_moved(conn, cursor, statement, parameters, context, executemany):
    if statement.startswith(("UPDATE " + TRACKING, "INSERT INTO " + TRACKING)):
        binds = context.compiled_parameters[0]
        start = [v for k, v in binds.items() if k.startswith("notification_id_")]
        batch[:] = [start[0] if start else 0, binds["notification_id"]]
        say("begin", *batch)


@event.listens_for(Session, "before_commit")
def committing(session):
    if batch and pause_at and batch[0] < pause_at <= batch[1]:
        # Everything of the batch is written, nothing committed: wait here
        # until the parent kills us.
        say("inside", *batch)
        time.sleep(600)


@event.listens_for(Session, "after_commit")
def committed(session):
    if batch:
        say("end", *batch)
        batch.clear()


@event.listens_for(Session, "after_rollback")
def rolled_back(session):
    batch.clear()


ledger = Ledger(url)
read_models = ReadModels(ledger, batch_size=batch_size)
say("ready", read_models.position(), read_models.head())
if wait_for_go:
    sys.stdin.readline()
say("done", read_models.catch_up())
ledger.close()
"""


# ---- the history ---------------------------------------------------------------------


@dataclass
class History:
    codes: list[str]
    moves: list[int] = field(default_factory=list)
    """Log positions of the moves (each in the middle of the log)."""


def record_history(url: str) -> History:
    """The seeded province, its entries in two halves; between and after them,
    moves, reversals, a merge and a dissolution amid rounds of other entries."""
    ledger = Ledger(url, today=lambda: TODAY)
    try:
        province = NgheAn2022(scale=SCALE)
        entries = province.entries
        half = len(entries) // 2
        province.entries = entries[:half]
        province.record(ledger)
        province.entries = entries
        return _more_history(ledger, province, entries[half:])
    finally:
        ledger.close()


def _more_history(
    ledger: Ledger, province: NgheAn2022, rest: list[GeneratedEntry]
) -> History:
    rng = random.Random(SEED)
    codes = [org.code for org in province.organisations]
    district, commune = "NA-D01", "NA-D01-C001"
    branch, gone, absorbing = f"{commune}-B0005", f"{commune}-H0003", f"{commune}-H0004"
    registered = date(2005, 1, 1)
    for code, level, parent in (
        ("NA-D02", "district", "NA"),
        ("NA-D02-C001", "commune", "NA-D02"),
        ("NA-D02-C001-H0001", "clan", "NA-D02-C001"),
    ):
        ledger.register_organisation(
            code,
            name=f"Hội {code}",
            level=level,
            parent_code=parent,
            registered_on=registered,
        )
        codes.append(code)
    ledger.rename("NA-D02", name="Hội Khuyến học huyện mới")
    ledger.open_fund(
        "NA-D02-C001",
        "hoc-bong",
        name="Học bổng",
        restricted=True,
        purpose="scholarships",
    )
    history = History(codes)
    counter = iter(range(1, 10_000))
    disbursed: list[tuple[str, str]] = []
    active = [c for c in codes if c != "NA-D02-C001-H0001"]

    def entries(count: int, first: date, last: date) -> None:
        span = (last - first).days
        for _ in range(count):
            code = rng.choice(active)
            day = date.fromordinal(first.toordinal() + rng.randrange(span + 1))
            n = next(counter)
            amount = rng.randrange(1, 50) * 1_000_000
            campaign = None
            if date(2022, 8, 25) <= day <= date(2022, 10, 2):
                campaign = "NA-THANG-19"
            ledger.receive_donation(
                code,
                voucher_no=f"X-PT-{n}",
                amount=amount,
                business_date=day,
                donor="Nhà hảo tâm",
                campaign=campaign,
            )
            disbursed.append((code, f"X-PC-{n}"))
            ledger.disburse(
                code,
                voucher_no=f"X-PC-{n}",
                amount=amount // 2,
                business_date=day,
                category=rng.choice(["scholarship", "award"]),
                recipients=rng.randrange(1, 5),
                campaign=campaign,
            )
            if n % 4 == 0:
                to = rng.choice([c for c in active if c != code])
                ledger.transfer(
                    code,
                    to_code=to,
                    voucher_no=f"X-CK-{n}",
                    amount=amount // 4,
                    business_date=day,
                )

    ledger.receive_donation(  # what the province gives the new district
        "NA",
        voucher_no="X-PT-NA",
        amount=1_000_000_000,
        business_date=date(2022, 1, 5),
        donor="Công ty B",
    )
    ledger.transfer(
        "NA",
        to_code="NA-D02",
        voucher_no="X-CK-NA-1",
        amount=500_000_000,
        business_date=date(2022, 3, 15),
    )
    ledger.transfer(
        "NA-D02",
        to_code="NA-D02-C001",
        voucher_no="X-CK-D02-1",
        amount=100_000_000,
        business_date=date(2022, 3, 20),
    )
    ledger.receive_donation(
        "NA-D02-C001",
        voucher_no="X-PT-HB-1",
        amount=30_000_000,
        business_date=date(2022, 4, 1),
        fund="hoc-bong",
        donor="Công ty A",
    )
    entries(12, date(2022, 1, 1), date(2022, 12, 31))
    first_round = list(disbursed)
    ledger.transfer(
        "NA",
        to_code="NA-D02",
        voucher_no="X-CK-NA-2",
        amount=200_000_000,
        business_date=date(2022, 4, 10),
    )
    ledger.move(branch, new_parent_code="NA-D02-C001", effective_on=date(2022, 5, 1))
    # Reversals: a seed disbursement and the province's transfer to the new
    # district.
    disbursement = next(e for e in province.entries if e.kind == "disbursement")
    ledger.reverse_entry(disbursement.org_code, disbursement.voucher_no, reason="nhầm")
    ledger.reverse_entry("NA", "X-CK-NA-2", reason="chuyển nhầm")
    entries(12, date(2022, 1, 1), date(2023, 6, 30))
    ledger.move(commune, new_parent_code="NA-D02", effective_on=date(2022, 9, 1))
    for entry in rest:  # the seed's second half, after two moves
        record_entry(ledger, entry)
    for code in (commune, branch, "NA-D02", district):
        ledger.report_membership(code, year=2023, members=rng.randrange(10, 500))
    entries(8, date(2022, 6, 1), date(2024, 6, 30))
    ledger.move(branch, new_parent_code=commune, effective_on=date(2023, 3, 1))
    # Undo two entries recorded before the moves, after them.
    ledger.reverse_entry(*first_round[0], reason="nhầm")
    ledger.reverse_entry(*first_round[-1], reason="nhầm")
    # A seed donation its organisation can still afford to give back.
    donation = next(
        e
        for e in reversed(province.entries)
        if e.kind == "donation" and ledger.balance(e.org_code) >= e.amount_vnd
    )
    ledger.reverse_entry(donation.org_code, donation.voucher_no, reason="trả lại")
    ledger.merge(gone, into_code=absorbing, effective_on=date(2024, 7, 1))
    active.remove(gone)
    ledger.dissolve("NA-D02-C001-H0001", effective_on=date(2024, 1, 1))
    ledger.close_campaign("NA-THANG-19", closed_on=date(2022, 10, 2))
    entries(14, date(2022, 1, 1), date(2024, 12, 31))
    history.moves = [
        n.id
        for n in ledger.recorder.select_notifications(
            start=1, limit=1_000_000, topics=[get_topic(Organisation.Moved)]
        )
    ]
    return history


# ---- the runner in a child process ---------------------------------------------------


def _until_the_server_is_done_with_the_dead(url: str) -> None:
    """A client killed while its COMMIT was on the wire may still see that
    commit happen: PostgreSQL finishes it after the client is gone. Wait until
    no other session of this database is inside a statement or a transaction,
    so that where the read models stand after a kill is where they stay."""
    if not url.startswith("postgresql"):
        return
    engine = create_engine(url)
    try:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            with engine.connect() as conn:
                busy = conn.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = "
                        "current_database() AND backend_type = 'client backend' "
                        "AND pid <> pg_backend_pid() AND state <> 'idle'"
                    )
                ).scalar_one()
            if not busy:
                return
            time.sleep(0.02)
    finally:
        engine.dispose()


class Runner:
    """``RUNNER`` in a child process, and what it has said on stdout."""

    def __init__(
        self, script: Path, url: str, *, pause_at: int = 0, wait: bool = False
    ) -> None:
        self.url = url
        self.stderr_path = script.with_name(f"stderr-{time.monotonic_ns()}.txt")
        args = [sys.executable, str(script), url, str(BATCH), str(pause_at)]
        with self.stderr_path.open("w") as stderr:
            self.process = subprocess.Popen(
                [*args, "--wait"] if wait else args,
                stdin=subprocess.PIPE if wait else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
            )
        self.said: list[list[str]] = []
        self._lines: queue.Queue[str | None] = queue.Queue()
        assert self.process.stdout is not None
        self._reader = threading.Thread(
            target=self._read, args=(self.process.stdout,), daemon=True
        )
        self._reader.start()

    def _read(self, stdout: IO[str]) -> None:
        for line in stdout:
            if line.endswith("\n"):  # not the start of a line a kill cut short
                self._lines.put(line)
        self._lines.put(None)

    def next(self) -> list[str] | None:
        """The next line the child says, as words (None: it has exited)."""
        try:
            line = self._lines.get(timeout=TIMEOUT)
        except queue.Empty:
            raise AssertionError(f"the runner said nothing for {TIMEOUT} s") from None
        if line is None:
            return None
        words = line.split()
        self.said.append(words)
        return words

    def until(self, word: str, count: int = 1) -> bool:
        """Read up to the ``count``-th line that starts with ``word``; False if
        the child exits first."""
        while (words := self.next()) is not None:
            if words[0] == word:
                count -= 1
                if count == 0:
                    return True
        return False

    def go(self) -> None:
        """Let a runner started with ``wait`` catch up."""
        assert self.process.stdin is not None
        self.process.stdin.write("go\n")
        self.process.stdin.close()

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self.finish()
        _until_the_server_is_done_with_the_dead(self.url)

    def finish(self) -> int:
        """Wait for the child to exit and read all it said; its exit code."""
        code = self.process.wait(timeout=TIMEOUT)
        while self.next() is not None:
            pass
        self.close()
        return code

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=TIMEOUT)
        self._reader.join(timeout=TIMEOUT)
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None and not pipe.closed:
                pipe.close()

    def explain(self) -> str:
        """What went wrong with the child, for an assertion's message."""
        said = "\n".join(" ".join(words) for words in self.said[-5:])
        return (
            f"exit code {self.process.poll()}; it last said:\n{said}\n"
            f"stderr:\n{self.stderr_path.read_text()}"
        )

    @property
    def batches(self) -> list[tuple[str, int, int]]:
        """``("begin" | "end", start, stop)`` of every batch, in order."""
        return [
            (words[0], int(words[1]), int(words[2]))
            for words in self.said
            if words[0] in {"begin", "end"}
        ]

    @property
    def committed(self) -> list[tuple[int, int]]:
        return [(start, stop) for word, start, stop in self.batches if word == "end"]

    @property
    def conflicts(self) -> int:
        return sum(words == ["conflict"] for words in self.said)


StartRunner = Callable[..., Runner]


@pytest.fixture
def start_runner(tmp_path: Path, database_url: str) -> Iterator[StartRunner]:
    """Start ``RUNNER`` on the test's database; every child is gone at the end."""
    script = tmp_path / "runner.py"
    script.write_text(RUNNER)
    started: list[Runner] = []

    def start(pause_at: int = 0, *, wait: bool = False) -> Runner:
        runner = Runner(script, database_url, pause_at=pause_at, wait=wait)
        started.append(runner)
        return runner

    yield start
    for runner in started:
        runner.close()


# ---- the tests -----------------------------------------------------------------------


@pytest.fixture
def history(database_url: str) -> History:
    return record_history(database_url)


@pytest.fixture
def ledger(database_url: str, history: History) -> Iterator[Ledger]:
    """A ledger on the database that holds ``history`` (no read models yet)."""
    ledger = Ledger(database_url, today=lambda: TODAY)
    yield ledger
    ledger.close()


@pytest.fixture
def uninterrupted(ledger: Ledger, history: History) -> Uninterrupted:
    return Uninterrupted(ledger, history)


class Kill:
    """A runner killed, and where the read models stood afterwards."""

    def __init__(self, mode: str, runner: Runner, resumed_at: int) -> None:
        self.mode = mode
        batches = runner.batches
        self.last_batch = batches[-1] if batches else None
        """What the runner last said of a batch before it died."""
        self.resumed_at = resumed_at
        """The read models' position after the kill (``position()`` refuses
        to answer if they are out of step)."""
        self.ran_out = runner.said[-1][0] == "done"
        """The runner had finished before the kill came."""

    def check(self, started_at: int, *, paused: bool) -> None:
        """Every batch the runner committed stayed; nothing of the others."""
        last = self.last_batch
        if last is None:
            assert self.resumed_at == started_at
        elif last[0] == "end":
            assert self.resumed_at == last[2]
        elif paused:  # it slept inside the batch's transaction
            assert self.resumed_at == last[1]
        else:  # killed inside the batch, or between its commit and saying so
            assert self.resumed_at in {last[1], last[2]}

    @property
    def inside_a_transaction(self) -> bool:
        """It died after a batch began and before it committed."""
        return (
            self.last_batch is not None
            and self.last_batch[0] == "begin"
            and self.resumed_at == self.last_batch[1]
        )

    def __str__(self) -> str:
        where = "inside a batch" if self.inside_a_transaction else "between batches"
        return f"{self.mode}: {where}, resumed at {self.resumed_at}"


def test_a_runner_killed_at_random_ends_as_an_uninterrupted_run(
    ledger: Ledger,
    history: History,
    start_runner: StartRunner,
    uninterrupted: Uninterrupted,
) -> None:
    rng = random.Random(SEED)
    live = ReadModels(ledger)
    head = live.head()
    relevant = [
        n.id
        for n in ledger.recorder.select_notifications(
            start=1, limit=head, topics=TOPICS
        )
    ]
    assert len(history.moves) == 3
    assert all(relevant[0] < move < relevant[-1] for move in history.moves)
    moves = list(history.moves)
    position, kills = 0, []
    for mode in [KILLS[0], *rng.sample(KILLS[1:], len(KILLS) - 1)]:
        ahead = [p for p in relevant if p > position]
        pause_at = 0
        if mode == "first":
            pause_at = ahead[0]  # inside the batch that inserts the tracking rows
        elif mode == "move":  # inside the next move's batch, after its re-count
            pause_at = next((m for m in moves if m > position), 0)
            if pause_at:
                moves.remove(pause_at)
        if mode == "move" and not pause_at:  # passed them all: anywhere ahead
            pause_at = rng.choice(ahead[: max(1, len(ahead) // 2)])
        runner = start_runner(pause_at)
        assert runner.until("ready"), runner.explain()
        assert runner.said[-1] == ["ready", str(position), str(head)]
        if pause_at:
            assert runner.until("inside"), runner.explain()
        elif mode == "between":  # right after a commit (or in the next batch)
            runner.until("end", rng.randint(1, max(1, len(ahead) // (3 * BATCH))))
        else:  # at a random moment once it is under way
            runner.until("end")
            time.sleep(rng.uniform(0.0, 0.2))
        runner.kill()
        kill = Kill(mode, runner, live.position())
        kill.check(position, paused=bool(pause_at))
        kills.append(kill)
        position = kill.resumed_at
        if position == head:
            break

    runner = start_runner()
    assert runner.finish() == 0, runner.explain()
    assert runner.said[0] == ["ready", str(position), str(head)]
    assert runner.said[-1] == ["done", str(head)]
    logger.info("kills: %s", "; ".join(str(kill) for kill in kills))
    # A timed kill may come after the runner finished; the others cannot.
    assert sum(not kill.ran_out for kill in kills) >= len(KILLS) - 2
    assert sum(kill.inside_a_transaction for kill in kills) >= 4  # the paused ones
    assert live.position() == head
    uninterrupted.assert_same(live)


def test_two_runners_at_once_apply_each_batch_exactly_once(
    ledger: Ledger, start_runner: StartRunner, uninterrupted: Uninterrupted
) -> None:
    """Two processes catch up the same read models at the same moment."""
    live = ReadModels(ledger)
    head = live.head()
    runners = [start_runner(wait=True), start_runner(wait=True)]
    for runner in runners:
        assert runner.until("ready"), runner.explain()
    for runner in runners:
        runner.go()
    for runner in runners:
        assert runner.finish() == 0, runner.explain()
        assert runner.said[-1] == ["done", str(head)]
    # The batches they committed follow each other from 0 to the head: none
    # missing, none applied twice.
    committed = sorted(batch for runner in runners for batch in runner.committed)
    assert [start for start, _ in committed] == [0] + [s for _, s in committed[:-1]]
    assert committed[-1][1] == head
    logger.info(
        "two processes: %s batches committed, %s conflicts",
        [len(runner.committed) for runner in runners],
        [runner.conflicts for runner in runners],
    )
    assert live.position() == head
    uninterrupted.assert_same(live)


# ---- comparing with an uninterrupted run ---------------------------------------------


class Uninterrupted:
    """Read models caught up in one go (tables ``ref_…``), to compare with."""

    def __init__(self, ledger: Ledger, history: History) -> None:
        self.ledger = ledger
        self.history = history
        self._journal: list[tuple[Any, ...]] = []
        self._answers: dict[str, object] = {}

    def assert_same(self, live: ReadModels) -> None:
        """``live`` equals a rebuild row by row, and has the same journal and
        the same answers to every question as the uninterrupted run."""
        result = verify(live)
        shown = "\n".join(str(d) for d in result.differences[:20])
        assert result.clean, f"{len(result.differences)} differences:\n{shown}"
        assert result.position == live.head()

        if not self._answers:
            reference = ReadModels(self.ledger, prefix="ref_")
            assert reference.catch_up() == reference.head()
            self._journal = journal(reference)
            self._answers = answers(Queries(reference), self.history)
        assert journal(live) == self._journal
        ours, theirs = answers(Queries(live), self.history), self._answers
        differing = [key for key in theirs if ours[key] != theirs[key]]
        first = "\n".join(f"{k}: {ours[k]} != {theirs[k]}" for k in differing[:10])
        assert not differing, f"{len(differing)} answers differ:\n{first}"
        province = ours["summary NA 2022 True"]
        assert isinstance(province, YearSummary)
        assert province.raised_vnd > 0
        assert province.recipients > 0


def journal(read_models: ReadModels) -> list[tuple[Any, ...]]:
    """Every journal row, in key order."""
    lines = read_models.journal.lines
    with read_models.engine.connect() as conn:
        rows = conn.execute(select(lines).order_by(lines.c.position, lines.c.line_no))
        found = [tuple(row) for row in rows]
        count = conn.execute(select(func.count()).select_from(lines)).scalar_one()
    assert len(found) == count > 0
    return found


def answers(queries: Queries, history: History) -> dict[str, object]:
    """Balances, yearly summaries and campaign totals of every organisation."""
    found: dict[str, object] = {}
    for code in history.codes:
        for subtree in (False, True):
            found[f"balance {code} {subtree}"] = queries.balance(code, subtree=subtree)
            for year in YEARS:
                found[f"summary {code} {year} {subtree}"] = queries.summary(
                    code, year, subtree=subtree
                )
        for campaign in CAMPAIGNS:
            found[f"{campaign} {code}"] = queries.campaign_totals(campaign, org=code)
    for campaign in CAMPAIGNS:
        found[campaign] = queries.campaign_totals(campaign)
    return found
