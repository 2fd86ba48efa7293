"""The item table as CSV text, for the download and `flask analytics items`; pure."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from quizapp.analytics.items import ITEM_TABLE_COLUMNS, QuizAnalysis, item_table_rows
from quizapp.banks.format import Question


def item_table_csv(analysis: QuizAnalysis, questions: Sequence[Question]) -> str:
    """One header line (ITEM_TABLE_COLUMNS) and one line per question, in bank order."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=ITEM_TABLE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(item_table_rows(analysis, questions))
    return out.getvalue()
