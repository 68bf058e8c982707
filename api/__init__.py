"""Entry points for people and programs: the command line (and, later, HTTP).

They parse, call the ``Ledger`` and format; the rules live in ``ledger/``.
"""
