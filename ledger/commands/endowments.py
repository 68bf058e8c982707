"""Endowment funds (quỹ mang tên, issue 15): the principal is kept, only its
income is spent ("bảo toàn vốn, chỉ dùng lãi")."""

from __future__ import annotations

import attrs

from ledger.commands.organisations import OpenFund


@attrs.frozen
class OpenEndowment(OpenFund):
    """Open ``fund`` as an endowment: gifts, opening balances and transfers
    received into it are principal, which no payment or transfer may touch;
    income booked to it (interest …) is what it may spend. Opening the same
    endowment again is a no-op."""
