"""`flask banks import` of GIFT and Aiken files and `flask banks export --format gift`."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from quizapp.banks.format import dump_yaml
from quizapp.banks.models import BankVersion
from quizapp.banks.services import find_bank
from quizapp.extensions import db

GIFT = """\
// 梯子使用安全
$CATEGORY: 梯子

::l1::使用人字梯时，梯子的铰链必须牢固，并有可靠的拉撑措施。{T}

::l2::单梯使用时与地面的夹角以多少度为宜？{
\t~45°
\t=75°左右
\t~90°
\t####角度过大易后翻，过小易滑倒。
}
"""

AIKEN = """\
单梯使用时与地面的夹角以多少度为宜？
A. 45°
B. 75°左右
C. 90°
ANSWER: B
"""

YAML = """\
id: ladders
title: 梯子使用安全
questions:
  - id: l1
    type: true_false
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


def test_a_gift_file_is_imported_with_its_id_and_title_from_the_file_name(runner, tmp_path):
    path = write(tmp_path, "Ladder Safety.gift", GIFT)
    result = runner.invoke(args=["banks", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "ladder-safety v1"
    listed = runner.invoke(args=["banks", "list"])
    assert listed.output.strip() == "ladder-safety\tv1\tLadder Safety\t2"


def test_the_stored_source_is_the_converted_yaml_and_the_name_the_original(runner, tmp_path):
    runner.invoke(args=["banks", "import", str(write(tmp_path, "ladders.gift", GIFT))])
    version = find_bank("ladders").latest
    assert version.source_name == "ladders.gift"
    assert version.source_text == dump_yaml(version.parsed)
    assert "tags: [梯子]" in version.source_text
    assert version.parsed.question("l2").explanation == "角度过大易后翻，过小易滑倒。"


def test_reimporting_the_same_gift_file_is_unchanged(runner, tmp_path):
    path = write(tmp_path, "ladders.gift", GIFT)
    runner.invoke(args=["banks", "import", str(path)])
    again = runner.invoke(args=["banks", "import", str(path)])
    assert again.output.strip() == "ladders v1 unchanged"
    assert versions() == 1


def test_an_aiken_file_needs_its_format_named_and_takes_id_and_title(runner, tmp_path):
    path = write(tmp_path, "questions.txt", AIKEN)
    result = runner.invoke(
        args=[
            "banks",
            "import",
            "--format",
            "aiken",
            "--id",
            "ladder-angle",
            "--title",
            "梯子角度",
            str(path),
        ]
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "ladder-angle v1"
    version = find_bank("ladder-angle").latest
    assert (version.title, version.source_name) == ("梯子角度", "questions.txt")
    assert version.parsed.question("q1").answer == ("B",)


def test_a_txt_file_without_format_is_still_read_as_yaml(runner, tmp_path):
    result = runner.invoke(args=["banks", "import", str(write(tmp_path, "q.txt", AIKEN))])
    assert result.exit_code == 1
    assert "nothing imported" in result.stderr
    assert versions() == 0


def test_format_gift_reads_a_file_of_any_name(runner, tmp_path):
    path = write(tmp_path, "export.txt", GIFT)
    result = runner.invoke(
        args=["banks", "import", "--format", "gift", "--id", "ladders", str(path)]
    )
    assert result.output.strip() == "ladders v1"


def test_format_yaml_reads_a_gift_named_file_as_yaml(runner, tmp_path):
    path = write(tmp_path, "really-yaml.gift", YAML)
    result = runner.invoke(args=["banks", "import", "--format", "yaml", str(path)])
    assert result.output.strip() == "ladders v1"


def test_a_bad_gift_file_stores_nothing_and_reports_its_lines(runner, tmp_path):
    good = write(tmp_path, "good.yaml", YAML)
    bad = write(
        tmp_path,
        "bad.gift",
        GIFT + "\n::l3:: Which animal eats which food? {=cat -> cat food =dog -> dog food}\n",
    )
    result = runner.invoke(args=["banks", "import", str(good), str(bad)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{bad}:13:1: GIFT matching questions cannot be converted: quizapp supports single,"
        " multiple and true/false",
        "nothing imported",
    ]
    assert versions() == 0


def test_a_bad_id_is_reported_against_the_file(runner, tmp_path):
    path = write(tmp_path, "ladders.gift", GIFT)
    result = runner.invoke(args=["banks", "import", "--id", "Ladders!", str(path)])
    assert result.exit_code == 1
    assert f"{path}:1:1: bank id 'Ladders!' is not valid" in result.stderr
    assert versions() == 0


def test_an_unreadable_gift_file_is_reported_like_a_yaml_one(runner, tmp_path):
    path = tmp_path / "latin.gift"
    path.write_bytes("Sécurité{T}".encode("latin-1"))
    result = runner.invoke(args=["banks", "import", str(path), str(tmp_path / "missing.gift")])
    assert result.exit_code == 1
    assert f"{path}:1:2: the file is not UTF-8 text" in result.stderr
    assert f"{tmp_path / 'missing.gift'}: cannot read" in result.stderr


def test_id_and_title_need_exactly_one_converted_file(runner, tmp_path):
    one, two = write(tmp_path, "a.gift", GIFT), write(tmp_path, "b.gift", GIFT)
    several = runner.invoke(args=["banks", "import", "--id", "x1", str(one), str(two)])
    assert several.exit_code == 2 and "--id and --title need exactly one FILE" in several.output
    yaml_file = write(tmp_path, "l.yaml", YAML)
    on_yaml = runner.invoke(args=["banks", "import", "--title", "T", str(yaml_file)])
    assert on_yaml.exit_code == 2 and "a YAML bank carries its own" in on_yaml.output
    assert versions() == 0


def test_export_as_gift_imports_back_unchanged(runner, tmp_path):
    runner.invoke(args=["banks", "import", str(write(tmp_path, "l.yaml", YAML))])
    exported = runner.invoke(args=["banks", "export", "ladders", "--format", "gift"])
    assert exported.exit_code == 0, exported.output
    assert exported.output.startswith("// 梯子使用安全\n")
    assert "::l2::单梯使用时与地面的夹角以多少度为宜？{\n\t~45°\n\t=75°左右\n" in exported.output
    again = write(tmp_path, "exported.gift", exported.output)
    result = runner.invoke(
        args=["banks", "import", "--id", "ladders", "--title", "梯子使用安全", str(again)]
    )
    assert result.output.strip() == "ladders v1 unchanged"


def test_export_defaults_to_yaml(runner, tmp_path):
    runner.invoke(args=["banks", "import", str(write(tmp_path, "l.yaml", YAML))])
    assert runner.invoke(args=["banks", "export", "ladders"]).output == YAML
    assert runner.invoke(args=["banks", "export", "ladders", "--format", "yaml"]).output == YAML
    wrong = runner.invoke(args=["banks", "export", "ladders", "--format", "aiken"])
    assert wrong.exit_code == 2


def test_validate_checks_gift_and_aiken_files_as_import_would(runner, tmp_path):
    gift = write(tmp_path, "ladders.gift", GIFT)
    result = runner.invoke(args=["banks", "validate", str(gift)])
    assert result.exit_code == 0, result.output
    assert f"{gift}: ok (ladders, 2 questions)" in result.output
    aiken = write(tmp_path, "angle.txt", AIKEN)
    result = runner.invoke(args=["banks", "validate", "--format", "aiken", str(aiken)])
    assert result.exit_code == 0, result.output
    broken = write(tmp_path, "broken.gift", "::b1::没有答案的题目。\n")
    result = runner.invoke(args=["banks", "validate", str(broken)])
    assert result.exit_code == 1
    assert f"{broken}:1:" in result.output
    assert versions() == 0  # validating stores nothing
