"""Dependencies point inward (design §2): api → projections → ledger's events,
and everything → storage.

``storage/`` (engines, table creation) imports none of the layers above it;
``ledger/`` imports neither the read side nor the entry points; ``projections/``
imports from ``ledger/`` only its events and their vocabulary (types and the
error base).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EVENTS_AND_VOCABULARY = {
    "ledger.organisation",
    "ledger.campaign",
    "ledger.voucher",
    "ledger.types",
    "ledger.errors",
}


def imported_modules(package: str) -> dict[str, set[str]]:
    """Each module of ``package`` → the absolute module names it imports."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module)
        found[str(path.relative_to(ROOT))] = names
    return found


@pytest.mark.parametrize("forbidden", ["ledger", "projections", "api"])
def test_storage_imports_no_layer_above_it(forbidden: str) -> None:
    offenders = {
        module: sorted(n for n in names if n.split(".")[0] == forbidden)
        for module, names in imported_modules("storage").items()
    }
    assert {m: n for m, n in offenders.items() if n} == {}
    assert imported_modules("storage")  # the package is there to be checked


@pytest.mark.parametrize("forbidden", ["projections", "api", "fastapi", "pydantic"])
def test_the_write_model_imports_no_outer_layer(forbidden: str) -> None:
    offenders = {
        module: sorted(n for n in names if n.split(".")[0] == forbidden)
        for module, names in imported_modules("ledger").items()
    }
    assert {m: n for m, n in offenders.items() if n} == {}


def test_the_read_side_imports_only_events_from_the_ledger() -> None:
    offenders = {
        module: sorted(
            name
            for name in names
            if name.split(".")[0] == "api"
            or (name.split(".")[0] == "ledger" and name not in EVENTS_AND_VOCABULARY)
        )
        for module, names in imported_modules("projections").items()
    }
    assert {m: n for m, n in offenders.items() if n} == {}
    assert any(
        "ledger.organisation" in n for n in imported_modules("projections").values()
    )
