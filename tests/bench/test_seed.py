"""The Nghệ An 2022 generator: the article's totals exactly at every scale,
deterministic, never overdrawn, and recordable through the ``Ledger``."""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest

from api.books.csv_import.commands import donor_kind
from api.books.csv_import.rows import OrganisationRow
from bench.seed import (
    ARTICLE,
    ArticleFigures,
    GeneratedEntry,
    NgheAn2022,
    apportion,
)
from ledger import Ledger

CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
TODAY = date(2024, 12, 31)


@pytest.fixture(scope="module")
def full() -> NgheAn2022:
    return NgheAn2022()


@pytest.fixture(scope="module")
def small() -> NgheAn2022:
    return NgheAn2022(scale=0.01)


@pytest.fixture(params=["full", "small"])
def province(request: pytest.FixtureRequest) -> NgheAn2022:
    generated: NgheAn2022 = request.getfixturevalue(request.param)
    return generated


def figures(seed: NgheAn2022) -> ArticleFigures:
    """What the province's 2022 subtree summary must show, from the rows alone."""
    paid = [e for e in seed.entries if e.category in ("scholarship", "award")]
    levels = {org.code: org.level for org in seed.organisations}
    return ArticleFigures(
        raised_vnd=sum(e.amount_vnd for e in seed.entries if e.kind == "donation"),
        disbursed_vnd=sum(e.amount_vnd for e in paid),
        recipients=sum(e.recipients or 0 for e in paid),
        members=sum(m.members for m in seed.memberships if m.year == 2022),
        population=sum(
            m.population or 0
            for m in seed.memberships
            if levels[m.org_code] == "commune"
        ),
    )


def replay(entries: list[GeneratedEntry]) -> dict[str, int]:
    """Every organisation's general fund after the entries, in list order,
    failing as soon as one would go below zero."""
    balances: defaultdict[str, int] = defaultdict(int)
    for entry in entries:
        if entry.kind == "donation":
            balances[entry.org_code] += entry.amount_vnd
            continue
        balances[entry.org_code] -= entry.amount_vnd
        assert balances[entry.org_code] >= 0, entry
        if entry.kind == "transfer":
            assert entry.counterparty is not None
            balances[entry.counterparty] += entry.amount_vnd
    return dict(balances)


def test_totals_are_the_article_s_exactly(province: NgheAn2022) -> None:
    assert province.expected == ARTICLE
    assert figures(province) == ARTICLE
    assert round(ARTICLE.members / ARTICLE.population, 4) == 0.2320
    disbursements = [e for e in province.entries if e.kind == "disbursement"]
    assert {e.category for e in disbursements} == {"scholarship", "award"}


def test_full_scale_has_the_article_s_organisations(full: NgheAn2022) -> None:
    assert Counter(org.level for org in full.organisations) == {
        "province": 1,
        "district": 21,
        "commune": 460,
        "branch": 4_096,
        "clan": 9_200,
        "agency": 2_132,
    }
    assert 40_000 <= len(full.entries) <= 60_000
    assert full.province_code == "NA"
    assert full.organisations[0] == OrganisationRow(
        "NA", "Hội Khuyến học tỉnh Nghệ An", "province", None, date(2005, 1, 1)
    )


def test_a_smaller_scale_shrinks_organisations_and_entries(
    full: NgheAn2022, small: NgheAn2022
) -> None:
    assert Counter(org.level for org in small.organisations) == {
        "province": 1,
        "district": 1,
        "commune": 5,
        "branch": 41,
        "clan": 92,
        "agency": 21,
    }
    assert len(full.entries) / 200 < len(small.entries) < len(full.entries) / 50


def test_scale_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="scale"):
        NgheAn2022(scale=0)


def test_same_seed_same_rows_other_seed_other_rows() -> None:
    first, again = NgheAn2022(0.05), NgheAn2022(0.05)
    other = NgheAn2022(0.05, seed=7)
    for name in ("organisations", "memberships", "campaigns", "entries"):
        assert getattr(first, name) == getattr(again, name)
    assert first.entries != other.entries
    assert figures(other) == ARTICLE


def test_entries_are_sorted_by_date_and_never_overdraw(province: NgheAn2022) -> None:
    days = [e.date for e in province.entries]
    assert days == sorted(days)
    assert date(2022, 1, 1) <= days[0]
    assert days[-1] <= date(2022, 12, 31)
    balances = replay(province.entries)
    assert sum(balances.values()) == ARTICLE.raised_vnd - ARTICLE.disbursed_vnd


def test_every_entry_is_well_formed(province: NgheAn2022) -> None:
    parents = {org.code: org.parent_code for org in province.organisations}
    vouchers = Counter((e.org_code, e.voucher_no) for e in province.entries)
    assert max(vouchers.values()) == 1
    kinds = Counter(e.kind for e in province.entries)
    assert set(kinds) == {"donation", "disbursement", "transfer"}
    for e in province.entries:
        assert e.org_code in parents
        assert e.fund == "general"
        assert isinstance(e.amount_vnd, int)
        assert e.amount_vnd > 0
        if e.kind == "donation":
            assert e.category in ("cash", "bank", "in_kind")
            assert e.recipients is None
            assert e.category != "in_kind" or e.note
            assert e.voucher_no.startswith("PT-2022-")
        elif e.kind == "disbursement":
            assert e.recipients is not None
            assert e.recipients >= 1
            assert e.voucher_no.startswith("PC-2022-")
        else:  # a transfer goes down one step, province → district → commune
            assert e.counterparty is not None
            assert parents[e.counterparty] == e.org_code
            assert e.category == ""
            assert e.recipients is None
            assert e.voucher_no.startswith("CK-2022-")


def test_campaign_entries_fall_inside_their_campaign(province: NgheAn2022) -> None:
    campaigns = {c.code: c for c in province.campaigns}
    assert {(c.kind, c.edition, c.organiser_code) for c in campaigns.values()} == {
        ("tet", None, "NA"),
        ("thang", 19, "NA"),
    }
    for e in province.entries:
        if e.campaign_code is not None:
            campaign = campaigns[e.campaign_code]
            assert campaign.starts_on <= e.date <= campaign.ends_on, e


def test_a_good_share_of_the_money_names_a_campaign(full: NgheAn2022) -> None:
    for kind in ("donation", "disbursement"):
        entries = [e for e in full.entries if e.kind == kind]
        for code in ("NA-TET-2022", "NA-THANG-19"):
            tagged = [e for e in entries if e.campaign_code == code]
            assert len(tagged) > len(entries) // 6, (kind, code)


def test_parents_come_before_their_children(province: NgheAn2022) -> None:
    seen: set[str] = set()
    for org in province.organisations:
        assert CODE.fullmatch(org.code)
        assert org.parent_code is None or org.parent_code in seen, org
        assert org.code not in seen
        seen.add(org.code)


def test_only_communes_report_a_population_at_least_their_members(
    province: NgheAn2022,
) -> None:
    levels = {org.code: org.level for org in province.organisations}
    assert [m.org_code for m in province.memberships] == list(levels)
    for report in province.memberships:
        assert report.year == 2022
        assert report.members >= 1
        if levels[report.org_code] == "commune":
            assert report.population is not None
            assert report.population >= report.members
        else:
            assert report.population is None


def test_csv_files_have_the_design_s_headers_and_every_row(
    small: NgheAn2022, tmp_path: Path
) -> None:
    paths = small.write_csv(tmp_path / "csv")
    headers = {
        "organisations.csv": "code,name,level,parent_code,registered_on",
        "membership.csv": "org_code,year,members,population",
        "learning_models.csv": "org_code,year,model,eligible,registered,recognised",
        "campaigns.csv": "code,name,kind,edition,organiser_code,starts_on,ends_on",
        "entries.csv": "org_code,voucher_no,kind,date,amount_vnd,fund,"
        "campaign_code,counterparty,category,recipients,note",
    }
    assert [path.name for path in paths] == list(headers)
    counts = [
        len(small.organisations),
        len(small.memberships),
        len(small.learning_models),
        len(small.campaigns),
        len(small.entries),
    ]
    for path, header, count in zip(paths, headers.values(), counts, strict=True):
        with path.open(encoding="utf-8", newline="") as file:
            rows = list(csv.reader(file))
        assert ",".join(rows[0]) == header
        assert len(rows) == count + 1
    with paths[4].open(encoding="utf-8", newline="") as file:
        entries = [_entry(row) for row in csv.DictReader(file)]
    assert entries == small.entries


def _entry(row: dict[str, str]) -> GeneratedEntry:
    return GeneratedEntry(
        org_code=row["org_code"],
        voucher_no=row["voucher_no"],
        kind=row["kind"],
        date=date.fromisoformat(row["date"]),
        amount_vnd=int(row["amount_vnd"]),
        fund=row["fund"],
        campaign_code=row["campaign_code"] or None,
        counterparty=row["counterparty"] or None,
        category=row["category"],
        recipients=int(row["recipients"]) if row["recipients"] else None,
        note=row["note"] or None,
    )


def test_recording_gives_every_organisation_its_balance_and_is_idempotent() -> None:
    seed = NgheAn2022(scale=0.003)
    ledger = Ledger("memory:", today=lambda: TODAY)
    calls: list[tuple[int, int]] = []
    try:
        seed.record(ledger, progress=lambda done, total: calls.append((done, total)))
        expected = replay(seed.entries)
        for org in seed.organisations:
            assert ledger.balance(org.code) == expected.get(org.code, 0), org.code
        head = ledger.recorder.max_notification_id()
        seed.record(ledger)
        assert ledger.recorder.max_notification_id() == head
    finally:
        ledger.close()
    total = (
        len(seed.organisations)
        + len(seed.memberships)
        + len(seed.learning_models)
        + len(seed.campaigns)
        + len(seed.entries)
    )
    assert calls[-1] == (total, total)


def test_apportion_adds_up_exactly_and_keeps_minimums() -> None:
    parts = apportion(1_000, [1, 1, 1], minimum=[0, 10, 500])
    assert sum(parts) == 1_000
    assert parts[1] >= 10
    assert parts[2] >= 500
    assert apportion(10, [3, 3, 3]) == [4, 3, 3]
    with pytest.raises(ValueError, match="cannot split"):
        apportion(5, [1, 1], minimum=3)


def test_donor_kind_follows_the_donor_s_name() -> None:
    assert donor_kind(None) == "anonymous"
    assert donor_kind("Công ty TNHH Xây dựng Hoàng Long") == "business"
    assert donor_kind("Hội đồng hương Nghệ An tại Hà Nội") == "organisation"
    assert donor_kind("Hồ Văn An") == "individual"


def test_every_commune_reports_the_five_learning_models_within_the_rules(
    small: NgheAn2022,
) -> None:
    communes = {org.code for org in small.organisations if org.level == "commune"}
    reported = {(row.org_code, row.model) for row in small.learning_models}
    models = {"family", "clan", "community", "unit", "citizen"}
    assert reported == {(code, model) for code in communes for model in models}
    for row in small.learning_models:
        assert 0 <= row.recognised <= row.registered <= row.eligible
        assert row.year == 2022
    # The other rows do not depend on them: the same seed gives the same entries.
    assert NgheAn2022(scale=small.scale).entries == small.entries
