"""Stored item analyses: the JSON they are kept in, and when one is still good enough to show.

Pure: no Flask, no database. Computing a version's analysis reads every answer of its finished
attempts, which at tens of thousands of attempts takes about a second; the officer's page shows
the stored result instead, as long as it is current. Like Moodle's quiz statistics, a stored
analysis stays in use for a while after new attempts finish (the page says how many), so a busy
bank is not recomputed on every view, and an officer can have it recalculated at once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from quizapp.analytics.items import Flag, ItemStats, QuizAnalysis, TopicStat, VersionAnalysis

#: Bumped when the stored shape changes; a snapshot of another format is computed again.
FORMAT = 1


@dataclass(frozen=True)
class Fingerprint:
    """What tells whether new attempts have finished: how many there are, and the latest."""

    attempts: int
    last_submitted_at: datetime | None


def is_current(
    stored: Fingerprint,
    computed_at: datetime,
    now: Fingerprint,
    at: datetime,
    max_age: timedelta,
) -> bool:
    """True when a snapshot taken at `computed_at` over `stored` may be shown at `at`.

    It may when no attempt has finished since (the fingerprints agree), or when it is younger
    than `max_age` however many have. A max_age of zero shows only exact snapshots.
    """
    return stored == now or at - computed_at < max_age


def dump(result: VersionAnalysis) -> str:
    """The analysis as compact JSON text."""
    analysis = result.analysis
    return json.dumps(
        {
            "format": FORMAT,
            "attempts": analysis.attempts,
            "mean_percent": analysis.mean_percent,
            "score_distribution": list(analysis.score_distribution),
            "kr20": analysis.kr20,
            "random_subsets": analysis.random_subsets,
            "items": [_dump_item(item) for item in analysis.items],
            "topics": {
                crew: [[topic.tag, topic.n, topic.facility] for topic in topics]
                for crew, topics in result.topics.items()
            },
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _dump_item(item: ItemStats) -> dict:
    return {
        "id": item.question_id,
        "n": item.n,
        "facility": item.facility,
        "point_biserial": item.discrimination_point_biserial,
        "upper_lower": item.discrimination_upper_lower,
        "counts": item.choice_counts,
        "flags": [flag.value for flag in item.flags],
    }


def load(text: str) -> VersionAnalysis | None:
    """The analysis `dump` wrote; None for a snapshot of another format."""
    data = json.loads(text)
    if data.get("format") != FORMAT:
        return None
    analysis = QuizAnalysis(
        attempts=data["attempts"],
        mean_percent=data["mean_percent"],
        score_distribution=tuple(data["score_distribution"]),
        kr20=data["kr20"],
        random_subsets=data["random_subsets"],
        items=tuple(_load_item(item) for item in data["items"]),
    )
    topics = {
        crew: [TopicStat(tag, n, facility) for tag, n, facility in rows]
        for crew, rows in data["topics"].items()
    }
    return VersionAnalysis(analysis, topics)


def _load_item(data: dict) -> ItemStats:
    counts: dict[str, int] = data["counts"]
    n = data["n"]
    return ItemStats(
        question_id=data["id"],
        n=n,
        facility=data["facility"],
        discrimination_point_biserial=data["point_biserial"],
        discrimination_upper_lower=data["upper_lower"],
        choice_counts=counts,
        # Shares are counts over n, as items.analyse makes them; not stored twice.
        choice_shares={letter: picked / n for letter, picked in counts.items()} if n else {},
        flags=tuple(Flag(value) for value in data["flags"]),
    )
