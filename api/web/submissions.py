"""A form sent twice records once.

Every rendering of a form carries a fresh ``form_key``, bound to the signed-in
session (``new_key``; a key that is not is refused and the form comes back
with one that is, ``is_ours``). A submission claims its key in the API's
idempotency table before recording (``api.http.idempotency``: keyed by the
signed-in token's id and the key, with a digest of what was submitted and,
once recorded, the page it led to). The same key sent again — a double
click, a reload, a retry after a lost answer — leads to that same page
without running the command again; a copy sent while the first is still
being recorded waits for it (``finished``, a few seconds at most) and leads
to the same page, or is told it is still being recorded, and records
nothing; the same key with other content is
refused (``idempotency_key_reused``) and the form comes back with a new key.
Refusals release the key, so a corrected form goes through. This is the
API's ``Idempotency-Key`` for browsers, which cannot send headers.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass

from api.auth.tokens import Principal
from api.http.idempotency import IdempotencyStore, Seen, StoredAnswer, scope_of

MAX_KEY = 64
WAIT_PAUSE = 0.05


def new_key(secret: str) -> str:
    """A fresh key for one rendering of a form, bound to the signed-in token:
    a random part and its HMAC under the token's secret. A page elsewhere,
    which cannot read this site's pages or the cookie, cannot make one: the
    forms' defence against cross-site posts where a browser sends neither
    SameSite cookies nor an ``Origin`` header."""
    nonce = secrets.token_urlsafe(16)
    return f"{nonce}.{_mac(secret, nonce)}"


def is_ours(secret: str, form_key: str) -> bool:
    """Was ``form_key`` made by ``new_key`` for this token?"""
    nonce, _, mac = form_key.partition(".")
    return bool(secret and nonce and mac) and hmac.compare_digest(
        mac, _mac(secret, nonce)
    )


def _mac(secret: str, nonce: str) -> str:
    key = hashlib.sha256(b"khuyenhoc web form key|" + secret.encode()).digest()
    return hmac.new(key, nonce.encode(), hashlib.sha256).hexdigest()[:32]


def _digest(*parts: str) -> str:
    hashed = hashlib.sha256()
    for part in parts:
        hashed.update(hashlib.sha256(part.encode()).digest())
    return hashed.hexdigest()


@dataclass(frozen=True, slots=True)
class Submission:
    key_digest: str
    request_digest: str
    scope: str


def submission(
    principal: Principal, form_key: str, path: str, values: Mapping[str, str]
) -> Submission | None:
    """This submission's identity, keyed by the signed-in token; None without
    a usable key."""
    if not 0 < len(form_key) <= MAX_KEY or principal.token_id is None:
        return None
    fields = [f"{name}={values[name]}" for name in sorted(values)]
    return Submission(
        key_digest=_digest("web-form", principal.token_id, form_key),
        request_digest=_digest("POST", path, *fields),
        scope=scope_of(principal),
    )


def claim(store: IdempotencyStore, sent: Submission) -> Seen | None:
    """Claim the key before recording (None: it is ours); else what the
    first submission of this key did or is doing."""
    return store.claim(sent.key_digest, sent.request_digest, sent.scope)


def finished(
    store: IdempotencyStore, sent: Submission, seen: Seen, timeout: float
) -> Seen:
    """What the first submission came to, once it is recorded: a copy sent
    at the same moment (a double click) waits for it, a few seconds at
    most, so that it leads to the same page; still running after that, it
    is answered as such."""
    deadline = time.monotonic() + timeout
    while seen.answer is None and time.monotonic() < deadline:
        time.sleep(WAIT_PAUSE)
        found = store.look(sent.key_digest)
        if found is None:  # the first was refused: nothing to lead to
            return seen
        seen = found
    return seen


def remember(
    store: IdempotencyStore, sent: Submission, location: str, position: int
) -> None:
    store.finish(
        sent.key_digest,
        StoredAnswer(
            request_digest=sent.request_digest,
            status=303,
            body=b"",
            media_type="text/html",
            position=str(position),
            location=location,
        ),
    )


def forget(store: IdempotencyStore, sent: Submission) -> None:
    """The submission was refused: the key is free for a corrected one."""
    store.release(sent.key_digest)
