"""Schemathesis against our own OpenAPI document: every operation fuzzed (`-m security`).

Whatever Schemathesis makes of the documented parameters (pages, sizes, ids, dates, odd
strings), the API answers with a documented status and a body matching the documented
schema, never a server error, and reading changes nothing. Every check Schemathesis has
runs, except "schema-valid data is accepted": some refusals are rules across parameters
that OpenAPI cannot state (a date range that ends before it starts is a documented 400).
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Attempt, User

pytestmark = pytest.mark.security


def _rows() -> tuple[int, int]:
    return (
        db.session.scalar(select(func.count()).select_from(User)),
        db.session.scalar(select(func.count()).select_from(Attempt)),
    )


def test_every_operation_answers_as_documented(app, world, issue):
    headers = issue()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    before = _rows()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 5
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
        def answers_as_documented(case):
            case.call_and_validate(
                headers=headers, excluded_checks=[checks.positive_data_acceptance]
            )
            db.session.rollback()

        answers_as_documented()
    assert _rows() == before
