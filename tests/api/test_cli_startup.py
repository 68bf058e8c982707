"""The command line loads only what a command uses (issue 19, item 16): the
web app (FastAPI, Starlette, uvicorn), the settings' pydantic and the PDF
vouchers (fpdf) are imported by ``serve`` and the HTTP paths, not by
``--help`` nor by ``report``. Each check runs in a fresh interpreter and
reads ``sys.modules``; how long it takes is measured in docs/benchmarks.md,
not asserted here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WEB = ("fastapi", "starlette", "uvicorn", "fpdf", "api.web", "api.http")
"""What no command but ``serve`` (and ``--json`` reports) should load."""

LOADED = """
import json, sys
{setup}
names = {names!r}
print(json.dumps(sorted(n for n in names if n in sys.modules)))
"""


def loaded(setup: str, names: tuple[str, ...] = WEB, **env: str) -> list[str]:
    script = LOADED.format(setup=setup, names=names)
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
    )
    found: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def test_the_command_line_imports_without_fastapi_or_pydantic() -> None:
    assert loaded("import api.cli.main", (*WEB, "pydantic")) == []


def test_help_loads_no_web_package() -> None:
    setup = """
import contextlib, io
from api.cli.main import main
with contextlib.redirect_stdout(io.StringIO()) as out, contextlib.suppress(SystemExit):
    main(["--help"])
assert "report" in out.getvalue()
"""
    assert loaded(setup, (*WEB, "pydantic")) == []


def test_a_printed_report_loads_no_web_package(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    setup = f"""
import contextlib, io
from api.cli.main import main
from datetime import date
from ledger import Ledger
ledger = Ledger({url!r})
ledger.register_organisation(
    "NA", name="Tỉnh Nghệ An", level="province", registered_on=date(2020, 1, 1)
)
ledger.close()
with contextlib.redirect_stdout(io.StringIO()) as out:
    code = main(["report", "--org", "NA", "--year", "2022"])
assert code == 0 and "NA" in out.getvalue(), out.getvalue()
"""
    assert loaded(setup, KHUYENHOC_DATABASE_URL=url) == []


@pytest.mark.parametrize("setup", ["from api.http.app import create_app"])
def test_the_web_app_still_loads_what_it_needs(setup: str) -> None:
    # The check above could not pass by accident of a name gone missing.
    assert loaded(setup) == ["api.http", "api.web", "fastapi", "fpdf", "starlette"]
