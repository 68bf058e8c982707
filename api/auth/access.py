"""Who may do what (design §5), as dependencies the routes declare.

- aggregate figures (organisations, balances, summaries, campaign totals):
  everyone, with or without a token;
- entries, events and the names in them: an auditor (everything) or a
  treasurer (its organisation's subtree);
- recording entries and membership: a treasurer, in its subtree; reversing a
  transfer changes both organisations' books, so the treasurer's subtree must
  hold both;
- registering organisations: an admin; launching a campaign: an admin or a
  treasurer whose subtree holds the organiser. Tokens are made at the
  command line (``khuyenhoc token create``).

What a write touches beyond its own organisation is decided in one place,
``may_write`` (``record`` runs a command through it), whichever door the
command came through (the API or a web form):

- a transfer changes the receiver's books too: the receiver must be in the
  treasurer's subtree, or be an ancestor of the sender (a remittance up the
  tree, which the ancestor's treasurer, whose subtree holds both sides, can
  reverse); an organisation elsewhere is refused;
- an entry tagged with a campaign moves that campaign's totals: the campaign
  must be organised in the treasurer's subtree or by an ancestor of the
  entry's organisation (a province's campaign is open to its communes); a
  campaign of another province is refused.

A treasurer's scope is its organisation's subtree in today's hierarchy, as
the write model knows it — never a read model that may lag behind a move or
a registration. An unknown organisation is 404 before any access decision
(organisations are public); no token where one is needed is 401, the wrong
token 403.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, TypeVar

from fastapi import Depends, Path, Response

from api.auth.tokens import Principal, Role
from api.http.deps import PrincipalDep, ServiceDep
from api.http.problems import ApiError
from api.http.schemas.common import OrgCodePath
from api.http.service import HttpService
from ledger.commands import (
    ApprovePayment,
    CloseYear,
    Command,
    RejectPayment,
    ReopenYear,
    SetApprovalThreshold,
)
from ledger.commands.campaigns import LaunchCampaign
from ledger.commands.entries import CampaignEntry, ReverseEntry, Transfer
from ledger.commands.organisations import (
    ChangeLevel,
    Dissolve,
    Merge,
    Move,
    RegisterOrganisation,
    Rename,
    Split,
)
from ledger.errors import UnknownOrganisation
from ledger.types import VIETNAM

R = TypeVar("R")
HIERARCHY = (RegisterOrganisation, Rename, Move, Merge, Dissolve, Split, ChangeLevel)
"""Commands that change the hierarchy: an admin's."""
PERIODS = (CloseYear, ReopenYear, SetApprovalThreshold)
"""Closing and reopening a year, and setting the amount above which payments
wait for approval: an admin's, or the organisation's approver's."""
APPROVALS = (ApprovePayment, RejectPayment)
"""Deciding a pending payment: the organisation's approver's only (and never
whoever recorded it: the ledger refuses that, ``self_approval``)."""


def is_approver(principal: Principal, code: str) -> bool:
    """Is ``principal`` an approver token of ``code`` (that organisation only)?"""
    return principal.role is Role.APPROVER and principal.org == code


def in_scope(service: HttpService, principal: Principal, code: str) -> bool:
    """Does ``code`` sit in the treasurer's subtree today? (404 if unknown.)"""
    if principal.role is not Role.TREASURER or principal.org is None:
        service.ledger.organisation(code)  # 404 for an unknown organisation
        return False
    return service.ledger.is_within(code, principal.org)


def _refuse(principal: Principal, what: str) -> ApiError:
    if principal.role is None:
        return ApiError("unauthenticated", f"a token is needed to {what}")
    return ApiError("forbidden", f"this token may not {what}")


def may_record(service: HttpService, principal: Principal, code: str) -> None:
    if not in_scope(service, principal, code):
        raise _refuse(principal, f"record entries of {code}")


def may_launch_campaign(
    service: HttpService, principal: Principal, organiser: str
) -> None:
    if principal.role is Role.ADMIN:
        service.ledger.ancestors(organiser)  # 404 for an unknown organiser
        return
    if not in_scope(service, principal, organiser):
        raise _refuse(principal, f"launch campaigns of {organiser}")


def may_write(
    service: HttpService, principal: Principal, command: Command[object]
) -> None:
    """Refuse ``command`` unless everything it changes is the principal's to
    change (the rules above); ``ApiError`` 401/403 naming what is refused."""
    if isinstance(command, HIERARCHY):
        if principal.role is not Role.ADMIN:
            raise _refuse(principal, "change the hierarchy")
        return
    if isinstance(command, PERIODS):
        service.ledger.organisation(command.org)  # 404 for an unknown organisation
        if principal.role is not Role.ADMIN and not is_approver(principal, command.org):
            raise _refuse(principal, f"close years or set approvals of {command.org}")
        return
    if isinstance(command, APPROVALS):
        service.ledger.organisation(command.org)  # 404 for an unknown organisation
        if not is_approver(principal, command.org):
            raise _refuse(principal, f"approve or reject payments of {command.org}")
        return
    if isinstance(command, LaunchCampaign):
        may_launch_campaign(service, principal, command.organiser_code)
        return
    org = getattr(command, "org", None)
    if not isinstance(org, str):
        raise _refuse(principal, f"run {type(command).__name__}")
    may_record(service, principal, org)
    if isinstance(command, ReverseEntry):
        other = service.ledger.counterpart(org, command.voucher_no)
        if other is not None:
            may_record(service, principal, other)
    if isinstance(command, Transfer):
        _may_receive(service, principal, org, command.to_code)
    if isinstance(command, CampaignEntry) and command.campaign is not None:
        _may_tag(service, principal, org, command.campaign)


def _may_receive(
    service: HttpService, principal: Principal, sender: str, receiver: str
) -> None:
    try:
        if in_scope(service, principal, receiver):
            return
    except UnknownOrganisation:
        return  # the command itself refuses it, beside its field
    if receiver in service.ledger.ancestors(sender):
        return
    raise ApiError(
        "forbidden",
        f"this token may not record a transfer to {receiver}: the receiver must "
        f"be in its scope or above {sender}",
        field="to_code",
    )


def _may_tag(
    service: HttpService, principal: Principal, org: str, campaign: str
) -> None:
    organiser = service.ledger.campaign_organiser(campaign)
    if in_scope(service, principal, organiser):
        return
    if organiser in service.ledger.ancestors(org):
        return
    raise ApiError(
        "forbidden",
        f"campaign {campaign} is organised by {organiser}, which is neither in this "
        f"token's scope nor above {org}",
        field="campaign",
    )


def record(service: HttpService, principal: Principal, command: Command[R]) -> R:
    """Run ``command`` for ``principal`` once ``may_write`` allows it: the one
    way the API and the web pages write."""
    may_write(service, principal, command)
    return service.ledger.execute(command)


def recorder(
    code: OrgCodePath, service: ServiceDep, principal: PrincipalDep
) -> Principal:
    may_record(service, principal, code)
    return principal


def reverser(
    code: OrgCodePath,
    voucher_no: Annotated[str, Path(min_length=1, max_length=200)],
    service: ServiceDep,
    principal: PrincipalDep,
) -> Principal:
    may_record(service, principal, code)
    other = service.ledger.counterpart(code, voucher_no)
    if other is not None:
        may_record(service, principal, other)
    return principal


def entries_reader(
    code: OrgCodePath, service: ServiceDep, principal: PrincipalDep
) -> Principal:
    if principal.role is Role.AUDITOR:
        service.ledger.ancestors(code)  # 404 for an unknown organisation
        return principal
    if not in_scope(service, principal, code):
        raise _refuse(principal, f"read the entries of {code}")
    return principal


def names_reader(
    code: OrgCodePath, service: ServiceDep, principal: PrincipalDep, response: Response
) -> Principal:
    """``entries_reader`` for an answer with names: no cache may keep it."""
    response.headers["Cache-Control"] = "no-store"
    return entries_reader(code, service, principal)


def public_moment(
    service: HttpService, principal: Principal, code: str, moment: datetime
) -> datetime:
    """A ``known_at`` as this caller may ask it: to the instant for an
    auditor or a treasurer of ``code``; for everyone else, the start of its
    day in Vietnam — a public answer says what had been recorded by a day,
    never when each entry was, which bisecting instants would reveal."""
    if principal.role is Role.AUDITOR:
        return moment
    if principal.role is Role.TREASURER and in_scope(service, principal, code):
        return moment
    local = moment.astimezone(VIETNAM) if moment.tzinfo else moment
    day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return day if moment.tzinfo else day.replace(tzinfo=VIETNAM)


def admin(principal: PrincipalDep) -> Principal:
    if principal.role is not Role.ADMIN:
        raise _refuse(principal, "change the hierarchy")
    return principal


RecorderDep = Annotated[Principal, Depends(recorder)]
"""A treasurer whose scope holds ``{code}``."""
ReverserDep = Annotated[Principal, Depends(reverser)]
"""A treasurer whose scope holds ``{code}`` and a transfer's other side."""
EntriesReaderDep = Annotated[Principal, Depends(names_reader)]
"""An auditor, or a treasurer whose scope holds ``{code}``; the answer (names)
is ``Cache-Control: no-store``."""
AdminDep = Annotated[Principal, Depends(admin)]
