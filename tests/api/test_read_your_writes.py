"""A write answers with its log position; a read with ?after= waits for it."""

from __future__ import annotations

import threading

import pytest

from projections import errors
from tests.api.conftest import Api, ApiFactory

DONATIONS = "/v1/organisations/NA-DC-DH/donations"
BODY = {"voucher_no": "PT-1", "amount_vnd": 5_000, "business_date": "2022-03-01"}


def test_embedded_writes_answer_once_the_read_models_include_them(api: Api) -> None:
    written = api.post(DONATIONS, BODY)
    position = written.json()["position"]
    assert int(written.headers["x-log-position"]) == position
    read = api.get("/v1/organisations/NA-DC-DH/balance", after=position).json()
    assert read["balance_vnd"] == 5_000
    assert read["position"] >= position


def test_with_an_external_projection_worker_a_read_waits_for_after(
    open_api: ApiFactory,
) -> None:
    api = open_api(projections="external", read_wait_seconds=0.2)
    position = api.post(DONATIONS, BODY).json()["position"]
    # Nobody catches up: the bounded wait ends in a clean 503.
    lagging = api.get("/v1/organisations/NA-DC-DH/balance", after=position)
    assert lagging.status_code == 503
    assert lagging.json()["code"] == "read_model_lag"
    assert api.get("/health").json()["lag"] > 0

    api.service.settings.read_wait_seconds = 10
    worker = threading.Timer(0.1, api.service.read_models.catch_up)
    worker.start()
    try:
        read = api.get("/v1/organisations/NA-DC-DH/balance", after=position)
    finally:
        worker.join()
    assert read.status_code == 200
    assert read.json()["balance_vnd"] == 5_000
    assert read.json()["position"] >= position


def test_a_position_past_the_end_of_the_log_is_refused(api: Api) -> None:
    head = api.post(DONATIONS, BODY).json()["position"]
    refused = api.get("/v1/organisations/NA-DC-DH/balance", after=head + 1)
    assert refused.status_code == 422
    assert refused.json()["code"] == "invalid_input"


def test_a_recorded_write_says_so_even_if_catching_up_fails(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object, **__: object) -> int:
        raise errors.OutOfStep("a projection failed")

    monkeypatch.setattr(api.service.read_models, "catch_up", broken)
    written = api.post(DONATIONS, BODY)
    assert written.status_code == 201
    assert written.json()["position"] == api.service.read_models.head()
    assert api.service.ledger.balance("NA-DC-DH") == 5_000
