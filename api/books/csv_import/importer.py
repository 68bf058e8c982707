"""An import set: every row checked and written in one transaction, or none.

The files are taken in the order their kinds depend on each other
(organisations, membership, campaigns, entries; files of one kind in the
order given), whatever the order on the command line. Each row is read,
checked cell by cell, and sent as its ``Ledger`` command inside one
``Ledger.batch()``: so a row may refer to an organisation or campaign that an
earlier row of the set creates, the ledger's own rules (funds, balances,
campaign dates, vouchers) judge every row, and nothing is committed until the
last row has passed. Any error — every one is reported, with its file, line
and column — rolls the whole set back. A row that the ledger already holds
(same voucher, same content) records nothing, so importing a set again
changes nothing.

One check is the importer's own: a voucher number may appear once per
organisation in a set. Whether a fund goes below zero on any day is the
ledger's rule (issue 15), the same as through every other door: rows need
not be in date order, and a back-dated payment that would overdraw a day is
refused naming that day. Memory stays bounded: rows stream from the files;
what is kept is a hash per voucher number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from api.books.csv_import.commands import column_of, command_of
from api.books.csv_import.formats import ENTRIES, FORMATS
from api.books.csv_import.reader import ImportFile, RowError
from api.books.csv_import.rows import EntryRow, RowInvalid, parse
from ledger import Ledger, errors
from ledger.bulk import Batch
from ledger.wording import says

DEFAULT_RECORDED_BY = "import"


@dataclass(frozen=True, slots=True)
class FileReport:
    name: str
    kind: str | None
    rows: int


@dataclass(frozen=True, slots=True)
class ImportReport:
    files: tuple[FileReport, ...]
    errors: int
    events: int
    """Events written (0 when the set was rolled back or changed nothing)."""

    @property
    def committed(self) -> bool:
        return self.errors == 0


def count_rows(paths: Iterable[Path]) -> int:
    """About how many rows the files hold (lines less headers), for progress."""
    total = 0
    for path in paths:
        with path.open("rb") as file:
            lines = sum(
                chunk.count(b"\n") for chunk in iter(lambda: file.read(1 << 20), b"")
            )
        total += max(0, lines - 1)
    return total


class Importer:
    """Imports one set of files (``run``), reporting each error to ``on_error``
    and each row read to ``progress``."""

    def __init__(
        self,
        ledger: Ledger,
        *,
        recorded_by: str = DEFAULT_RECORDED_BY,
        on_error: Callable[[RowError], None],
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.ledger = ledger
        self.recorded_by = recorded_by
        self.on_error = on_error
        self.progress = progress or (lambda _done: None)
        self.errors = 0
        self.rows_done = 0
        self.seen_vouchers: set[int] = set()
        self.suspects: set[int] = set()
        self.conflicts: set[tuple[str, int]] = set()

    def run(self, paths: Iterable[Path]) -> ImportReport:
        files = [ImportFile(path) for path in paths]
        for file in files:
            if file.header_error is not None:
                self._error(file.header_error)
        readable = sorted(
            (f for f in files if f.format is not None),
            key=lambda f: FORMATS.index(f.format),
        )
        reports = {}
        with self.ledger.batch() as batch:
            for file in readable:
                reports[file.path] = self._import(file, batch)
            self._report_duplicates([f for f in readable if f.format is ENTRIES])
            if self.errors:
                batch.abort()
        return ImportReport(
            files=tuple(
                FileReport(
                    f.name, f.format.kind if f.format else None, reports.get(f.path, 0)
                )
                for f in files
            ),
            errors=self.errors,
            events=0 if self.errors else batch.events_written,
        )

    def _error(self, error: RowError) -> None:
        self.errors += 1
        self.on_error(error)

    def _import(self, file: ImportFile, batch: Batch) -> int:
        fmt = file.format
        assert fmt is not None  # noqa: S101 -- only readable files come here
        rows = 0
        for line, cells in file.rows():
            rows += 1
            self.rows_done += 1
            self.progress(self.rows_done)
            if isinstance(cells, RowError):
                self._error(cells)
                continue
            try:
                row = parse(fmt, cells)
            except RowInvalid as invalid:
                for cell in invalid.cell_errors:
                    said = cell.saying or cell.message
                    self._error(file.error(line, cell.column, said, cell.message))
                continue
            if isinstance(row, EntryRow):
                self._note_voucher(row)
            try:
                batch.execute(command_of(row, self.recorded_by))
            except errors.LedgerError as broken:
                column = column_of(fmt.kind, row, broken)
                said = broken.saying or broken.message
                self._error(file.error(line, column, said, str(broken)))
                if broken.code == "duplicate_voucher":
                    self.conflicts.add((file.name, line))
        return rows

    def _note_voucher(self, row: EntryRow) -> None:
        key = hash((row.org_code, row.voucher_no))
        if key in self.seen_vouchers:
            self.suspects.add(key)  # confirmed or not by _report_duplicates
        self.seen_vouchers.add(key)

    def _report_duplicates(self, files: list[ImportFile]) -> None:
        """Find every line of the voucher numbers seen more than once (a second
        pass, over those numbers only) and report all but the first."""
        if not self.suspects:
            return
        lines: dict[tuple[str, str], list[tuple[ImportFile, int]]] = {}
        for file in files:
            for line, cells in file.rows():
                if isinstance(cells, RowError):
                    continue
                key = (
                    cells.get("org_code", "").strip(),
                    cells.get("voucher_no", "").strip(),
                )
                if hash(key) in self.suspects:
                    lines.setdefault(key, []).append((file, line))
        for (org, number), where in lines.items():
            first_file, first_line = where[0]
            for file, line in where[1:]:
                if (file.name, line) in self.conflicts:
                    continue
                self._error(
                    file.error(
                        line,
                        "voucher_no",
                        says(
                            "csv.listed_twice",
                            number=number,
                            org=org,
                            first=first_file.name,
                            first_line=first_line,
                        ),
                    )
                )
