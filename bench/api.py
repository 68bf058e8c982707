"""HTTP latency at full-scale history, beside the in-process cost of the same calls.

Takes the Nghệ An-shaped province-year that ``bench.rebuild`` records (15,910
organisations, 55,632 entries) — on SQLite a copy of
``var/bench/nghe-an-2022.sqlite3``, on PostgreSQL the schema ``--url`` names —
starts ``khuyenhoc serve`` on it (embedded mode: a write answers once the read
models include it), and times, one request at a time over one keep-alive
connection:

- ``POST /v1/organisations/{commune}/donations`` with a treasurer's token;
- ``GET /v1/organisations/NA/summary?year=2022&subtree=true``.

Then, in the same run, the same work in-process, without HTTP: the
``Ledger.receive_donation`` call plus ``ReadModels.catch_up`` (what the
embedded write path does), and ``Queries.summary``. Reports p50 and p99 of
each and the HTTP/in-process ratio. Prints Markdown to stdout.

    python -m bench.api [--db var/bench/nghe-an-2022.sqlite3] [--requests 500]
    python -m bench.api --url 'postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dbench_rebuild'
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from datetime import date
from pathlib import Path

from api.auth.tokens import Role, TokenStore
from ledger import Ledger
from projections import Queries, ReadModels

COMMUNE = "NA-D01-C001"
PROVINCE = "NA"
REQUESTS = 500


def percentiles(times_ms: list[float]) -> tuple[float, float]:
    ordered = sorted(times_ms)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return statistics.median(ordered), p99


def timed(call: Callable[[int], object], count: int) -> list[float]:
    times = []
    for n in range(count):
        started = time.perf_counter()
        call(n)
        times.append((time.perf_counter() - started) * 1000)
    return times


def donation(prefix: str, n: int) -> dict[str, object]:
    return {
        "voucher_no": f"{prefix}-{n:05d}",
        "amount_vnd": 100_000 + n,
        "business_date": "2022-12-30",
        "donor": "Nhà hảo tâm",
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def over_http(url: str, count: int) -> tuple[list[float], list[float]]:
    ledger = Ledger(url)
    token = TokenStore(ReadModels(ledger).engine).create(Role.TREASURER, COMMUNE)
    ledger.close()
    port = free_port()
    env = {**os.environ, "KHUYENHOC_DATABASE_URL": url, "KHUYENHOC_PORT": str(port)}
    khuyenhoc = Path(sys.executable).parent / "khuyenhoc"
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(  # noqa: S603 -- our own command, fixed arguments
            [str(khuyenhoc), "serve"], env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            for _ in range(600):
                try:
                    with urllib.request.urlopen(
                        f"http://127.0.0.1:{port}/health", timeout=1
                    ):
                        break
                except OSError:
                    time.sleep(0.1)
            conn = http.client.HTTPConnection("127.0.0.1", port)
            headers = {
                "Authorization": f"Bearer {token.secret}",
                "Content-Type": "application/json",
            }
            prefix = f"HTTP-{secrets.token_hex(3)}"

            def post(n: int) -> None:
                body = json.dumps(donation(prefix, n))
                conn.request(
                    "POST", f"/v1/organisations/{COMMUNE}/donations", body, headers
                )
                answer = conn.getresponse()
                answer.read()
                assert answer.status == 201, answer.status  # noqa: S101

            def get(_: int) -> None:
                conn.request(
                    "GET",
                    f"/v1/organisations/{PROVINCE}/summary?year=2022&subtree=true",
                )
                answer = conn.getresponse()
                answer.read()
                assert answer.status == 200, answer.status  # noqa: S101

            timed(post, 20)  # warm-up
            timed(get, 20)
            posts, gets = timed(post, count), timed(get, count)
            conn.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    return posts, gets


def in_process(url: str, count: int) -> tuple[list[float], list[float]]:
    ledger = Ledger(url)
    read_models = ReadModels(ledger)
    queries = Queries(read_models)
    read_models.catch_up()
    prefix = f"PY-{secrets.token_hex(3)}"

    def record(n: int) -> None:
        body = donation(prefix, n)
        ledger.receive_donation(
            COMMUNE,
            voucher_no=str(body["voucher_no"]),
            amount=int(str(body["amount_vnd"])),
            business_date=date(2022, 12, 30),
            donor="Nhà hảo tâm",
            recorded_by="bench",
        )
        read_models.catch_up()

    def summary(_: int) -> None:
        queries.summary(PROVINCE, 2022, subtree=True)

    timed(record, 20)
    timed(summary, 20)
    records, summaries = timed(record, count), timed(summary, count)
    ledger.close()
    return records, summaries


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--db", default="var/bench/nghe-an-2022.sqlite3")
    parser.add_argument("--url", help="a PostgreSQL URL instead of --db")
    parser.add_argument("--requests", type=int, default=REQUESTS)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        if args.url:
            url = args.url
        else:
            if not Path(args.db).exists():
                parser.error(f"{args.db} does not exist: run python -m bench.rebuild")
            copy = Path(scratch) / "api.sqlite3"
            shutil.copy(args.db, copy)
            url = f"sqlite:///{copy}"
        print(f"progress: HTTP, {args.requests} requests each", file=sys.stderr)
        posts, gets = over_http(url, args.requests)
        print("progress: in-process", file=sys.stderr)
        records, summaries = in_process(url, args.requests)
    backend = "PostgreSQL" if args.url else "SQLite"
    print(f"### Request latency, {backend}, full-scale history\n")
    print(
        f"{args.requests} requests of each kind, one at a time over one keep-alive "
        "connection to `khuyenhoc serve` (uvicorn, embedded read models), after 20 "
        "warm-up requests; in-process: the same calls without HTTP.\n"
    )
    print("| call | HTTP p50 | HTTP p99 | in-process p50 | in-process p99 | "
          "HTTP/in-process (p50) |\n|---|---:|---:|---:|---:|---:|")  # fmt: skip
    for name, http_times, local_times in (
        ("POST donation (answer after the read models include it)", posts, records),
        ("GET province 2022 subtree summary", gets, summaries),
    ):
        h50, h99 = percentiles(http_times)
        l50, l99 = percentiles(local_times)
        print(
            f"| {name} | {h50:.2f} ms | {h99:.2f} ms | {l50:.2f} ms | {l99:.2f} ms "
            f"| {h50 / l50:.1f}x |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
