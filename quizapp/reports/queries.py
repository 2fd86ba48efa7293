"""Read-only report queries: completion per crew, monthly trends and the drill-downs.

Every figure is aggregated in the database (GROUP BY), never by looping over attempts in
Python, and each function issues one statement whatever the number of workers.

The status of a worker with an assignment is computed in SQL by the same rules as
`quizapp.quizzes.status.standing`; `tests/reports/test_crosscheck.py` holds them to it. The
rules depend on each assignment's refresher interval and attempt limit (partly stored in
the bank's JSON), so they are worked out in Python first (`assignment_rules`, one query)
and handed to the database as a small table of bound values (`_rules_table`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Integer,
    Select,
    String,
    and_,
    bindparam,
    case,
    cast,
    exists,
    func,
    literal_column,
    null,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import Session

from quizapp.assignments.models import Assignment, assignment_crew
from quizapp.auth.models import Role, User
from quizapp.banks.models import Bank, BankVersion
from quizapp.crews.models import Crew, Site
from quizapp.database import UTCDateTime, stored_timestamp
from quizapp.quizzes.models import Answer, Attempt, AttemptTotals
from quizapp.quizzes.status import Status

#: A pass whose validity ends within this time counts as "expiring".
EXPIRING_WITHIN = timedelta(days=30)

#: Stands in for "never" among the bound rule values, which must all be real timestamps.
NEVER = datetime(1900, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Scope:
    """The part of the company a report covers, within what its reader may see.

    `sites` is the set of sites the reader may see; None means every site, and crews
    that have none. The other fields narrow the report further.
    """

    sites: frozenset[int] | None = None
    site_id: int | None = None
    crew_id: int | None = None
    user_id: int | None = None
    bank_id: int | None = None
    #: Assignments due, and attempts submitted, from `since` (inclusive) to `until` (exclusive).
    since: datetime | None = None
    until: datetime | None = None

    def sees_site(self, site_id: int | None) -> bool:
        """Whether the reader may see things placed on this site (None: crews without one)."""
        return self.sites is None or (site_id is not None and site_id in self.sites)

    def narrowed(self, **changes) -> Scope:
        """The same scope with some filters changed."""
        return replace(self, **changes)


@dataclass(frozen=True)
class Rule:
    """What one assignment asks: the quiz, the due date, the refresher interval, the limit."""

    assignment_id: int
    bank_id: int
    bank_slug: str
    title: str
    due_at: datetime
    site_id: int | None
    validity_days: int | None
    max_attempts: int | None

    def valid_until(self, passed_at: datetime | None) -> datetime | None:
        """When a pass made at `passed_at` stops counting (None: it never does)."""
        if passed_at is None or self.validity_days is None:
            return None
        return passed_at + timedelta(days=self.validity_days)


@dataclass(frozen=True)
class Figures:
    """Completion figures of a crew, a site or the company.

    Status counts are of required quizzes (one per worker and assignment); they add up to
    `required`. `failed` includes those with no attempts left (also counted on their own).
    """

    workers: int = 0
    required: int = 0
    passed: int = 0
    expiring: int = 0
    in_progress: int = 0
    failed: int = 0
    no_attempts_left: int = 0
    not_started: int = 0
    overdue: int = 0
    expired: int = 0
    best_total: float = 0.0
    best_count: int = 0
    submitted: int = 0
    passes: int = 0

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            **{name: getattr(self, name) + getattr(other, name) for name in _FIGURE_FIELDS}
        )

    @property
    def completion(self) -> float | None:
        """Share of required quizzes with a valid pass, in percent."""
        return 100 * self.passed / self.required if self.required else None

    @property
    def pass_rate(self) -> float | None:
        """Share of submitted attempts that passed, in percent."""
        return 100 * self.passes / self.submitted if self.submitted else None

    @property
    def average_best(self) -> float | None:
        """Average of each worker's best score per required quiz they attempted, in percent."""
        return self.best_total / self.best_count if self.best_count else None

    @property
    def segments(self) -> dict[str, int]:
        """The required quizzes split into parts that do not overlap, for a stacked bar."""
        return {
            "passed": self.passed - self.expiring,
            "expiring": self.expiring,
            "in_progress": self.in_progress,
            "failed": self.failed,
            "not_started": self.not_started,
            "overdue": self.overdue,
            "expired": self.expired,
        }


_FIGURE_FIELDS = tuple(Figures.__dataclass_fields__)


@dataclass(frozen=True)
class CrewFigures:
    """One crew's completion figures."""

    crew_id: int
    crew_name: str
    site_id: int | None
    site_name: str | None
    figures: Figures


@dataclass(frozen=True)
class SiteFigures:
    """One site's completion figures, with its crews'."""

    site_id: int | None
    site_name: str | None
    crews: list[CrewFigures] = field(default_factory=list)

    @property
    def figures(self) -> Figures:
        """The sum of the crews' figures (each worker belongs to one crew)."""
        return sum((c.figures for c in self.crews), Figures())


@dataclass(frozen=True)
class RequirementRow:
    """One worker's standing with one assignment, as the database derived it."""

    assignment_id: int
    user_id: int
    employee_no: str
    name: str
    crew_id: int
    status: Status
    expiring: bool
    attempts: int
    best_percent: float | None
    passed_at: datetime | None
    valid_until: datetime | None


@dataclass(frozen=True)
class Month:
    """A calendar month in the display time zone, as a UTC interval."""

    label: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class MonthFigures:
    """Attempts submitted in a month: how many, and how many passed."""

    month: Month
    submitted: int
    passes: int

    @property
    def pass_rate(self) -> float | None:
        """Share of the month's attempts that passed, in percent."""
        return 100 * self.passes / self.submitted if self.submitted else None


@dataclass(frozen=True)
class AttemptRow:
    """An attempt as the drill-down lists it."""

    id: int
    user_id: int
    bank_id: int
    bank_slug: str
    title: str
    version: int
    number: int
    started_at: datetime
    submitted_at: datetime | None
    finished_by: str | None
    score: float | None
    max_score: int | None
    percent: float | None
    passed: bool | None

    @property
    def time_taken(self) -> timedelta | None:
        """From start to submission."""
        return self.submitted_at - self.started_at if self.submitted_at else None


# --- the scope as SQL conditions ------------------------------------------------------


def _crew_conditions(scope: Scope) -> list:
    """Conditions on Crew selecting the crews in scope, with the scope's values in them."""
    return _bound_crew_conditions(_Shape.of(scope, ()), _scope_values(scope))


def _worker_conditions(scope: Scope) -> list:
    """Conditions on User selecting the workers a report counts: active, in a crew in scope."""
    return _bound_worker_conditions(_Shape.of(scope, ()), _scope_values(scope))


def _scope_values(scope: Scope) -> dict[str, Any]:
    """The values of the scope's parameters, by name."""
    return {
        "sites": sorted(scope.sites or ()),
        "site_id": scope.site_id,
        "crew_id": scope.crew_id,
        "user_id": scope.user_id,
        "since": scope.since,
        "until": scope.until,
    }


def _bind(values: dict[str, Any] | None, name: str, type_=Integer, **options):
    """Parameter `name`: bound when its statement runs (no `values`: a kept statement, see
    `_Shape`), else holding `values[name]` under a name of its own, as a literal would."""
    if values is None:
        return bindparam(name, type_=type_, **options)
    return bindparam(name, values[name], type_=type_, unique=True, **options)


# --- statements built once per shape --------------------------------------------------------


@dataclass(frozen=True)
class _Shape:
    """What a completion statement's SQL depends on; its values are bound when it runs.

    Building the company page's statement (forty rules, six months) and its cache key took
    longer than SQLAlchemy's compiling it once: so each shape's statement is built once per
    process and run with `_parameters`. Its bound parameters carry no values of their own,
    so one left out of `_parameters` fails loudly instead of running with another's value.
    """

    rules: int
    #: Two rules ask the same quiz (see `_parts`, `counted`).
    shared_banks: bool
    months: int
    sites: bool
    site: bool
    crew: bool
    user: bool
    since: bool
    until: bool
    #: By id from `after` (bound), at most `limit` (bound) rows, as the API pages.
    paged: bool = False
    limited: bool = False

    @classmethod
    def of(
        cls,
        scope: Scope,
        rules: Sequence[Rule],
        months: Sequence[Month] = (),
        *,
        after: int | None = None,
        limit: int | None = None,
    ) -> _Shape:
        return cls(
            rules=len(rules),
            shared_banks=len({rule.bank_id for rule in rules}) < len(rules),
            months=len(months),
            sites=scope.sites is not None,
            site=scope.site_id is not None,
            crew=scope.crew_id is not None,
            user=scope.user_id is not None,
            since=scope.since is not None,
            until=scope.until is not None,
            paged=after is not None or limit is not None,
            limited=limit is not None,
        )

    @property
    def dated(self) -> bool:
        return self.since or self.until


def _parameters(
    scope: Scope,
    rules: Sequence[Rule],
    now: datetime,
    months: Sequence[Month] = (),
    *,
    after: int | None = None,
    limit: int | None = None,
) -> dict[str, Any]:
    """The values every parameter of the statement of this shape is bound to."""
    values: dict[str, Any] = {
        **_scope_values(scope),
        "now": now,
        "after": after or 0,
        "limit": limit,
    }
    for index, rule in enumerate(rules):
        if rule.validity_days is None:
            pass_cutoff = expiring_cutoff = NEVER
        else:
            validity = timedelta(days=rule.validity_days)
            pass_cutoff = now - validity
            expiring_cutoff = now + EXPIRING_WITHIN - validity
        values |= {
            f"rule_{index}_assignment_id": rule.assignment_id,
            f"rule_{index}_bank_id": rule.bank_id,
            f"rule_{index}_site_id": rule.site_id,
            f"rule_{index}_due_at": rule.due_at,
            f"rule_{index}_pass_cutoff": pass_cutoff,
            f"rule_{index}_expiring_cutoff": expiring_cutoff,
            f"rule_{index}_max_attempts": rule.max_attempts,
        }
    if months:
        upper = min(filter(None, (months[-1].end, scope.until)))
        values["trend_from"] = max(filter(None, (months[0].start, scope.since)))
        for index, month in enumerate(months):
            values[f"month_{index}_end"] = min(month.end, upper)
    return values


@lru_cache(maxsize=64)
def _statement(build: Callable[[_Shape], Select], shape: _Shape) -> Select:
    """What `build` makes of `shape`, built on first use and kept for the most used shapes
    (statements are immutable: the threads of a process share them)."""
    return build(shape)


def _bound_crew_conditions(shape: _Shape, values: dict[str, Any] | None = None) -> list:
    """The crews of a scope of `shape`; its values bound when the statement runs, or given."""
    conditions = []
    if shape.sites:
        conditions.append(Crew.site_id.in_(_bind(values, "sites", expanding=True)))
    if shape.site:
        conditions.append(Crew.site_id == _bind(values, "site_id"))
    if shape.crew:
        conditions.append(Crew.id == _bind(values, "crew_id"))
    if shape.user:
        crew_of_user = (
            select(User.crew_id).where(User.id == _bind(values, "user_id")).scalar_subquery()
        )
        conditions.append(Crew.id == crew_of_user)
    return conditions


def _bound_worker_conditions(shape: _Shape, values: dict[str, Any] | None = None) -> list:
    """The workers a report counts in a scope of `shape`: active, in a crew in scope."""
    conditions = [User.role == Role.WORKER, User.active.is_(True)]
    if shape.user:
        conditions.append(User.id == _bind(values, "user_id"))
    return conditions


# --- assignments and their rules -------------------------------------------------------


#: The quiz settings the status rules need, by the content hash of a bank version: content
#: never changes under its hash, so once read (from the version's JSON, slow to take apart
#: when a bank is large) they are kept. Bounded, since its hashes travel with every query.
_QUIZ_SETTINGS: dict[str, tuple[int | None, int | None]] = {}
_QUIZ_SETTINGS_MAX = 200


def assignment_rules(session: Session, scope: Scope) -> list[Rule]:
    """The active assignments that reach into the scope, soonest due first (one query).

    The refresher interval and attempt limit come from the assignment, else from the
    newest version of its bank, as `Assignment.validity_days` has it. The version's quiz
    settings are read from its JSON only the first time they are needed.
    """
    latest = (
        select(BankVersion.bank_id, func.max(BankVersion.number).label("number"))
        .group_by(BankVersion.bank_id)
        .subquery()
    )
    crews = _crew_conditions(scope)
    by_site = exists(select(Crew.id).where(Crew.site_id == Assignment.site_id, *crews))
    by_crew = exists(
        select(Crew.id)
        .join(assignment_crew, assignment_crew.c.crew_id == Crew.id)
        .where(assignment_crew.c.assignment_id == Assignment.id, *crews)
    )
    if len(_QUIZ_SETTINGS) > _QUIZ_SETTINGS_MAX:
        _QUIZ_SETTINGS.clear()
    known = sorted(_QUIZ_SETTINGS)
    quiz = case((BankVersion.content_hash.in_(known), None), else_=BankVersion.content["quiz"])
    query = (
        select(
            Assignment.id,
            Assignment.bank_id,
            Bank.slug,
            BankVersion.title,
            Assignment.due_at,
            Assignment.site_id,
            Assignment.valid_for_days,
            BankVersion.content_hash,
            quiz,
        )
        .join(Bank, Bank.id == Assignment.bank_id)
        .join(latest, latest.c.bank_id == Assignment.bank_id)
        .join(
            BankVersion,
            and_(BankVersion.bank_id == latest.c.bank_id, BankVersion.number == latest.c.number),
        )
        .where(
            Assignment.cancelled_at.is_(None),
            or_(
                and_(Assignment.site_id.is_not(None), by_site),
                and_(Assignment.site_id.is_(None), by_crew),
            ),
        )
        .order_by(Assignment.due_at, Assignment.id)
    )
    if scope.bank_id is not None:
        query = query.where(Assignment.bank_id == scope.bank_id)
    if scope.since is not None:
        query = query.where(Assignment.due_at >= scope.since)
    if scope.until is not None:
        query = query.where(Assignment.due_at < scope.until)
    rules = []
    for row in session.execute(query):
        content_hash, settings = row[7], row[8]
        if settings is not None:
            _QUIZ_SETTINGS[content_hash] = (
                settings.get("valid_for_days"),
                settings.get("max_attempts"),
            )
        validity, max_attempts = _QUIZ_SETTINGS[content_hash]
        rules.append(
            Rule(
                assignment_id=row[0],
                bank_id=row[1],
                bank_slug=row[2],
                title=row[3],
                due_at=row[4],
                site_id=row[5],
                validity_days=row[6] if row[6] is not None else validity,
                max_attempts=max_attempts,
            )
        )
    return rules


def _rules_table(count: int):
    """The rules as a table of bound values the database joins with (a CTE).

    For each assignment: a pass made after `pass_cutoff` is still valid, and a valid pass
    made at or before `expiring_cutoff` runs out within EXPIRING_WITHIN. `site_id` is the
    site a site-wide assignment reaches (else NULL: it names crews). The values are bound
    by `_parameters`, rule by rule.
    """
    rows = []
    for index in range(count):

        def value(name: str, type_, index=index):
            return bindparam(f"rule_{index}_{name}", type_=type_)

        rows.append(
            select(
                value("assignment_id", Integer).label("assignment_id"),
                value("bank_id", Integer).label("bank_id"),
                cast(value("site_id", Integer), Integer).label("site_id"),
                value("due_at", UTCDateTime).label("due_at"),
                value("pass_cutoff", UTCDateTime).label("pass_cutoff"),
                value("expiring_cutoff", UTCDateTime).label("expiring_cutoff"),
                cast(value("max_attempts", Integer), Integer).label("max_attempts"),
            )
        )
    compound = rows[0] if len(rows) == 1 else union_all(*rows)
    return compound.cte("assignment_rule")


def _requirements(shape: _Shape, rules):
    """Every (assignment, worker) pair in scope: who must take which quiz, in which crew.

    The assignment's site and quiz come from the rules table, so the assignment table is
    not read again; the workers of a crew come from ix_app_user_crew_worker alone.
    """
    crews = _bound_crew_conditions(shape)
    workers = _bound_worker_conditions(shape)
    columns = (
        rules.c.assignment_id,
        rules.c.bank_id,
        User.id.label("user_id"),
        Crew.id.label("crew_id"),
    )
    by_crew = (
        select(*columns)
        .select_from(rules)
        .join(assignment_crew, assignment_crew.c.assignment_id == rules.c.assignment_id)
        .join(Crew, Crew.id == assignment_crew.c.crew_id)
        .join(User, User.crew_id == Crew.id)
        .where(rules.c.site_id.is_(None), *crews, *workers)
    )
    by_site = (
        select(*columns)
        .select_from(rules)
        .join(Crew, Crew.site_id == rules.c.site_id)
        .join(User, User.crew_id == Crew.id)
        .where(*crews, *workers)
    )
    return union_all(by_crew, by_site).cte("requirement")


def _submitted_within(shape: _Shape):
    """Attempts submitted within the scope's dates (all submitted ones without dates)."""
    conditions = [Attempt.submitted_at.is_not(None)]
    submitted = stored_timestamp(Attempt.submitted_at)
    if shape.since:
        conditions.append(submitted >= bindparam("since", type_=UTCDateTime))
    if shape.until:
        conditions.append(submitted < bindparam("until", type_=UTCDateTime))
    return and_(*conditions)


def _month_bucket(count: int):
    """The index of the trend month an attempt was submitted in (NULL: outside them all).

    Months are bucketed by bounds computed in the display time zone, so the SQL is the
    same on every database; the scope's dates cut the first and last month short
    (`_parameters`: `trend_from`, `month_<i>_end`).
    """
    submitted = stored_timestamp(Attempt.submitted_at)
    return case(
        (submitted < bindparam("trend_from", type_=UTCDateTime), None),
        *[
            (submitted < bindparam(f"month_{index}_end", type_=UTCDateTime), index)
            for index in range(count)
        ],
        else_=None,
    )


#: Whether this SQLite takes `WITH name AS MATERIALIZED` (3.35, 2021, and newer).
SQLITE_MATERIALIZES = sqlite3.sqlite_version_info >= (3, 35)


@dataclass(frozen=True)
class _Parts:
    """The common table expressions every report query starts from."""

    rules: Any
    requirement: Any
    #: One row per requirement and attempt at its quiz (one with NULLs for none); only
    #: built when months or dates are asked for, since it reads the attempts themselves.
    probed: Any
    standing: Any


def _parts(shape: _Shape) -> _Parts:
    """Requirements, their attempt totals, and each requirement's status and counts.

    A requirement's standing comes from the totals of the worker's attempts at its quiz
    (`AttemptTotals`, one row per worker and quiz), not from the attempts. Only what is
    bounded by dates reads attempts: the trend over `months`, and the submitted and passed
    counts when the scope has dates; those come from ix_attempt_user_bank_outcome alone
    (`probed`). A worker asked the same quiz by two assignments has one set of attempts at
    it: those count as submitted (and in the trend) with the first of the assignments only
    (`counted`), which is looked up only when two rules share a quiz.

    The status CASE is `quizapp.quizzes.status.standing`, rule for rule, in the same order.
    Without a pass no cycle has started afresh, so every attempt counts toward the limit.
    """
    table = _rules_table(shape.rules)
    requirement = _requirements(shape, table)
    if not shape.shared_banks:
        counted = literal_column("1", Integer)
    else:
        first = func.min(requirement.c.assignment_id).over(
            partition_by=(requirement.c.user_id, requirement.c.bank_id)
        )
        requirement = select(requirement, first.label("first_assignment_id")).subquery(
            "first_requirement"
        )
        counted = case(
            (requirement.c.assignment_id == requirement.c.first_assignment_id, 1), else_=0
        )
    dated = shape.dated
    probed = _probed(shape, requirement, counted) if shape.months or dated else None
    totals = AttemptTotals.__table__.c
    outcome = select(
        requirement.c.assignment_id,
        requirement.c.user_id,
        requirement.c.crew_id,
        counted.label("counted"),
        func.coalesce(totals.attempts, 0).label("attempts"),
        func.coalesce(totals.running, 0).label("running"),
        totals.passed_at,
        totals.best_percent.label("best"),
    ).outerjoin(
        AttemptTotals,
        and_(totals.user_id == requirement.c.user_id, totals.bank_id == requirement.c.bank_id),
    )
    if dated:
        within = (
            select(
                probed.c.assignment_id,
                probed.c.user_id,
                func.sum(probed.c.in_range).label("submitted"),
                func.sum(probed.c.in_range * probed.c.passed).label("passes"),
            )
            .group_by(probed.c.assignment_id, probed.c.user_id)
            .subquery("within")
        )
        outcome = outcome.add_columns(within.c.submitted, within.c.passes).join(
            within,
            and_(
                within.c.assignment_id == requirement.c.assignment_id,
                within.c.user_id == requirement.c.user_id,
            ),
        )
    else:
        outcome = outcome.add_columns(
            func.coalesce(totals.submitted, 0).label("submitted"),
            func.coalesce(totals.passes, 0).label("passes"),
        )
    outcome = outcome.subquery("outcome")
    passed_at = stored_timestamp(outcome.c.passed_at)
    valid_pass = and_(outcome.c.passed_at.is_not(None), passed_at > table.c.pass_cutoff)
    status = case(
        (outcome.c.running > 0, Status.IN_PROGRESS.value),
        (valid_pass, Status.PASSED.value),
        (outcome.c.passed_at.is_not(None), Status.EXPIRED.value),
        (table.c.due_at < bindparam("now", type_=UTCDateTime), Status.OVERDUE.value),
        (outcome.c.attempts == 0, Status.NOT_STARTED.value),
        (
            and_(table.c.max_attempts.is_not(None), outcome.c.attempts >= table.c.max_attempts),
            Status.NO_ATTEMPTS_LEFT.value,
        ),
        else_=Status.FAILED.value,
    )
    expiring = case(
        (
            and_(
                outcome.c.running == 0,
                valid_pass,
                passed_at <= table.c.expiring_cutoff,
            ),
            1,
        ),
        else_=0,
    )
    standing = (
        select(
            outcome.c.assignment_id,
            outcome.c.user_id,
            outcome.c.crew_id,
            outcome.c.attempts,
            outcome.c.passed_at,
            outcome.c.best,
            cast(status, String).label("status"),
            expiring.label("expiring"),
            (outcome.c.submitted * outcome.c.counted).label("submitted"),
            (outcome.c.passes * outcome.c.counted).label("passes"),
        )
        .select_from(outcome)
        .join(table, table.c.assignment_id == outcome.c.assignment_id)
        .cte("standing")
    )
    if SQLITE_MATERIALIZES:
        # Computed once per requirement: left to itself SQLite copies the status CASE into
        # every count that reads it (a tenth of the company page's query).
        standing = standing.prefix_with("MATERIALIZED", dialect="sqlite")
    return _Parts(table, requirement, probed, standing)


def _probed(shape: _Shape, requirement, counted):
    """Each requirement with each of its attempts: whether it was submitted within the
    scope's dates, passed, and in which trend month (a CTE)."""
    in_range = _submitted_within(shape)
    passed = Attempt.passed.is_(True)
    return (
        select(
            requirement.c.assignment_id,
            requirement.c.user_id,
            counted.label("counted"),
            # Only columns of ix_attempt_user_bank_outcome, so the index alone answers.
            case((passed, 1), else_=0).label("passed"),
            case((in_range, 1), else_=0).label("in_range"),
            (_month_bucket(shape.months) if shape.months else cast(null(), Integer)).label("month"),
        )
        .select_from(requirement)
        .outerjoin(
            Attempt,
            and_(
                Attempt.user_id == requirement.c.user_id,
                Attempt.bank_id == requirement.c.bank_id,
            ),
        )
        .cte("probed")
    )


def _count_where(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


# --- completion --------------------------------------------------------------------------


def crew_figures(
    session: Session,
    scope: Scope,
    rules: Sequence[Rule],
    now: datetime,
    *,
    after: int | None = None,
    limit: int | None = None,
) -> list[CrewFigures]:
    """Completion figures of every crew in scope, by site and crew name (one query).

    Crews nobody is asked anything of are listed with zeros. With `after` or `limit` the
    crews come by id instead, a page at a time (for the API).
    """
    crews, _months = _completion(session, scope, rules, now, (), after=after, limit=limit)
    return crews


def completion(
    session: Session,
    scope: Scope,
    rules: Sequence[Rule],
    now: datetime,
    months: Sequence[Month],
) -> tuple[list[CrewFigures], list[MonthFigures]]:
    """`crew_figures` and `monthly_figures` together, from one query and one pass over
    the attempts (the trend of the whole scope rides along on every crew's row)."""
    return _completion(session, scope, rules, now, months)


def _completion(
    session: Session,
    scope: Scope,
    rules: Sequence[Rule],
    now: datetime,
    months: Sequence[Month],
    *,
    after: int | None = None,
    limit: int | None = None,
) -> tuple[list[CrewFigures], list[MonthFigures]]:
    if scope.user_id is not None:
        raise ValueError("crew figures are not narrowed to one worker")
    shape = _Shape.of(scope, rules, months, after=after, limit=limit)
    query = _statement(_completion_statement, shape)
    parameters = _parameters(scope, rules, now, months, after=after, limit=limit)
    crews = []
    totals = [0] * (2 * len(months))
    width = len(_FIGURE_FIELDS)
    for row in session.execute(query, parameters):
        crew_id, crew_name, site_id, site_name, *values = row
        figures_row = (
            Figures(
                **{
                    name: float(value) if name == "best_total" else int(value)
                    for name, value in zip(_FIGURE_FIELDS, values[:width], strict=True)
                }
            )
            if values
            else Figures()
        )
        crews.append(CrewFigures(crew_id, crew_name, site_id, site_name, figures_row))
        if len(values) > width:  # every row carries the same trend of the whole scope
            totals = [int(value) for value in values[width:]]
    trend = [
        MonthFigures(month, totals[2 * index], totals[2 * index + 1])
        for index, month in enumerate(months)
    ]
    return crews, trend


def _completion_statement(shape: _Shape) -> Select:
    """Every crew in scope with its figures and, on every row, the trend of the scope."""
    query = (
        select(Crew.id, Crew.name, Site.id, Site.name)
        .outerjoin(Site, Site.id == Crew.site_id)
        .where(*_bound_crew_conditions(shape))
    )
    if shape.rules:
        parts = _parts(shape)
        standing = parts.standing
        figures = (
            select(
                standing.c.crew_id,
                func.count().label("required"),
                _count_where(standing.c.status == Status.PASSED.value).label("passed"),
                func.coalesce(func.sum(standing.c.expiring), 0).label("expiring"),
                _count_where(standing.c.status == Status.IN_PROGRESS.value).label("in_progress"),
                _count_where(
                    standing.c.status.in_([Status.FAILED.value, Status.NO_ATTEMPTS_LEFT.value])
                ).label("failed"),
                _count_where(standing.c.status == Status.NO_ATTEMPTS_LEFT.value).label(
                    "no_attempts_left"
                ),
                _count_where(standing.c.status == Status.NOT_STARTED.value).label("not_started"),
                _count_where(standing.c.status == Status.OVERDUE.value).label("overdue"),
                _count_where(standing.c.status == Status.EXPIRED.value).label("expired"),
                func.coalesce(func.sum(standing.c.best), 0).label("best_total"),
                func.count(standing.c.best).label("best_count"),
                func.coalesce(func.sum(standing.c.submitted), 0).label("submitted"),
                func.coalesce(func.sum(standing.c.passes), 0).label("passes"),
            )
            .group_by(standing.c.crew_id)
            .subquery("crew_figure")
        )
        # Every active worker of a crew that any rule reaches is asked all of the crew's
        # quizzes, so the workers counted are the crew's, found from the index alone rather
        # than by a distinct count over the requirements (a sort of all of them).
        workers = _workers_by_crew(Scope())  # crew figures are never narrowed to one worker
        required_workers = case((figures.c.required > 0, workers.c.workers), else_=0)
        query = (
            query.add_columns(
                func.coalesce(required_workers, 0),
                *[func.coalesce(column, 0) for column in figures.c if column.name != "crew_id"],
            )
            .outerjoin(figures, figures.c.crew_id == Crew.id)
            .outerjoin(workers, workers.c.crew_id == Crew.id)
        )
        if shape.months:
            trend = _trend_row(parts.probed, shape.months)
            query = query.add_columns(*trend.c).join(trend, true())
    return _ordered(query, shape, (Site.name.is_(None), Site.name, Crew.name), Crew.id)


def _ordered(query: Select, shape: _Shape, order, key, *then) -> Select:
    """`query` in `order`; if paged, by `key` (then `then`) after the bound `after`, at most
    the bound `limit` rows."""
    if not shape.paged:
        return query.order_by(*order)
    query = query.where(key > bindparam("after", type_=Integer)).order_by(key, *then)
    return query.limit(bindparam("limit", type_=Integer)) if shape.limited else query


def _workers_by_crew(scope: Scope):
    """How many workers a report counts in each crew (a subquery by crew_id)."""
    return (
        select(User.crew_id, func.count().label("workers"))
        .where(*_worker_conditions(scope))
        .group_by(User.crew_id)
        .subquery("crew_workers")
    )


def _trend_row(probed, count: int):
    """One row of (submitted, passes) per trend month, from the attempts `probed` holds."""
    by_month = (
        select(
            probed.c.month,
            func.count().label("submitted"),
            func.sum(probed.c.passed).label("passes"),
        )
        .where(probed.c.month.is_not(None), probed.c.counted == 1)
        .group_by(probed.c.month)
        .subquery("month_figure")
    )
    return select(
        *[
            func.coalesce(func.sum(case((by_month.c.month == index, by_month.c[kind]))), 0).label(
                f"{kind}_{index}"
            )
            for index in range(count)
            for kind in ("submitted", "passes")
        ]
    ).subquery("trend")


def by_site(crews: Sequence[CrewFigures]) -> list[SiteFigures]:
    """Crew figures grouped by site, in the order given (crews without a site together)."""
    sites: dict[int | None, SiteFigures] = {}
    for crew in crews:
        site = sites.setdefault(crew.site_id, SiteFigures(crew.site_id, crew.site_name))
        site.crews.append(crew)
    return list(sites.values())


def requirement_rows(
    session: Session,
    scope: Scope,
    rules: Sequence[Rule],
    now: datetime,
    *,
    after: int | None = None,
    limit: int | None = None,
) -> list[RequirementRow]:
    """Each worker's standing with each assignment in scope, by crew and name (one query).

    With `after` or `limit` they come by worker id instead, a page at a time (for the API;
    give it one rule, or a worker's rows may be split between pages).
    """
    if not rules:
        return []
    shape = _Shape.of(scope, rules, after=after, limit=limit)
    query = _statement(_requirements_statement, shape)
    parameters = _parameters(scope, rules, now, after=after, limit=limit)
    by_id = {rule.assignment_id: rule for rule in rules}
    return [
        RequirementRow(
            assignment_id=row.assignment_id,
            user_id=row.user_id,
            employee_no=row.employee_no,
            name=row.name,
            crew_id=row.crew_id,
            status=Status(row.status),
            expiring=bool(row.expiring),
            attempts=row.attempts,
            best_percent=row.best,
            passed_at=row.passed_at,
            valid_until=by_id[row.assignment_id].valid_until(row.passed_at),
        )
        for row in session.execute(query, parameters)
    ]


def _requirements_statement(shape: _Shape) -> Select:
    """Each requirement's standing with the worker's number and name."""
    standing = _parts(shape).standing
    query = (
        select(
            standing.c.assignment_id,
            standing.c.user_id,
            User.employee_no,
            User.name,
            standing.c.crew_id,
            standing.c.status,
            standing.c.expiring,
            standing.c.attempts,
            standing.c.best,
            standing.c.passed_at,
        )
        .join(User, User.id == standing.c.user_id)
        .join(Crew, Crew.id == standing.c.crew_id)
    )
    order = (Crew.name, User.name, User.employee_no, standing.c.assignment_id)
    return _ordered(query, shape, order, standing.c.user_id, standing.c.assignment_id)


# --- trends --------------------------------------------------------------------------------


def months_between(first: datetime, last: datetime, zone) -> list[Month]:
    """The calendar months (in `zone`) from the one holding `first` to the one holding `last`."""
    first_local, last_local = first.astimezone(zone), last.astimezone(zone)
    year, month = first_local.year, first_local.month
    months = []
    while (year, month) <= (last_local.year, last_local.month):
        start = datetime(year, month, 1, tzinfo=zone)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        end = datetime(year, month, 1, tzinfo=zone)
        months.append(Month(start.strftime("%Y-%m"), start.astimezone(UTC), end.astimezone(UTC)))
    return months


def monthly_figures(
    session: Session, scope: Scope, rules: Sequence[Rule], months: Sequence[Month]
) -> list[MonthFigures]:
    """Attempts submitted and passed per month at the quizzes assigned in scope (one query).

    The bounds sit in a CASE rather than the WHERE clause, and the join is an outer one: so
    each worker's attempts at a quiz come straight from the index, where SQLite would
    otherwise scan the whole table first to build a Bloom filter.
    """
    if not rules or not months:
        return [MonthFigures(month, 0, 0) for month in months]
    query = _statement(_trend_statement, _Shape.of(scope, rules, months))
    parameters = _parameters(scope, rules, months[-1].end, months)
    row = session.execute(query, parameters).one()
    return [
        MonthFigures(month, int(row[2 * index]), int(row[2 * index + 1]))
        for index, month in enumerate(months)
    ]


def _trend_statement(shape: _Shape) -> Select:
    """The scope's trend as one row."""
    return select(_trend_row(_parts(shape).probed, shape.months))


# --- what is in scope --------------------------------------------------------------------


def visible_crews(session: Session, scope: Scope) -> list[tuple[Crew, Site | None]]:
    """The crews in scope with their sites, by site and crew name."""
    query = (
        select(Crew, Site)
        .outerjoin(Site, Site.id == Crew.site_id)
        .where(*_crew_conditions(scope))
        .order_by(Site.name.is_(None), Site.name, Crew.name)
    )
    return [(crew, site) for crew, site in session.execute(query)]


def assigned_banks(session: Session, scope: Scope) -> list[tuple[int, str]]:
    """Banks with an active assignment in scope, as (id, newest title), by title."""
    rules = assignment_rules(session, scope.narrowed(bank_id=None, since=None, until=None))
    titles = {rule.bank_id: rule.title for rule in rules}
    return sorted(titles.items(), key=lambda item: item[1])


def crew_in_scope(session: Session, scope: Scope, crew_id: int) -> Crew | None:
    """The crew with this id, if it is in scope."""
    crew = session.get(Crew, crew_id)
    return crew if crew is not None and scope.sees_site(crew.site_id) else None


def site_in_scope(session: Session, scope: Scope, site_id: int) -> Site | None:
    """The site with this id, if the reader may see it."""
    site = session.get(Site, site_id)
    return site if site is not None and scope.sees_site(site.id) else None


def worker_in_scope(session: Session, scope: Scope, user_id: int) -> User | None:
    """The worker with this id, if their crew is in scope (active or not)."""
    worker = session.get(User, user_id)
    if worker is None or worker.role != Role.WORKER:
        return None
    site_id = worker.crew.site_id if worker.crew is not None else None
    if scope.sites is not None and (worker.crew is None or not scope.sees_site(site_id)):
        return None
    return worker


def workers_of_crew(session: Session, crew_id: int) -> list[User]:
    """A crew's active workers, by name."""
    return list(
        session.scalars(
            select(User)
            .where(User.crew_id == crew_id, *_worker_conditions(Scope()))
            .order_by(User.name, User.employee_no)
        )
    )


def _attempt_rows_query() -> Select:
    return (
        select(
            Attempt.id,
            Attempt.user_id,
            Attempt.bank_id,
            Bank.slug,
            BankVersion.title,
            BankVersion.number,
            Attempt.number,
            Attempt.started_at,
            Attempt.submitted_at,
            Attempt.finished_by,
            Attempt.score,
            Attempt.max_score,
            Attempt.percent,
            Attempt.passed,
        )
        .join(BankVersion, BankVersion.id == Attempt.bank_version_id)
        .join(Bank, Bank.id == Attempt.bank_id)
    )


def worker_attempts(session: Session, user_id: int) -> list[AttemptRow]:
    """A worker's attempts, newest first, with the bank version each used (one query)."""
    query = (
        _attempt_rows_query()
        .where(Attempt.user_id == user_id)
        .order_by(Attempt.started_at.desc(), Attempt.id.desc())
    )
    return [AttemptRow(*row) for row in session.execute(query)]


def attempts_in_scope(
    session: Session,
    scope: Scope,
    *,
    after: int = 0,
    limit: int = 50,
    submitted_since: datetime | None = None,
) -> list[AttemptRow]:
    """Attempts by workers in scope, by id, a page at a time (for the API).

    `scope.user_id` and `scope.bank_id` narrow them to one worker or one quiz.
    """
    crews = _crew_conditions(scope.narrowed(user_id=None))
    query = (
        _attempt_rows_query()
        .join(User, User.id == Attempt.user_id)
        .join(Crew, Crew.id == User.crew_id, isouter=not crews)
        .where(User.role == Role.WORKER, Attempt.id > after, *crews)
        .order_by(Attempt.id)
        .limit(limit)
    )
    if scope.user_id is not None:
        query = query.where(Attempt.user_id == scope.user_id)
    if scope.bank_id is not None:
        query = query.where(Attempt.bank_id == scope.bank_id)
    if submitted_since is not None:
        query = query.where(Attempt.submitted_at >= submitted_since)
    return [AttemptRow(*row) for row in session.execute(query)]


def attempt_row(session: Session, attempt_id: int) -> AttemptRow | None:
    """One attempt as the drill-down lists it."""
    row = session.execute(_attempt_rows_query().where(Attempt.id == attempt_id)).first()
    return AttemptRow(*row) if row else None


def attempt_in_scope(session: Session, scope: Scope, attempt_id: int) -> Attempt | None:
    """The attempt with this id, if it is a worker's in scope."""
    attempt = session.get(Attempt, attempt_id)
    if attempt is None or worker_in_scope(session, scope, attempt.user_id) is None:
        return None
    return attempt


def attempt_answers(session: Session, attempt_id: int) -> dict[str, Answer]:
    """The answers saved in an attempt, by question id."""
    answers = session.scalars(select(Answer).where(Answer.attempt_id == attempt_id))
    return {answer.question_id: answer for answer in answers}


# --- pages of things in scope, by id (for the API) ------------------------------------------


@dataclass(frozen=True)
class CrewRow:
    """A crew with its site and how many active workers it has."""

    id: int
    name: str
    site_id: int | None
    site_name: str | None
    workers: int


def sites_page(session: Session, scope: Scope, *, after: int, limit: int) -> list[Site]:
    """The sites the reader may see, by id."""
    query = select(Site).where(Site.id > after).order_by(Site.id).limit(limit)
    if scope.sites is not None:
        query = query.where(Site.id.in_(sorted(scope.sites)))
    return list(session.scalars(query))


def crews_page(
    session: Session, scope: Scope, *, after: int = 0, limit: int | None = None
) -> list[CrewRow]:
    """Crews in scope with their active workers counted, by id."""
    workers = _workers_by_crew(Scope())
    query = (
        select(Crew.id, Crew.name, Site.id, Site.name, func.coalesce(workers.c.workers, 0))
        .outerjoin(Site, Site.id == Crew.site_id)
        .outerjoin(workers, workers.c.crew_id == Crew.id)
        .where(Crew.id > after, *_crew_conditions(scope))
        .order_by(Crew.id)
        .limit(limit)
    )
    return [CrewRow(*row) for row in session.execute(query)]


def workers_page(
    session: Session, scope: Scope, *, after: int = 0, limit: int | None = None
) -> list[tuple[User, int | None]]:
    """Workers in scope (active or not) with their crew's site, by id.

    A reader who sees every site also sees workers in no crew.
    """
    crews = _crew_conditions(scope.narrowed(user_id=None))
    query = (
        select(User, Crew.site_id)
        .outerjoin(Crew, Crew.id == User.crew_id)
        .where(User.role == Role.WORKER, User.id > after, *crews)
        .order_by(User.id)
        .limit(limit)
    )
    if scope.user_id is not None:
        query = query.where(User.id == scope.user_id)
    return [(user, site_id) for user, site_id in session.execute(query)]


def assignment_crews(
    session: Session, scope: Scope, assignment_ids: Sequence[int]
) -> dict[int, list[int]]:
    """The crews in scope that each assignment names (site-wide ones name none)."""
    query = (
        select(assignment_crew.c.assignment_id, Crew.id)
        .join(Crew, Crew.id == assignment_crew.c.crew_id)
        .where(assignment_crew.c.assignment_id.in_(list(assignment_ids)), *_crew_conditions(scope))
        .order_by(assignment_crew.c.assignment_id, Crew.id)
    )
    crews: dict[int, list[int]] = {id_: [] for id_ in assignment_ids}
    for assignment_id, crew_id in session.execute(query):
        crews[assignment_id].append(crew_id)
    return crews
