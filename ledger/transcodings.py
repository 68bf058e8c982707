"""How dates and the ledger's enumerations are stored in events as JSON."""

from __future__ import annotations

import enum
from datetime import date

from eventsourcing.persistence import JSONTranscoder, Transcoding

from ledger.types import ENUMS


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class EnumAsValue(Transcoding):
    """One transcoding per enum class, named after it (``Level`` …)."""

    def __init__(self, enum_type: type[enum.Enum]) -> None:
        self.type = enum_type
        self.name = enum_type.__name__

    def encode(self, obj: enum.Enum) -> str:
        return str(obj.value)

    def decode(self, data: str) -> enum.Enum:
        member: enum.Enum = self.type(data)
        return member


def register_ledger_transcodings(transcoder: JSONTranscoder) -> None:
    transcoder.register(DateAsISO())
    for enum_type in ENUMS:
        transcoder.register(EnumAsValue(enum_type))
