"""``export --format learning-models``: the learning-model reports, one row per
organisation, year and model, in the import format (``org_code, year, model,
eligible, registered, recognised``), so that an export imports back as the
same reports.

Only the reports themselves are written (the latest for each year and
model), not the roll-ups: a territory's figures are computed again on
import. With ``--org``, the reports of the organisation's subtree today;
with ``--from``/``--to``, the years those dates touch. UTF-8 with a
byte-order mark and CRLF, like the entries' export.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import TextIO

from sqlalchemy import select

from api.books.csv_import.formats import LEARNING_MODELS
from api.books.exports.directory import Directory, Selection
from projections import ReadModels
from projections.learning import LearningView

BOM = "\ufeff"


def write_learning_csv(
    read_models: ReadModels,
    selection: Selection,
    out: TextIO,
    progress: Callable[[int], None] = lambda _rows: None,
) -> int:
    """Write the learning-model reports of ``selection``; returns the rows."""
    directory = Directory(read_models)
    wanted = directory.org_ids(selection.org)
    table = read_models.view(LearningView).learning
    t = table.c
    query = select(
        t.org_id, t.year, t.model, t.eligible, t.registered, t.recognised
    ).where(t.reported.is_(True))
    if selection.date_from is not None:
        query = query.where(t.year >= selection.date_from.year)
    if selection.date_to is not None:
        query = query.where(t.year <= selection.date_to.year)
    with read_models.engine.connect() as conn:
        rows = conn.execute(query).all()
    found = sorted(
        (directory.codes[row.org_id], row.year, row.model, row)
        for row in rows
        if wanted is None or row.org_id in wanted
    )
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(LEARNING_MODELS.columns)
    for written, (code, year, model, row) in enumerate(found, start=1):
        writer.writerow(
            [code, year, model, row.eligible, row.registered, row.recognised]
        )
        progress(written)
    return len(found)
