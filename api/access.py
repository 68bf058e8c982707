"""Who may do what (design §5).

- aggregate figures (organisations, balances, summaries, campaign totals):
  everyone, with or without a token;
- entries, events and the names in them: an auditor (everything) or a
  treasurer (its organisation's subtree);
- recording entries and membership: a treasurer, in its subtree;
- registering organisations: an admin; launching a campaign: an admin or a
  treasurer whose subtree holds the organiser. Tokens are made at the
  command line (``khuyenhoc token create``).

A treasurer's scope is its organisation's subtree in today's hierarchy. An
unknown organisation is 404 before any access decision (organisations are
public); no token where one is needed is 401, the wrong token 403.
"""

from __future__ import annotations

from api.problems import ApiError
from api.service import Service
from api.tokens import Principal, Role


def in_scope(service: Service, principal: Principal, code: str) -> bool:
    """Does ``code`` sit in the treasurer's subtree today?"""
    if principal.role is not Role.TREASURER or principal.org is None:
        return False
    return code == principal.org or principal.org in service.queries.ancestors(code)


def _refuse(principal: Principal, what: str) -> ApiError:
    if principal.role is None:
        return ApiError("unauthenticated", f"a token is needed to {what}")
    return ApiError("forbidden", f"this token may not {what}")


def may_record(service: Service, principal: Principal, code: str) -> None:
    service.queries.organisation(code)  # 404 first
    if not in_scope(service, principal, code):
        raise _refuse(principal, f"record entries of {code}")


def may_read_entries(service: Service, principal: Principal, code: str) -> None:
    service.queries.organisation(code)
    if principal.role is Role.AUDITOR or in_scope(service, principal, code):
        return
    raise _refuse(principal, f"read the entries of {code}")


def may_manage_hierarchy(principal: Principal) -> None:
    if principal.role is not Role.ADMIN:
        raise _refuse(principal, "change the hierarchy")


def may_launch_campaign(service: Service, principal: Principal, organiser: str) -> None:
    service.queries.organisation(organiser)
    if principal.role is Role.ADMIN or in_scope(service, principal, organiser):
        return
    raise _refuse(principal, f"launch campaigns of {organiser}")
