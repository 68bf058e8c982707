"""The read side: read models built from the ledger's event log, and queries.

Glossary (design §4): a *line* is one movement of one fund (the journal's
row); *stocks* (balances) roll up along today's hierarchy, *flows* (raised,
disbursed, recipients, transfers) along the hierarchy as it stood on their
business date; a *view* is a read model's tables plus its tracking record,
and the methods that apply the events it uses; the *registry*
(``projections.registry``) lists the read models; the *position* is how far
along the event log the views are.

Data flow: the ``Ledger`` appends events → ``ReadModels.catch_up`` pulls
them in batches, decodes each event and computes its lines once, and applies
each batch to every registered view in one transaction, with its session →
``Queries`` read the views' tables only. This package imports nothing from
``ledger/`` but its events and their vocabulary.
"""

from projections.queries import Queries
from projections.runner import ReadModels

__all__ = ["Queries", "ReadModels"]
