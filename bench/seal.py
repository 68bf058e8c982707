"""Sealing, checking the seals and replaying, on the Nghệ An-shaped history.

Imports ``bench.seed.NgheAn2022(scale)`` into a fresh database (the
``khuyenhoc import`` code path), then times:

- the first **seal** of the whole log (``SealedLog.seal``: every event read,
  hashed and linked);
- **verify** of the chain (``SealedLog.verify``: every event and link read
  and rehashed, every seal compared);
- **replay** of the whole log into a fresh database (copy, then the read
  models' rebuild), and the copy alone.

    python -m bench.seal [--scale 0.3] [--dir var/bench/seal] [--url URL]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

from api.books.csv_import import Importer
from api.ops.replay import replay
from bench.seed import NgheAn2022
from ledger import Ledger
from ledger.seals import SealedLog
from projections import ReadModels


def run(args: argparse.Namespace) -> int:
    base = Path(args.dir)
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    url = args.url or f"sqlite:///{base / 'ledger.sqlite3'}"
    target = args.target or f"sqlite:///{base / 'replay.sqlite3'}"
    ledger = Ledger(url)
    try:
        files = NgheAn2022(scale=args.scale).write_csv(base / "csv")
        started = time.perf_counter()
        Importer(ledger, on_error=print).run(files)
        print(f"imported in {time.perf_counter() - started:.1f} s")
        log = SealedLog(ledger)
        events = log.head()
        started = time.perf_counter()
        seals = log.seal()
        sealing = time.perf_counter() - started
        started = time.perf_counter()
        check = log.verify()
        verifying = time.perf_counter() - started
        assert check.clean, check  # noqa: S101 -- a benchmark's own sanity check
    finally:
        ledger.close()
    print(f"database: {url.split(':', 1)[0]}, {events:,} events, {len(seals)} seals")
    print(f"seal:   {sealing:6.1f} s  {events / sealing:>9,.0f} events/s")
    print(f"verify: {verifying:6.1f} s  {events / verifying:>9,.0f} events/s")
    if not args.no_replay:
        times: list[float] = []

        def rebuild(read_models: ReadModels) -> int:
            times.append(time.perf_counter())
            return read_models.rebuild()

        started = time.perf_counter()
        replay(url, target, events, rebuild=rebuild)
        total = time.perf_counter() - started
        copying = times[0] - started
        print(f"replay: {total:6.1f} s  {events / total:>9,.0f} events/s")
        print(f"  copy: {copying:6.1f} s  {events / copying:>9,.0f} events/s")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=0.3)
    parser.add_argument("--dir", default="var/bench/seal")
    parser.add_argument("--url", help="an empty database instead of a fresh SQLite")
    parser.add_argument("--target", help="an empty database to replay into")
    parser.add_argument("--no-replay", action="store_true")
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
