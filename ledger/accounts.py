"""Cash and bank: each fund's money per account, day by day.

An organisation keeps, per fund and account (``Account``: cash or bank), the
balance now (``held``) and the net change of every business day (``days``):
a payment, withdrawal or transfer out is refused if it would make the
balance of its fund and account negative on its own date **or on any later
date** — so a back-dated payment cannot overdraw a day that has passed, and
every door (HTTP, import, desk, Python) gets the same answer, naming that
date.

The state grows with the number of distinct business days that carry
entries, not with the number of entries; closing a year (issue 15, item 6)
folds its days into one opening figure. Balances are end-of-day: entries of
one day are not ordered among themselves.

Everything here works on the plain dicts the aggregate snapshots as JSON.
"""

from __future__ import annotations

from datetime import date

from ledger import errors
from ledger.types import Account

Held = dict[str, dict[str, int]]
"""fund → account value → balance now."""
Days = dict[str, dict[str, int]]
"""``book_key(fund, account)`` → ISO business date → net change that day."""


def book_key(fund: str, account: Account | str) -> str:
    value = account.value if isinstance(account, Account) else account
    return f"{fund}|{value}"


def book(
    held: Held, days: Days, fund: str, account: Account, on: date, delta: int
) -> None:
    """Add ``delta`` to ``fund``'s ``account`` on business date ``on``."""
    if not delta:
        return
    accounts = held.setdefault(fund, {})
    accounts[account.value] = accounts.get(account.value, 0) + delta
    day = days.setdefault(book_key(fund, account), {})
    iso = on.isoformat()
    total = day.get(iso, 0) + delta
    if total:
        day[iso] = total
    else:
        day.pop(iso, None)


def first_short_day(
    days: Days, fund: str, account: Account, on: date, amount: int
) -> tuple[date, int] | None:
    """The first date on or after ``on`` on which ``fund``'s ``account`` would
    hold less than ``amount`` (with its balance that day), or None.

    The balance on a date is the sum of every change dated on or before it.
    """
    changes = days.get(book_key(fund, account), {})
    start = on.isoformat()
    running = 0
    later: list[str] = []
    for iso, delta in changes.items():
        if iso <= start:
            running += delta
        else:
            later.append(iso)
    if running < amount:
        return on, running
    for iso in sorted(later):
        running += changes[iso]
        if running < amount:
            return date.fromisoformat(iso), running
    return None


def check_available(
    days: Days,
    *,
    org: str,
    fund: str,
    account: Account,
    on: date,
    amount: int,
    field: str = "amount",
    fund_name: str | None = None,
) -> None:
    """Raise ``insufficient_funds`` naming the first date the balance of
    ``fund``'s ``account`` would fall below zero if ``amount`` left it on ``on``."""
    short = first_short_day(days, fund, account, on, amount)
    if short is not None:
        day, balance = short
        raise errors.InsufficientFunds(
            org=org,
            fund=fund,
            fund_name=fund_name,
            balance=balance,
            amount=amount,
            field=field,
            account=account.value,
            on=day,
        )


def fold_before(days: Days, until: date) -> None:
    """Fold every day on or before ``until`` into one change dated ``until``
    (a closed period keeps only its closing balance)."""
    limit = until.isoformat()
    for changes in days.values():
        old = [iso for iso in changes if iso <= limit]
        if not old:
            continue
        total = sum(changes.pop(iso) for iso in old)
        if total:
            changes[limit] = total


def all_cash(balances: object) -> dict[str, dict[str, int]]:
    """Per-account amounts of events recorded before accounts existed: every
    entry was cash then (the upcasts of ``Merged`` and ``Absorbed``)."""
    if not isinstance(balances, dict):
        return {}
    return {
        str(fund): {Account.CASH.value: int(amount)}
        for fund, amount in balances.items()
        if amount
    }


def balances_on(days: Days, on: date) -> dict[str, dict[str, int]]:
    """fund → account → balance at the end of ``on`` (accounts that never
    held money left out)."""
    limit = on.isoformat()
    found: dict[str, dict[str, int]] = {}
    for key, changes in days.items():
        fund, account = key.rsplit("|", 1)
        found.setdefault(fund, {})[account] = sum(
            delta for iso, delta in changes.items() if iso <= limit
        )
    return found


def hold(holds: Days, fund: str, account: Account, on: date, amount: int) -> None:
    """Hold ``amount`` of ``fund``'s ``account`` from ``on`` (a pending
    payment; a negative ``amount`` releases it)."""
    day = holds.setdefault(book_key(fund, account), {})
    iso = on.isoformat()
    total = day.get(iso, 0) + amount
    if total:
        day[iso] = total
    else:
        day.pop(iso, None)
        if not day:
            holds.pop(book_key(fund, account))


def less_holds(days: Days, holds: Days) -> Days:
    """``days`` as if every held amount had left on its date: what a new
    payment may count on (the same as ``days`` when nothing is pending)."""
    if not holds:
        return days
    merged = {key: dict(changes) for key, changes in days.items()}
    for key, held in holds.items():
        changes = merged.setdefault(key, {})
        for iso, amount in held.items():
            changes[iso] = changes.get(iso, 0) - amount
    return merged
