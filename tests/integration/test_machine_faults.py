"""Faults of the machine itself: a full disk (SQLite, and PostgreSQL with its
tables in a small tablespace), and the power cut inside a commit (SQLite).

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
import shutil
import sqlite3
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

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


def stored_mentions(url: str, voucher: str) -> int:
    """The stored events that name ``voucher``, on any database."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            states = conn.execute(text("SELECT state FROM ledger_events")).scalars()
            return sum(1 for s in states if f'"{voucher}"'.encode() in bytes(s))
    finally:
        engine.dispose()


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


@pytest.fixture
def small_postgres(postgres_server: str) -> Iterator[tuple[str, Path]]:
    """A PostgreSQL URL whose tables go to a tablespace on a ``SMALL`` tmpfs
    (the server must run on this machine, and the test as root)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a size-limited tmpfs needs root (CI runs as root)")
    suffix = uuid.uuid4().hex[:10]
    folder = Path(tempfile.gettempdir()) / f"khuyenhoc-small-{suffix}"
    folder.mkdir()
    mount = ["mount", "-t", "tmpfs", "-o", f"size={SMALL},mode=0700", "tmpfs"]
    if subprocess.run([*mount, str(folder)], check=False).returncode != 0:
        folder.rmdir()
        pytest.skip("cannot mount a tmpfs here")
    schema, space = f"t_{suffix}", f"small_{suffix}"
    admin = psycopg.connect(postgres_server.replace("+psycopg", ""), autocommit=True)
    try:
        shutil.chown(folder, "postgres", "postgres")
        admin.execute(f"CREATE TABLESPACE {space} LOCATION '{folder}'")
    except (LookupError, PermissionError, psycopg.Error) as error:
        admin.close()
        subprocess.run(["umount", "-l", str(folder)], check=False)  # noqa: S607
        pytest.skip(f"the PostgreSQL server cannot use a folder here: {error}")
    admin.execute(f"CREATE SCHEMA {schema}")
    options = f"-csearch_path%3D{schema}%20-cdefault_tablespace%3D{space}"
    try:
        yield f"{postgres_server}?options={options}", folder
    finally:
        admin.execute(f"DROP SCHEMA {schema} CASCADE")
        admin.execute(f"DROP TABLESPACE {space}")
        admin.close()
        subprocess.run(["umount", "-l", str(folder)], check=False)  # noqa: S607
        folder.rmdir()


@pytest.mark.postgres
def test_postgresql_writes_on_a_full_disk_get_507_and_record_once_space_is_back(
    small_postgres: tuple[str, Path],
) -> None:
    url, folder = small_postgres
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
            assert answer.status_code in (201, 507), answer.text
            if answer.status_code == 507:
                assert answer.json()["code"] == "disk_full"
            return answer.status_code

        filler = fill(folder)
        try:
            refused = next(
                (f"PT-PG-{n}" for n in range(400) if donate(f"PT-PG-{n}") == 507), None
            )
            assert refused is not None, "the tablespace never filled up"
            assert donate(refused) == 507
            assert client.get("/v1/organisations/NA-DC-DH/balance").status_code == 200
            assert stored_mentions(url, refused) == 0
        finally:
            free(folder, filler)
        assert donate(refused) == 201
    assert stored_mentions(url, refused) == 2  # the voucher's and the fund's event
    assert checked_clean(url)
