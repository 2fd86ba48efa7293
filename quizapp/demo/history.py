"""A training history for the demo: about 200 workers in 10 crews on 2 sites, six
assignments and six months of attempts (passes, failures, retakes, overdue and expiring
workers), so every report, chart and export has something true to show.

It is reproducible (a seeded random generator, times counted back from `now`), it is
written with bulk inserts and one password hash, and a second run changes nothing. Every
attempt is drawn and scored by the real drawing and grading code.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import insert, select

from quizapp.assignments.services import create_assignment
from quizapp.auth.models import Role, User, hash_password
from quizapp.auth.services import find_user
from quizapp.banks.format import Bank as BankContent
from quizapp.banks.format import Question
from quizapp.banks.models import Bank
from quizapp.crews.models import Crew, Site
from quizapp.crews.services import find_or_create_crew, find_or_create_site
from quizapp.database import utcnow
from quizapp.extensions import db
from quizapp.quizzes import totals
from quizapp.quizzes.drawing import draw
from quizapp.quizzes.grading import score_attempt
from quizapp.quizzes.models import Answer, Attempt, Finish
from quizapp.quizzes.status import AttemptSummary, current_cycle
from quizapp.quizzes.timing import deadline_for

SEED = 20260601
HISTORY_DAYS = 182
WORKERS_PER_CREW = 20
FIRST_EMPLOYEE_NO = 5001

#: The demo's crews: the four of `data.DEMO_PEOPLE` and six more.
CREWS = (
    ("钢筋一班", "东湖项目部"),
    ("木工一班", "东湖项目部"),
    ("混凝土班", "东湖项目部"),
    ("砌筑班", "东湖项目部"),
    ("机电安装班", "东湖项目部"),
    ("架子工班", "西山隧道项目部"),
    ("电工班", "西山隧道项目部"),
    ("爆破班", "西山隧道项目部"),
    ("支护班", "西山隧道项目部"),
    ("通风班", "西山隧道项目部"),
)

#: The demo manager is responsible for this site only.
MANAGER_SITES = {"M3001": ("东湖项目部",)}


@dataclass(frozen=True)
class PlannedAssignment:
    """An assignment of the demo history, its dates counted back from the day it is loaded."""

    bank: str
    due_in_days: int
    #: How many days before the due date it was made.
    lead_days: int
    site: str | None = None
    crews: tuple[str, ...] = ()
    valid_for_days: int | None = None


ASSIGNMENTS = (
    PlannedAssignment("fire-safety", -150, 30, site="东湖项目部", valid_for_days=160),
    PlannedAssignment("first-aid", -100, 40, site="西山隧道项目部", valid_for_days=150),
    PlannedAssignment("electrical-safety", -60, 30, crews=("电工班", "机电安装班")),
    PlannedAssignment(
        "work-at-height", -25, 30, crews=("架子工班", "钢筋一班", "支护班"), valid_for_days=180
    ),
    PlannedAssignment("confined-space", 20, 35, crews=("通风班", "爆破班", "支护班")),
    PlannedAssignment("heatstroke-prevention", 10, 21, site="东湖项目部"),
)

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜"
    "叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍"
    "鹏辉建国志红斌波宁浩凯亮峰云飞林海东旭文俊帆晨阳"
)


@dataclass
class HistoryCounts:
    """What one run added."""

    workers: int = 0
    assignments: int = 0
    attempts: int = 0


def load_history(now: datetime | None = None, *, password: str, seed: int = SEED) -> HistoryCounts:
    """Load the demo history unless it is there already; return what was added.

    Flushes and leaves the commit to the caller.
    """
    now = now or utcnow()
    counts = HistoryCounts()
    _give_manager_sites()
    if find_user(_employee_no(0)) is not None:
        return counts
    rng = random.Random(seed)
    crews = {name: find_or_create_crew(name, site) for name, site in CREWS}
    workers = _add_workers(rng, crews, password, now)
    counts.workers = len(workers)
    officer = db.session.scalar(select(User).where(User.role == Role.OFFICER).order_by(User.id))
    attempts: list[dict] = []
    answers: list[list[dict]] = []
    for plan in ASSIGNMENTS:
        bank = db.session.scalar(select(Bank).where(Bank.slug == plan.bank))
        if bank is None or not bank.versions:
            continue
        due_at = now + timedelta(days=plan.due_in_days)
        assignment = create_assignment(
            bank,
            due_at=due_at,
            site=find_or_create_site(plan.site) if plan.site else None,
            crews=[crews[name] for name in plan.crews],
            valid_for_days=plan.valid_for_days,
            by=officer,
        )
        assignment.created_at = due_at - timedelta(days=plan.lead_days)
        counts.assignments += 1
        covered = [w for w in workers if w.covered_by(plan)]
        for worker in covered:
            for attempt, given in _simulate(rng, worker, bank, assignment.created_at, plan, now):
                attempts.append(attempt)
                answers.append(given)
    if attempts:
        ids = db.session.scalars(
            insert(Attempt).returning(Attempt.id, sort_by_parameter_order=True), attempts
        ).all()
        rows = [
            dict(row, attempt_id=id_)
            for id_, given in zip(ids, answers, strict=True)
            for row in given
        ]
        if rows:
            db.session.execute(insert(Answer), rows)
        totals.recount()
    counts.attempts = len(attempts)
    db.session.flush()
    return counts


def _employee_no(index: int) -> str:
    return f"W{FIRST_EMPLOYEE_NO + index}"


def _give_manager_sites() -> None:
    """Place each demo manager on their sites, once."""
    for employee_no, site_names in MANAGER_SITES.items():
        manager = find_user(employee_no)
        if manager is None:
            continue
        for name in site_names:
            site = db.session.scalar(select(Site).where(Site.name == name))
            if site is None:
                site = find_or_create_site(name)
            if site not in manager.managed_sites:
                manager.managed_sites.append(site)
    db.session.flush()


@dataclass
class _Worker:
    """A generated worker and how they go about their quizzes."""

    id: int
    crew: Crew
    #: Chance of answering a question right on a first attempt.
    skill: float
    #: Chance of taking a required quiz at all before the history ends.
    diligence: float
    multiplier: float

    def covered_by(self, plan: PlannedAssignment) -> bool:
        if plan.site is not None:
            return self.crew.site is not None and self.crew.site.name == plan.site
        return self.crew.name in plan.crews


def _add_workers(
    rng: random.Random, crews: dict[str, Crew], password: str, now: datetime
) -> list[_Worker]:
    """Insert WORKERS_PER_CREW workers per crew in one statement; one hash serves them all."""
    password_hash = hash_password(password)
    rows, traits = [], []
    for index in range(WORKERS_PER_CREW * len(CREWS)):
        crew = crews[CREWS[index % len(CREWS)][0]]
        multiplier = 1.5 if rng.random() < 0.03 else 1.0
        rows.append(
            {
                "employee_no": _employee_no(index),
                "name": rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2)))),
                "password_hash": password_hash,
                "role": Role.WORKER.value,
                "crew_id": crew.id,
                "active": True,
                "time_multiplier": multiplier,
                "created_at": now - timedelta(days=rng.randint(HISTORY_DAYS, 3 * HISTORY_DAYS)),
            }
        )
        skill = min(0.98, max(0.45, rng.gauss(0.8, 0.1)))
        traits.append((crew, skill, rng.choice((0.6, 0.8, 0.9, 0.95, 1.0)), multiplier))
    ids = db.session.scalars(
        insert(User).returning(User.id, sort_by_parameter_order=True), rows
    ).all()
    return [_Worker(id_, *trait) for id_, trait in zip(ids, traits, strict=True)]


def _simulate(
    rng: random.Random,
    worker: _Worker,
    bank: Bank,
    assigned_at: datetime,
    plan: PlannedAssignment,
    now: datetime,
):
    """Yield (attempt row, answer rows) for one worker's history with one assignment.

    The worker takes the quiz some time after it is assigned (sometimes late, sometimes
    never), retakes it a few days after a failure while attempts are left (the limit counts
    as `start_attempt` counts it), and often takes a refresher around the time a pass
    lapses. A few workers are in the middle of an open quiz right now.
    """
    version = bank.latest
    content = version.parsed
    settings = content.quiz
    validity = plan.valid_for_days or settings.valid_for_days
    due_at = now + timedelta(days=plan.due_in_days)
    start = max(assigned_at, now - timedelta(days=HISTORY_DAYS))
    history: list[dict] = []

    def room_left(at: datetime) -> bool:
        summaries = [
            AttemptSummary(a["started_at"], a["submitted_at"], a["passed"], a["percent"])
            for a in history
        ]
        cycle = current_cycle(summaries, settings.valid_for_days, at)
        return settings.max_attempts is None or len(cycle) < settings.max_attempts

    when = None
    if rng.random() < worker.diligence:
        # Most take it before the due date, a few late; open assignments are partly done.
        latest = min(now, due_at + timedelta(days=rng.choice((0, 0, 0, 10, 30))))
        if latest > start:
            when = start + (latest - start) * rng.random() ** 1.5
    skill = worker.skill
    while when is not None and when + timedelta(hours=1) < now and room_left(when):
        attempt, given = _attempt(rng, worker, bank, version.id, content, when, skill)
        attempt["number"] = len(history) + 1
        history.append(attempt)
        yield attempt, given
        if not attempt["passed"]:
            when = attempt["submitted_at"] + timedelta(days=rng.uniform(0.5, 6))
            skill = min(0.98, skill + 0.07)
        elif validity is not None and rng.random() < 0.6:
            lapse = attempt["submitted_at"] + timedelta(days=validity)
            when = lapse + timedelta(days=rng.uniform(-20, 15))
            skill = min(0.98, skill + 0.03)
        else:
            when = None
    passed = bool(history) and history[-1]["passed"]
    if plan.due_in_days > 0 and not passed and rng.random() < 0.1 and room_left(now):
        started = now - timedelta(minutes=rng.uniform(2, 8))
        attempt, given = _attempt(
            rng, worker, bank, version.id, content, started, skill, running=True
        )
        attempt["number"] = len(history) + 1
        yield attempt, given


def _attempt(
    rng: random.Random,
    worker: _Worker,
    bank: Bank,
    version_id: int,
    content: BankContent,
    started_at: datetime,
    skill: float,
    running: bool = False,
) -> tuple[dict, list[dict]]:
    """One attempt, drawn and (unless still running) scored by the real code."""
    settings = content.quiz
    deadline = deadline_for(started_at, settings.time_limit, worker.multiplier)
    drawn = draw(content, rng)
    questions = [content.question(item.question_id) for item in drawn]
    limit = (deadline - started_at) if deadline else timedelta(minutes=20)
    if running:
        answered = rng.randint(0, len(questions) - 1)
        taken = limit * rng.uniform(0.05, 0.3)
    else:
        answered = len(questions) if rng.random() > 0.05 else rng.randint(3, len(questions))
        taken = limit * rng.uniform(0.3, 0.95)
    selections = {
        question.id: _selection(rng, question, skill) for question in questions[:answered]
    }
    answers = [
        {
            "question_id": question_id,
            "selected": selected,
            "saved_at": started_at + taken * (position + 1) / (answered + 1),
        }
        for position, (question_id, selected) in enumerate(selections.items())
    ]
    row = {
        "user_id": worker.id,
        "bank_id": bank.id,
        "bank_version_id": version_id,
        "started_at": started_at,
        "deadline": deadline,
        "layout": [item.to_json() for item in drawn],
        "submitted_at": None,
        "finished_by": None,
        "score": None,
        "max_score": None,
        "percent": None,
        "passed": None,
    }
    if running:
        return row, [dict(answer, points=None, correct=None) for answer in answers]
    by_deadline = answered < len(questions) and deadline is not None
    score = score_attempt(questions, selections, settings)
    scores = {item.question_id: item for item in score.questions}
    row.update(
        submitted_at=deadline if by_deadline else started_at + taken,
        finished_by=(Finish.DEADLINE if by_deadline else Finish.WORKER).value,
        score=float(score.earned),
        max_score=score.possible,
        percent=round(float(score.percent), 2),
        passed=score.passed,
    )
    return row, [
        dict(
            answer,
            points=float(scores[answer["question_id"]].earned),
            correct=scores[answer["question_id"]].correct,
        )
        for answer in answers
    ]


def _selection(rng: random.Random, question: Question, skill: float) -> str:
    """A worker's answer: right with probability `skill`, otherwise a plausible wrong one."""
    right = "".join(sorted(question.answer))
    if rng.random() < skill:
        return right
    if question.type == "true_false":
        return "F" if right == "T" else "T"
    letters = [letter for letter, _text in question.choices]
    if question.type == "multiple":
        while True:
            picked = "".join(sorted(rng.sample(letters, rng.randint(1, len(letters)))))
            if picked != right:
                return picked
    return rng.choice([letter for letter in letters if letter != right])
