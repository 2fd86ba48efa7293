"""The report tests' company, and API tokens for it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from quizapp.api import services
from quizapp.extensions import db
from tests.reports.conftest import person, site, take, world  # noqa: F401 — shared fixtures


@pytest.fixture
def issue(app) -> Callable[..., dict[str, str]]:
    """Issue a token for some sites (by name; none: every site); return its auth header."""

    def issue(*site_names: str) -> dict[str, str]:
        _token, secret = services.issue_token(
            "HR system", [site(name) for name in site_names], by=None
        )
        db.session.commit()
        return {"Authorization": f"Bearer {secret}"}

    return issue
