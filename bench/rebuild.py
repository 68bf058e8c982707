"""Read models at full scale: rebuild speed and the province summary's cost.

Records a Nghệ An-shaped province-year (``bench.seed.NgheAn2022``, scale 1:
15,910 organisations, ~55,600 entries) through the ``Ledger`` — or reuses a
database that already holds it — then measures, in the same run:

- **rebuild**: ``ReadModels.rebuild()`` (drop, replay the whole log in
  batches), in events/s, against a raw ``SELECT`` of the very rows it reads
  (the same columns, topics and order) with the bare driver: the ratio says
  what applying the events costs beyond reading them;
- **the province's 2022 subtree summary** (``Queries.summary``), median of
  repeated calls, with the read models caught up to the first 10,000 log
  entries of the log and then to the whole log; as a baseline, the same figure
  computed by scanning the journal of the province's subtree (what a read
  model without roll-ups would do);
- the checks of the article's figures on the province's 2022 summary, and
  ``verify``.

Prints a Markdown report to stdout and progress to stderr.

    python -m bench.rebuild [--db var/bench/nghe-an-2022.sqlite3] [--scale 1.0]
    python -m bench.rebuild --url 'postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dbench_rebuild'
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bench.seed import ARTICLE, NgheAn2022
from ledger import Ledger
from projections import Queries, ReadModels
from projections.answers import YearSummary
from projections.runner import TOPICS
from projections.verify import verify

SMALL_HISTORY = 10_000
"""Entries in the smaller history (the first ones of the log)."""
ENTRY_TOPICS = tuple(
    topic
    for topic in TOPICS
    for kind in ("DonationReceived", "DisbursementPaid", "TransferSent")
    if topic.endswith(f".{kind}")
)
QUERY_REPEATS = 200
TODAY = date(2026, 1, 1)
SUBTREE_SCAN = """
WITH RECURSIVE subtree(org_id) AS (
    SELECT org_id FROM rm_organisations WHERE code = :code
    UNION ALL
    SELECT o.org_id FROM rm_organisations o JOIN subtree s ON o.parent_id = s.org_id
)
SELECT
    SUM(CASE WHEN kind = 'donation' THEN amount ELSE 0 END),
    SUM(CASE WHEN kind = 'disbursement' THEN amount ELSE 0 END),
    SUM(CASE WHEN kind = 'disbursement' THEN recipients ELSE 0 END)
FROM rm_journal WHERE org_id IN (SELECT org_id FROM subtree)
  AND flow_date BETWEEN :start AND :end
"""


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def median_ms(call: Callable[[], object], repeats: int = QUERY_REPEATS) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def record(url: str, scale: float) -> tuple[Ledger, NgheAn2022, float | None]:
    ledger = Ledger(url, today=lambda: TODAY)
    seed = NgheAn2022(scale=scale)
    if ledger.recorder.max_notification_id():
        progress("reusing the recorded province-year in the database")
        return ledger, seed, None
    started = time.perf_counter()
    seed.record(
        ledger,
        progress=lambda done, total: progress(f"recorded {done:,}/{total:,} commands"),
    )
    return ledger, seed, time.perf_counter() - started


def raw_select_seconds(url: str) -> tuple[int, float]:
    """Read the rows a rebuild reads, with the bare driver: (rows, seconds)."""
    parsed = make_url(url)
    topics = ", ".join(f"'{topic}'" for topic in TOPICS)
    query = (
        "SELECT id, originator_id, originator_version, topic, state "
        f"FROM ledger_events WHERE topic IN ({topics}) ORDER BY id"
    )
    started = time.perf_counter()
    rows = 0
    if parsed.get_backend_name() == "sqlite":
        with sqlite3.connect(str(parsed.database)) as lite:
            found = lite.execute(query)
            while batch := found.fetchmany(5_000):
                rows += len(batch)
    else:
        conninfo = parsed.set(drivername="postgresql").render_as_string(
            hide_password=False
        )
        with psycopg.connect(conninfo) as pg, pg.cursor() as cursor:
            cursor.execute(query)
            while chunk := cursor.fetchmany(5_000):
                rows += len(chunk)
    return rows, time.perf_counter() - started


def position_of_entry(read_models: ReadModels, number: int) -> int:
    """The log position of the ``number``-th entry (or the head, if fewer)."""
    topics = ", ".join(f"'{topic}'" for topic in ENTRY_TOPICS)
    with read_models.engine.connect() as conn:
        found = conn.execute(
            text(
                f"SELECT id FROM ledger_events WHERE topic IN ({topics}) "
                "ORDER BY id LIMIT 1 OFFSET :skip"
            ),
            {"skip": number - 1},
        ).scalar()
    return int(found) if found is not None else read_models.head()


def scan_summary(read_models: ReadModels, code: str) -> Any:
    with read_models.engine.connect() as conn:
        return conn.execute(
            text(SUBTREE_SCAN),
            {"code": code, "start": date(2022, 1, 1), "end": date(2022, 12, 31)},
        ).one()


@dataclass
class Results:
    url: str
    scale: float
    seed: NgheAn2022
    head: int
    record_seconds: float | None
    raw_rows: int = 0
    raw_seconds: float = 0.0
    rebuild_seconds: float = 0.0
    rebuild_cpu: float = 0.0
    small_query: float = 0.0
    small_scan: float = 0.0
    full_query: float = 0.0
    full_scan: float = 0.0
    verify_seconds: float = 0.0
    checks: dict[str, bool] = field(default_factory=dict)
    figures: str = ""


def measure(url: str, scale: float) -> Results:
    ledger, seed, record_seconds = record(url, scale)
    try:
        read_models = ReadModels(ledger)
        queries = Queries(read_models)
        code = seed.province_code
        results = Results(url, scale, seed, read_models.head(), record_seconds)

        progress("raw select of the rows a rebuild reads")
        results.raw_rows, results.raw_seconds = raw_select_seconds(url)
        progress("rebuild")
        cpu, started = time.process_time(), time.perf_counter()
        read_models.rebuild()
        results.rebuild_seconds = time.perf_counter() - started
        results.rebuild_cpu = time.process_time() - cpu

        def summary() -> YearSummary:
            return queries.summary(code, 2022, subtree=True)

        progress(f"summary after {SMALL_HISTORY:,} entries")
        read_models.drop()
        read_models.create_tables()
        read_models.catch_up(until=position_of_entry(read_models, SMALL_HISTORY))
        results.small_query = median_ms(summary)
        results.small_scan = median_ms(lambda: scan_summary(read_models, code), 20)
        progress("summary after the whole log")
        read_models.catch_up()
        results.full_query = median_ms(summary)
        results.full_scan = median_ms(lambda: scan_summary(read_models, code), 20)
        progress("verify")
        started = time.perf_counter()
        verification = verify(read_models)
        results.verify_seconds = time.perf_counter() - started
        results.checks, results.figures = check(summary(), verification.clean)
    finally:
        ledger.close()
    return results


def check(summary: YearSummary, clean: bool) -> tuple[dict[str, bool], str]:
    checks = {
        "raised 87,100,000,000": summary.raised_vnd == ARTICLE.raised_vnd,
        "disbursed 68,200,000,000": summary.disbursed_vnd == ARTICLE.disbursed_vnd,
        "recipients 218,000": summary.recipients == ARTICLE.recipients,
        "per capita 26,000 ± 100": summary.per_capita_vnd is not None
        and abs(summary.per_capita_vnd - 26_000) <= 100,
        "member ratio 23.2%": summary.member_ratio is not None
        and round(summary.member_ratio * 100, 1) == 23.2,
        "verify clean": clean,
    }
    figures = (
        f"raised {summary.raised_vnd:,}; disbursed {summary.disbursed_vnd:,}; "
        f"recipients {summary.recipients:,}; members {summary.members:,}; "
        f"population {summary.population or 0:,}; per capita "
        f"{summary.per_capita_vnd}; member ratio {summary.member_ratio}"
    )
    return checks, figures


def report(r: Results) -> None:
    backend = make_url(r.url).get_backend_name()
    max_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"### Read models at scale {r.scale} ({backend})\n")
    print("| machine | |\n|---|---|")
    print(f"| nproc | {os.cpu_count()} |")
    print(f"| Python | {platform.python_version()} |")
    for package in ("eventsourcing", "eventsourcing-sqlalchemy", "SQLAlchemy"):
        print(f"| {package} | {metadata.version(package)} |")
    print(f"| SQLite | {sqlite3.sqlite_version} |")
    print(f"| peak RSS of the run | {max_rss_mb:,.0f} MB |\n")
    recorded = (
        f" Recording it through the Ledger took {r.record_seconds:,.0f} s."
        if r.record_seconds
        else ""
    )
    print(
        f"History: {len(r.seed.organisations):,} organisations, "
        f"{len(r.seed.entries):,} entries, {r.head:,} events in the log, of which "
        f"{r.raw_rows:,} change a read model.{recorded}\n"
    )
    rate, raw_rate = r.raw_rows / r.rebuild_seconds, r.raw_rows / r.raw_seconds
    small = f"first {SMALL_HISTORY:,} entries"
    print("| measure | result | baseline (same run) | ratio |\n|---|---:|---:|---:|")
    print(
        f"| rebuild, events/s | {rate:,.0f} ({r.rebuild_seconds:.1f} s, CPU "
        f"{r.rebuild_cpu:.1f} s) | raw SELECT of the same rows: {raw_rate:,.0f}/s "
        f"({r.raw_seconds:.2f} s) | {raw_rate / rate:.0f}x slower |"
    )
    for label, query, scan in (
        (small, r.small_query, r.small_scan),
        ("whole log", r.full_query, r.full_scan),
    ):
        print(
            f"| province 2022 subtree summary, {label} | {query:.2f} ms | "
            f"journal scan of the subtree: {scan:.1f} ms | {scan / query:.0f}x "
            "faster |"
        )
    print(
        f"| summary, whole log / {small} | {r.full_query / r.small_query:.2f} | "
        f"scan: {r.full_scan / r.small_scan:.1f} | |"
    )
    print(f"| verify (rebuild into scratch, compare) | {r.verify_seconds:.1f} s | | |")
    print("\nChecks on the province's 2022 subtree summary:\n")
    for name, passed in r.checks.items():
        print(f"- {name}: {'yes' if passed else 'NO'}")
    print(f"\nFigures: {r.figures}.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--db", default="var/bench/nghe-an-2022.sqlite3")
    parser.add_argument("--url", help="a database URL instead of --db")
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    if args.url:
        url = args.url
    else:
        Path(args.db).parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{args.db}"
    results = measure(url, args.scale)
    report(results)
    return 0 if all(results.checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
