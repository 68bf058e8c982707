"""Point-in-time answers: to the instant for auditors and a treasurer of the
organisation; for the public, by the start of a day (no bisecting in time to
recover each entry's recording instant)."""

from __future__ import annotations

from datetime import datetime, timedelta

from ledger.types import VIETNAM
from tests.api.conftest import Api

BALANCE = "/v1/organisations/NA-DC-DH/balance"


def test_the_public_cannot_bisect_recording_instants(api: Api) -> None:
    before = datetime.now(VIETNAM)
    assert api.donate("PT-1", 1_000).status_code == 201
    after = datetime.now(VIETNAM) + timedelta(seconds=1)
    moments = {"before": before.isoformat(), "after": after.isoformat()}

    def asked(who: str, moment: str) -> dict[str, object]:
        answer = api.get(BALANCE, who, known_at=moment)
        assert answer.status_code == 200
        found: dict[str, object] = answer.json()
        return found

    for who in ("auditor", "treasurer"):  # the treasurer's scope holds it
        assert asked(who, moments["before"])["balance_vnd"] == 0
        assert asked(who, moments["after"])["balance_vnd"] == 1_000
    for who in ("none", "public", "outsider", "admin"):
        # Both instants fall on one day: the same answer, as of its start.
        first, second = asked(who, moments["before"]), asked(who, moments["after"])
        assert first == second
        shown = datetime.fromisoformat(str(first["known_at"]))
        assert (shown.hour, shown.minute, shown.second, shown.microsecond) == (
            0, 0, 0, 0,
        )  # fmt: skip
    tomorrow = (after + timedelta(days=1)).isoformat()
    assert asked("none", tomorrow)["balance_vnd"] == 1_000
