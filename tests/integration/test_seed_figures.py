"""The seed's figures: a reduced-scale Nghệ An 2022, recorded through the
Ledger on SQLite and PostgreSQL, gives the article's province summary."""

from __future__ import annotations

from bench.seed import ARTICLE, NgheAn2022
from projections import Queries, ReadModels
from projections.verify import verify
from tests.conftest import LedgerFactory

SCALE = 0.004
"""About 60 organisations and 350 entries; the totals stay the article's."""


def test_the_province_summary_reproduces_the_article(
    open_ledger: LedgerFactory,
) -> None:
    ledger = open_ledger()
    seed = NgheAn2022(scale=SCALE)
    seed.record(ledger)
    read_models = ReadModels(ledger)
    read_models.catch_up()
    province = Queries(read_models).summary(seed.province_code, 2022, subtree=True)

    assert province.raised_vnd == ARTICLE.raised_vnd == 87_100_000_000
    assert province.disbursed_vnd == ARTICLE.disbursed_vnd == 68_200_000_000
    assert province.scholarships_vnd + province.awards_vnd == 68_200_000_000
    assert province.recipients == 218_000
    assert province.members == 775_276
    assert province.per_capita_vnd is not None
    assert abs(province.per_capita_vnd - 26_000) <= 100
    assert province.member_ratio is not None
    assert round(province.member_ratio * 100, 1) == 23.2
    # Transfers from the province downwards stay inside it.
    assert province.transfers_in_vnd == province.transfers_out_vnd == 0
    assert verify(read_models).clean
