"""Progress of long work (import, export, rebuild, verify) for people watching.

On a terminal: one line redrawn in place, a bar with counts, the rate and
the time left, at most ten times a second. Elsewhere (a pipe, a log file):
a plain line every ``PLAIN_EVERY`` seconds and one at the end, so that logs
stay readable. Either way it goes to standard error, leaving standard output
to the work's own output (an export, a report).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

BAR = 24
REDRAW_EVERY = 0.1
PLAIN_EVERY = 10.0


class Progress:
    """``update(done)`` as the work goes, ``finish()`` at the end."""

    def __init__(
        self,
        label: str,
        total: int | None,
        unit: str,
        *,
        stream: TextIO | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.label = label
        self.total = total
        self.unit = unit
        self.stream = stream or sys.stderr
        self.clock = clock
        self.tty = self.stream.isatty()
        self.started = self.clock()
        self.shown_at = self.started
        self.done = 0
        self.finished = False

    def update(self, done: int) -> None:
        self.done = done
        now = self.clock()
        if now - self.shown_at >= (REDRAW_EVERY if self.tty else PLAIN_EVERY):
            self.shown_at = now
            self._show(now, final=False)

    def finish(self, done: int | None = None) -> None:
        if self.finished:
            return
        self.finished = True
        if done is not None:
            self.done = done
        self._show(self.clock(), final=True)

    def interrupt(self, text: str) -> None:
        """Print a line of other output without tearing the bar."""
        if self.tty:
            self.stream.write("\r\x1b[K")
        self.stream.write(text + "\n")
        self.stream.flush()

    def line(self, now: float) -> str:
        seconds = max(now - self.started, 1e-9)
        rate = self.done / seconds
        counts = f"{self.done:,}"
        bar = ""
        left = ""
        if self.total:
            counts += f"/{self.total:,}"
            share = min(self.done / self.total, 1.0)
            filled = round(share * BAR)
            bar = f"[{'#' * filled}{'.' * (BAR - filled)}] {share:4.0%} "
            if rate > 0 and self.done < self.total:
                left = f", {(self.total - self.done) / rate:,.0f} s left"
        return (
            f"{self.label}: {bar}{counts} {self.unit}, {rate:,.0f}/s, "
            f"{seconds:,.1f} s{left}"
        )

    def _show(self, now: float, *, final: bool) -> None:
        text = self.line(now)
        if self.tty:
            self.stream.write("\r\x1b[K" + text + ("\n" if final else ""))
        else:
            self.stream.write(text + "\n")
        self.stream.flush()
