"""Power cut inside a commit, on SQLite: a writer process is killed (SIGKILL)
at a random moment inside one of its commits, again and again.

The writer records donations, and every few writes catches the read models
up and seals both logs — so kills land in the commits of events, read models,
seals and links alike. Just before each commit reaches the database it says
so on a pipe; the parent waits for a random one of the next few commits,
then a random 0 to 3 ms more (a commit with ``synchronous=FULL`` takes a few
ms: its journal, its fsyncs), and kills it. The writer reports a voucher
number only once ``receive_donation`` has returned: that is an acknowledged
write.

After every kill the ledger is reopened and checked: ``PRAGMA
integrity_check`` is ``ok``, both sealed logs verify clean, and every
acknowledged voucher is in the log. At the end, the read models equal a
rebuild.

    python -m bench.kill_in_commit [--kills 500] [--dir var/bench/kill]

``tests/integration/test_machine_faults.py`` runs it with a few dozen
kills; ``docs/security.md`` has the counts of a long run.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import select
import signal
import sqlite3
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine, event, text

from api.ops.demo import load_demo
from ledger import Ledger
from ledger.seals import sealed_logs
from projections import ReadModels
from projections.verify import verify

COMMUNE = "NA-DC-DH"
COMMIT = b"!\n"
"""What the writer says just before a commit."""


@dataclass(frozen=True, slots=True)
class KillOutcome:
    kills: int
    acknowledged: int
    found: int
    """Acknowledged writes found in the log after the kills (must equal)."""
    recorded: int
    """Donations in the log (acknowledged, plus those killed after their
    commit but before the writer could say so)."""
    problems: tuple[str, ...]

    @property
    def clean(self) -> bool:
        return not self.problems and self.found == self.acknowledged


def prepare(path: Path) -> str:
    """A fresh SQLite ledger with the demo province (the writer's organisations)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for leftover in (path, *path.parent.glob(f"{path.name}-*")):
        leftover.unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    ledger = Ledger(url)
    try:
        load_demo(ledger)
        ReadModels(ledger).catch_up()
    finally:
        ledger.close()
    return url


def run(path: Path, kills: int, seed: int = 0) -> KillOutcome:
    url = prepare(path)
    rng = random.Random(seed)
    acknowledged: list[str] = []
    problems: list[str] = []
    context = multiprocessing.get_context("fork")
    for round_no in range(kills):
        reader, writer = os.pipe()
        child = context.Process(target=_write, args=(url, round_no, writer))
        child.start()
        os.close(writer)
        lines = _kill_inside_a_commit(child.pid, reader, rng)
        child.join()
        if child.exitcode != -signal.SIGKILL:
            problems.append(f"kill {round_no + 1}: the writer stopped by itself")
        os.close(reader)
        acknowledged.extend(lines)
        problems.extend(f"kill {round_no + 1}: {p}" for p in check(path, acknowledged))
    recorded, found = _count(path, acknowledged)
    ledger = Ledger(url)
    try:
        read_models = ReadModels(ledger)
        read_models.catch_up()
        result = verify(read_models)
        if not result.clean:
            problems.append(f"read models: {len(result.differences)} differences")
    finally:
        ledger.close()
    return KillOutcome(kills, len(acknowledged), found, recorded, tuple(problems))


def check(path: Path, acknowledged: list[str]) -> list[str]:
    """What is wrong with the ledger after a kill (empty: nothing)."""
    problems: list[str] = []
    with sqlite3.connect(path) as conn:
        (verdict,) = conn.execute("PRAGMA integrity_check").fetchone()
    if verdict != "ok":
        problems.append(f"integrity_check: {verdict}")
    ledger = Ledger(f"sqlite:///{path}")
    try:
        for log in sealed_logs(ledger):
            found = log.verify()
            if not found.clean:
                problems.append(f"{log.log}: {found.findings} {found.problems}")
    finally:
        ledger.close()
    _, found_count = _count(path, acknowledged)
    if found_count != len(acknowledged):
        problems.append(f"{len(acknowledged) - found_count} acknowledged writes lost")
    return problems


def _count(path: Path, acknowledged: list[str]) -> tuple[int, int]:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            states = [
                bytes(s)
                for s in conn.execute(
                    text(
                        "SELECT state FROM ledger_events "
                        "WHERE topic LIKE '%DonationReceived'"
                    )
                ).scalars()
            ]
    finally:
        engine.dispose()
    joined = b"\n".join(states)
    found = sum(1 for v in acknowledged if f'"{v}"'.encode() in joined)
    return len(states), found


def _kill_inside_a_commit(
    pid: int | None, reader: int, rng: random.Random
) -> list[str]:
    """Read the writer's pipe; kill it a random 0 to 3 ms into a random one of
    its next commits. Returns the vouchers it acknowledged."""
    assert pid is not None  # noqa: S101 -- a started process
    target = rng.randint(1, 12)
    commits = 0
    buffer = b""
    killed = False
    deadline = time.monotonic() + 30
    while True:
        ready, _, _ = select.select([reader], [], [], 1.0)
        if not ready:
            if time.monotonic() > deadline:  # a writer that never commits
                os.kill(pid, signal.SIGKILL)
                killed = True
            continue
        chunk = os.read(reader, 65536)
        if not chunk:  # the writer is gone
            break
        buffer += chunk
        if not killed:
            commits += chunk.count(COMMIT)
            if commits >= target:
                time.sleep(rng.uniform(0, 0.003))
                os.kill(pid, signal.SIGKILL)
                killed = True
    return [line[1:].decode() for line in buffer.split(b"\n") if line[:1] == b"+"]


def _write(url: str, round_no: int, pipe: int) -> None:
    """The writer (a forked process): record until killed."""
    ledger = Ledger(url)
    read_models = ReadModels(ledger)
    logs = sealed_logs(ledger)
    engines = {read_models.engine, logs[0].engine}

    def say_commit(*_args: object) -> None:
        os.write(pipe, COMMIT)

    for engine in engines:
        event.listen(engine, "commit", say_commit)
    n = 0
    while True:
        voucher = f"PT-K-{round_no}-{n}"
        ledger.receive_donation(
            COMMUNE,
            voucher_no=voucher,
            amount=1_000 + n,
            business_date=date(2024, 1, 2),
        )
        os.write(pipe, f"+{voucher}\n".encode())
        n += 1
        if n % 3 == 0:
            read_models.catch_up()
            for log in logs:
                log.seal()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=500)
    parser.add_argument("--dir", default="var/bench/kill")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    outcome = run(Path(args.dir) / "ledger.sqlite3", args.kills, args.seed)
    seconds = time.perf_counter() - started
    print(
        f"{outcome.kills} kills inside commits in {seconds:.0f} s: "
        f"{outcome.acknowledged} writes acknowledged, {outcome.found} found, "
        f"{outcome.recorded} donations in the log; "
        f"{'clean' if outcome.clean else 'PROBLEMS'}"
    )
    for problem in outcome.problems[:20]:
        print(problem)
    return 0 if outcome.clean else 1


if __name__ == "__main__":
    sys.exit(main())
