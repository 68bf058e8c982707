"""The HTTP service's sealer: a thread that seals every log of record (the
books' and the tokens') every
``seal_interval_seconds`` (``KHUYENHOC_SEAL_INTERVAL_SECONDS``; 0: never).

A seal is added only when events were recorded since the last one. Several
service processes may each run one: a seal number is taken once (the second
sealer's insert fails and it starts again from the new seal), so they never
both seal the same events.
"""

from __future__ import annotations

import logging
import threading

from ledger import Ledger
from ledger.seals import sealed_logs

logger = logging.getLogger(__name__)


class Sealer:
    def __init__(self, ledger: Ledger, interval: float) -> None:
        self._logs = sealed_logs(ledger)
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sealer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                for log in self._logs:
                    for seal in log.seal():
                        logger.info(
                            "sealed %s up to position %s (seal #%s)",
                            log.log,
                            seal.position,
                            seal.seal_no,
                        )
            except Exception:
                logger.exception("sealing the log failed; trying again later")

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._thread.join(timeout)


def start_sealer(ledger: Ledger, interval: float) -> Sealer | None:
    """A running sealer, or None when ``interval`` is 0 (sealing is off)."""
    return Sealer(ledger, interval) if interval > 0 else None
