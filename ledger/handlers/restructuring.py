"""Handlers of a split and a change of level (``ledger.restructuring``)."""

from __future__ import annotations

from ledger.commands import ChangeLevel, Split
from ledger.handlers.registry import handles
from ledger.organisation import Organisation
from ledger.restructuring import change_level, split
from ledger.unit_of_work import UnitOfWork


@handles(Split)
def split_organisation(command: Split, uow: UnitOfWork) -> None:
    source = uow.org(command.org)
    successors = {code: uow.org(code, field="parts") for code in command.parts}
    # A successor may be the source's own parent: one object takes both events.
    by_id = {successor.id: successor for successor in successors.values()}
    parent = by_id.get(source.parent_id) if source.parent_id else None
    if parent is None:
        parent = uow.get(Organisation, source.parent_id)
    split(
        source,
        successors,
        command.parts,
        parent,
        effective_on=command.effective_on,
        today=uow.today(),
        recorded_by=command.recorded_by,
    )
    uow.save(source, parent, *successors.values())


@handles(ChangeLevel)
def change_organisation_level(command: ChangeLevel, uow: UnitOfWork) -> None:
    org = uow.org(command.org)
    parent = uow.get(Organisation, org.parent_id)
    today = uow.today()
    change_level(
        org,
        parent,
        level=command.level,
        effective_on=command.effective_on or today,
        today=today,
        recorded_by=command.recorded_by,
    )
    uow.save(org)
