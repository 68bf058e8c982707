"""The named recognitions read model: the honour roll an organisation keeps.

``rm_recognitions`` (organisation, year, model, name, village) holds one row
per recognised family, clan, community or unit, with the decision's number
and date; the same name and village sent again replaces its row, so a
re-sent list is never counted twice. ``rm_honour_rolls`` says whether the
organisation publishes its names (they are private by default: treasurer
and auditor). The list is compared with the reported number of recognitions
(``Queries.learning_models``: ``named``), never added to it.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Boolean, Column, Date, Integer, String, Uuid
from sqlalchemy.orm import Session

from ledger.organisation import Organisation
from projections.change import handles
from projections.movements import Line
from projections.view import View, upsert

NO_VILLAGE = ""
"""The key's village when none was given (a key column cannot be null)."""


class RecognitionsView(View):
    name = "recognitions"

    def define_tables(self) -> None:
        self.recognitions = self.table(
            "recognitions",
            Column("org_id", Uuid, primary_key=True),
            Column("year", Integer, primary_key=True),
            Column("model", String(16), primary_key=True),
            Column("name", String(200), primary_key=True),
            Column("village", String(200), primary_key=True),
            Column("decision_no", String(200), nullable=False),
            Column("decision_date", Date, nullable=False),
        )
        self.honour_rolls = self.table(
            "honour_rolls",
            Column("org_id", Uuid, primary_key=True),
            Column("published", Boolean, nullable=False),
        )

    @handles(Organisation.RecognitionRecorded)
    def recognised(
        self,
        session: Session,
        event: Organisation.RecognitionRecorded,
        lines: Sequence[Line],
    ) -> None:
        upsert(
            session,
            self.recognitions,
            [
                {
                    "org_id": event.originator_id,
                    "year": event.year,
                    "model": event.model.value,
                    "name": event.name,
                    "village": event.village or NO_VILLAGE,
                    "decision_no": event.decision_no,
                    "decision_date": event.decision_date,
                }
            ],
        )

    @handles(Organisation.HonourRollPublished)
    def published(
        self,
        session: Session,
        event: Organisation.HonourRollPublished,
        lines: Sequence[Line],
    ) -> None:
        upsert(
            session,
            self.honour_rolls,
            [{"org_id": event.originator_id, "published": event.published}],
        )
