"""Schemathesis against the live OpenAPI schema: for generated requests to every
operation, no 5xx, and every answer matches the schema (status, content type,
body). Bounded: a few examples per operation, on SQLite and PostgreSQL.

(Schemathesis's own pytest plugin does not load under pytest 9, so the test
walks the operations itself and runs each one's Hypothesis strategy.)
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import Case
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.result import Ok

from tests.api.conftest import ApiFactory

EXAMPLES = 12
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def test_the_service_keeps_to_its_schema(open_api: ApiFactory) -> None:
    live = open_api(read_wait_seconds=0.05)
    schema = schemathesis.openapi.from_asgi("/openapi.json", live.client.app)
    operations = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result  # the schema itself is valid
        operations.append(result.ok())
    # issue 15: income, deposits, withdrawals, accounts, closing and reopening years
    assert len(operations) == 37  # 22, issue 15: 6 + approvals 3, learning: 6
    headers = live.headers("treasurer")
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        )
        def exercise(case: Case[Any]) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        exercise()
