"""Handlers of the hierarchy: register, rename, move, merge, dissolve, and an
organisation's funds and membership reports."""

from __future__ import annotations

from uuid import UUID

from ledger import errors
from ledger.commands import (
    Dissolve,
    Merge,
    Move,
    OpenFund,
    RegisterOrganisation,
    Rename,
    ReportMembership,
)
from ledger.handlers.registry import handles
from ledger.organisation import Organisation
from ledger.unit_of_work import UnitOfWork
from ledger.wording import says


@handles(RegisterOrganisation)
def register_organisation(command: RegisterOrganisation, uow: UnitOfWork) -> UUID:
    """Re-sending the same registration is a no-op; other details under a code
    already taken are ``duplicate_organisation``."""
    org_id = Organisation.id_for(command.code)
    parent = (
        uow.org(command.parent_code, field="parent_code")
        if command.parent_code is not None
        else None
    )
    registered = uow.created(org_id, Organisation.Registered)
    if registered is not None:
        asked = (
            command.name,
            command.level,
            parent.id if parent else None,
            command.registered_on,
        )
        stored = (
            registered.name,
            registered.level,
            registered.parent_id,
            registered.registered_on,
        )
        if stored != asked:
            raise errors.DuplicateOrganisation(
                says("organisation.duplicate", org=command.code),
                field="code",
                org=command.code,
            )
        return org_id
    org = Organisation.register(
        code=command.code,
        name=command.name,
        level=command.level,
        parent=parent,
        registered_on=command.registered_on,
        today=uow.today(),
        recorded_by=command.recorded_by,
    )
    uow.save(org, parent)
    return org_id


@handles(Rename)
def rename(command: Rename, uow: UnitOfWork) -> None:
    org = uow.org(command.org)
    if org.name == command.name:
        return
    today = uow.today()
    org.rename(
        name=command.name,
        effective_on=command.effective_on or today,
        today=today,
        recorded_by=command.recorded_by,
    )
    uow.save(org)


@handles(Move)
def move(command: Move, uow: UnitOfWork) -> None:
    org = uow.org(command.org)
    new_parent = uow.org(command.new_parent_code, field="new_parent_code")
    old_parent = uow.get(Organisation, org.parent_id)
    org.move(
        old_parent=old_parent,
        new_parent=new_parent,
        effective_on=command.effective_on,
        today=uow.today(),
        recorded_by=command.recorded_by,
    )
    uow.save(org, old_parent, new_parent)


@handles(Merge)
def merge(command: Merge, uow: UnitOfWork) -> None:
    org = uow.org(command.org)
    target = uow.org(command.into_code, field="into_code")
    # Merging into its own parent: one object takes both events.
    parent = (
        target if target.id == org.parent_id else uow.get(Organisation, org.parent_id)
    )
    org.merge_into(
        target,
        parent,
        effective_on=command.effective_on,
        today=uow.today(),
        recorded_by=command.recorded_by,
    )
    uow.save(org, target, parent)


@handles(Dissolve)
def dissolve(command: Dissolve, uow: UnitOfWork) -> None:
    org = uow.org(command.org)
    parent = uow.get(Organisation, org.parent_id)
    org.dissolve(
        parent,
        effective_on=command.effective_on,
        today=uow.today(),
        recorded_by=command.recorded_by,
    )
    uow.save(org, parent)


@handles(ReportMembership)
def report_membership(command: ReportMembership, uow: UnitOfWork) -> None:
    org = uow.org(command.org)
    org.report_membership(
        year=command.year,
        members=command.members,
        population=command.population,
        today=uow.today(),
        recorded_by=command.recorded_by,
    )
    uow.save(org)


@handles(OpenFund)
def open_fund(command: OpenFund, uow: UnitOfWork) -> None:
    org = uow.org(command.org)
    org.open_fund(
        fund=command.fund,
        name=command.name,
        restricted=command.restricted,
        purpose=command.purpose,
        recorded_by=command.recorded_by,
    )
    uow.save(org)
