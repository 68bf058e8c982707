"""The ``Ledger``: the write side's Python API, one method per command.

Each command validates its values, loads the aggregates it needs, calls the
domain and saves once — so a transfer or a merge changes both organisations
in one atomic write. Commands take codes and plain values and return ids or
plain values, never aggregates. A stale write (another writer saved first)
fails in the event store with the library's conflict; the command is then
retried from a fresh load a bounded number of times before it raises
``ConcurrentUpdate``.

The commands live in ``ledger.hierarchy`` and ``ledger.bookkeeping`` (and the
campaigns' here); the plumbing they share in ``ledger.base``; ``ledger.bulk``
runs many of them in one transaction (``Ledger.batch()``), for imports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from ledger import errors
from ledger.base import SYSTEM
from ledger.bookkeeping import Bookkeeping
from ledger.bulk import BulkWriting
from ledger.campaign import Campaign
from ledger.entries import coerce
from ledger.hierarchy import HierarchyCommands
from ledger.types import (
    GENERAL_FUND,
    MAX_EDITION,
    CampaignCode,
    CampaignKind,
    Dong,
    FundName,
    Level,
    OrgCode,
    Status,
)
from ledger.validation import (
    check_amount,
    check_code,
    check_date,
    check_whole,
    required_text,
)


@dataclass(frozen=True)
class OrganisationState:
    """What the write model knows of an organisation now."""

    id: UUID
    code: OrgCode
    name: str
    level: Level
    parent_id: UUID | None
    registered_on: date
    status: Status
    balances: Mapping[FundName, Dong]
    active_children: int
    version: int


class Ledger(BulkWriting, Bookkeeping, HierarchyCommands):
    """Records the money and the hierarchy of the study-promotion associations."""

    # ---- campaigns ----------------------------------------------------------

    def launch_campaign(
        self,
        code: CampaignCode,
        *,
        name: str,
        kind: CampaignKind | str,
        organiser_code: OrgCode,
        starts_on: date,
        ends_on: date,
        edition: int | None = None,
        target_vnd: Dong | None = None,
        recorded_by: str = SYSTEM,
    ) -> UUID:
        """Launch a campaign; re-sending the same launch is a no-op."""
        check_code(code, "campaign")
        name = required_text(name, "name")
        kind = coerce(CampaignKind, kind, "kind")
        check_date(starts_on, "starts_on")
        check_date(ends_on, "ends_on")
        if edition is not None:
            check_whole(edition, "edition", minimum=1, maximum=MAX_EDITION)
        if target_vnd is not None:
            check_amount(target_vnd)
        campaign_id = Campaign.id_for(code)
        recorded_by = required_text(recorded_by, "recorded_by")

        def attempt() -> UUID:
            organiser = self._org(organiser_code)
            launch = Campaign.launch(
                code=code,
                name=name,
                kind=kind,
                edition=edition,
                organiser_id=organiser.id,
                starts_on=starts_on,
                ends_on=ends_on,
                target_vnd=target_vnd,
                recorded_by=recorded_by,
            )
            launched = self._first_event(campaign_id, Campaign.Launched)
            if launched is not None:
                if _same_fields(
                    launched, launch.pending_events[0], exclude={"recorded_by"}
                ):
                    return campaign_id
                raise errors.DuplicateCampaign(
                    f"campaign {code} already exists with other details", campaign=code
                )
            organiser.check_open()
            self.save(launch)
            return campaign_id

        return self._retrying(attempt, f"campaign:{code}")

    def close_campaign(
        self,
        code: CampaignCode,
        *,
        closed_on: date | None = None,
        recorded_by: str = SYSTEM,
    ) -> None:
        if closed_on is not None:
            check_date(closed_on, "closed_on")
        recorded_by = required_text(recorded_by, "recorded_by")

        def attempt() -> None:
            campaign = self._campaign(code)
            today = self.today()
            campaign.close(
                closed_on=closed_on or today,
                today=today,
                recorded_by=recorded_by,
            )
            self.save(campaign)

        self._retrying(attempt, f"campaign:{code}")

    # ---- what the write model knows now --------------------------------------

    def organisation(self, code: OrgCode) -> OrganisationState:
        org = self._org(code)
        return OrganisationState(
            id=org.id,
            code=org.code,
            name=org.name,
            level=org.level,
            parent_id=org.parent_id,
            registered_on=org.registered_on,
            status=org.status,
            balances=dict(org.balances),
            active_children=org.active_children,
            version=org.version,
        )

    def balance(self, code: OrgCode, fund: FundName = GENERAL_FUND) -> Dong:
        balances = self.organisation(code).balances
        if fund not in balances:
            raise errors.UnknownFund(f"{code} has no fund {fund!r}", fund=fund)
        return balances[fund]


def _same_fields(a: object, b: object, *, exclude: set[str]) -> bool:
    skip = exclude | {"timestamp", "originator_version"}
    left = {k: v for k, v in vars(a).items() if k not in skip}
    right = {k: v for k, v in vars(b).items() if k not in skip}
    return left == right
