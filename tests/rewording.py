"""Reword every error message: a door that placed errors by their text would
put them elsewhere once the words change; placing by field does not move.

``reworded(monkeypatch)`` replaces the message of every ``CodedError`` raised
afterwards with the same meaningless text, naming no field.
"""

from __future__ import annotations

from typing import Any

import pytest

from ledger.errors import CodedError

REWORDED = "Thông báo đã được viết lại."


def reworded(monkeypatch: pytest.MonkeyPatch) -> None:
    original = CodedError.__init__

    def init(self: CodedError, message: str, **kwargs: Any) -> None:
        original(self, REWORDED, **kwargs)

    monkeypatch.setattr(CodedError, "__init__", init)
