"""Waiting on child processes and servers, always with a deadline.

``read_line`` reads one line a child prints, or fails after ``timeout``
seconds, saying so; ``wait_until_serving`` polls a server's URL until it
answers, and fails with the reason — the server exited (its log shown) or
never answered in time — instead of letting the test go on without it.
"""

from __future__ import annotations

import selectors
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import IO

import pytest


def wait_readable(
    stream: IO[str] | IO[bytes], timeout: float, *, what: str = "the child"
) -> None:
    """Return once ``stream`` (a pipe from a child) has something to read;
    fail after ``timeout`` seconds."""
    with selectors.DefaultSelector() as selector:
        selector.register(stream, selectors.EVENT_READ)
        if not selector.select(timeout):
            pytest.fail(f"{what} printed nothing in {timeout} s")


def read_line(stream: IO[str], timeout: float, *, what: str = "the child") -> str:
    """The next line of ``stream`` (a pipe from a child), within ``timeout``."""
    wait_readable(stream, timeout, what=what)
    return stream.readline()


def wait_until_serving(
    url: str,
    server: subprocess.Popen[bytes] | subprocess.Popen[str],
    *,
    log: Path | None = None,
    timeout: float = 60.0,
) -> None:
    """Return once ``url`` answers; fail if ``server`` exits or time runs out."""
    deadline = time.monotonic() + timeout
    last: OSError | None = None
    while time.monotonic() < deadline:
        if server.poll() is not None:
            shown = log.read_text(errors="replace") if log is not None else ""
            pytest.fail(
                f"the server exited ({server.returncode}) before {url}\n{shown}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 -- our own server
                return
        except OSError as error:
            last = error
            time.sleep(0.1)
    shown = log.read_text(errors="replace") if log is not None else ""
    pytest.fail(f"{url} did not answer in {timeout} s (last: {last!r})\n{shown}")
