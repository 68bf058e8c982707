"""Operations on a whole event log, for operators and auditors.

- ``replay``: the books as they stood at a log position or date, copied into
  a database of their own with the seals that cover them;
- ``migrate``: the whole ledger (events, snapshots, tokens) into another
  database, then its read models rebuilt and verified there;
- ``sealer``: the thread that seals the log every few minutes while the HTTP
  service runs (it knows nothing of HTTP: the app only starts and stops it);
- ``demo``: a small sample province recorded through the ``Ledger``.
"""
