"""Fixtures of the books' tests: a small Nghệ An-shaped CSV set (the seed's
generator at a tiny scale) and the ledger with its read models, on SQLite and
PostgreSQL (``database_url``)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from api.books.csv_import import Importer, ImportReport, RowError
from bench.seed import NgheAn2022
from ledger import Ledger
from projections import Queries, ReadModels
from tests.conftest import LedgerFactory

SCALE = 0.003
"""About 50 organisations and 250 entries; the province's totals stay the article's."""


@pytest.fixture(scope="session")
def seed() -> NgheAn2022:
    return NgheAn2022(scale=SCALE)


@pytest.fixture
def csv_set(tmp_path: Path, seed: NgheAn2022) -> list[Path]:
    """organisations.csv, membership.csv, campaigns.csv, entries.csv."""
    return seed.write_csv(tmp_path / "csv")


@dataclass
class Books:
    """A ledger, its read models, and an importer's reported errors."""

    ledger: Ledger
    read_models: ReadModels
    queries: Queries
    errors: list[RowError] = field(default_factory=list)

    def import_files(self, paths: Iterable[Path]) -> ImportReport:
        self.errors = []
        report = Importer(self.ledger, on_error=self.errors.append).run(paths)
        self.read_models.catch_up()
        return report

    def head(self) -> int:
        return self.read_models.head()


@pytest.fixture
def books(open_ledger: LedgerFactory) -> Books:
    ledger = open_ledger()
    read_models = ReadModels(ledger)
    return Books(ledger, read_models, Queries(read_models))


def read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file))


def write_rows(path: Path, rows: Iterable[Iterable[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows(rows)
    return path


def edit_cell(path: Path, line: int, column: str, value: str) -> Path:
    """Change one cell of a CSV file (``line`` 1 is the header)."""
    rows = read_rows(path)
    rows[line - 1][rows[0].index(column)] = value
    return write_rows(path, rows)
