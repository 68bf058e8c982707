"""The read side's Python API: the questions the HTTP layer and the CLI ask.

Every answer comes from the read models' tables, never from the event log or
aggregates. A subtree question reads the roll-up rows kept for that subtree,
so it costs the same for a commune as for a province: a balance or summary
is one or two rows, a balance ``as_of`` a date sums about one row per day of
activity. The exception is ``known_at``: the entries recorded later on the
same day as the moment are read to take them off, over today's subtree
(found with a recursive query) — a cost that grows with the subtree, paid
only by point-in-time questions of auditors.

One module per group of questions: ``balances``, ``summaries`` (yearly
summaries and campaign totals), ``journal``, ``hierarchy``, ``lineage``
(names and levels by date, predecessors and successors). A group takes the
tables it reads from the views (``read_models.view(SomeView)``); a new group
is its module and one more base of ``Queries``.
"""

from __future__ import annotations

from projections.queries.balances import BalanceQueries
from projections.queries.journal import JournalQueries
from projections.queries.lineage import LineageQueries
from projections.queries.summaries import SummaryQueries


class Queries(BalanceQueries, SummaryQueries, JournalQueries, LineageQueries):
    """Questions answered from the read models of a ``ReadModels``."""


__all__ = ["Queries"]
