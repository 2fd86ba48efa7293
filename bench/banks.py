"""Big banks: validate and import a generated 5,000-question bank, as `flask banks import` does.

bank.import_5000_s   parse_bank (events, validation, normal form) + store_bank + commit into a
                     fresh SQLite database, inside an app context; the best of `--repeat` runs
bank.parse_5000_s    parse_bank alone
bank.yaml_parse_5000_s  yaml.load of the same bytes with the C SafeLoader (the floor)
bank.ratio_to_yaml   import / bare YAML load
bank.import_5000_cpu_s  CPU time of that import (wall time on a busy machine also waits)
bank.version_load_ms loading the stored version back and building its Bank (what a request
                     that touches `attempt.version.parsed` pays), for this 5,000-question bank

    .venv/bin/python bench/banks.py [--questions 5000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import yaml  # noqa: E402
from common import RESULTS, bank_yaml, figure  # noqa: E402

#: CPU seconds of the fastest run of each best_of call, by label.
CPU: dict[str, float] = {}


def best_of(repeat: int, action, label: str = "") -> float:
    """The shortest wall time of `repeat` runs of `action()`, in seconds (its CPU time is
    kept in CPU[label]: on a busy machine the wall time also counts waiting for a core)."""
    runs = []
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        action()
        runs.append((time.perf_counter() - started, time.process_time() - cpu))
    wall, cpu = min(runs)
    CPU[label] = cpu
    return wall


def main(argv: list[str] | None = None) -> None:
    """Generate the bank, time the import and the bare YAML load, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    from flask_migrate import upgrade
    from sqlalchemy import select

    from quizapp import create_app, migrating
    from quizapp.banks.format import MAX_BANK_BYTES, parse_bank
    from quizapp.banks.models import BankVersion
    from quizapp.banks.services import store_bank
    from quizapp.extensions import db

    n = args.questions
    source = bank_yaml(f"big-{n}", n, random.Random(n), draw=50, explanations=False)
    data = source.encode()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"bank-{n}.yaml").write_bytes(data)
    print(
        f"# bank of {n} questions: {len(data) / 1024 / 1024:.2f} MiB "
        f"(limit {MAX_BANK_BYTES / 1024 / 1024:.0f} MiB)",
        flush=True,
    )

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/banks.sqlite", "SECRET_KEY": "bench"}
        )
        counter = iter(range(1_000_000))

        def import_once() -> None:
            # A new id each run, so every run stores a new bank rather than "unchanged".
            text = source.replace(f"id: big-{n}", f"id: big-{n}-{next(counter)}", 1)
            content = parse_bank(text.encode(), "big.yaml")
            store_bank(content, text, "big.yaml")
            db.session.commit()

        migrating.enable(app)
        with app.app_context():
            upgrade()
            import_s = best_of(args.repeat, import_once, "import")
            parse_s = best_of(args.repeat, lambda: parse_bank(data, "big.yaml"))
            version_id = db.session.scalar(select(BankVersion.id).limit(1))

            def load_version() -> None:
                db.session.expunge_all()
                version = db.session.get(BankVersion, version_id)
                assert len(version.parsed.questions) == n

            load_s = best_of(args.repeat, load_version)
            db.session.remove()
            db.engine.dispose()

    loader = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
    yaml_s = best_of(args.repeat, lambda: yaml.load(data, Loader=loader))  # noqa: S506 — safe loader

    figure("bank.import_5000_s" if n == 5000 else f"bank.import_{n}_s", import_s, "s")
    figure("bank.parse_5000_s" if n == 5000 else f"bank.parse_{n}_s", parse_s, "s")
    figure("bank.yaml_parse_5000_s" if n == 5000 else f"bank.yaml_parse_{n}_s", yaml_s, "s")
    figure("bank.ratio_to_yaml", import_s / yaml_s)
    figure("bank.import_5000_cpu_s" if n == 5000 else f"bank.import_{n}_cpu_s", CPU["import"], "s")
    figure("bank.version_load_ms", load_s * 1000, "ms")
    figure("bank.file_mb", len(data) / 1024 / 1024, "MiB")


if __name__ == "__main__":
    main()
