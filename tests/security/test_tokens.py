"""Tokens as a ledger: issue, change and revoke are events with their actor;
tokens expire; authentication reads one row and compares digests in constant
time; the access matrix after revocation and expiry; the command line."""

from __future__ import annotations

import hashlib
import hmac
import itertools
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, insert, select, text, update

from api.auth.tokens import (
    UPGRADED_BY,
    Principal,
    Refusal,
    Role,
    Token,
    TokenRevoked,
    TokenStore,
    UnknownToken,
    digest,
)
from api.bootstrap import open_core
from api.cli import main as cli
from tests.api.conftest import Api, ApiFactory

NOW = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(database_url: str, clock: Clock) -> Iterator[TokenStore]:
    engine = create_engine(database_url)
    yield TokenStore(engine, now=clock)
    engine.dispose()


def test_a_token_table_from_before_the_events_is_upgraded(database_url: str) -> None:
    """A database made by the earlier code: its tokens keep working, get an
    ``Issued`` event, and can be listed and revoked; a second start adds none."""
    engine = create_engine(database_url)
    secret = "khk_0123abcd_" + "s" * 43
    created = datetime(2025, 1, 2, tzinfo=UTC).replace(tzinfo=None)
    with engine.begin() as conn:
        conn.execute(
            text(
                "CREATE TABLE api_tokens (token_id VARCHAR(16) PRIMARY KEY, "
                "digest VARCHAR(64) NOT NULL UNIQUE, role VARCHAR(16) NOT NULL, "
                "org_code VARCHAR(64), label VARCHAR(200), created_at TIMESTAMP "
                "NOT NULL)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO api_tokens VALUES ('0123abcd', :d, 'treasurer', "
                "'NA-DC', 'thủ quỹ', :c)"
            ),
            {"d": digest(secret), "c": created},
        )
    try:
        store = TokenStore(engine)
        again = TokenStore(engine)

        assert store.authenticate(secret) == Principal(
            Role.TREASURER, "NA-DC", "0123abcd", holder="thủ quỹ"
        )
        (listed,) = again.list_tokens()
        assert (listed.label, listed.created_at) == ("thủ quỹ", created)
        assert listed.last_actor == UPGRADED_BY
        assert len(store.history("0123abcd")) == 1
        assert store.verify() == []
        store.revoke("0123abcd", actor="cli:test")
        assert store.identify(secret) is Refusal.REVOKED
    finally:
        engine.dispose()


def test_issue_change_and_revoke_are_events_with_their_actors(
    store: TokenStore,
) -> None:
    issued = store.create(Role.TREASURER, "NA-DC", "thủ quỹ", actor="cli:lan")
    store.change_scope(issued.token_id, Role.TREASURER, "NA", actor="cli:minh")
    store.revoke(issued.token_id, actor="cli:hoa", reason="máy bị mất")

    history = store.history(issued.token_id)

    assert [type(e).__name__ for e in history] == [
        "Issued",
        "ScopeChanged",
        "Revoked",
    ]
    assert [e.actor for e in history] == ["cli:lan", "cli:minh", "cli:hoa"]  # type: ignore[attr-defined]
    assert isinstance(history[0], Token.Issued)
    assert (history[0].role, history[0].org) == ("treasurer", "NA-DC")
    assert isinstance(history[1], Token.ScopeChanged)
    assert history[1].org == "NA"
    assert isinstance(history[2], Token.Revoked)
    assert history[2].reason == "máy bị mất"
    assert issued.secret not in repr(history)


def test_a_change_of_scope_takes_effect_at_once(store: TokenStore) -> None:
    issued = store.create(Role.TREASURER, "NA-DC")
    store.change_scope(issued.token_id, Role.AUDITOR, None, actor="cli:minh")

    found = store.authenticate(issued.secret)

    assert found is not None
    assert (found.role, found.org) == (Role.AUDITOR, None)


def test_a_revoked_token_no_longer_authenticates_and_cannot_be_changed(
    store: TokenStore,
) -> None:
    issued = store.create(Role.ADMIN)
    other = store.create(Role.ADMIN)

    store.revoke(issued.token_id)

    assert store.identify(issued.secret) is Refusal.REVOKED
    assert store.authenticate(other.secret) is not None
    with pytest.raises(TokenRevoked):
        store.revoke(issued.token_id)
    with pytest.raises(TokenRevoked):
        store.change_scope(issued.token_id, Role.AUDITOR, None)
    with pytest.raises(UnknownToken):
        store.revoke("00000000")


def test_a_token_works_until_it_expires(store: TokenStore, clock: Clock) -> None:
    issued = store.create(Role.AUDITOR, expires_at=NOW + timedelta(days=30))

    clock.now = NOW + timedelta(days=30, seconds=-1)
    assert store.authenticate(issued.secret) is not None
    clock.now = NOW + timedelta(days=30)
    assert store.identify(issued.secret) is Refusal.EXPIRED


@pytest.mark.parametrize(
    "mangle",
    [
        lambda s: s[:-1] + ("A" if s[-1] != "A" else "B"),  # wrong random part
        lambda s: s.replace("khk_", "khx_"),  # not our prefix
        lambda s: "khk_zzzzzzzz_" + s.rsplit("_", 1)[-1],  # not an id
        lambda s: s.split("_")[0] + "_" + s.split("_")[1],  # no secret part
        lambda _s: "",
    ],
)
def test_a_wrong_or_malformed_secret_is_unknown(store: TokenStore, mangle: Any) -> None:
    issued = store.create(Role.AUDITOR)

    assert store.identify(mangle(issued.secret)) is Refusal.UNKNOWN


def test_another_tokens_id_with_this_secret_is_unknown(store: TokenStore) -> None:
    one, two = store.create(Role.AUDITOR), store.create(Role.PUBLIC)
    swapped = f"khk_{two.token_id}_{one.secret.split('_', 2)[2]}"

    assert store.identify(swapped) is Refusal.UNKNOWN


def test_digests_are_compared_in_constant_time(
    store: TokenStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    issued = store.create(Role.AUDITOR)
    compared: list[tuple[str, str]] = []
    original = hmac.compare_digest

    def spy(a: str, b: str) -> bool:
        compared.append((a, b))
        return original(a, b)

    monkeypatch.setattr("api.auth.tokens.hmac.compare_digest", spy)
    assert store.authenticate(issued.secret) is not None
    assert store.authenticate(issued.secret[:-2] + "xx") is None

    assert len(compared) == 2
    assert all(len(a) == len(b) == 64 for a, b in compared)


def test_authentication_reads_the_lookup_table_and_never_replays_a_token(
    store: TokenStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    issued = store.create(Role.TREASURER, "NA-DC")
    store.change_scope(issued.token_id, Role.TREASURER, "NA")

    def replay(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("authentication loaded the token's events")

    monkeypatch.setattr(store.repository, "get", replay)
    monkeypatch.setattr(store.events, "get", replay)

    found = store.authenticate(issued.secret)
    assert found is not None
    assert found.org == "NA"


def test_the_list_shows_every_token_without_its_secret_or_digest(
    store: TokenStore,
) -> None:
    issued = store.create(Role.TREASURER, "NA-DC", "Chị Lan", actor="cli:an")
    store.create(Role.AUDITOR, expires_at=NOW + timedelta(days=1))
    store.revoke(issued.token_id, actor="cli:binh")

    listed = store.list_tokens()

    assert [t.role for t in listed] == [Role.TREASURER, Role.AUDITOR]
    first = listed[0]
    assert (first.token_id, first.org, first.label) == (
        issued.token_id,
        "NA-DC",
        "Chị Lan",
    )
    assert first.revoked_at is not None
    assert first.last_actor == "cli:binh"
    assert listed[1].expires_at == (NOW + timedelta(days=1)).replace(tzinfo=None)
    shown = repr(listed)
    assert issued.secret.split("_", 2)[2] not in shown
    assert "digest" not in shown


def test_verify_finds_a_row_written_by_hand_and_a_changed_role(
    store: TokenStore,
) -> None:
    issued = store.create(Role.PUBLIC)
    assert store.verify() == []
    with store.engine.begin() as conn:
        conn.execute(
            update(store.tokens)
            .where(store.tokens.c.token_id == issued.token_id)
            .values(role="admin")
        )
        conn.execute(
            insert(store.tokens).values(
                token_id="deadbeef",  # noqa: S106 -- an id, not a secret
                digest="0" * 64,
                role="admin",
                created_at=NOW.replace(tzinfo=None),
                last_actor="nobody",
                version=1,
            )
        )

    found = store.verify()

    assert sorted(found) == sorted(
        [
            "token deadbeef: in api_tokens, but no event issued it",
            f"token {issued.token_id}: role is 'admin', the events say 'public'",
        ]
    )


# ---- over HTTP: the access matrix after revocation and expiry ------------------

ROLE_OF = {
    "treasurer": ("NA-DC", Role.TREASURER),
    "auditor": (None, Role.AUDITOR),
    "admin": (None, Role.ADMIN),
}


VOUCHERS = itertools.count(1)


def _id(secret: str) -> str:
    return secret.split("_")[1]


def access(api: Api, who: str) -> dict[str, int]:
    """What a caller gets: a write, a journal read, a registration, a public read."""
    n = next(VOUCHERS)
    return {
        "donate": api.post(
            "/v1/organisations/NA-DC-DH/donations",
            {
                "voucher_no": f"PT-{who}-{n}",
                "amount_vnd": 1_000_000,
                "business_date": "2022-03-01",
            },
            who,
        ).status_code,
        "journal": api.get("/v1/organisations/NA-DC/entries", who).status_code,
        "register": api.post(
            "/v1/organisations",
            {
                "code": f"NA-X-{who}",
                "name": "Hội mới",
                "level": "district",
                "parent_code": "NA",
                "registered_on": "2020-01-01",
            },
            who,
        ).status_code,
        "balance": api.get("/v1/organisations/NA/balance", who).status_code,
    }


def test_the_access_matrix_before_and_after_revocation(open_api: ApiFactory) -> None:
    api = open_api(auth_failures=100)  # many refusals here: not a guesser
    before = {who: access(api, who) for who in ("treasurer", "auditor", "admin")}
    for who in ("treasurer", "auditor", "admin"):
        api.service.tokens.revoke(_id(api.tokens[who]), actor="cli:test")
    after = {who: access(api, who) for who in ("treasurer", "auditor", "admin")}

    assert before == {
        "treasurer": {"donate": 201, "journal": 200, "register": 403, "balance": 200},
        "auditor": {"donate": 403, "journal": 200, "register": 403, "balance": 200},
        "admin": {"donate": 403, "journal": 403, "register": 201, "balance": 200},
    }
    refused = {"donate": 401, "journal": 401, "register": 401, "balance": 401}
    assert after == {"treasurer": refused, "auditor": refused, "admin": refused}
    assert api.get("/v1/organisations/NA/balance").status_code == 200  # the public
    answer = api.get("/v1/organisations/NA/balance", "auditor").json()
    assert (answer["code"], answer["detail"]) == (
        "unauthenticated",
        "the token has been revoked",
    )


def test_a_revoked_token_gets_no_idempotent_replay(open_api: ApiFactory) -> None:
    api = open_api()
    key = {"Idempotency-Key": "pt-r-1"}
    body = {"voucher_no": "PT-R-1", "amount_vnd": 5, "business_date": "2022-03-01"}
    path = "/v1/organisations/NA-DC-DH/donations"
    assert api.post(path, body, **key).status_code == 201
    assert api.post(path, body, **key).headers.get("idempotent-replayed") == "true"

    api.service.tokens.revoke(_id(api.tokens["treasurer"]), actor="cli:test")
    again = api.post(path, body, **key)

    assert again.status_code == 401
    assert again.json()["detail"] == "the token has been revoked"
    assert "idempotent-replayed" not in again.headers


def test_the_access_matrix_after_expiry(open_api: ApiFactory) -> None:
    api = open_api(auth_failures=100)
    tokens = api.service.tokens
    now = datetime.now(UTC)
    for who in ("treasurer", "auditor", "admin"):
        org, role = ROLE_OF[who]
        api.tokens[who] = tokens.create(
            role, org, expires_at=now + timedelta(days=1)
        ).secret
    before = {who: access(api, who) for who in ("treasurer", "auditor", "admin")}
    tokens.now = lambda: now + timedelta(days=1)
    after = {who: access(api, who) for who in ("treasurer", "auditor", "admin")}

    assert before["treasurer"] == {
        "donate": 201,
        "journal": 200,
        "register": 403,
        "balance": 200,
    }
    assert before["admin"]["register"] == 201
    refused = {"donate": 401, "journal": 401, "register": 401, "balance": 401}
    assert after == {"treasurer": refused, "auditor": refused, "admin": refused}
    answer = api.get("/v1/organisations/NA/balance", "auditor").json()
    assert answer["detail"] == "the token has expired"


def test_a_treasurer_moved_to_another_scope_writes_there_only(api: Api) -> None:
    api.service.tokens.change_scope(
        _id(api.tokens["treasurer"]), Role.TREASURER, "NA-QL", actor="cli:test"
    )

    assert api.donate("PT-1", 1_000_000, org="NA-DC-DH").status_code == 403
    assert api.donate("PT-2", 1_000_000, org="NA-QL-QT").status_code == 201


def test_the_database_holds_the_digest_never_the_secret(store: TokenStore) -> None:
    issued = store.create(Role.ADMIN, label="văn phòng tỉnh")
    random_part = issued.secret.split("_", 2)[2]
    events = store.recorder.events_record_cls.__table__

    with store.engine.connect() as conn:
        row = conn.execute(select(store.tokens)).mappings().one()
        states = [bytes(s) for s in conn.execute(select(events.c.state)).scalars()]

    assert row["digest"] == hashlib.sha256(issued.secret.encode()).hexdigest()
    assert all(random_part not in str(value) for value in row.values())
    assert states
    assert all(random_part.encode() not in state for state in states)


def route_paths(routes: list[Any]) -> set[str]:
    """Every path of an app's routes, through included routers."""
    found: set[str] = set()
    for route in routes:
        if hasattr(route, "path"):
            found.add(route.path)
        inner = getattr(route, "original_router", None) or getattr(route, "app", None)
        if inner is not None and hasattr(inner, "routes"):
            found |= route_paths(inner.routes)
    return found


def test_no_http_route_makes_or_manages_tokens(api: Api) -> None:
    paths = route_paths(api.client.app.routes)  # type: ignore[attr-defined]
    schema = api.client.get("/openapi.json").json()

    assert {"/v1/organisations", "/signin", "/"} <= paths  # API and web pages
    assert not [p for p in paths if "token" in p.lower()]
    assert not [p for p in schema["paths"] if "token" in p.lower()]


# ---- the command line ----------------------------------------------------------


@pytest.fixture
def cli_database(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("KHUYENHOC_DATABASE_URL", database_url)
    return database_url


def test_the_command_line_creates_changes_lists_revokes_and_verifies(
    cli_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["demo"]) == 0
    capsys.readouterr()
    assert (
        cli.main(
            [
                "token",
                "create",
                "--role",
                "treasurer",
                "--org",
                "NA-DC",
                "--label",
                "Chị Lan",
                "--expires-in",
                "30",
                "--actor",
                "cli:an",
            ]
        )
        == 0
    )
    created = capsys.readouterr()
    secret = created.out.strip()
    token_id = secret.split("_")[1]
    assert f"id {token_id}, valid until " in created.err
    with pytest.raises(SystemExit) as too_far:
        cli.main(["token", "create", "--role", "auditor", "--expires", "2099-12-31"])
    assert too_far.value.code == 2
    until = (datetime.now(UTC).date() + timedelta(days=400)).isoformat()
    assert cli.main(["token", "create", "--role", "auditor", "--expires", until]) == 0
    capsys.readouterr()

    assert (
        cli.main(["token", "change", token_id, "--role", "treasurer", "--org", "NA"])
        == 0
    )
    assert (
        cli.main(
            ["token", "revoke", token_id, "--reason", "lost", "--actor", "cli:binh"]
        )
        == 0
    )
    assert cli.main(["token", "revoke", token_id]) == 1
    assert "token_revoked" in capsys.readouterr().err
    assert cli.main(["token", "list"]) == 0
    listing = capsys.readouterr().out

    header, *lines = listing.splitlines()
    assert header.split() == [
        "id", "role", "scope", "label", "created", "expires", "revoked", "by",
    ]  # fmt: skip
    (line,) = [x for x in lines if x.startswith(token_id)]
    assert " NA " in line
    assert "Chị Lan" in line
    assert line.endswith("cli:binh")
    assert secret.split("_", 2)[2] not in listing
    assert cli.main(["token", "verify"]) == 0

    with open_core(cli_database) as services:
        history = TokenStore(services.read_models.engine).history(token_id)
    assert history[0].actor == "cli:an"  # type: ignore[attr-defined]
    assert [type(e).__name__ for e in history] == ["Issued", "ScopeChanged", "Revoked"]


def test_the_command_line_refuses_a_bad_expiry_or_unknown_token(
    cli_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        cli.main(["token", "create", "--role", "admin", "--expires", "31/12/2026"])
    with pytest.raises(SystemExit):
        cli.main(["token", "create", "--role", "admin", "--expires", "2001-01-01"])
    with pytest.raises(SystemExit):
        cli.main(["token", "create", "--role", "admin", "--expires-in", "0"])
    with pytest.raises(SystemExit):
        cli.main(
            [
                "token",
                "create",
                "--role",
                "admin",
                "--expires-in",
                "3",
                "--expires",
                "2099-01-01",
            ]
        )
    capsys.readouterr()
    assert cli.main(["token", "revoke", "0badf00d"]) == 1
    assert "unknown_token" in capsys.readouterr().err


def test_verify_on_the_command_line_fails_on_a_forged_row(
    cli_database: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with open_core(cli_database) as services:
        store = TokenStore(services.read_models.engine)
        store.create(Role.PUBLIC)
        with store.engine.begin() as conn:
            conn.execute(
                insert(store.tokens).values(
                    token_id="deadbeef",  # noqa: S106 -- an id, not a secret
                    digest="1" * 64,
                    role="admin",
                    created_at=NOW.replace(tzinfo=None),
                    last_actor="nobody",
                    version=1,
                )
            )
    capsys.readouterr()

    assert cli.main(["token", "verify"]) == 1
    assert "deadbeef: in api_tokens, but no event issued it" in capsys.readouterr().out
