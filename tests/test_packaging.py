"""The package's metadata in the current form: ``pip install`` builds it with
setuptools ≥ 77, which warns (four times) about a ``license`` table."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_license_is_an_spdx_expression_not_a_table() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "MIT"
    classifiers = project.get("classifiers", [])
    assert not [c for c in classifiers if c.startswith("License ::")]
