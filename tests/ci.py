"""One answer to "is this run CI?", for every test and fixture that asks.

In CI a test that cannot run (no PostgreSQL, no Chromium) fails instead of
skipping, and property tests run the ``ci`` Hypothesis profiles. CI is on
when the ``CI`` environment variable says so in any usual spelling: ``true``,
``1`` or ``yes``, in any case (``CI=True``, ``CI=1``, ``CI=YES``). Anything
else — unset, empty, ``false``, ``0``, ``no`` — is a developer's run.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

TRUTHY = frozenset({"true", "1", "yes"})


def in_ci(environ: Mapping[str, str] | None = None) -> bool:
    """Whether ``environ`` (default: this process's) marks a CI run."""
    value = (os.environ if environ is None else environ).get("CI", "")
    return value.strip().lower() in TRUTHY
