"""The import door of issue 15: an ``account`` column (empty is cash), income,
deposits and withdrawals, and the ledger's one rule for balances — no fund's
account below zero on any date — whatever the order of the rows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from api.books.csv_import.formats import ENTRY_COLUMNS
from tests.books.conftest import Books, write_rows

ORGS = [
    ["code", "name", "level", "parent_code", "registered_on"],
    ["NA", "Hội Khuyến học tỉnh Nghệ An", "province", "", "2010-01-01"],
    ["NA-DC", "Hội Khuyến học huyện Diễn Châu", "district", "NA", "2010-01-01"],
]


def entries(
    tmp_path: Path, rows: list[dict[str, str]], extra: tuple[str, ...] = ()
) -> Path:
    header = [*ENTRY_COLUMNS, *extra]
    return write_rows(
        tmp_path / "entries.csv",
        [header, *([row.get(name, "") for name in header] for row in rows)],
    )


def orgs(tmp_path: Path) -> Path:
    return write_rows(tmp_path / "organisations.csv", ORGS)


def row(no: str, kind: str, day: str, amount: int, **more: str) -> dict[str, str]:
    return {
        "org_code": "NA-DC",
        "voucher_no": no,
        "kind": kind,
        "date": day,
        "amount_vnd": str(amount),
        **more,
    }


def test_an_old_file_without_account_columns_imports_as_cash(
    books: Books, tmp_path: Path
) -> None:
    path = entries(
        tmp_path, [row("PT-1", "donation", "2022-01-20", 5_000, category="bank")]
    )
    assert books.import_files([orgs(tmp_path), path]).committed
    assert books.ledger.organisation("NA-DC").accounts["general"] == {"cash": 5_000}


def test_accounts_income_deposits_and_withdrawals_import(
    books: Books, tmp_path: Path
) -> None:
    path = entries(
        tmp_path,
        [
            row("PT-1", "donation", "2022-01-20", 5_000, category="cash"),
            row("NT-1", "deposit", "2022-01-21", 4_000),
            row("PT-2", "income", "2022-01-31", 40, category="interest",
                counterparty="Agribank", account="bank"),
            row("RT-1", "withdrawal", "2022-02-01", 1_000),
            row("PC-1", "disbursement", "2022-02-02", 3_040, category="ceremony",
                recipients="0", account="bank"),
        ],
        extra=("account",),
    )  # fmt: skip
    report = books.import_files([orgs(tmp_path), path])
    assert report.committed, books.errors
    assert books.ledger.organisation("NA-DC").accounts["general"] == {
        "cash": 2_000,
        "bank": 0,
    }
    assert books.queries.account_balances("NA-DC") == {
        "general": {"cash": 2_000, "bank": 0}
    }
    assert books.queries.account_balances("NA-DC", as_of=date(2022, 1, 31)) == {
        "general": {"cash": 1_000, "bank": 4_040}
    }


def test_a_back_dated_payment_gets_the_ledgers_error_naming_the_day(
    books: Books, tmp_path: Path
) -> None:
    """The issue's example through the CSV door: the same error as HTTP's."""
    path = entries(
        tmp_path,
        [
            row("PT-1", "donation", "2022-01-20", 20_000_000, category="cash"),
            row("PC-1", "disbursement", "2022-01-10", 10_000_000,
                category="scholarship"),
        ],
    )  # fmt: skip
    report = books.import_files([orgs(tmp_path), path])
    assert not report.committed
    (error,) = books.errors
    assert (error.line, error.column) == (3, "amount_vnd")
    assert "insufficient_funds" in error.message
    assert "2022-01-10" in error.message


def test_a_bad_account_is_reported_in_its_column(books: Books, tmp_path: Path) -> None:
    path = entries(
        tmp_path,
        [
            row(
                "PT-1", "donation", "2022-01-20", 5_000, category="cash", account="két"
            ),
            row("NT-1", "deposit", "2022-01-21", 4_000, account="bank"),
            row("PT-2", "income", "2022-01-31", 40, category="gift"),
        ],
        extra=("account",),
    )
    report = books.import_files([orgs(tmp_path), path])
    assert not report.committed
    assert [(e.line, e.column) for e in books.errors] == [
        (2, "account"),
        (3, "account"),
        (4, "category"),
    ]
