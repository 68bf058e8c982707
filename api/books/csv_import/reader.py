"""Reading an import file: its kind from its header, then its rows one at a time.

UTF-8 with or without a byte-order mark. Rows stream from the file (nothing
is held but the current row). Each row comes with the number of the line it
starts on, and each column has its spreadsheet letter, so that an error can
say where to look: ``entries.csv line 12, column E (amount_vnd): …``. Blank
rows, and rows whose cells are all empty (spreadsheets write them), are
skipped; a row may leave out empty cells at its end.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from api.books.csv_import.formats import FORMATS, Format, detect
from ledger.wording import Language, Saying, says


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem in one row (``column`` None: the row as a whole)."""

    file: str
    line: int
    column: str | None
    letter: str | None
    message: str
    """In English, for programs and logs; ``text`` says it to a person."""
    saying: Saying | None = None

    def __str__(self) -> str:
        where = f"{self.file} line {self.line}"
        if self.column is not None:
            letter = f"{self.letter} " if self.letter else ""
            where += f", column {letter}({self.column})"
        return f"{where}: {self.message}"

    def text(self, lang: Language = "vi") -> str:
        """Where and what, in ``lang``: ``entries.csv, dòng 12, cột E
        ('amount_vnd'): …`` (the column's name is a code, quoted)."""
        if lang == "en":
            return str(self)
        said = self.message if self.saying is None else self.saying.text(lang)
        where = f"{self.file}, dòng {self.line}"
        if self.column is not None:
            letter = f"{self.letter} " if self.letter else ""
            where += f", cột {letter}('{self.column}')"
        return f"{where}: {said}"


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the spreadsheet's name of a column."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


class ImportFile:
    """One file of an import set; ``format`` is None when its header is unknown."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = path.name
        self.format: Format | None = None
        self.header: list[str] = []
        self.header_error: RowError | None = None
        self.delimiter = ","
        for delimiter in DELIMITERS:
            try:
                first = self._header(delimiter)
            except (UnicodeDecodeError, csv.Error) as error:
                line = _first_undecodable_line(self.path) or 1
                self.header_error = self.error(line, None, _unreadable(error))
                return
            if detect([name.strip().lower() for name in first]) is not None:
                self.delimiter = delimiter
                break
        first = self._header(self.delimiter)
        self.header = [name.strip().lower() for name in first]
        duplicates = sorted({n for n in self.header if self.header.count(n) > 1})
        self.format = None if duplicates else detect(self.header)
        if self.format is None:
            self.header_error = self.error(1, None, _unknown_header(duplicates))

    def _header(self, delimiter: str) -> list[str]:
        with self._open() as file:
            rows = csv.reader(file, delimiter=delimiter)
            return next((row for row in rows if any(row)), [])

    def letter(self, column: str) -> str | None:
        return (
            column_letter(self.header.index(column)) if column in self.header else None
        )

    def error(
        self,
        line: int,
        column: str | None,
        said: Saying | str,
        message: str | None = None,
    ) -> RowError:
        """``said`` to a person; ``message`` for programs (by default the
        English of ``said``)."""
        if message is None:
            message = said.text("en") if isinstance(said, Saying) else said
        saying = said if isinstance(said, Saying) else None
        letter = self.letter(column or "")
        return RowError(self.name, line, column, letter, message, saying)

    def rows(self) -> Iterator[tuple[int, dict[str, str] | RowError]]:
        """(line, cells by column) for each row after the header, or a RowError
        for a row that cannot be read; an unreadable file ends the rows."""
        width = len(self.header)
        with self._open() as file:
            reader = csv.reader(file, delimiter=self.delimiter)
            header_seen = False
            while True:
                line = reader.line_num + 1
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except UnicodeDecodeError as error:
                    line = _first_undecodable_line(self.path) or line
                    yield line, self.error(line, None, _unreadable(error))
                    return
                except csv.Error as error:
                    yield line, self.error(line, None, _unreadable(error))
                    return
                if not any(cell.strip() for cell in cells):
                    continue
                if not header_seen:
                    header_seen = True
                    continue
                if len(cells) > width and any(c.strip() for c in cells[width:]):
                    said = says("csv.too_many_cells", cells=len(cells), width=width)
                    yield line, self.error(line, None, said)
                    continue
                yield line, dict(zip(self.header, cells, strict=False))

    def _open(self) -> TextIO:
        return self.path.open(encoding="utf-8-sig", newline="")


DELIMITERS = (",", ";")
"""Comma first; then the semicolon, which Excel writes with Vietnamese
regional settings (where the comma is the decimal mark)."""


def _first_undecodable_line(path: Path) -> int | None:
    """The number of the first line that is not UTF-8 (text decodes ahead of
    the CSV reader, so its error comes too early to say where)."""
    with path.open("rb") as file:
        for number, raw in enumerate(file, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                return number
    return None


def _unreadable(error: Exception) -> Saying:
    if isinstance(error, UnicodeDecodeError):
        return says("csv.not_utf8")
    return says("csv.malformed", problem=str(error))


def _unknown_header(duplicates: list[str]) -> Saying:
    if duplicates:
        return says(
            "csv.duplicate_columns",
            names=", ".join(duplicates),
            quoted=", ".join(repr(name) for name in duplicates),
        )
    kinds = "; ".join(f"{f.kind}: {','.join(f.columns)}" for f in FORMATS)
    quoted = "; ".join(f"'{f.kind}': '{','.join(f.columns)}'" for f in FORMATS)
    return says("csv.unknown_header", kinds=kinds, quoted=quoted)
