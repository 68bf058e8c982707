"""Replay to a point: the read models built from the log up to a position (or
the end of a recording date) in a database of their own.

A scripted history records a snapshot of every read-model table after each
step, with the log's head then; a replay to each head must hold exactly those
rows. The HTTP ``known_at`` answers must agree with a replay to the same
point.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.auth.tokens import Role
from api.cli import main as cli
from api.http.app import create_app
from api.ops.replay import replay, resolve
from api.settings import Settings
from ledger import Ledger, errors
from ledger.seals import SealedLog
from ledger.types import VIETNAM
from projections import ReadModels
from tests.audit.conftest import TargetFactory
from tests.conftest import LedgerFactory

Dump = dict[str, list[dict[str, Any]]]
ORGS = ("NA", "NA-DC", "NA-DC-DH", "NA-QL", "NA-QL-QT")


def dump(read_models: ReadModels) -> Dump:
    """Every row of every read-model table, in key order (rows of sums that
    are all zero count as absent, as in ``verify``)."""
    tables: Dump = {}
    for view in read_models.views:
        sums = {s.table.name for s in view.sums}
        with view.transaction(commit=False) as session:
            for table in view.tables:
                names = [column.name for column in table.columns]
                keys = {column.name for column in table.primary_key.columns}
                rows = []
                for row in view.rows(table, session):
                    record = dict(zip(names, row, strict=True))
                    if table.name in sums and not any(
                        record[name] for name in names if name not in keys
                    ):
                        continue
                    rows.append(record)
                tables[table.name] = rows
    return tables


def steps() -> list[Callable[[Ledger], object]]:
    """A history with every kind of event a read model uses."""
    day = date(2022, 1, 1)

    def register(ledger: Ledger) -> None:
        ledger.register_organisation(
            "NA", name="Tỉnh Nghệ An", level="province", registered_on=day
        )
        for code in ("NA-DC", "NA-QL"):
            ledger.register_organisation(
                code,
                name=f"Huyện {code}",
                level="district",
                parent_code="NA",
                registered_on=day,
            )

    def commune(code: str, parent: str) -> Callable[[Ledger], object]:
        return lambda ledger: ledger.register_organisation(
            code,
            name=f"Xã {code}",
            level="commune",
            parent_code=parent,
            registered_on=day,
        )

    return [
        register,
        commune("NA-DC-DH", "NA-DC"),
        lambda ledger: ledger.report_membership(
            "NA-DC-DH", year=2022, members=700, population=3_000
        ),
        lambda ledger: ledger.receive_donation(
            "NA-DC-DH",
            voucher_no="PT-1",
            amount=50_000_000,
            business_date=date(2022, 1, 20),
            donor="Ông A",
        ),
        lambda ledger: ledger.disburse(
            "NA-DC-DH",
            voucher_no="PC-1",
            amount=10_000_000,
            business_date=date(2022, 9, 5),
            category="scholarship",
            recipients=5,
        ),
        commune("NA-QL-QT", "NA-QL"),
        lambda ledger: ledger.transfer(
            "NA-DC-DH",
            to_code="NA-QL-QT",
            voucher_no="PC-2",
            amount=5_000_000,
            business_date=date(2022, 10, 1),
        ),
        lambda ledger: ledger.move(
            "NA-DC-DH", new_parent_code="NA-QL", effective_on=date(2022, 11, 1)
        ),
        lambda ledger: ledger.reverse_entry("NA-DC-DH", "PC-1", reason="ghi nhầm"),
        lambda ledger: ledger.launch_campaign(
            "THANG-2022",
            name="Tháng Khuyến học 2022",
            kind="thang",
            organiser_code="NA",
            starts_on=date(2022, 8, 20),
            ends_on=date(2022, 10, 2),
            edition=19,
        ),
        lambda ledger: ledger.receive_donation(
            "NA-QL-QT",
            voucher_no="PT-2",
            amount=2_000_000,
            business_date=date(2022, 9, 1),
            campaign="THANG-2022",
        ),
        lambda ledger: ledger.merge(
            "NA-QL-QT", into_code="NA-QL", effective_on=date(2022, 12, 1)
        ),
        lambda ledger: ledger.receive_donation(  # back-dated
            "NA", voucher_no="PT-3", amount=1_000_000, business_date=date(2022, 3, 1)
        ),
    ]


@dataclasses.dataclass
class Recorded:
    head: int
    tables: Dump


@pytest.fixture
def history(open_ledger: LedgerFactory) -> tuple[Ledger, list[Recorded]]:
    """The scripted history, with a snapshot of the read models after each step."""
    ledger = open_ledger()
    read_models = ReadModels(ledger)
    recorded = []
    for step in steps():
        step(ledger)
        head = read_models.catch_up()
        recorded.append(Recorded(head, dump(read_models)))
    return ledger, recorded


def open_replayed(url: str) -> tuple[Ledger, ReadModels]:
    ledger = Ledger(url)
    return ledger, ReadModels(ledger)


def test_a_replay_to_each_point_equals_the_read_models_then(
    history: tuple[Ledger, list[Recorded]], database_url: str, new_target: TargetFactory
) -> None:
    for n, then in enumerate(history[1]):
        target = new_target()

        done = replay(database_url, target, then.head)

        ledger, read_models = open_replayed(target)
        try:
            assert done.position == read_models.position() == then.head, n
            assert dump(read_models) == then.tables, f"after step {n + 1}"
        finally:
            ledger.close()
    assert len({then.head for then in history[1]}) == len(history[1])


def recorded_at(ledger: Ledger, position: int) -> datetime:
    (notification,) = ledger.recorder.select_notifications(
        start=position, limit=1, stop=position
    )
    event = ledger.mapper.to_domain_event(notification)
    timestamp: datetime = event.timestamp  # type: ignore[attr-defined]
    return timestamp


def recording_day(ledger: Ledger) -> date:
    """The day in Vietnam on which the test's history was recorded (not
    today's date, which may have turned since)."""
    head = ledger.recorder.max_notification_id() or 0
    return recorded_at(ledger, head).astimezone(VIETNAM).date()


def test_http_known_at_answers_agree_with_a_replay_to_the_same_point(
    history: tuple[Ledger, list[Recorded]], database_url: str, new_target: TargetFactory
) -> None:
    ledger, recorded = history
    app = create_app(Settings(database_url=database_url))
    live = TestClient(app)
    compared = 0
    with live:
        # To the instant: an auditor's question (the public's is by the day).
        auditor = app.state.service.tokens.create(Role.AUDITOR).secret
        as_auditor = {"Authorization": f"Bearer {auditor}"}
        for then in recorded[2:]:
            target = new_target()
            replay(database_url, target, then.head)
            moment = recorded_at(ledger, then.head).isoformat()
            with TestClient(create_app(Settings(database_url=target))) as past:
                for code in ORGS:
                    replayed = past.get(f"/v1/organisations/{code}/balance")
                    if replayed.status_code == 404:  # not registered yet then
                        continue
                    known = live.get(
                        f"/v1/organisations/{code}/balance",
                        params={"known_at": moment},
                        headers=as_auditor,
                    )
                    assert known.status_code == replayed.status_code == 200
                    a, b = known.json(), replayed.json()
                    assert (a["balance_vnd"], a["funds"]) == (
                        b["balance_vnd"],
                        b["funds"],
                    ), (code, then.head)
                    compared += 1
    assert compared > 30
    # The check can fail: a moment before the reversal differs from now.
    now = ledger.balance("NA-DC-DH")
    assert now != recorded_balance(recorded[5], "NA-DC-DH")


def recorded_balance(then: Recorded, code: str) -> int:
    ids = {r["code"]: r["org_id"] for r in then.tables["rm_organisations"]}
    return sum(
        r["total_in"] - r["total_out"]
        for r in then.tables["rm_balances"]
        if r["org_id"] == ids[code] and r["scope"] == "own"
    )


def test_a_date_replays_up_to_the_end_of_that_recording_day(
    history: tuple[Ledger, list[Recorded]],
) -> None:
    ledger, recorded = history
    today = recording_day(ledger)
    head = recorded[-1].head

    assert resolve(ledger, today) == head
    assert resolve(ledger, today - timedelta(days=1)) == 0
    assert resolve(ledger, 3) == 3
    with pytest.raises(errors.InvalidInput, match="not in the log"):
        resolve(ledger, head + 1)


def test_replay_copies_the_seals_that_cover_it_and_verifies_there(
    history: tuple[Ledger, list[Recorded]], database_url: str, new_target: TargetFactory
) -> None:
    ledger, recorded = history
    log = SealedLog(ledger)
    log.seal(until=recorded[3].head)
    log.seal()
    until = recorded[6].head
    target = new_target()

    done = replay(database_url, target, until)

    replayed, _ = open_replayed(target)
    try:
        check = SealedLog(replayed).verify()
        assert done.seals == 1
        assert check.clean
        assert check.last == log.all()[0]
        assert check.unsealed == until - recorded[3].head
        # The copied positions are taken: a write there comes after them.
        replayed.receive_donation(
            "NA", voucher_no="PT-R", amount=1, business_date=date(2022, 5, 1)
        )
        assert (replayed.recorder.max_notification_id() or 0) > until
        # And the target seals what it holds beyond its copied seals.
        (own,) = SealedLog(replayed).seal()
        assert own.seal_no == 2
        assert own.previous_hash == log.all()[0].seal_hash
        assert SealedLog(replayed).verify().clean
    finally:
        replayed.close()


def test_the_command_line_replays_and_report_reads_the_replay(
    history: tuple[Ledger, list[Recorded]],
    database_url: str,
    new_target: TargetFactory,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    target = new_target()
    monkeypatch.setenv("KHUYENHOC_DATABASE_URL", database_url)
    assert cli.main(["seal"]) == 0
    report = ["report", "--org", "NA", "--year", "2022", "--subtree"]
    assert cli.main(report) == 0
    capsys.readouterr()
    today = recording_day(history[0]).isoformat()

    assert cli.main(["replay", "--until", today, "--to", target]) == 0
    assert "replayed" in capsys.readouterr().out
    assert cli.main(report) == 0
    source = capsys.readouterr().out
    monkeypatch.setenv("KHUYENHOC_DATABASE_URL", target)
    assert cli.main(report) == 0
    assert capsys.readouterr().out == source
    assert "Niêm phong nhật ký số 1" in source


def test_replay_refuses_a_target_that_is_not_empty(
    history: tuple[Ledger, list[Recorded]],
    database_url: str,
    new_target: TargetFactory,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    target = new_target()
    monkeypatch.setenv("KHUYENHOC_DATABASE_URL", database_url)
    assert cli.main(["replay", "--until", "3", "--to", target]) == 0
    copied = Ledger(target)
    head = copied.recorder.max_notification_id()
    copied.close()
    capsys.readouterr()

    assert cli.main(["replay", "--until", "5", "--to", target]) == 1

    assert "already holds a ledger" in capsys.readouterr().err
    copied = Ledger(target)
    assert copied.recorder.max_notification_id() == head == 3
    copied.close()


@pytest.mark.parametrize(
    "args",
    [
        ["--until", "yesterday", "--to", "sqlite:///x.sqlite3"],
        ["--until", "2022-13-01", "--to", "sqlite:///x.sqlite3"],
        ["--until", "0", "--to", "sqlite:///x.sqlite3"],
        ["--until", "5", "--to", "mysql://x"],
        ["--until", "5"],
    ],
)
def test_bad_arguments_are_usage_errors(args: list[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["replay", *args])
    assert exited.value.code == 2


def test_a_position_past_the_log_is_a_usage_error(
    history: tuple[Ledger, list[Recorded]],
    database_url: str,
    new_target: TargetFactory,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("KHUYENHOC_DATABASE_URL", database_url)
    past = history[1][-1].head + 1
    target = new_target()

    assert cli.main(["replay", "--until", str(past), "--to", target]) == 2

    assert f"position {past} is not in the log" in capsys.readouterr().err


@pytest.mark.postgres
def test_a_replay_from_sqlite_into_postgresql_keeps_its_seals_checkable(
    tmp_path: Path, postgres_url: str
) -> None:
    source = f"sqlite:///{tmp_path / 'office.sqlite3'}"
    ledger = Ledger(source)
    try:
        for step in steps():
            step(ledger)
        log = SealedLog(ledger)
        sealed = log.seal()
        head = log.head()
    finally:
        ledger.close()

    done = replay(source, postgres_url, head)

    replayed = Ledger(postgres_url)
    try:
        check = SealedLog(replayed).verify()
    finally:
        replayed.close()
    assert done.position == head
    assert check.clean
    assert check.last == sealed[-1]
    assert check.events_checked == head
