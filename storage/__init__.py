"""Where the data lives: the plumbing every layer shares, below ``ledger/`` and
``projections/`` (it imports neither, nor ``api/``).

- ``engines``: how a database URL becomes a usable SQLAlchemy engine — the
  default URL, SQLite's file folder and pragmas (durable, patient), statement
  values kept out of error messages, the pool returned on close; and a URL
  safe to print;
- ``schema``: the tables beside the events (the ledger's, the read models',
  the seals', the tokens', the idempotency answers') created if missing, under
  one PostgreSQL advisory lock, so that processes starting at once do not
  collide.

Data flow: the ledger's persistence factory (``ledger.persistence``) builds
the engine from the URL and hands it to ``engines.configure``; whoever owns a
table passes it to ``schema.create_tables`` on that engine.
"""
