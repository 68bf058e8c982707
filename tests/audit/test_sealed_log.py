"""The sealed log: a hash chain over the stored events, checked by ``verify``.

Tampering is done with raw SQL, as someone with write access to the database
would: each kind is found, and the first position it touched is named — by
``SealedLog.verify`` and by ``khuyenhoc verify`` (exit 1).
"""

from __future__ import annotations

import io
import itertools
import json
import re
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect

from api.books.exports import Selection, write_jsonl
from api.cli import main as cli
from ledger import Ledger
from ledger.seals import SealedLog, compute_seal_hash, event_digest
from projections import ReadModels

Raw = Callable[..., list[Any]]
DAY = date(2022, 10, 1)


def donation_positions(raw: Raw) -> list[int]:
    rows = raw(
        "SELECT id FROM ledger_events WHERE topic LIKE '%DonationReceived' ORDER BY id"
    )
    return [row.id for row in rows]


def test_an_untouched_log_verifies_clean(demo: Ledger) -> None:
    log = SealedLog(demo)

    added = log.seal()
    check = log.verify()

    head = log.head()
    assert [(s.seal_no, s.position, s.events) for s in added] == [(1, head, 31)]
    assert check.clean
    assert (check.seals, check.events_checked, check.unsealed) == (1, 31, 0)
    assert check.first_position is None
    assert added[0].previous_hash == "0" * 64
    assert added[0].seal_hash == added[0].expected_hash()


def test_seals_chain_and_add_nothing_when_nothing_is_new(demo: Ledger) -> None:
    log = SealedLog(demo)
    first = log.seal()
    assert log.seal() == []  # nothing new: no seal
    demo.receive_donation(
        "NA-DC-DH", voucher_no="PT-S-1", amount=1_000, business_date=DAY
    )

    second = log.seal()

    assert [s.seal_no for s in log.all()] == [1, 2]
    assert second[0].previous_hash == first[0].seal_hash
    assert second[0].events == 31 + (second[0].position - first[0].position)
    assert log.verify().clean


def test_events_after_the_last_seal_are_counted_not_an_error(demo: Ledger) -> None:
    log = SealedLog(demo)
    log.seal()
    demo.receive_donation(
        "NA-DC-DH", voucher_no="PT-S-1", amount=1_000, business_date=DAY
    )
    demo.receive_donation(
        "NA-DC-DH", voucher_no="PT-S-2", amount=2_000, business_date=DAY
    )

    check = log.verify()

    assert check.clean
    assert check.unsealed == log.head() - check.last.position > 0  # type: ignore[union-attr]


def alter(raw: Raw, position: int) -> None:
    """Change the amount inside one stored event's state, keeping it readable."""
    state = bytes(
        raw("SELECT state FROM ledger_events WHERE id = :p", p=position)[0][0]
    )
    changed = state.replace(b'"amount":', b'"amount":9', 1)
    assert changed != state
    raw("UPDATE ledger_events SET state = :s WHERE id = :p", s=changed, p=position)


def delete(raw: Raw, position: int) -> None:
    raw("DELETE FROM ledger_events WHERE id = :p", p=position)


def swap(raw: Raw, position: int) -> None:
    """Swap the event at ``position`` with the next donation (reorder the log)."""
    other = next(p for p in donation_positions(raw) if p > position)
    raw("UPDATE ledger_events SET id = -1 WHERE id = :p", p=position)
    raw("UPDATE ledger_events SET id = :p WHERE id = :o", p=position, o=other)
    raw("UPDATE ledger_events SET id = :o WHERE id = -1", o=other)


def insert(raw: Raw, position: int, sqlite: bool) -> None:
    """Insert a forged donation at ``position``: every later event moves up
    one position, as they must for the forged one to fit in."""
    raw("UPDATE ledger_events SET id = -id WHERE id >= :p", p=position)
    raw("UPDATE ledger_events SET id = 1 - id WHERE id < 0")
    forged = uuid.uuid4()
    topic, state = raw(
        "SELECT topic, state FROM ledger_events WHERE id = :p", p=position + 1
    )[0]
    raw(
        "INSERT INTO ledger_events (id, originator_id, originator_version, topic, "
        "state) VALUES (:p, :o, 1, :t, :s)",
        p=position,
        o=forged.bytes if sqlite else str(forged),
        t=topic,
        s=bytes(state),
    )


@pytest.mark.parametrize("tampering", ["altered", "deleted", "moved", "inserted"])
def test_tampering_is_found_at_its_first_position(
    demo: Ledger, raw: Raw, database_url: str, tampering: str
) -> None:
    log = SealedLog(demo)
    log.seal()
    demo.receive_donation(
        "NA-DC-DH", voucher_no="PT-S-1", amount=1_000, business_date=DAY
    )
    target = donation_positions(raw)[1]  # in the middle of the sealed log
    sealed_up_to = log.last().position  # type: ignore[union-attr]
    assert target < sealed_up_to

    if tampering == "altered":
        alter(raw, target)
    elif tampering == "deleted":
        delete(raw, target)
    elif tampering == "moved":
        swap(raw, target)
    else:
        insert(raw, target, database_url.startswith("sqlite"))
    check = log.verify()

    assert not check.clean
    assert check.first_position == target
    assert check.findings[0].position == target
    assert check.findings[0].kind == tampering
    if tampering == "moved":
        other = check.findings[0].sealed_at_position
        assert other is not None
        assert other > target
        assert [(f.position, f.kind) for f in check.findings] == [
            (target, "moved"),
            (other, "moved"),
        ]
    if tampering in ("altered", "deleted"):
        assert check.differing_positions == 1


@pytest.mark.parametrize("position", [0, -7])
def test_an_event_put_below_the_first_position_is_found(
    demo: Ledger, raw: Raw, database_url: str, position: int
) -> None:
    """The ledger writes positions from 1 up; a row put in by hand at 0 or below
    is still part of the stored log (its aggregate loads it), so it is found."""
    log = SealedLog(demo)
    log.seal()
    organisation = raw(
        "SELECT originator_id FROM ledger_events WHERE id = :p",
        p=donation_positions(raw)[0],
    )[0][0]
    top = raw(
        "SELECT max(originator_version) FROM ledger_events WHERE originator_id = :o",
        o=organisation,
    )[0][0]
    topic, state = raw(
        "SELECT topic, state FROM ledger_events WHERE id = :p",
        p=donation_positions(raw)[0],
    )[0]
    raw(
        "INSERT INTO ledger_events (id, originator_id, originator_version, topic, "
        "state) VALUES (:p, :o, :v, :t, :s)",
        p=position, o=organisation, v=top + 1, t=topic, s=bytes(state),
    )  # fmt: skip

    check = log.verify()

    assert not check.clean
    assert check.first_position == position
    assert (check.findings[0].position, check.findings[0].kind) == (
        position,
        "inserted",
    )


@pytest.mark.parametrize("tampering", ["altered", "deleted", "moved", "inserted"])
def test_khuyenhoc_verify_names_the_position_and_exits_1(
    demo: Ledger,
    raw: Raw,
    database_url: str,
    tampering: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("KHUYENHOC_DATABASE_URL", database_url)
    ReadModels(demo).catch_up()
    assert cli.main(["seal"]) == 0
    assert cli.main(["verify"]) == 0
    assert "sealed log: clean up to seal #1" in capsys.readouterr().out
    target = donation_positions(raw)[0]

    if tampering == "altered":
        alter(raw, target)
    elif tampering == "deleted":
        delete(raw, target)
    elif tampering == "moved":
        swap(raw, target)
    else:
        insert(raw, target, database_url.startswith("sqlite"))
    code = cli.main(["verify"])

    out = capsys.readouterr().out
    assert code == 1
    assert f"sealed log: position {target}: " in out
    assert f"differ from the sealed log from position {target} on" in out


def test_rewriting_the_links_too_is_found_in_the_seals_range(
    demo: Ledger, raw: Raw
) -> None:
    log = SealedLog(demo)
    first = log.seal()[0]
    demo.receive_donation(
        "NA-DC-DH", voucher_no="PT-S-1", amount=1_000, business_date=DAY
    )
    log.seal()
    target = donation_positions(raw)[1]
    alter(raw, target)
    # The attacker also puts the altered event's digest into its link.
    row = raw(
        "SELECT originator_id, originator_version, topic, state FROM ledger_events "
        "WHERE id = :p",
        p=target,
    )[0]
    originator = row[0] if isinstance(row[0], uuid.UUID) else uuid.UUID(bytes=row[0])
    digest = event_digest(originator, row[1], row[2], bytes(row[3]))
    raw(
        "UPDATE ledger_seal_links SET digest = :d WHERE position = :p",
        d=digest,
        p=target,
    )

    check = log.verify()

    assert not check.clean
    assert check.findings == ()
    assert check.first_position == 1  # somewhere in the first seal's range
    assert any(f"seal #{first.seal_no}" in p for p in check.problems)


def test_a_changed_seal_breaks_the_chain_of_seals(demo: Ledger, raw: Raw) -> None:
    log = SealedLog(demo)
    log.seal()
    demo.receive_donation(
        "NA-DC-DH", voucher_no="PT-S-1", amount=1_000, business_date=DAY
    )
    log.seal()
    first = log.all()[0]
    forged = compute_seal_hash(
        1, first.position, first.events, first.chain_hash, first.previous_hash, "x"
    )
    raw(
        "UPDATE ledger_seals SET sealed_at = 'x', seal_hash = :h WHERE seal_no = 1",
        h=forged,
    )

    check = log.verify()

    assert not check.clean
    assert "seal #2 does not follow seal #1" in check.problems


def test_a_long_log_gets_several_seals(
    demo: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ledger.seals.MAX_EVENTS_PER_SEAL", 10)
    log = SealedLog(demo)

    added = log.seal()

    assert [s.events for s in added] == [10, 20, 30, 31]
    assert all(b.previous_hash == a.seal_hash for a, b in itertools.pairwise(added))
    assert log.verify().clean


def test_two_sealers_never_seal_the_same_events_twice(demo: Ledger) -> None:
    first, second = SealedLog(demo), SealedLog(demo)
    first.seal()
    calls = iter([None])

    def stale_once() -> Any:
        """The second sealer read "no seal yet" before the first committed."""
        return next(calls, SealedLog.last(second))

    second.last = stale_once  # type: ignore[method-assign]

    assert second.seal() == []  # its seal #1 was refused; it saw #1 and stopped
    assert [s.seal_no for s in first.all()] == [1]
    assert first.verify().clean


def test_the_jsonl_export_carries_the_seals(demo: Ledger) -> None:
    read_models = ReadModels(demo)
    read_models.catch_up()
    log = SealedLog(demo)
    log.seal()
    demo.receive_donation(
        "NA-DC-DH", voucher_no="PT-S-1", amount=1_000, business_date=DAY
    )
    read_models.catch_up()
    out = io.StringIO()

    write_jsonl(read_models, Selection(), out)

    records = [json.loads(line) for line in out.getvalue().splitlines()]
    seals = [r for r in records if r["type"] == "Seal"]
    assert len(seals) == 1
    seal = seals[0]
    assert seal == {"type": "Seal", **log.all()[0].as_record()}
    events = [r for r in records if r["type"] != "Seal"]
    assert len(events) == log.head()
    # Right after the event at its position; later events follow it.
    at = records.index(seal)
    assert records[at - 1]["position"] == seal["position"]
    assert records[at + 1]["position"] > seal["position"]
    assert seal["events"] == sum(1 for r in events if r["position"] <= seal["position"])
    assert (
        compute_seal_hash(
            seal["seal_no"],
            seal["position"],
            seal["events"],
            seal["chain_hash"],
            seal["previous_hash"],
            seal["sealed_at"],
        )
        == seal["seal_hash"]
    )


def test_a_printed_seal_hash_finds_seals_rewritten_from_scratch(
    demo: Ledger,
    raw: Raw,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("KHUYENHOC_DATABASE_URL", database_url)
    log = SealedLog(demo)
    printed = log.seal()[0].seal_hash  # as a report prints it
    ReadModels(demo).catch_up()
    assert cli.main(["verify", "--seal", printed]) == 0
    # Someone with write access alters an event, then throws the seals away
    # and seals the altered log afresh: the chain alone is consistent again.
    alter(raw, donation_positions(raw)[0])
    raw("DELETE FROM ledger_seal_links")
    raw("DELETE FROM ledger_seals")
    log.seal()
    ReadModels(demo).rebuild()
    assert cli.main(["verify"]) == 0  # without the printed hash, nothing shows
    capsys.readouterr()

    code = cli.main(["verify", "--seal", printed])

    assert code == 1
    assert f"the seal {printed} is not in this log" in capsys.readouterr().out


@pytest.mark.parametrize("column", ["originator_id", "originator_version", "topic"])
def test_every_stored_column_is_sealed(
    demo: Ledger, raw: Raw, database_url: str, column: str
) -> None:
    log = SealedLog(demo)
    log.seal()
    target = donation_positions(raw)[2]
    forged = uuid.uuid4()
    changes = {
        "originator_id": forged.bytes if database_url.startswith("sqlite") else forged,
        "originator_version": 1_000,
        "topic": "ledger.organisation:Organisation.DisbursementPaid",
    }

    statement = f"UPDATE ledger_events SET {column} = :v WHERE id = :p"  # noqa: S608
    raw(statement, v=changes[column], p=target)
    check = log.verify()

    assert [(f.position, f.kind) for f in check.findings] == [(target, "altered")]


def test_our_code_never_updates_or_deletes_seals_or_links() -> None:
    """Seals are append-only in our code: no statement of ours changes them."""
    root = Path(__file__).resolve().parents[2]
    offenders = []
    for package in ("ledger", "projections", "api", "bench"):
        for path in (root / package).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            lowered = source.lower()
            if (
                "update(seals_table" in source
                or "delete(seals_table" in source
                or "update(links_table" in source
                or "delete(links_table" in source
                or re.search(r"(update|delete\s+from)\s+ledger_seal", lowered)
            ):
                offenders.append(str(path.relative_to(root)))
    assert offenders == []


def test_a_row_holding_values_of_the_wrong_type_is_found_not_a_crash(
    demo: Ledger, raw: Raw, database_url: str
) -> None:
    log = SealedLog(demo)
    log.seal()
    target = donation_positions(raw)[0]
    if database_url.startswith("sqlite"):  # SQLite keeps whatever it is given
        raw(
            "UPDATE ledger_events SET originator_id = 'x', originator_version = "
            "'one', state = 'not bytes' WHERE id = :p",
            p=target,
        )
    else:
        raw("UPDATE ledger_events SET topic = '', state = '' WHERE id = :p", p=target)

    check = log.verify()

    assert [(f.position, f.kind) for f in check.findings] == [(target, "altered")]


def test_a_mistyped_seal_hash_is_no_such_seal_not_tampering(
    demo: Ledger,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("KHUYENHOC_DATABASE_URL", database_url)
    SealedLog(demo).seal()
    ReadModels(demo).catch_up()
    capsys.readouterr()

    code = cli.main(["verify", "--seal", "deadbeef"])

    out = capsys.readouterr().out
    assert code == 1
    assert "no such seal: 'deadbeef' is not a seal's hash" in out
    assert "the seals themselves were changed" not in out
    assert "not in this log" not in out
    assert "the chain itself is consistent" in out


def test_verify_on_a_log_that_no_longer_decodes_reports_cleanly_and_tidies_up(
    demo: Ledger,
    raw: Raw,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("KHUYENHOC_DATABASE_URL", database_url)
    SealedLog(demo).seal()
    ReadModels(demo).catch_up()
    target = donation_positions(raw)[0]
    raw("UPDATE ledger_events SET state = :s WHERE id = :p", s=b"{garbled", p=target)
    capsys.readouterr()

    code = cli.main(["verify"])

    out = capsys.readouterr().out
    assert code == 1
    assert f"position {target}" in out
    assert "read models: not compared" in out
    assert "Error" not in out
    assert "locked" not in out
    engine = create_engine(database_url)
    try:
        left = [n for n in inspect(engine).get_table_names() if n.startswith("vf")]
    finally:
        engine.dispose()
    assert left == []
