"""A campaign: Tết Khuyến học, Tháng Khuyến học (numbered editions), or other.

Entries may name a campaign; they must fall inside its dates, and a closed
campaign takes no more entries.
"""

from __future__ import annotations

import functools
from datetime import date
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate

from ledger import errors
from ledger.ids import ID_CACHE, NAMESPACE
from ledger.types import CampaignCode, CampaignKind
from ledger.wording import says


class Campaign(Aggregate):
    @staticmethod
    @functools.lru_cache(maxsize=ID_CACHE)
    def id_for(code: CampaignCode) -> UUID:
        return uuid5(NAMESPACE, f"campaign:{code}")

    class Launched(Aggregate.Created):
        code: str
        name: str
        kind: CampaignKind
        edition: int | None
        organiser_id: UUID
        starts_on: date
        ends_on: date
        target_vnd: int | None
        recorded_by: str

    class Closed(Aggregate.Event):
        closed_on: date
        recorded_by: str

        def apply(self, campaign: Campaign) -> None:
            campaign.closed_on = self.closed_on

    def __init__(self, code: str, name: str, starts_on: date, ends_on: date) -> None:
        self.code = code
        self.name = name
        self.starts_on = starts_on
        self.ends_on = ends_on
        self.closed_on: date | None = None

    @classmethod
    def launch(
        cls,
        *,
        code: CampaignCode,
        name: str,
        kind: CampaignKind,
        edition: int | None,
        organiser_id: UUID,
        starts_on: date,
        ends_on: date,
        target_vnd: int | None,
        recorded_by: str,
    ) -> Campaign:
        return cls._create(
            cls.Launched,
            id=cls.id_for(code),
            code=code,
            name=name,
            kind=kind,
            edition=edition,
            organiser_id=organiser_id,
            starts_on=starts_on,
            ends_on=ends_on,
            target_vnd=target_vnd,
            recorded_by=recorded_by,
        )

    def close(self, *, closed_on: date, today: date, recorded_by: str) -> None:
        self.check_open()
        if closed_on > today or closed_on < self.starts_on:
            raise errors.InvalidDate(
                says(
                    "campaign.close_date",
                    campaign=self.code,
                    starts_on=self.starts_on,
                    closed_on=closed_on,
                ),
                field="closed_on",
            )
        self.trigger_event(self.Closed, closed_on=closed_on, recorded_by=recorded_by)

    def check_open(self, *, field: str = "code") -> None:
        """``field``: the command's field that named the campaign."""
        if self.closed_on is not None:
            raise errors.CampaignClosed(
                says("campaign.closed", campaign=self.code, closed_on=self.closed_on),
                field=field,
                campaign=self.code,
            )

    def check_entry_date(self, on: date) -> None:
        """An entry dated ``on`` may belong to this campaign."""
        self.check_open(field="campaign")
        if not self.starts_on <= on <= self.ends_on:
            raise errors.OutsideCampaign(
                says(
                    "campaign.outside",
                    campaign=self.code,
                    starts_on=self.starts_on,
                    ends_on=self.ends_on,
                    on=on,
                ),
                field="business_date",
                campaign=self.code,
            )
