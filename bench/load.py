"""A scale-out deployment on one machine, and concurrent clients writing to it.

``Cluster`` starts ``khuyenhoc project`` (the projection worker) and
``khuyenhoc serve --workers N`` (API workers, ``KHUYENHOC_PROJECTIONS=external``)
on one database, and can SIGKILL a projection worker or one API worker and
restart them. ``drive`` runs clients in threads, each sending its list of
writes one at a time over its own keep-alive connection, with an
``Idempotency-Key`` per write: a write that gets no answer (connection lost, a
worker killed) or a retryable one (``409 concurrent_update``, ``503``) is sent
again with the same key and body until it is acknowledged, so in the end every
write is acknowledged exactly once. Some writes are deliberately re-sent after
their acknowledgement, to check that the key replays the first answer.

Used by ``tests/integration/test_scale_out.py`` and ``bench/scale_out.py``.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

RETRYABLE = {409: "concurrent_update", 503: None}
MAX_ATTEMPTS = 50
IN_PROGRESS = "idempotency_key_in_progress"
IN_PROGRESS_PAUSE = 1.0
"""The server's ``Retry-After``: 50 attempts outlast an abandoned claim (30 s,
``api.http.idempotency.ABANDONED_SECONDS``)."""


@dataclass(frozen=True, slots=True)
class Write:
    org: str
    kind: str
    """``donations`` or ``disbursements``."""
    voucher_no: str
    amount: int
    business_date: str = "2022-06-01"
    resend: bool = False
    """Send it once more after it is acknowledged (the answer must replay)."""

    def body(self) -> bytes:
        fields: dict[str, object] = {
            "voucher_no": self.voucher_no,
            "amount_vnd": self.amount,
            "business_date": self.business_date,
        }
        if self.kind == "disbursements":
            fields |= {"category": "scholarship", "recipients": 1}
        return json.dumps(fields).encode()


@dataclass(slots=True)
class Outcome:
    write: Write
    status: int
    entry_id: str
    position: int
    latency_ms: float
    """From the first send to the acknowledgement, retries included."""
    attempts: int
    replayed: dict[str, object] | None = None
    unanswered: int = 0
    """Sends that got no answer (the connection died: a worker was killed)."""


@dataclass
class DriveProgress:
    """What the clients have seen so far, for a test's fault injector to watch:
    writes acknowledged, and sends that got no answer (counted when the
    connection breaks, before the write is sent again)."""

    acknowledged: int = 0
    unanswered: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, *, acknowledged: int = 0, unanswered: int = 0) -> None:
        with self.lock:
            self.acknowledged += acknowledged
            self.unanswered += unanswered


@dataclass
class Cluster:
    """Projection worker + API workers on ``url``; a context manager."""

    url: str
    workers: int = 2
    scratch: Path = field(default_factory=Path.cwd)
    port: int = 0
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.port = self.port or free_port()
        self.env = {
            **os.environ,
            "KHUYENHOC_DATABASE_URL": self.url,
            "KHUYENHOC_PORT": str(self.port),
            "KHUYENHOC_PROJECTIONS": "external",
        }
        self.bin = Path(sys.executable).parent / "khuyenhoc"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Cluster:
        self.start_projection_worker()
        self._start("serve", "serve", "--workers", str(self.workers))
        wait_for(f"{self.base}/health")
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def _start(self, name: str, *args: str) -> None:
        with (self.scratch / f"{name}.log").open("ab") as log:
            self.processes[name] = subprocess.Popen(  # noqa: S603 -- our own command
                [str(self.bin), *args], env=self.env, stdout=log, stderr=log
            )

    def start_projection_worker(self) -> None:
        self._start("project", "project", "--poll", "0.5")

    def kill_projection_worker(self) -> None:
        process = self.processes["project"]
        process.send_signal(signal.SIGKILL)
        process.wait()

    def api_worker_pids(self) -> list[int]:
        """The live API worker processes (uvicorn spawns them)."""
        serve = self.processes["serve"].pid
        children = Path(f"/proc/{serve}/task/{serve}/children").read_text().split()
        workers = []
        for pid in children:
            try:
                status = Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0]
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except FileNotFoundError:
                continue
            if status != "Z" and b"spawn_main" in cmdline:
                workers.append(int(pid))
        return workers

    def kill_api_worker(self) -> int:
        """SIGKILL one API worker; uvicorn's supervisor starts a new one."""
        victim = self.api_worker_pids()[0]
        os.kill(victim, signal.SIGKILL)
        return victim

    def log(self, name: str) -> str:
        return (self.scratch / f"{name}.log").read_text(errors="replace")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 -- our own server
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def drive(
    base: str,
    token: str,
    clients: Sequence[Sequence[Write]],
    progress: DriveProgress | None = None,
) -> list[Outcome]:
    """Send each client's writes from its own thread; every write's outcome
    (``progress``, if given, is kept up to date as they go)."""
    seen = progress if progress is not None else DriveProgress()
    outcomes: list[list[Outcome]] = [[] for _ in clients]
    failures: list[BaseException] = []

    def client(index: int) -> None:
        try:
            sender = _Sender(base, token, seen)
            for write in clients[index]:
                outcomes[index].append(sender.send(write))
            sender.close()
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return [outcome for per_client in outcomes for outcome in per_client]


class _Sender:
    def __init__(self, base: str, token: str, progress: DriveProgress) -> None:
        self.host, self.port = base.removeprefix("http://").split(":")
        self.token = token
        self.progress = progress
        self.conn = self._connect()

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.host, int(self.port), timeout=30)

    def close(self) -> None:
        self.conn.close()

    def _post(self, write: Write) -> tuple[int, dict[str, str], dict[str, object]]:
        headers = {
            "Authorization": f"Bearer {self.token}",
            "Content-Type": "application/json",
            "Idempotency-Key": f"{write.org}/{write.voucher_no}",
        }
        path = f"/v1/organisations/{write.org}/{write.kind}"
        self.conn.request("POST", path, write.body(), headers)
        answer = self.conn.getresponse()
        body = json.loads(answer.read() or b"{}")
        return answer.status, dict(answer.getheaders()), body

    def _post_until_answered(
        self, write: Write
    ) -> tuple[int, dict[str, str], dict[str, object]]:
        for _ in range(MAX_ATTEMPTS):
            try:
                return self._post(write)
            except (OSError, http.client.HTTPException):
                self.conn.close()
                self.conn = self._connect()
                time.sleep(0.05)
        raise RuntimeError(f"{write} got no answer")

    def send(self, write: Write) -> Outcome:
        started = time.perf_counter()
        last: object = "no answer"
        unanswered = 0
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                status, _, body = self._post(write)
            except (OSError, http.client.HTTPException) as error:
                # No answer: the worker may have died before or after the
                # commit. Send the very same request again.
                last = repr(error)
                unanswered += 1
                self.progress.count(unanswered=1)
                self.conn.close()
                self.conn = self._connect()
                time.sleep(0.05)
                continue
            if status == 409 and body.get("code") == IN_PROGRESS:
                # The key's first request is running, or its worker died
                # mid-request and the claim is given up after a while.
                last = (status, body)
                time.sleep(IN_PROGRESS_PAUSE)
                continue
            if status in RETRYABLE and body.get("code") in (
                RETRYABLE[status],
                "read_model_lag",
            ):
                last = (status, body)
                time.sleep(0.01 * attempt)
                continue
            latency = (time.perf_counter() - started) * 1000
            outcome = Outcome(
                write,
                status,
                str(body.get("entry_id", "")),
                int(str(body.get("position", 0))),
                latency,
                attempt,
                unanswered=unanswered,
            )
            self.progress.count(acknowledged=1)
            if write.resend and status == 201:
                again_status, headers, again = self._post_until_answered(write)
                outcome.replayed = {
                    "status": again_status,
                    "same": again == body,
                    "header": headers.get("idempotent-replayed"),
                }
            return outcome
        raise RuntimeError(f"{write} was never acknowledged; last answer: {last}")
