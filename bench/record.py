"""Recording cost does not grow with an organisation's history.

Records N entries on ONE organisation of a fresh ledger (donations, every
tenth entry a disbursement), timing every ``receive_donation`` / ``disburse``
call with ``time.perf_counter``, and compares an early window of entries with
the last ones. It also times a cold load of the organisation (a new
``Ledger``, so an empty aggregate cache: latest snapshot plus the events after
it) early and late in the history, with 1 and with 99 events after the
snapshot. As a baseline it then writes the very same event rows the ledger
stored with the plain driver (``sqlite3``, or ``psycopg`` on PostgreSQL): one
transaction per entry holding that entry's two rows (the organisation's event
and the voucher's), into a table shaped like the ledger's, in WAL mode with
``synchronous=FULL`` on SQLite. Prints a Markdown report to stdout and
progress to stderr. Deterministic: fixed clock, fixed dates, fixed seed.

    python bench/record.py [--entries 100000] [--db-dir DIR] [--markdown FILE]
    python bench/record.py --entries 20000 --url \
      'postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dbench_record'

With ``--url`` the schema named by ``search_path`` is created if missing (and
then dropped at the end unless ``--keep``); it must not already hold a ledger.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

import psycopg
from eventsourcing_sqlalchemy.factory import SQLAlchemyFactory
from psycopg import sql
from sqlalchemy.engine import URL, Engine, make_url

from ledger import Ledger
from ledger.application import DEFAULT_SNAPSHOT_INTERVAL
from ledger.types import Category, DonorKind, Level, Method

DEFAULT_ENTRIES = 100_000
MIN_ENTRIES = 2_100
TODAY = date(2026, 1, 1)
REGISTERED_ON = date(2024, 1, 1)
FIRST_BUSINESS_DATE = date(2025, 1, 1)
DAYS_IN_2025 = 365
PARENT, ORG = "BENCH", "BENCH-DC"
SEED = 20_250_101
DISBURSE_EVERY = 10
SNAPSHOT_INTERVAL = DEFAULT_SNAPSHOT_INTERVAL
LOAD_REPEATS = 15
TARGET_RATIO = 1.5
SMALL_WINDOW, LARGE_WINDOW = 100, 1_000
EARLY_START = 100
DECILES = 10
DONORS = (
    "Nguyễn Văn An",
    "Trần Thị Bích",
    "Công ty CP Sữa Vinamilk",
    "Dòng họ Hồ xã Quỳnh Đôi",
    "Lê Quang Minh",
    "Phạm Thu Hà",
)
RECIPIENTS = ("Học sinh nghèo vượt khó", "Học sinh giỏi cấp tỉnh", "Sinh viên")

SQLITE_PRAGMAS = ("PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL")
SQLITE_RAW_SCHEMA = (
    "CREATE TABLE raw_events (id INTEGER PRIMARY KEY, originator_id BLOB NOT NULL, "
    "originator_version INTEGER NOT NULL, topic TEXT NOT NULL, state BLOB NOT NULL)",
    "CREATE UNIQUE INDEX raw_events_aggregate_idx "
    "ON raw_events (originator_id, originator_version)",
)
PG_RAW_SCHEMA = (
    "CREATE TABLE raw_events (id BIGSERIAL PRIMARY KEY, originator_id UUID NOT NULL, "
    "originator_version BIGINT NOT NULL, topic TEXT NOT NULL, state BYTEA NOT NULL)",
    "CREATE UNIQUE INDEX raw_events_aggregate_idx "
    "ON raw_events (originator_id, originator_version)",
)
INSERT_SQLITE = (
    "INSERT INTO raw_events (originator_id, originator_version, topic, state) "
    "VALUES (?, ?, ?, ?)"
)
INSERT_PG = (
    "INSERT INTO raw_events (originator_id, originator_version, topic, state) "
    "VALUES (%s, %s, %s, %s)"
)
SELECT_ENTRY_ROWS = (
    "SELECT originator_id, originator_version, topic, state FROM ledger_events "
    "WHERE id > {} ORDER BY id"
)
ORG_TOPIC_PREFIX = "ledger.organisation:Organisation."
VOUCHER_TOPIC = "ledger.voucher:Voucher.Issued"

Row = tuple[Any, int, str, bytes]


# ---- the workload -----------------------------------------------------------


@dataclass(frozen=True)
class EntrySpec:
    index: int
    disbursement: bool
    voucher_no: str
    amount: int
    business_date: date
    counterparty: str


def workload(entries: int, seed: int) -> Iterator[EntrySpec]:
    """The entries, in order: fixed dates through 2025, amounts from ``seed``."""
    rng = random.Random(seed)
    balance = 0
    for i in range(entries):
        on = FIRST_BUSINESS_DATE + timedelta(days=i * DAYS_IN_2025 // entries)
        if i % DISBURSE_EVERY == DISBURSE_EVERY - 1:
            amount = min(balance, rng.randrange(1, 20_000) * 1_000)
            balance -= amount
            yield EntrySpec(i, True, f"PC-{i:06d}", amount, on, rng.choice(RECIPIENTS))
        else:
            amount = rng.randrange(50, 50_000) * 1_000
            balance += amount
            yield EntrySpec(i, False, f"PT-{i:06d}", amount, on, rng.choice(DONORS))


def record_one(ledger: Ledger, spec: EntrySpec) -> None:
    if spec.disbursement:
        ledger.disburse(
            ORG,
            voucher_no=spec.voucher_no,
            amount=spec.amount,
            business_date=spec.business_date,
            category=Category.SCHOLARSHIP,
            recipients=1 + spec.index % 7,
            recipient=spec.counterparty,
            recorded_by="bench",
        )
    else:
        ledger.receive_donation(
            ORG,
            voucher_no=spec.voucher_no,
            amount=spec.amount,
            business_date=spec.business_date,
            donor=spec.counterparty,
            donor_kind=DonorKind.INDIVIDUAL,
            method=Method.BANK if spec.index % 3 else Method.CASH,
            recorded_by="bench",
        )


def open_ledger(url: str) -> Ledger:
    return Ledger(
        url,
        today=lambda: TODAY,
        snapshot_interval=SNAPSHOT_INTERVAL,
        cache_size=1000,
    )


def close_ledger(ledger: Ledger) -> None:
    """Close a ledger and really release its connections (dispose the engine)."""
    factory = ledger.factory
    ledger.close()
    if isinstance(factory, SQLAlchemyFactory):
        engine = factory.datastore.engine
        if isinstance(engine, Engine):
            engine.dispose()


# ---- statistics -------------------------------------------------------------


@dataclass(frozen=True)
class Stats:
    first: int
    last: int
    median: float
    mean: float
    p95: float
    max: float

    @classmethod
    def of(cls, times: Sequence[float], first: int, stop: int) -> Stats:
        window = sorted(times[first:stop])
        return cls(
            first=first,
            last=stop - 1,
            median=statistics.median(window),
            mean=statistics.fmean(window),
            p95=window[min(len(window) - 1, (len(window) * 95) // 100)],
            max=window[-1],
        )

    @property
    def span(self) -> str:
        return f"{self.first:,}-{self.last:,}"


@dataclass(frozen=True)
class Load:
    after_entries: int
    version: int
    snapshot_version: int | None
    median: float
    best: float
    rss: int | None

    @property
    def replayed(self) -> int:
        return self.version - (self.snapshot_version or 0)


@dataclass
class Run:
    backend: str
    entries: int
    seed: int
    ledger_times: list[float] = field(default_factory=list)
    ledger_cpu: list[float] = field(default_factory=list)
    raw_times: list[float] = field(default_factory=list)
    load_average: dict[int, float] = field(default_factory=dict)
    loads: dict[int, Load] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    machine: list[tuple[str, str]] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)


def rss_bytes() -> int | None:
    """This process's resident set size now (Linux), else None."""
    statm = Path("/proc/self/statm")
    if not statm.exists():
        return None
    return int(statm.read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


# ---- where the events go ----------------------------------------------------


class Backend:
    """A database for the ledger, and the same kind of database for the baseline."""

    name = ""
    ledger_url = ""

    def prepare(self) -> None:
        raise NotImplementedError

    def entry_rows(self, after_id: int) -> Iterator[Row]:
        raise NotImplementedError

    def raw_baseline(
        self, rows: Iterator[tuple[Row, Row]], entries: int
    ) -> list[float]:
        raise NotImplementedError

    def describe(self) -> list[tuple[str, str]]:
        raise NotImplementedError

    def facts(self) -> list[tuple[str, str]]:
        return []

    def cleanup(self) -> None:
        raise NotImplementedError


class SqliteBackend(Backend):
    name = "SQLite file"

    def __init__(self, db_dir: Path | None, *, keep: bool) -> None:
        self.own_dir = db_dir is None
        self.keep = keep
        self.dir = db_dir or Path(tempfile.mkdtemp(prefix="bench-record-"))
        self.ledger_path = self.dir / "record-ledger.sqlite3"
        self.raw_path = self.dir / "record-raw.sqlite3"
        self.ledger_url = f"sqlite:///{self.ledger_path}"

    def _files(self) -> list[Path]:
        return [
            path.with_name(path.name + suffix)
            for path in (self.ledger_path, self.raw_path)
            for suffix in ("", "-wal", "-shm", "-journal")
        ]

    def prepare(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        for path in self._files():  # this script's own files from an earlier run
            path.unlink(missing_ok=True)

    def entry_rows(self, after_id: int) -> Iterator[Row]:
        conn = sqlite3.connect(self.ledger_path)
        try:
            yield from conn.execute(SELECT_ENTRY_ROWS.format(int(after_id)))
        finally:
            conn.close()

    def raw_baseline(
        self, rows: Iterator[tuple[Row, Row]], entries: int
    ) -> list[float]:
        conn = sqlite3.connect(self.raw_path, isolation_level=None)
        try:
            for pragma in SQLITE_PRAGMAS:
                conn.execute(pragma)
            self.raw_settings = (
                conn.execute("PRAGMA journal_mode").fetchone()[0],
                conn.execute("PRAGMA synchronous").fetchone()[0],
            )
            for statement in SQLITE_RAW_SCHEMA:
                conn.execute(statement)
            times = [0.0] * entries
            perf = time.perf_counter
            for i, (org_row, voucher_row) in enumerate(rows):
                started = perf()
                conn.execute("BEGIN")
                conn.execute(INSERT_SQLITE, org_row)
                conn.execute(INSERT_SQLITE, voucher_row)
                conn.execute("COMMIT")
                times[i] = perf() - started
        finally:
            conn.close()
        return times

    def describe(self) -> list[tuple[str, str]]:
        return [
            ("SQLite", sqlite3.sqlite_version),
            ("database files", str(self.dir)),
        ]

    def facts(self) -> list[tuple[str, str]]:
        conn = sqlite3.connect(self.ledger_path)
        try:
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
            snapshots = conn.execute("SELECT count(*) FROM ledger_snapshots").fetchone()
        finally:
            conn.close()
        journal, sync = getattr(self, "raw_settings", ("?", "?"))
        return [
            ("ledger file journal_mode (read back)", str(mode)),
            (
                "ledger connections",
                "synchronous=FULL, busy_timeout (storage/engines.py)",
            ),
            ("raw file journal_mode / synchronous (read back)", f"{journal} / {sync}"),
            ("ledger file size", _mib(_size(self.ledger_path))),
            ("raw file size", _mib(_size(self.raw_path))),
            ("snapshots stored", f"{snapshots[0]:,}"),
        ]

    def cleanup(self) -> None:
        if self.keep or not self.own_dir:
            return
        shutil.rmtree(self.dir, ignore_errors=True)


class PostgresBackend(Backend):
    name = "PostgreSQL"

    def __init__(self, url: str, *, keep: bool) -> None:
        parsed = make_url(url)
        if parsed.get_backend_name() != "postgresql":
            raise SystemExit("--url must be a PostgreSQL URL (SQLite uses --db-dir)")
        options = str(parsed.query.get("options", ""))
        found = re.search(r"search_path=([A-Za-z_][A-Za-z0-9_]*)", options)
        if found is None:
            raise SystemExit("--url must set a schema: ?options=-csearch_path%3DNAME")
        self.schema = found.group(1)
        self.keep = keep
        self.ledger_url = url
        self.conninfo = _libpq(parsed)
        self.server_conninfo = _libpq(parsed.difference_update_query(["options"]))
        self.created = False

    def prepare(self) -> None:
        with psycopg.connect(self.server_conninfo, autocommit=True) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_namespace WHERE nspname = %s", (self.schema,)
            ).fetchone()
            if exists is None:
                conn.execute(
                    sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(self.schema))
                )
                self.created = True
            tables = conn.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname = %s "
                "AND tablename IN ('ledger_events', 'ledger_snapshots', 'raw_events')",
                (self.schema,),
            ).fetchone()
        if tables is not None and tables[0]:
            raise SystemExit(
                f"schema {self.schema} already holds a ledger or baseline; "
                "drop it or name another one"
            )

    def entry_rows(self, after_id: int) -> Iterator[Row]:
        with (
            psycopg.connect(self.conninfo) as conn,
            conn.cursor(name="entry_rows") as cursor,
        ):
            cursor.itersize = 2_000
            cursor.execute(SELECT_ENTRY_ROWS.format(int(after_id)))
            for org_id, version, topic, state in cursor:
                yield (org_id, version, topic, bytes(state))

    def raw_baseline(
        self, rows: Iterator[tuple[Row, Row]], entries: int
    ) -> list[float]:
        times = [0.0] * entries
        perf = time.perf_counter
        with psycopg.connect(self.conninfo) as conn:
            for statement in PG_RAW_SCHEMA:
                conn.execute(statement)
            conn.commit()
            for i, (org_row, voucher_row) in enumerate(rows):
                started = perf()
                conn.execute(INSERT_PG, org_row)
                conn.execute(INSERT_PG, voucher_row)
                conn.commit()
                times[i] = perf() - started
        return times

    def describe(self) -> list[tuple[str, str]]:
        with psycopg.connect(self.conninfo) as conn:
            settings = [
                (name, _show(conn, name))
                for name in ("server_version", "synchronous_commit", "fsync")
            ]
        return [(f"PostgreSQL {name}", value) for name, value in settings] + [
            ("psycopg", metadata.version("psycopg")),
            ("schema", self.schema),
        ]

    def facts(self) -> list[tuple[str, str]]:
        with psycopg.connect(self.conninfo) as conn:
            snapshots = conn.execute("SELECT count(*) FROM ledger_snapshots").fetchone()
        return [("snapshots stored", f"{snapshots[0]:,}" if snapshots else "?")]

    def cleanup(self) -> None:
        if self.keep:
            return
        with psycopg.connect(self.server_conninfo, autocommit=True) as conn:
            if self.created:
                conn.execute(
                    sql.SQL("DROP SCHEMA {} CASCADE").format(
                        sql.Identifier(self.schema)
                    )
                )
            else:
                for table in ("ledger_events", "ledger_snapshots", "raw_events"):
                    conn.execute(
                        sql.SQL("DROP TABLE IF EXISTS {}").format(
                            sql.Identifier(self.schema, table)
                        )
                    )


def _libpq(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _show(conn: psycopg.Connection[Any], name: str) -> str:
    row = conn.execute(sql.SQL("SHOW {}").format(sql.Identifier(name))).fetchone()
    return str(row[0]) if row else "?"


def _size(path: Path) -> int:
    return sum(
        p.stat().st_size
        for p in (path, path.with_name(path.name + "-wal"))
        if p.exists()
    )


def _mib(size: int) -> str:
    return f"{size / 2**20:,.1f} MiB"


# ---- the run ----------------------------------------------------------------


def register(ledger: Ledger) -> None:
    ledger.register_organisation(
        PARENT,
        name="Hội Khuyến học tỉnh (benchmark)",
        level=Level.PROVINCE,
        registered_on=REGISTERED_ON,
        recorded_by="bench",
    )
    ledger.register_organisation(
        ORG,
        name="Hội Khuyến học huyện (benchmark)",
        level=Level.DISTRICT,
        parent_code=PARENT,
        registered_on=REGISTERED_ON,
        recorded_by="bench",
    )


def cold_load(url: str, after_entries: int, repeats: int) -> Load:
    """Time ``organisation(ORG)`` on new ledgers: snapshot + tail, no cache."""
    times: list[float] = []
    version = 0
    snapshot_version: int | None = None
    for _ in range(repeats):
        ledger = open_ledger(url)
        try:
            ledger.organisation(PARENT)  # opens the connection; not timed
            started = time.perf_counter()
            state = ledger.organisation(ORG)
            times.append(time.perf_counter() - started)
            version = state.version
            if ledger.snapshots is not None:
                latest = list(ledger.snapshots.get(state.id, desc=True, limit=1))
                if latest:
                    snapshot_version = latest[0].originator_version
        finally:
            close_ledger(ledger)
    return Load(
        after_entries=after_entries,
        version=version,
        snapshot_version=snapshot_version,
        median=statistics.median(times),
        best=min(times),
        rss=rss_bytes(),
    )


def load_checkpoints(entries: int) -> list[int]:
    """Entry counts after which to time a cold load.

    The organisation's version is entries + 1 (its registration is version 1),
    so these are 1 and ``interval - 1`` events after a snapshot, early and late.
    """
    interval = SNAPSHOT_INTERVAL
    return sorted(
        {
            interval,
            2 * interval - 2,
            entries - entries % interval,
            entries - (entries + 2) % interval,
        }
    )


def progress(message: str, started: float) -> None:
    print(f"[{time.perf_counter() - started:7.1f}s] {message}", file=sys.stderr)


def run(backend: Backend, entries: int, seed: int) -> Run:
    result = Run(backend=backend.name, entries=entries, seed=seed)
    started = time.perf_counter()
    backend.prepare()
    ledger = open_ledger(backend.ledger_url)
    try:
        register(ledger)
        after_id = ledger.recorder.max_notification_id() or 0
        checkpoints = set(load_checkpoints(entries))
        times, cpu = [0.0] * entries, [0.0] * entries
        perf, cpu_time = time.perf_counter, time.process_time
        tenths = {
            (k + 1) * entries // DECILES: k * entries // DECILES for k in range(DECILES)
        }
        result.load_average[0] = os.getloadavg()[0]
        expected_balance = 0
        for spec in workload(entries, seed):
            cpu_before = cpu_time()
            before = perf()
            record_one(ledger, spec)
            times[spec.index] = perf() - before
            cpu[spec.index] = cpu_time() - cpu_before
            expected_balance += -spec.amount if spec.disbursement else spec.amount
            done = spec.index + 1
            if done in checkpoints:
                result.loads[done] = cold_load(backend.ledger_url, done, LOAD_REPEATS)
            if done in tenths:
                result.load_average[done] = os.getloadavg()[0]
                recent = statistics.median(times[tenths[done] : done])
                progress(
                    f"{done:,} entries; median since {tenths[done]:,}: "
                    f"{recent * 1e3:.3f} ms; load average {os.getloadavg()[0]:.2f}",
                    started,
                )
        state = ledger.organisation(ORG)
        if state.version != entries + 1 or state.balances["general"] != (
            expected_balance
        ):
            raise SystemExit(
                f"unexpected final state: version {state.version}, "
                f"balance {state.balances['general']} != {expected_balance}"
            )
    finally:
        close_ledger(ledger)
    result.ledger_times, result.ledger_cpu = times, cpu
    result.timings["ledger phase (incl. cold loads)"] = time.perf_counter() - started
    progress("ledger done; raw baseline", started)

    raw_started = time.perf_counter()
    result.raw_times = backend.raw_baseline(
        paired(backend.entry_rows(after_id), entries), entries
    )
    result.timings["raw baseline phase"] = time.perf_counter() - raw_started
    result.timings["whole run"] = time.perf_counter() - started
    progress("raw baseline done", started)
    result.machine = [
        *machine(),
        *backend.describe(),
        ("1-minute load average at start", f"{result.load_average[0]:.2f}"),
    ]
    result.facts = [
        ("final organisation version", f"{state.version:,}"),
        ("final general-fund balance (checked)", f"{expected_balance:,} đồng"),
        *backend.facts(),
    ]
    return result


def paired(rows: Iterator[Row], entries: int) -> Iterator[tuple[Row, Row]]:
    """The ledger's rows, two per entry: the organisation's event, the voucher's."""
    count = 0
    for org_row in rows:
        voucher_row = next(rows)
        if not (
            org_row[2].startswith(ORG_TOPIC_PREFIX) and voucher_row[2] == VOUCHER_TOPIC
        ):
            raise SystemExit(f"unexpected rows: {org_row[2]}, {voucher_row[2]}")
        count += 1
        yield org_row, voucher_row
    if count != entries:
        raise SystemExit(f"found {count:,} entries' rows, expected {entries:,}")


def machine() -> list[tuple[str, str]]:
    cpu = "?"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.M)
        if found:
            cpu = found.group(1).strip()
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 0
    return [
        ("nproc", str(nproc or os.cpu_count())),
        ("CPU", cpu),
        ("OS", f"{platform.system()} {platform.release()} {platform.machine()}"),
        ("Python", platform.python_version()),
        *(
            (package, metadata.version(package))
            for package in ("eventsourcing", "eventsourcing-sqlalchemy", "SQLAlchemy")
        ),
    ]


# ---- the report -------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.3f}"


def verdict(ratio: float) -> str:
    return "yes" if ratio <= TARGET_RATIO else "**no**"


def report(result: Run) -> str:
    n = result.entries
    lines = [
        f"### {result.backend}, {n:,} entries on one organisation",
        "",
        "| machine | |",
        "|---|---|",
        *(f"| {key} | {value} |" for key, value in result.machine),
        "",
        f"Workload: one district organisation under a province; {n:,} entries "
        f"({n - n // DISBURSE_EVERY:,} donations, {n // DISBURSE_EVERY:,} "
        f"disbursements: every {DISBURSE_EVERY}th entry), each one call and one "
        "commit of two events (the organisation's entry event and a new "
        f"voucher); a snapshot every {SNAPSHOT_INTERVAL} organisation events; "
        f"seed {result.seed}, fixed clock {TODAY}. Times are `time.perf_counter` "
        "around each call, in milliseconds; entry indices count from 0.",
        "",
    ]
    lines += recording_table(result)
    lines += throughput_table(result)
    lines += load_table(result.loads)
    lines += decile_table(result)
    lines += [
        "| fact | |",
        "|---|---|",
        *(f"| {key} | {value} |" for key, value in result.facts),
        "",
    ]
    return "\n".join(lines)


def recording_table(result: Run) -> list[str]:
    n = result.entries
    lines = [
        f"Recording cost, early window vs late window (target: late/early ≤ "
        f"{TARGET_RATIO}x):",
        "",
        "| series | statistic | early entries | early ms | late entries | late ms "
        "| late/early | ≤ 1.5x |",
        "|---|---|---|---:|---|---:|---:|---|",
    ]
    series = (
        ("ledger, wall", result.ledger_times),
        ("ledger, CPU", result.ledger_cpu),
        ("raw driver, wall", result.raw_times),
    )
    for name, times in series:
        for size in (SMALL_WINDOW, LARGE_WINDOW):
            early = Stats.of(times, EARLY_START, EARLY_START + size)
            late = Stats.of(times, n - size, n)
            for stat in ("median", "mean", "p95"):
                a, b = getattr(early, stat), getattr(late, stat)
                lines.append(
                    f"| {name} | {stat} | {early.span} | {ms(a)} | {late.span} "
                    f"| {ms(b)} | {b / a:.2f} | {verdict(b / a)} |"
                )
    return [*lines, ""]


def throughput_table(result: Run) -> list[str]:
    n = result.entries
    led_total, raw_total = sum(result.ledger_times), sum(result.raw_times)
    cpu_total = sum(result.ledger_cpu)
    return [
        "Throughput (sum of the per-entry times; the raw driver writes the ledger's "
        "own two event rows per entry in one transaction, no snapshots):",
        "",
        "| series | entries | total s | entries/s | mean ms/entry |",
        "|---|---:|---:|---:|---:|",
        f"| ledger | {n:,} | {led_total:.1f} | {n / led_total:,.0f} "
        f"| {ms(led_total / n)} |",
        f"| raw driver, 2 rows per commit | {n:,} | {raw_total:.1f} "
        f"| {n / raw_total:,.0f} | {ms(raw_total / n)} |",
        f"| ledger cost / raw cost | | | | {led_total / raw_total:.2f}x |",
        f"| (ledger CPU time alone) | {n:,} | {cpu_total:.1f} "
        f"| {n / cpu_total:,.0f} | {ms(cpu_total / n)} |",
        "",
        "| phase | wall s |",
        "|---|---:|",
        *(f"| {key} | {value:.1f} |" for key, value in result.timings.items()),
        "",
    ]


def load_table(loads: dict[int, Load]) -> list[str]:
    lines = [
        f"Cold load: `Ledger.organisation()` on a new `Ledger` (empty cache), "
        f"median and best of {LOAD_REPEATS}, each after one untimed read that "
        "opens the connection:",
        "",
        "| after entries | version | latest snapshot | events replayed after it "
        "| median ms | best ms | RSS MiB |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for load in loads.values():
        rss = f"{load.rss / 2**20:.0f}" if load.rss is not None else "?"
        lines.append(
            f"| {load.after_entries:,} | {load.version:,} | "
            f"{load.snapshot_version or 0:,} | {load.replayed} | {ms(load.median)} "
            f"| {ms(load.best)} | {rss} |"
        )
    by_tail: dict[int, list[Load]] = {}
    for load in loads.values():
        by_tail.setdefault(load.replayed, []).append(load)
    lines += ["", "| cold load | early ms | late ms | late/early | ≤ 1.5x |"]
    lines.append("|---|---:|---:|---:|---|")
    for tail, group in sorted(by_tail.items()):
        if len(group) < 2:
            continue
        early, late = group[0], group[-1]
        ratio = late.median / early.median
        lines.append(
            f"| {tail} event(s) after the snapshot, after {early.after_entries:,} "
            f"vs {late.after_entries:,} entries | {ms(early.median)} "
            f"| {ms(late.median)} | {ratio:.2f} | {verdict(ratio)} |"
        )
    return [*lines, ""]


def decile_table(result: Run) -> list[str]:
    n = result.entries
    lines = [
        "Along the whole history (each tenth of the entries). The load average is "
        "the 1-minute one as the tenth ended: the benchmark itself accounts for "
        "about 1; more than the number of CPUs means processes queued for a CPU, "
        "which shows in wall time but hardly in CPU time:",
        "",
        "| entries | ledger median ms | ledger mean ms | ledger p95 ms "
        "| ledger CPU median ms | raw median ms | raw mean ms | load avg |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for k in range(DECILES):
        first, stop = k * n // DECILES, (k + 1) * n // DECILES
        led = Stats.of(result.ledger_times, first, stop)
        cpu = Stats.of(result.ledger_cpu, first, stop)
        raw = Stats.of(result.raw_times, first, stop)
        load = result.load_average.get(stop)
        lines.append(
            f"| {led.span} | {ms(led.median)} | {ms(led.mean)} | {ms(led.p95)} "
            f"| {ms(cpu.median)} | {ms(raw.median)} | {ms(raw.mean)} "
            f"| {'?' if load is None else f'{load:.2f}'} |"
        )
    return [*lines, ""]


def write_times(path: Path, result: Run) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("index,ledger_s,ledger_cpu_s,raw_s\n")
        for i, (led, cpu, raw) in enumerate(
            zip(result.ledger_times, result.ledger_cpu, result.raw_times, strict=True)
        ):
            out.write(f"{i},{led:.7f},{cpu:.7f},{raw:.7f}\n")


# ---- command line -----------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Show that recording cost does not grow with history."
    )
    parser.add_argument("--entries", type=int, default=DEFAULT_ENTRIES)
    parser.add_argument(
        "--db-dir",
        type=Path,
        default=None,
        help="directory for the SQLite files (default: a temporary one, removed)",
    )
    parser.add_argument(
        "--url",
        default=None,
        help="a PostgreSQL URL whose options set search_path to a schema",
    )
    parser.add_argument("--markdown", type=Path, default=None)
    parser.add_argument(
        "--times",
        type=Path,
        default=None,
        help="also write every entry's times in seconds as CSV",
    )
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--keep", action="store_true", help="keep the databases afterwards"
    )
    args = parser.parse_args(argv)
    if args.entries < MIN_ENTRIES:
        parser.error(f"--entries must be at least {MIN_ENTRIES:,}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    backend: Backend = (
        PostgresBackend(args.url, keep=args.keep)
        if args.url
        else SqliteBackend(args.db_dir, keep=args.keep)
    )
    try:
        result = run(backend, args.entries, args.seed)
    finally:
        backend.cleanup()
    text = report(result)
    print(text)
    if args.markdown is not None:
        args.markdown.write_text(text + "\n", encoding="utf-8")
    if args.times is not None:
        write_times(args.times, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
