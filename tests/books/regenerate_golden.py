"""The recipe of the report golden files (``tests/books/golden/*.txt``).

Each file is ``api.books.reports.render`` of one organisation's 2022 summary,
printed on 31/12/2024, after one of two histories, on a fresh SQLite ledger:

- ``seed-NA-subtree-{vi,en}``: the seed generator's Nghệ An at scale 0.003
  (``bench.seed.NgheAn2022``, the CSV set imported). Its province totals are
  the article's (an independent source, ``/work/shared/domain``'s Nghệ An
  2023 article): raised 87,1 tỷ đồng, paid 68,2 tỷ đồng to 218.000
  recipients, 775.276 members at 23,2% of the population, 26.000 đồng per
  person. The population (3.341.707) is derived from those two figures.
  Everything else — the split by level, scholarships against awards, the
  journal position — is only what the code produced: it guards against
  change, not against error.
- ``demo-NA-DC-DH-own-{vi,en}``: the demo province (``api.ops.demo``), whose
  commune Diễn Hoa's figures (50 triệu raised, 30 triệu in scholarships to 60
  recipients, 5 triệu sent on) are written in the demo's own source, by hand.

Regenerate them after a deliberate change of the report::

    .venv/bin/python -m tests.books.regenerate_golden          # rewrite the files
    .venv/bin/python -m tests.books.regenerate_golden --check  # exit 1 if one differs

and read the diff before committing it: a changed article figure is a bug.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date
from pathlib import Path

from api.books import figures, reports
from api.books.csv_import import Importer, RowError
from api.ops.demo import load_demo
from bench.seed import NgheAn2022
from ledger import Ledger
from projections import Queries, ReadModels

GOLDEN = Path(__file__).parent / "golden"
PRINTED_ON = date(2024, 12, 31)
TODAY = date(2024, 12, 31)
SCALE = 0.003
CASES: list[tuple[str, str, bool, figures.Lang]] = [
    ("seed", "NA", True, "vi"),
    ("seed", "NA", True, "en"),
    ("demo", "NA-DC-DH", False, "vi"),
    ("demo", "NA-DC-DH", False, "en"),
]


def golden_path(data: str, code: str, subtree: bool, lang: str) -> Path:
    return GOLDEN / f"{data}-{code}-{'subtree' if subtree else 'own'}-{lang}.txt"


def record(ledger: Ledger, data: str, scratch: Path) -> None:
    """Record the history ``data`` names (``seed`` or ``demo``) in ``ledger``."""
    if data == "seed":
        errors: list[RowError] = []
        files = NgheAn2022(scale=SCALE).write_csv(scratch / "csv")
        report = Importer(ledger, on_error=errors.append).run(files)
        if errors or not report.committed:
            raise RuntimeError(f"the seed did not import: {errors[:3]}")
    else:
        load_demo(ledger)


def render(ledger: Ledger, code: str, subtree: bool, lang: figures.Lang) -> str:
    """The report of ``code`` for 2022, as its golden file holds it."""
    read_models = ReadModels(ledger)
    position = read_models.catch_up()
    queries = Queries(read_models)
    return reports.render(
        queries.summary(code, 2022, subtree=subtree),
        name=queries.organisation(code).name,
        position=position,
        today=PRINTED_ON,
        lang=lang,
        learning=queries.learning_models(code, 2022, subtree=subtree),
    )


def produce(data: str, code: str, subtree: bool, lang: figures.Lang) -> str:
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        ledger = Ledger(f"sqlite:///{scratch / 'ledger.sqlite3'}", today=lambda: TODAY)
        try:
            record(ledger, data, scratch)
            return render(ledger, code, subtree, lang)
        finally:
            ledger.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="change nothing")
    args = parser.parse_args(argv)
    differ = 0
    for data, code, subtree, lang in CASES:
        path = golden_path(data, code, subtree, lang)
        text = produce(data, code, subtree, lang)
        same = path.exists() and path.read_text(encoding="utf-8") == text
        if not same:
            differ += 1
            if not args.check:
                path.write_text(text, encoding="utf-8")
        sys.stdout.write(f"{path.name}: {'same' if same else 'differs'}\n")
    return 1 if args.check and differ else 0


if __name__ == "__main__":
    sys.exit(main())
