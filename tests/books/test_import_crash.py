"""An import killed half-way (SIGKILL) leaves nothing of its files behind, and
running it again completes: on SQLite and PostgreSQL.

A child process imports a Nghệ An-shaped set big enough that, half-way
through its rows, several chunks of events have been written inside the
import's transaction (the child says how many, reading through that very
transaction). It then waits to be killed; the test kills it with SIGKILL.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from api.books.csv_import import Importer
from bench.seed import ARTICLE, NgheAn2022
from ledger import Ledger
from projections import Queries, ReadModels
from projections.verify import verify
from tests.conftest import TODAY
from tests.processes import read_line

SCALE = 0.03
"""About 480 organisations and 1,700 entries: some 5,000 events."""
TIMEOUT = 60

CHILD = """\
import sys
import time
from pathlib import Path

from api.books.csv_import import Importer
from ledger import Ledger

url, pause_at, *files = sys.argv[1:]
ledger = Ledger(url)


def progress(done):
    if done == int(pause_at):
        # Read through the import's own transaction: what it has written so far.
        print(f"written {ledger.recorder.max_notification_id() or 0}", flush=True)
        time.sleep(600)


Importer(ledger, on_error=print, progress=progress).run([Path(f) for f in files])
print("finished", flush=True)
"""


def test_an_import_killed_half_way_leaves_nothing_and_runs_again(
    database_url: str, tmp_path: Path
) -> None:
    files = NgheAn2022(scale=SCALE).write_csv(tmp_path / "csv")
    rows = sum(len(path.read_text(encoding="utf-8").splitlines()) - 1 for path in files)
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            CHILD,
            database_url,
            str(rows * 3 // 4),
            *map(str, files),
        ],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path.cwd())},
    )
    try:
        assert child.stdout is not None
        said = read_line(child.stdout, TIMEOUT, what="the killed import").split()
        assert said[0] == "written"
        assert int(said[1]) >= 2_000  # a chunk or more written, not committed
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(TIMEOUT)
        if child.stdout is not None:
            child.stdout.close()
    assert child.returncode == -signal.SIGKILL

    ledger = Ledger(database_url, today=lambda: TODAY)
    try:
        assert ledger.recorder.max_notification_id() in (None, 0)
        assert not ledger.recorder.select_notifications(start=1, limit=1)

        report = Importer(ledger, on_error=print).run(files)

        assert report.committed
        # (On PostgreSQL the killed transaction's ids are gone: positions skip.)
        logged = ledger.recorder.select_notifications(start=1, limit=1_000_000)
        assert report.events == len(logged)
        read_models = ReadModels(ledger)
        read_models.catch_up()
        province = Queries(read_models).summary("NA", 2022, subtree=True)
        assert province.raised_vnd == ARTICLE.raised_vnd
        assert province.disbursed_vnd == ARTICLE.disbursed_vnd
        assert verify(read_models).clean
    finally:
        ledger.close()
