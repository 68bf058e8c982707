"""The hledger export of issue 15: cash and bank apart under each fund,
income kinds as income accounts, a deposit between the two accounts."""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import date
from pathlib import Path

from api.books.csv_import import Importer, RowError
from api.books.exports import Selection, write_csv, write_hledger
from ledger import Ledger
from tests.books.conftest import Books, write_rows
from tests.books.test_exports import parse_journal
from tests.conftest import TODAY

ACCOUNT = "assets:NA:NA-DC:general"


def test_hledger_shows_cash_and_bank_apart_and_income_by_kind(books: Books) -> None:
    ledger = books.ledger
    ledger.register_organisation(
        "NA", name="Tỉnh", level="province", registered_on=date(2010, 1, 1)
    )
    ledger.register_organisation(
        "NA-DC",
        name="Huyện",
        level="district",
        parent_code="NA",
        registered_on=date(2010, 1, 1),
    )
    org = "NA-DC"
    ledger.receive_donation(
        org, voucher_no="PT-1", amount=9_000, business_date=date(2022, 1, 2)
    )
    ledger.deposit(org, voucher_no="NT-1", amount=5_000, business_date=date(2022, 1, 3))
    ledger.receive_income(
        org,
        voucher_no="PT-2",
        amount=70,
        business_date=date(2022, 1, 31),
        income_kind="interest",
        account="bank",
    )
    ledger.receive_income(
        org, voucher_no="PT-3", amount=300, business_date=date(2022, 2, 1),
        income_kind="dues",
    )  # fmt: skip
    ledger.disburse(
        org,
        voucher_no="PC-1",
        amount=1_000,
        business_date=date(2022, 2, 2),
        category="printing",
        recipients=0,
        account="bank",
    )
    ledger.withdraw(org, voucher_no="RT-1", amount=70, business_date=date(2022, 2, 3))
    books.read_models.catch_up()
    out = io.StringIO()

    write_hledger(books.read_models, Selection(), out)

    transactions = parse_journal(out.getvalue())
    assert all(sum(amount for _, amount in t) == 0 for t in transactions)
    sums: defaultdict[str, int] = defaultdict(int)
    for account, amount in (p for t in transactions for p in t):
        parts = account.split(":")
        for depth in range(1, len(parts) + 1):
            sums[":".join(parts[:depth])] += amount
    held = ledger.organisation(org).accounts["general"]
    assert held == {"cash": 4_370, "bank": 4_000}
    assert sums[f"{ACCOUNT}:cash"] == held["cash"]
    assert sums[f"{ACCOUNT}:bank"] == held["bank"]
    assert sums[ACCOUNT] == ledger.balance(org) == 8_370
    assert sums["income:interest"] == -70
    assert sums["income:dues"] == -300
    assert sums["income:donations"] == -9_000
    assert sums["expenses:printing"] == 1_000


def test_the_csv_export_of_accounts_and_income_imports_back_the_same(
    books: Books, tmp_path: Path
) -> None:
    ledger = books.ledger
    ledger.register_organisation(
        "NA", name="Tỉnh", level="province", registered_on=date(2010, 1, 1)
    )
    ledger.receive_donation(
        "NA",
        voucher_no="PT-1",
        amount=9_000,
        business_date=date(2022, 1, 2),
        account="bank",
    )
    ledger.withdraw(
        "NA", voucher_no="RT-1", amount=5_000, business_date=date(2022, 1, 3)
    )
    ledger.receive_income(
        "NA",
        voucher_no="PT-2",
        amount=70,
        business_date=date(2022, 1, 31),
        income_kind="unit_contribution",
        payer="Hội Khuyến học huyện",
    )
    ledger.disburse(
        "NA", voucher_no="PC-1", amount=1_000, business_date=date(2022, 2, 2),
        category="operating", recipients=0,
    )  # fmt: skip
    books.read_models.catch_up()
    entries = tmp_path / "entries.csv"
    with entries.open("w", encoding="utf-8", newline="") as out:
        write_csv(books.read_models, Selection(), out)
    organisations = write_rows(
        tmp_path / "organisations.csv",
        [
            ["code", "name", "level", "parent_code", "registered_on"],
            ["NA", "Tỉnh", "province", "", "2010-01-01"],
        ],
    )
    copy = Ledger(f"sqlite:///{tmp_path / 'copy.sqlite3'}", today=lambda: TODAY)
    errors: list[RowError] = []

    report = Importer(copy, on_error=errors.append).run([organisations, entries])

    assert report.committed, errors
    assert copy.organisation("NA").accounts == ledger.organisation("NA").accounts
    assert copy.organisation("NA").balances == ledger.organisation("NA").balances
    copy.close()
