"""Failed authentications, counted per client and slowed down.

Each client (its IP address, as the server sees it) may fail to authenticate
``limit`` times within a sliding ``window``; the next attempt that carries a
token is refused with ``429 too_many_failed_authentications`` and a
``Retry-After`` header (the seconds until its oldest failure leaves the
window), without looking at the token. Requests without a token are never
refused: public figures stay public. A success does not clear the count, so a
valid token cannot be used to reset a guesser's budget.

The counts are in the process's memory: each worker counts for itself, and a
restart forgets. That is enough to make guessing slow; a secret has 256
random bits, so guessing is hopeless anyway. The clock is injected, so tests
assert on counts and answers, never on timings; nothing sleeps, and the event
loop is never held.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

MAX_CLIENTS = 10_000
"""Clients tracked at once; beyond that, the idlest tenth are forgotten (in
one go, so that a flood of new addresses does not sort the table each time)."""


class AuthThrottle:
    def __init__(
        self,
        limit: int,
        window: float,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, client: str) -> int | None:
        """Seconds the client must wait before trying a token again, or None
        when it may try now."""
        with self._lock:
            failures = self._recent(client)
            if len(failures) < self.limit:
                return None
            return max(1, math.ceil(failures[0] + self.window - self.clock()))

    def failed(self, client: str) -> None:
        with self._lock:
            failures = self._recent(client)
            failures.append(self.clock())
            self._failures[client] = failures
            if len(self._failures) > MAX_CLIENTS:
                self._forget_idlest()

    def failures(self, client: str) -> int:
        """Failures of the client within the window."""
        with self._lock:
            return len(self._recent(client))

    def _recent(self, client: str) -> deque[float]:
        failures = self._failures.get(client, deque())
        horizon = self.clock() - self.window
        while failures and failures[0] <= horizon:
            failures.popleft()
        if not failures:
            self._failures.pop(client, None)
        return failures

    def _forget_idlest(self) -> None:
        by_last = sorted(self._failures, key=lambda c: self._failures[c][-1])
        for client in by_last[: len(by_last) - MAX_CLIENTS * 9 // 10]:
            del self._failures[client]
