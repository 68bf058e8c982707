"""The last seal on the yearly report (text, ``--json`` and the HTTP summary),
and the HTTP service sealing the log by itself."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.books import reports
from api.books.figures import Lang
from api.cli import main as cli
from api.http.app import create_app
from api.ops.sealer import start_sealer
from api.settings import Settings
from bench.seed import NgheAn2022
from ledger import Ledger
from ledger.seals import Seal, SealedLog
from projections import Queries, ReadModels
from tests.conftest import LedgerFactory

SEAL = Seal(
    seal_no=3,
    position=1_234,
    events=1_200,
    chain_hash="ab" * 32,
    previous_hash="cd" * 32,
    sealed_at="2024-12-31T01:02:03+00:00",
    seal_hash="0123456789abcdef" * 4,
)


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("vi", "Niêm phong nhật ký số 3, đến vị trí 1.234, mã băm:"),
        ("en", "Log seal no. 3, up to position 1,234, hash:"),
    ],
)
def test_the_report_ends_with_the_last_seal(
    demo: Ledger, lang: Lang, line: str
) -> None:
    read_models = ReadModels(demo)
    position = read_models.catch_up()
    summary = Queries(read_models).summary("NA", 2022, subtree=True)

    text = reports.render(
        summary,
        name="Tỉnh",
        position=position,
        today=date(2024, 12, 31),
        lang=lang,
        seal=SEAL,
    )

    assert text.splitlines()[-2:] == [line, SEAL.seal_hash]


def test_report_json_and_the_http_summary_carry_the_same_seal(
    demo: Ledger,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("KHUYENHOC_DATABASE_URL", database_url)
    assert cli.main(["seal"]) == 0
    capsys.readouterr()
    seal = SealedLog(demo).last()
    assert seal is not None

    assert cli.main(["report", "--org", "NA", "--year", "2022", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        answer = client.get("/v1/organisations/NA/summary", params={"year": 2022})

    assert answer.json() == printed
    assert printed["seal"]["seal_hash"] == seal.seal_hash
    assert printed["seal"]["position"] == seal.position == 31
    assert printed["seal"]["seal_no"] == 1


def test_the_service_seals_the_log_periodically(
    demo: Ledger, database_url: str
) -> None:
    log = SealedLog(demo)
    settings = Settings(database_url=database_url, seal_interval_seconds=0.05)
    with TestClient(create_app(settings)):
        deadline = time.monotonic() + 30
        while log.last() is None and time.monotonic() < deadline:
            time.sleep(0.05)
    sealed = log.last()
    assert sealed is not None
    assert sealed.position == log.head()
    assert log.verify().clean


def test_an_interval_of_0_starts_no_sealer(demo: Ledger) -> None:
    assert start_sealer(demo, 0) is None
    assert Settings(seal_interval_seconds=0).seal_interval_seconds == 0
    assert Settings().seal_interval_seconds == 300


def test_an_import_seals_what_it_recorded(
    open_ledger: LedgerFactory,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("KHUYENHOC_DATABASE_URL", database_url)
    files = NgheAn2022(scale=0.003).write_csv(tmp_path / "csv")

    assert cli.main(["import", *map(str, files)]) == 0

    ledger = open_ledger()
    log = SealedLog(ledger)
    seal = log.last()
    assert seal is not None
    assert seal.position == log.head() > 0
    assert f"(seal #1: {seal.seal_hash})" in capsys.readouterr().out
    assert log.verify().clean
