"""Idempotency keys belong to the authenticated caller whatever its
credential, are claimed before the work starts, expire, and are authorised
again on replay; web sessions are not tokens, and signing out ends one."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

from api.auth.tokens import Role
from api.http.idempotency import IdempotencyStore, StoredAnswer
from tests.api.conftest import Api, ApiFactory
from tests.web.conftest import COMMUNE, Site

DONATIONS = "/v1/organisations/NA-DC-DH/donations"


def _gift(voucher: str) -> dict[str, Any]:
    return {"voucher_no": voucher, "amount_vnd": 5_000, "business_date": "2022-03-01"}


def _entries(api: Api) -> list[str]:
    page = api.get("/v1/organisations/NA-DC-DH/entries", who="auditor").json()
    return [entry["voucher_no"] for entry in page["data"]]


def test_an_auditors_page_sent_with_a_key_is_not_replayed_to_anyone_else(
    site: Site,
) -> None:
    """The probe: a cookie-authenticated verify with an Idempotency-Key, then
    the same key with no credentials."""
    site.sign_in("auditor")
    key = {"Idempotency-Key": "verify-1"}
    path = f"/audit/{COMMUNE}/verify"
    first = site.client.post(path, headers=key)
    assert first.status_code == 200
    site.client.cookies.clear()
    stranger = site.client.post(path, headers=key, follow_redirects=False)
    assert "idempotent-replayed" not in stranger.headers
    assert "Nguyễn" not in stranger.text  # no donor's name from the demo
    assert stranger.status_code != 200


def test_racing_requests_with_one_key_record_once(api: Api) -> None:
    """Ten simultaneous POSTs with one key and ten bodies: one is recorded,
    the others are 409 (in progress, or reused once it is done)."""
    key = {"Idempotency-Key": "race-1"}

    def send(n: int) -> int:
        return api.post(DONATIONS, _gift(f"PT-RACE-{n}"), **key).status_code

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(send, range(10)))
    assert statuses.count(201) == 1, statuses
    assert statuses.count(409) == 9, statuses
    assert len([v for v in _entries(api) if v.startswith("PT-RACE-")]) == 1


def test_racing_copies_of_one_web_form_record_once(site: Site) -> None:
    site.sign_in("treasurer")
    path = f"/desk/{COMMUNE}/donation"
    key = site.form_key(path)
    fields = {
        "form_key": key, "business_date": "20/03/2022", "amount_vnd": "7.000",
        "donor": "Lê Văn Cường", "donor_kind": "individual", "method": "cash",
    }  # fmt: skip

    def send(n: int) -> int:
        copy = fields | {"voucher_no": f"PT-W-{n}"}  # six bodies, one key
        return site.client.post(path, data=copy, follow_redirects=False).status_code

    before = len(site.service.ledger.history(COMMUNE, limit=10_000))
    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(send, range(6)))
    after = len(site.service.ledger.history(COMMUNE, limit=10_000))
    assert after - before == 1, statuses
    assert set(statuses) <= {303, 409}


def test_a_replay_after_a_change_of_scope_goes_to_the_route(
    open_api: ApiFactory,
) -> None:
    api = open_api()
    key = {"Idempotency-Key": "scope-1"}
    assert api.post(DONATIONS, _gift("PT-S-1"), **key).status_code == 201
    token_id = api.tokens["treasurer"].split("_")[1]
    api.service.tokens.change_scope(token_id, Role.TREASURER, "NA-QL", actor="t")
    again = api.post(DONATIONS, _gift("PT-S-1"), **key)
    assert again.status_code == 403
    assert "idempotent-replayed" not in again.headers


def test_a_key_sent_by_cookie_or_header_belongs_to_the_same_token(site: Site) -> None:
    """The caller is the token, however it came: a key used by the session
    and then by the bearer header replays to the same token only."""
    site.sign_in("auditor")
    key = {"Idempotency-Key": "both-1"}
    assert site.client.post(f"/audit/{COMMUNE}/verify", headers=key).status_code == 200
    site.client.cookies.clear()
    bearer = {"Authorization": f"Bearer {site.tokens['auditor']}"} | key
    replay = site.client.post(f"/audit/{COMMUNE}/verify", headers=bearer)
    assert replay.headers.get("idempotent-replayed") == "true"
    other = {"Authorization": f"Bearer {site.tokens['treasurer']}"} | key
    theirs = site.client.post(f"/audit/{COMMUNE}/verify", headers=other)
    assert "idempotent-replayed" not in theirs.headers


def test_kept_answers_expire_after_the_retention(api: Api) -> None:
    """An expired key is a new key: the request runs again, and the voucher
    number still records the entry once."""
    store: IdempotencyStore = api.service.idempotency
    assert store.retention == timedelta(days=30)  # the default
    key = {"Idempotency-Key": "old-1"}
    first = api.post(DONATIONS, _gift("PT-OLD-1"), **key)
    assert first.status_code == 201
    real_now = store.now
    store.now = lambda: real_now() + timedelta(days=31)
    again = api.post(DONATIONS, _gift("PT-OLD-1"), **key)
    assert again.status_code == 201
    assert "idempotent-replayed" not in again.headers
    assert again.json()["entry_id"] == first.json()["entry_id"]
    other = api.post(DONATIONS, _gift("PT-OLD-2"), **key)  # claimed anew meanwhile
    assert other.json()["code"] == "idempotency_key_reused"
    assert _entries(api).count("PT-OLD-1") == 1
    # Expired rows are deleted as keys are claimed.
    store.now = lambda: real_now() + timedelta(days=62)
    store._purged = float("-inf")
    store.claim("x" * 64, "y" * 64, "scope")
    assert store.claim("x" * 64, "y" * 64, "scope") is not None
    with store.engine.connect() as conn:
        kept = conn.execute(store.keys.select()).fetchall()
    assert [row.key_digest for row in kept] == ["x" * 64]


def test_an_abandoned_claim_is_given_up(api: Api) -> None:
    store: IdempotencyStore = api.service.idempotency
    assert store.claim("k" * 64, "r" * 64, "s") is None  # a process dies here
    assert store.claim("k" * 64, "r" * 64, "s") is not None  # still running
    real_now = store.now
    store.now = lambda: real_now() + timedelta(minutes=10)
    assert store.claim("k" * 64, "r" * 64, "s") is None
    store.finish("k" * 64, StoredAnswer("r" * 64, 201, b"{}", "a/b", None, None))
    seen = store.claim("k" * 64, "r" * 64, "s")
    assert seen is not None
    assert seen.answer is not None


def test_signing_out_ends_the_session(site: Site) -> None:
    """The probe: the same cookie value after /signout opened the journal."""
    site.sign_in("treasurer")
    (cookie,) = site.client.cookies.jar
    assert cookie.value is not None
    assert cookie.value != site.tokens["treasurer"]
    assert site.get(f"/journal/{COMMUNE}").status_code == 200
    assert site.client.post("/signout", follow_redirects=False).status_code == 303
    site.client.cookies.set(cookie.name, cookie.value, domain=cookie.domain)
    assert site.get(f"/journal/{COMMUNE}").status_code == 303  # to sign in
    # The token itself still works: signing out ended a session, not the token.
    bearer = {"Authorization": f"Bearer {site.tokens['treasurer']}"}
    journal = site.client.get(f"/v1/organisations/{COMMUNE}/entries", headers=bearer)
    assert journal.status_code == 200


def test_revoking_a_token_ends_its_sessions(site: Site) -> None:
    site.sign_in("treasurer")
    assert site.get(f"/journal/{COMMUNE}").status_code == 200
    token_id = site.tokens["treasurer"].split("_")[1]
    site.service.tokens.revoke(token_id, actor="cli:test")
    assert site.get(f"/journal/{COMMUNE}").status_code == 303


def test_a_session_ends_after_its_hours(site: Site) -> None:
    site.sign_in("treasurer")
    sessions = site.service.sessions
    assert sessions.lifetime == timedelta(hours=12)
    real_now = sessions.now
    sessions.now = lambda: real_now() + timedelta(hours=12, seconds=1)
    assert site.get(f"/journal/{COMMUNE}").status_code == 303
