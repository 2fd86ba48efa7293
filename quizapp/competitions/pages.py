"""What the competition and star pages say: words for rules and verdicts, period bounds, ratings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _

from quizapp.auth.models import User
from quizapp.competitions import queries
from quizapp.competitions.models import Competition
from quizapp.competitions.standings import CrewStanding
from quizapp.competitions.stars import (
    DIFFERENT_QUIZZES,
    HIGH_SCORE_PERCENT,
    Month,
    RuleResult,
    StarRating,
    StarRule,
    rate,
)
from quizapp.crews.models import Crew
from quizapp.reports.exports import Column, Table


def day_start(day: date, zone: tzinfo) -> datetime:
    """The first moment of `day` in `zone`, as an aware datetime."""
    return datetime.combine(day, time.min, tzinfo=zone)


def period_bounds(first_day: date, last_day: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """[start, end) of a period given by its first and last day, both inclusive, in `zone`."""
    return day_start(first_day, zone), day_start(last_day + timedelta(days=1), zone)


def last_day(competition: Competition, zone: tzinfo) -> date:
    """The competition's last day (its end is the first moment after it)."""
    return (competition.ends_at.astimezone(zone) - timedelta(microseconds=1)).date()


def state(competition: Competition, now: datetime) -> str:
    """ "upcoming", "running" or "finished"."""
    if now < competition.starts_at:
        return "upcoming"
    return "running" if now < competition.ends_at else "finished"


def state_label(name: str) -> str:
    """A competition's state in words."""
    return {
        "upcoming": _("Not started yet"),
        "running": _("Running"),
        "finished": _("Finished"),
    }[name]


def rule_text(rule: StarRule) -> str:
    """The rule, as the star pages explain it."""
    return {
        StarRule.UP_TO_DATE: _(
            "Up to date: every quiz required of you and due by the end of the month has a "
            "valid pass at the end of the month (met when nothing is required)."
        ),
        StarRule.PASSED_IN_MONTH: _("Passed at least one quiz in the month."),
        StarRule.HIGH_SCORE: _(
            "Best score in the month of at least %(percent)d%%.", percent=HIGH_SCORE_PERCENT
        ),
        StarRule.FIRST_TRY: _(
            "Every quiz taken in the month was passed at the first attempt in that month."
        ),
        StarRule.TWO_QUIZZES: _(
            "Passed at least %(count)d different quizzes in the month.", count=DIFFERENT_QUIZZES
        ),
    }[rule]


def rule_name(rule: StarRule) -> str:
    """A short name for a rule, for table headings."""
    return {
        StarRule.UP_TO_DATE: _("Up to date"),
        StarRule.PASSED_IN_MONTH: _("Passed a quiz"),
        StarRule.HIGH_SCORE: _("Score ≥ %(percent)d%%", percent=HIGH_SCORE_PERCENT),
        StarRule.FIRST_TRY: _("First try"),
        StarRule.TWO_QUIZZES: _("%(count)d quizzes", count=DIFFERENT_QUIZZES),
    }[rule]


def rule_reason(result: RuleResult, titles: Mapping[int, str]) -> str:
    """Why the rule is met or not, with the quizzes and figures behind the verdict."""
    named = "、".join(titles.get(bank_id, "?") for bank_id in result.bank_ids)
    count = int(result.value or 0)
    if result.rule is StarRule.UP_TO_DATE:
        if not result.met:
            return _("Still without a valid pass: %(quizzes)s.", quizzes=named)
        if not count:
            return _("Nothing was required.")
        return ngettext(
            "The %(num)d required quiz has a valid pass.",
            "All %(num)d required quizzes have a valid pass.",
            count,
        )
    if result.rule in (StarRule.PASSED_IN_MONTH, StarRule.TWO_QUIZZES):
        if not count:
            return _("No quiz passed in the month.")
        return ngettext(
            "%(num)d quiz passed: %(quizzes)s.",
            "%(num)d different quizzes passed: %(quizzes)s.",
            count,
            quizzes=named,
        )
    if result.rule is StarRule.HIGH_SCORE:
        if result.value is None:
            return _("No quiz finished in the month.")
        return _("Best score: %(percent)s%%.", percent=format_decimal(result.value, "0.##"))
    if not count:
        return _("No quiz finished in the month.")
    if result.met:
        return ngettext(
            "%(num)d quiz taken, passed at the first attempt.",
            "All %(num)d quizzes taken were passed at the first attempt.",
            count,
        )
    return _("Not passed at the first attempt: %(quizzes)s.", quizzes=named)


@dataclass(frozen=True)
class WorkerStars:
    """One worker's stars for a month."""

    worker: User
    rating: StarRating


def worker_stars(
    workers: list[User], crew: Crew | None, month: Month, zone: tzinfo, now: datetime
) -> list[WorkerStars]:
    """Ratings of `workers` (all of `crew`, or one person) for `month`, in three queries."""
    start, end = month.start(zone), month.end(zone)
    as_of = min(now, end)
    attempts = queries.finished_attempts([w.id for w in workers], as_of)
    requirements = queries.requirements_of_crew(crew, end)
    return [
        WorkerStars(
            worker,
            rate(attempts.get(worker.id, []), requirements, start=start, end=end, as_of=as_of),
        )
        for worker in workers
    ]


def mentioned_banks(ratings: list[WorkerStars]) -> list[int]:
    """Every bank a verdict names, to look their titles up at once."""
    return sorted(
        {
            bank_id
            for item in ratings
            for result in item.rating.results
            for bank_id in result.bank_ids
        }
    )


def leaderboard_table(standings: Sequence[CrewStanding]) -> Table:
    """The leaderboard as an export table: the figures of the page, numbers as numbers."""
    columns = (
        Column(_("Rank"), "int"),
        Column(_("Crew")),
        Column(_("Site")),
        Column(_("Score"), "number"),
        Column(_("Participation"), "percent"),
        Column(_("Workers who took part"), "int"),
        Column(_("Workers"), "int"),
        Column(_("Accuracy"), "percent"),
        Column(_("Finished attempts"), "int"),
    )
    rows = tuple(
        (
            s.rank,
            s.tally.crew_name,
            s.tally.site_name,
            round(float(s.score), 1),
            float(s.participation) * 100,
            s.tally.participants,
            s.tally.workers,
            s.mean_best_percent,
            s.tally.attempts,
        )
        for s in standings
    )
    return Table("leaderboard", _("Leaderboard"), columns, rows)
