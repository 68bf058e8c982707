"""Cash and bank (issue 15): every entry names its account, deposits and
withdrawals move money between them, and no account of any fund goes below
zero on any date — a back-dated payment that would overdraw a day already
past is refused, naming that day."""

from __future__ import annotations

import json
from contextlib import AbstractContextManager
from datetime import date

import pytest
from eventsourcing.domain import Snapshot

from ledger import Ledger, errors
from ledger.commands import RecordDonation
from ledger.organisation import Organisation
from ledger.types import Account, IncomeKind

X01 = Organisation.id_for("NA-DC-X01")
X = "NA-DC-X01"


def receive(ledger: Ledger, no: str, amount: int, on: date, **more: object) -> None:
    ledger.receive_donation(X, voucher_no=no, amount=amount, business_date=on, **more)  # type: ignore[arg-type]


def test_an_entry_that_names_no_account_is_cash(nghe_an: Ledger) -> None:
    receive(nghe_an, "PT-1", 5_000_000, date(2023, 2, 1))
    receive(nghe_an, "PT-2", 3_000_000, date(2023, 2, 2), account="bank")

    (event,) = [
        e
        for e in nghe_an.events.get(X01)
        if isinstance(e, Organisation.DonationReceived)
    ][:1]
    assert event.account is Account.CASH
    state = nghe_an.organisation(X)
    assert state.accounts["general"] == {"cash": 5_000_000, "bank": 3_000_000}
    assert state.balances["general"] == 8_000_000


def test_a_payment_is_checked_against_its_own_account(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    receive(nghe_an, "PT-1", 5_000_000, date(2023, 2, 1))
    with nothing_recorded, pytest.raises(errors.InsufficientFunds) as info:
        nghe_an.disburse(
            X,
            voucher_no="PC-1",
            amount=1_000_000,
            business_date=date(2023, 3, 1),
            category="scholarship",
            account="bank",
        )
    assert info.value.field == "amount"
    assert info.value.details["account"] == "bank"
    assert info.value.balance == 0


def test_a_deposit_moves_cash_to_the_bank_and_a_withdrawal_back(
    nghe_an: Ledger,
) -> None:
    receive(nghe_an, "PT-1", 5_000_000, date(2023, 2, 1))
    nghe_an.deposit(
        X, voucher_no="NT-1", amount=4_000_000, business_date=date(2023, 2, 2)
    )
    nghe_an.withdraw(
        X, voucher_no="RT-1", amount=1_500_000, business_date=date(2023, 2, 3)
    )

    state = nghe_an.organisation(X)
    assert state.accounts["general"] == {"cash": 2_500_000, "bank": 2_500_000}
    assert state.balances["general"] == 5_000_000
    nghe_an.disburse(
        X,
        voucher_no="PC-1",
        amount=2_500_000,
        business_date=date(2023, 2, 4),
        category="award",
        account="bank",
    )
    assert nghe_an.organisation(X).accounts["general"]["bank"] == 0


def test_a_withdrawal_larger_than_the_bank_balance_is_refused(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    receive(nghe_an, "PT-1", 5_000_000, date(2023, 2, 1), account="bank")
    with nothing_recorded, pytest.raises(errors.InsufficientFunds) as info:
        nghe_an.withdraw(
            X, voucher_no="RT-1", amount=5_000_001, business_date=date(2023, 2, 3)
        )
    assert (info.value.field, info.value.details["account"]) == ("amount", "bank")
    assert info.value.details["on"] == "2023-02-03"


def test_an_unknown_account_is_refused_naming_the_field() -> None:
    with pytest.raises(errors.InvalidInput) as info:
        RecordDonation(
            X,
            voucher_no="PT-1",
            amount=1,
            business_date=date(2023, 1, 1),
            account="safe",
        )
    assert info.value.field == "account"


def test_a_back_dated_payment_that_would_overdraw_its_own_day_is_refused(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    """The issue's example: 20,000,000 received on 2022-01-20, 10,000,000 paid
    dated 2022-01-10."""
    receive(nghe_an, "PT-1", 20_000_000, date(2022, 1, 20))
    with nothing_recorded, pytest.raises(errors.InsufficientFunds) as info:
        nghe_an.disburse(
            X,
            voucher_no="PC-1",
            amount=10_000_000,
            business_date=date(2022, 1, 10),
            category="scholarship",
        )
    assert info.value.on == date(2022, 1, 10)
    assert info.value.balance == 0
    assert "2022-01-10" in info.value.message


def test_a_back_dated_payment_that_would_overdraw_a_later_day_is_refused(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    receive(nghe_an, "PT-1", 20_000_000, date(2022, 1, 10))
    nghe_an.disburse(
        X,
        voucher_no="PC-1",
        amount=15_000_000,
        business_date=date(2022, 1, 20),
        category="scholarship",
    )
    with nothing_recorded, pytest.raises(errors.InsufficientFunds) as info:
        nghe_an.disburse(
            X,
            voucher_no="PC-2",
            amount=10_000_000,
            business_date=date(2022, 1, 15),
            category="award",
        )
    assert info.value.on == date(2022, 1, 20)
    assert info.value.balance == 5_000_000
    # What the later days can spare is fine.
    nghe_an.disburse(
        X,
        voucher_no="PC-3",
        amount=5_000_000,
        business_date=date(2022, 1, 15),
        category="award",
    )
    assert nghe_an.balance(X) == 0


def test_a_back_dated_reversal_of_a_gift_spent_later_is_refused(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    receive(nghe_an, "PT-1", 10_000_000, date(2022, 1, 10))
    receive(nghe_an, "PT-2", 10_000_000, date(2022, 3, 1))
    nghe_an.disburse(
        X,
        voucher_no="PC-1",
        amount=15_000_000,
        business_date=date(2022, 3, 2),
        category="scholarship",
    )
    with nothing_recorded, pytest.raises(errors.InsufficientFunds) as info:
        nghe_an.reverse_entry(
            X, "PT-1", reason="nhập nhầm", business_date=date(2022, 2, 1)
        )
    assert info.value.field == "voucher_no"
    assert info.value.on == date(2022, 3, 2)


def test_a_transfer_lands_in_the_receivers_named_account(nghe_an: Ledger) -> None:
    receive(nghe_an, "PT-1", 10_000_000, date(2023, 1, 10), account="bank")
    nghe_an.transfer(
        X,
        voucher_no="CK-1",
        amount=4_000_000,
        business_date=date(2023, 1, 11),
        to_code="NA-DC",
        account="bank",
        to_account="bank",
    )
    assert nghe_an.organisation("NA-DC").accounts["general"] == {"bank": 4_000_000}
    nghe_an.reverse_entry(X, "CK-1", reason="chuyển nhầm")
    assert nghe_an.organisation(X).accounts["general"] == {"bank": 10_000_000}
    assert nghe_an.organisation("NA-DC").accounts["general"] == {"bank": 0}


def test_a_merge_carries_cash_and_bank_apart(nghe_an: Ledger) -> None:
    receive(nghe_an, "PT-1", 1_000_000, date(2023, 1, 10))
    receive(nghe_an, "PT-2", 2_000_000, date(2023, 1, 10), account="bank")
    nghe_an.move(
        "NA-DC-X01-B1", new_parent_code="NA-DC-X02", effective_on=date(2023, 1, 11)
    )
    nghe_an.merge(X, into_code="NA-DC-X02", effective_on=date(2023, 2, 1))

    assert nghe_an.organisation("NA-DC-X02").accounts["general"] == {
        "cash": 1_000_000,
        "bank": 2_000_000,
    }
    assert nghe_an.organisation(X).balances["general"] == 0


def test_income_is_a_receipt_of_its_kind(nghe_an: Ledger) -> None:
    nghe_an.receive_income(
        X,
        voucher_no="PT-LS-1",
        amount=120_000,
        business_date=date(2023, 3, 31),
        income_kind="interest",
        payer="Agribank",
        account="bank",
    )
    (event,) = [
        e for e in nghe_an.events.get(X01) if isinstance(e, Organisation.IncomeReceived)
    ]
    assert event.income_kind is IncomeKind.INTEREST
    assert event.counterparty == "Agribank"
    assert nghe_an.organisation(X).accounts["general"] == {"bank": 120_000}
    nghe_an.reverse_entry(X, "PT-LS-1", reason="ngân hàng tính nhầm")
    assert nghe_an.balance(X) == 0


def test_income_into_a_fund_that_does_not_exist_is_refused(
    nghe_an: Ledger, nothing_recorded: AbstractContextManager[None]
) -> None:
    with nothing_recorded, pytest.raises(errors.UnknownFund) as info:
        nghe_an.receive_income(
            X,
            voucher_no="PT-LS-1",
            amount=120_000,
            business_date=date(2023, 3, 31),
            income_kind="interest",
            fund="no-such-fund",
        )
    assert info.value.field == "fund"


def test_an_unknown_income_kind_is_refused_naming_the_field(nghe_an: Ledger) -> None:
    with pytest.raises(errors.InvalidInput) as info:
        nghe_an.receive_income(
            X,
            voucher_no="PT-1",
            amount=1,
            business_date=date(2023, 3, 31),
            income_kind="gift",
        )
    assert info.value.field == "income_kind"


def test_an_entry_re_sent_with_the_default_account_keeps_its_fingerprint(
    nghe_an: Ledger,
) -> None:
    """A cash entry's fingerprint is the one it had before accounts existed, so
    old vouchers re-sent by old callers are still the same entry."""
    plain = RecordDonation(
        X, voucher_no="PT-1", amount=1, business_date=date(2023, 1, 1)
    )
    named = RecordDonation(
        X, voucher_no="PT-1", amount=1, business_date=date(2023, 1, 1), account="cash"
    )
    bank = RecordDonation(
        X, voucher_no="PT-1", amount=1, business_date=date(2023, 1, 1), account="bank"
    )
    assert plain.fingerprint() == named.fingerprint() != bank.fingerprint()


def test_an_entry_stored_before_accounts_existed_loads_as_cash(nghe_an: Ledger) -> None:
    receive(nghe_an, "PT-1", 7_000_000, date(2023, 1, 10), account="bank")
    event = list(nghe_an.events.get(X01))[-1]
    stored = nghe_an.mapper.to_stored_event(event)
    state = json.loads(stored.state)
    assert state.pop("class_version") == 2
    state.pop("account")
    old = type(stored)(
        originator_id=stored.originator_id,
        originator_version=stored.originator_version,
        topic=stored.topic,
        state=json.dumps(state).encode(),
    )
    loaded = nghe_an.mapper.to_domain_event(old)
    assert isinstance(loaded, Organisation.DonationReceived)
    assert loaded.account is Account.CASH
    assert loaded.amount == 7_000_000


def test_a_snapshot_taken_before_accounts_existed_loads_as_cash(
    nghe_an: Ledger,
) -> None:
    receive(nghe_an, "PT-1", 7_000_000, date(2023, 1, 10))
    org: Organisation = nghe_an.repository.get(X01)
    state = {
        "code": org.code,
        "registered_on": org.registered_on,
        "balances": {"general": 7_000_000, "quy-x": 0},
    }
    Organisation.upcast_v1_v2(state)
    assert state["held"] == {"general": {"cash": 7_000_000}}
    assert state["days"] == {"general|cash": {"2010-03-15": 7_000_000}}


def test_a_snapshot_from_before_version_2_loads_with_every_attribute(
    nghe_an: Ledger,
) -> None:
    """Whatever state a later change adds to an organisation, a snapshot
    taken before it (version 1: none of it, no ``class_version``) loads with
    every attribute a fresh load has — else the first command on it fails."""
    receive(nghe_an, "PT-1", 7_000_000, date(2023, 1, 10))
    org: Organisation = nghe_an.repository.get(X01)
    taken = Snapshot.take(org)
    added_in_v2 = {"closed_through", "principal", "held", "days", "learning"}
    old_state = {
        name: value
        for name, value in taken.state.items()
        if name not in added_in_v2 | {"class_version"}
    }
    old = Snapshot(
        originator_id=taken.originator_id,
        originator_version=taken.originator_version,
        timestamp=taken.timestamp,
        topic=taken.topic,
        state=old_state,
    )
    loaded = old.mutate(None)
    assert set(vars(loaded)) == set(vars(org))
    assert isinstance(loaded, Organisation)
    assert loaded.learning == {}
    assert loaded.held == {"general": {"cash": 7_000_000}}
