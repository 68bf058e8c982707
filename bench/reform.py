"""Applying a reform plan of about 1,000 organisations (issue 14), on SQLite.

Builds a province of ``--districts`` districts with 24 communes each (1,001
organisations at 40), each holding money, then writes the 2025 reform as a
plan: in every district seven groups of three communes merge into one, which
is renamed and moved under the province; one commune splits between two of
them; two communes move up as they are; the district merges into the
province. Then it times, on copies of the same database:

- ``khuyenhoc reform apply``'s code path (``apply_plan``: read, order, run in
  one batch, note every change);
- the same commands sent straight to ``Ledger.batch()`` in a safe order —
  the bulk write path alone, the plan's own cost being the difference;
- the raw baseline: the same number of event rows (same sizes) inserted with
  the bare ``sqlite3`` driver in one transaction.

    python -m bench.reform [--districts 40] [--dir var/bench/reform]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import time
from datetime import date
from pathlib import Path

from api.books.restructuring import apply_plan, read_plan
from api.books.restructuring.order import safe_order
from ledger import Ledger

REFORM = "2025-07-01"
TODAY = date(2025, 12, 31)
COMMUNES = 24


def build(url: str, districts: int) -> None:
    ledger = Ledger(url, today=lambda: TODAY)
    try:
        with ledger.batch() as batch:
            batch.register_organisation(
                "P",
                name="Hội Khuyến học tỉnh",
                level="province",
                registered_on=date(2010, 1, 1),
            )
            for d in range(districts):
                district = f"D{d:02}"
                batch.register_organisation(
                    district,
                    name=f"Hội Khuyến học huyện {d}",
                    level="district",
                    parent_code="P",
                    registered_on=date(2010, 1, 1),
                )
                batch.receive_donation(
                    district,
                    voucher_no="PT-1",
                    amount=5_000_000,
                    business_date=date(2024, 3, 1),
                )
                for c in range(COMMUNES):
                    commune = f"{district}-C{c:02}"
                    batch.register_organisation(
                        commune,
                        name=f"Hội Khuyến học xã {d}-{c}",
                        level="commune",
                        parent_code=district,
                        registered_on=date(2010, 1, 1),
                    )
                    batch.receive_donation(
                        commune,
                        voucher_no="PT-1",
                        amount=1_000_000 + c,
                        business_date=date(2024, 3, 1),
                    )
    finally:
        ledger.close()


def write_plan(path: Path, districts: int) -> int:
    rows = ["op,code,name,level,parent_code,into_code,fund,amount_vnd,effective_on"]
    for d in range(districts):
        district = f"D{d:02}"
        heads = []
        for group in range(7):
            c = [f"{district}-C{group * 3 + i:02}" for i in range(3)]
            heads.append(c[2])
            rows.append(f"merge,{c[0]},,,,{c[2]},,,{REFORM}")
            rows.append(f"merge,{c[1]},,,,{c[2]},,,{REFORM}")
            rows.append(
                f"rename,{c[2]},Hội Khuyến học xã mới {d}-{group},,,,,,{REFORM}"
            )
            rows.append(f"move,{c[2]},,,P,,,,{REFORM}")
        split = f"{district}-C21"
        balance = 1_000_000 + 21
        rows.append(f"split,{split},,,,{heads[0]},general,{balance // 2},{REFORM}")
        rows.append(
            f"split,{split},,,,{heads[1]},general,{balance - balance // 2},{REFORM}"
        )
        for n in (22, 23):
            rows.append(f"move,{district}-C{n},,,P,,,,{REFORM}")
        rows.append(f"merge,{district},,,,P,,,{REFORM}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return len(rows) - 1


def raw_baseline(path: Path, events: int, row_bytes: int) -> float:
    """Insert ``events`` rows shaped like the ledger's, one transaction."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute(
        "CREATE TABLE events (id INTEGER PRIMARY KEY, originator_id BLOB, "
        "originator_version INTEGER, topic TEXT, state BLOB, "
        "UNIQUE (originator_id, originator_version))"
    )
    state = b"x" * row_bytes
    started = time.perf_counter()
    connection.execute("BEGIN IMMEDIATE")
    connection.executemany(
        "INSERT INTO events (originator_id, originator_version, topic, state) "
        "VALUES (?, ?, ?, ?)",
        (
            (os.urandom(16), 1, "ledger.organisation:Organisation.Merged", state)
            for _ in range(events)
        ),
    )
    connection.execute("COMMIT")
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def run(args: argparse.Namespace) -> int:
    base = Path(args.dir)
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    built = base / "built.sqlite3"
    build(f"sqlite:///{built}", args.districts)
    plan = base / "plan.csv"
    operations = write_plan(plan, args.districts)

    planned_db = base / "planned.sqlite3"
    shutil.copy(built, planned_db)
    ledger = Ledger(f"sqlite:///{planned_db}", today=lambda: TODAY)
    head = ledger.recorder.max_notification_id() or 0
    started, cpu = time.perf_counter(), time.process_time()
    outcome = apply_plan(ledger, plan, recorded_by="bench")
    planned = time.perf_counter() - started
    planned_cpu = time.process_time() - cpu
    events = (ledger.recorder.max_notification_id() or 0) - head
    ledger.close()
    assert not outcome.errors, outcome.errors[:5]  # noqa: S101
    assert outcome.applied  # noqa: S101
    assert outcome.total_before == outcome.total_after  # noqa: S101
    touched = len(outcome.changes)

    batch_db = base / "batch.sqlite3"
    shutil.copy(built, batch_db)
    ledger = Ledger(f"sqlite:///{batch_db}", today=lambda: TODAY)
    steps = read_plan(plan, recorded_by="bench").steps
    ranks = {"P": 1}
    ordered, _ = safe_order(
        steps, lambda s: ranks.get(s.code, 2 if "-" not in s.code else 3)
    )
    started, cpu = time.perf_counter(), time.process_time()
    with ledger.batch() as batch:
        for step in ordered:
            batch.execute(step.command)
    bulk = time.perf_counter() - started
    bulk_cpu = time.process_time() - cpu
    ledger.close()

    raw = raw_baseline(base / "raw.sqlite3", events, 400)
    print(
        f"plan: {operations:,} rows, {touched:,} organisations changed, "
        f"{events:,} events"
    )
    print(f"reform apply (apply_plan): {planned:6.2f} s wall, {planned_cpu:6.2f} s CPU")
    print(f"the same commands, one batch: {bulk:6.2f} s wall, {bulk_cpu:6.2f} s CPU")
    print(f"raw sqlite3, {events:,} rows:   {raw:6.3f} s")
    print(f"apply / batch: {planned / bulk:.2f}   apply / raw: {planned / raw:.0f}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--districts", type=int, default=40)
    parser.add_argument("--dir", default="var/bench/reform")
    return run(parser.parse_args())


if __name__ == "__main__":
    raise SystemExit(main())
