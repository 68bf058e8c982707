"""Faults of the machine itself, on SQLite: a full disk, and the power cut
inside a commit.

The disk-full tests put the ledger on a small tmpfs the test mounts (root
only: elsewhere they skip, saying why; on this project's CI machine they
run). A writer then gets a clear error — ``507 disk_full`` over HTTP, exit 1
and the message on the command line — nothing of the refused write is
recorded, reads keep answering, and once space is back the same write is
recorded.

The kill test is ``bench.kill_in_commit`` with a few dozen kills: the
writer is killed (SIGKILL) a random few ms into one of its commits, the
ledger reopened and checked after each kill.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest
from fastapi.testclient import TestClient

from api.auth.tokens import Role
from api.cli import main as cli
from api.http.app import create_app
from api.ops.demo import load_demo
from api.settings import Settings
from bench.kill_in_commit import run as kill_in_commits
from bench.seed import NgheAn2022
from ledger import Ledger
from ledger.seals import sealed_logs
from projections import ReadModels
from projections.verify import verify

KILLS = 24
SMALL = "3m"


def events(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        (count,) = conn.execute("SELECT count(*) FROM ledger_events").fetchone()
    return int(count)


def mentions(path: Path, voucher: str) -> int:
    """The stored events that name ``voucher``."""
    with sqlite3.connect(path) as conn:
        states = conn.execute("SELECT state FROM ledger_events").fetchall()
    return sum(1 for (state,) in states if f'"{voucher}"'.encode() in bytes(state))


def checked_clean(url: str) -> bool:
    """Both sealed logs verify clean, and the read models equal a rebuild."""
    ledger = Ledger(url)
    try:
        logs_clean = all(log.verify().clean for log in sealed_logs(ledger))
        read_models = ReadModels(ledger)
        read_models.catch_up()
        return logs_clean and verify(read_models).clean
    finally:
        ledger.close()


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A folder on a tmpfs of ``SMALL`` size, unmounted afterwards."""
    folder = tmp_path / "small"
    folder.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a size-limited tmpfs needs root (CI runs as root)")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={SMALL}", "tmpfs", str(folder)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)  # noqa: S607


def fill(folder: Path) -> IO[bytes]:
    """Fill the folder's filesystem to the last byte; the open filler."""
    filler = (folder / "filler").open("wb", buffering=0)
    for block in (b"\0" * 65536, b"\0" * 512, b"\0"):
        with contextlib.suppress(OSError):
            while filler.write(block):
                pass
    return filler


def free(folder: Path, filler: IO[bytes]) -> None:
    with contextlib.suppress(OSError):  # its last bytes had no room: no matter
        filler.close()
    (folder / "filler").unlink()


def test_http_writes_on_a_full_disk_get_507_record_nothing_and_reads_go_on(
    small_disk: Path,
) -> None:
    path = small_disk / "ledger.sqlite3"
    url = f"sqlite:///{path}"
    app = create_app(Settings(database_url=url, seal_interval_seconds=0))
    with TestClient(app, raise_server_exceptions=False) as client:
        service = app.state.service
        load_demo(service.ledger)
        service.read_models.catch_up()
        token = service.tokens.create(Role.TREASURER, "NA-DC").secret
        headers = {"Authorization": f"Bearer {token}"}

        def donate(voucher: str) -> int:
            body = {
                "voucher_no": voucher,
                "amount_vnd": 250_000,
                "business_date": "2022-03-01",
            }
            answer = client.post(
                "/v1/organisations/NA-DC-DH/donations", json=body, headers=headers
            )
            if answer.status_code not in (201, 507):
                pytest.fail(f"{answer.status_code}: {answer.text}")
            if answer.status_code == 507:
                problem = answer.json()
                assert problem["code"] == "disk_full"
                assert problem["detail"].startswith("máy chủ hết chỗ trên đĩa")
            return answer.status_code

        assert donate("PT-BEFORE") == 201
        balance = client.get("/v1/organisations/NA-DC-DH/balance").json()
        filler = fill(small_disk)
        try:
            acknowledged, refused = [], None
            for n in range(200):  # SQLite may still fit a few into free pages
                voucher = f"PT-FULL-{n}"
                if donate(voucher) == 201:
                    acknowledged.append(voucher)
                else:
                    refused = voucher
                    break
            assert refused is not None, "the disk never filled up"
            before = events(path)
            assert donate(refused) == 507  # again: still refused, still nothing
            assert events(path) == before
            assert mentions(path, refused) == 0
            assert all(mentions(path, v) for v in acknowledged)
            with sqlite3.connect(path) as conn:
                assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            # Reads keep answering.
            reading = client.get("/v1/organisations/NA-DC-DH/balance")
            assert reading.status_code == 200
            assert reading.json()["position"] >= balance["position"]
        finally:
            free(small_disk, filler)

        assert donate(refused) == 201  # space is back: recorded, once
        assert mentions(path, refused) == mentions(path, "PT-BEFORE")
        assert client.get("/v1/organisations/NA-DC-DH/balance").status_code == 200
    assert checked_clean(url)


def test_an_import_that_fills_the_disk_records_nothing_and_runs_once_space_is_back(
    small_disk: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = small_disk / "ledger.sqlite3"
    url = f"sqlite:///{path}"
    files = NgheAn2022(scale=0.03).write_csv(tmp_path / "csv")  # ~5,000 events
    monkeypatch.setenv("KHUYENHOC_DATABASE_URL", url)
    ledger = Ledger(url)
    ledger.close()
    before = events(path)
    filler = fill(small_disk)  # then leave the import 256 KB: not enough
    filler.truncate(filler.tell() - 256 * 1024)
    filler.close()
    capsys.readouterr()

    code = cli.main(["import", *map(str, files)])

    assert code == 1
    err = capsys.readouterr().err
    assert "máy chủ hết chỗ trên đĩa" in err
    assert "imported" not in err
    assert events(path) == before  # nothing of the import
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)

    space_back = ["mount", "-o", "remount,size=64m", str(small_disk)]
    subprocess.run(space_back, check=True)
    assert cli.main(["import", *map(str, files)]) == 0
    assert events(path) > before + 4_000
    assert checked_clean(url)


def test_killed_inside_commits_the_ledger_reopens_clean_with_every_acknowledged_write(
    tmp_path: Path,
) -> None:
    outcome = kill_in_commits(tmp_path / "ledger.sqlite3", KILLS, seed=21)

    assert outcome.problems == ()
    assert outcome.kills == KILLS
    assert outcome.acknowledged > KILLS  # the writers got going each time
    assert outcome.found == outcome.acknowledged
    assert outcome.recorded >= outcome.acknowledged
