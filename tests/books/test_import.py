"""CSV import: a good set records what the Ledger's commands record, imports
again as nothing, and comes back from the export as the same rows; a bad row
is reported with its file, line and column, and nothing at all is written."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pytest

from api.books.csv_import import Importer
from api.books.csv_import.formats import ENTRY_COLUMNS
from api.books.exports import Selection, write_csv
from bench.seed import NgheAn2022
from ledger import Ledger
from tests.books.conftest import Books, edit_cell, read_rows, write_rows
from tests.books.test_bulk import stored
from tests.conftest import TODAY


def test_importing_the_generators_csv_records_what_its_commands_record(
    books: Books, csv_set: list[Path], seed: NgheAn2022
) -> None:
    one_by_one = Ledger("memory:", today=lambda: TODAY)
    seed.record(one_by_one)

    report = Importer(books.ledger, recorded_by="seed", on_error=print).run(csv_set)

    assert report.committed
    assert report.events == len(stored(one_by_one))
    assert stored(books.ledger) == stored(one_by_one)  # same fingerprints too


def test_an_imported_set_exports_as_the_same_entry_rows(
    books: Books, csv_set: list[Path]
) -> None:
    books.import_files(reversed(csv_set))  # any order on the command line
    out = io.StringIO()

    write_csv(books.read_models, Selection(), out)

    exported = read_rows_text(out.getvalue())
    width = len(ENTRY_COLUMNS)
    imported = read_rows(csv_set[-1])
    assert [row[:width] for row in exported] == imported
    assert books.errors == []


def test_importing_the_same_set_again_changes_nothing(
    books: Books, csv_set: list[Path]
) -> None:
    first = books.import_files(csv_set)
    head = books.head()

    again = books.import_files(csv_set)

    assert first.events == head > 0
    assert again.committed
    assert again.events == 0
    assert books.head() == head


def test_a_bom_and_vietnamese_dates_read_as_the_same_rows(
    books: Books, csv_set: list[Path], tmp_path: Path
) -> None:
    books.import_files(csv_set)
    head = books.head()
    entries = read_rows(csv_set[-1])
    column = entries[0].index("date")
    for row in entries[1:]:
        year, month, day = row[column].split("-")
        row[column] = f"{day}/{month}/{year}"
    rewritten = tmp_path / "so-thu-chi.csv"
    with rewritten.open("w", encoding="utf-8-sig", newline="") as file:
        csv.writer(file).writerows(entries)

    again = books.import_files([rewritten])

    assert (again.committed, again.events, books.head()) == (True, 0, head)


@dataclass(frozen=True)
class Bad:
    """One bad cell, and the error it must give (line 1 is the header)."""

    name: str
    file: str
    line: int | str
    column: str
    value: str
    reported_column: str | None
    says: str
    only: tuple[str, ...] = ()
    """Import only these files of the set (default: all four)."""
    starves: bool = False
    """The row carried money that later rows of its receiver spend: they are
    reported too, as insufficient funds."""


FIRST = 2
BAD_ROWS = (
    Bad("decimal comma", "entries", FIRST, "amount_vnd", "12,5", "amount_vnd",
        "digits only"),
    Bad("no such day", "entries", FIRST, "date", "31/02/2022", "date",
        "not a date in the calendar"),
    Bad("date format", "entries", FIRST, "date", "2022.01.03", "date",
        "yyyy-mm-dd or dd/mm/yyyy"),
    Bad("unknown organisation", "entries", FIRST, "org_code", "NA-NOWHERE",
        "org_code", "unknown_organisation"),
    Bad("unknown campaign", "entries", FIRST, "campaign_code", "NA-NO-SUCH",
        "campaign_code", "unknown_campaign"),
    Bad("outside its campaign", "entries", "plain december donation",
        "campaign_code", "NA-TET-2022", "date", "outside_campaign"),
    Bad("unknown fund", "entries", FIRST, "fund", "hoc-bong", "fund",
        "unknown_fund"),
    Bad("overdrawn", "entries", "last disbursement", "amount_vnd",
        "999000000000", "amount_vnd", "insufficient_funds"),
    Bad("future date", "entries", "last disbursement", "date", "2030-01-02",
        "date", "invalid_date"),
    Bad("unknown kind", "entries", FIRST, "kind", "gift", "kind",
        "donation, disbursement, transfer, opening_balance"),
    Bad("donation category", "entries", FIRST, "category", "cheque",
        "category", "cash, bank, in_kind"),
    Bad("recipients of a donation", "entries", FIRST, "recipients", "3",
        "recipients", "disbursements only"),
    Bad("a reversal row", "entries", FIRST, "kind", "reversal", "kind",
        "cannot be imported"),
    Bad("transfer to nowhere", "entries", "first transfer", "counterparty",
        "NA-ZZZ", "counterparty", "unknown_organisation", starves=True),
    Bad("unknown level", "organisations", "last", "level", "village", "level",
        "province, district", only=("organisations",)),
    Bad("unknown parent", "organisations", "last",
        "parent_code", "NA-D99", "parent_code", "unknown_organisation",
        only=("organisations",)),
    Bad("members above population", "membership", "a commune", "members",
        "99999999", "members", "exceed the population",
        only=("organisations", "membership")),
    Bad("campaign ends before it starts", "campaigns", FIRST, "ends_on",
        "2021-12-31", "ends_on", "invalid_date",
        only=("organisations", "campaigns")),
)  # fmt: skip


@pytest.mark.parametrize("bad", BAD_ROWS, ids=lambda bad: bad.name)
def test_a_bad_row_is_reported_where_it_is_and_nothing_is_written(
    books: Books, csv_set: list[Path], bad: Bad
) -> None:
    files = {path.stem: path for path in csv_set}
    path = files[bad.file]
    line = bad.line if isinstance(bad.line, int) else find_line(path, bad.line)
    edit_cell(path, line, bad.column, bad.value)
    chosen = [files[name] for name in bad.only] if bad.only else csv_set

    report = books.import_files(chosen)

    assert not report.committed
    assert books.head() == 0
    error, *starved = books.errors
    assert bool(starved) == bad.starves
    assert all(
        later.line > line and "insufficient_funds" in later.message for later in starved
    )
    assert (error.file, error.line, error.column) == (
        path.name,
        line,
        bad.reported_column,
    )
    assert bad.says in error.message
    letter = read_rows(path)[0].index(bad.reported_column or "")
    assert str(error).startswith(
        f"{path.name} line {line}, column {chr(ord('A') + letter)} "
    )


def test_every_bad_row_of_a_set_is_listed(books: Books, csv_set: list[Path]) -> None:
    entries = csv_set[-1]
    # Payments: leaving one out takes no money from a later row.
    a, b, c, d = disbursement_lines(entries)[:4]
    edit_cell(entries, a, "amount_vnd", "-5")
    edit_cell(entries, b, "date", "hôm qua")
    rows = read_rows(entries)
    rows[d - 1].append("thừa")  # a cell beyond the header
    rows.insert(c, list(rows[c - 1]))  # the line after c repeats c's voucher
    write_rows(entries, rows)

    report = books.import_files(csv_set)

    assert report.errors == 4
    assert books.head() == 0
    found = {(e.line, e.column): e.message for e in books.errors}
    assert set(found) == {
        (a, "amount_vnd"),
        (b, "date"),
        (c + 1, "voucher_no"),
        (d + 1, None),
    }
    assert f"first on entries.csv line {c}" in found[c + 1, "voucher_no"]
    assert "12 cells, but the header names 11" in found[d + 1, None]


def test_a_voucher_already_used_for_other_content_is_refused(
    books: Books, csv_set: list[Path]
) -> None:
    books.import_files(csv_set)
    head = books.head()
    edit_cell(csv_set[-1], FIRST, "amount_vnd", "1000")

    report = books.import_files(csv_set)

    assert report.errors == 1
    assert books.head() == head
    (error,) = books.errors
    assert (error.line, error.column) == (FIRST, "voucher_no")
    assert error.message.startswith("duplicate_voucher:")


def test_a_file_that_is_not_utf8_or_not_an_import_file_is_refused(
    books: Books, csv_set: list[Path], tmp_path: Path
) -> None:
    latin = tmp_path / "latin1.csv"
    text = csv_set[0].read_text(encoding="utf-8").splitlines()
    latin.write_bytes(
        ("\n".join(text[:5]) + "\n").encode() + b"NA-X,H\xf4i,branch,NA,2005-01-01\n"
    )
    odd = write_rows(tmp_path / "odd.csv", [["ma", "ten"], ["NA", "Nghệ An"]])

    report = books.import_files([latin, odd])

    assert report.errors == 2
    assert books.head() == 0
    assert [(e.file, e.line) for e in books.errors] == [
        ("latin1.csv", 6),
        ("odd.csv", 1),
    ]
    assert "not UTF-8" in books.errors[0].message
    assert "not an import file" in books.errors[1].message


# ---- helpers -------------------------------------------------------------------


def read_rows_text(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def disbursement_lines(path: Path) -> list[int]:
    rows = read_rows(path)
    kind = rows[0].index("kind")
    return [n for n, row in enumerate(rows[1:], start=2) if row[kind] == "disbursement"]


def find_line(path: Path, which: str) -> int:
    """The line of a row with some property, found in the generated file."""
    rows = read_rows(path)
    header = rows[0]

    def col(row: list[str], name: str) -> str:
        return row[header.index(name)]

    numbered = list(enumerate(rows[1:], start=2))
    if which == "last":
        return len(rows)
    if which == "a commune":
        return next(n for n, r in numbered if r[header.index("population")])
    if which == "first transfer":
        return next(n for n, r in numbered if col(r, "kind") == "transfer")
    if which == "plain december donation":
        return next(
            n
            for n, r in numbered
            if col(r, "kind") == "donation"
            and not col(r, "campaign_code")
            and col(r, "date") >= "2022-12-01"
        )
    if which == "last disbursement":
        n, row = next(
            (n, r) for n, r in reversed(numbered) if col(r, "kind") == "disbursement"
        )
        assert all(
            col(r, "org_code") != col(row, "org_code") for _, r in numbered[n - 1 :]
        )
        return n
    if which == "second entry of an organisation":
        first: dict[str, str] = {}
        for n, r in numbered:
            org = col(r, "org_code")
            later = org in first and first[org] > "2022-01-01"
            if later and col(r, "kind") == "disbursement":
                return n
            first.setdefault(org, col(r, "date"))
    raise AssertionError(f"no row: {which}")


def test_a_semicolon_separated_set_imports_as_the_comma_separated_one(
    books: Books, csv_set: list[Path], tmp_path: Path
) -> None:
    """Excel with Vietnamese regional settings saves 'CSV' with semicolons."""
    semicolons = []
    for path in csv_set:
        rows = read_rows(path)
        target = tmp_path / "semicolons" / path.name
        target.parent.mkdir(exist_ok=True)
        with target.open("w", encoding="utf-8-sig", newline="") as file:
            csv.writer(file, delimiter=";").writerows(rows)
        semicolons.append(target)
    assert ";" in semicolons[0].read_text(encoding="utf-8-sig").splitlines()[0]

    report = books.import_files(semicolons)

    assert report.committed, [e.message for e in books.errors]
    assert books.errors == []
    assert books.head() > 0
