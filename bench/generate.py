"""Generate a realistic company into the database DATABASE_URL names (SQLite or PostgreSQL).

Defaults: 20 sites, 500 crews, 10,000 workers, 50 generated banks (valid per
quizapp.banks.format, stored through the app's own store_bank), 40 assignments of them (through
the app's own create_assignment) and 1,000,000 submitted attempts over the past year, each
with its answers. People, attempts and answers go in by
bulk insert (executemany on SQLite, COPY on PostgreSQL). Every worker's password is
bench.common.PASSWORD, hashed once and reused.

    DATABASE_URL=sqlite:////tmp/company.sqlite .venv/bin/python bench/generate.py --fresh
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/quizapp_bench \
        .venv/bin/python bench/generate.py --fresh --attempts 100000
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import PASSWORD, bank_yaml, crew_name, figure, person_name, site_name  # noqa: E402
from sqlalchemy import insert, select, text  # noqa: E402

#: The bank bench/rush.py's workers take: every question drawn, so ids are known in advance.
RUSH_SLUG = "rush-shift"
#: How many differently shuffled choice orders each question gets to pick from.
ORDERS_PER_QUESTION = 6


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=20)
    parser.add_argument("--crews", type=int, default=500)
    parser.add_argument("--workers", type=int, default=10_000)
    parser.add_argument("--banks", type=int, default=50)
    parser.add_argument("--bank-questions", type=int, default=80, help="questions per bank")
    parser.add_argument("--draw", type=int, default=10, help="questions drawn per attempt")
    parser.add_argument("--attempts", type=int, default=1_000_000)
    parser.add_argument(
        "--assignments",
        type=int,
        default=40,
        help="half of them site-wide, half naming crews (each crew in three)",
    )
    parser.add_argument("--days", type=int, default=365, help="attempts spread over this many")
    parser.add_argument(
        "--rush-questions",
        type=int,
        default=0,
        help="also store bank 'rush-shift' with this many questions, all drawn (for rush.py)",
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--batch", type=int, default=20_000, help="attempts per insert batch")
    parser.add_argument(
        "--fresh", action="store_true", help="drop quizapp's tables (or the SQLite file) first"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Generate the company and print rows/s."""
    args = parse_args(argv)
    from quizapp import create_app, migrating

    app = create_app()
    migrating.enable(app)
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if args.fresh and url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    with app.app_context():
        Generator(args).run()


class Generator:
    """One generation run inside an app context."""

    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.rng = random.Random(args.seed)
        from quizapp.extensions import db

        self.db = db
        self.dialect = db.engine.dialect.name
        self.rows: dict[str, int] = {}
        self.now = datetime.now(UTC).replace(microsecond=0)

    def run(self) -> None:
        """Schema, people, banks, history; then rows/s per table and overall."""
        from flask_migrate import upgrade

        args, db = self.args, self.db
        started = time.perf_counter()
        if args.fresh and self.dialect != "sqlite":
            db.drop_all()
            with db.engine.begin() as conn:
                conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade()
        schema_s = time.perf_counter() - started

        t = time.perf_counter()
        workers = self.people()
        people_s = time.perf_counter() - t
        t = time.perf_counter()
        banks = self.banks()
        banks_s = time.perf_counter() - t
        t = time.perf_counter()
        self.assignments(banks)
        assignments_s = time.perf_counter() - t
        t = time.perf_counter()
        self.history(workers, banks)
        history_s = time.perf_counter() - t
        t = time.perf_counter()
        self.totals()
        totals_s = time.perf_counter() - t
        t = time.perf_counter()
        with db.engine.begin() as conn:
            conn.execute(text("ANALYZE"))
        analyze_s = time.perf_counter() - t
        total_s = time.perf_counter() - started

        total_rows = sum(self.rows.values())
        bulk_rows = self.rows["attempt"] + self.rows["answer"]
        print(
            f"# generate on {self.dialect}: schema {schema_s:.1f} s, people {people_s:.1f} s, "
            f"banks {banks_s:.1f} s, assignments {assignments_s:.1f} s, history {history_s:.1f} s, "
            f"totals {totals_s:.1f} s, analyze {analyze_s:.1f} s"
        )
        for table, count in self.rows.items():
            print(f"#   {table}: {count:,} rows")
        figure("generate.rows", total_rows, "rows")
        figure("generate.seconds", total_s, "s")
        figure("generate.rows_per_s", total_rows / total_s, "rows/s")
        figure("generate.history_rows_per_s", bulk_rows / max(history_s, 1e-9), "rows/s")
        url = db.engine.url
        if self.dialect == "sqlite" and url.database:
            size = Path(url.database).stat().st_size / 1024 / 1024
            figure("generate.db_mb", size, "MB")

    def totals(self) -> None:
        """Each worker's attempt totals per bank, counted from the history as the app would
        have kept them (a checkout from before attempt totals has none to count)."""
        try:
            from quizapp.quizzes import totals
        except ImportError:
            return
        self.rows["attempt_totals"] = totals.recount()
        self.db.session.commit()

    # -- people ---------------------------------------------------------------------------

    def people(self) -> list[int]:
        """Sites, crews and people; returns the workers' ids."""
        from quizapp.auth.models import User
        from quizapp.crews.models import Crew, Site

        try:
            from quizapp.auth.models import hash_password
        except ImportError:  # a BENCH_APP_ROOT checkout from before PASSWORD_HASH_METHOD
            from werkzeug.security import generate_password_hash as hash_password

        args, db, rng = self.args, self.db, self.rng
        password_hash = hash_password(PASSWORD)
        sites = [{"id": i + 1, "name": site_name(i)} for i in range(args.sites)]
        crews = [
            {"id": i + 1, "name": crew_name(i), "site_id": i % args.sites + 1}
            for i in range(args.crews)
        ]
        created = self.now - timedelta(days=args.days + 30)
        users = [
            {
                "id": i + 1,
                "employee_no": f"W{100001 + i}",
                "name": person_name(rng),
                "password_hash": password_hash,
                "role": "worker",
                "crew_id": i % args.crews + 1,
                "active": True,
                "time_multiplier": 1.5 if i % 97 == 0 else 1.0,
                "created_at": created,
            }
            for i in range(args.workers)
        ]
        staff = [("S", "officer", 20), ("M", "manager", 10), ("A", "admin", 2)]
        next_id = args.workers + 1
        for prefix, role, count in staff:
            for n in range(count):
                users.append(
                    {
                        "id": next_id,
                        "employee_no": f"{prefix}{9001 + n}",
                        "name": person_name(rng),
                        "password_hash": password_hash,
                        "role": role,
                        "crew_id": None,
                        "active": True,
                        "time_multiplier": 1.0,
                        "created_at": created,
                    }
                )
                next_id += 1
        db.session.execute(insert(Site), sites)
        db.session.execute(insert(Crew), crews)
        db.session.execute(insert(User), users)
        db.session.commit()
        self._fix_sequences("site", "crew", "app_user")
        self.rows.update(site=len(sites), crew=len(crews), app_user=len(users))
        return [u["id"] for u in users[: args.workers]]

    # -- banks ----------------------------------------------------------------------------

    def banks(self) -> list[dict]:
        """Generated banks stored through the app's own parse_bank and store_bank."""
        from quizapp.banks.format import parse_bank
        from quizapp.banks.services import store_bank

        args, db = self.args, self.db
        banks = []
        for i in range(args.banks):
            slug = f"gen-{i + 1:02d}"
            source = bank_yaml(
                slug,
                args.bank_questions,
                random.Random(f"{args.seed}-{slug}"),
                draw=args.draw,
                # Half the banks are unlimited; the rush uses gen-01, which is.
                max_attempts=3 if i % 2 else None,
            )
            content = parse_bank(source.encode(), f"{slug}.yaml")
            result = store_bank(content, source, f"{slug}.yaml")
            db.session.flush()
            banks.append(self._bank_plan(result.version, content))
        if args.rush_questions:
            source = bank_yaml(
                RUSH_SLUG,
                args.rush_questions,
                random.Random(args.seed),
                draw=None,
                time_limit="30m",
            )
            store_bank(parse_bank(source.encode(), "rush.yaml"), source, "rush.yaml")
        db.session.commit()
        self.rows["bank"] = self.rows["bank_version"] = len(banks) + bool(args.rush_questions)
        return banks

    def _bank_plan(self, version, content) -> dict:
        """What the history generator needs of a bank: ids and, per question, orders and
        a right and a wrong selection."""
        rng = self.rng
        questions = []
        for question in content.questions:
            letters = [letter for letter, _ in question.choices]
            orders = []
            for _ in range(ORDERS_PER_QUESTION):
                shuffled = letters[:]
                rng.shuffle(shuffled)
                orders.append(json.dumps({"q": question.id, "c": shuffled}))
            right = "".join(question.answer)
            if question.type == "true_false":
                wrong = "F" if right == "T" else "T"
            else:
                others = [letter for letter in letters if letter not in right]
                wrong = others[0] if question.type == "single" else right[:-1] + others[0]
                wrong = "".join(sorted(wrong))
            questions.append((question.id, orders, right, wrong))
        return {
            "bank_id": version.bank_id,
            "version_id": version.id,
            "time_limit": content.quiz.time_limit or 1200,
            "draw": min(self.args.draw, len(questions)),
            "questions": questions,
        }

    # -- assignments ------------------------------------------------------------------------

    def assignments(self, banks: list[dict]) -> None:
        """`--assignments` assignments, made by the first admin through create_assignment.

        The first half are site-wide, site by site; the others each name the crews whose
        number falls in their turn, so that every crew is named by three of them. Due dates
        run from two months ago to two months ahead (some overdue, some not yet due), and
        every other one has a refresher interval of its own (90 or 180 days) instead of the
        bank's 365.
        """
        from quizapp.assignments.services import create_assignment
        from quizapp.auth.models import User
        from quizapp.banks.models import Bank
        from quizapp.crews.models import Crew, Site

        args, db = self.args, self.db
        if not args.assignments:
            return
        admin = db.session.scalar(select(User).where(User.employee_no == "A9001"))
        sites = db.session.scalars(select(Site).order_by(Site.id)).all()
        crews = db.session.scalars(select(Crew).order_by(Crew.id)).all()
        site_wide = args.assignments // 2
        by_crew = args.assignments - site_wide
        links = 0
        for k in range(args.assignments):
            bank = db.session.get(Bank, banks[k % len(banks)]["bank_id"])
            options = {
                "due_at": self.now + timedelta(days=(k * 37) % 121 - 60),
                "valid_for_days": (None, 90, None, 180)[k % 4],
                "by": admin,
            }
            if k < site_wide:
                create_assignment(bank, site=sites[k % len(sites)], **options)
                continue
            turn = k - site_wide
            named = [
                crew
                for index, crew in enumerate(crews)
                if (index - turn) % by_crew < min(3, by_crew)
            ] or [crews[turn % len(crews)]]
            create_assignment(bank, crews=named, **options)
            links += len(named)
        db.session.commit()
        self.rows.update(assignment=args.assignments, assignment_crew=links)

    # -- history --------------------------------------------------------------------------

    def history(self, workers: list[int], banks: list[dict]) -> None:
        """`--attempts` submitted attempts with their answers, spread over `--days`.

        Attempt k belongs to worker k mod W; its bank and number follow from k div W, so
        (user, bank, number) is unique and a person's second try at a bank comes later.
        """
        args, rng = self.args, self.rng
        n_workers, n_banks = len(workers), len(banks)
        per_worker = -(-args.attempts // n_workers)
        span = timedelta(days=args.days).total_seconds()
        # Naive UTC from here on: formatting is the generator's hottest step.
        first = self.now.replace(tzinfo=None) - timedelta(days=args.days)
        skill = [rng.uniform(0.55, 0.98) for _ in workers]
        sqlite = self.dialect == "sqlite"
        writer = self._sqlite_writer() if sqlite else self._postgres_writer()
        next(writer)
        attempt_rows: list[tuple] = []
        answer_rows: list[tuple] = []
        answer_id = 0
        stamp = _sqlite_stamp if sqlite else _postgres_stamp
        for k in range(args.attempts):
            w = k % n_workers
            j = k // n_workers
            bank = banks[(w * 7 + j) % n_banks]
            number = j // n_banks + 1
            start = first + timedelta(seconds=(j + rng.random()) / per_worker * span)
            questions = rng.sample(bank["questions"], bank["draw"])
            layout = "[" + ",".join(rng.choice(q[1]) for q in questions) + "]"
            p = skill[w]
            earned = 0
            attempt_id = k + 1
            for i, (qid, _orders, right, wrong) in enumerate(questions):
                correct = rng.random() < p
                earned += correct
                answer_id += 1
                answer_rows.append(
                    (
                        answer_id,
                        attempt_id,
                        qid,
                        right if correct else wrong,
                        stamp(start + timedelta(seconds=25 * (i + 1))),
                        1.0 if correct else 0.0,
                        correct,
                    )
                )
            possible = len(questions)
            percent = round(100.0 * earned / possible, 2)
            attempt_rows.append(
                (
                    attempt_id,
                    workers[w],
                    bank["bank_id"],
                    bank["version_id"],
                    number,
                    stamp(start),
                    stamp(start + timedelta(seconds=bank["time_limit"])),
                    layout,
                    stamp(start + timedelta(seconds=25 * possible + 20)),
                    "worker",
                    float(earned),
                    possible,
                    percent,
                    percent >= 80,
                )
            )
            if len(attempt_rows) >= args.batch:
                writer.send((attempt_rows, answer_rows))
                attempt_rows, answer_rows = [], []
        if attempt_rows:
            writer.send((attempt_rows, answer_rows))
        writer.close()
        self.rows["attempt"] = args.attempts
        self.rows["answer"] = answer_id
        self._fix_sequences("attempt", "answer")

    def _sqlite_writer(self):
        """A coroutine taking (attempt rows, answer rows) batches into SQLite."""
        raw = self.db.engine.raw_connection()
        conn = raw.driver_connection
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA cache_size = -262144")
        attempt_sql = (
            "INSERT INTO attempt (id, user_id, bank_id, bank_version_id, number, started_at, "
            "deadline, layout, submitted_at, finished_by, score, max_score, percent, passed) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        )
        answer_sql = (
            "INSERT INTO answer (id, attempt_id, question_id, selected, saved_at, points, "
            "correct) VALUES (?, ?, ?, ?, ?, ?, ?)"
        )
        try:
            while True:
                attempts, answers = yield
                conn.execute("BEGIN")
                conn.executemany(attempt_sql, attempts)
                conn.executemany(answer_sql, answers)
                conn.execute("COMMIT")
        except GeneratorExit:
            conn.execute("PRAGMA synchronous = NORMAL")
            raw.close()

    def _postgres_writer(self):
        """A coroutine taking (attempt rows, answer rows) batches into PostgreSQL by COPY."""
        raw = self.db.engine.raw_connection()
        conn = raw.driver_connection
        attempt_copy = (
            "COPY attempt (id, user_id, bank_id, bank_version_id, number, started_at, deadline, "
            "layout, submitted_at, finished_by, score, max_score, percent, passed) FROM STDIN"
        )
        answer_copy = (
            "COPY answer (id, attempt_id, question_id, selected, saved_at, points, correct) "
            "FROM STDIN"
        )
        try:
            while True:
                attempts, answers = yield
                with conn.cursor() as cur:
                    with cur.copy(attempt_copy) as copy:
                        for row in attempts:
                            copy.write_row(row)
                    with cur.copy(answer_copy) as copy:
                        for row in answers:
                            copy.write_row(row)
                conn.commit()
        except GeneratorExit:
            raw.close()

    def _fix_sequences(self, *tables: str) -> None:
        """After inserting explicit ids, move PostgreSQL's id sequences past them."""
        if self.dialect != "postgresql":
            return
        with self.db.engine.begin() as conn:
            for table in tables:
                # Table names come from this file, never from input.
                statement = (
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"COALESCE((SELECT max(id) FROM {table}), 1))"
                )
                conn.execute(text(statement))


def _sqlite_stamp(moment: datetime) -> str:
    """A naive UTC time as SQLAlchemy stores it in SQLite (microseconds always written)."""
    return moment.isoformat(" ", "microseconds")


def _postgres_stamp(moment: datetime) -> str:
    """A naive UTC time as PostgreSQL's COPY reads a timestamptz."""
    return moment.isoformat(" ", "microseconds") + "+00"


if __name__ == "__main__":
    main()
