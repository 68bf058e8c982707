"""The README's first steps, run as written against a real `khuyenhoc serve`:
tokens from the command line, organisations, a donation and a disbursement
over HTTP with curl, then the balance and the yearly summary."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

from tests.processes import wait_until_serving

ROOT = Path(__file__).resolve().parent.parent.parent
BASH = shutil.which("bash") or "/bin/bash"


def readme_steps() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## First steps with curl", 1)[1]
    found = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert found is not None, "the README lost its first steps"
    return found.group(1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_a_newcomer_follows_the_readme_with_curl(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "KHUYENHOC_DATABASE_URL": f"sqlite:///{tmp_path / 'newcomer.sqlite3'}",
        "KHUYENHOC_PORT": str(port),
    }
    khuyenhoc = Path(sys.executable).parent / "khuyenhoc"
    # `make run` records the demo province first: the steps must not clash with it.
    subprocess.run(
        [str(khuyenhoc), "demo"], env=env, capture_output=True, check=True, timeout=120
    )
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [str(khuyenhoc), "serve"], env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_serving(f"{base}/health", server, log=log)
        steps = (
            readme_steps()
            .replace("K=.venv/bin/khuyenhoc", f"K={khuyenhoc}")
            .replace("API=http://127.0.0.1:8000", f"API={base}")
        )
        done = subprocess.run(
            [BASH, "-euo", "pipefail", "-c", steps],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr + log.read_text()
        answers = _answers(done.stdout)
        assert len(answers) == 6
        balance, summary = answers[-2], answers[-1]
        assert balance["balance_vnd"] == 20_000_000
        assert (summary["raised_vnd"], summary["disbursed_vnd"]) == (
            50_000_000,
            30_000_000,
        )
        assert summary["recipients"] == 60
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=20)


def _answers(output: str) -> list[dict[str, object]]:
    """curl prints the JSON answers back to back: split them."""
    decoder = json.JSONDecoder()
    answers: list[dict[str, object]] = []
    index = 0
    while index < len(output):
        if output[index].isspace():
            index += 1
            continue
        answer, index = decoder.raw_decode(output, index)
        answers.append(answer)
    return answers
