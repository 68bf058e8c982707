"""The read models, in the one place that lists them.

Adding a read model is writing its view (a ``View`` subclass: its tables,
and the methods marked ``@handles`` that apply the events it uses) and
adding it here. The runner builds the views in this order, moves their
tracking records together, applies each event to them in this order, and
reads from the log only the topics they handle (``TOPICS``); ``rebuild``,
``verify``, ``position()`` and table creation go over the same list. A view
may read the views listed before it (``View.connect``).
"""

from __future__ import annotations

from collections.abc import Iterable

from eventsourcing.utils import get_topic

from projections.accounts import AccountsView
from projections.balances import BalancesView
from projections.campaigns import CampaignsView
from projections.hierarchy import HierarchyView
from projections.journal import JournalView
from projections.learning import LearningView
from projections.recognitions import RecognitionsView
from projections.summary import SummaryView
from projections.view import View

READ_MODELS: tuple[type[View], ...] = (
    HierarchyView,  # first: the others look up ancestors in its tree
    JournalView,  # before the flow views: a move re-reads its lines
    BalancesView,
    SummaryView,
    CampaignsView,
    AccountsView,
    LearningView,
    RecognitionsView,
)


def topics_of(views: Iterable[type[View]]) -> tuple[str, ...]:
    """The topics of the events the views handle, each once."""
    return tuple(
        dict.fromkeys(get_topic(cls) for view in views for cls in view.handled)
    )


TOPICS = topics_of(READ_MODELS)
"""The events a read model uses. Vouchers' events and a parent's
``ChildAttached``/``ChildDetached`` (the other halves of registrations and
moves) change none, so the runner does not even read them."""
