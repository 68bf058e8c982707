"""Opening an endowment fund (issue 15)."""

from __future__ import annotations

from ledger.commands.endowments import OpenEndowment
from ledger.handlers.registry import handles
from ledger.unit_of_work import UnitOfWork


@handles(OpenEndowment)
def open_endowment(command: OpenEndowment, uow: UnitOfWork) -> None:
    org = uow.org(command.org)
    org.open_endowment(
        fund=command.fund,
        name=command.name,
        restricted=command.restricted,
        purpose=command.purpose,
        recorded_by=command.recorded_by,
    )
    uow.save(org)
