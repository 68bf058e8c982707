"""Stale writes: another writer saved first, so the command reloads and retries.

The race is staged without threads. The ledger asks its business clock for
today's date between loading an organisation and saving it; a ``today`` that
lets a second ``Ledger`` on the same store (``another_process``) record
something at that moment makes the command's organisation stale, once or
every time. On SQLite and PostgreSQL that second writer is a real second
process (see ``tests/ledger/conftest.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing
from datetime import date

import pytest

from ledger import Ledger, errors
from ledger.ids import voucher_id
from ledger.organisation import Organisation

TODAY = date(2023, 6, 30)
X01 = Organisation.id_for("NA-DC-X01")


class ImpatientLedger(Ledger):
    max_attempts = 2


def interleave(
    ledger: Ledger, write: Callable[[int], object], *, times: int
) -> list[date]:
    """Make ``ledger``'s clock run ``write(n)`` the first ``times`` times asked.

    Returns the list of the clock's answers, one per time it was asked.
    """
    asked: list[date] = []

    def today() -> date:
        if len(asked) < times:
            write(len(asked))
        asked.append(TODAY)
        return TODAY

    ledger.today = today
    return asked


def given_funded_commune(ledger: Ledger, amount: int) -> None:
    ledger.register_organisation(
        "NA-DC-X01", name="Xã X01", level="commune", registered_on=date(2010, 3, 15)
    )
    ledger.receive_donation(
        "NA-DC-X01", voucher_no="PT-0", amount=amount, business_date=date(2023, 1, 1)
    )


def test_a_stale_donation_is_retried_and_both_donations_count(
    ledger: Ledger, another_process: Callable[[Ledger], Ledger]
) -> None:
    given_funded_commune(ledger, 1_000_000)
    other = another_process(ledger)
    asked = interleave(
        ledger,
        lambda _: other.receive_donation(
            "NA-DC-X01",
            voucher_no="PT-OTHER",
            amount=200_000,
            business_date=date(2023, 2, 1),
        ),
        times=1,
    )

    ledger.receive_donation(
        "NA-DC-X01", voucher_no="PT-MINE", amount=30_000, business_date=date(2023, 2, 1)
    )

    donations = [
        e
        for e in ledger.events.get(X01)
        if isinstance(e, Organisation.DonationReceived)
    ]
    assert len(asked) == 2, "the stale attempt and its retry"
    assert [e.voucher_no for e in donations] == ["PT-0", "PT-OTHER", "PT-MINE"]
    assert ledger.balance("NA-DC-X01") == 1_230_000
    assert other.balance("NA-DC-X01") == 1_230_000


def test_a_retry_checks_the_balance_afresh(
    ledger: Ledger, another_process: Callable[[Ledger], Ledger]
) -> None:
    # Given 10,000,000 đồng, and another clerk who pays 5,000,000 while this
    # clerk's 6,000,000 payment is being decided,
    given_funded_commune(ledger, 10_000_000)
    other = another_process(ledger)
    asked = interleave(
        ledger,
        lambda _: other.disburse(
            "NA-DC-X01",
            voucher_no="PC-OTHER",
            amount=5_000_000,
            business_date=date(2023, 2, 1),
            category="scholarship",
        ),
        times=1,
    )

    # when this clerk's payment is saved, then it is refused on the fresh balance.
    with pytest.raises(errors.InsufficientFunds) as info:
        ledger.disburse(
            "NA-DC-X01",
            voucher_no="PC-MINE",
            amount=6_000_000,
            business_date=date(2023, 2, 1),
            category="scholarship",
        )

    assert len(asked) == 2, "the stale attempt and its retry"
    assert (info.value.balance, info.value.amount) == (5_000_000, 6_000_000)
    assert ledger.balance("NA-DC-X01") == 5_000_000


def test_two_writers_of_the_same_voucher_make_one_entry(
    ledger: Ledger, another_process: Callable[[Ledger], Ledger]
) -> None:
    given_funded_commune(ledger, 1_000_000)
    other = another_process(ledger)
    interleave(
        ledger,
        lambda _: other.receive_donation(
            "NA-DC-X01",
            voucher_no="PT-1",
            amount=50_000,
            business_date=date(2023, 2, 1),
            recorded_by="Hoa",
        ),
        times=1,
    )

    entry_id = ledger.receive_donation(
        "NA-DC-X01",
        voucher_no="PT-1",
        amount=50_000,
        business_date=date(2023, 2, 1),
        recorded_by="Lan",
    )

    assert entry_id == voucher_id(X01, "PT-1")
    assert ledger.balance("NA-DC-X01") == 1_050_000
    *_, event = ledger.events.get(X01)
    assert isinstance(event, Organisation.DonationReceived)
    assert event.recorded_by == "Hoa"


def test_two_writers_of_one_voucher_number_with_other_content_conflict(
    ledger: Ledger, another_process: Callable[[Ledger], Ledger]
) -> None:
    given_funded_commune(ledger, 1_000_000)
    other = another_process(ledger)
    interleave(
        ledger,
        lambda _: other.receive_donation(
            "NA-DC-X01",
            voucher_no="PT-1",
            amount=50_000,
            business_date=date(2023, 2, 1),
        ),
        times=1,
    )

    with pytest.raises(errors.DuplicateVoucher):
        ledger.receive_donation(
            "NA-DC-X01",
            voucher_no="PT-1",
            amount=70_000,
            business_date=date(2023, 2, 1),
        )

    assert ledger.balance("NA-DC-X01") == 1_050_000


def test_a_command_that_keeps_losing_the_race_gives_up_with_nothing_recorded(
    store_url: str, another_process: Callable[[Ledger], Ledger]
) -> None:
    with closing(ImpatientLedger(store_url, today=lambda: TODAY)) as ledger:
        given_funded_commune(ledger, 1_000_000)
        other = another_process(ledger)
        interleave(
            ledger,
            lambda n: other.receive_donation(
                "NA-DC-X01",
                voucher_no=f"PT-OTHER-{n}",
                amount=1_000,
                business_date=date(2023, 2, 1),
            ),
            times=ImpatientLedger.max_attempts,
        )

        with pytest.raises(errors.ConcurrentUpdate):
            ledger.receive_donation(
                "NA-DC-X01",
                voucher_no="PT-MINE",
                amount=30_000,
                business_date=date(2023, 2, 1),
            )

        assert ledger.balance("NA-DC-X01") == 1_002_000
        with pytest.raises(errors.UnknownEntry):
            ledger.reverse_entry("NA-DC-X01", "PT-MINE", reason="was it recorded?")


def test_a_failed_snapshot_does_not_turn_a_recorded_command_into_an_error(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = Ledger("memory:", today=lambda: date(2023, 6, 30), snapshot_interval=2)
    ledger.register_organisation(
        "NA", name="Nghệ An", level="province", registered_on=date(2000, 1, 1)
    )

    def broken(*_args: object, **_kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(ledger, "take_snapshot", broken)
    ledger.receive_donation(
        "NA", voucher_no="PT-1", amount=5, business_date=date(2023, 1, 1)
    )  # version 2: a snapshot is due, and fails

    assert ledger.balance("NA") == 5
    assert "snapshot could not be taken" in caplog.text
