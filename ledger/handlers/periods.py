"""Closing and reopening an organisation's year (issue 15)."""

from __future__ import annotations

from ledger.commands.periods import CloseYear, ReopenYear
from ledger.handlers.registry import handles
from ledger.unit_of_work import UnitOfWork


@handles(CloseYear)
def close_year(command: CloseYear, uow: UnitOfWork) -> None:
    org = uow.org(command.org)
    org.close_year(command.year, today=uow.today(), recorded_by=command.recorded_by)
    uow.save(org)


@handles(ReopenYear)
def reopen_year(command: ReopenYear, uow: UnitOfWork) -> None:
    org = uow.org(command.org)
    org.reopen_year(
        command.year, reason=command.reason, recorded_by=command.recorded_by
    )
    uow.save(org)
