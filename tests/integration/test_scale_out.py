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
from datetime import date
from pathlib import Path

import pytest

from api.auth.tokens import Role, TokenStore
from bench.load import Cluster, Outcome, Write, drive
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


def test_killed_workers_lose_nothing(postgres_url: str, tmp_path: Path) -> None:
    token = prepare(postgres_url)
    planned = workload(seed=7)
    with Cluster(postgres_url, workers=2, scratch=tmp_path) as cluster:
        killed: list[int] = []

        def faults() -> None:
            time.sleep(0.8)
            cluster.kill_projection_worker()
            killed.append(cluster.kill_api_worker())
            time.sleep(0.5)
            cluster.start_projection_worker()

        chaos = threading.Thread(target=faults)
        chaos.start()
        outcomes = drive(cluster.base, token, planned)
        chaos.join()
        assert killed
        # uvicorn's supervisor replaced the killed worker.
        for _ in range(100):
            workers = cluster.api_worker_pids()
            if len(workers) == 2 and killed[0] not in workers:
                break
            time.sleep(0.1)
        assert len(workers) == 2
        assert killed[0] not in workers
        converge(postgres_url, cluster)
    check(postgres_url, outcomes, planned)
