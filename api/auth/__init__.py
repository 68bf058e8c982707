"""Who is asking, and what they may do.

- ``tokens``: bearer tokens kept as a ledger of their own (issued, re-scoped,
  revoked), with a lookup table; a ``Principal`` is a token's role and scope;
- ``throttle``: failed authentications per client, slowed down;
- ``gate``: ``authenticate(tokens, throttle, secret, client)`` — the throttle,
  then the token — for every door that takes a token;
- ``access``: the routes' and pages' access rules (treasurer's subtree,
  auditor, admin) as FastAPI dependencies.
"""
