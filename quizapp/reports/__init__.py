"""Managers' reports: completion, drill-down, exports; the report queries' indexes."""

from quizapp.reports import models  # noqa: F401 — registers the indexes with the metadata
