"""An import's errors are said in Vietnamese by default — where (file, line,
column) and what — with no English sentence inside, and in English on request
(``khuyenhoc import --lang en``); ``message`` stays English for programs."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.cli import main as cli
from tests.books.conftest import Books, edit_cell, read_rows, write_rows
from tests.books.test_import import disbursement_lines
from tests.ledger.test_wording import english_in


def lines_of(path: Path, kind: str) -> list[int]:
    rows = read_rows(path)
    column = rows[0].index("kind")
    return [n for n, row in enumerate(rows[1:], start=2) if row[column] == kind]


def spoil(csv_set: list[Path], tmp_path: Path) -> list[Path]:
    """The generator's set with one of each kind of mistake a treasurer makes."""
    entries = csv_set[-1]
    a, b, c, d, e, f, g = disbursement_lines(entries)[:7]
    donation, other = lines_of(entries, "donation")[:2]
    edit_cell(entries, a, "amount_vnd", "-5")
    edit_cell(entries, b, "date", "hôm qua")
    edit_cell(entries, c, "date", "31/02/2022")
    edit_cell(entries, d, "category", "an_uong")
    edit_cell(entries, e, "kind", "reversal")
    edit_cell(entries, f, "kind", "transfer")
    edit_cell(entries, f, "counterparty", "")
    edit_cell(entries, g, "voucher_no", "")
    edit_cell(entries, donation, "recipients", "3")
    edit_cell(entries, other, "fund", "quỹ chung")
    rows = read_rows(entries)
    rows[-1].append("thừa")  # a cell beyond the header
    rows.append(list(rows[1]))  # the first voucher again
    write_rows(entries, rows)
    organisations = csv_set[0]
    last = len(read_rows(organisations))  # a leaf: no row depends on it
    edit_cell(organisations, last, "registered_on", "2022-13-01")
    latin = tmp_path / "latin1.csv"
    latin.write_bytes(b"code,name,level,parent_code,registered_on\nX,H\xf4i,branch\n")
    odd = write_rows(tmp_path / "odd.csv", [["ma", "ten"], ["NA", "Nghệ An"]])
    twice = write_rows(tmp_path / "twice.csv", [["code", "code"], ["NA", "NA"]])
    return [*csv_set, latin, odd, twice]


def test_every_error_of_a_bad_set_is_vietnamese_without_english_inside(
    books: Books, csv_set: list[Path], tmp_path: Path
) -> None:
    report = books.import_files(spoil(csv_set, tmp_path))

    assert report.errors == len(books.errors) >= 15
    assert books.head() == 0
    for error in books.errors:
        said = error.text()
        assert said.startswith(f"{error.file}, dòng {error.line}"), said
        assert english_in(said) == [], said
        assert error.text("en") == str(error)
        assert error.message not in said  # English for programs, not people


def test_the_command_line_lists_errors_in_vietnamese_or_on_request_english(
    database_url: str,
    csv_set: list[Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("KHUYENHOC_DATABASE_URL", database_url)
    line = disbursement_lines(csv_set[-1])[0]
    edit_cell(csv_set[-1], line, "amount_vnd", "1,5")

    assert cli.main(["import", *map(str, csv_set)]) == 1
    vietnamese = capsys.readouterr().err
    assert cli.main(["import", "--lang", "en", *map(str, csv_set)]) == 1
    english = capsys.readouterr().err

    assert f"entries.csv, dòng {line}, cột E ('amount_vnd'): Phải viết" in vietnamese
    assert "khuyenhoc: 1 lỗi; chưa nhập gì cả." in vietnamese
    assert f"entries.csv line {line}, column E (amount_vnd): " in english
    assert "khuyenhoc: 1 error; nothing was imported" in english
