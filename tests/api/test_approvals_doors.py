"""Approving payments over HTTP (issue 15, item 5), on SQLite and PostgreSQL:
a payment above the threshold is pending — it holds its amount and counts
in no total — until the organisation's approver, never its recorder,
approves (it counts) or rejects it (its amount is free again)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from httpx2 import Response

from api.auth.tokens import Role
from api.cli import main as cli
from api.cli.subcommands import core_from_settings
from ledger import errors
from tests.api.conftest import Api
from tests.api.test_routes import problem

ORG = "/v1/organisations/NA-DC-DH"


@pytest.fixture
def approving(api: Api) -> Api:
    tokens = api.service.tokens
    api.tokens["approver"] = tokens.create(Role.APPROVER, "NA-DC-DH", "Chủ tịch").secret
    api.tokens["other approver"] = tokens.create(Role.APPROVER, "NA-QL-QT").secret
    assert api.donate("PT-1", 10_000_000, business_date="2022-03-01").status_code == 201
    limit = api.client.put(
        f"{ORG}/approval-threshold",
        json={"threshold_vnd": 5_000_000},
        headers=api.headers("approver"),
    )
    assert limit.status_code == 200, limit.text
    return api


def pay(api: Api, voucher: str, amount: int, who: str = "treasurer") -> Response:
    body = {
        "voucher_no": voucher,
        "amount_vnd": amount,
        "business_date": "2022-09-05",
        "category": "scholarship",
        "recipients": 2,
    }
    return api.post(f"{ORG}/disbursements", body, who=who)


def totals(api: Api) -> tuple[Any, Any]:
    balance = api.get(f"{ORG}/balance").json()["balance_vnd"]
    summary = api.get(f"{ORG}/summary", year=2022).json()["scholarships_vnd"]
    return balance, summary


def test_a_pending_payment_holds_its_amount_and_counts_in_no_total(
    approving: Api,
) -> None:
    paid = pay(approving, "PC-1", 6_000_000)
    assert paid.status_code == 201, paid.text
    assert paid.json()["pending"] is True
    assert totals(approving) == (10_000_000, 0)
    refused = problem(pay(approving, "PC-2", 4_500_000), 409, "insufficient_funds")
    assert [e["field"] for e in refused["errors"]] == ["body.amount_vnd"]
    small = pay(approving, "PC-3", 4_000_000)
    assert small.json()["pending"] is False
    assert totals(approving) == (6_000_000, 4_000_000)


def test_an_approved_payment_counts(approving: Api) -> None:
    pay(approving, "PC-1", 6_000_000)
    approved = approving.post(f"{ORG}/payments/PC-1/approval", {}, who="approver")
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    assert approved.json()["decided_by"].startswith("Chủ tịch (token:")
    assert totals(approving) == (4_000_000, 6_000_000)
    problem(
        approving.post(f"{ORG}/payments/PC-1/approval", {}, who="approver"),
        409,
        "not_pending",
    )


def test_a_rejected_payment_releases_its_amount(approving: Api) -> None:
    pay(approving, "PC-1", 6_000_000)
    rejected = approving.post(
        f"{ORG}/payments/PC-1/rejection", {"reason": "Thiếu hồ sơ"}, who="approver"
    )
    assert rejected.status_code == 200, rejected.text
    assert totals(approving) == (10_000_000, 0)
    assert pay(approving, "PC-2", 5_000_000).status_code == 201
    assert pay(approving, "PC-3", 5_000_000).status_code == 201
    assert totals(approving) == (0, 10_000_000)


def test_the_approver_may_not_approve_what_it_recorded(approving: Api) -> None:
    """An approver token is never a recorder of entries; a treasurer's own
    token may not approve; the recorder is compared by token, whatever the
    holder's name."""
    problem(pay(approving, "PC-9", 6_000_000, who="approver"), 403, "forbidden")
    pay(approving, "PC-1", 6_000_000)
    problem(
        approving.post(f"{ORG}/payments/PC-1/approval", {}, who="treasurer"),
        403,
        "forbidden",
    )


def test_whoever_recorded_a_payment_may_not_approve_it(approving: Api) -> None:
    """The ledger's own rule, whichever door: the same ``recorded_by``."""
    pay(approving, "PC-1", 6_000_000, who="treasurer")
    treasurer = approving.service.tokens.authenticate(approving.tokens["treasurer"])
    assert treasurer is not None
    with pytest.raises(errors.SelfApproval):
        approving.service.ledger.approve_payment(
            "NA-DC-DH", "PC-1", recorded_by=treasurer.name
        )
    renamed = f"Người khác (token:{treasurer.token_id})"
    with pytest.raises(errors.SelfApproval):
        approving.service.ledger.approve_payment(
            "NA-DC-DH", "PC-1", recorded_by=renamed
        )
    assert totals(approving) == (10_000_000, 0)


def test_no_one_but_the_organisations_approver_decides(approving: Api) -> None:
    pay(approving, "PC-1", 6_000_000)
    for who, status, code in [
        ("none", 401, "unauthenticated"),
        ("treasurer", 403, "forbidden"),
        ("admin", 403, "forbidden"),
        ("other approver", 403, "forbidden"),
    ]:
        problem(
            approving.post(f"{ORG}/payments/PC-1/approval", {}, who=who), status, code
        )
        problem(
            approving.post(f"{ORG}/payments/PC-1/rejection", {"reason": "x"}, who=who),
            status,
            code,
        )
    refused = approving.client.put(
        f"{ORG}/approval-threshold",
        json={"threshold_vnd": None},
        headers=approving.headers("treasurer"),
    )
    problem(refused, 403, "forbidden")
    assert totals(approving) == (10_000_000, 0)


def test_the_approver_closes_and_reopens_its_years(approving: Api) -> None:
    problem(
        approving.post(f"{ORG}/years/2022/close", {}, who="other approver"),
        403,
        "forbidden",
    )
    closed = approving.post(f"{ORG}/years/2022/close", {}, who="approver")
    assert closed.status_code == 200, closed.text
    reopened = approving.post(
        f"{ORG}/years/2022/reopen", {"reason": "Kiểm toán"}, who="approver"
    )
    assert reopened.status_code == 200, reopened.text


def test_approvals_on_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KHUYENHOC_DATABASE_URL", f"sqlite:///{tmp_path / 'd.sqlite3'}")
    assert cli.main(["demo"]) == 0
    assert cli.main(["approval-threshold", "--org", "NA-DC-DH", "--amount", "1"]) == 0
    with core_from_settings() as core:
        core.ledger.disburse(
            "NA-DC-DH",
            voucher_no="PC-CLI",
            amount=2,
            business_date=date(2023, 5, 2),
            category="award",
            recipients=1,
            recorded_by="Thủ quỹ",
        )
    capsys.readouterr()
    assert cli.main(["approve-payment", "--org", "NA-DC-DH", "--voucher", "PC-CLI",
                     "--recorded-by", "Thủ quỹ"]) == 1  # fmt: skip
    assert "self_approval" in capsys.readouterr().err
    assert cli.main(["approve-payment", "--org", "NA-DC-DH", "--voucher", "PC-CLI",
                     "--recorded-by", "Chủ tịch"]) == 0  # fmt: skip
    assert "PC-CLI approved" in capsys.readouterr().out
    assert cli.main(["reject-payment", "--org", "NA-DC-DH", "--voucher", "PC-CLI",
                     "--recorded-by", "Chủ tịch", "--reason", "x"]) == 1  # fmt: skip
    assert "not_pending" in capsys.readouterr().err
    assert cli.main(["approval-threshold", "--org", "NA-DC-DH", "--off"]) == 0
