"""CSV import (design §5): treasurers' spreadsheets into the ledger.

Data flow: ``reader`` streams a file's rows and knows its kind by its header
(``formats``); ``rows`` turns a row's cells into a typed row (``values``
reads each cell), naming every bad cell; ``commands`` sends the row as the
``Ledger`` command it stands for; ``importer`` runs a whole import set in one
``Ledger.batch()``, so that it is written entirely or not at all.
"""

from api.books.csv_import.importer import FileReport, Importer, ImportReport, count_rows
from api.books.csv_import.reader import RowError

__all__ = ["FileReport", "ImportReport", "Importer", "RowError", "count_rows"]
