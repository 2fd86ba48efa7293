"""`flask banks …` as a safety officer uses it."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select

from quizapp.banks.models import BankVersion
from quizapp.extensions import db

GOOD = """\
id: ladders
title: 梯子使用安全
questions:
  - id: l1
    text: 使用人字梯时，梯子的铰链必须牢固，并有可靠的拉撑措施。
    answer: true
  - id: l2
    text: 单梯使用时与地面的夹角以多少度为宜？
    choices:
      A: 45°
      B: 75°左右
      C: 90°
    answer: B
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def versions() -> int:
    return db.session.scalar(select(func.count()).select_from(BankVersion))


def test_validate_accepts_a_good_file(runner, tmp_path):
    result = runner.invoke(args=["banks", "validate", str(write(tmp_path, "l.yaml", GOOD))])
    assert result.exit_code == 0, result.output
    assert "ok (ladders, 2 questions)" in result.output


def test_validate_lists_every_error_with_position_and_exits_1(runner, tmp_path):
    bad = GOOD.replace("answer: B", "answer: D").replace("title:", "titel:")
    path = write(tmp_path, "bad.yaml", bad)
    result = runner.invoke(args=["banks", "validate", str(path)])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith(str(path))]
    assert len(lines) >= 2
    assert any(":2:1:" in line and "title" in line for line in lines)
    assert any(
        ":13:13:" in line and "no such choice" in line for line in lines
    )  # answer D has no such choice


def test_import_stores_a_version_and_reimport_is_unchanged(runner, tmp_path):
    path = write(tmp_path, "l.yaml", GOOD)
    assert runner.invoke(args=["banks", "import", str(path)]).output.strip() == "ladders v1"
    assert runner.invoke(args=["banks", "import", str(path)]).output.strip() == (
        "ladders v1 unchanged"
    )
    changed = write(tmp_path, "l2.yaml", GOOD.replace("75°左右", "约75°"))
    assert runner.invoke(args=["banks", "import", str(changed)]).output.strip() == "ladders v2"
    assert versions() == 2


def test_import_of_a_bad_file_stores_nothing(runner, tmp_path):
    good = write(tmp_path, "good.yaml", GOOD)
    bad = write(tmp_path, "bad.yaml", GOOD.replace("id: ladders", "id: Ladders!"))
    result = runner.invoke(args=["banks", "import", str(good), str(bad)])
    assert result.exit_code == 1 and "nothing imported" in result.stderr
    assert versions() == 0


def test_export_round_trips_to_unchanged(runner, tmp_path):
    runner.invoke(args=["banks", "import", str(write(tmp_path, "l.yaml", GOOD))])
    exported = runner.invoke(args=["banks", "export", "ladders"])
    assert exported.exit_code == 0 and "梯子使用安全" in exported.output
    again = write(tmp_path, "exported.yaml", exported.output)
    assert runner.invoke(args=["banks", "import", str(again)]).output.strip() == (
        "ladders v1 unchanged"
    )


def test_export_of_an_older_version(runner, tmp_path):
    runner.invoke(args=["banks", "import", str(write(tmp_path, "a.yaml", GOOD))])
    runner.invoke(
        args=["banks", "import", str(write(tmp_path, "b.yaml", GOOD.replace("45°", "30°")))]
    )
    assert "45°" in runner.invoke(args=["banks", "export", "ladders", "--version", "1"]).output
    assert "30°" in runner.invoke(args=["banks", "export", "ladders"]).output
    missing = runner.invoke(args=["banks", "export", "ladders", "--version", "9"])
    assert missing.exit_code != 0 and "no version 9" in missing.output


def test_list_shows_id_version_title_and_count(runner, tmp_path):
    runner.invoke(args=["banks", "import", str(write(tmp_path, "l.yaml", GOOD))])
    result = runner.invoke(args=["banks", "list"])
    assert result.output.strip() == "ladders\tv1\t梯子使用安全\t2"


def test_schema_is_json(runner):
    schema = json.loads(runner.invoke(args=["banks", "schema"]).output)
    assert "questions" in schema["properties"]
