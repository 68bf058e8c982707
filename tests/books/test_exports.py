"""Exports: the CSV opens as UTF-8 in a spreadsheet and imports back as the
same entries; the JSON Lines hold every event in log order; the hledger
journal balances and gives every fund's and subtree's balance (its shape is
checked here, hledger itself in ``.ci/hledger-check``)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
from eventsourcing.utils import resolve_topic

from api.books.exports import Selection, write_csv, write_hledger, write_jsonl
from api.books.exports.directory import Directory
from api.ops.demo import load_demo
from ledger import Ledger
from tests.books.conftest import Books

VIETNAMESE_DONOR = "Bà Nguyễn Thị Hà (Hội Phụ nữ xã Quỳnh Thạch)"
VIETNAMESE_NOTE = "Ủng hộ quỹ khuyến học – năm học 2022–2023"  # noqa: RUF001 -- typeset dashes must survive
FORMULA_DONOR = '=HYPERLINK("http://example.invalid","bấm")'


def record_history(ledger: Ledger) -> None:
    """The demo province, then Vietnamese text, a would-be formula, an in-kind
    gift, reversals (of a gift and of a transfer) and a merge."""
    load_demo(ledger)
    ledger.receive_donation(
        "NA-QL",
        voucher_no="PT-VN-1",
        amount=3_000_000,
        business_date=date(2022, 9, 10),
        donor=VIETNAMESE_DONOR,
        donor_kind="individual",
        note=VIETNAMESE_NOTE,
    )
    ledger.receive_donation(
        "NA-QL",
        voucher_no="PT-F-1",
        amount=1_000_000,
        business_date=date(2022, 9, 11),
        donor=FORMULA_DONOR,
        donor_kind="business",
        method="bank",
    )
    ledger.receive_donation(
        "NA-DC",
        voucher_no="PT-HV-1",
        amount=40_000_000,
        business_date=date(2022, 9, 12),
        donor="Công ty TNHH Hoàng Long",
        donor_kind="business",
        method="in_kind",
        in_kind_description="20 xe đạp cho học sinh nghèo",
        valuation_basis="Theo giá thị trường",
    )
    ledger.reverse_entry("NA-DC-DH-HO", "PT-2022-001", reason="ghi nhầm đơn vị")
    ledger.transfer(
        "NA-DC-DH",
        to_code="NA-DC-DH-HO",
        voucher_no="CK-2022-002",
        amount=1_000_000,
        business_date=date(2022, 11, 10),
    )
    ledger.reverse_entry("NA-DC-DH-HO", "NA-DC-DH:CK-2022-002", reason="chuyển nhầm")
    ledger.merge("NA-QL-QT", into_code="NA-QL", effective_on=date(2023, 6, 1))


@pytest.fixture
def history(books: Books) -> Books:
    record_history(books.ledger)
    books.read_models.catch_up()
    return books


def exported_csv(books: Books, selection: Selection | None = None) -> bytes:
    out = io.StringIO(newline="")
    write_csv(books.read_models, selection or Selection(), out)
    return out.getvalue().encode("utf-8")


def rows_of(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_csv_opens_as_utf8_and_keeps_vietnamese_text_exactly(
    history: Books,
) -> None:
    data = exported_csv(history)

    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == data.count(b"\n") > 10
    rows = {row["voucher_no"]: row for row in rows_of(data)}
    assert rows["PT-VN-1"]["counterparty"] == VIETNAMESE_DONOR
    assert rows["PT-VN-1"]["note"] == VIETNAMESE_NOTE
    assert rows["PT-F-1"]["counterparty"] == "'" + FORMULA_DONOR
    assert rows["PT-HV-1"]["note"] == "20 xe đạp cho học sinh nghèo"
    assert rows["PT-HV-1"]["category"] == "in_kind"


def test_the_csv_has_one_row_per_entry_with_its_kind(history: Books) -> None:
    rows = rows_of(exported_csv(history))

    kinds = [(row["org_code"], row["voucher_no"], row["kind"]) for row in rows]
    assert kinds.count(("NA-DC-DH", "PC-2022-010", "transfer")) == 1
    assert ("NA-DC-DH-HO", "PT-2022-001", "reversal") in kinds
    assert ("NA-DC-DH", "CK-2022-002", "reversal") in kinds
    merged = [row for row in rows if row["kind"] == "merge"]
    assert [(r["org_code"], r["counterparty"], r["amount_vnd"]) for r in merged] == [
        ("NA-QL-QT", "NA-QL", "14000000")
    ]
    assert len(rows) == 14
    assert [int(row["position"]) for row in rows] == sorted(
        int(row["position"]) for row in rows
    )


def test_an_exported_csv_imports_back_as_the_same_entries(
    history: Books, tmp_path: Path
) -> None:
    rows = rows_of(exported_csv(history))
    entries = [row for row in rows if row["kind"] not in ("reversal", "merge")]
    path = tmp_path / "so-sach.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(entries)
    head = history.head()

    report = history.import_files([path])

    assert history.errors == []
    assert (report.committed, report.events, history.head()) == (True, 0, head)


def test_an_export_of_a_subtree_and_dates_keeps_entries_that_touch_them(
    history: Books,
) -> None:
    selection = Selection("NA-DC-DH-X3", date(2022, 1, 1), date(2022, 12, 31))

    rows = rows_of(exported_csv(history, selection))

    assert [(r["org_code"], r["voucher_no"]) for r in rows] == [
        ("NA-DC-DH", "PC-2022-010")  # the transfer it received
    ]


def test_the_jsonl_holds_every_event_in_log_order(history: Books) -> None:
    out = io.StringIO()

    written = write_jsonl(history.read_models, Selection(), out)

    records = [json.loads(line) for line in out.getvalue().splitlines()]
    logged = history.ledger.recorder.select_notifications(start=1, limit=10_000)
    assert written == len(records) == len(logged)
    assert [r["position"] for r in records] == [n.id for n in logged]
    assert [(r["aggregate"], r["version"]) for r in records] == [
        (str(n.originator_id), n.originator_version) for n in logged
    ]
    assert all(resolve_topic(r["type"]).__name__ for r in records)
    gift = next(r for r in records if r["data"].get("voucher_no") == "PT-VN-1")
    assert gift["type"] == "ledger.organisation:Organisation.DonationReceived"
    assert gift["data"]["amount"] == 3_000_000
    assert gift["data"]["business_date"] == "2022-09-10"
    assert gift["data"]["counterparty"] == VIETNAMESE_DONOR
    assert gift["actor"] == "system"
    assert gift["timestamp"].endswith("+00:00")


def test_the_jsonl_of_a_subtree_holds_its_organisations_and_vouchers_events(
    history: Books,
) -> None:
    out = io.StringIO()

    write_jsonl(history.read_models, Selection("NA-DC-DH-HO"), out)

    records = [json.loads(line) for line in out.getvalue().splitlines()]
    types = {r["type"].split(".")[-1] for r in records}
    assert {"Registered", "DonationReceived", "Issued", "Reversed"} <= types
    ho = str(Directory(history.read_models).ids["NA-DC-DH-HO"])
    assert all(
        r["aggregate"] == ho or r["data"].get("org_id") == ho or r["version"] > 1
        for r in records
    )


ACCOUNT = re.compile(r"^(assets|income|expenses|equity)(:[A-Za-z0-9._-]+)+$")
POSTING = re.compile(r"^    (\S+)  (-?[0-9]+) VND$")


def parse_journal(text: str) -> list[list[tuple[str, int]]]:
    """Each transaction's postings, checking the lines' shape on the way."""
    transactions: list[list[tuple[str, int]]] = []
    for line in text.splitlines():
        if re.match(r"^[0-9]{4}-[0-9]{2}-[0-9]{2} ", line):
            transactions.append([])
        elif line.startswith("    ") and not line.startswith("    ;"):
            found = POSTING.match(line)
            assert found, line
            assert ACCOUNT.match(found[1]), found[1]
            transactions[-1].append((found[1], int(found[2])))
        else:
            assert line == "" or line.startswith(("; ", "    ; ", "commodity ")), line
    return transactions


def test_the_hledger_journal_balances_and_gives_the_ledgers_balances(
    history: Books,
) -> None:
    out = io.StringIO()

    write_hledger(history.read_models, Selection(), out)

    assert "commodity 1000. VND" in out.getvalue()
    transactions = parse_journal(out.getvalue())
    assert all(sum(amount for _, amount in t) == 0 for t in transactions)
    assert all(len(t) == 2 for t in transactions)
    sums: defaultdict[str, int] = defaultdict(int)
    for account, amount in (p for t in transactions for p in t):
        parts = account.split(":")
        for depth in range(2, len(parts) + 1):
            sums[":".join(parts[:depth])] += amount
    directory = Directory(history.read_models)
    for org_id, code in directory.codes.items():
        account = ":".join(["assets", *directory.path(org_id)])
        own = history.ledger.organisation(code).balances
        for fund, balance in own.items():
            assert sums[f"{account}:{fund}"] == balance, (code, fund)
        subtree = history.queries.balance(code, subtree=True).balance
        assert sums[account] == subtree, code
    assert sums["assets:NA:NA-QL:NA-QL-QT:general"] == 0  # merged away
    assert sums["assets:NA:NA-QL:general"] == 14_000_000 + 4_000_000


def test_an_hledger_journal_of_a_subtree_still_balances(history: Books) -> None:
    out = io.StringIO()

    write_hledger(history.read_models, Selection("NA-DC-DH-X3"), out)

    (transaction,) = parse_journal(out.getvalue())
    assert transaction == [
        ("assets:NA:NA-DC:NA-DC-DH:NA-DC-DH-X3:general:cash", 5_000_000),
        ("equity:transfers", -5_000_000),
    ]


def test_the_hledger_journal_is_in_date_order_with_log_positions_kept(
    history: Books,
) -> None:
    history.ledger.receive_donation(  # recorded last, dated early
        "NA-DC-DH", voucher_no="PT-LATE", amount=1_000, business_date=date(2022, 1, 5)
    )
    history.read_models.catch_up()
    out = io.StringIO()

    write_hledger(history.read_models, Selection(), out)

    text = out.getvalue()
    days = re.findall(r"^(\d{4}-\d{2}-\d{2})", text, flags=re.MULTILINE)
    positions = [int(p) for p in re.findall(r"; position: (\d+)", text)]
    assert len(days) == len(positions) > 5
    assert days == sorted(days)
    assert positions != sorted(positions)  # the late entry moved up
    assert max(positions) == positions[days.index("2022-01-05")]
