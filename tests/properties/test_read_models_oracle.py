"""Every read model against a naive recomputation from the event log.

Each example runs a random history through a real ``Ledger`` on a real
database (a fresh SQLite file; a fresh PostgreSQL schema in the ``postgres``
variant): registrations in a small hierarchy (two provinces, three districts,
communes, a branch and a clan, some registered later than others), funds and
opening balances, donations, disbursements of every category to several
recipients, transfers inside a subtree and across, reversals of each from
either side, membership reports (with and without a population, some
corrected later), campaigns and entries naming them, moves (back-dated ones
too: effective before entries already recorded), merges of a leaf into a
sibling or its parent, dissolutions, renames and re-sent vouchers. Business
dates are drawn from 2021-2024 in any order, so many entries are back-dated.
Commands the ledger refuses are skipped. Events are recorded by a clock that
pauses between commands, some pauses crossing midnight in Vietnam, so that
``known_at`` meets entries recorded on different days.

Two sets of read models follow the same log: one catches up in a single pass
at the end; the other (two runners taking turns) in batches of three while
the history is being written, so that moves and reversals land in later
batches than the entries they affect. The step-by-step read models must
answer every query as ``tests.properties.oracle`` recomputes it from the
events read back from the store (docs/read-models.md): every organisation's
balances, own and subtree, all funds and one at a time, now, ``as_of`` dates
and ``known_at`` moments; its yearly summary, own and subtree, for every year;
every campaign's totals, campaign-wide and per organisation, own and subtree;
its journal, page by page; and the hierarchy today and on dates either side
of moves. The single-pass read models answer a lighter set of the same
questions, and ``verify`` must find both clean (their tables equal a rebuild's,
so they equal each other's).

A failing example lists the Ledger calls it made (``note``): that list is the
reproduction.
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar
from unittest import mock

import psycopg
import pytest
from hypothesis import HealthCheck, Phase, event, given, note, settings
from hypothesis import strategies as st

from ledger import Ledger
from ledger.errors import LedgerError
from ledger.organisation import Organisation
from ledger.types import VIETNAM, Level
from projections.answers import Balance
from projections.errors import UnknownFund
from projections.queries import Queries
from projections.runner import ReadModels
from projections.verify import verify
from tests.properties.oracle import FundFigures, Oracle

T = TypeVar("T")

TODAY = date(2024, 12, 31)

HIERARCHY: dict[str, tuple[Level, str | None]] = {
    "P1": (Level.PROVINCE, None),
    "P2": (Level.PROVINCE, None),
    "D1": (Level.DISTRICT, "P1"),
    "D2": (Level.DISTRICT, "P1"),
    "D3": (Level.DISTRICT, "P2"),
    "C1": (Level.COMMUNE, "D1"),
    "C2": (Level.COMMUNE, "D1"),
    "C3": (Level.COMMUNE, "D2"),
    "C4": (Level.COMMUNE, "D3"),
    "B1": (Level.BRANCH, "C1"),
    "K1": (Level.CLAN, "C3"),
}
"""Each organisation's level and the parent it registers under."""

DATES = [
    date(2021, 1, 1),
    date(2021, 3, 15),
    date(2021, 12, 31),
    date(2022, 1, 1),
    date(2022, 2, 10),
    date(2022, 6, 30),
    date(2022, 9, 15),
    date(2022, 12, 31),
    date(2023, 1, 1),
    date(2023, 1, 20),
    date(2023, 7, 1),
    date(2023, 9, 20),
    date(2023, 12, 31),
    date(2024, 1, 1),
    date(2024, 2, 5),
    date(2024, 6, 15),
    date(2024, 9, 10),
    TODAY,
]
"""Business dates: year ends and beginnings, campaign seasons, the clock's today."""

YEARS = (2021, 2022, 2023, 2024)
REPORT_YEARS = (2023, 2024, 2022, 2023, 2024, 2021)
"""Membership years, mostly recent: several reports for one year meet more often."""


@dataclass(frozen=True)
class CampaignSpec:
    kind: str
    edition: int | None
    organiser: str
    starts_on: date
    ends_on: date


CAMPAIGNS = {
    "TET2022": CampaignSpec("tet", None, "P1", date(2022, 1, 15), date(2022, 2, 28)),
    "THANG19": CampaignSpec("thang", 19, "P1", date(2022, 8, 20), date(2022, 10, 2)),
    "NAM2023": CampaignSpec("other", None, "D1", date(2023, 1, 1), date(2023, 12, 31)),
    "TET2024": CampaignSpec("tet", None, "P2", date(2024, 1, 20), date(2024, 3, 10)),
}

FUNDS = {
    "hoc-bong": {"name": "Quỹ học bổng", "restricted": False, "purpose": None},
    "sach": {"name": "Tủ sách", "restricted": True, "purpose": "Sách giáo khoa"},
}
"""Funds an organisation may open, alike everywhere (so merges never clash)."""

COMMANDS = {
    "donation": 4,
    "disbursement": 3,
    "transfer": 3,
    "reversal": 3,
    "membership": 3,
    "membership_round": 3,
    "move": 3,
    "move_then_reverse": 2,
    "merge": 3,
    "dissolve": 1,
    "opening_balance": 1,
    "open_fund": 1,
    "launch": 1,
    "close_campaign": 1,
    "late_registration": 1,
    "rename": 1,
    "resend": 1,
}
"""What a step does, and how often (the first is the simplest)."""
STEPS = [name for name, weight in COMMANDS.items() for _ in range(weight)]

amounts = st.integers(1, 40).map(lambda k: k * 100_000) | st.integers(1, 5_000_000)
"""Round sums mostly (readable), any number of đồng now and then."""


def dates_from(first: date) -> list[date]:
    return [d for d in DATES if d >= first]


# ---- the history ------------------------------------------------------------------


@dataclass
class Voucher:
    org: str
    number: str
    business_date: date
    receiver: str | None
    """A transfer's receiving organisation (its number there: ``<org>:<number>``)."""
    resend: Callable[[], object]
    reversed: bool = False


@dataclass
class History:
    """Draws commands from the ledger's current state and runs them."""

    ledger: Ledger
    data: st.DataObject
    registered: dict[str, date] = field(default_factory=dict)
    vouchers: list[Voucher] = field(default_factory=list)
    launched: set[str] = field(default_factory=set)
    reported: list[tuple[str, int]] = field(default_factory=list)
    accepted: int = 0
    refused: int = 0
    serial: int = 0
    known: dict[str, Organisation] = field(default_factory=dict)
    """Organisations loaded since the last recorded command."""

    def draw(self, strategy: st.SearchStrategy[T]) -> T:
        return self.data.draw(strategy)

    def pick(self, values: Sequence[T]) -> T:
        return self.data.draw(st.sampled_from(values))

    def call(self, command: str, /, *args: Any, **kwargs: Any) -> bool:
        """Run one Ledger command; a refusal is noted and skipped."""
        shown = ", ".join(
            [*map(repr, args), *(f"{k}={v!r}" for k, v in kwargs.items())]
        )
        text = f"ledger.{command}({shown})"
        try:
            getattr(self.ledger, command)(*args, **kwargs)
        except LedgerError as error:
            self.refused += 1
            note(f"# refused ({error.code}): {text}")
            event(f"{command}: {error.code}")
            return False
        self.accepted += 1
        self.known.clear()
        note(text)
        event(f"{command}: ok")
        return True

    # ---- the ledger's state -----------------------------------------------------

    def aggregate(self, code: str) -> Organisation:
        """The organisation as the ledger holds it now (only read, never changed)."""
        org = self.known.get(code)
        if org is None:
            loaded: object = self.ledger.repository.get(Organisation.id_for(code))
            assert isinstance(loaded, Organisation)
            org = self.known[code] = loaded
        return org

    def active(self) -> list[str]:
        return [
            c for c in self.registered if self.aggregate(c).status.value == "active"
        ]

    def voucher_no(self) -> str:
        self.serial += 1
        return f"V{self.serial:03d}"

    def entry_date(self, *codes: str) -> date:
        first = max(self.registered.get(code, DATES[0]) for code in codes)
        return self.pick(dates_from(first) or [TODAY])

    def campaign_for(self, on: date) -> str | None:
        """Now and then a launched campaign running on ``on``."""
        running = [
            code
            for code in sorted(self.launched)
            if CAMPAIGNS[code].starts_on <= on <= CAMPAIGNS[code].ends_on
        ]
        if running and self.draw(st.integers(0, 2)) != 0:
            return self.pick(running)
        return None

    def dated_in_campaign(self, *codes: str) -> tuple[date, str | None]:
        """A business date, and a campaign running then (now and then)."""
        if self.launched and self.draw(st.integers(0, 2)) != 0:
            campaign = self.pick(sorted(self.launched))
            spec = CAMPAIGNS[campaign]
            first = max(self.registered.get(code, DATES[0]) for code in codes)
            inside = [d for d in DATES if spec.starts_on <= d <= spec.ends_on]
            inside = [d for d in inside if d >= first]
            if inside:
                return self.pick(inside), campaign
        on = self.entry_date(*codes)
        return on, self.campaign_for(on)

    # ---- commands ---------------------------------------------------------------

    def register(self, code: str) -> None:
        level, parent = HIERARCHY[code]
        first = self.registered[parent] if parent is not None else DATES[0]
        on = self.pick(dates_from(first)[:6])
        if self.call(
            "register_organisation",
            code,
            name=f"Hội Khuyến học {code}",
            level=level.value,
            parent_code=parent,
            registered_on=on,
        ):
            self.registered[code] = on

    def setup(self) -> None:
        for code, (_, parent) in HIERARCHY.items():
            wanted = code == "P1" or self.draw(st.integers(0, 3)) > 0
            if wanted and (parent is None or parent in self.registered):
                self.register(code)
        for code in list(self.registered):
            if self.draw(st.booleans()):
                self.open_fund(code, "hoc-bong")
        for _ in range(self.draw(st.integers(0, 3))):
            self.launch()

    def late_registration(self) -> None:
        waiting = [
            code
            for code, (_, parent) in HIERARCHY.items()
            if code not in self.registered
            and (parent is None or parent in self.registered)
        ]
        if waiting:
            self.register(self.pick(waiting))

    def donation(self) -> None:
        code = self.pick(self.active())
        fund = self.pick(sorted(self.aggregate(code).balances))
        on, campaign = self.dated_in_campaign(code)
        number, amount = self.voucher_no(), self.draw(amounts)

        def send() -> bool:
            return self.call(
                "receive_donation",
                code,
                voucher_no=number,
                amount=amount,
                business_date=on,
                fund=fund,
                campaign=campaign,
            )

        if send():
            self.vouchers.append(Voucher(code, number, on, None, send))

    def funded(self) -> list[tuple[str, str]]:
        found = [
            (code, fund)
            for code in self.active()
            for fund, held in sorted(self.aggregate(code).balances.items())
            if held > 0
        ]
        return found or [(code, "general") for code in self.active()]

    def amount_from(self, code: str, fund: str) -> int:
        held = self.aggregate(code).balances.get(fund, 0)
        if held <= 0:
            return self.draw(amounts)
        if self.draw(st.integers(0, 4)) == 0:
            return held  # all of it: leaves a zero balance (dissolutions)
        return self.draw(st.integers(1, held))

    def disbursement(self) -> None:
        code, fund = self.pick(self.funded())
        on, campaign = self.dated_in_campaign(code)
        category = self.pick(["scholarship", "award", "other"])
        recipients = self.draw(st.integers(0 if category == "other" else 1, 4))
        number, amount = self.voucher_no(), self.amount_from(code, fund)

        def send() -> bool:
            return self.call(
                "disburse",
                code,
                voucher_no=number,
                amount=amount,
                business_date=on,
                category=category,
                recipients=recipients,
                fund=fund,
                campaign=campaign,
            )

        if send():
            self.vouchers.append(Voucher(code, number, on, None, send))

    def transfer(self) -> None:
        code, fund = self.pick(self.funded())
        others = [c for c in self.active() if c != code]
        if not others:
            return
        to = self.pick(others)
        to_fund = self.pick(sorted(self.aggregate(to).balances))
        on, campaign = self.dated_in_campaign(code, to)
        number, amount = self.voucher_no(), self.amount_from(code, fund)

        def send() -> bool:
            return self.call(
                "transfer",
                code,
                to_code=to,
                voucher_no=number,
                amount=amount,
                business_date=on,
                fund=fund,
                to_fund=to_fund,
                campaign=campaign,
            )

        if send():
            self.vouchers.append(Voucher(code, number, on, to, send))

    def opening_balance(self) -> None:
        code = self.pick(self.active())
        fund = self.pick(sorted(self.aggregate(code).balances))
        on, amount = self.entry_date(code), self.draw(amounts)

        def send() -> bool:
            return self.call(
                "record_opening_balance",
                code,
                amount=amount,
                business_date=on,
                fund=fund,
            )

        if send():
            self.vouchers.append(Voucher(code, f"opening-{fund}", on, None, send))

    def reversal(self) -> None:
        """Mostly of an entry not reversed yet (now and then one that is)."""
        standing = [v for v in self.vouchers if not v.reversed]
        if self.draw(st.integers(0, 5)) == 0 or not standing:
            standing = self.vouchers
        if standing:
            self.reverse(self.pick(standing))

    def reverse(self, voucher: Voucher) -> None:
        """Reverse an entry, from either side of a transfer, today or earlier."""
        code, number = voucher.org, voucher.number
        if voucher.receiver is not None and self.draw(st.booleans()):
            code, number = voucher.receiver, f"{voucher.org}:{voucher.number}"
        on = self.draw(st.none() | st.sampled_from(dates_from(voucher.business_date)))
        if self.call(
            "reverse_entry", code, number, reason="Nhập sai", business_date=on
        ):
            voucher.reversed = True

    def move_then_reverse(self) -> None:
        """Move an organisation (or its parent) after one of its entries, then
        reverse the entry: the reversal counts where the entry did."""
        movable = [c for c in self.active() if HIERARCHY[c][0].rank > 1]
        standing = [v for v in self.vouchers if not v.reversed and v.org in movable]
        if not standing:
            return
        voucher = self.pick(standing)
        code = voucher.org
        parent_id = self.aggregate(code).parent_id
        parents = [c for c in movable if Organisation.id_for(c) == parent_id]
        if parents and self.draw(st.integers(0, 1)) != 0:
            code = parents[0]
        self.move(code, after=voucher.business_date)
        self.reverse(voucher)

    def resend(self) -> None:
        if self.vouchers:
            self.pick(self.vouchers).resend()

    def membership(self) -> None:
        if self.reported and self.draw(st.integers(0, 2)) == 0:
            code, year = self.pick(self.reported)  # a correction
        else:
            code, year = self.pick(sorted(self.registered)), self.pick(REPORT_YEARS)
        self.report(code, year)

    def membership_round(self) -> None:
        """A year's reports from several organisations, often from the top down
        (so that a report below changes a population under one of its own)."""
        year = self.pick(REPORT_YEARS)
        codes = self.draw(st.lists(st.sampled_from(sorted(self.registered))))
        if self.draw(st.integers(0, 1)) != 0:
            codes.sort(key=lambda code: HIERARCHY[code][0].rank)
        for code in codes:
            self.report(code, year)

    def report(self, code: str, year: int) -> None:
        members = self.draw(st.integers(0, 300))
        population = self.draw(st.none() | st.integers(members, members + 3_000))
        if self.call(
            "report_membership", code, year=year, members=members, population=population
        ):
            self.reported.append((code, year))

    def open_fund(self, code: str | None = None, fund: str | None = None) -> None:
        code = code or self.pick(self.active())
        fund = fund or self.pick(sorted(FUNDS))
        spec = FUNDS[fund]
        self.call(
            "open_fund",
            code,
            fund,
            name=spec["name"],
            restricted=spec["restricted"],
            purpose=spec["purpose"],
        )

    def move(self, code: str | None = None, after: date | None = None) -> None:
        """Move an organisation (effective after ``after``, if given)."""
        if code is None:
            movable = [c for c in self.active() if HIERARCHY[c][0].rank > 1]
            if not movable:
                return
            code = self.pick(movable)
        org = self.aggregate(code)
        parents = [
            p
            for p in self.active()
            if HIERARCHY[p][0].rank < HIERARCHY[code][0].rank
            and Organisation.id_for(p) != org.parent_id
        ]
        if not parents:
            return
        to = self.pick(parents)
        first = max(org.parent_since, self.registered[to])
        if after is not None:
            first = max(first, after + timedelta(days=1))
        # Often on the date of one of its entries: the boundary of "from then on".
        dated = sorted({v.business_date for v in self.vouchers if v.org == code})
        dated = [d for d in dated if d >= first]
        if dated and self.draw(st.integers(0, 1)) != 0:
            on = self.pick(dated)
        else:
            on = self.pick(dates_from(first) or [TODAY])
        self.call("move", code, new_parent_code=to, effective_on=on)

    def closing_date(self, code: str, *others: str) -> date:
        first = max(
            [self.aggregate(code).last_dated, *(self.registered[o] for o in others)]
        )
        return self.pick(dates_from(first) or [TODAY])

    def leaves(self) -> list[str]:
        return [c for c in self.active() if self.aggregate(c).active_children == 0]

    def merge(self) -> None:
        leaves = self.leaves()
        if not leaves:
            return
        code = self.pick(leaves)
        org = self.aggregate(code)
        targets = [
            c
            for c in self.active()
            if c != code
            and (
                Organisation.id_for(c) == org.parent_id
                or (
                    self.aggregate(c).parent_id == org.parent_id
                    and HIERARCHY[c][0].rank <= HIERARCHY[code][0].rank
                )
            )
        ]
        if not targets:
            return
        into = self.pick(targets)
        on = self.closing_date(code, into)
        self.call("merge", code, into_code=into, effective_on=on)

    def dissolve(self) -> None:
        leaves = self.leaves()
        if leaves:
            code = self.pick(leaves)
            self.call("dissolve", code, effective_on=self.closing_date(code))

    def launch(self) -> None:
        waiting = [c for c in CAMPAIGNS if c not in self.launched]
        if not waiting:
            return
        code = self.pick(waiting)
        spec = CAMPAIGNS[code]
        if self.call(
            "launch_campaign",
            code,
            name=f"Chiến dịch {code}",
            kind=spec.kind,
            organiser_code=spec.organiser,
            starts_on=spec.starts_on,
            ends_on=spec.ends_on,
            edition=spec.edition,
        ):
            self.launched.add(code)

    def close_campaign(self) -> None:
        if self.launched:
            code = self.pick(sorted(self.launched))
            on = self.pick(dates_from(CAMPAIGNS[code].starts_on))
            self.call("close_campaign", code, closed_on=on)

    def rename(self) -> None:
        code = self.pick(self.active())
        self.call("rename", code, name=f"Hội Khuyến học {code} ({self.voucher_no()})")

    def step(self) -> None:
        if not self.active():
            self.late_registration()
            return
        getattr(self, self.pick(STEPS))()


# ---- comparing with the oracle ------------------------------------------------------


def stored_events(ledger: Ledger) -> Iterator[tuple[int, object]]:
    for notification in ledger.recorder.select_notifications(start=1, limit=10**6):
        yield notification.id, ledger.mapper.to_domain_event(notification)


def figures(balance: Balance) -> dict[str, FundFigures]:
    return {f.fund: (f.balance, f.total_in, f.total_out) for f in balance.funds}


def without_zeros(funds: dict[str, FundFigures]) -> dict[str, FundFigures]:
    return {fund: values for fund, values in funds.items() if values != (0, 0, 0)}


@dataclass(frozen=True)
class Probes:
    """The dates and moments an example asks about."""

    days: tuple[date, ...]
    """For the hierarchy on a date, and the journal between the first and last."""
    as_of: tuple[date, ...]
    moments: tuple[datetime, ...]
    journal_limit: int


def draw_probes(data: st.DataObject, oracle: Oracle) -> Probes:
    moved = sorted(set(oracle.moves))
    days = {date(2022, 12, 31)}
    for day in data.draw(st.lists(st.sampled_from(moved), max_size=2)) if moved else []:
        days |= {day, day - timedelta(days=1)}  # either side of a move
    days.add(data.draw(st.sampled_from(DATES)))
    as_of = data.draw(st.lists(st.sampled_from(DATES + moved), min_size=2, max_size=2))
    stamps = sorted(oracle.timestamps)
    moments = [stamps[0] - timedelta(days=1), stamps[0] - timedelta(seconds=1)]
    for _ in range(3):
        i = data.draw(st.integers(0, len(stamps) - 1))
        moment = stamps[i]
        if i + 1 < len(stamps) and data.draw(st.booleans()):
            moment += (stamps[i + 1] - stamps[i]) / 2  # between two events
        if data.draw(st.integers(0, 3)) == 0:
            moment = moment.astimezone(VIETNAM).replace(tzinfo=None)  # naive: Vietnam
        moments.append(moment)
    return Probes(
        tuple(sorted(days)),
        (date(2023, 12, 31), *as_of),
        tuple(moments),
        data.draw(st.integers(1, 4)),
    )


def check_hierarchy(q: Queries, oracle: Oracle, days: Sequence[date]) -> None:
    for code, org in oracle.orgs.items():
        info = q.organisation(code)
        actual = (
            info.name,
            info.level,
            info.parent,
            info.registered_on,
            info.status,
            info.closed_on,
            info.merged_into,
            info.children,
        )
        expected = (
            org.name,
            org.level.value,
            oracle.parent(code),
            org.registered_on,
            org.status,
            org.closed_on,
            org.merged_into,
            len(oracle.children(code)),
        )
        assert actual == expected, f"organisation({code!r})"
        history = [(p.parent, p.valid_from, p.valid_to) for p in q.history(code)]
        assert history == oracle.history(code), f"history({code!r})"
        assert q.ancestors(code) == oracle.ancestors(code), f"ancestors({code!r})"
        children = [c.code for c in q.children(code)]
        assert children == oracle.children(code), f"children({code!r})"
        for day in days:
            assert q.ancestors(code, on=day) == oracle.ancestors_on(code, day), (
                f"ancestors({code!r}, on={day!r})"
            )
            children = [c.code for c in q.children(code, on=day)]
            assert children == oracle.children(code, day), (
                f"children({code!r}, on={day!r})"
            )


def check_balances(q: Queries, oracle: Oracle, probes: Probes) -> None:
    asked: list[dict[str, Any]] = [{}]
    asked += [{"as_of": day} for day in probes.as_of]
    asked += [{"known_at": moment} for moment in probes.moments]
    asked.append({"as_of": probes.as_of[-1], "known_at": probes.moments[-1]})
    for code in oracle.orgs:
        for subtree in (False, True):
            for when in asked:
                actual = figures(q.balance(code, subtree=subtree, **when))
                expected = oracle.balance(code, subtree=subtree, **when)
                if subtree:
                    # A subtree that moved away leaves zeroed rows behind.
                    actual, expected = without_zeros(actual), without_zeros(expected)
                assert actual == expected, (
                    f"balance({code!r}, subtree={subtree}, **{when!r})"
                )
            # One fund at a time: every fund of the organisation (of any
            # member of the subtree), now and at the last point in time.
            for when in (asked[0], asked[-1]):
                expected = oracle.balance(code, subtree=subtree, **when)
                for fund, figures_then in sorted(expected.items()):
                    one = q.balance(code, fund=fund, subtree=subtree, **when)
                    assert figures(one) == {fund: figures_then}, (
                        f"balance({code!r}, fund={fund!r}, subtree={subtree}, "
                        f"**{when!r})"
                    )
        with pytest.raises(UnknownFund):
            q.balance(code, fund="no-such-fund")


def check_summaries(q: Queries, oracle: Oracle) -> None:
    for code in oracle.orgs:
        for year in YEARS:
            for subtree in (False, True):
                s = q.summary(code, year, subtree=subtree)
                actual = {
                    "raised": s.raised_vnd,
                    "disbursed": s.disbursed_vnd,
                    "scholarships": s.scholarships_vnd,
                    "awards": s.awards_vnd,
                    "other": s.other_disbursed_vnd,
                    "recipients": s.recipients,
                    "transfers_in": s.transfers_in_vnd,
                    "transfers_out": s.transfers_out_vnd,
                    "members": s.members,
                    "population": s.population,
                    "per_capita": s.per_capita_vnd,
                    "member_ratio": s.member_ratio,
                    "raised_by_level": dict(s.raised_by_level),
                }
                expected = oracle.summary(code, year, subtree=subtree)
                wrong = {
                    k: (actual[k], expected[k])
                    for k in expected
                    if actual[k] != expected[k]
                }
                assert not wrong, (
                    f"summary({code!r}, {year}, subtree={subtree}): "
                    f"(read model, oracle) {wrong}"
                )


def check_campaigns(q: Queries, oracle: Oracle) -> None:
    for campaign, facts in oracle.campaigns.items():
        assert q.campaign(campaign).closed_on == facts.closed_on, campaign
        t = q.campaign_totals(campaign)
        actual = (t.raised_vnd, t.disbursed_vnd, t.recipients, t.entries)
        expected = oracle.campaign_totals(campaign)
        assert actual == expected, f"campaign_totals({campaign!r})"
        for code in oracle.orgs:
            for subtree in (False, True):
                t = q.campaign_totals(campaign, org=code, subtree=subtree)
                actual = (t.raised_vnd, t.disbursed_vnd, t.recipients, t.entries)
                expected = oracle.campaign_totals(campaign, code, subtree=subtree)
                assert actual == expected, (
                    f"campaign_totals({campaign!r}, org={code!r}, subtree={subtree})"
                )


JournalRow = tuple[Any, ...]


def read_journal(q: Queries, code: str, limit: int, **dates: date) -> list[JournalRow]:
    rows: list[JournalRow] = []
    cursor: str | None = None
    for _ in range(10_000):
        page = q.journal(code, cursor=cursor, limit=limit, **dates)
        assert len(page.entries) <= limit
        rows += [
            (
                e.position,
                e.kind,
                e.entry_id,
                e.voucher_no,
                e.fund,
                e.amount_vnd,
                e.balance_change_vnd,
                e.business_date,
                e.recorded_at,
                e.campaign,
                e.counterpart,
                e.category,
                e.recipients,
                e.reversed_by,
            )
            for e in page.entries
        ]
        if page.next_cursor is None:
            return rows
        assert page.entries, "an empty page with a next cursor"
        cursor = page.next_cursor
    raise AssertionError("the journal's cursors never end")


def oracle_journal(
    oracle: Oracle, code: str, first: date | None = None, last: date | None = None
) -> list[JournalRow]:
    return [
        (
            line.position,
            line.kind,
            line.entry_id,
            line.voucher_no,
            line.fund,
            line.amount,
            line.delta,
            line.business_date,
            line.recorded_at,
            line.campaign,
            line.counterpart,
            line.category,
            line.recipients,
            None
            if line.entry_id is None or line.kind == "reversal"
            else oracle.reversed_by.get((code, line.entry_id)),
        )
        for line in oracle.journal(code)
        if (first is None or line.business_date >= first)
        and (last is None or line.business_date <= last)
    ]


def check_journal(q: Queries, oracle: Oracle, probes: Probes) -> None:
    for code in oracle.orgs:
        actual = read_journal(q, code, probes.journal_limit)
        assert actual == oracle_journal(oracle, code), f"journal({code!r})"
    first, last = probes.days[0], probes.days[-1]
    for code in oracle.orgs:
        actual = read_journal(q, code, 3, date_from=first, date_to=last)
        expected = oracle_journal(oracle, code, first, last)
        assert actual == expected, f"journal({code!r}, {first}..{last})"


def check_read_models(
    read_models: ReadModels, oracle: Oracle, probes: Probes, *, full: bool = True
) -> None:
    """Every query against the oracle (``full``), or the answers of today and
    the yearly figures, with ``verify`` proving the tables equal a rebuild's."""
    assert read_models.position() == read_models.head()
    q = Queries(read_models)
    if not full:
        probes = Probes(probes.days[:1], probes.as_of[:1], probes.moments[-1:], 4)
    check_hierarchy(q, oracle, probes.days)
    check_balances(q, oracle, probes)
    check_summaries(q, oracle)
    check_campaigns(q, oracle)
    check_journal(q, oracle, probes)
    result = verify(read_models)
    assert result.clean, [str(d) for d in result.differences[:10]]


# ---- one example -------------------------------------------------------------------


class Clock:
    """When events are recorded: a millisecond apart, with pauses between
    commands, some across midnight in Vietnam (17:00 UTC) or in UTC."""

    def __init__(self) -> None:
        self.now = RECORDING_STARTS

    def __call__(self) -> datetime:
        self.now += timedelta(milliseconds=1)
        return self.now

    def pause(self, gap: timedelta) -> None:
        self.now += gap


RECORDING_STARTS = datetime(2025, 3, 1, 16, 0, tzinfo=UTC)
"""23:00 in Vietnam: the first pauses cross its midnight, later ones UTC's."""
PAUSES = [timedelta(0), timedelta(minutes=1), timedelta(hours=2), timedelta(hours=9)]


MIN_ACCEPTED_SHARE = 0.3
"""At least this share of a history's commands must be recorded: refusals are
skipped, so a regression that refused most commands would otherwise shrink
every history to nothing and still agree with the oracle. The histories draw
some commands the ledger rightly refuses (membership years before an
organisation existed or after it closed, back-dated payments that would
overdraw a day, issue 15), and Hypothesis searches for the history with the
fewest recorded: it found one with 56%, so the floor sits well below."""


def check_enough_accepted(history: History) -> None:
    """Assert the floor on accepted commands, and report the share (in
    ``--hypothesis-show-statistics``) by tenths."""
    tried = history.accepted + history.refused
    share = history.accepted / tried
    tenth = min(9, int(share * 10)) * 10
    event(f"accepted share: {tenth}-{tenth + 10}%")
    assert share >= MIN_ACCEPTED_SHARE, (
        f"only {history.accepted} of {tried} commands were recorded "
        f"({share:.0%} < {MIN_ACCEPTED_SHARE:.0%}): the ledger refuses what "
        "the history expects it to accept"
    )


def run_example(url: str, data: st.DataObject, steps: int) -> None:
    clock = Clock()
    ledger = Ledger(url, today=lambda: TODAY)
    try:
        with mock.patch("eventsourcing.domain.datetime_now_with_tzinfo", clock):
            # Caught up every few commands, three notifications a batch, by
            # two runners in turn (each finds the other has moved on).
            runners = [ReadModels(ledger, prefix="inc_", batch_size=3) for _ in "ab"]
            every = data.draw(st.integers(1, 4))
            history = History(ledger, data)
            history.setup()
            for step in range(steps):
                clock.pause(data.draw(st.sampled_from(PAUSES)))
                history.step()
                if step % every == 0:
                    data.draw(st.sampled_from(runners)).catch_up()
            stepwise = runners[0]
            stepwise.catch_up()
            at_once = ReadModels(ledger)
            at_once.catch_up()
        oracle = Oracle(stored_events(ledger))
        check_enough_accepted(history)
        note(
            f"{history.accepted} commands recorded, {history.refused} refused; "
            f"{len(oracle.lines)} lines, {len(oracle.moves)} moves, "
            f"recorded from {oracle.timestamps[0]} to {oracle.timestamps[-1]}"
        )
        probes = draw_probes(data, oracle)
        # The runners that caught up step by step answer everything; the one
        # pass at the end (what a rebuild does) a little less.
        check_read_models(stepwise, oracle, probes)
        check_read_models(at_once, oracle, probes, full=False)
    finally:
        ledger.close()


EXAMPLE = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    # No "explain" phase: it replays the shrunk example many times, slowly.
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
)


@settings(EXAMPLE, max_examples=25)
@given(data=st.data(), steps=st.integers(12, 36))
def test_read_models_agree_with_the_oracle_on_sqlite(
    data: st.DataObject, steps: int
) -> None:
    with tempfile.TemporaryDirectory() as directory:
        run_example(f"sqlite:///{Path(directory) / 'ledger.sqlite3'}", data, steps)


@contextmanager
def fresh_schema(server: str) -> Iterator[str]:
    """A URL whose search_path is a new schema, dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:16]}"
    libpq = server.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(libpq, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        sep = "&" if "?" in server else "?"
        yield f"{server}{sep}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(libpq, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.mark.postgres
@settings(EXAMPLE, max_examples=8)
@given(data=st.data(), steps=st.integers(12, 36))
def test_read_models_agree_with_the_oracle_on_postgres(
    postgres_server: str, data: st.DataObject, steps: int
) -> None:
    with fresh_schema(postgres_server) as url:
        run_example(url, data, steps)


def test_the_oracle_and_the_read_models_on_a_history_worked_out_by_hand() -> None:
    """The oracle itself, and the read models' rounding half up (a tie the
    random histories seldom meet), on a small history checked by hand."""
    with tempfile.TemporaryDirectory() as directory:
        ledger = Ledger(
            f"sqlite:///{Path(directory) / 'ledger.sqlite3'}", today=lambda: TODAY
        )
        try:
            for code, level, parent in [
                ("P", "province", None),
                ("D1", "district", "P"),
                ("D2", "district", "P"),
                ("C", "commune", "D1"),
            ]:
                ledger.register_organisation(
                    code,
                    name=code,
                    level=level,
                    parent_code=parent,
                    registered_on=date(2021, 1, 1),
                )
            ledger.receive_donation(
                "C", voucher_no="T1", amount=600, business_date=date(2022, 5, 1)
            )
            ledger.transfer(
                "C",
                to_code="D1",
                voucher_no="X1",
                amount=300,
                business_date=date(2022, 6, 1),
            )
            ledger.receive_donation(
                "C", voucher_no="T2", amount=150, business_date=date(2022, 7, 1)
            )
            ledger.move("C", new_parent_code="D2", effective_on=date(2022, 3, 1))
            ledger.report_membership("C", year=2022, members=30, population=300)
            ledger.report_membership("D2", year=2022, members=5)
            oracle = Oracle(stored_events(ledger))
            read_models = ReadModels(ledger)
            read_models.catch_up()
            q = Queries(read_models)
            d2 = q.summary("D2", 2022, subtree=True)
            p = q.balance("P", subtree=True)
        finally:
            ledger.close()
    assert oracle.ancestors_on("C", date(2022, 2, 28)) == ["D1", "P"]
    assert oracle.ancestors("C") == ["D2", "P"]
    assert oracle.balance("P", subtree=True)["general"] == (750, 1050, 300)
    assert figures(p) == {"general": (750, 1050, 300)}
    assert oracle.balance("C", subtree=False, as_of=date(2022, 5, 31)) == {
        "general": (600, 600, 0)
    }
    # The gifts and the transfer fall after the move: under D2; the transfer
    # to D1 crosses D2's boundary but not P's. 750 / 300 = 2.5 rounds up to 3.
    expected = oracle.summary("D2", 2022, subtree=True)
    assert (expected["raised"], expected["transfers_out"]) == (750, 300)
    assert (expected["members"], expected["population"]) == (35, 300)
    assert (expected["per_capita"], expected["member_ratio"]) == (3, 0.116667)
    assert (d2.raised_vnd, d2.transfers_out_vnd, d2.members, d2.population) == (
        750,
        300,
        35,
        300,
    )
    assert (d2.per_capita_vnd, d2.member_ratio) == (3, 0.116667)
    assert oracle.summary("P", 2022, subtree=True)["transfers_out"] == 0
    assert oracle.summary("D1", 2022, subtree=True)["transfers_in"] == 300
    kinds = [line.kind for line in oracle.journal("C")]
    assert kinds == ["donation", "transfer_out", "donation"]
    assert oracle.moves == [date(2022, 3, 1)]
