"""An import places a refused row's error in the cell of the command field
the ledger named, never by the message's words: with every message reworded,
each bad row of ``test_import.BAD_ROWS`` is reported in the same cell, and so
are the rules whose field is a column by another name."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.books.conftest import Books, edit_cell, read_rows, write_rows
from tests.books.test_import import BAD_ROWS, Bad, find_line
from tests.rewording import REWORDED, reworded


@pytest.mark.parametrize("bad", BAD_ROWS, ids=lambda bad: bad.name)
def test_a_reworded_error_is_reported_in_the_same_cell(
    books: Books, csv_set: list[Path], bad: Bad, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {path.stem: path for path in csv_set}
    path = files[bad.file]
    line = bad.line if isinstance(bad.line, int) else find_line(path, bad.line)
    edit_cell(path, line, bad.column, bad.value)
    reworded(monkeypatch)

    books.import_files([files[name] for name in bad.only] if bad.only else csv_set)

    error = books.errors[0]
    assert (error.file, error.line, error.column) == (
        path.name,
        line,
        bad.reported_column,
    )


HEADER = [
    "org_code", "voucher_no", "kind", "date", "amount_vnd", "fund",
    "campaign_code", "counterparty", "category", "recipients", "note",
    "to_fund", "donor_kind", "valuation_basis", "original_currency",
    "original_amount", "exchange_rate",
]  # fmt: skip
FUNDED = {
    "org_code": "NA",
    "voucher_no": "PT-0",
    "kind": "donation",
    "date": "2022-01-01",
    "amount_vnd": "5000000",
    "counterparty": "Ông A",
    "category": "cash",
}
GIFT = FUNDED | {"voucher_no": "PT-1", "date": "2022-02-01", "amount_vnd": "100"}
PAID = GIFT | {"voucher_no": "PC-1", "kind": "disbursement", "counterparty": ""}
SENT = PAID | {"voucher_no": "CK-1", "kind": "transfer", "category": ""}
CASES: dict[str, tuple[dict[str, str], str]] = {
    "in-kind gift without a description (its note)": (
        GIFT | {"category": "in_kind"},
        "note",
    ),
    "anonymous gift naming a donor": (
        GIFT | {"donor_kind": "anonymous"},
        "counterparty",
    ),
    "scholarship paying nobody": (
        PAID | {"category": "award", "recipients": "0"},
        "recipients",
    ),
    "transfer to an unknown fund": (
        SENT | {"counterparty": "NA-D01", "to_fund": "nosuch"},
        "to_fund",
    ),
    "foreign currency without its rate": (
        GIFT | {"original_currency": "USD"},
        "original_amount",
    ),
    "opening balance with a campaign": (
        GIFT
        | {
            "kind": "opening_balance",
            "counterparty": "",
            "category": "",
            "campaign_code": "NA-TET-2022",
        },
        "campaign_code",
    ),
}


@pytest.mark.parametrize("words", ["as written", "reworded"])
@pytest.mark.parametrize("case", list(CASES))
def test_a_rule_is_reported_in_the_column_its_field_came_from(
    books: Books,
    csv_set: list[Path],
    monkeypatch: pytest.MonkeyPatch,
    case: str,
    words: str,
) -> None:
    files = {path.stem: path for path in csv_set}
    books.import_files([files["organisations"], files["campaigns"]])
    row, column = CASES[case]
    entries = write_rows(
        csv_set[0].parent / "more.csv",
        [HEADER, *([r.get(name, "") for name in HEADER] for r in (FUNDED, row))],
    )
    if words == "reworded":
        reworded(monkeypatch)

    books.import_files([entries])

    (error,) = books.errors
    assert (error.line, error.column) == (3, column)
    assert (REWORDED in error.message) == (words == "reworded")
    assert read_rows(entries)[0].index(column) >= 0
