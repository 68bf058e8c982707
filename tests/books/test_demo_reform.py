"""``khuyenhoc demo --reform`` (what ``make run`` records): the sample province
through the 2025 reform, both trees visible, and running it again records
nothing new."""

from __future__ import annotations

from datetime import date

from api.ops.demo import load_demo
from api.ops.demo_reform import load_reform
from projections import Queries, ReadModels
from projections.verify import verify
from tests.conftest import LedgerFactory


def test_the_demo_goes_through_the_reform_once(open_ledger: LedgerFactory) -> None:
    ledger = open_ledger(today=lambda: date(2025, 12, 31))
    load_demo(ledger)
    read_models = ReadModels(ledger)
    queries = Queries(read_models)
    read_models.catch_up()
    before_2022 = queries.summary("NA", 2022, subtree=True)
    total = queries.balance("NA", subtree=True).balance

    load_reform(ledger)
    head = ledger.recorder.max_notification_id()
    load_reform(ledger)
    read_models.catch_up()

    assert ledger.recorder.max_notification_id() == head
    assert queries.summary("NA", 2022, subtree=True) == before_2022
    assert queries.parent("NA-DC-DH") == "NA"
    assert queries.parent("NA-DC-DH", on=date(2025, 6, 30)) == "NA-DC"
    assert (
        queries.name_on("NA-DC-DH", date(2022, 12, 31)) == "Hội Khuyến học xã Diễn Hoa"
    )
    assert queries.organisation("NA-QL-QT").merged_into == "NA-QV"
    assert queries.summary("NA-QL", 2025, subtree=True).raised_vnd == 3_000_000
    assert queries.summary("NA", 2025, subtree=True).raised_vnd == 15_000_000
    gifts_2025 = 3_000_000 + 5_000_000 + 7_000_000 - 4_000_000
    assert queries.balance("NA", subtree=True).balance == total + gifts_2025
    assert [c.code for c in queries.children("NA")] == ["NA-DC-DH", "NA-QV"]
    assert verify(read_models).clean
