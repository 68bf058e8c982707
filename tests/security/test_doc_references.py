"""Every test that ``docs/security.md`` (and the other docs) name as the proof
of a claim exists: a claim cannot outlive its test unnoticed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = re.compile(r"(tests/[\w/]+\.py)::(test_\w+)")


def references() -> list[tuple[str, str, str]]:
    found = []
    for doc in sorted((ROOT / "docs").glob("*.md")):
        text = doc.read_text(encoding="utf-8")
        found += [(doc.name, m.group(1), m.group(2)) for m in REFERENCE.finditer(text)]
    return found


def test_the_security_document_names_its_tests() -> None:
    assert sum(1 for doc, _, _ in references() if doc == "security.md") > 30


@pytest.mark.parametrize(("doc", "path", "name"), references())
def test_each_named_test_exists(doc: str, path: str, name: str) -> None:
    source = ROOT / path
    assert source.is_file(), f"{doc} names {path}, which does not exist"
    defined = re.search(rf"^(async )?def {name}\(", source.read_text(), re.MULTILINE)
    assert defined, f"{doc} names {path}::{name}, which is not defined there"
