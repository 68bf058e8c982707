"""Exports an auditor's tools can check (design §5, ``khuyenhoc export``).

- ``csv_export``: one row per entry, UTF-8 with a byte-order mark, the import
  format's columns first (an export imports back as the same entries);
- ``jsonl``: the raw event log in log order, for archiving;
- ``learning_csv``: the learning-model reports, in their import format;
- ``hledger``: an hledger journal whose ``hledger bal`` gives the ledger's
  balances, fund by fund and subtree by subtree.

Each reads the read models' tables (``directory``) and the event log only,
streams what it writes, and takes a ``Selection``: an organisation's subtree
and a range of dates.
"""

from api.books.exports.csv_export import write_csv
from api.books.exports.directory import Selection
from api.books.exports.hledger import write_hledger
from api.books.exports.jsonl import write_jsonl
from api.books.exports.learning_csv import write_learning_csv

__all__ = [
    "Selection",
    "write_csv",
    "write_hledger",
    "write_jsonl",
    "write_learning_csv",
]
