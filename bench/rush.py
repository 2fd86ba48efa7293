"""The shift-start rush: quizapp under gunicorn, a separate load-generator process, figures.

1. A fresh database (SQLite file, or `--db postgres`: database quizapp_bench on the local
   PostgreSQL) from `flask db upgrade` + bench/generate.py: a company of `--company-workers`
   workers in 500 crews on 20 sites, 50 banks, `--history` past attempts, and bank
   'rush-shift' whose every question is drawn.
2. quizapp under gunicorn (gthread; see bench/README.md for why these settings), sign-in
   limits lifted through SIGNIN_LIMIT_* and RATELIMIT_ENABLED=0, and bench/bare_app.py
   under identical settings beside it.
3. bench/loadgen.py in its own process (see its docstring for the phases).
4. Peak RSS (VmHWM) of every gunicorn worker after the run; 'database is locked' counted in
   the server log.

    .venv/bin/python bench/rush.py                    # SQLite, full size
    .venv/bin/python bench/rush.py --db postgres
    .venv/bin/python bench/rush.py --quick
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    BENCH,
    PASSWORD,
    RESULTS,
    Gunicorn,
    app_env,
    figure,
    percentile,
    reset_postgres_database,
    run_python,
)
from generate import RUSH_SLUG  # noqa: E402
from loadgen import USER_AGENT  # noqa: E402

SIZES = {
    "full": {
        "workers": 2000,
        "company_workers": 10_000,
        "history": 200_000,
        "ramp_s": 60.0,
        "think_min": 2.0,
        "think_max": 8.0,
        "saturate_s": 15.0,
        "signin_sample": 100,
        "saturate_connections": 32,
    },
    "quick": {
        "workers": 120,
        "company_workers": 1_000,
        "history": 5_000,
        "ramp_s": 5.0,
        "think_min": 0.25,
        "think_max": 0.75,
        "saturate_s": 4.0,
        "signin_sample": 30,
        "saturate_connections": 16,
    },
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line; `--quick` picks the reduced sizes, other options override."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--workers", type=int, help="workers in the rush")
    parser.add_argument("--company-workers", type=int, help="workers in the generated company")
    parser.add_argument("--history", type=int, help="past attempts in the generated company")
    parser.add_argument("--ramp-s", type=float, help="arrivals spread over this many seconds")
    parser.add_argument("--think-min", type=float)
    parser.add_argument("--think-max", type=float)
    parser.add_argument("--saturate-s", type=float, help="seconds of each capacity phase")
    parser.add_argument("--questions", type=int, default=20, help="questions per attempt")
    parser.add_argument("--saturate-connections", type=int)
    parser.add_argument("--signin-concurrency", type=int, default=8)
    parser.add_argument(
        "--signin-sample", type=int, help="workers who sign in by password (the rest are minted)"
    )
    parser.add_argument("--gunicorn-workers", type=int, default=int(os.environ.get("BENCH_W", 2)))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("BENCH_T", 2)))
    parser.add_argument("--prefix", help="figure name prefix (default rush / rush_pg)")
    args = parser.parse_args(argv)
    for name, value in SIZES["quick" if args.quick else "full"].items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    return args


def prepare_database(args: argparse.Namespace) -> str:
    """A fresh database holding the generated company; returns its URL."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    if args.db == "postgres":
        url = reset_postgres_database()
    else:
        url = f"sqlite:///{RESULTS / 'rush.sqlite'}"
    output = run_python(
        "generate.py",
        "--fresh",
        "--workers",
        str(max(args.company_workers, args.workers + args.saturate_connections)),
        "--attempts",
        str(args.history),
        "--rush-questions",
        str(args.questions),
        env=app_env(url),
    )
    for line in output.splitlines():
        if line.startswith("#"):
            print(line, flush=True)
    return url


def app_side(url: str, minted: list[str]) -> tuple[list[dict], dict[str, dict[str, str]]]:
    """The rush bank's question ids, each with the selections a worker may send; and for
    each employee number in `minted`, the session cookie signing in would have given them.

    The cookie is made by the app's own login_user (signals and all) in a request context
    with the load generator's address and user agent, signed with the servers' SECRET_KEY.
    """
    os.environ.update(app_env(url))
    from flask import session
    from flask_login import login_user
    from flask_wtf.csrf import generate_csrf
    from sqlalchemy import select

    from quizapp import create_app
    from quizapp.auth.models import User
    from quizapp.banks.services import find_bank
    from quizapp.extensions import db

    app = create_app()
    sessions: dict[str, dict[str, str]] = {}
    with app.app_context():
        serializer = app.session_interface.get_signing_serializer(app)
        users = db.session.scalars(select(User).where(User.employee_no.in_(minted))).all()
        for user in users:
            with app.test_request_context(
                "/signin",
                method="POST",
                environ_base={"REMOTE_ADDR": "127.0.0.1"},
                headers={"User-Agent": USER_AGENT},
            ):
                session.clear()
                login_user(user)
                generate_csrf()
                cookie = serializer.dumps(dict(session))
            sessions[user.employee_no] = {app.config["SESSION_COOKIE_NAME"]: cookie}
        content = find_bank(RUSH_SLUG).latest.parsed
        questions = []
        for question in content.questions:
            if question.type == "true_false":
                selections = [["T"], ["F"]]
            elif question.type == "multiple":
                selections = [["A", "B"], ["B", "C"], ["A"], ["C", "D"]]
            else:
                selections = [[letter] for letter, _ in question.choices]
            questions.append({"id": question.id, "selections": selections})
        db.session.remove()
        db.engine.dispose()
    return questions, sessions


def main(argv: list[str] | None = None) -> None:
    """Run the rush and print its figures."""
    args = parse_args(argv)
    pg = args.db == "postgres"
    prefix = args.prefix or ("rush_pg" if pg else "rush")
    suffix = "_pg" if pg else ""
    url = prepare_database(args)
    total = args.workers + args.saturate_connections
    numbers = [f"W{100001 + i}" for i in range(total)]
    # The first workers after the reserved ones sign in by password; the rest are minted.
    sample = numbers[args.saturate_connections :][: args.signin_sample]
    questions, sessions = app_side(url, [n for n in numbers if n not in set(sample)])
    plan = {
        "slug": RUSH_SLUG,
        "password": PASSWORD,
        "employee_nos": numbers,
        "signin_employee_nos": sample,
        "sessions": sessions,
        "questions": questions,
        "ramp_s": args.ramp_s,
        "think_min": args.think_min,
        "think_max": args.think_max,
        "saturate_s": args.saturate_s,
        "saturate_connections": args.saturate_connections,
        "signin_concurrency": args.signin_concurrency,
        # Arrivals, then every answer at the mean think time, then a minute's slack.
        "rush_cap_s": args.ramp_s + len(questions) * (args.think_min + args.think_max) / 2 + 60,
    }
    tag = "pg" if pg else "sqlite"
    app_log = RESULTS / f"rush-{tag}-gunicorn.log"
    settings = {"workers": args.gunicorn_workers, "threads": args.threads}
    with (
        Gunicorn("wsgi:app", env=app_env(url), log=app_log, **settings) as server,
        Gunicorn(
            "bare_app:app",
            env={},
            log=RESULTS / f"rush-{tag}-bare.log",
            chdir=BENCH,
            **settings,
        ) as bare,
    ):
        plan["port"], plan["bare_port"] = server.port, bare.port
        plan["server_pids"] = {"app": server.worker_pids(), "bare": bare.worker_pids()}
        plan_path = RESULTS / f"rush-{tag}-plan.json"
        result_path = RESULTS / f"rush-{tag}-raw.json"
        plan_path.write_text(json.dumps(plan))
        print(
            f"# rush on {tag}: {args.workers} workers arriving over {args.ramp_s:.0f} s, "
            f"{len(questions)} answers each, think {args.think_min}-{args.think_max} s; "
            f"gunicorn {server.settings}",
            flush=True,
        )
        started = time.perf_counter()
        subprocess.run(  # noqa: S603 — fixed command line
            [sys.executable, str(BENCH / "loadgen.py"), str(plan_path), str(result_path)],
            check=True,
        )
        elapsed = time.perf_counter() - started
        memory = server.worker_memory_mb()
    raw = json.loads(result_path.read_text())
    log_text = app_log.read_text(errors="replace")
    report(raw, args, prefix, suffix, memory, log_text, elapsed)


def window(raw: dict, share: float = 0.9) -> tuple[float, float]:
    """The stretch of the rush during which at least `share` of the workers were answering."""
    events = [(t, 1) for t, _ in raw["samples"].get("answering_from", [])]
    events += [(t, -1) for t, _ in raw["samples"].get("answering_to", [])]
    events.sort()
    need = share * raw["workers"]
    active, begin, end = 0, None, None
    for t, step in events:
        active += step
        if active >= need and begin is None:
            begin = t
        if begin is not None and active < need and end is None:
            end = t
    if begin is None or end is None or end - begin < 1:
        # No plateau (too few workers or too short an answering phase): the whole rush.
        return raw["marks"]["rush_start"], raw["marks"]["rush_end"]
    return begin, end


def report(
    raw: dict,
    args: argparse.Namespace,
    prefix: str,
    suffix: str,
    memory: dict,
    log_text: str,
    elapsed: float,
) -> None:
    """Figures from the raw measurements."""
    samples = raw["samples"]

    def latencies(kind: str) -> list[float]:
        return [ms for _, ms in samples.get(kind, [])]

    saves = samples.get("save", [])
    begin, end = window(raw)
    in_window = sum(1 for t, _ in saves if begin <= t <= end)
    save_ms = latencies("save")
    errors = sum(raw["errors"].values())
    locked = log_text.count("database is locked")
    capacity = samples.get("save_capacity", [])
    bare = samples.get("bare", [])
    marks = raw["marks"]
    capacity_rate = (
        len(capacity) / max(marks["capacity_end"] - marks["capacity_start"], 1e-9)
        if raw.get("capacity_connections") and raw.get("drained", True)
        else float("nan")
    )
    bare_rate = len(bare) / max(marks.get("bare_end", 0) - marks.get("bare_start", 0), 1e-9)
    starts = samples.get("start", [])
    start_ms = latencies("start")
    first_arrival = marks["rush_start"]
    # Until every worker has started: "inf" when some never did.
    all_started = len(starts) >= raw["workers"]
    starts_span = max(t for t, _ in starts) - first_arrival if all_started else float("inf")
    signins = latencies("signin")
    signin_span = marks["signin_end"] - marks["signin_start"]

    print(
        f"# {raw['signed_in']} of {raw['workers']} workers ready; plateau "
        f"{begin:.0f}-{end:.0f} s of the run; {raw['reconnects']} idle keep-alive reconnects; "
        f"load generator used {raw['cpu_s']:.0f} CPU s in {elapsed:.0f} s",
        flush=True,
    )
    if not raw.get("drained", True):
        print(
            "# the server had not caught up a minute after the rush's cap: no save-capacity phase",
            flush=True,
        )
    for key, count in sorted(raw["errors"].items()):
        print(f"# error x{count}: {key}", flush=True)
    figure(f"{prefix}.saves_per_s", in_window / max(end - begin, 1e-9), "saves/s")
    think = (args.think_min + args.think_max) / 2
    figure(f"{prefix}.offered_saves_per_s", raw["workers"] / think, "saves/s")
    figure(f"{prefix}.save_p50_ms", percentile(save_ms, 50), "ms")
    figure(f"{prefix}.save_p95_ms", percentile(save_ms, 95), "ms")
    figure(f"{prefix}.save_p99_ms", percentile(save_ms, 99), "ms")
    figure(f"{prefix}.save_max_ms", max(save_ms, default=float("nan")), "ms")
    figure(f"{prefix}.saves", len(saves), "saves")
    figure(f"{prefix}.errors", errors, "errors")
    figure(f"{prefix}.unfinished", raw.get("unfinished", 0), "workers")
    figure(f"{prefix}.locked", locked, "errors")
    figure(f"{prefix}.list_p50_ms", percentile(latencies("start_list"), 50), "ms")
    figure(f"{prefix}.list_p95_ms", percentile(latencies("start_list"), 95), "ms")
    figure(f"{prefix}.page_p95_ms", percentile(latencies("page"), 95), "ms")
    figure(f"{prefix}.submit_p95_ms", percentile(latencies("submit"), 95), "ms")
    figure(f"{prefix}.save_capacity_per_s", capacity_rate, "saves/s")
    figure(f"{prefix}.bare_per_s", bare_rate, "requests/s")
    figure(f"{prefix}.ratio_to_bare", capacity_rate / bare_rate if bare_rate else float("nan"))
    cpu = raw.get("server_cpu", {})
    if "app@capacity_end" in cpu and capacity:
        used = cpu["app@capacity_end"] - cpu["app@capacity_start"]
        span = marks["capacity_end"] - marks["capacity_start"]
        figure(f"{prefix}.save_cpu_ms", used / len(capacity) * 1000, "ms CPU/save")
        figure(f"{prefix}.capacity_cpu_cores", used / span, "cores")
    if "bare@bare_end" in cpu and bare:
        used = cpu["bare@bare_end"] - cpu["bare@bare_start"]
        bare_ms = used / len(bare) * 1000
        figure(f"{prefix}.bare_cpu_ms", bare_ms, "ms CPU/request")
        if "app@capacity_end" in cpu and capacity:
            save_ms = (cpu["app@capacity_end"] - cpu["app@capacity_start"]) / len(capacity) * 1000
            # What the throughput ratio would be with both CPU-bound on the same free cores.
            figure(f"{prefix}.cpu_ratio_to_bare", bare_ms / save_ms)
    figure(f"starts{suffix}.count", len(starts), "starts")
    figure(f"starts{suffix}.within_s", starts_span, "s")
    started_span = max((t for t, _ in starts), default=first_arrival) - first_arrival
    figure(f"starts{suffix}.per_s", len(starts) / max(started_span, 1e-9), "starts/s")
    figure(f"starts{suffix}.p50_ms", percentile(start_ms, 50), "ms")
    figure(f"starts{suffix}.p99_ms", percentile(start_ms, 99), "ms")
    figure(f"starts{suffix}.max_ms", max(start_ms, default=float("nan")), "ms")
    signin_rate = len(signins) / signin_span if signins else float("nan")
    figure(f"signin{suffix}.per_s", signin_rate, "sign-ins/s")
    figure(f"signin{suffix}.p50_ms", percentile(signins, 50), "ms")
    figure(f"signin{suffix}.p99_ms", percentile(signins, 99), "ms")
    figure(f"signin{suffix}.time_for_2000_s", 2000 / signin_rate, "s")
    peaks = [m.get("VmHWM", 0.0) for m in memory.values()]
    figure(f"memory{suffix}.worker_rss_mb", max(peaks, default=float("nan")), "MB")
    figure(f"memory{suffix}.worker_rss_sum_mb", sum(peaks), "MB")
    now = max((m.get("VmRSS", 0.0) for m in memory.values()), default=float("nan"))
    figure(f"memory{suffix}.worker_rss_now_mb", now, "MB")
    pss = max((m.get("Pss", 0.0) for m in memory.values()), default=float("nan"))
    figure(f"memory{suffix}.worker_pss_mb", pss, "MB")
    summary = RESULTS / f"rush-{'pg' if suffix else 'sqlite'}-errors.json"
    summary.write_text(json.dumps(raw["error_examples"], indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
