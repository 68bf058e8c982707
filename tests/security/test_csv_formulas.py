"""CSV exports never hand a spreadsheet a formula: a text cell starting with
``=``, ``+``, ``-``, ``@`` (or a tab or CR) is written behind an apostrophe,
and so is one starting with an apostrophe; numbers stay numbers; and the
importer takes the apostrophe off, so an export imports back as the very
same entries."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.internal.charmap import CategoryName

from api.books.csv_import.values import optional, voucher
from api.books.exports import Selection, write_csv
from api.books.exports.csv_export import _cell
from tests.books.conftest import Books

DONORS = {
    "PT-EQ": '=HYPERLINK("http://example.invalid","bấm")',
    "PT-PLUS": "+84 912 345 678",
    "PT-MINUS": "-Nguyễn Văn A",
    "PT-AT": "@SUM(A1:A9)",
    "PT-APOS": "'=1+1",
    "PT-PLAIN": "Bà Lê Thị Hoa",
}


def record(books: Books) -> None:
    ledger = books.ledger
    ledger.register_organisation(
        "NA", name="Hội Khuyến học tỉnh Nghệ An", level="province",
        registered_on=date(2010, 1, 1),
    )  # fmt: skip
    for n, (number, donor) in enumerate(DONORS.items(), start=1):
        ledger.receive_donation(
            "NA",
            voucher_no=number,
            amount=1_000_000 * n,
            business_date=date(2022, 3, n),
            donor=donor,
            donor_kind="individual",
            note=donor,
        )
    ledger.receive_donation(
        "NA",
        voucher_no="-PT-7",
        amount=7_000_000,
        business_date=date(2022, 3, 7),
        donor="Ông B",
    )
    ledger.disburse(
        "NA",
        voucher_no="=PC-1",
        amount=2_000_000,
        business_date=date(2022, 9, 5),
        category="scholarship",
        recipients=4,
    )
    books.read_models.catch_up()


def exported(books: Books) -> str:
    out = io.StringIO(newline="")
    write_csv(books.read_models, Selection(), out)
    return out.getvalue()


def test_text_cells_that_look_like_formulas_are_escaped_numbers_are_not(
    books: Books,
) -> None:
    record(books)

    rows = list(csv.DictReader(io.StringIO(exported(books).removeprefix("\ufeff"))))

    by_voucher = {row["voucher_no"]: row for row in rows}
    for number, donor in DONORS.items():
        escaped = donor if number == "PT-PLAIN" else "'" + donor
        assert by_voucher[number]["counterparty"] == escaped
        assert by_voucher[number]["note"] == escaped
    assert "'-PT-7" in by_voucher
    assert "'=PC-1" in by_voucher
    for row in rows:
        for name, cell in row.items():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (name, cell)
        assert row["amount_vnd"].isdigit()
        assert row["position"].isdigit()
    assert by_voucher["'=PC-1"]["recipients"] == "4"


def test_an_escaped_export_imports_back_as_the_same_entries(
    books: Books, tmp_path: Path
) -> None:
    record(books)
    path = tmp_path / "export.csv"
    path.write_text(exported(books), encoding="utf-8", newline="")
    head = books.head()

    report = books.import_files([path])

    # A cell read back differently would be another content for the same
    # voucher: duplicate_voucher. None, and nothing new: the very same entries.
    assert books.errors == []
    assert (report.committed, report.events, books.head()) == (True, 0, head)


NOT_PRINTABLE: tuple[CategoryName, ...] = ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")
"""Unicode categories ``str.isprintable`` refuses (and so does the ledger)."""


@given(
    st.text(
        st.characters(codec="utf-8", exclude_categories=NOT_PRINTABLE),
        min_size=1,
        max_size=40,
    )
)
def test_every_text_comes_back_as_it_left(value: str) -> None:
    text = value.strip()
    assume(text and text.isprintable())  # the ledger stores no other text
    assert optional(_cell(text), "note") == text
    if len(text) <= 80:
        assert voucher(_cell(text)) == text
