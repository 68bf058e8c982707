"""Waiting for the read models to reach a log position: every ``?after=``.

A write answers with its log position; a read given it as ``?after=`` (the
API's reads, the desk after a form) waits until the read models include it.
``Waits.until`` is the one way to wait, so every door gets the same three
protections:

- **after the end**: a position past the log's head is refused at once
  (``422 invalid_input``) — nothing will ever reach it;
- **bounded in time**: at most ``read_wait_seconds``, then ``503
  read_model_lag``;
- **bounded in number, and no thread held**: the wait sleeps on the event
  loop between looks, so a waiting request holds no worker thread; the
  waiting requests share their looks (one task makes a short query in the
  thread pool every ``LOOK_EVERY`` seconds, however many wait, and wakes
  them when the position moves); and at most
  ``limit`` requests wait at once in a process — one more is answered ``503
  read_model_lag`` at once rather than queued.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from starlette.concurrency import run_in_threadpool

from projections import ReadModels
from projections.errors import InvalidQuery, WaitTimeout

logger = logging.getLogger(__name__)
MAX_WAITERS = 1_000
"""Requests that may wait at once in one process."""
LOOK_EVERY = 0.02
"""Seconds between two looks at the read models' position by waiting requests."""


class Waits:
    """The waits of one process: counted, bounded, on the event loop.

    While any request waits, one task looks at the read models' position
    every ``LOOK_EVERY`` seconds and wakes the waiters when it moves; the
    waiters themselves only sleep.
    """

    def __init__(self, limit: int = MAX_WAITERS) -> None:
        self.limit = limit
        self.waiting = 0
        self._seen = 0
        self._news: asyncio.Event | None = None
        self._looker: asyncio.Task[None] | None = None

    async def until(self, read_models: ReadModels, after: int, timeout: float) -> int:
        """The read models' position once it is at least ``after``.

        Raises ``InvalidQuery`` for a position past the log's end and
        ``WaitTimeout`` when the wait runs out, or when too many wait already.
        """
        position = await run_in_threadpool(read_models.position)
        if position >= after:
            return position
        head = await run_in_threadpool(read_models.head)
        if after > head:
            raise InvalidQuery(
                f"?after={after} is beyond the end of the event log ({head})",
                after=after,
            )
        if self.waiting >= self.limit:
            raise WaitTimeout(
                f"the read models are at position {position}, not {after}, and "
                f"{self.waiting} requests are waiting already"
            )
        self.waiting += 1  # the event loop is one thread: no lock needed
        try:
            return await self._wait(read_models, after, timeout)
        finally:
            self.waiting -= 1

    async def _wait(self, read_models: ReadModels, after: int, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        if self._looker is None:
            self._news = asyncio.Event()
            self._looker = asyncio.create_task(self._look(read_models))
        while self._seen < after:
            news = self._news
            remaining = deadline - time.monotonic()
            if news is None or remaining <= 0:
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(news.wait(), remaining)
        if self._seen < after:
            raise WaitTimeout(
                f"the read models reached position {self._seen}, not {after}, "
                f"within {timeout} s"
            )
        return self._seen

    async def _look(self, read_models: ReadModels) -> None:
        """Look at the position while anyone waits; wake them when it moves."""
        try:
            while self.waiting > 0:
                position = await run_in_threadpool(read_models.position)
                if position != self._seen:
                    self._seen = position
                    news, self._news = self._news, asyncio.Event()
                    if news is not None:
                        news.set()
                await asyncio.sleep(LOOK_EVERY)
        except Exception:  # the waiters run out of time and say so
            logger.exception("the read models' position could not be read")
        finally:
            self._looker = None
