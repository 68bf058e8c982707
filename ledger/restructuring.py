"""Restructuring beyond rename, move, merge and dissolve: a split and a change
of level (the 2025 reform: districts end, communes merge or split, agency
associations become committees).

A **split** ends one organisation and divides each of its funds' balances
among named successors, in amounts the caller gives: every fund that holds
money is allocated to the đồng, so money is conserved exactly. A successor's
fund of the same name must keep the purpose of restricted money; a fund the
successor lacks is opened with the source's details. The source records
``SplitUp`` (what went where) and each successor ``SplitReceived`` (where it
came from), in one save. Like a merge, the source has no active children
(move them first) and closes on or after the last date in its history.

A **change of level** (``LevelChanged``) keeps the organisation, its code and
its money; only its rank changes. Its parent must still rank above it, and it
may not sink below its own children: with active children it may only rise.

The events live here rather than in ``ledger.organisation`` so that the
aggregate's module keeps its size; they are ``Organisation`` events all the
same (their ``apply`` changes an ``Organisation``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from uuid import UUID

from ledger import errors
from ledger.organisation import FundInfo, Organisation, check_ranks, keeps_purpose
from ledger.types import Level, Status

Allocation = Mapping[str, Mapping[str, int]]
"""Successor code → fund → amount of đồng it takes."""


class SplitUp(Organisation.Event):
    """The source of a split: it ends, its balances go to its successors.

    ``parts`` maps each successor's id (as text, for JSON) to the amounts it
    took, fund by fund.
    """

    parts: dict[str, dict[str, int]]
    effective_on: date
    recorded_by: str

    def apply(self, org: Organisation) -> None:
        org.status = Status.SPLIT
        org.closed_on = self.effective_on
        for fund in org.balances:
            org.balances[fund] = 0


class SplitReceived(Organisation.Absorbed):
    """A successor's side of a split: it takes its part of the balances
    (``source_id`` is the organisation that split)."""


class LevelChanged(Organisation.Event):
    level: Level
    old_level: Level
    effective_on: date
    recorded_by: str

    def apply(self, org: Organisation) -> None:
        org.level = self.level


def split(
    source: Organisation,
    successors: Mapping[str, Organisation],
    allocation: Allocation,
    parent: Organisation | None,
    *,
    effective_on: date,
    today: date,
    recorded_by: str,
) -> None:
    """Split ``source`` among ``successors`` (by code), as ``allocation`` says.

    Checks every rule first, then triggers the events: a refused split
    records nothing.
    """
    source.check_open()
    source.check_no_children("split")
    source.check_closing_date(effective_on, today, what="split")
    for code, successor in successors.items():
        _check_successor(source, successor, code, effective_on, today)
    _check_sums(source, allocation)
    parts: dict[str, dict[str, int]] = {}
    for code, successor in successors.items():
        given = {fund: amount for fund, amount in allocation[code].items() if amount}
        _check_purposes(source, successor, given)
        parts[str(successor.id)] = given
    source.trigger_event(
        SplitUp, parts=parts, effective_on=effective_on, recorded_by=recorded_by
    )
    for successor in successors.values():
        given = parts[str(successor.id)]
        successor.trigger_event(
            SplitReceived,
            source_id=source.id,
            effective_on=effective_on,
            balances=given,
            funds={fund: FundInfo(**source.funds[fund]) for fund in given},
            recorded_by=recorded_by,
        )
    if parent is not None:
        parent.trigger_event(
            Organisation.ChildDetached,
            child_id=source.id,
            effective_on=effective_on,
            recorded_by=recorded_by,
        )


def _check_successor(
    source: Organisation,
    successor: Organisation,
    code: str,
    effective_on: date,
    today: date,
) -> None:
    successor.check_open(field="parts")
    if successor.id == source.id:
        raise errors.InvalidHierarchy(
            f"{source.code} cannot be one of its own successors",
            field="parts",
            org=code,
        )
    successor.check_date(effective_on, today, what="split", field="effective_on")
    if successor.level.rank > source.level.rank:
        raise errors.InvalidHierarchy(
            f"a {source.level.value} ({source.code}) cannot split into a "
            f"{successor.level.value} ({successor.code})",
            field="parts",
            org=code,
        )


def _check_sums(source: Organisation, allocation: Allocation) -> None:
    """Each fund's parts add up to its balance exactly; no part names a fund
    the source does not have."""
    allocated: dict[str, int] = {}
    for code, funds in allocation.items():
        for fund, amount in funds.items():
            if fund not in source.balances:
                raise errors.UnknownFund(
                    f"{source.code} has no fund {fund!r} to give {code}",
                    field="parts",
                    fund=fund,
                    org=code,
                )
            allocated[fund] = allocated.get(fund, 0) + amount
    for fund, balance in sorted(source.balances.items()):
        given = allocated.get(fund, 0)
        if given != balance:
            raise errors.UnbalancedSplit(
                f"the parts of fund {fund!r} of {source.code} add up to {given} "
                f"đồng, but it holds {balance}",
                field="parts",
                fund=fund,
                balance=balance,
                allocated=given,
            )


def _check_purposes(
    source: Organisation, successor: Organisation, given: Mapping[str, int]
) -> None:
    """Restricted money goes to a fund restricted to the same purpose."""
    for fund in given:
        mine, theirs = source.funds[fund], successor.funds.get(fund)
        if theirs is None:
            continue
        if not (keeps_purpose(mine, theirs) and keeps_purpose(theirs, mine)):
            raise errors.RestrictedFund(
                f"fund {fund!r} of {source.code} and of {successor.code} differ in "
                "restriction or purpose; money given for a purpose stays with it",
                field="parts",
                fund=fund,
                org=successor.code,
            )


def change_level(
    org: Organisation,
    parent: Organisation | None,
    *,
    level: Level,
    effective_on: date,
    today: date,
    recorded_by: str,
) -> None:
    """Give ``org`` another level; the same level again records nothing."""
    org.check_open()
    if level is org.level:
        return
    org.check_date(effective_on, today, what="change of level", field="effective_on")
    if parent is not None:
        check_ranks(parent=parent, child_level=level, child_code=org.code)
    if org.active_children and level.rank > org.level.rank:
        raise errors.HasChildren(
            f"{org.code} has {org.active_children} active organisations under it; "
            f"it cannot sink from {org.level.value} to {level.value}",
            field="level",
            active_children=org.active_children,
        )
    org.trigger_event(
        LevelChanged,
        level=level,
        old_level=org.level,
        effective_on=effective_on,
        recorded_by=recorded_by,
    )


def successor_ids(event: SplitUp) -> list[UUID]:
    """The successors a split named, in the order it named them."""
    return [UUID(key) for key in event.parts]
