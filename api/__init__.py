"""Entry points for people and programs: HTTP, the web pages, the command line.

They parse, check who may, call the ``Ledger`` (writes) or the read models'
queries (reads) and format; the rules live in ``ledger/``.

- ``http``: the FastAPI app — routes, request/response schemas, problems,
  idempotency, hardening;
- ``web``: the server-rendered pages, served by the same app;
- ``cli``: the ``khuyenhoc`` command line, one module per group of commands;
- ``books``: the books in and out — CSV import, exports, printed reports;
- ``auth``: tokens, the failed-authentication throttle, who may do what;
- ``ops``: work on a whole log — replay, migrate, the periodic sealer, the demo;
- ``settings``: the one settings object, read from ``KHUYENHOC_*`` variables;
- ``bootstrap``: where the parts are put together on one database URL.

Data flow: a door (``http``, ``web``, ``cli``, ``books``' importer) turns its
input into a ``Ledger`` command; the read models follow the event log; the
doors read them through ``projections.Queries``.
"""
