"""A deterministic province-year shaped like Nghệ An in 2022.

``NgheAn2022(scale, seed)`` generates, from ``random.Random(seed)`` only, the
rows a treasurer's office would hold for 2022: 1 province, 21 districts, 460
communes, 4,096 branches, 9,200 clan committees and 2,132 agency committees
(each count times ``scale``, rounded, at least 1; ``scale`` is at most 4); a
2022 membership report for every organisation; a 2022 learning-model report
of each of the five models for every commune; the two campaigns ("Tết Khuyến
học Nghệ An 2022" and the 19th "Tháng Khuyến học"); and about 55,000 entries
at scale 1 (donations, scholarships and awards, and transfers from the
province to its districts and from districts to some of their communes).
``record(ledger)`` replays them through the ``Ledger`` idempotently;
``write_csv(directory)`` writes the import files of design §5, and
``learning_models.csv``.

The totals are those of the 2023 article (``ARTICLE``) exactly, at every
scale: amounts are whole thousands of đồng, and every total is split over its
parts by ``apportion`` (largest remainder in integer arithmetic, with a
minimum per part), so the parts add up to the total to the đồng:

- raised (donations only) 87.1 billion over all donations, by random weights;
- disbursed 68.2 billion over the organisations in proportion to what each
  has net of transfers (78.3% of it, never more than it has), then over its
  disbursements. Every disbursement is a scholarship or an award (none is
  ``other``), so disbursed == scholarships + awards == 68.2 billion;
- 218,000 recipients over the disbursements (each ≥ 1), roughly by amount;
- 775,276 members over every organisation (each ≥ 1); 3,341,707 inhabitants
  over the communes only (each at least its own members). Every other
  organisation reports its members with no population.

Learning models are reported by the communes (each report covers its
territory; the district and the province add them up): households are the
commune's population over 3.7, of which 82-92% registered and 80-90% of
those recognised (about 70%, the 2021-2026 target); its clans are its clan
committees and a few more, its communities 6-18 villages, its units its
agencies and 4-12 schools and offices, its adult citizens 68% of its
population. They come from their own random stream (``seed`` + 1), so the
other rows are the same with or without them.

Balances never go negative: amounts are fixed first, then each organisation's
outgoing entries (parents before children, so a transfer's date is known
before its receiver is scheduled) are pushed later, where needed, to the
first date by which its incoming money covers them. Entries are sorted by
date, then donations, the province's transfers, the districts' transfers and
disbursements, then organisation and creation order; voucher numbers
(``PT-``, ``PC-``, ``CK-2022-0001`` …) follow that order in each organisation.
An entry keeps its campaign only if its final date falls inside the campaign.

In the CSV files an in-kind gift's description is in ``note``; ``record``
sends each entry as the importer does (``api.books.csv_import.commands``: the
description, the valuation basis ``IN_KIND_VALUATION``, and the donor kind
read from the donor's name by ``donor_kind``, since the CSV has no column).
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING

from api.books.csv_import import commands
from api.books.csv_import import rows as imported
from api.books.csv_import.rows import LearningModelRow, MembershipRow, OrganisationRow
from ledger.methods import CommandMethods

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

YEAR = 2022
UNIT = 1_000
"""Amounts are generated in whole thousands of đồng."""
REGISTERED_ON = dt.date(2005, 1, 1)
RECORDED_BY = "seed"
FUND = "general"
PROGRESS_EVERY = 1_000
LEVEL_COUNTS = {
    "district": 21,
    "commune": 460,
    "branch": 4_096,
    "clan": 9_200,
    "agency": 2_132,
}


@dataclass(frozen=True, slots=True)
class ArticleFigures:
    raised_vnd: int
    disbursed_vnd: int
    recipients: int
    members: int
    population: int


ARTICLE = ArticleFigures(
    raised_vnd=87_100_000_000,
    disbursed_vnd=68_200_000_000,
    recipients=218_000,
    members=775_276,
    population=3_341_707,
)


@dataclass(frozen=True, slots=True)
class GeneratedCampaign:
    code: str
    name: str
    kind: str
    edition: int | None
    organiser_code: str
    starts_on: dt.date
    ends_on: dt.date


@dataclass(frozen=True, slots=True)
class GeneratedEntry:
    org_code: str
    voucher_no: str
    kind: str
    date: dt.date
    amount_vnd: int
    fund: str
    campaign_code: str | None
    counterparty: str | None
    category: str
    recipients: int | None
    note: str | None


TET = GeneratedCampaign(
    "NA-TET-2022",
    "Tết Khuyến học Nghệ An 2022",
    "tet",
    None,
    "NA",
    dt.date(YEAR, 1, 10),
    dt.date(YEAR, 2, 28),
)
THANG = GeneratedCampaign(
    "NA-THANG-19",
    "Tháng Khuyến học Nghệ An lần thứ 19",
    "thang",
    19,
    "NA",
    dt.date(YEAR, 8, 25),
    dt.date(YEAR, 10, 2),
)

# ---- Vietnamese names (the places are real, the people made up) -------------


def _names(text: str, separator: str = " ") -> tuple[str, ...]:
    return tuple(text.split(separator))


DISTRICTS = (
    ("thành phố", "Vinh"),
    *(("thị xã", name) for name in _names("Cửa Lò, Thái Hòa, Hoàng Mai", ", ")),
    *(
        ("huyện", name)
        for name in _names(
            "Quỳnh Lưu, Diễn Châu, Yên Thành, Nghi Lộc, Hưng Nguyên, Nam Đàn, "
            "Thanh Chương, Đô Lương, Anh Sơn, Con Cuông, Tương Dương, Kỳ Sơn, "
            "Quế Phong, Quỳ Châu, Quỳ Hợp, Nghĩa Đàn, Tân Kỳ",
            ", ",
        )
    ),
)
PLACE_SUFFIXES = _names(
    "An Bình Hồng Phúc Thịnh Lộc Hải Sơn Trung Đông Tây Nam Bắc Hòa Thành Phú "
    "Quang Minh Tân Thái Hưng Long Xuân Kim Yên Lâm Hợp Đức Hoa Vinh Mỹ Tiến"
)
SURNAMES = _names("Nguyễn Trần Lê Phạm Hoàng Hồ Phan Võ Đặng Bùi Đỗ Đinh Thái Cao Chu")
MIDDLE_NAMES = _names("Văn Thị Đình Hữu Quang Minh Ngọc Thanh Xuân Đức")
GIVEN_NAMES = _names(
    "An Bình Chi Dũng Giang Hà Hải Hòa Hùng Lan Linh Mai Nam Phương Sơn Tâm Thảo "
    "Trung Tuấn Vân"
)
BUSINESSES = _names(
    "Công ty CP Sữa Việt Nam chi nhánh Nghệ An; Công ty TNHH Xây dựng Hoàng Long; "
    "Công ty CP Thương mại Phú Thành; Doanh nghiệp tư nhân Minh Hưng; "
    "Ngân hàng Nông nghiệp chi nhánh Nghệ An; Ngân hàng TMCP Bắc Á",
    "; ",
)
DONOR_ORGANISATIONS = _names(
    "Hội đồng hương Nghệ An tại Hà Nội; Hội đồng hương Nghệ An tại TP Hồ Chí Minh; "
    "Dòng họ Hồ Quỳnh Đôi; Câu lạc bộ Doanh nhân xứ Nghệ; "
    "Quỹ Bảo trợ trẻ em tỉnh Nghệ An",
    "; ",
)
IN_KIND_GIFTS = _names(
    "20 xe đạp cho học sinh nghèo; 100 bộ sách giáo khoa; "
    "50 chiếc cặp sách và đồ dùng học tập; 5 máy tính xách tay cho điểm trường",
    "; ",
)
RECIPIENT_GROUPS = _names(
    "Học sinh nghèo vượt khó xóm {n}; Học sinh giỏi cấp huyện; Học sinh giỏi cấp "
    "tỉnh; Tân sinh viên đỗ đại học; Giáo viên dạy giỏi; Học sinh mồ côi",
    "; ",
)
AGENCIES = _names("Trường Tiểu học; Trường THCS; Trạm Y tế; Công an; Hợp tác xã", "; ")
DISTRICT_AGENCIES = _names(
    "Phòng Giáo dục và Đào tạo; Trường THPT; Trung tâm Y tế; Bệnh viện Đa khoa; "
    "Ngân hàng Chính sách xã hội",
    "; ",
)

# ---- exact splitting -----------------------------------------------------------


def apportion(
    total: int, weights: Sequence[int], minimum: int | Sequence[int] = 0
) -> list[int]:
    """Split ``total`` into parts proportional to ``weights`` that add up exactly.

    Each part first gets its minimum; the rest goes by the largest-remainder
    method in integer arithmetic (ties to the earlier part).
    """
    floors = [minimum] * len(weights) if isinstance(minimum, int) else list(minimum)
    rest = total - sum(floors)
    weight_sum = sum(weights)
    if rest < 0 or weight_sum <= 0 or len(floors) != len(weights):
        raise ValueError(f"cannot split {total} over {len(weights)} parts")
    shares = [rest * weight // weight_sum for weight in weights]
    order = sorted(
        range(len(weights)), key=lambda i: (-(rest * weights[i] % weight_sum), i)
    )
    for i in order[: rest - sum(shares)]:
        shares[i] += 1
    return [low + share for low, share in zip(floors, shares, strict=True)]


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _inside(day: dt.date, campaign: GeneratedCampaign) -> bool:
    return campaign.starts_on <= day <= campaign.ends_on


# ---- the organisations and their members ----------------------------------------


def _organisations(rng: random.Random, scale: float) -> list[OrganisationRow]:
    """Province, then depth first: each district, its agencies, its communes
    each followed by its branches, clans and agencies (parents come first)."""
    count = {level: max(1, round(n * scale)) for level, n in LEVEL_COUNTS.items()}
    per_district = apportion(
        count["commune"],
        [rng.randint(60, 140) for _ in range(count["district"])],
        minimum=1,
    )
    children: list[list[str]] = [[] for _ in range(count["commune"])]
    district_agencies = [0] * count["district"]
    for level in ("branch", "clan", "agency"):
        for _ in range(count[level]):
            if level == "agency" and rng.random() < 0.3:
                district_agencies[rng.randrange(count["district"])] += 1
            else:
                children[rng.randrange(count["commune"])].append(level)
    rows = [
        OrganisationRow(
            "NA", "Hội Khuyến học tỉnh Nghệ An", "province", None, REGISTERED_ON
        )
    ]
    commune_no = 0
    for d, communes in enumerate(per_district):
        unit, place = DISTRICTS[d % len(DISTRICTS)]
        district = f"NA-D{d + 1:02d}"
        rows.append(_org(district, f"Hội Khuyến học {unit} {place}", "district", "NA"))
        for a in range(district_agencies[d]):
            agency = DISTRICT_AGENCIES[a % len(DISTRICT_AGENCIES)]
            name = f"Ban khuyến học {agency} {unit} {place}"
            rows.append(_org(f"{district}-A{a + 1:04d}", name, "agency", district))
        kind = "xã" if unit == "huyện" else "phường"
        for c in range(communes):
            suffix = PLACE_SUFFIXES[c % len(PLACE_SUFFIXES)]
            again = (
                f" {c // len(PLACE_SUFFIXES) + 1}" if c >= len(PLACE_SUFFIXES) else ""
            )
            commune_place = f"{kind} {place.split()[0]} {suffix}{again}"
            commune = f"{district}-C{c + 1:03d}"
            name = f"Hội Khuyến học {commune_place}"
            rows.append(_org(commune, name, "commune", district))
            rows.extend(
                _commune_children(rng, commune, commune_place, children[commune_no])
            )
            commune_no += 1
    return rows


def _commune_children(
    rng: random.Random, commune: str, place: str, levels: list[str]
) -> Iterator[OrganisationRow]:
    for level, letter in (("branch", "B"), ("clan", "H"), ("agency", "A")):
        for n in range(1, levels.count(level) + 1):
            if level == "branch":
                name = f"Chi hội Khuyến học xóm {n} {place}"
            elif level == "clan":
                name = f"Ban khuyến học dòng họ {rng.choice(SURNAMES)} {place}"
            else:
                name = f"Ban khuyến học {AGENCIES[(n - 1) % len(AGENCIES)]} {place}"
            yield _org(f"{commune}-{letter}{n:04d}", name, level, commune)


def _org(code: str, name: str, level: str, parent: str) -> OrganisationRow:
    return OrganisationRow(code, name, level, parent, REGISTERED_ON)


MEMBER_WEIGHTS = {
    "province": (30, 60),
    "district": (200, 400),
    "commune": (250, 600),
    "branch": (30, 100),
    "clan": (15, 60),
    "agency": (15, 70),
}


def _memberships(
    rng: random.Random, orgs: list[OrganisationRow]
) -> list[MembershipRow]:
    weights = [rng.randint(*MEMBER_WEIGHTS[org.level]) for org in orgs]
    members = apportion(ARTICLE.members, weights, minimum=1)
    communes = [i for i, org in enumerate(orgs) if org.level == "commune"]
    population = apportion(
        ARTICLE.population,
        [rng.randint(3_000, 12_000) for _ in communes],
        minimum=[members[i] for i in communes],
    )
    people = dict(zip(communes, population, strict=True))
    return [
        MembershipRow(org.code, YEAR, members[i], people.get(i))
        for i, org in enumerate(orgs)
    ]


def _learning_models(
    seed: int, orgs: list[OrganisationRow], memberships: list[MembershipRow]
) -> list[LearningModelRow]:
    rng = random.Random(seed + 1)
    under: dict[str, list[str]] = {}
    for org in orgs:
        if org.parent_code is not None:
            under.setdefault(org.parent_code, []).append(org.level)
    rows = []
    for org, membership in zip(orgs, memberships, strict=True):
        if org.level != "commune" or membership.population is None:
            continue
        people = membership.population
        children = under.get(org.code, [])
        eligible = {
            "family": people * 10 // 37,
            "clan": children.count("clan") + rng.randint(1, 6),
            "community": rng.randint(6, 18),
            "unit": children.count("agency") + rng.randint(4, 12),
            "citizen": people * 68 // 100,
        }
        shares = {
            "family": ((82, 92), (80, 90)),
            "clan": ((80, 100), (75, 90)),
            "community": ((85, 100), (70, 85)),
            "unit": ((85, 100), (75, 90)),
            "citizen": ((50, 65), (75, 85)),
        }
        for model, total in eligible.items():
            (low, high), (low_r, high_r) = shares[model]
            registered = total * rng.randint(low, high) // 100
            recognised = registered * rng.randint(low_r, high_r) // 100
            rows.append(
                LearningModelRow(org.code, YEAR, model, total, registered, recognised)
            )
    return rows


# ---- the entries ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Profile:
    donations: tuple[int, ...]
    """How many donations an organisation of the level receives (one is drawn)."""
    disbursements: tuple[int, ...]
    gift: int
    """A typical donation, in thousands of đồng (a weight: totals stay exact)."""


PROFILES = {
    "province": _Profile((50,), (20,), 60_000),
    "district": _Profile(tuple(range(18, 23)), tuple(range(9, 12)), 15_000),
    "commune": _Profile((5, 6, 7), (3, 4, 5), 8_000),
    "branch": _Profile((1, 1, 2, 3), (1, 2), 1_500),
    "clan": _Profile((1, 1, 2, 3), (1, 2), 2_500),
    "agency": _Profile((1, 1, 2, 3), (1, 2), 1_500),
}
SEASONS = (
    # (cumulative chance, campaign, first day, last day, chance of an award)
    (0.35, TET, dt.date(YEAR, 1, 20), TET.ends_on, 0.6),
    (0.75, THANG, THANG.starts_on, THANG.ends_on, 0.3),
    (0.90, None, dt.date(YEAR, 5, 15), dt.date(YEAR, 6, 30), 0.9),
    (1.00, None, dt.date(YEAR, 11, 1), dt.date(YEAR, 12, 31), 0.2),
)
TRANSFERS = {
    # sender: (receivers, % of its income passed down, chance a child gets one, when)
    "province": (
        "district",
        35,
        1.0,
        (
            (dt.date(YEAR, 1, 12), dt.date(YEAR, 1, 18)),
            (dt.date(YEAR, 8, 10), dt.date(YEAR, 8, 16)),
        ),
    ),
    "district": ("commune", 25, 0.5, ((dt.date(YEAR, 8, 18), dt.date(YEAR, 8, 24)),)),
}
TRANSFER_NOTE = "Hỗ trợ quỹ khuyến học cho hội cấp dưới"
PHASES = {"donation": 0, "province transfer": 1, "transfer": 2, "disbursement": 3}
"""Same-day order: money in before money out; the province's transfers before
the districts', which may pass the province's money on."""
PREFIX = {"donation": "PT", "disbursement": "PC", "transfer": "CK"}


@dataclass(slots=True)
class _Draft:
    """An entry before its final date, amount and voucher number are known."""

    org: int
    kind: str
    day: dt.date
    campaign: GeneratedCampaign | None = None
    counterparty: str | None = None
    category: str = ""
    note: str | None = None
    to: int | None = None
    amount: int = 0
    """In thousands of đồng."""
    recipients: int | None = None


def _entries(rng: random.Random, orgs: list[OrganisationRow]) -> list[GeneratedEntry]:
    levels = [org.level for org in orgs]
    incoming: list[list[_Draft]] = [[] for _ in orgs]
    outgoing: list[list[_Draft]] = [[] for _ in orgs]
    donations = [
        _donation(rng, i, first=k == 0)
        for i, level in enumerate(levels)
        for k in range(rng.choice(PROFILES[level].donations))
    ]
    weights = [
        max(1, round(PROFILES[levels[d.org]].gift * rng.lognormvariate(0, 0.7)))
        for d in donations
    ]
    amounts = apportion(ARTICLE.raised_vnd // UNIT, weights, minimum=100)
    for donation, amount in zip(donations, amounts, strict=True):
        donation.amount = amount
        incoming[donation.org].append(donation)
    transfers = _transfers(rng, orgs, incoming, outgoing)
    net = [
        sum(d.amount for d in incoming[i])
        - sum(d.amount for d in outgoing[i] if d.kind == "transfer")
        for i in range(len(orgs))
    ]
    payments: list[_Draft] = []
    for i, budget in enumerate(apportion(ARTICLE.disbursed_vnd // UNIT, net)):
        mine = _disbursements(rng, i, levels[i], budget)
        outgoing[i].extend(mine)
        payments.extend(mine)
    _count_recipients(rng, payments)
    for i in range(len(orgs)):  # parents first: a transfer is dated before it arrives
        _schedule(incoming[i], outgoing[i])
    return _rows(orgs, [*donations, *transfers, *payments])


def _donation(rng: random.Random, org: int, *, first: bool) -> _Draft:
    """A donation; an organisation's first one comes early in the Tết campaign."""
    draw = rng.random()
    campaign: GeneratedCampaign | None
    if first or draw < 0.2:
        campaign = TET
        day = _day(rng, TET.starts_on, dt.date(YEAR, 1, 31) if first else TET.ends_on)
    elif draw < 0.7:
        campaign = THANG
        day = _day(rng, THANG.starts_on, THANG.ends_on)
    else:
        campaign = None
        day = _day(rng, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))
    who = rng.random()
    donor: str | None
    if who < 0.1:
        donor = None
    elif who < 0.7:
        names = (SURNAMES, MIDDLE_NAMES, GIVEN_NAMES)
        donor = " ".join(rng.choice(part) for part in names)
    elif who < 0.9:
        donor = rng.choice(BUSINESSES)
    else:
        donor = rng.choice(DONOR_ORGANISATIONS)
    how = rng.random()
    if how < 0.01:
        gift = rng.choice(IN_KIND_GIFTS)
        return _Draft(org, "donation", day, campaign, donor, "in_kind", note=gift)
    return _Draft(
        org, "donation", day, campaign, donor, "cash" if how < 0.56 else "bank"
    )


def _disbursement(rng: random.Random, org: int) -> _Draft:
    """A scholarship or an award, at the date it is meant to be paid."""
    draw = rng.random()
    _, campaign, first, last, awards = next(s for s in SEASONS if draw < s[0])
    category = "award" if rng.random() < awards else "scholarship"
    group = rng.choice(RECIPIENT_GROUPS).format(n=rng.randint(1, 12))
    recipient = None if rng.random() < 0.3 else group
    return _Draft(
        org, "disbursement", _day(rng, first, last), campaign, recipient, category
    )


def _disbursements(
    rng: random.Random, org: int, level: str, budget: int
) -> list[_Draft]:
    """An organisation's scholarships and awards, sharing its budget exactly."""
    drafts = [
        _disbursement(rng, org)
        for _ in range(rng.choice(PROFILES[level].disbursements))
    ]
    shares = apportion(budget, [rng.randint(50, 150) for _ in drafts], minimum=1)
    for draft, amount in zip(drafts, shares, strict=True):
        draft.amount = amount
    return drafts


def _count_recipients(rng: random.Random, payments: list[_Draft]) -> None:
    """Share the recipients out roughly by amount at a random cost per head
    (thousands of đồng; scholarships cost more than awards), at least one each."""
    weights = [
        max(1, p.amount * 1_000 // rng.randint(200, 1_000))
        if p.category == "scholarship"
        else max(1, p.amount * 1_000 // rng.randint(100, 500))
        for p in payments
    ]
    heads = apportion(ARTICLE.recipients, weights, minimum=1)
    for payment, count in zip(payments, heads, strict=True):
        payment.recipients = count


def _transfers(
    rng: random.Random,
    orgs: list[OrganisationRow],
    incoming: list[list[_Draft]],
    outgoing: list[list[_Draft]],
) -> list[_Draft]:
    """The province passes a share of its income to every district (twice), each
    district a share of its own to about half of its communes."""
    children: list[list[int]] = [[] for _ in orgs]
    index = {org.code: i for i, org in enumerate(orgs)}
    for i, org in enumerate(orgs):
        if org.parent_code is not None:
            children[index[org.parent_code]].append(i)
    made: list[_Draft] = []
    for sender, org in enumerate(orgs):  # the province first: districts pass it on
        if org.level not in TRANSFERS:
            continue
        level, percent, chance, windows = TRANSFERS[org.level]
        receivers = [k for k in children[sender] if orgs[k].level == level]
        chosen = [k for k in receivers if rng.random() < chance] or receivers[:1]
        pairs = [
            (k, _Draft(sender, "transfer", _day(rng, *when), to=k, note=TRANSFER_NOTE))
            for k in chosen
            for when in windows
        ]
        if not pairs:
            continue
        total = sum(d.amount for d in incoming[sender]) * percent // 100
        shares = apportion(total, [rng.randint(50, 150) for _ in pairs], minimum=1)
        for (receiver, draft), amount in zip(pairs, shares, strict=True):
            draft.amount = amount
            outgoing[sender].append(draft)
            incoming[receiver].append(draft)
            made.append(draft)
    return made


def _schedule(incoming: list[_Draft], outgoing: list[_Draft]) -> None:
    """Push each outgoing entry, where needed, to the first date by which the
    money that came in covers it and everything paid out before it."""
    arrivals = sorted((d.day, d.amount) for d in incoming)
    received = spent = taken = 0
    ready = last = dt.date(YEAR, 1, 1)
    for entry in sorted(outgoing, key=lambda d: d.day):
        spent += entry.amount
        while received < spent:  # never runs out: out ≤ in for every organisation
            ready, amount = arrivals[taken]
            received += amount
            taken += 1
        entry.day = last = max(entry.day, ready, last)
        if entry.campaign is not None and not _inside(entry.day, entry.campaign):
            entry.campaign = None


def _rows(orgs: list[OrganisationRow], drafts: list[_Draft]) -> list[GeneratedEntry]:
    """Sort by date (money in before money out), then number the vouchers."""

    def order(item: tuple[int, _Draft]) -> tuple[dt.date, int, int, int]:
        seq, d = item
        by_province = d.kind == "transfer" and orgs[d.org].level == "province"
        return d.day, PHASES["province transfer" if by_province else d.kind], d.org, seq

    numbers: dict[tuple[int, str], int] = {}
    rows = []
    for _, d in sorted(enumerate(drafts), key=order):
        prefix = PREFIX[d.kind]
        number = numbers[d.org, prefix] = numbers.get((d.org, prefix), 0) + 1
        rows.append(
            GeneratedEntry(
                org_code=orgs[d.org].code,
                voucher_no=f"{prefix}-{YEAR}-{number:04d}",
                kind=d.kind,
                date=d.day,
                amount_vnd=d.amount * UNIT,
                fund=FUND,
                campaign_code=d.campaign.code if d.campaign is not None else None,
                counterparty=orgs[d.to].code if d.to is not None else d.counterparty,
                category=d.category,
                recipients=d.recipients,
                note=d.note,
            )
        )
    return rows


# ---- the province-year ------------------------------------------------------------


class NgheAn2022:
    """Nghệ An's associations in 2022, with the article's totals exactly."""

    MAX_SCALE = 4.0
    """Above it the minimums (a member per organisation …) may not fit the totals."""

    def __init__(self, scale: float = 1.0, seed: int = 2022) -> None:
        if not 0 < scale <= self.MAX_SCALE:
            raise ValueError(f"scale must be in (0, {self.MAX_SCALE}], not {scale}")
        rng = random.Random(seed)
        self.scale = scale
        self.seed = seed
        self.province_code: str = "NA"
        self.organisations: list[OrganisationRow] = _organisations(rng, scale)
        self.memberships: list[MembershipRow] = _memberships(rng, self.organisations)
        self.learning_models: list[LearningModelRow] = _learning_models(
            seed, self.organisations, self.memberships
        )
        self.campaigns: list[GeneratedCampaign] = [TET, THANG]
        self.entries: list[GeneratedEntry] = _entries(rng, self.organisations)
        self.expected: ArticleFigures = ARTICLE

    def record(
        self,
        ledger: CommandMethods,
        *,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        """Record everything through the ``Ledger`` (or one of its batches),
        with the importer's own commands; a second run records nothing."""
        rows: list[imported.Row] = [
            *self.organisations,
            *self.memberships,
            *self.learning_models,
            *(_imported_campaign(campaign) for campaign in self.campaigns),
            *(_imported(entry) for entry in self.entries),
        ]
        for done, row in enumerate(rows, start=1):
            ledger.execute(commands.command_of(row, RECORDED_BY))
            if progress is not None and (
                done % PROGRESS_EVERY == 0 or done == len(rows)
            ):
                progress(done, len(rows))

    def write_csv(self, directory: Path) -> list[Path]:
        """Write the import files (design §5), in import order."""
        directory.mkdir(parents=True, exist_ok=True)
        return [
            _write(
                directory / "organisations.csv", OrganisationRow, self.organisations
            ),
            _write(directory / "membership.csv", MembershipRow, self.memberships),
            _write(
                directory / "learning_models.csv",
                LearningModelRow,
                self.learning_models,
            ),
            _write(directory / "campaigns.csv", GeneratedCampaign, self.campaigns),
            _write(directory / "entries.csv", GeneratedEntry, self.entries),
        ]


def record_entry(ledger: CommandMethods, entry: GeneratedEntry) -> None:
    """Record one entry row with the command the importer sends for it."""
    ledger.execute(commands.command_of(_imported(entry), RECORDED_BY))


def _imported_campaign(campaign: GeneratedCampaign) -> imported.CampaignRow:
    """The importer's row for a generated campaign (no target)."""
    return imported.CampaignRow(
        **{f.name: getattr(campaign, f.name) for f in fields(GeneratedCampaign)},
        target_vnd=None,
    )


def _imported(entry: GeneratedEntry) -> imported.EntryRow:
    """The importer's row for one generated entry (the same columns)."""
    return imported.EntryRow(
        **{f.name: getattr(entry, f.name) for f in fields(GeneratedEntry)},
        to_fund=FUND,
        details={},
    )


def _write(
    path: Path, row_type: type[DataclassInstance], rows: Sequence[object]
) -> Path:
    columns = [field.name for field in fields(row_type)]
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(columns)
        writer.writerows(
            [_cell(getattr(row, name)) for name in columns] for row in rows
        )
    return path


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
