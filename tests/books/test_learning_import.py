"""Learning-model reports from CSV (``org_code,year,model,eligible,registered,
recognised``): imported with the organisations they name, and a bad row is
reported at its cell, with the command's Vietnamese message, and rolls the
set back."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from api.books.exports import Selection, write_learning_csv
from ledger import Ledger
from ledger.types import LearningModel
from projections import Queries, ReadModels
from tests.books.conftest import Books, write_rows
from tests.conftest import TODAY

ORGANISATIONS = [
    ["code", "name", "level", "parent_code", "registered_on"],
    ["BT", "Hội Khuyến học tỉnh Bình Thuận", "province", "", "2000-01-01"],
    ["BT-PT", "Hội Khuyến học thành phố Phan Thiết", "district", "BT", "2000-01-01"],
    ["BT-PT-01", "Hội Khuyến học phường 1", "commune", "BT-PT", "2005-01-01"],
    ["BT-PT-02", "Hội Khuyến học phường 2", "commune", "BT-PT", "2005-01-01"],
]
HEADER = ["org_code", "year", "model", "eligible", "registered", "recognised"]
REPORTS = [
    HEADER,
    ["BT-PT-01", "2019", "family", "6000", "4700", "4000"],
    ["BT-PT-02", "2019", "family", "4000", "3100", "2500"],
    ["BT-PT-01", "2019", "clan", "12", "11", "9"],
    ["BT", "2019", "community", "706", "690", "666"],
]


def files(tmp_path: Path, reports: list[list[str]]) -> list[Path]:
    # The learning models come first on the command line: the importer still
    # registers the organisations before it.
    return [
        write_rows(tmp_path / "learning_models.csv", reports),
        write_rows(tmp_path / "organisations.csv", ORGANISATIONS),
    ]


def test_a_set_with_learning_models_imports_and_rolls_up(
    books: Books, tmp_path: Path
) -> None:
    report = books.import_files(files(tmp_path, REPORTS))

    assert report.committed, [str(e) for e in books.errors]
    assert [f.kind for f in report.files] == ["learning_models", "organisations"]
    found = {
        f.model: f
        for f in books.queries.learning_models("BT", 2019, subtree=True).models
    }
    family = found[LearningModel.FAMILY]
    assert (family.eligible, family.registered, family.recognised) == (
        10_000,
        7_800,
        6_500,
    )
    assert found[LearningModel.COMMUNITY].recognised == 666
    assert found[LearningModel.CLAN].eligible == 12

    # The same set again changes nothing.
    head = books.head()
    assert books.import_files(files(tmp_path, REPORTS)).committed
    assert books.head() == head


@pytest.mark.parametrize(
    ("cells", "column", "says"),
    [
        (["BT-PT-01", "2019", "family", "6000", "4700", "4701"], "recognised",
         "invalid_input"),
        (["BT-PT-01", "2019", "family", "6000", "6001", "0"], "registered",
         "invalid_input"),
        (["BT-PT-01", "2019", "school", "6000", "4700", "4000"], "model",
         "'school'"),
        (["BT-PT-01", "2019", "family", "-1", "0", "0"], "eligible", "eligible"),
        (["BT-PT-01", "2999", "family", "6000", "4700", "4000"], "year", "2999"),
        (["BT-XX", "2019", "family", "6000", "4700", "4000"], "org_code",
         "unknown_organisation"),
    ],
    ids=["recognised", "registered", "model", "negative", "future", "organisation"],
)  # fmt: skip
def test_a_bad_report_is_reported_at_its_cell_and_nothing_is_written(
    books: Books, tmp_path: Path, cells: list[str], column: str, says: str
) -> None:
    report = books.import_files(files(tmp_path, [*REPORTS, cells]))

    assert not report.committed
    assert books.head() == 0
    (error,) = books.errors
    assert (error.file, error.line, error.column) == (
        "learning_models.csv",
        len(REPORTS) + 1,
        column,
    )
    assert says in error.message


def test_the_export_imports_back_as_the_same_reports(
    books: Books, tmp_path: Path
) -> None:
    assert books.import_files(files(tmp_path, REPORTS)).committed
    books.ledger.report_learning_model(  # a correction: only the latest is written
        "BT-PT-01", year=2019, model="clan", eligible=12, registered=12, recognised=10
    )
    books.read_models.catch_up()
    out = io.StringIO()

    written = write_learning_csv(books.read_models, Selection("BT-PT"), out)

    assert written == 3
    text = out.getvalue()
    assert text.startswith("\ufefforg_code,year,model,eligible,registered,recognised")
    assert "BT-PT-01,2019,clan,12,12,10\r\n" in text
    assert "BT,2019,community" not in text  # outside the selection
    assert write_learning_csv(books.read_models, Selection(), io.StringIO()) == 4
    years = Selection(None, date(2020, 1, 1), date(2021, 12, 31))
    assert write_learning_csv(books.read_models, years, io.StringIO()) == 0

    # Into a second, empty ledger: the same territory figures come back.
    other = Ledger(f"sqlite:///{tmp_path / 'other.sqlite3'}", today=lambda: TODAY)
    try:
        read_models = ReadModels(other)
        again = Books(other, read_models, Queries(read_models))
        exported = write_rows(tmp_path / "exported.csv", [])
        exported.write_text(text, encoding="utf-8")
        report = again.import_files(
            [write_rows(tmp_path / "orgs.csv", ORGANISATIONS), exported]
        )
        assert report.committed, [str(e) for e in again.errors]
        found = again.queries.learning_models("BT-PT", 2019, subtree=True)
        assert [(f.eligible, f.registered, f.recognised) for f in found.models][:2] == [
            (10_000, 7_800, 6_500),
            (12, 12, 10),
        ]
    finally:
        other.close()
