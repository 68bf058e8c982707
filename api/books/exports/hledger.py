"""``export --format hledger``: the books as an hledger journal, for auditors.

Each organisation's fund is an asset account under its path in today's
hierarchy — ``assets:NA:NA-DC:NA-DC-DH:general`` — with its cash and bank
apart beneath it (``…:general:cash``, ``…:general:bank``, issue 15), so
``hledger bal assets --tree`` shows every account's, fund's and subtree's
balance as the ledger does (stocks roll up along today's hierarchy). Codes
and fund names are letters, digits, ``.``, ``_`` and ``-``: valid
account-name parts as they are. Amounts are whole đồng in the commodity
``VND``, declared with no decimals (``commodity 1000. VND``).

One transaction per entry, dated by its business date, with the voucher
number as its code; transactions are written in date order (then log order),
so ``hledger check ordereddates`` passes, each with its log position in a
comment. The other side of each posting is where the money came
from or went: ``income:donations``, ``expenses:scholarships`` /
``expenses:awards`` / ``expenses:other``, ``equity:opening-balances``. A
transfer (or a merge, fund by fund) is one transaction between the two
organisations' accounts; a reversal mirrors what it undoes. When ``--org``
leaves one side of a transfer or merge out, the other side is
``equity:transfers`` / ``equity:merges``. Income that is not a gift goes
to ``income:interest``, ``income:dues``, ``income:unit_contribution``,
``income:other_income``; other payments to ``expenses:<category>``; a
deposit or withdrawal is one transaction between the fund's cash and bank.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TextIO

from api.books.exports.directory import Directory, Selection, journal_lines
from projections import ReadModels
from projections.movements import BETWEEN_ACCOUNTS, Line, LineKind

COMMODITY = "VND"
COUNTER = {
    LineKind.OPENING_BALANCE: "equity:opening-balances",
    LineKind.DONATION: "income:donations",
    LineKind.TRANSFER_OUT: "equity:transfers",
    LineKind.TRANSFER_IN: "equity:transfers",
    LineKind.MERGE_OUT: "equity:merges",
    LineKind.MERGE_IN: "equity:merges",
}
EXPENSES = {"scholarship": "expenses:scholarships", "award": "expenses:awards"}
"""Other categories go to ``expenses:<category>`` (``expenses:other`` …)."""
PAIRED = frozenset(
    {LineKind.TRANSFER_OUT, LineKind.TRANSFER_IN, LineKind.MERGE_OUT, LineKind.MERGE_IN}
)
"""Kinds whose line has a partner line on the other organisation."""
UNSAFE = str.maketrans({";": ",", "|": "/", "(": "[", ")": "]", "\t": " "})


def write_hledger(
    read_models: ReadModels,
    selection: Selection,
    out: TextIO,
    progress: Callable[[int], None] = lambda _rows: None,
) -> int:
    """Write the journal of ``selection`` to ``out``; returns the transactions."""
    position = read_models.position()
    directory = Directory(read_models)
    wanted = directory.org_ids(selection.org)
    out.write(
        f"; khuyenhoc-ledger export up to log position {position}"
        f"{f', organisation {selection.org} and its subtree' if selection.org else ''}"
        "\n; amounts are whole đồng\n"
        f"commodity 1000. {COMMODITY}\n\n"
    )
    pending: dict[tuple[object, ...], Line] = {}
    dated: list[tuple[date, int, str]] = []
    for line, _ in journal_lines(read_models, selection):
        if wanted is not None and line.org_id not in wanted:
            continue
        key = _pair_key(line)
        partner_in = key is not None and (
            wanted is None or line.counterpart_id in wanted
        )
        if key is not None and key in pending:
            lines = [pending.pop(key), line]
        elif key is not None and partner_in:
            pending[key] = line
            continue
        else:
            lines = [line]
        dated.append(_dated(lines, directory))
        progress(len(dated))
    for line in pending.values():  # a partner that never came: stand-alone
        dated.append(_dated([line], directory))
    dated.sort(key=lambda item: item[:2])
    for *_, text in dated:
        out.write(text)
    return len(dated)


def _dated(lines: list[Line], directory: Directory) -> tuple[date, int, str]:
    """A transaction with what orders it: its date, then its log position."""
    return lines[0].business_date, lines[0].position, _transaction(lines, directory)


def _pair_key(line: Line) -> tuple[object, ...] | None:
    if line.flow_kind not in PAIRED:
        return None
    if line.entry_id is not None:  # a transfer, or its reversal: one entry id
        return ("entry", line.entry_id)
    sides = frozenset({line.org_id, line.counterpart_id})
    return ("merge", line.position - (line.kind is LineKind.MERGE_IN), sides, line.fund)


def _transaction(lines: list[Line], directory: Directory) -> str:
    first = lines[0]
    if first.kind in BETWEEN_ACCOUNTS:
        fund = _account(first, directory).rsplit(":", 1)[0]
        postings = [
            (f"{fund}:{account}", delta)
            for account, delta in sorted(first.account_deltas.items())
        ]
    else:
        postings = [(_account(line, directory), line.delta) for line in lines]
    if len(lines) == 1 and first.kind not in BETWEEN_ACCOUNTS:
        postings.append((_counter_account(first), -first.delta))
    return "".join(
        [
            _header(first, directory),
            f"    ; position: {first.position}, recorded by {first.recorded_by}\n",
            *(f"    {account}  {_amount(amount)}\n" for account, amount in postings),
            "\n",
        ]
    )


def _header(line: Line, directory: Directory) -> str:
    code = f" ({_journal_text(line.voucher_no)})" if line.voucher_no else ""
    what = line.kind.value.replace("_", " ")
    if line.kind is LineKind.REVERSAL:
        what = f"reversal of {line.flow_kind.value.replace('_', ' ')}"
    party = line.counterparty or directory.code(line.counterpart_id)
    description = f"{directory.code(line.org_id)} {what}"
    if party:
        description += f", {party}"
    return f"{_day(line.business_date)}{code} {_journal_text(description)}\n"


def _account(line: Line, directory: Directory) -> str:
    return ":".join(["assets", *directory.path(line.org_id), line.fund, line.account])


def _counter_account(line: Line) -> str:
    kind = line.flow_kind
    if kind is LineKind.DISBURSEMENT:
        category = line.category or "other"
        return EXPENSES.get(category, f"expenses:{category}")
    if kind is LineKind.INCOME:
        return f"income:{line.category or 'other_income'}"
    return COUNTER[kind]


def _amount(amount: int) -> str:
    return f"{amount} {COMMODITY}"


def _day(day: date) -> str:
    return day.isoformat()


def _journal_text(text: str) -> str:
    """Descriptions end at ';' (a comment) and split at '|' (payee | note)."""
    return text.translate(UNSAFE)
