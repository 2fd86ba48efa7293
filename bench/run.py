"""Run every benchmark and print one line per figure, `name: value unit`, then the targets.

    .venv/bin/python bench/run.py           # make bench: full sizes (about 15 minutes)
    .venv/bin/python bench/run.py --quick   # make bench-quick: reduced sizes, under 2 minutes

Each step is its own script (generate, rush, banks, pages, reports), run as a child process; this
collects their figure lines, prints them in one block and checks them against the targets.
Everything is written to bench/results/ too (latest.txt, and the raw rush measurements).
"""

from __future__ import annotations

import argparse
import math
import os
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BENCH, RESULTS, ROOT, machine  # noqa: E402

FIGURE = re.compile(r"^([a-z0-9_]+\.[a-z0-9_.]+): (\S+)(?: (.*))?$")

#: The report pages bench/reports.py times.
REPORT_PAGES = ("company", "site", "crew", "ledger", "items")

#: Figures with a target: (name, comparison, bound).
TARGETS = (
    ("rush.saves_per_s", ">=", 300),
    ("rush.save_p95_ms", "<=", 100),
    ("rush.save_p99_ms", "<=", 250),
    ("rush.errors", "==", 0),
    ("rush.locked", "==", 0),
    ("rush.ratio_to_bare", ">=", 0.4),
    ("starts.within_s", "<=", 60),
    ("starts.p99_ms", "<=", 1000),
    ("rush_pg.saves_per_s", ">=", 300),
    ("rush_pg.save_p95_ms", "<=", 100),
    ("rush_pg.save_p99_ms", "<=", 250),
    ("rush_pg.errors", "==", 0),
    ("rush_pg.ratio_to_bare", ">=", 0.4),
    ("starts_pg.within_s", "<=", 60),
    ("starts_pg.p99_ms", "<=", 1000),
    ("bank.import_5000_s", "<=", 2),
    ("page.quiz_kb_raw", "<=", 30),
    ("page.offorigin_requests", "==", 0),
    ("page.tti_s", "<=", 5),
    ("memory.worker_rss_mb", "<=", 100),
    ("memory_pg.worker_rss_mb", "<=", 100),
    *(
        (f"{prefix}.{page}_p95_ms", "<=", 300)
        for prefix in ("report", "report_pg")
        for page in REPORT_PAGES
    ),
)

#: Names the PostgreSQL rush prints; a quick run prints them as n/a.
PG_NAMES = (
    "rush_pg.saves_per_s",
    "rush_pg.save_p50_ms",
    "rush_pg.save_p95_ms",
    "rush_pg.save_p99_ms",
    "rush_pg.errors",
    "rush_pg.ratio_to_bare",
    "starts_pg.within_s",
    "starts_pg.p99_ms",
    "memory_pg.worker_rss_mb",
)


LOG: list[str] = []


def say(text: str) -> None:
    """Print a line and keep it for the log in bench/results/."""
    print(text, flush=True)
    LOG.append(text)


def step(title: str, script: str, *args: str, env: dict[str, str] | None = None) -> list[str]:
    """Run one bench script; echo its comment lines; return its figure lines."""
    say(f"\n## {title}")
    started = time.perf_counter()
    result = subprocess.run(  # noqa: S603 — fixed command line
        [sys.executable, str(BENCH / script), *args],
        env={**os.environ, **(env or {})},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    figures = []
    for line in result.stdout.splitlines():
        if FIGURE.match(line):
            figures.append(line)
        if line.startswith(
            ("#", "rush", "starts", "signin", "memory", "bank", "page", "gen", "report")
        ):
            say(line)
    if result.returncode != 0:
        tail = "\n".join(result.stderr.splitlines()[-15:])
        say(f"# {script} FAILED (exit {result.returncode}):\n{tail}")
    say(f"# ({script}: {time.perf_counter() - started:.0f} s)")
    return figures


def check(lines: list[str]) -> list[str]:
    """One line per target: met, MISSED or not measured."""
    values = {}
    for line in lines:
        match = FIGURE.match(line)
        if match:
            try:
                values[match.group(1)] = float(match.group(2))
            except ValueError:
                values[match.group(1)] = math.nan
    verdicts = []
    for name, op, bound in TARGETS:
        value = values.get(name, math.nan)
        if math.isnan(value):
            verdict = "not measured"
        else:
            ok = {">=": value >= bound, "<=": value <= bound, "==": value == bound}[op]
            verdict = "met" if ok else "MISSED"
        verdicts.append(f"target {name} {op} {bound}: {verdict}")
    return verdicts


def main(argv: list[str] | None = None) -> None:
    """Run the steps for `make bench` or `make bench-quick`."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args(argv)
    RESULTS.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    info = machine()
    header = [
        f"# quizapp bench ({'quick' if args.quick else 'full'}), "
        f"{time.strftime('%Y-%m-%d %H:%M:%S %Z')}",
        f"# machine: {info['cpus']} CPUs ({info['cpu']}), {info['ram']} RAM, "
        f"Python {info['python']}, SQLite {info['sqlite']}",
        f"# load average at start: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}",
    ]
    for line in header:
        say(line)

    quick = ["--quick"] if args.quick else []
    company = f"sqlite:///{RESULTS / 'company.sqlite'}"
    gen_args = ["--workers", "500", "--crews", "50", "--banks", "20", "--attempts", "20000"]
    env = {"DATABASE_URL": company, "SECRET_KEY": "bench"}
    lines = step(
        "generate (SQLite)", "generate.py", "--fresh", *(gen_args if args.quick else []), env=env
    )
    lines += step("shift-start rush (SQLite)", "rush.py", *quick)
    if args.quick or args.skip_postgres:
        lines += [f"{name}: n/a (PostgreSQL rush runs in make bench only)" for name in PG_NAMES]
    else:
        lines += step("shift-start rush (PostgreSQL)", "rush.py", "--db", "postgres")
    lines += step("big banks", "banks.py", "--repeat", "1" if args.quick else "3")
    lines += step("page weight and TTI", "pages.py", "--runs", "1" if args.quick else "3")
    # On the company generated above (quick: the same reduced one); PostgreSQL gets its own.
    lines += step("report pages (SQLite)", "reports.py", *quick)
    if args.skip_postgres:
        lines += [f"report_pg.{page}_p95_ms: n/a (--skip-postgres)" for page in REPORT_PAGES]
    else:
        lines += step("report pages (PostgreSQL)", "reports.py", "--db", "postgres", *quick)

    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    summary = [
        "",
        "## figures",
        *lines,
        "",
        "## targets",
        *check(lines),
        f"# total {time.perf_counter() - started:.0f} s; load average at end: {load}",
    ]
    for line in summary:
        say(line)
    name = "latest-quick" if args.quick else "latest"
    (RESULTS / f"{name}.txt").write_text("\n".join(header + summary) + "\n")
    (RESULTS / f"{name}.log").write_text("\n".join(LOG) + "\n")


if __name__ == "__main__":
    main()
