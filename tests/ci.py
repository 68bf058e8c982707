"""One answer to "is this run CI?", for every test and fixture that asks.

In CI a test that cannot run (no PostgreSQL, no Chromium) fails instead of
skipping, and property tests run the ``ci`` Hypothesis profiles. CI is on
when the ``CI`` environment variable says so in any usual spelling: ``true``,
``1`` or ``yes``, in any case (``CI=True``, ``CI=1``, ``CI=YES``). Anything
else — unset, empty, ``false``, ``0``, ``no`` — is a developer's run.

In CI each property test runs a derandomized pass, then a random pass of
``random_pass_settings`` from ``RANDOM_SEED`` (``KHUYENHOC_HYPOTHESIS_SEED``
when set, to replay a failure; else drawn once per session and printed).
"""

from __future__ import annotations

import os
import random
from collections.abc import Mapping

from hypothesis import settings

TRUTHY = frozenset({"true", "1", "yes"})


def in_ci(environ: Mapping[str, str] | None = None) -> bool:
    """Whether ``environ`` (default: this process's) marks a CI run."""
    value = (os.environ if environ is None else environ).get("CI", "")
    return value.strip().lower() in TRUTHY


SEED_VARIABLE = "KHUYENHOC_HYPOTHESIS_SEED"
RANDOM_SEED = int(os.environ.get(SEED_VARIABLE) or random.randrange(2**32))
"""The seed of CI's random pass of every property test, this session."""


def random_pass_settings(fixed: settings) -> settings:
    """The random pass's settings: ``fixed``'s, drawn afresh, a quarter as many."""
    return settings(
        fixed,
        derandomize=False,
        database=None,
        max_examples=max(5, fixed.max_examples // 4),
    )


def replay_hint(nodeid: str) -> str:
    return (
        f"random pass, seed {RANDOM_SEED}: replay with "
        f"{SEED_VARIABLE}={RANDOM_SEED} CI=true pytest '{nodeid}'"
    )
