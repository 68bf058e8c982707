"""Idempotency-Key on every POST; without it, the voucher number."""

from __future__ import annotations

from tests.api.conftest import Api

DONATIONS = "/v1/organisations/NA-DC-DH/donations"
BODY = {"voucher_no": "PT-1", "amount_vnd": 5_000, "business_date": "2022-03-01"}


def entries(api: Api) -> int:
    page = api.get("/v1/organisations/NA-DC-DH/entries", who="auditor").json()
    return len(page["data"])


def test_the_same_key_and_body_replays_the_first_answer(api: Api) -> None:
    first = api.post(DONATIONS, BODY, **{"Idempotency-Key": "k-1"})
    again = api.post(DONATIONS, BODY, **{"Idempotency-Key": "k-1"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["x-log-position"] == first.headers["x-log-position"]
    assert "idempotent-replayed" not in first.headers
    assert entries(api) == 1


def test_the_same_key_with_another_body_is_409(api: Api) -> None:
    api.post(DONATIONS, BODY, **{"Idempotency-Key": "k-2"})
    other = api.post(
        DONATIONS, BODY | {"voucher_no": "PT-2"}, **{"Idempotency-Key": "k-2"}
    )
    assert other.status_code == 409
    assert other.json()["code"] == "idempotency_key_reused"
    elsewhere = api.post(
        "/v1/organisations/NA-DC-DH/membership",
        {"year": 2022, "members": 3},
        **{"Idempotency-Key": "k-2"},
    )
    assert elsewhere.status_code == 409
    assert entries(api) == 1


def test_keys_belong_to_their_token(api: Api) -> None:
    mine = api.post(DONATIONS, BODY, **{"Idempotency-Key": "shared"})
    theirs = api.post(
        "/v1/organisations/NA-QL-QT/donations",
        BODY,
        who="outsider",
        **{"Idempotency-Key": "shared"},
    )
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert theirs.json()["organisation"] == "NA-QL-QT"


def test_an_error_is_not_kept_so_a_retry_runs_again(api: Api) -> None:
    pay = {
        "voucher_no": "PC-1",
        "amount_vnd": 4_000,
        "business_date": "2022-03-02",
        "category": "award",
    }
    path = "/v1/organisations/NA-DC-DH/disbursements"
    refused = api.post(path, pay, **{"Idempotency-Key": "k-3"})
    assert refused.status_code == 409
    api.post(DONATIONS, BODY)
    accepted = api.post(path, pay, **{"Idempotency-Key": "k-3"})
    assert accepted.status_code == 201


def test_without_a_key_the_voucher_number_records_once(api: Api) -> None:
    first = api.post(DONATIONS, BODY)
    again = api.post(DONATIONS, BODY)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["entry_id"] == first.json()["entry_id"]
    assert entries(api) == 1
    conflicting = api.post(DONATIONS, BODY | {"amount_vnd": 6_000})
    assert conflicting.status_code == 409
    assert conflicting.json()["code"] == "duplicate_voucher"


def test_a_key_of_the_wrong_length_is_refused(api: Api) -> None:
    refused = api.post(DONATIONS, BODY, **{"Idempotency-Key": "x" * 256})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "header.Idempotency-Key"
    assert entries(api) == 0


def test_a_replay_keeps_the_location_and_any_spelling_of_bearer(api: Api) -> None:
    body = {
        "code": "NA-DC-NEW",
        "name": "Hội mới",
        "level": "commune",
        "parent_code": "NA-DC",
        "registered_on": "2020-01-01",
    }
    first = api.post("/v1/organisations", body, who="admin", **{"Idempotency-Key": "r"})
    again = api.client.post(
        "/v1/organisations",
        json=body,
        headers={
            "Authorization": f"bearer {api.tokens['admin']}",
            "Idempotency-Key": "r",
        },
    )
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["location"] == first.headers["location"]
    assert again.json() == first.json()
