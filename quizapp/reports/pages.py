"""What each report page shows and exports, put together from the queries for the views.

Page data and export tables come from the same query results, so a CSV says what the page
says. Headings and status words are translated here; files are written by `exports`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from functools import cached_property

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from quizapp.auth.models import User
from quizapp.banks.format import Question
from quizapp.crews.models import Crew, Site
from quizapp.database import MAX_ID
from quizapp.quizzes.models import Attempt
from quizapp.quizzes.presenting import ShownQuestion, present, shown_letters
from quizapp.quizzes.status import Status
from quizapp.reports import charts, queries
from quizapp.reports.exports import Column, Ledger, LedgerEntry, Table
from quizapp.reports.queries import (
    AttemptRow,
    CrewFigures,
    Figures,
    MonthFigures,
    RequirementRow,
    Rule,
    Scope,
    SiteFigures,
)

#: Months shown in the trend when no date range is chosen, and at most with one.
DEFAULT_MONTHS = 6
MAX_MONTHS = 36

#: Words for a worker's standing, as a manager reads them.
STATUS_NAMES = {
    Status.PASSED: _l("Passed"),
    Status.IN_PROGRESS: _l("In progress"),
    Status.FAILED: _l("Not passed yet"),
    Status.NO_ATTEMPTS_LEFT: _l("No attempts left"),
    Status.NOT_STARTED: _l("Not started"),
    Status.OVERDUE: _l("Overdue"),
    Status.EXPIRED: _l("Expired"),
}

#: The parts of a stacked bar, in order, with their legend.
SEGMENT_NAMES = {
    "passed": _l("Passed"),
    "expiring": _l("Expiring within 30 days"),
    "in_progress": _l("In progress"),
    "failed": _l("Not passed yet"),
    "not_started": _l("Not started"),
    "overdue": _l("Overdue"),
    "expired": _l("Expired"),
}


@dataclass(frozen=True)
class Filters:
    """The filters of a report page, as chosen in its form (query string)."""

    site_id: int | None = None
    crew_id: int | None = None
    bank_id: int | None = None
    since: date | None = None
    until: date | None = None

    @classmethod
    def parse(cls, args: Mapping[str, str]) -> Filters:
        """Read the filters from query arguments; ValueError when one is malformed."""

        def number(name: str) -> int | None:
            value = (args.get(name) or "").strip()
            if not value:
                return None
            number = int(value)
            if not 1 <= number <= MAX_ID:
                raise ValueError(f"{name} is not an id")
            return number

        def day(name: str) -> date | None:
            value = (args.get(name) or "").strip()
            return date.fromisoformat(value) if value else None

        filters = cls(number("site"), number("crew"), number("bank"), day("from"), day("to"))
        if filters.since and filters.until and filters.since > filters.until:
            raise ValueError("the range ends before it starts")
        return filters

    def args(self, **changes) -> dict[str, str]:
        """The filters as query arguments (for links), with some changed."""
        values = {
            "site": self.site_id,
            "crew": self.crew_id,
            "bank": self.bank_id,
            "from": self.since.isoformat() if self.since else None,
            "to": self.until.isoformat() if self.until else None,
        }
        values.update(changes)
        return {key: str(value) for key, value in values.items() if value is not None}

    def apply(self, scope: Scope, zone: tzinfo) -> Scope:
        """The scope narrowed by these filters; days are whole days in the display zone."""
        since = datetime.combine(self.since, time.min, tzinfo=zone) if self.since else None
        until = (
            datetime.combine(self.until + timedelta(days=1), time.min, tzinfo=zone)
            if self.until
            else None
        )
        return scope.narrowed(
            site_id=self.site_id if self.site_id is not None else scope.site_id,
            crew_id=self.crew_id if self.crew_id is not None else scope.crew_id,
            bank_id=self.bank_id,
            since=since,
            until=until,
        )


@dataclass(frozen=True)
class Report:
    """Completion of a part of the company: per crew and site, in total, and by month."""

    rules: list[Rule]
    crews: list[CrewFigures]
    months: list[MonthFigures]

    @cached_property
    def sites(self) -> list[SiteFigures]:
        """The crews' figures by site."""
        return queries.by_site(self.crews)

    @property
    def total(self) -> Figures:
        """The figures of every crew together."""
        return sum((crew.figures for crew in self.crews), Figures())

    @property
    def chart(self) -> charts.TrendChart:
        """The monthly trend as a chart."""
        return charts.trend_chart([(m.month.label, m.passes, m.pass_rate) for m in self.months])


def trend_months(scope: Scope, now: datetime, zone: tzinfo) -> list[queries.Month]:
    """The months of the trend: those of the date range, else the last six."""
    last = scope.until - timedelta(microseconds=1) if scope.until else now
    if scope.since is not None:
        first = scope.since
    else:
        local = last.astimezone(zone)
        year, month = divmod(local.year * 12 + local.month - 1 - (DEFAULT_MONTHS - 1), 12)
        first = datetime(year, month + 1, 1, tzinfo=zone)
    return queries.months_between(first, last, zone)[-MAX_MONTHS:]


def completion_report(session: Session, scope: Scope, now: datetime, zone: tzinfo) -> Report:
    """Figures per crew and month for the scope (two queries)."""
    rules = queries.assignment_rules(session, scope)
    crews, months = queries.completion(session, scope, rules, now, trend_months(scope, now, zone))
    return Report(rules, crews, months)


@dataclass(frozen=True)
class Bar:
    """A stacked bar as the report tables draw it, with the words a screen reader says."""

    segments: list[charts.Segment]
    label: str


def bar(figures: Figures, names: Mapping[str, str], nothing: str) -> Bar:
    """The stacked bar of `figures`; `names` are the segments' translated names, `nothing`
    what to say when nothing is required."""
    segments = charts.stacked_bar(figures.segments)
    label = ", ".join(f"{names[s.name]}: {s.count}" for s in segments) or nothing
    return Bar(segments, label)


def percent(value: float | None) -> str:
    """A share as a whole percentage ("—" for none)."""
    return "—" if value is None else f"{value:.0f}%"


# --- drill-down ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkerLine:
    """A worker on the crew page, with their standing for each required quiz (or None)."""

    user: User
    entries: tuple[RequirementRow | None, ...]


def crew_lines(
    workers: Sequence[User], rules: Sequence[Rule], rows: Sequence[RequirementRow]
) -> list[WorkerLine]:
    """One line per worker and one entry per rule: the crew page's matrix."""
    by_pair = {(row.user_id, row.assignment_id): row for row in rows}
    return [
        WorkerLine(worker, tuple(by_pair.get((worker.id, r.assignment_id)) for r in rules))
        for worker in workers
    ]


def status_text(row: RequirementRow) -> str:
    """A standing in words: the status, and how long a pass is valid."""
    if row.status == Status.PASSED and row.valid_until is not None:
        if row.expiring:
            return _("Expires %(date)s", date=format_date(row.valid_until))
        return _("Passed, valid until %(date)s", date=format_date(row.valid_until))
    return str(STATUS_NAMES[row.status])


def status_word(row: RequirementRow) -> str:
    """A standing in a word or two, for tables that give its dates beside it."""
    if row.expiring:
        return _("Passed, expiring soon")
    return str(STATUS_NAMES[row.status])


def due_heading(rule: Rule) -> str:
    """A required quiz as a column heading: its title and due date."""
    return _(
        "%(title)s, due %(date)s", title=rule.title, date=format_date(rule.due_at, "yyyy-MM-dd")
    )


def status_class(row: RequirementRow) -> str:
    """The CSS class of a standing (expiring passes have their own)."""
    return "expiring" if row.expiring else row.status.value


@dataclass(frozen=True)
class ReviewedAnswer:
    """One question of an attempt as an officer reviews it: asked, chosen, key, right or not."""

    position: int
    question: Question
    shown: ShownQuestion
    selected: str
    points: float | None
    correct: bool

    @property
    def chosen(self) -> str:
        """The worker's choice, as they saw it ("B. …")."""
        return describe(self.selected, self.shown)

    @property
    def key(self) -> str:
        """The right answer, with texts, in the labels the worker saw."""
        return describe("".join(self.question.answer), self.shown)

    @property
    def chosen_letters(self) -> str:
        """The worker's choice as the letters they saw ("A、C")."""
        return shown_letters(self.selected, self.shown)

    @property
    def key_letters(self) -> str:
        """The right answer as the letters the worker saw."""
        return shown_letters("".join(self.question.answer), self.shown)


def describe(selection: str, shown: ShownQuestion) -> str:
    """Letters of a selection with their texts, in the order the worker saw the choices."""
    parts = [
        f"{choice.label}. {choice.text}" if choice.label else choice.text
        for choice in shown.choices
        if choice.value in selection
    ]
    return "; ".join(parts)


def reviewed_answers(attempt: Attempt, answers: Mapping) -> list[ReviewedAnswer]:
    """Every drawn question of a submitted attempt with the answer given (or none)."""
    content = attempt.content
    reviewed = []
    for position, drawn in enumerate(attempt.drawn, start=1):
        question = content.question(drawn.question_id)
        answer = answers.get(question.id)
        reviewed.append(
            ReviewedAnswer(
                position=position,
                question=question,
                shown=present(question, drawn, content.language),
                selected=answer.selected if answer else "",
                points=answer.points if answer else 0.0,
                correct=bool(answer and answer.correct),
            )
        )
    return reviewed


# --- tables for export --------------------------------------------------------------------


def _figure_columns() -> list[Column]:
    return [
        Column(_("Workers"), "int"),
        Column(_("Required quizzes"), "int"),
        Column(_("Passed (valid)"), "int"),
        Column(_("Expiring within 30 days"), "int"),
        Column(_("In progress"), "int"),
        Column(_("Not passed yet"), "int"),
        Column(_("Of which no attempts left"), "int"),
        Column(_("Not started"), "int"),
        Column(_("Overdue"), "int"),
        Column(_("Expired"), "int"),
        Column(_("Completion %"), "percent"),
        Column(_("Pass rate %"), "percent"),
        Column(_("Average best score %"), "percent"),
        Column(_("Attempts submitted"), "int"),
        Column(_("Attempts passed"), "int"),
    ]


def _figure_values(f: Figures) -> tuple:
    return (
        f.workers,
        f.required,
        f.passed,
        f.expiring,
        f.in_progress,
        f.failed,
        f.no_attempts_left,
        f.not_started,
        f.overdue,
        f.expired,
        f.completion,
        f.pass_rate,
        f.average_best,
        f.submitted,
        f.passes,
    )


def crews_table(report: Report) -> Table:
    """Each crew's figures."""
    columns = [Column(_("Site")), Column(_("Crew")), *_figure_columns()]
    rows = tuple((c.site_name or "", c.crew_name, *_figure_values(c.figures)) for c in report.crews)
    return Table("crews", _("Completion by crew"), tuple(columns), rows)


def sites_table(report: Report) -> Table:
    """Each site's figures."""
    columns = [Column(_("Site")), *_figure_columns()]
    rows = tuple((s.site_name or _("No site"), *_figure_values(s.figures)) for s in report.sites)
    return Table("sites", _("Completion by site"), tuple(columns), rows)


def trend_table(report: Report) -> Table:
    """Attempts, passes and the pass rate per month."""
    columns = [
        Column(_("Month")),
        Column(_("Attempts submitted"), "int"),
        Column(_("Completions (passes)"), "int"),
        Column(_("Pass rate %"), "percent"),
    ]
    rows = tuple((m.month.label, m.submitted, m.passes, m.pass_rate) for m in report.months)
    return Table("trend", _("Completions by month"), tuple(columns), rows)


def workers_table(crew: Crew, rules: Sequence[Rule], lines: Sequence[WorkerLine]) -> Table:
    """The crew's workers with status, pass date and valid-until per required quiz."""
    columns = [Column(_("Employee no.")), Column(_("Name"))]
    for rule in rules:
        label = due_heading(rule)
        columns += [
            Column(f"{label}: {_('Status')}"),
            Column(f"{label}: {_('Passed on')}", "date"),
            Column(f"{label}: {_('Valid until')}", "date"),
            Column(f"{label}: {_('Best score %')}", "percent"),
        ]
    rows = []
    for line in lines:
        values: list = [line.user.employee_no, line.user.name]
        for entry in line.entries:
            if entry is None:
                values += ["—", None, None, None]
            else:
                values += [
                    status_word(entry),
                    entry.passed_at,
                    entry.valid_until,
                    entry.best_percent,
                ]
        rows.append(tuple(values))
    title = _("Workers of %(crew)s", crew=crew.name)
    return Table("workers", title, tuple(columns), tuple(rows))


def ledger(
    crew: Crew,
    site: Site | None,
    rules: Sequence[Rule],
    lines: Sequence[WorkerLine],
    now: datetime,
) -> Ledger:
    """The crew's training ledger (台账)."""
    place = f"{crew.name} ({site.name})" if site else crew.name
    return Ledger(
        title=_("Safety training ledger: %(crew)s", crew=place),
        subtitle=_(
            "Status on %(date)s. Every attempt is kept with the bank version it used.",
            date=format_date(now),
        ),
        headings=(
            _("No."),
            _("Employee no."),
            _("Name"),
            _("Status"),
            _("Passed on"),
            _("Valid until"),
        ),
        quizzes=tuple(due_heading(rule) for rule in rules),
        rows=tuple(
            (
                line.user.employee_no,
                line.user.name,
                tuple(
                    None
                    if entry is None
                    else LedgerEntry(status_word(entry), entry.passed_at, entry.valid_until)
                    for entry in line.entries
                ),
            )
            for line in lines
        ),
    )


def requirements_table(rules: Sequence[Rule], rows: Sequence[RequirementRow]) -> Table:
    """A worker's standing with each quiz required of them."""
    by_id = {rule.assignment_id: rule for rule in rules}
    columns = [
        Column(_("Quiz")),
        Column(_("Due"), "date"),
        Column(_("Status")),
        Column(_("Passed on"), "date"),
        Column(_("Valid until"), "date"),
        Column(_("Best score %"), "percent"),
        Column(_("Attempts"), "int"),
    ]
    values = tuple(
        (
            by_id[row.assignment_id].title,
            by_id[row.assignment_id].due_at,
            status_word(row),
            row.passed_at,
            row.valid_until,
            row.best_percent,
            row.attempts,
        )
        for row in rows
    )
    return Table("assignments", _("Required quizzes"), tuple(columns), values)


def attempts_table(attempts: Sequence[AttemptRow]) -> Table:
    """A worker's attempts."""
    columns = [
        Column(_("Quiz")),
        Column(_("Bank version"), "int"),
        Column(_("Attempt"), "int"),
        Column(_("Started"), "datetime"),
        Column(_("Submitted"), "datetime"),
        Column(_("Time taken"), "duration"),
        Column(_("Points"), "number"),
        Column(_("Out of"), "int"),
        Column(_("Percent"), "percent"),
        Column(_("Result")),
    ]
    rows = tuple(
        (
            a.title,
            a.version,
            a.number,
            a.started_at,
            a.submitted_at,
            a.time_taken,
            a.score,
            a.max_score if a.score is not None else None,
            a.percent,
            result_text(a),
        )
        for a in attempts
    )
    return Table("attempts", _("Attempts"), tuple(columns), rows)


def result_text(attempt: AttemptRow) -> str:
    """Passed, not passed, or still running."""
    if attempt.submitted_at is None:
        return _("In progress")
    return _("Passed") if attempt.passed else _("Not passed")


def answers_table(reviewed: Sequence[ReviewedAnswer]) -> Table:
    """The questions of an attempt with the answer chosen and the key."""
    columns = [
        Column(_("No."), "int"),
        Column(_("Question")),
        Column(_("Chosen")),
        Column(_("Right answer")),
        Column(_("Correct")),
        Column(_("Points"), "number"),
        Column(_("Out of"), "int"),
    ]
    rows = tuple(
        (
            item.position,
            item.shown.text,
            item.chosen or "—",
            item.key,
            _("yes") if item.correct else _("no"),
            item.points or 0,
            item.question.points,
        )
        for item in reviewed
    )
    return Table("answers", _("Answers"), tuple(columns), rows)
