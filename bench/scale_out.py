"""Scale-out on PostgreSQL: writes/s, latency and projection lag under 8 clients.

Starts the deployment of ``docs/deploy.md`` on this machine — ``khuyenhoc
serve --workers 2`` with ``KHUYENHOC_PROJECTIONS=external`` and one
``khuyenhoc project`` worker — on a fresh schema, and drives it with
``bench.load`` clients (donations, one write at a time per client, over
keep-alive connections), in three shapes:

- 1 client (the baseline of the same run);
- 8 clients, each writing to its own organisation;
- 8 clients, all writing to the same organisation.

For each: sustained writes/s, p50/p99 latency of an acknowledged write, and
the projection lag: a sampler reads the log's head and the read models'
position every 20 ms; a sample's lag is how long until the read models reach
the head seen then.

    python -m bench.scale_out [--url postgresql+psycopg://…/test] [--writes 150]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import date
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from api.auth.tokens import Role, TokenStore
from bench.load import Cluster, Outcome, Write, drive
from ledger import Ledger
from projections import ReadModels

CLIENTS = 8
WRITES = 150
SAMPLE_EVERY = 0.02


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def fresh_schema(server_url: str) -> tuple[str, str]:
    schema = f"bench_scale_{uuid.uuid4().hex[:8]}"
    conninfo = (
        make_url(server_url)
        .set(drivername="postgresql")
        .render_as_string(hide_password=False)
    )
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in server_url else "?"
    return f"{server_url}{sep}options=-csearch_path%3D{schema}", schema


def drop_schema(server_url: str, schema: str) -> None:
    conninfo = (
        make_url(server_url)
        .set(drivername="postgresql")
        .render_as_string(hide_password=False)
    )
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


def prepare(url: str, orgs: list[str]) -> str:
    ledger = Ledger(url)
    try:
        ledger.register_organisation(
            "NA", name="Nghệ An", level="province", registered_on=date(2010, 1, 1)
        )
        for code in orgs:
            ledger.register_organisation(
                code,
                name=f"Xã {code}",
                level="commune",
                parent_code="NA",
                registered_on=date(2010, 1, 1),
            )
        read_models = ReadModels(ledger)
        read_models.catch_up()
        return TokenStore(read_models.engine).create(Role.TREASURER, "NA").secret
    finally:
        ledger.close()


class Sampler(threading.Thread):
    """(time, head, position) every SAMPLE_EVERY seconds while running."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.ledger = Ledger(url)
        self.read_models = ReadModels(self.ledger)
        self.samples: list[tuple[float, int, int]] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            head = self.read_models.head()
            position = self.read_models.position()
            self.samples.append((time.perf_counter(), head, position))
            self.stopping.wait(SAMPLE_EVERY)

    def stop(self) -> list[float]:
        """Stop once the read models have caught up; each sample's lag in s."""
        self.read_models.wait(self.read_models.head(), timeout=60)
        time.sleep(3 * SAMPLE_EVERY)
        self.stopping.set()
        self.join()
        self.ledger.close()
        lags = []
        for when, head, _ in self.samples:
            reached = next(
                (
                    t
                    for t, _, position in self.samples
                    if t >= when and position >= head
                ),
                None,
            )
            if reached is not None:
                lags.append(reached - when)
        return lags


def scenario(
    server_url: str, name: str, clients: int, same_org: bool, writes: int
) -> str:
    url, schema = fresh_schema(server_url)
    orgs = ["NA-X"] if same_org else [f"NA-X{n}" for n in range(clients)]
    try:
        token = prepare(url, orgs)
        plan = [
            [
                Write(
                    org=orgs[0] if same_org else orgs[c],
                    kind="donations",
                    voucher_no=f"B{c}-{n:05d}",
                    amount=1_000 + n,
                )
                for n in range(writes)
            ]
            for c in range(clients)
        ]
        with (
            tempfile.TemporaryDirectory() as scratch,
            Cluster(url, workers=2, scratch=Path(scratch)) as cluster,
        ):
            sampler = Sampler(url)
            sampler.start()
            started = time.perf_counter()
            outcomes: list[Outcome] = drive(cluster.base, token, plan)
            seconds = time.perf_counter() - started
            lags = sampler.stop()
        acknowledged = [o for o in outcomes if o.status == 201]
        latencies = [o.latency_ms for o in acknowledged]
        retried = sum(1 for o in acknowledged if o.attempts > 1)
        return (
            f"| {name} | {len(acknowledged):,} | {len(acknowledged) / seconds:,.0f} | "
            f"{statistics.median(latencies):.1f} ms | {percentile(latencies, 0.99):.1f}"
            f" ms | {retried} | {statistics.median(lags) * 1000:.0f} ms | "
            f"{max(lags) * 1000:.0f} ms |"
        )
    finally:
        drop_schema(server_url, schema)


def raw_baseline(server_url: str, clients: int, writes: int) -> str:
    """The same number of rows by the same number of clients, straight into one
    PostgreSQL table with psycopg, one commit per row: what the database alone
    allows here, in the same run."""
    url, schema = fresh_schema(server_url)
    conninfo = (
        make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    )
    try:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(
                "CREATE TABLE raw_entries (id bigserial PRIMARY KEY, org text, "
                "voucher text UNIQUE, amount bigint, data jsonb)"
            )
        latencies: list[float] = []
        lock = threading.Lock()

        def client(c: int) -> None:
            mine = []
            with psycopg.connect(conninfo, autocommit=True) as conn:
                for n in range(writes):
                    began = time.perf_counter()
                    conn.execute(
                        "INSERT INTO raw_entries (org, voucher, amount, data) "
                        "VALUES (%s, %s, %s, %s)",
                        (f"NA-X{c}", f"B{c}-{n:05d}", 1_000 + n, '{"donor": "x"}'),
                    )
                    mine.append((time.perf_counter() - began) * 1000)
            with lock:
                latencies.extend(mine)

        threads = [threading.Thread(target=client, args=(c,)) for c in range(clients)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - started
        return (
            f"| raw psycopg INSERTs, {clients} clients (baseline) | {len(latencies):,} "
            f"| {len(latencies) / seconds:,.0f} | {statistics.median(latencies):.1f} ms"
            f" | {percentile(latencies, 0.99):.1f} ms | n/a | n/a | n/a |"
        )
    finally:
        drop_schema(server_url, schema)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    parser.add_argument("--writes", type=int, default=WRITES, help="per client")
    args = parser.parse_args(argv)
    rows = []
    for name, clients, same in (
        ("1 client", 1, False),
        (f"{CLIENTS} clients, one organisation each", CLIENTS, False),
        (f"{CLIENTS} clients, all on one organisation", CLIENTS, True),
    ):
        print(f"progress: {name}", file=sys.stderr)
        rows.append(scenario(args.url, name, clients, same, args.writes))
    print(f"progress: raw baseline, {CLIENTS} clients", file=sys.stderr)
    rows.append(raw_baseline(args.url, CLIENTS, args.writes))
    print(
        "| clients | acknowledged writes | writes/s | p50 | p99 | retried by the "
        "client | projection lag p50 | projection lag max |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
