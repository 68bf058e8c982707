"""``export --format csv``: one row per entry, for spreadsheets and for re-import.

The file starts with a UTF-8 byte-order mark, so Excel and LibreOffice read
its Vietnamese as UTF-8, and ends lines with CRLF. Its first columns are
exactly the import format's entries columns (design §5), then the columns
that make an export import back as the very same entries (``to_fund`` and a
donation's details), then audit columns (log position, entry id, when and by
whom recorded, the reversal if any). Dates are ISO, amounts whole đồng.

One row per entry, in log order: opening balances, donations,
disbursements, transfers (once, as the sender's: ``counterparty`` is the
receiver), reversals (``voucher_no`` is the reversed entry's, ``note`` the
reason) and merges (``kind`` merge, one row per fund, ``counterparty`` the
organisation merged into). Reversal and merge rows are the record; the
importer refuses them. With ``--org``, an entry is in when either of its
organisations is in the subtree.

A text cell that a spreadsheet would take for a formula (it starts with
``=``, ``+``, ``-``, ``@``, a tab or a CR) is written with a leading
apostrophe, which the importer takes off again; so is a text that starts with
an apostrophe, so that it too comes back as it was. Numbers (amounts,
recipients, positions) are never escaped: they are written as digits and stay
numbers in a spreadsheet.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from typing import TextIO
from uuid import UUID

from api.books.csv_import.formats import AUDIT_COLUMNS, DONATION_DETAILS, ENTRY_COLUMNS
from api.books.csv_import.values import ESCAPED_STARTS
from api.books.exports.directory import Directory, Selection, journal_lines
from projections import ReadModels
from projections.movements import BETWEEN_ACCOUNTS, Line, LineKind

COLUMNS = (*ENTRY_COLUMNS, "to_fund", *DONATION_DETAILS, "account", *AUDIT_COLUMNS)
"""``account`` (issue 15): cash or bank; empty for a deposit or withdrawal,
whose kind says where the money went."""
BOM = "\ufeff"
SKIPPED = frozenset({LineKind.TRANSFER_IN, LineKind.MERGE_IN})
"""The receiving sides: their entry's row is the sender's."""


def write_csv(
    read_models: ReadModels,
    selection: Selection,
    out: TextIO,
    progress: Callable[[int], None] = lambda _rows: None,
) -> int:
    """Write the entries of ``selection`` to ``out``; returns the rows written."""
    directory = Directory(read_models)
    wanted = directory.org_ids(selection.org)
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    written = 0
    for line, to_fund, reversed_by in _entries(read_models, selection):
        if wanted is not None and not (
            line.org_id in wanted or line.counterpart_id in wanted
        ):
            continue
        writer.writerow(_row(line, to_fund, reversed_by, directory))
        written += 1
        progress(written)
    return written


def _entries(
    read_models: ReadModels, selection: Selection
) -> Iterator[tuple[Line, str | None, UUID | None]]:
    """Lines that stand for an entry, with a transfer's receiving fund (read
    from its receiving line, which the same save wrote right after it)."""
    held: tuple[Line, UUID | None] | None = None
    for line, reversed_by in journal_lines(read_models, selection):
        if held is not None:
            sent, sent_reversed_by = held
            held = None
            same = line.entry_id == sent.entry_id
            yield sent, line.fund if same else None, sent_reversed_by
        if line.kind is LineKind.TRANSFER_OUT:
            held = (line, reversed_by)
        elif line.kind not in SKIPPED and not _receiving_reversal(line):
            yield line, None, reversed_by
    if held is not None:
        yield held[0], None, held[1]


def _receiving_reversal(line: Line) -> bool:
    return line.kind is LineKind.REVERSAL and line.reversed_kind in SKIPPED


def _row(
    line: Line, to_fund: str | None, reversed_by: UUID | None, directory: Directory
) -> list[str]:
    kind = line.flow_kind
    in_kind = line.details.get("method") == "in_kind"
    counterparty = line.counterparty
    if kind in (LineKind.TRANSFER_OUT, LineKind.MERGE_OUT):
        counterparty = directory.code(line.counterpart_id)
    category = line.category
    if kind is LineKind.DONATION:
        category = line.details.get("method")
    note = line.details.get("in_kind_description") if in_kind else line.note
    if line.kind is LineKind.REVERSAL:
        note = line.reason
    recipients = line.recipients if kind is LineKind.DISBURSEMENT else None
    values: dict[str, object] = {
        "org_code": directory.code(line.org_id),
        "voucher_no": line.voucher_no,
        "kind": _KINDS[line.kind] if line.kind is LineKind.REVERSAL else _KINDS[kind],
        "date": line.business_date.isoformat(),
        "amount_vnd": line.amount,
        "fund": line.fund,
        "campaign_code": directory.campaign(line.campaign_id),
        "counterparty": counterparty,
        "category": category,
        "recipients": recipients,
        "note": note,
        "to_fund": to_fund,
        **{name: line.details.get(name) for name in DONATION_DETAILS},
        "account": None if line.kind in BETWEEN_ACCOUNTS else line.account,
        "position": line.position,
        "entry_id": line.entry_id,
        "recorded_at": line.recorded_at.isoformat(timespec="seconds") + "Z",
        "recorded_by": line.recorded_by,
        "reversed_by": reversed_by,
    }
    return [_cell(values[name]) for name in COLUMNS]


_KINDS = {
    LineKind.OPENING_BALANCE: "opening_balance",
    LineKind.DONATION: "donation",
    LineKind.DISBURSEMENT: "disbursement",
    LineKind.TRANSFER_OUT: "transfer",
    LineKind.MERGE_OUT: "merge",
    LineKind.REVERSAL: "reversal",
    LineKind.INCOME: "income",
    LineKind.DEPOSIT: "deposit",
    LineKind.WITHDRAWAL: "withdrawal",
}


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith(ESCAPED_STARTS) else value
    return str(value)
