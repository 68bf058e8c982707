"""The HTTP API's request and response bodies (pydantic), one module per resource.

They are neither events nor read-model rows: each route turns a ``…Create``
into a ``Ledger`` command and a query's answer into a ``…Public``.
"""
