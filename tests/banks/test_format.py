"""The bank format contract (shared/bank-format.md), rule by rule."""

from __future__ import annotations

import json
import pickle
from textwrap import dedent, indent

import pytest
import yaml

from quizapp.banks import format as bank_format
from quizapp.banks.format import (
    MAX_BANK_BYTES,
    MAX_PROBLEMS,
    Bank,
    BankError,
    Problem,
    Question,
    QuizSettings,
    bank_from_dict,
    bank_to_dict,
    content_hash,
    dump_yaml,
    format_duration,
    parse_bank,
    parse_duration,
    validate_bank,
)

# The contract's complete example, copied verbatim except `questions: 10`, which breaks the
# contract's own range rule (1 to the number of questions) in a three-question bank; see
# test_contract_example_as_written_asks_for_more_questions_than_it_has.
CONTRACT_EXAMPLE = (
    """\
id: electrical-safety          # the bank's identity; re-importing the same id makes a new version
title: 临时用电安全
language: zh-CN                # BCP 47 tag; optional
description: 施工现场临时用电基础知识
quiz:                          # how a quiz drawn from this bank behaves; every key optional
  time_limit: 15m              # 90s, 15m, 1h, 1h30m, or a whole number of seconds
  questions: 3                 # drawn at random per attempt; default: all
  pass_score: 80               # percent needed to pass; default 80
  max_attempts: 3              # default: unlimited
  shuffle_questions: true      # default true
  shuffle_choices: true        # default true
  review: after_submit         # after_submit | after_pass | never; default after_submit
  valid_for_days: 365          # a pass expires after this many days; default: never
"""
    # The contract's one line longer than this project's line limit, split in two.
    "  scoring: all_or_nothing      # all_or_nothing | partial (multiple-answer questions); "
    "default all_or_nothing\n"
    """questions:
  - id: elec-001
    text: 发现有人触电，首先应当怎么做？
    choices:
      A: 立即用手把人拉开
      B: 迅速切断电源
      C: 用湿木棍挑开电线
    answer: B
    explanation: 先断电，再施救；不可直接接触触电者。
  - id: elec-002
    type: multiple
    text: 下列哪些属于临时用电“三级配电、两级保护”的要求？
    choices:
      A: 总配电箱
      B: 分配电箱
      C: 开关箱
      D: 随意拉接插线板
    answer: [A, B, C]          # "ABC" means the same
    points: 2
  - id: elec-003
    type: true_false
    text: 配电箱可以不上锁。
    answer: false              # 对/错, 正确/错误 and T/F mean the same
    tags: [配电箱]
"""
)

CONTRACT_BANK = Bank(
    id="electrical-safety",
    title="临时用电安全",
    language="zh-CN",
    description="施工现场临时用电基础知识",
    quiz=QuizSettings(
        time_limit=900,
        questions=3,
        pass_score=80,
        max_attempts=3,
        shuffle_questions=True,
        shuffle_choices=True,
        review="after_submit",
        valid_for_days=365,
        scoring="all_or_nothing",
    ),
    questions=(
        Question(
            id="elec-001",
            type="single",
            text="发现有人触电，首先应当怎么做？",
            choices=(("A", "立即用手把人拉开"), ("B", "迅速切断电源"), ("C", "用湿木棍挑开电线")),
            answer=("B",),
            explanation="先断电，再施救；不可直接接触触电者。",
        ),
        Question(
            id="elec-002",
            type="multiple",
            text="下列哪些属于临时用电“三级配电、两级保护”的要求？",
            choices=(
                ("A", "总配电箱"),
                ("B", "分配电箱"),
                ("C", "开关箱"),
                ("D", "随意拉接插线板"),
            ),
            answer=("A", "B", "C"),
            points=2,
        ),
        Question(
            id="elec-003",
            type="true_false",
            text="配电箱可以不上锁。",
            choices=(),
            answer=("F",),
            tags=("配电箱",),
        ),
    ),
)

MINIMAL = """\
id: fire-safety
title: Fire safety
questions:
  - id: q1
    text: You see smoke. What do you do first?
    choices:
      A: Keep working
      B: Raise the alarm
    answer: B
"""

# Valid banks in several styles; test_schema.py checks the JSON Schema accepts each of them.
VALID_BANKS = {
    "contract example": CONTRACT_EXAMPLE,
    "minimal": MINIMAL,
    "answers in other spellings": """\
        id: ppe-basics
        title: 2024
        language: en
        quiz:
          time_limit: 900
          shuffle_choices: no
          review: never
          scoring: partial
        questions:
          - id: 001
            text: Which of these protect your head?
            choices:
              A: Hard hat
              B: 'No'
              C: 1.50
            answer: AC
          - id: '002'
            text: Gloves are optional near rotating machinery.
            answer: 错
            explanation: |
              Gloves can be caught and pull the hand in.
              Wear them only where the risk assessment says so.
          - id: q-3
            text: Pick every true statement.
            choices:
              B: Boots protect toes
              A: Ear plugs protect hearing
            answer: "B, A"
            tags: [PPE, hearing]
        """,
}


def source(text: str) -> bytes:
    """A YAML source as uploaded bytes; examples are indented in tests for readability."""
    return dedent(text).encode("utf-8")


def parse(text: str, **options) -> Bank:
    return parse_bank(source(text), "bank.yaml", **options)


def problems(text: str, **options) -> list[str]:
    """Every problem in the file as FILE:LINE:COLUMN: message."""
    return [str(problem) for problem in validate_bank(source(text), "bank.yaml", **options)]


def messages(text: str, **options) -> list[str]:
    return [p.message for p in validate_bank(source(text), "bank.yaml", **options)]


def bank_with_question(body: str) -> str:
    """A one-question bank whose question (given dedented) starts at line 4, column 5."""
    lines = dedent(body).strip("\n")
    return (
        "id: fire-safety\ntitle: Fire safety\nquestions:\n  - " + indent(lines, "    ")[4:] + "\n"
    )


def bank_with_quiz(body: str, *, question_count: int = 1) -> str:
    """A bank with the given quiz settings (starting at line 4) and some valid questions."""
    settings = indent(dedent(body).strip("\n"), "  ")
    questions = "".join(
        f"  - id: q{n}\n    text: Is the exit clear?\n    answer: true\n"
        for n in range(question_count)
    )
    return f"id: fire-safety\ntitle: Fire safety\nquiz:\n{settings}\nquestions:\n{questions}"


def question_of(body: str, **options) -> Question:
    return parse(bank_with_question(body), **options).questions[0]


# --------------------------------------------------------------------------- the example


def test_contract_example_parses_into_expected_bank():
    assert parse(CONTRACT_EXAMPLE) == CONTRACT_BANK


def test_contract_example_as_written_asks_for_more_questions_than_it_has():
    as_written = CONTRACT_EXAMPLE.replace("questions: 3     ", "questions: 10    ")

    assert problems(as_written) == [
        "bank.yaml:7:14: quiz 'questions' is 10 but the bank has 3 questions; "
        "it must be between 1 and 3"
    ]


def test_questions_remember_their_line_without_it_counting_as_content():
    bank = parse(CONTRACT_EXAMPLE)

    assert [q.line for q in bank.questions] == [16, 24, 34]
    assert bank.questions[0] == Question(**{**_fields(bank.questions[0]), "line": 99})


def _fields(question: Question) -> dict:
    return {name: getattr(question, name) for name in Question.__slots__}


def test_minimal_bank_gets_the_contract_defaults():
    bank = parse(MINIMAL)

    assert bank.quiz == QuizSettings()
    assert bank.quiz.pass_score == 80 and bank.quiz.time_limit is None
    assert bank.language is None and bank.description is None
    question = bank.questions[0]
    assert (question.points, question.explanation, question.image, question.tags) == (
        1,
        None,
        None,
        (),
    )


def test_valid_file_has_no_problems():
    for name, text in VALID_BANKS.items():
        assert validate_bank(source(text), f"{name}.yaml") == []


def test_bank_question_looks_up_by_id():
    bank = parse(CONTRACT_EXAMPLE)

    assert bank.question("elec-002").points == 2
    with pytest.raises(KeyError):
        bank.question("elec-999")


# --------------------------------------------------------------------------- texts verbatim


@pytest.mark.parametrize(
    "written",
    [
        "No",
        "On",
        "1.50",
        "010",
        "~",
        "null",
        "true",
        "yes",
        "0x1F",
        "1e3",
        "2024-01-01",
        "=",
        "12:30",
    ],
)
def test_choice_written_like_another_type_stays_text(written):
    question = question_of(f"""
        id: q1
        text: Pick one
        choices:
          A: {written}
          B: other
        answer: A
    """)

    assert question.choices[0] == ("A", written)


def test_choice_written_No_stays_text():
    question = question_of("""
        id: q1
        text: Is the ladder safe?
        choices:
          A: Yes
          B: No
        answer: B
    """)

    assert question.choices == (("A", "Yes"), ("B", "No"))


def test_title_written_as_a_number_stays_text():
    bank = parse(MINIMAL.replace("title: Fire safety", "title: 2024"))

    assert bank.title == "2024"


def test_question_id_written_as_a_number_keeps_its_leading_zeros():
    question = question_of("""
        id: 007
        text: Is it safe?
        answer: true
    """)

    assert question.id == "007"


def test_language_no_is_norwegian_not_false():
    assert parse(MINIMAL + "language: no\n").language == "no"


def test_texts_keep_spaces_quotes_and_line_breaks_exactly():
    question = question_of("""
        id: q1
        text: |
          Line one
            indented line
        choices:
          A: "  padded  "
          B: '<b>not html</b>'
        answer: A
        explanation: 'It''s quoted'
    """)

    assert question.text == "Line one\n  indented line\n"
    assert question.choices == (("A", "  padded  "), ("B", "<b>not html</b>"))
    assert question.explanation == "It's quoted"


def test_empty_explanation_counts_as_absent():
    question = question_of("""
        id: q1
        text: Is it safe?
        answer: true
        explanation:
    """)

    assert question.explanation is None


# --------------------------------------------------------------------------- the file itself


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n"])
def test_empty_file_is_refused(text):
    assert messages(text) == [
        "the file is empty; a bank needs at least 'id', 'title' and 'questions'"
    ]


@pytest.mark.parametrize(
    ("text", "found"), [("- id: a\n- id: b\n", "a list"), ("just words\n", "'just words'")]
)
def test_document_that_is_not_a_mapping_is_refused(text, found):
    assert problems(text) == [
        "bank.yaml:1:1: the file must be one mapping of keys such as 'id', 'title' and "
        f"'questions', not {found}"
    ]


def test_several_documents_are_refused_at_the_second():
    assert problems(MINIMAL + "---\n" + MINIMAL) == [
        "bank.yaml:10:1: the file holds more than one YAML document ('---'); "
        "put each bank in its own file"
    ]


def test_yaml_syntax_error_reports_the_parsers_position_and_problem():
    found = problems("""\
        id: fire-safety
        title: [Fire safety
        questions: []
    """)

    assert len(found) == 1
    assert found[0].startswith("bank.yaml:3:")
    assert "YAML syntax error" in found[0]


def test_tab_indentation_gives_a_clear_yaml_error():
    found = problems("id: fire-safety\ntitle: Fire\nquestions:\n\t- id: q1\n")

    assert len(found) == 1
    assert found[0].startswith("bank.yaml:4:1: YAML syntax error:")
    assert found[0].endswith("; indent with spaces, not tabs")


def test_unquoted_colon_in_text_explains_the_quotes():
    found = problems(
        bank_with_question("""
        id: q1
        text: Warning: high voltage. Is it safe?
        answer: false
    """)
    )

    assert found == [
        "bank.yaml:5:18: YAML syntax error: mapping values are not allowed in this context; "
        "a text that contains ': ' or ' #' must be put in quotes"
    ]


def test_utf8_byte_order_mark_is_accepted():
    data = b"\xef\xbb\xbf" + source(MINIMAL)

    assert parse_bank(data, "bank.yaml") == parse(MINIMAL)


def test_positions_after_a_byte_order_mark_are_not_shifted():
    data = b"\xef\xbb\xbf" + source(MINIMAL.replace("id: fire-safety", "idd: fire-safety"))

    assert str(validate_bank(data, "bank.yaml")[0]).startswith("bank.yaml:1:1: unknown key 'idd'")


def test_non_utf8_file_is_refused_at_the_first_bad_byte():
    data = "id: fire-safety\ntitle: 消防".encode() + "安全\n".encode("gbk")

    assert [str(p) for p in validate_bank(data, "bank.yaml")] == [
        "bank.yaml:2:10: the file is not UTF-8 text (byte 0xB0 cannot be read); "
        "save it with UTF-8 encoding"
    ]


def test_utf16_file_is_refused_as_not_utf8():
    found = validate_bank(MINIMAL.encode("utf-16"), "bank.yaml")

    assert len(found) == 1 and "not UTF-8" in found[0].message


def test_control_character_is_refused_with_its_position():
    assert problems("id: fire-safety\ntitle: Fire\x07 safety\n") == [
        "bank.yaml:2:12: the file contains the control character U+0007, which YAML does not "
        "allow; remove it"
    ]


def test_file_over_the_size_limit_is_refused_before_parsing():
    data = source(MINIMAL) + b"#" * (MAX_BANK_BYTES - len(source(MINIMAL))) + b"\xff"

    assert [str(p) for p in validate_bank(data, "big.yaml")] == [
        "big.yaml:1:1: the file is 2,097,153 bytes; a bank may be at most 2,097,152 bytes"
    ]


def test_file_at_exactly_the_size_limit_is_read():
    padding = MAX_BANK_BYTES - len(source(MINIMAL)) - 1
    data = source(MINIMAL) + b"#" * padding + b"\n"

    assert len(data) == MAX_BANK_BYTES
    assert parse_bank(data, "bank.yaml") == parse(MINIMAL)


def test_size_limit_is_configurable():
    assert messages(MINIMAL, max_bytes=100) == [
        f"the file is {len(source(MINIMAL))} bytes; a bank may be at most 100 bytes"
    ]


# --------------------------------------------------------------------------- YAML features refused


def test_anchor_and_alias_are_refused_where_they_are_written():
    found = problems("""\
        id: fire-safety
        title: &name Fire safety
        description: *name
        questions: []
    """)

    assert found[:2] == [
        "bank.yaml:2:8: anchors (&name) are not allowed; write the content out in full",
        "bank.yaml:3:14: aliases (*name) are not allowed; write the content out in full",
    ]


def test_billion_laughs_is_refused_fast():
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        previous = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{previous}]")
    found = messages("\n".join(lines) + "\n")

    assert "aliases (*a0) are not allowed; write the content out in full" in found
    assert "anchors (&a9) are not allowed; write the content out in full" in found


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("!!python/object:os.system x", "!!python/object:os.system"),
        ("!!str 2024", "!!str"),
        ("!foo x", "!foo"),
        ("! x", "!"),
        ("!!map {a: b}", "!!map"),
    ],
)
def test_explicit_tags_are_refused(written, shown):
    found = problems(MINIMAL.replace("title: Fire safety", f"title: {written}"))

    assert f"bank.yaml:2:8: explicit tags such as '{shown}' are not allowed; remove it" in found


def test_deep_nesting_is_refused_without_recursion():
    found = problems("id: x\nquiz: " + "[" * 100_000 + "]" * 100_000 + "\n")

    assert found == [
        "bank.yaml:2:26: the file nests deeper than 20 levels; a bank needs no more than 4"
    ]


def test_deep_block_nesting_is_refused_too():
    text = "".join(f"{'  ' * depth}k{depth}:\n" for depth in range(30))

    assert messages(text) == ["the file nests deeper than 20 levels; a bank needs no more than 4"]


def test_duplicate_key_is_refused_at_the_second_naming_the_first():
    found = problems("""\
        id: fire-safety
        title: Fire safety
        questions:
          - id: q1
            text: Is it safe?
            answer: true
        title: Other title
    """)

    assert found == ["bank.yaml:7:1: key 'title' appears twice in this mapping (first on line 2)"]


def test_duplicate_choice_letter_is_refused():
    found = problems(
        bank_with_question("""
        id: q1
        text: Pick one
        choices:
          A: one
          B: two
          A: three
        answer: A
    """)
    )

    assert found == ["bank.yaml:9:7: key 'A' appears twice in this mapping (first on line 7)"]


def test_key_that_is_not_text_is_refused():
    found = problems(MINIMAL + "[a, b]: c\n")

    assert found == ["bank.yaml:10:1: a key must be a plain word, not a list"]


# --------------------------------------------------------------------------- bank keys


@pytest.mark.parametrize("key", ["id", "title", "questions"])
def test_missing_required_bank_key_is_reported_at_the_mapping(key):
    lines = [line for line in MINIMAL.splitlines() if not line.startswith(f"{key}:")]
    if key == "questions":
        lines = lines[:2]

    assert f"bank.yaml:1:1: missing required key '{key}'" in problems("\n".join(lines))


@pytest.mark.parametrize("bank_id", ["ab", "fire-safety", "2024-ppe", "a" * 64])
def test_good_bank_ids_are_accepted(bank_id):
    assert parse(MINIMAL.replace("fire-safety", bank_id)).id == bank_id


@pytest.mark.parametrize(
    "bank_id", ["a", "Fire", "-fire", "fire_safety", "火灾", "a" * 65, "'x\n'"]
)
def test_bad_bank_ids_are_refused(bank_id):
    found = messages(MINIMAL.replace("fire-safety", bank_id))

    assert len(found) == 1 and found[0].startswith("bank id ")


def test_bank_id_with_a_trailing_newline_is_refused():
    found = messages(MINIMAL.replace("id: fire-safety", 'id: "fire-safety\\n"'))

    assert found == [
        "bank id 'fire-safety\\n' is not valid: use 2 to 64 lowercase letters, digits and '-', "
        "starting with a letter or digit"
    ]


def test_empty_title_is_refused():
    assert problems(MINIMAL.replace("title: Fire safety", "title: ''")) == [
        "bank.yaml:2:8: 'title' must not be empty"
    ]


def test_title_of_200_characters_is_the_most_allowed():
    assert parse(MINIMAL.replace("Fire safety", "x" * 200)).title == "x" * 200
    assert messages(MINIMAL.replace("Fire safety", "消" * 201)) == [
        "'title' is 201 characters long; at most 200 are allowed"
    ]


def test_title_that_is_a_list_is_refused():
    assert messages(MINIMAL.replace("title: Fire safety", "title: [Fire, safety]")) == [
        "'title' must be text, not a list"
    ]


@pytest.mark.parametrize("language", ["en", "zh-CN", "zh-Hans-CN", "yue"])
def test_language_tags_are_accepted(language):
    assert parse(MINIMAL + f"language: {language}\n").language == language


@pytest.mark.parametrize("language", ["chinese", "zh_CN", "e", "en-"])
def test_malformed_language_tags_are_refused(language):
    assert messages(MINIMAL + f"language: {language}\n") == [
        f"language '{language}' is not a language tag such as 'zh-CN' or 'en'"
    ]


def test_description_is_optional_text():
    bank = parse(MINIMAL + "description: |\n  Two\n  lines\n")

    assert bank.description == "Two\nlines\n"


def test_questions_must_be_a_list():
    text = MINIMAL.split("questions:")[0] + "questions: all of them\n"

    assert problems(text) == ["bank.yaml:3:12: 'questions' must be a list, not 'all of them'"]


def test_questions_must_not_be_empty():
    text = MINIMAL.split("questions:")[0] + "questions: []\n"

    assert problems(text) == ["bank.yaml:3:12: 'questions' must list at least one question"]


def test_unknown_bank_key_suggests_the_nearest_known_key():
    assert problems(MINIMAL + "titel: x\n") == [
        "bank.yaml:10:1: unknown key 'titel'; did you mean 'title'?"
    ]


def test_unknown_key_with_nothing_near_lists_the_allowed_keys():
    assert messages(MINIMAL + "author: Li Wei\n") == [
        "unknown key 'author'; allowed keys are id, title, language, description, quiz, questions"
    ]


def test_key_in_the_wrong_case_suggests_the_right_one():
    assert messages(MINIMAL.replace("title:", "TITLE:")) == [
        "missing required key 'title'",
        "unknown key 'TITLE'; did you mean 'title'?",
    ]


# --------------------------------------------------------------------------- quiz settings


@pytest.mark.parametrize(
    ("written", "seconds"),
    [
        ("90s", 90),
        ("15m", 900),
        ("1h", 3600),
        ("1h30m", 5400),
        ("1m30s", 90),
        ("900", 900),
        ('"15m"', 900),
        ("'900'", 900),
        ("30", 30),
        ("4h", 14400),
    ],
)
def test_time_limit_forms(written, seconds):
    assert parse(bank_with_quiz(f"time_limit: {written}")).quiz.time_limit == seconds


@pytest.mark.parametrize("written", ["29", "29s", "0", "4h1s", "5h"])
def test_time_limit_outside_30_seconds_to_4_hours_is_refused(written):
    assert problems(bank_with_quiz(f"time_limit: {written}")) == [
        f"bank.yaml:4:15: time_limit {written} is out of range: it must be between 30s and 4h"
    ]


@pytest.mark.parametrize(
    ("written", "found"),
    [("15 minutes", "'15 minutes'"), ("1.5h", "'1.5h'"), ("[15m]", "a list"), ("30m1h", "'30m1h'")],
)
def test_time_limit_that_is_not_a_duration_is_refused(written, found):
    assert messages(bank_with_quiz(f"time_limit: {written}")) == [
        "'time_limit' must be a duration such as 90s, 15m, 1h, 1h30m or a whole number of "
        f"seconds, not {found}"
    ]


def test_quiz_questions_range_from_one_to_the_number_of_questions():
    assert parse(bank_with_quiz("questions: 3", question_count=3)).quiz.questions == 3
    assert messages(bank_with_quiz("questions: 4", question_count=3)) == [
        "quiz 'questions' is 4 but the bank has 3 questions; it must be between 1 and 3"
    ]
    assert messages(bank_with_quiz("questions: 0", question_count=3)) == [
        "'questions' must be at least 1, not 0"
    ]


@pytest.mark.parametrize("score", [0, 55, 100])
def test_pass_score_from_0_to_100(score):
    assert parse(bank_with_quiz(f"pass_score: {score}")).quiz.pass_score == score


@pytest.mark.parametrize("score", ["-1", "101"])
def test_pass_score_out_of_range_is_refused(score):
    assert problems(bank_with_quiz(f"pass_score: {score}")) == [
        f"bank.yaml:4:15: 'pass_score' must be between 0 and 100, not {score}"
    ]


@pytest.mark.parametrize(
    ("written", "found"),
    [("true", "'true'"), ("80.5", "'80.5'"), ('"80"', 'the quoted text "80"'), ("[80]", "a list")],
)
def test_pass_score_must_be_a_plain_whole_number(written, found):
    assert messages(bank_with_quiz(f"pass_score: {written}")) == [
        f"'pass_score' must be a whole number, not {found}"
    ]


def test_absurdly_long_number_is_out_of_range_not_a_crash():
    assert messages(bank_with_quiz("pass_score: " + "9" * 5000)) == [
        f"'pass_score' must be between 0 and 100, not {'9' * 59}…"
    ]


@pytest.mark.parametrize("key", ["max_attempts", "valid_for_days"])
def test_counts_must_be_at_least_one(key):
    assert parse(bank_with_quiz(f"{key}: 1")).quiz == QuizSettings(**{key: 1})
    assert messages(bank_with_quiz(f"{key}: 0")) == [f"'{key}' must be at least 1, not 0"]


@pytest.mark.parametrize("written", ["~", "null", ""])
def test_empty_setting_means_the_default(written):
    settings = f"max_attempts: {written}\npass_score: {written}\nreview: {written}"

    assert parse(bank_with_quiz(settings)).quiz == QuizSettings()


def test_empty_quiz_means_every_default():
    text = MINIMAL.replace("questions:", "quiz:\nquestions:")

    assert parse(text).quiz == QuizSettings()


@pytest.mark.parametrize(
    ("written", "value"),
    [("true", True), ("false", False), ("no", False), ("On", True), ('"false"', False)],
)
def test_shuffle_settings_are_booleans(written, value):
    quiz = parse(bank_with_quiz(f"shuffle_questions: {written}")).quiz

    assert quiz.shuffle_questions is value


def test_shuffle_setting_that_is_not_a_boolean_is_refused():
    assert messages(bank_with_quiz("shuffle_choices: sometimes")) == [
        "'shuffle_choices' must be true or false, not 'sometimes'"
    ]


@pytest.mark.parametrize("mode", ["after_submit", "after_pass", "never"])
def test_review_modes(mode):
    assert parse(bank_with_quiz(f"review: {mode}")).quiz.review == mode


def test_misspelt_review_mode_lists_the_allowed_values_and_suggests_one():
    assert problems(bank_with_quiz("review: after_sumbit")) == [
        "bank.yaml:4:11: 'review' must be one of after_submit, after_pass, never, "
        "not 'after_sumbit'; did you mean 'after_submit'?"
    ]


def test_review_mode_with_nothing_near_lists_the_allowed_values():
    assert messages(bank_with_quiz("review: always")) == [
        "'review' must be one of after_submit, after_pass, never, not 'always'"
    ]


def test_scoring_modes():
    assert parse(bank_with_quiz("scoring: partial")).quiz.scoring == "partial"
    assert messages(bank_with_quiz("scoring: parital")) == [
        "'scoring' must be one of all_or_nothing, partial, not 'parital'; did you mean 'partial'?"
    ]


def test_unknown_quiz_key_suggests_the_nearest():
    assert problems(bank_with_quiz("time_limt: 15m")) == [
        "bank.yaml:4:3: unknown key 'time_limt'; did you mean 'time_limit'?"
    ]


def test_quiz_must_be_a_mapping():
    assert messages(bank_with_quiz("").replace("quiz:\n", "quiz: 15m\n")) == [
        "'quiz' must be a mapping of keys to values, not '15m'"
    ]


# --------------------------------------------------------------------------- question keys


@pytest.mark.parametrize("question_id", ["q1", "Q1.2_a-b", "1", "A" * 64])
def test_good_question_ids_are_accepted(question_id):
    question = question_of(f"id: '{question_id}'\ntext: Is it safe?\nanswer: true")

    assert question.id == question_id


@pytest.mark.parametrize("question_id", [".q1", "-q1", "has space", "问题1", "A" * 65])
def test_bad_question_ids_are_refused(question_id):
    found = messages(bank_with_question(f"id: '{question_id}'\ntext: Is it safe?\nanswer: true"))

    assert len(found) == 1
    assert found[0].startswith(f"question id '{question_id[:20]}")
    assert found[0].endswith(
        "is not valid: use up to 64 letters, digits, '.', '_' and '-', "
        "starting with a letter or digit"
    )


def test_duplicate_question_id_is_refused_at_the_second_naming_the_first():
    text = MINIMAL + "  - id: q1\n    text: Again?\n    answer: true\n"

    assert problems(text) == [
        "bank.yaml:10:9: question id 'q1' is already used by the question on line 4"
    ]


@pytest.mark.parametrize("key", ["id", "text", "answer"])
def test_missing_required_question_key_is_reported_at_the_question(key):
    body = "id: q1\ntext: Is it safe?\nanswer: true\n"
    body = "\n".join(line for line in body.splitlines() if not line.startswith(key))
    if key == "id":
        body = "type: true_false\n" + body

    assert f"bank.yaml:4:5: missing required key '{key}'" in problems(bank_with_question(body))


def test_question_text_must_not_be_empty():
    assert problems(bank_with_question("id: q1\ntext:\nanswer: true")) == [
        "bank.yaml:5:10: 'text' must not be empty"
    ]


def test_question_that_is_not_a_mapping_is_refused():
    text = MINIMAL + "  - Is it safe?\n"

    assert problems(text) == [
        "bank.yaml:10:5: a question must be a mapping with 'id', 'text', 'answer', …, "
        "not 'Is it safe?'"
    ]


def test_unknown_question_key_suggests_the_nearest():
    found = problems(
        bank_with_question("""
        id: q1
        text: Is it safe?
        anwser: true
    """)
    )

    assert found == [
        "bank.yaml:4:5: missing required key 'answer'",
        "bank.yaml:6:5: unknown key 'anwser'; did you mean 'answer'?",
    ]


# -- type and its inference


def test_list_answer_means_multiple():
    question = question_of("""
        id: q1
        text: Pick two
        choices: {A: a, B: b, C: c}
        answer: [C, A]
    """)

    assert (question.type, question.answer) == ("multiple", ("A", "C"))


@pytest.mark.parametrize("written", ["AC", "CA", "A,C", "A, C", "A、C", "A，C", "A C", '"AC"'])
def test_several_letters_mean_multiple(written):
    question = question_of(f"""
        id: q1
        text: Pick two
        choices: {{A: a, B: b, C: c}}
        answer: {written}
    """)

    assert (question.type, question.answer) == ("multiple", ("A", "C"))


@pytest.mark.parametrize(
    ("written", "answer"),
    [
        ("true", "T"),
        ("false", "F"),
        ("True", "T"),
        ("yes", "T"),
        ("no", "F"),
        ("对", "T"),
        ("错", "F"),
        ("正确", "T"),
        ("错误", "F"),
        ("T", "T"),
        ("F", "F"),
        ('"true"', "T"),
        ("'错'", "F"),
    ],
)
def test_true_false_answer_without_choices_means_true_false(written, answer):
    question = question_of(f"id: q1\ntext: Is it safe?\nanswer: {written}")

    assert (question.type, question.choices, question.answer) == ("true_false", (), (answer,))


def test_letter_F_with_choices_is_a_single_answer():
    question = question_of("""
        id: q1
        text: Pick one
        choices: {A: a, B: b, C: c, D: d, E: e, F: f}
        answer: F
    """)

    assert (question.type, question.answer) == ("single", ("F",))


def test_one_letter_means_single():
    assert parse(MINIMAL).questions[0].type == "single"


def test_explicit_type_wins_over_inference():
    question = question_of("""
        id: q1
        type: multiple
        text: Pick all that apply
        choices: {A: a, B: b}
        answer: B
    """)

    assert (question.type, question.answer) == ("multiple", ("B",))


def test_misspelt_type_suggests_the_nearest():
    found = messages(
        bank_with_question("""
        id: q1
        type: multi
        text: Pick
        choices: {A: a, B: b}
        answer: [A, B]
    """)
    )

    assert found == [
        "'type' must be one of single, multiple, true_false, not 'multi'; did you mean 'multiple'?"
    ]


# -- choices


def test_choices_in_any_order_are_kept_in_letter_order():
    question = question_of("""
        id: q1
        text: Pick one
        choices:
          C: third
          A: first
          B: second
        answer: A
    """)

    assert question.choices == (("A", "first"), ("B", "second"), ("C", "third"))


def test_choices_must_be_consecutive_from_A():
    found = problems(
        bank_with_question("""
        id: q1
        text: Pick one
        choices:
          A: one
          B: two
          D: four
        answer: A
    """)
    )

    assert found == ["bank.yaml:9:7: choices must use consecutive letters from A; 'C' is missing"]


def test_choices_not_starting_at_A_are_refused():
    found = messages(
        bank_with_question("""
        id: q1
        text: Pick one
        choices: {B: two, C: three}
        answer: B
    """)
    )

    assert found == ["choices must use consecutive letters from A; 'A' is missing"]


def test_lowercase_choice_letter_suggests_the_capital():
    found = problems(
        bank_with_question("""
        id: q1
        text: Pick one
        choices:
          A: one
          b: two
        answer: A
    """)
    )

    assert found == [
        "bank.yaml:7:7: a question needs 2 to 8 choices, not 1",
        "bank.yaml:8:7: choice 'b' is not valid; choices are labelled with capital letters "
        "A, B, C, …; did you mean 'B'?",
    ]


def test_choice_labels_must_be_letters():
    found = messages(
        bank_with_question("""
        id: q1
        text: Pick one
        choices: {A: one, B: two, 3: three}
        answer: A
    """)
    )

    assert found == [
        "choice '3' is not valid; choices are labelled with capital letters A, B, C, …"
    ]


def test_one_choice_is_too_few():
    found = problems(bank_with_question("id: q1\ntext: Pick\nchoices: {A: only}\nanswer: A"))

    assert found == ["bank.yaml:6:14: a question needs 2 to 8 choices, not 1"]


def test_nine_choices_are_too_many():
    choices = ", ".join(f"{letter}: x" for letter in "ABCDEFGHI")
    found = messages(bank_with_question(f"id: q1\ntext: Pick\nchoices: {{{choices}}}\nanswer: A"))

    assert found == ["a question needs 2 to 8 choices, not 9"]


def test_eight_choices_are_the_most():
    choices = ", ".join(f"{letter}: x{letter}" for letter in "ABCDEFGH")
    question = question_of(f"id: q1\ntext: Pick\nchoices: {{{choices}}}\nanswer: H")

    assert len(question.choices) == 8


def test_choices_written_as_a_list_are_refused():
    found = messages(bank_with_question("id: q1\ntext: Pick\nchoices: [one, two]\nanswer: A"))

    assert found == [
        "'choices' must be a mapping of letters to texts, one per line like 'A: …', not a list"
    ]


def test_empty_choice_text_is_refused():
    found = problems(bank_with_question("id: q1\ntext: Pick\nchoices: {A: one, B: ''}\nanswer: A"))

    assert found == ["bank.yaml:6:26: 'choice B' must not be empty"]


def test_single_question_without_choices_is_refused():
    assert problems(bank_with_question("id: q1\ntext: Pick\nanswer: A")) == [
        "bank.yaml:4:5: missing required key 'choices': a single question needs 2 to 8 choices"
    ]


def test_true_false_question_with_choices_is_refused_at_the_choices():
    found = problems(
        bank_with_question("""
        id: q1
        type: true_false
        text: Is it safe?
        choices: {A: yes, B: no}
        answer: true
    """)
    )

    assert found == [
        "bank.yaml:7:5: a true_false question has no choices; remove 'choices' or use type: single"
    ]


# -- answers


def test_answer_letter_with_no_such_choice_is_refused_at_the_answer():
    found = problems(MINIMAL.replace("answer: B", "answer: C"))

    assert found == ["bank.yaml:9:13: answer 'C' has no such choice (the choices are A, B)"]


def test_single_answer_with_several_letters_suggests_type_multiple():
    found = messages(
        bank_with_question("""
        id: q1
        type: single
        text: Pick
        choices: {A: a, B: b}
        answer: AB
    """)
    )

    assert found == [
        "answer 'AB' names several choices, but this question accepts only one; "
        "add 'type: multiple' if several answers are correct"
    ]


def test_single_answer_as_a_list_suggests_type_multiple():
    found = messages(
        bank_with_question("""
        id: q1
        type: single
        text: Pick
        choices: {A: a, B: b}
        answer: [A]
    """)
    )

    assert found == [
        "a single-answer question takes one letter such as 'answer: B', not a list; "
        "add 'type: multiple' if several answers are correct"
    ]


def test_lowercase_answer_letter_suggests_the_capital():
    found = messages(MINIMAL.replace("answer: B", "answer: b"))

    assert found == [
        "'answer' must be one capital letter naming a choice, not 'b'; did you mean 'B'?"
    ]


def test_answer_that_is_no_letter_is_refused():
    found = messages(MINIMAL.replace("answer: B", "answer: the second"))

    assert found == ["'answer' must be one capital letter naming a choice, not 'the second'"]


def test_multiple_answer_letters_are_sorted():
    question = question_of("""
        id: q1
        text: Pick
        choices: {A: a, B: b, C: c}
        answer: [C, B]
    """)

    assert question.answer == ("B", "C")


def test_multiple_answer_may_name_one_letter():
    question = question_of("""
        id: q1
        type: multiple
        text: Pick
        choices: {A: a, B: b}
        answer: [B]
    """)

    assert question.answer == ("B",)


def test_multiple_answer_must_name_at_least_one_letter():
    found = messages(
        bank_with_question("""
        id: q1
        type: multiple
        text: Pick
        choices: {A: a, B: b}
        answer: []
    """)
    )

    assert found == ["a multiple-answer question needs at least one answer letter"]


@pytest.mark.parametrize("written", ["[A, A]", "AA", "A, A"])
def test_repeated_answer_letter_is_refused(written):
    found = messages(
        bank_with_question(f"""
        id: q1
        type: multiple
        text: Pick
        choices: {{A: a, B: b}}
        answer: {written}
    """)
    )

    assert found == ["answer letter 'A' is given twice"]


def test_multiple_answer_with_unknown_letters_names_each():
    found = messages(
        bank_with_question("""
        id: q1
        text: Pick
        choices: {A: a, B: b}
        answer: [A, D, E]
    """)
    )

    assert found == [
        "answer 'D' has no such choice (the choices are A, B)",
        "answer 'E' has no such choice (the choices are A, B)",
    ]


def test_multiple_answer_with_a_word_is_refused():
    found = messages(
        bank_with_question("""
        id: q1
        type: multiple
        text: Pick
        choices: {A: a, B: b}
        answer: both
    """)
    )

    assert found == ["'answer' must be choice letters such as [A, C] or AC, not 'both'"]


def test_true_false_answer_must_be_true_or_false():
    found = messages(
        bank_with_question("""
        id: q1
        type: true_false
        text: Is it safe?
        answer: maybe
    """)
    )

    assert found == [
        "a true_false answer must be true or false (or 对/错, 正确/错误, T/F), not 'maybe'"
    ]


def test_empty_answer_is_reported():
    assert problems(bank_with_question("id: q1\ntext: Is it safe?\nanswer:")) == [
        "bank.yaml:6:12: 'answer' has no value"
    ]


# -- points, image, tags


def test_points_are_a_whole_number_of_at_least_one():
    assert question_of("id: q1\ntext: Safe?\nanswer: true\npoints: 3").points == 3


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("0", "'points' must be at least 1, not 0"),
        ("true", "'points' must be a whole number, not 'true'"),
        ("1.5", "'points' must be a whole number, not '1.5'"),
        ('"2"', "'points' must be a whole number, not the quoted text \"2\""),
    ],
)
def test_bad_points_are_refused(written, message):
    found = problems(bank_with_question(f"id: q1\ntext: Safe?\nanswer: true\npoints: {written}"))

    assert found == [f"bank.yaml:7:13: {message}"]


def test_image_needs_a_zip_upload():
    found = problems(bank_with_question("id: q1\ntext: Safe?\nanswer: true\nimage: signs/stop.png"))

    assert found == ["bank.yaml:7:12: images need a .zip upload that holds signs/stop.png"]


def test_image_in_the_uploaded_archive_is_accepted():
    body = "id: q1\ntext: Safe?\nanswer: true\nimage: signs/stop.png"

    assert question_of(body, image_paths={"signs/stop.png"}).image == "signs/stop.png"


def test_image_alt_describes_the_image_and_keeps_older_content_unchanged():
    body = (
        "id: q1\ntext: 这个标志是什么意思？\nanswer: true\nimage: signs/helmet.png\n"
        "image_alt: 蓝色圆形标志，白色安全帽图案"
    )
    question = question_of(body, image_paths={"signs/helmet.png"})
    assert question.image_alt == "蓝色圆形标志，白色安全帽图案"
    with_alt = parse(bank_with_question(body), image_paths={"signs/helmet.png"})
    assert bank_from_dict(bank_to_dict(with_alt)) == with_alt
    assert "image_alt: 蓝色圆形标志，白色安全帽图案" in dump_yaml(with_alt)
    # Content without the extension has the same canonical form, and hash, as before it.
    plain = parse(bank_with_question("id: q1\ntext: Safe?\nanswer: true"))
    assert "image_alt" not in bank_to_dict(plain)["questions"][0]


def test_image_alt_without_an_image_is_refused():
    found = problems(bank_with_question("id: q1\ntext: Safe?\nanswer: true\nimage_alt: 一个标志"))

    assert found == [
        "bank.yaml:7:16: image_alt describes the question's image: give it an image too"
    ]


def test_image_missing_from_the_archive_is_refused():
    body = "id: q1\ntext: Safe?\nanswer: true\nimage: signs/stop.png"

    assert messages(bank_with_question(body), image_paths={"signs/go.png"}) == [
        "image 'signs/stop.png' is not in the archive"
    ]


@pytest.mark.parametrize(
    "path",
    ["../stop.png", "/etc/stop.png", "signs\\\\stop.png", "C:stop.png", "a//b.png", "./a.png"],
)
def test_image_paths_that_could_leave_the_archive_are_refused(path):
    body = f'id: q1\ntext: Safe?\nanswer: true\nimage: "{path}"'
    found = messages(bank_with_question(body), image_paths={path})

    assert len(found) == 1 and "is not a valid path inside the archive" in found[0]


@pytest.mark.parametrize("path", ["stop.svg", "stop.txt", "stop"])
def test_images_must_be_png_jpeg_webp_or_gif(path):
    found = messages(bank_with_question(f"id: q1\ntext: Safe?\nanswer: true\nimage: {path}"))

    assert found == [f"image '{path}' must be a .png, .jpg, .jpeg, .webp or .gif file"]


def test_tags_are_a_list_of_texts():
    question = question_of("id: q1\ntext: Safe?\nanswer: true\ntags: [配电箱, 2024, 'No']")

    assert question.tags == ("配电箱", "2024", "No")


def test_empty_tag_is_refused():
    found = problems(bank_with_question("id: q1\ntext: Safe?\nanswer: true\ntags: [a, '']"))

    assert found == ["bank.yaml:7:15: a tag must not be empty"]


def test_tags_written_as_one_text_are_refused():
    found = messages(bank_with_question("id: q1\ntext: Safe?\nanswer: true\ntags: electrical"))

    assert found == ["'tags' must be a list, not 'electrical'"]


# --------------------------------------------------------------------------- reporting


def test_every_problem_is_reported_at_once_in_file_order():
    found = problems("""\
        id: Fire Safety
        title: ''
        quiz:
          pass_score: 120
          review: later
        questions:
          - id: q1
            text: Pick
            choices: {A: a, C: c}
            answer: D
            anwser: A
          - id: q1
            text: Safe?
            answer: perhaps
    """)

    assert found == [
        "bank.yaml:1:5: bank id 'Fire Safety' is not valid: use 2 to 64 lowercase letters, "
        "digits and '-', starting with a letter or digit",
        "bank.yaml:2:8: 'title' must not be empty",
        "bank.yaml:4:15: 'pass_score' must be between 0 and 100, not 120",
        "bank.yaml:5:11: 'review' must be one of after_submit, after_pass, never, not 'later'",
        "bank.yaml:9:21: choices must use consecutive letters from A; 'B' is missing",
        "bank.yaml:10:13: answer 'D' has no such choice (the choices are A, C)",
        "bank.yaml:11:5: unknown key 'anwser'; did you mean 'answer'?",
        "bank.yaml:12:9: question id 'q1' is already used by the question on line 7",
        "bank.yaml:14:13: a true_false answer must be true or false (or 对/错, 正确/错误, T/F), "
        "not 'perhaps'",
    ]


def test_bank_error_carries_every_problem_and_prints_one_per_line():
    with pytest.raises(BankError) as caught:
        parse(MINIMAL.replace("title: Fire safety", "title: ''") + "extra: 1\n")

    error = caught.value
    assert [p.line for p in error.problems] == [2, 10]
    assert str(error) == "\n".join(str(p) for p in error.problems)
    assert isinstance(error, ValueError)


def test_bank_error_survives_pickling():
    with pytest.raises(BankError) as caught:
        parse(MINIMAL + "extra: 1\n")

    copy = pickle.loads(pickle.dumps(caught.value))  # noqa: S301 - our own bytes, just made
    assert copy.problems == caught.value.problems and str(copy) == str(caught.value)


def test_problem_prints_as_file_line_column_message():
    assert str(Problem("a.yaml", 3, 5, "bad")) == "a.yaml:3:5: bad"


def test_a_flood_of_problems_is_cut_off_with_a_note():
    text = "a: &a x\n" + "".join(f"k{n}: *a\n" for n in range(MAX_PROBLEMS + 500))

    found = messages(text)

    assert len(found) == MAX_PROBLEMS + 1
    assert found[-1] == f"too many problems; only the first {MAX_PROBLEMS} are shown"


def test_pure_python_parser_reads_the_same(monkeypatch):
    monkeypatch.setattr(bank_format, "_Loader", yaml.SafeLoader)

    assert parse(CONTRACT_EXAMPLE) == CONTRACT_BANK
    assert problems(MINIMAL + "titel: x\ntitle: y\n") == [
        "bank.yaml:10:1: unknown key 'titel'; did you mean 'title'?",
        "bank.yaml:11:1: key 'title' appears twice in this mapping (first on line 2)",
    ]
    assert problems("id: x\ntitle: Fire\x07\n")[0].startswith("bank.yaml:2:12: ")


def test_five_thousand_questions_are_read_in_full():
    bank = parse_bank(big_bank(5000), "big.yaml")

    assert len(bank.questions) == 5000
    assert bank.question("q4997").text == "配电箱可以不上锁4997。"


def big_bank(count: int) -> bytes:
    """A generated bank of every question type, about 150 bytes a question."""
    parts = [
        "id: big-bank\ntitle: Big bank\nquiz:\n  time_limit: 1h\n  questions: 50\nquestions:\n"
    ]
    for n in range(count):
        if n % 3 == 0:
            parts.append(
                f"  - id: q{n}\n    text: Question {n} - which one?\n    choices:\n"
                f"      A: 'No'\n      B: On\n      C: 第{n}个\n    answer: B\n"
                f"    explanation: Rule {n}.\n    tags: [a, b]\n"
            )
        elif n % 3 == 1:
            parts.append(
                f"  - id: q{n}\n    type: multiple\n    text: |\n      Multi {n}\n      two\n"
                "    choices: {A: x, B: y, C: z}\n    answer: [A, C]\n    points: 2\n"
            )
        else:
            parts.append(f"  - id: q{n}\n    text: 配电箱可以不上锁{n}。\n    answer: 错\n")
    return "".join(parts).encode()


# --------------------------------------------------------------------------- normal form and hash


def test_bank_to_dict_spells_out_every_setting_and_answers_as_lists():
    data = bank_to_dict(parse(CONTRACT_EXAMPLE))

    assert data["quiz"] == {
        "time_limit": 900,
        "questions": 3,
        "pass_score": 80,
        "max_attempts": 3,
        "shuffle_questions": True,
        "shuffle_choices": True,
        "review": "after_submit",
        "valid_for_days": 365,
        "scoring": "all_or_nothing",
    }
    assert data["questions"][2] == {
        "id": "elec-003",
        "type": "true_false",
        "text": "配电箱可以不上锁。",
        "choices": {},
        "answer": ["F"],
        "explanation": None,
        "points": 1,
        "image": None,
        "tags": ["配电箱"],
    }
    assert json.loads(json.dumps(data)) == data


def test_bank_from_dict_inverts_bank_to_dict():
    for text in VALID_BANKS.values():
        bank = parse(text)
        assert bank_from_dict(bank_to_dict(bank)) == bank
        assert bank_from_dict(json.loads(json.dumps(bank_to_dict(bank)))) == bank


def test_content_hash_of_the_contract_example_is_pinned():
    # Stored versions keep this hash; if it changes, every re-import makes a new version.
    assert content_hash(parse(CONTRACT_EXAMPLE)) == (
        "5af065c3e57f3cc3466b6bb0c7882e371c25b005c120ebf27222045aa1a25559"
    )


def test_content_hash_ignores_comments_formatting_key_order_and_spelling():
    rewritten = """\
        # the same bank, written differently
        questions:
        - answer: 'B'
          explanation: "先断电，再施救；不可直接接触触电者。"
          choices: {C: 用湿木棍挑开电线, A: 立即用手把人拉开, B: 迅速切断电源}
          text: 发现有人触电，首先应当怎么做？
          id: elec-001
        - id: elec-002
          text: 下列哪些属于临时用电“三级配电、两级保护”的要求？
          choices: {A: 总配电箱, B: 分配电箱, C: 开关箱, D: 随意拉接插线板}
          answer: CBA
          points: 2
        - {id: elec-003, text: 配电箱可以不上锁。, answer: 错, tags: [配电箱]}
        quiz: {max_attempts: 3, time_limit: 900, questions: 3, valid_for_days: 365}
        description: 施工现场临时用电基础知识
        language: zh-CN
        title: 临时用电安全
        id: electrical-safety
    """

    assert content_hash(parse(rewritten)) == content_hash(parse(CONTRACT_EXAMPLE))


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("迅速切断电源", "迅速切断电源。"),
        ("answer: B", "answer: C"),
        ("pass_score: 80", "pass_score: 90"),
        ("points: 2", "points: 3"),
        ("tags: [配电箱]", "tags: [配电]"),
        ("id: elec-001", "id: elec-101"),
    ],
)
def test_content_hash_changes_with_content(old, new):
    changed = CONTRACT_EXAMPLE.replace(old, new)

    assert changed != CONTRACT_EXAMPLE
    assert content_hash(parse(changed)) != content_hash(parse(CONTRACT_EXAMPLE))


def test_content_hash_is_a_sha256_hex_digest():
    digest = content_hash(parse(MINIMAL))

    assert len(digest) == 64 and int(digest, 16) >= 0


# --------------------------------------------------------------------------- export


def test_dump_yaml_writes_the_contract_format_readably():
    assert dump_yaml(parse(CONTRACT_EXAMPLE)) == dedent("""\
        id: electrical-safety
        title: 临时用电安全
        language: zh-CN
        description: 施工现场临时用电基础知识
        quiz:
          time_limit: 15m
          questions: 3
          max_attempts: 3
          valid_for_days: 365
        questions:
          - id: elec-001
            text: 发现有人触电，首先应当怎么做？
            choices:
              A: 立即用手把人拉开
              B: 迅速切断电源
              C: 用湿木棍挑开电线
            answer: B
            explanation: 先断电，再施救；不可直接接触触电者。
          - id: elec-002
            type: multiple
            text: 下列哪些属于临时用电“三级配电、两级保护”的要求？
            choices:
              A: 总配电箱
              B: 分配电箱
              C: 开关箱
              D: 随意拉接插线板
            answer: [A, B, C]
            points: 2
          - id: elec-003
            type: true_false
            text: 配电箱可以不上锁。
            answer: false
            tags: [配电箱]
        """)


def test_dump_yaml_omits_a_quiz_of_defaults():
    assert "quiz" not in dump_yaml(parse(MINIMAL))


def test_dump_yaml_writes_every_changed_setting():
    settings = QuizSettings(
        time_limit=5400,
        questions=1,
        pass_score=0,
        max_attempts=1,
        shuffle_questions=False,
        shuffle_choices=False,
        review="never",
        valid_for_days=30,
        scoring="partial",
    )
    bank = Bank("b1", "T", None, None, settings, parse(MINIMAL).questions)

    dumped = dump_yaml(bank)

    assert "time_limit: 1h30m\n" in dumped and "shuffle_choices: false\n" in dumped
    assert parse_bank(dumped.encode(), "x.yaml") == bank


def test_dump_yaml_writes_multi_line_text_as_a_literal_block():
    question = question_of("id: q1\ntext: |\n  First line\n  second line\nanswer: true")

    dumped = dump_yaml(Bank("b1", "T", None, None, QuizSettings(), (question,)))

    assert "    text: |\n      First line\n      second line\n" in dumped


TRICKY_TEXTS = [
    "No",
    "On",
    "off",
    "1.50",
    "010",
    "0o17",
    "true",
    "null",
    "~",
    "y",
    "2024-01-01",
    "1_000",
    "12:30",
    ".inf",
    "=",
    "<<",
    "#x",
    ": x",
    "x: y",
    "a #b",
    "- item",
    "[x]",
    "{x}",
    "*star",
    "&anchor",
    "!bang",
    "%percent",
    "@at",
    "`tick",
    "|pipe",
    ">fold",
    "'single'",
    '"double"',
    "?",
    " leading space",
    "trailing space ",
    "tab\tinside",
    "line one\nline two",
    "ends with newline\n",
    "ends with two newlines\n\n",
    "\nstarts with newline",
    "  indented first line\nsecond",
    "trailing spaces \nnext",
    "back\\slash",
    "临时用电“安全”：注意！",
    "emoji ⚡🔥👷",
    "mixed 中文 and English: yes",
    "\u2028line separator",
    "carriage\rreturn",
    "nbsp\u00a0inside",
    "zero\u200bwidth",
    "\ufeffbom",
    "x" * 300,
]


@pytest.mark.parametrize("text", TRICKY_TEXTS, ids=[repr(t)[:30] for t in TRICKY_TEXTS])
def test_dump_yaml_round_trips_tricky_texts(text):
    question = Question(
        id="q1",
        type="multiple",
        text=text,
        choices=(("A", text), ("B", "plain")),
        answer=("A",),
        explanation=text,
        tags=(text, "plain"),
    )
    # A title may hold at most 200 characters.
    bank = Bank("tricky", text[:200], None, text, QuizSettings(), (question,))

    assert parse_bank(dump_yaml(bank).encode(), "x.yaml") == bank


@pytest.mark.parametrize("text", TRICKY_TEXTS, ids=[repr(t)[:30] for t in TRICKY_TEXTS])
def test_dump_yaml_round_trips_tricky_texts_through_the_pure_python_parser(text, monkeypatch):
    monkeypatch.setattr(bank_format, "_Loader", yaml.SafeLoader)
    question = Question("q1", "single", text, (("A", text), ("B", "x")), ("A",))
    bank = Bank("tricky", "T", None, None, QuizSettings(), (question,))

    assert parse_bank(dump_yaml(bank).encode(), "x.yaml") == bank


@pytest.mark.parametrize("question_id", ["001", "1.5", "true", "null", "1e3", "0x1F", "No"])
def test_dump_yaml_quotes_ids_that_would_read_as_other_types(question_id):
    question = Question(question_id, "true_false", "Safe?", (), ("T",))
    bank = Bank("b1", "T", None, None, QuizSettings(), (question,))

    dumped = dump_yaml(bank)

    assert f"- id: '{question_id}'\n" in dumped
    assert yaml.safe_load(dumped)["questions"][0]["id"] == question_id


def test_dump_yaml_keeps_chinese_and_emoji_unescaped():
    bank = parse(MINIMAL.replace("Fire safety", "消防安全 🔥"))

    assert "title: 消防安全 🔥\n" in dump_yaml(bank)


def test_dump_yaml_round_trips_every_valid_example():
    for text in VALID_BANKS.values():
        bank = parse(text)
        assert parse_bank(dump_yaml(bank).encode(), "x.yaml") == bank


def test_dump_yaml_round_trips_a_large_bank():
    bank = parse_bank(big_bank(300), "big.yaml")

    assert parse_bank(dump_yaml(bank).encode(), "x.yaml") == bank


# --------------------------------------------------------------------------- durations


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(900, "15m"), (5400, "1h30m"), (90, "1m30s"), (3600, "1h"), (30, "30s"), (3661, "1h1m1s")],
)
def test_format_duration(seconds, text):
    assert format_duration(seconds) == text
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90s", 90),
        ("15m", 900),
        ("1h", 3600),
        ("1h30m", 5400),
        ("1h 30m", 5400),
        ("900", 900),
        (900, 900),
        (" 15m ", 900),
        ("0", 0),
    ],
)
def test_parse_duration_accepts_the_contract_forms(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    "text", ["", "h", "1h30", "30m1h", "1.5h", "15M", "15 minutes", True, -5, None, 1.5]
)
def test_parse_duration_refuses_anything_else(text):
    assert parse_duration(text) is None


def test_format_duration_refuses_negative_seconds():
    with pytest.raises(ValueError):
        format_duration(-1)
