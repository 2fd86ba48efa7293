"""Report pages on a generated company: time and SQL statements per request.

For each page: the company's completion, a site's, the biggest crew's, that crew's training
ledger (XLSX) and the item analysis of the most-attempted bank version, requested `--requests`
times each (in turn, after one warm-up request of each) through Flask's test client, signed
in as the first admin by the sign-in form, with startup's objects left out of garbage
collection as wsgi.py leaves them in a server (`quizapp.settle_server_process`). No server,
no network: the time is the app's and the database's. Statements are counted on the engine
(`before_cursor_execute`).

report.<page>_p50_ms, report.<page>_p95_ms   wall time per request (nearest rank)
report.<page>_cpu_ms                          median CPU time of this process per request
                                              (on PostgreSQL the server's own CPU is not in it)
report.<page>_queries                         SQL statements per request (the most seen)
report.items_recalculate_p50_ms, _p95_ms      computing the item analysis afresh (the page's
                                              "Recalculate now"; the page shows the stored one)
report.crew_workers, report.items_attempts    how big the crew and the analysed version are

PostgreSQL prints the same names with the prefix `report_pg.`.

    .venv/bin/python bench/reports.py                  # SQLite, bench/results/company.sqlite
    .venv/bin/python bench/reports.py --db postgres    # PostgreSQL, quizapp_bench_reports(_quick)
    .venv/bin/python bench/reports.py --quick          # 500 workers, 20,000 attempts

The SQLite company is bench/results/company.sqlite when it holds the company asked for (as
`make bench` leaves it), else bench/results/reports.sqlite (reports-quick.sqlite), kept and
reused while it does. The PostgreSQL database (quizapp_bench_reports, or _quick) is dropped and
generated afresh unless `--reuse` finds it complete, and VACUUMed once generated. Either is
brought up to the newest migration first (new indexes included).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    PASSWORD,
    RESULTS,
    SECRET_KEY,
    app_env,
    figure,
    percentile,
    run_python,
)

#: The PostgreSQL databases of the full and the quick company: apart, so that a quick run
#: leaves a full company in place for `--reuse` (as the SQLite files do).
PG_DBS = {False: "quizapp_bench_reports", True: "quizapp_bench_reports_quick"}
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"

#: The company of `make bench` (generate.py's defaults) and of `make bench-quick`.
FULL = {"workers": 10_000, "crews": 500, "banks": 50, "attempts": 1_000_000, "assignments": 40}
QUICK = {"workers": 500, "crews": 50, "banks": 20, "attempts": 20_000, "assignments": 40}

#: The pages, in the order they are requested and printed.
PAGES = ("company", "site", "crew", "ledger", "items")

#: Who reads the reports: generate.py's first admin (admins see every site and analytics).
READER = "A9001"

#: How each count of the company is read back, to tell whether a database holds it.
COUNTS = {
    "workers": "SELECT count(*) FROM app_user WHERE role = 'worker'",
    "crews": "SELECT count(*) FROM crew",
    "banks": "SELECT count(*) FROM bank",
    "attempts": "SELECT count(*) FROM attempt WHERE submitted_at IS NOT NULL",
    "assignments": "SELECT count(*) FROM assignment WHERE cancelled_at IS NULL",
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--quick", action="store_true", help="the reduced company, 5 requests")
    parser.add_argument("--requests", type=int, help="timed requests per page (20; quick 5)")
    parser.add_argument(
        "--reuse", action="store_true", help="PostgreSQL: keep the database if it is complete"
    )
    parser.add_argument("--prefix", help="figure prefix (report, or report_pg on PostgreSQL)")
    args = parser.parse_args(argv)
    if args.requests is None:
        args.requests = 5 if args.quick else 20
    return args


# --------------------------------------------------------------------------- the data


def counts(url: str) -> dict[str, int] | None:
    """The company's counts in the database at `url`; None when it holds no company."""
    try:
        if url.startswith("sqlite:///"):
            path = Path(url.removeprefix("sqlite:///"))
            if not path.exists():
                return None
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
                return {name: conn.execute(sql).fetchone()[0] for name, sql in COUNTS.items()}
        import psycopg

        plain = url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(plain) as conn:
            return {name: conn.execute(sql).fetchone()[0] for name, sql in COUNTS.items()}
    except (sqlite3.Error, OSError, ImportError) as error:
        print(f"# {url}: {error}", flush=True)
        return None
    except Exception as error:  # noqa: BLE001 — psycopg's errors: missing database or tables
        print(f"# {url}: {type(error).__name__}", flush=True)
        return None


def generate(url: str, sizes: dict[str, int]) -> None:
    """Fill the database at `url` with a fresh company of `sizes`."""
    options = [item for name, value in sizes.items() for item in (f"--{name}", str(value))]
    started = time.perf_counter()
    output = run_python("generate.py", "--fresh", *options, env=app_env(url))
    for line in output.splitlines():
        if line.startswith("#"):
            print(line, flush=True)
    print(f"# generated in {time.perf_counter() - started:.0f} s", flush=True)


def postgres_url(name: str) -> str:
    """The SQLAlchemy URL of the bench database `name` on the local PostgreSQL."""
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def reset_postgres(name: str) -> None:
    """Drop and create the reports bench database `name`."""
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")


def vacuum_postgres(url: str) -> None:
    """VACUUM (ANALYZE) the freshly generated company, as autovacuum would soon after on a
    live server (where it is on; the test server runs without it). Until then no page is
    marked all-visible, and every index-only scan reads the table's rows as well."""
    import psycopg

    started = time.perf_counter()
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
    print(f"# vacuumed in {time.perf_counter() - started:.1f} s", flush=True)


def prepare(args: argparse.Namespace, sizes: dict[str, int]) -> str:
    """A database holding the company of `sizes`, reused or generated; returns its URL."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    if args.db == "postgres":
        name = PG_DBS[args.quick]
        url = postgres_url(name)
        if args.reuse and counts(url) == sizes:
            print(f"# reusing {name}", flush=True)
            return url
        reset_postgres(name)
        generate(url, sizes)
        vacuum_postgres(url)
        return url
    company = f"sqlite:///{RESULTS / 'company.sqlite'}"
    own = f"sqlite:///{RESULTS / ('reports-quick.sqlite' if args.quick else 'reports.sqlite')}"
    for url in (company, own):
        if counts(url) == sizes:
            print(f"# reusing {url.removeprefix('sqlite:///')}", flush=True)
            return url
    generate(own, sizes)
    return own


# --------------------------------------------------------------------------- the app


def make_app(url: str):
    """The app on `url`, migrated to the newest revision (ANALYZEd again if that did
    anything), with its statements counted in `app.extensions["bench_statements"]`."""
    from flask_migrate import upgrade
    from sqlalchemy import event, text

    from quizapp import create_app, migrating
    from quizapp.extensions import db

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": SECRET_KEY,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    migrating.enable(app)
    statements: list[str] = []
    with app.app_context():
        version = text("SELECT version_num FROM alembic_version")
        before = db.session.scalar(version)
        db.session.remove()
        upgrade()
        after = db.session.scalar(version)
        db.session.remove()  # on SQLite its transaction holds the write lock ANALYZE needs
        if after != before:
            started = time.perf_counter()
            with db.engine.begin() as conn:
                conn.execute(text("ANALYZE"))
            print(
                f"# migrated {before} -> {after}, analyzed in "
                f"{time.perf_counter() - started:.1f} s",
                flush=True,
            )
        db.session.remove()

        def note(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", note)
    app.extensions["bench_statements"] = statements
    return app


def targets(app) -> tuple[dict[str, str], dict[str, int]]:
    """The URL of each page, and the sizes of what they show."""
    from sqlalchemy import func, select

    from quizapp.auth.models import Role, User
    from quizapp.banks.models import Bank, BankVersion
    from quizapp.crews.models import Crew
    from quizapp.extensions import db
    from quizapp.quizzes.models import Attempt

    with app.app_context():
        workers = func.count(User.id).label("workers")
        active = (User.role == Role.WORKER, User.active.is_(True))
        crew_id, crew_site, crew_size = db.session.execute(
            select(Crew.id, Crew.site_id, workers)
            .join(User, User.crew_id == Crew.id)
            .where(*active)
            .group_by(Crew.id, Crew.site_id)
            .order_by(workers.desc(), Crew.id)
            .limit(1)
        ).one()
        site_id, site_size = db.session.execute(
            select(Crew.site_id, workers)
            .join(User, User.crew_id == Crew.id)
            .where(*active, Crew.site_id.is_not(None))
            .group_by(Crew.site_id)
            .order_by(workers.desc(), Crew.site_id)
            .limit(1)
        ).one()
        finished = func.count(Attempt.id).label("finished")
        slug, number, analysed = db.session.execute(
            select(Bank.slug, BankVersion.number, finished)
            .join(BankVersion, BankVersion.id == Attempt.bank_version_id)
            .join(Bank, Bank.id == BankVersion.bank_id)
            .where(Attempt.submitted_at.is_not(None))
            .group_by(Bank.slug, BankVersion.number)
            .order_by(finished.desc(), Bank.slug, BankVersion.number)
            .limit(1)
        ).one()
        db.session.remove()
    urls = {
        "company": "/reports/",
        "site": f"/reports/sites/{site_id}",
        "crew": f"/reports/crews/{crew_id}",
        "ledger": f"/reports/crews/{crew_id}/ledger.xlsx",
        "items": f"/analytics/{slug}/versions/{number}",
    }
    sizes = {
        "crew_workers": crew_size,
        "crew_site": crew_site,
        "site_workers": site_size,
        "items_attempts": analysed,
    }
    return urls, sizes


def signed_in_client(app):
    """A test client signed in as READER through the sign-in form."""
    client = app.test_client()
    response = client.post("/signin", data={"employee_no": READER, "password": PASSWORD})
    if response.status_code != 302:
        raise RuntimeError(f"signing in as {READER} answered {response.status_code}")
    return client


def fetch(client, statements: list[str], url: str, post: bool = False) -> tuple[float, float, int]:
    """One request (a GET answering 200, or a POST answering a redirect): wall ms, CPU ms of
    this process, statements sent."""
    statements.clear()
    started, cpu = time.perf_counter(), time.process_time()
    response = client.post(url) if post else client.get(url)
    body = response.get_data()
    wall = (time.perf_counter() - started) * 1000
    cpu = (time.process_time() - cpu) * 1000
    if (response.status_code, bool(body)) != ((302, True) if post else (200, True)):
        raise RuntimeError(f"{url} answered {response.status_code}")
    return wall, cpu, len(statements)


def main(argv: list[str] | None = None) -> None:
    """Prepare the company, time the pages, print the figures."""
    args = parse_args(argv)
    prefix = args.prefix or ("report_pg" if args.db == "postgres" else "report")
    sizes = QUICK if args.quick else FULL
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(f"# reports on {args.db}, load average at start: {load}", flush=True)
    url = prepare(args, sizes)
    app = make_app(url)
    statements = app.extensions["bench_statements"]
    urls, shown = targets(app)
    print(
        f"# company: {sizes['workers']:,} workers in {sizes['crews']} crews, "
        f"{sizes['attempts']:,} attempts, {sizes['assignments']} assignments; "
        f"crew {urls['crew']} has {shown['crew_workers']} workers, site {urls['site']} "
        f"{shown['site_workers']}; {urls['items']} has {shown['items_attempts']:,} "
        "finished attempts",
        flush=True,
    )
    client = signed_in_client(app)
    from quizapp import settle_server_process

    settle_server_process()  # as wsgi.py leaves a server process once it has started
    walls: dict[str, list[float]] = {page: [] for page in PAGES}
    cpus: dict[str, list[float]] = {page: [] for page in PAGES}
    queries: dict[str, list[int]] = {page: [] for page in PAGES}
    for page in PAGES:
        wall, _cpu, count = fetch(client, statements, urls[page])
        print(f"# {page}: first request {wall:.0f} ms, {count} statements", flush=True)
    for _ in range(args.requests):
        for page in PAGES:
            wall, cpu, count = fetch(client, statements, urls[page])
            walls[page].append(wall)
            cpus[page].append(cpu)
            queries[page].append(count)
    # The item page shows the stored analysis; computing it afresh is the officer's button.
    recalculations = [
        fetch(client, statements, f"{urls['items']}/recalculate", post=True)
        for _ in range(min(args.requests, 5))
    ]
    with app.app_context():
        from quizapp.extensions import db

        db.engine.dispose()

    for page in PAGES:
        figure(f"{prefix}.{page}_p50_ms", percentile(walls[page], 50), "ms")
        figure(f"{prefix}.{page}_p95_ms", percentile(walls[page], 95), "ms")
        figure(f"{prefix}.{page}_cpu_ms", percentile(cpus[page], 50), "ms CPU")
        figure(f"{prefix}.{page}_queries", max(queries[page]), "queries")
    walls_recalculate = [wall for wall, _cpu, _count in recalculations]
    figure(f"{prefix}.items_recalculate_p50_ms", percentile(walls_recalculate, 50), "ms")
    figure(f"{prefix}.items_recalculate_p95_ms", percentile(walls_recalculate, 95), "ms")
    figure(
        f"{prefix}.items_recalculate_queries", max(count for *_, count in recalculations), "queries"
    )
    figure(f"{prefix}.crew_workers", shown["crew_workers"], "workers")
    figure(f"{prefix}.items_attempts", shown["items_attempts"], "attempts")
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(f"# {args.requests} requests per page; load average at end: {load}", flush=True)


if __name__ == "__main__":
    main()
