"""CSV import at full scale: its rate against raw SQLite inserts of the same rows.

Writes the Nghệ An-shaped CSV set (``bench.seed.NgheAn2022(scale).write_csv``:
at scale 1, 15,910 organisations and membership reports, 2 campaigns and
55,632 entries) and, in one run:

- **imports** it into a fresh database with the ``khuyenhoc import`` code
  path (``api.books.csv_import.Importer``: every row checked and sent as its
  ``Ledger`` command inside one ``Ledger.batch()`` transaction), then catches
  the read models up (as ``khuyenhoc import`` does): rows/s and entries/s,
  with the read models caught up;
- **raw baseline**: the same CSV rows, read with the ``csv`` module and
  inserted with the bare ``sqlite3`` driver into four plain tables (one TEXT
  column per CSV column), ``executemany`` in batches of 1,000, one
  transaction, WAL and ``synchronous=FULL`` like the ledger: the ratio is the
  import's rate over this one;
- a second baseline: the event rows the import stored, inserted the same way
  into a table shaped like ``ledger_events`` (what the import writes, at the
  driver's speed);
- with ``--profile``, where the import's time goes (cProfile's own time,
  grouped by layer);
- the article's figures on the province's 2022 summary.

With ``--entries N`` it imports instead the organisations and a synthetic
entries file of N rows (gifts and payments over those organisations, in date
order), to show that memory stays bounded on a big file (peak RSS).

    python -m bench.import_rate [--scale 1.0] [--dir var/bench/import] [--profile]
    python -m bench.import_rate --entries 1000000
    python -m bench.import_rate --url 'postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dbench_import'
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import os
import platform
import pstats
import resource
import shutil
import sqlite3
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import metadata
from pathlib import Path
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.engine import make_url

from api.books.csv_import import Importer
from api.bootstrap import open_core
from api.cli.read_model_progress import CATCH_UP_BATCH
from bench.seed import ARTICLE, NgheAn2022
from projections.answers import YearSummary

RAW_BATCH = 1_000


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def synthetic_entries(orgs: list[str], rows: int, path: Path) -> Path:
    """``rows`` entries over ``orgs``, in date order: per organisation a gift,
    then a payment of half of it, and so on (balances never go negative)."""
    columns = "org_code,voucher_no,kind,date,amount_vnd,fund,campaign_code,"
    columns += "counterparty,category,recipients,note"
    start = date(2022, 1, 1)
    per_day = max(1, rows // 360)
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(columns.split(","))
        for n in range(rows):
            org = orgs[n % len(orgs)]
            turn = n // len(orgs)
            day = (start + timedelta(days=n // per_day)).isoformat()
            if turn % 2 == 0:
                row = [
                    org,
                    f"PT-{turn:07d}",
                    "donation",
                    day,
                    "2000000",
                    "",
                    "",
                    "Nguyễn Văn An",
                    "cash",
                    "",
                    "",
                ]
            else:
                row = [
                    org,
                    f"PC-{turn:07d}",
                    "disbursement",
                    day,
                    "1000000",
                    "",
                    "",
                    "",
                    "scholarship",
                    "2",
                    "",
                ]
            writer.writerow(row)
    return path


def raw_csv_insert(files: list[Path], target: Path) -> tuple[int, float]:
    """Insert every CSV row into plain tables with the bare driver."""
    target.unlink(missing_ok=True)
    started = time.perf_counter()
    rows = 0
    lite = sqlite3.connect(target, isolation_level=None)
    lite.execute("PRAGMA journal_mode=WAL")
    lite.execute("PRAGMA synchronous=FULL")
    lite.execute("BEGIN")
    for path in files:
        with path.open(encoding="utf-8-sig", newline="") as file:
            reader = csv.reader(file)
            header = next(reader)
            table = path.stem.replace("-", "_")
            lite.execute(f"CREATE TABLE {table} ({', '.join(header)})")
            insert = f"INSERT INTO {table} VALUES ({', '.join('?' * len(header))})"
            while batch := [
                row for _, row in zip(range(RAW_BATCH), reader, strict=False)
            ]:
                lite.executemany(insert, batch)
                rows += len(batch)
    lite.execute("COMMIT")
    lite.close()
    return rows, time.perf_counter() - started


def raw_event_insert(url: str, target: Path) -> tuple[int, float]:
    """Insert the event rows the import stored, in a table shaped like theirs."""
    target.unlink(missing_ok=True)
    lite = sqlite3.connect(target, isolation_level=None)
    lite.execute("PRAGMA journal_mode=WAL")
    lite.execute("PRAGMA synchronous=FULL")
    lite.execute(
        "CREATE TABLE events (id INTEGER PRIMARY KEY, originator_id BLOB NOT NULL, "
        "originator_version INTEGER NOT NULL, topic TEXT NOT NULL, state BLOB NOT "
        "NULL)"
    )
    lite.execute(
        "CREATE UNIQUE INDEX events_aggregate ON events (originator_id, "
        "originator_version)"
    )
    insert = (
        "INSERT INTO events (originator_id, originator_version, topic, state) "
        "VALUES (?, ?, ?, ?)"
    )
    select = text(
        "SELECT id, originator_id, originator_version, topic, state "
        "FROM ledger_events WHERE id > :after ORDER BY id LIMIT :limit"
    )
    rows, seconds, after = 0, 0.0, 0
    with open_core(url) as services, services.read_models.engine.connect() as c:
        while found := c.execute(select, {"after": after, "limit": 50_000}).all():
            after = found[-1][0]
            batch = [(_id(r[1]), r[2], r[3], bytes(r[4])) for r in found]
            started = time.perf_counter()  # only the inserts are timed
            lite.execute("BEGIN")
            for start in range(0, len(batch), RAW_BATCH):
                lite.executemany(insert, batch[start : start + RAW_BATCH])
            lite.execute("COMMIT")
            seconds += time.perf_counter() - started
            rows += len(batch)
    lite.close()
    return rows, seconds


def _id(value: object) -> bytes:
    """An aggregate id as 16 bytes (SQLite stores them so; PostgreSQL's are UUIDs)."""
    return value.bytes if isinstance(value, UUID) else bytes(value)  # type: ignore[call-overload]


def layers(profile: cProfile.Profile) -> list[tuple[str, float]]:
    """Where an import's time goes: the cumulative time of its main steps,
    as shares of the whole run (the commands' share is what is left of them
    once their look-ups and writes are taken out)."""
    stats = pstats.Stats(profile)
    cumulative: defaultdict[str, float] = defaultdict(float)
    for (filename, _, name), row in stats.stats.items():  # type: ignore[attr-defined]
        cumulative[f"{Path(filename).parent.name}/{Path(filename).name}:{name}"] += row[
            3
        ]
    total = cumulative["csv_import/importer.py:run"]
    reading = sum(
        cumulative[key]
        for key in (
            "csv_import/reader.py:rows",
            "csv_import/rows.py:parse",
            "csv_import/importer.py:_in_order",
            "csv_import/importer.py:_report_duplicates",
        )
    )
    looking_up = cumulative["ledger/bulk.py:first_event"]
    loading = cumulative["ledger/bulk.py:get"]
    writing = cumulative["ledger/bulk.py:write"]
    commands = cumulative["csv_import/commands.py:record"]
    steps = [
        ("reading and checking the rows (csv, cells, date order)", reading),
        ("is this voucher / organisation new? (creation-event look-ups)", looking_up),
        ("loading organisations and campaigns", loading),
        ("writing events and snapshots (mapper, JSON, executemany)", writing),
        (
            "the Ledger's commands and domain rules (the rest of each command)",
            commands - looking_up - loading - writing,
        ),
    ]
    steps.append(
        ("other (progress, the batch's transaction)", total - sum(t for _, t in steps))
    )
    return [(step, seconds / total) for step, seconds in steps]


@dataclass
class Measured:
    url: str
    scale: float
    rows: int
    entry_rows: int
    synthetic: bool
    events: int = 0
    import_seconds: float = 0.0
    import_rss: float = 0.0
    catch_up_seconds: float = 0.0
    catch_up_rss: float = 0.0
    cpu: float = 0.0
    raw_rows: int = 0
    raw_seconds: float = 0.0
    raw_events: int = 0
    raw_event_seconds: float = 0.0
    layers: list[tuple[str, float]] = field(default_factory=list)
    summary: YearSummary | None = None
    errors: list[str] = field(default_factory=list)


def measure(args: argparse.Namespace) -> Measured:
    work = Path(args.dir)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    seed = NgheAn2022(scale=args.scale)
    files = seed.write_csv(work / "csv")
    if args.entries:
        orgs = [org.code for org in seed.organisations]
        files = [files[0], synthetic_entries(orgs, args.entries, work / "big.csv")]
    url = args.url or f"sqlite:///{work / 'import.sqlite3'}"
    rows = sum(1 for path in files for _ in path.open(encoding="utf-8")) - len(files)
    m = Measured(
        url, args.scale, rows, args.entries or len(seed.entries), bool(args.entries)
    )

    progress(f"importing {rows:,} rows into {make_url(url).get_backend_name()}")
    profile = cProfile.Profile() if args.profile else None
    with open_core(url) as services:
        importer = Importer(services.ledger, on_error=lambda e: m.errors.append(str(e)))
        cpu, started = time.process_time(), time.perf_counter()
        if profile:
            profile.enable()
        m.events = importer.run(files).events
        if profile:
            profile.disable()
            m.layers = layers(profile)
        m.import_seconds = time.perf_counter() - started
        m.import_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        progress(f"imported in {m.import_seconds:.1f} s; catching the read models up")
        started = time.perf_counter()
        services.read_models.catch_up(batch_size=CATCH_UP_BATCH)
        m.catch_up_seconds = time.perf_counter() - started
        m.catch_up_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        m.cpu = time.process_time() - cpu
        if not args.entries:
            m.summary = services.queries.summary("NA", 2022, subtree=True)
    if not m.errors:
        progress("raw inserts of the same rows")
        m.raw_rows, m.raw_seconds = raw_csv_insert(files, work / "raw-csv.sqlite3")
        m.raw_events, m.raw_event_seconds = raw_event_insert(
            url, work / "raw-events.sqlite3"
        )
    return m


def report(m: Measured) -> None:
    total = m.import_seconds + m.catch_up_seconds
    rate, raw_rate = m.rows / total, m.raw_rows / m.raw_seconds
    what = f"{m.entry_rows:,} synthetic entries" if m.synthetic else f"scale {m.scale}"
    print(f"### Import, {what} ({make_url(m.url).get_backend_name()})\n")
    print("| machine | |\n|---|---|")
    print(f"| nproc | {os.cpu_count()} |")
    print(f"| load average at the end | {os.getloadavg()[0]:.1f} |")
    print(f"| Python | {platform.python_version()} |")
    for package in ("eventsourcing", "eventsourcing-sqlalchemy", "SQLAlchemy"):
        print(f"| {package} | {metadata.version(package)} |")
    print(f"| SQLite | {sqlite3.sqlite_version} |")
    print(
        f"| peak RSS: after the import / after catching up | {m.import_rss:,.0f} MB "
        f"/ {m.catch_up_rss:,.0f} MB |"
    )
    print(
        f"\nImport set: {m.rows:,} rows ({m.entry_rows:,} entries) → "
        f"{m.events:,} events.\n"
    )
    print("| measure | result |\n|---|---:|")
    print(f"| import (checked, written, committed) | {m.import_seconds:.1f} s |")
    print(f"| read models caught up | {m.catch_up_seconds:.1f} s |")
    print(f"| CPU time of both | {m.cpu:.1f} s |")
    print(
        f"| **import rate, read models caught up** | **{rate:,.0f} rows/s** "
        f"({m.entry_rows / total:,.0f} entries/s) |"
    )
    print(
        f"| import alone | {m.rows / m.import_seconds:,.0f} rows/s, "
        f"{m.events / m.import_seconds:,.0f} events/s |"
    )
    print(
        f"| raw SQLite inserts of the same CSV rows | {raw_rate:,.0f} rows/s "
        f"({m.raw_seconds:.2f} s) |"
    )
    print(f"| **ratio: import ÷ raw** | **{rate / raw_rate:.1%}** |")
    print(
        f"| raw SQLite inserts of the {m.raw_events:,} event rows the import "
        f"stored | {m.raw_events / m.raw_event_seconds:,.0f} events/s "
        f"({m.raw_event_seconds:.2f} s) |"
    )
    if m.layers:
        print("\nWhere the import's time goes (cProfile, cumulative time of each")
        print("step; the profiler itself slows the run down):\n")
        print("| step | share |\n|---|---:|")
        for step, share in m.layers:
            print(f"| {step} | {share:.0%} |")
    if m.summary is not None:
        s = m.summary
        print(
            f"\nProvince 2022 (subtree): raised {s.raised_vnd:,}; disbursed "
            f"{s.disbursed_vnd:,}; recipients {s.recipients:,}; per capita "
            f"{s.per_capita_vnd}; member ratio {s.member_ratio}."
        )


def run(args: argparse.Namespace) -> int:
    m = measure(args)
    if m.errors:
        print("\n".join(m.errors[:20]), file=sys.stderr)
        return 1
    report(m)
    if m.summary is None:
        return 0
    found = (m.summary.raised_vnd, m.summary.disbursed_vnd, m.summary.recipients)
    return 0 if found == (ARTICLE.raised_vnd, ARTICLE.disbursed_vnd, 218_000) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--dir", default="var/bench/import")
    parser.add_argument("--url", help="an empty database instead of a fresh SQLite")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--entries", type=int, help="a synthetic entries file")
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
