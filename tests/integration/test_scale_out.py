"""Scale-out on PostgreSQL: two API workers and a projection worker under eight
concurrent clients — nothing lost, nothing twice, even when workers are killed.

Clients write donations and disbursements to a few shared organisations and
many separate ones, re-send some writes with the same Idempotency-Key, and
retry until every write is acknowledged. Then: every acknowledged write is in
the log exactly once and nothing else is; every balance equals the sum of
the acknowledged entries; the read models converge; verify is clean.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from api.auth.tokens import Role, TokenStore
from bench.load import Cluster, DriveProgress, Outcome, Write, drive
from ledger import Ledger
from ledger.organisation import Organisation
from projections import Queries, ReadModels
from projections.errors import WaitTimeout
from projections.verify import verify

pytestmark = pytest.mark.postgres

SHARED = ("NA-S1", "NA-S2", "NA-S3")
SEPARATE = tuple(f"NA-C{n:02d}" for n in range(16))
CLIENTS = 8
WRITES_PER_CLIENT = 30
FLOAT = 1_000_000_000
"""Each organisation's opening donation: disbursements never run short."""


def prepare(url: str) -> str:
    """The province and its communes, each with money; a treasurer's token."""
    ledger = Ledger(url)
    try:
        ledger.register_organisation(
            "NA", name="Nghệ An", level="province", registered_on=date(2010, 1, 1)
        )
        for code in SHARED + SEPARATE:
            ledger.register_organisation(
                code,
                name=f"Xã {code}",
                level="commune",
                parent_code="NA",
                registered_on=date(2010, 1, 1),
            )
            ledger.receive_donation(
                code, voucher_no="PT-0", amount=FLOAT, business_date=date(2022, 1, 1)
            )
        ReadModels(ledger).catch_up()
        return TokenStore(ReadModels(ledger).engine).create(Role.TREASURER, "NA").secret
    finally:
        ledger.close()


def workload(seed: int) -> list[list[Write]]:
    rng = random.Random(seed)
    clients: list[list[Write]] = []
    for client in range(CLIENTS):
        writes = []
        for n in range(WRITES_PER_CLIENT):
            org = rng.choice(SHARED) if rng.random() < 0.5 else rng.choice(SEPARATE)
            kind = "disbursements" if rng.random() < 0.3 else "donations"
            writes.append(
                Write(
                    org=org,
                    kind=kind,
                    voucher_no=f"L{client}-{n:03d}",
                    amount=rng.randrange(1, 1_000) * 1_000,
                    resend=rng.random() < 0.1,
                )
            )
        clients.append(writes)
    return clients


def check(url: str, outcomes: list[Outcome], planned: list[list[Write]]) -> None:
    acknowledged = [o for o in outcomes if o.status == 201]
    assert len(acknowledged) == sum(len(w) for w in planned)
    for outcome in outcomes:
        if outcome.replayed is not None:
            assert outcome.replayed == {"status": 201, "same": True, "header": "true"}
    ledger = Ledger(url)
    try:
        read_models = ReadModels(ledger)
        read_models.wait(read_models.head(), timeout=60)
        queries = Queries(read_models)
        # Exactly once in the log, and nothing unacknowledged.
        in_log: Counter[tuple[str, str]] = Counter()
        for code in SHARED + SEPARATE:
            for event in ledger.events.get(Organisation.id_for(code)):
                if isinstance(event, Organisation.Entry) and event.voucher_no != "PT-0":
                    in_log[(code, event.voucher_no)] += 1
        expected = Counter((o.write.org, o.write.voucher_no) for o in acknowledged)
        assert in_log == expected
        # Every balance is the sum of the acknowledged entries.
        for code in SHARED + SEPARATE:
            mine = [o.write for o in acknowledged if o.write.org == code]
            total = FLOAT + sum(
                w.amount if w.kind == "donations" else -w.amount for w in mine
            )
            assert ledger.balance(code) == total
            assert queries.balance(code).balance == total
        assert queries.balance("NA", subtree=True).balance == sum(
            ledger.balance(code) for code in SHARED + SEPARATE
        )
        result = verify(read_models)
        assert result.clean, [str(d) for d in result.differences[:5]]
    finally:
        ledger.close()


def converge(url: str, cluster: Cluster) -> None:
    """Wait, while the projection worker still runs, until the read models reach
    the log's head: leaving the cluster stops the worker."""
    ledger = Ledger(url)
    try:
        read_models = ReadModels(ledger)
        head = read_models.head()
        try:
            read_models.wait(head, timeout=120)
        except WaitTimeout as timeout:
            raise AssertionError(f"{timeout}\n{cluster.log('project')}") from None
    finally:
        ledger.close()


def test_concurrent_clients_lose_nothing_and_record_nothing_twice(
    postgres_url: str, tmp_path: Path
) -> None:
    token = prepare(postgres_url)
    planned = workload(seed=6)
    with Cluster(postgres_url, workers=2, scratch=tmp_path) as cluster:
        outcomes = drive(cluster.base, token, planned)
        converge(postgres_url, cluster)
    check(postgres_url, outcomes, planned)


MAX_KILLS = 4
"""API workers killed at most, one at a time, until one kill cut a write off."""


def wait_until(condition: Callable[[], bool], stop: threading.Event, what: str) -> None:
    deadline = time.monotonic() + 120
    while not condition():
        if stop.is_set():
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"waited two minutes for {what}")
        time.sleep(0.01)


def test_killed_workers_lose_nothing(postgres_url: str, tmp_path: Path) -> None:
    """Workers are killed while clients write — an API worker at a time, until
    a kill cut off at least one write (its client got no answer and sent it
    again), and the projection worker once — and still every write is in the
    log exactly once, and the read models converge."""
    token = prepare(postgres_url)
    planned = workload(seed=7)
    total = sum(len(writes) for writes in planned)
    progress = DriveProgress()
    stop = threading.Event()
    killed: list[int] = []
    failures: list[BaseException] = []
    with Cluster(postgres_url, workers=2, scratch=tmp_path) as cluster:

        def reached(share: int) -> Callable[[], bool]:
            return lambda: progress.acknowledged >= share

        def replaced(victim: int) -> Callable[[], bool]:
            def done() -> bool:
                workers = cluster.api_worker_pids()
                return len(workers) == 2 and victim not in workers

            return done

        def faults() -> None:
            try:
                for round_no in range(1, MAX_KILLS + 1):
                    # Kill while writes are flowing: after a share of them.
                    share = total * round_no // (MAX_KILLS + 2)
                    wait_until(reached(share), stop, "progress")
                    if stop.is_set():
                        return
                    if round_no == 1:
                        cluster.kill_projection_worker()
                    victim = cluster.kill_api_worker()
                    killed.append(victim)
                    wait_until(replaced(victim), stop, "a new API worker")
                    if round_no == 1:
                        cluster.start_projection_worker()
                    if progress.unanswered:
                        return
            except BaseException as error:
                failures.append(error)

        chaos = threading.Thread(target=faults, daemon=True)
        chaos.start()
        try:
            outcomes = drive(cluster.base, token, planned, progress)
        finally:
            stop.set()
            chaos.join(timeout=150)
        assert not failures, failures
        assert killed
        # uvicorn's supervisor replaced every killed worker.
        for _ in range(600):
            workers = cluster.api_worker_pids()
            if len(workers) == 2 and not set(killed) & set(workers):
                break
            time.sleep(0.1)
        assert len(workers) == 2
        assert not set(killed) & set(workers)
        # At least one kill hit a write: its client got no answer, sent it
        # again with the same key, and it was acknowledged (check(): once).
        interrupted = [o for o in outcomes if o.unanswered]
        assert interrupted, f"none of {len(killed)} kills cut off a write"
        assert progress.unanswered >= len(interrupted)
        converge(postgres_url, cluster)
    check(postgres_url, outcomes, planned)
