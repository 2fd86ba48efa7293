"""GIFT and Aiken files in, GIFT out (quizapp.banks.interchange), against the formats' own
documented examples (docs.moodle.org/en/GIFT_format and docs.moodle.org/en/Aiken_format)."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from quizapp.banks.format import (
    BankError,
    Question,
    QuizSettings,
    dump_yaml,
    parse_bank,
)
from quizapp.banks.interchange import (
    FALLBACK_BANK_ID,
    aiken_to_bank,
    bank_to_gift,
    convert_file,
    decode_text,
    default_bank_id,
    default_title,
    gift_to_bank,
    guess_format,
)

ROOT = Path(__file__).resolve().parents[2]


def gift(text: str, bank_id: str = "moodle-examples", title: str = "Moodle examples"):
    return gift_to_bank(dedent(text), "examples.gift", bank_id=bank_id, title=title)


def aiken(text: str):
    return aiken_to_bank(dedent(text), "examples.txt", bank_id="aiken-examples", title="Aiken")


def problems(convert, text: str, **names) -> list[str]:
    """Every problem as 'LINE:COLUMN: message', without the file name."""
    with pytest.raises(BankError) as caught:
        convert(dedent(text), "bad.gift", **{"bank_id": "bad", "title": "Bad", **names})
    assert all(problem.file == "bad.gift" for problem in caught.value.problems)
    return [str(problem).removeprefix("bad.gift:") for problem in caught.value.problems]


def only(bank) -> Question:
    assert len(bank.questions) == 1
    return bank.questions[0]


# --------------------------------------------------------------------------- GIFT question types


def test_multiple_choice_with_one_right_answer_is_a_single_question():
    question = only(gift("Who's buried in Grant's tomb?{~Grant ~Jefferson =no one}"))
    assert question.type == "single"
    assert question.text == "Who's buried in Grant's tomb?"
    assert question.choices == (("A", "Grant"), ("B", "Jefferson"), ("C", "no one"))
    assert question.answer == ("C",)


def test_missing_word_format_leaves_a_blank_where_the_answers_were():
    question = only(gift("Grant is {~buried =entombed ~living} in Grant's tomb."))
    assert question.text == "Grant is ___ in Grant's tomb."
    assert question.answer == ("B",)


def test_answers_may_be_written_one_per_line():
    bank = gift(
        """\
        The American holiday of Thanksgiving is celebrated on the {
            ~second
            ~third
            =fourth
        } Thursday of November.

        Japanese characters originally came from what country? {
            ~India
            =China
            ~Korea
            ~Egypt}
        """
    )
    first, second = bank.questions
    thanksgiving = (
        "The American holiday of Thanksgiving is celebrated on the ___ Thursday of November."
    )
    assert first.text == thanksgiving
    assert first.choices == (("A", "second"), ("B", "third"), ("C", "fourth"))
    assert first.answer == ("C",)
    assert second.text == "Japanese characters originally came from what country?"
    assert second.answer == ("B",)


def test_weighted_choices_without_an_equals_sign_are_a_multiple_answer_question():
    question = only(
        gift(
            """\
            What two people are entombed in Grant's tomb? {
               ~%-100%No one
               ~%50%Grant
               ~%50%Grant's wife
               ~%-100%Grant's father
            }
            """
        )
    )
    assert question.type == "multiple"
    assert question.choices == (
        ("A", "No one"),
        ("B", "Grant"),
        ("C", "Grant's wife"),
        ("D", "Grant's father"),
    )
    assert question.answer == ("B", "C")


def test_partial_credit_on_a_single_answer_question_is_dropped():
    question = only(gift("Pick the best: {=best ~%50%good ~bad}"))
    assert (question.type, question.answer) == ("single", ("A",))
    assert question.choices[1] == ("B", "good")


@pytest.mark.parametrize(
    ("written", "answer"), [("T", "T"), ("TRUE", "T"), ("F", "F"), ("FALSE", "F")]
)
def test_true_false_in_all_four_spellings(written, answer):
    question = only(gift(f"Grant was buried in a tomb in New York City.{{{written}}}"))
    assert question.type == "true_false"
    assert question.choices == ()
    assert question.answer == (answer,)


def test_answer_feedback_is_dropped_and_general_feedback_becomes_the_explanation():
    bank = gift(
        """\
        What's the answer to this multiple-choice question? {
        ~wrong answer#feedback comment on the wrong answer
        ~another wrong answer#feedback comment on this wrong answer
        =right answer#Very good!}

        Grant is buried in Grant's tomb.{FALSE#No one is buried in Grant's tomb.}

        What is the capital of France? {
        =Paris#Right.
        ~London
        ####The capital of France is Paris.}

        The sun rises in the East.{T#Wrong.#Right.####It rises in the east, every day.}
        """
    )
    multiple, true_false, capital, sun = bank.questions
    assert multiple.choices == (
        ("A", "wrong answer"),
        ("B", "another wrong answer"),
        ("C", "right answer"),
    )
    assert multiple.explanation is None
    assert (true_false.answer, true_false.explanation) == (("F",), None)
    assert capital.choices == (("A", "Paris"), ("B", "London"))
    assert capital.explanation == "The capital of France is Paris."
    assert (sun.answer, sun.explanation) == (("T",), "It rises in the east, every day.")


def test_comments_and_blank_lines_separate_and_annotate_questions():
    bank = gift(
        """\
        // true/false
        ::Q1:: 1+1=2 {T}

        // multiple choice with specified feedback for right and wrong answers
        ::Q2:: What's between orange and green in the spectrum?
        { =yellow # right; good! ~red # wrong, it's yellow ~blue # wrong, it's yellow }
        """
    )
    q1, q2 = bank.questions
    assert (q1.id, q1.text, q1.answer) == ("Q1", "1+1=2", ("T",))
    assert q2.id == "Q2"
    assert q2.text == "What's between orange and green in the spectrum?"
    assert q2.choices == (("A", "yellow"), ("B", "red"), ("C", "blue"))


def test_escaped_control_characters_are_text():
    bank = gift(
        r"""
        Which answer equals 5? {
         ~ \= 2 + 2
         = \= 2 + 3
         ~ \= 2 + 4 }

        ::GIFT Control Characters::Which of the following is NOT a control character for the GIFT import format? {
           ~ \~     # \~ is a control character.
           ~ \=     # \= is a control character.
           ~ \#     # \# is a control character.
           ~ \{     # \{ is a control character.
           ~ \}     # \} is a control character.
           = \\     # Correct! \ (backslash) is not a control character. BUT,
                      it is used to escape the control characters.
        }

        Line one\nline two with a colon\: {T}
        """  # noqa: E501 - the documentation's line, as written
    )
    equals, control, lines = bank.questions
    assert equals.choices == (("A", "= 2 + 2"), ("B", "= 2 + 3"), ("C", "= 2 + 4"))
    assert equals.answer == ("B",)
    assert control.id == "GIFT-Control-Characters"
    assert [text for _, text in control.choices] == ["~", "=", "#", "{", "}", "\\"]
    assert control.answer == ("F",)
    assert lines.text == "Line one\nline two with a colon:"


def test_categories_become_tags_of_the_questions_after_them():
    bank = gift(
        """\
        // question: 0  name: Switch category to $course$/top/Electrical
        $CATEGORY: $course$/top/Electrical

        Switch off first.{T}

        $CATEGORY: tom/dick/harry
        Dick is in harry.{T}

        Still in harry.{T}
        """
    )
    assert [question.tags for question in bank.questions] == [
        ("Electrical",),
        ("tom/dick/harry",),
        ("tom/dick/harry",),
    ]


def test_question_names_become_ids_when_they_can_be():
    bank = gift(
        """\
        ::elec-001::Switch off first.{T}

        ::Grant's tomb::Who is buried there?{=no one ~Grant}

        ::触电急救::Pull the person away by hand.{F}

        No name here.{T}

        ::elec-001::The same name again.{T}

        ::q3::A name that looks generated.{T}
        """
    )
    assert [question.id for question in bank.questions] == [
        "elec-001",
        "q2",  # an apostrophe is not allowed in an id
        "q3-2",  # nor Chinese; q3 is taken by the question that asked for it
        "q4",
        "elec-001-2",
        "q3",
    ]


def test_spaces_in_a_name_become_hyphens():
    assert only(gift("::Fire exit 1::Keep exits clear.{T}")).id == "Fire-exit-1"


def test_html_text_is_read_as_plain_text_and_other_formats_are_kept():
    bank = gift(
        """\
        ::html::[html]<p dir\\="ltr">What is <b>2&nbsp;+&nbsp;2</b>?</p><p>Think &amp; answer.</p>{
        \t=<p>4</p>
        \t~<p>5 &lt; 6</p>
        \t####<p>Simple.</p>}

        ::markdown::[markdown]Is **this** bold?{TRUE}

        ::plain::[plain]<b> is shown as written{T}
        """
    )
    html, markdown, plain = bank.questions
    assert html.text == "What is 2 + 2?\nThink & answer."
    assert html.choices == (("A", "4"), ("B", "5 < 6"))
    assert html.explanation == "Simple."
    assert markdown.text == "Is **this** bold?"
    assert plain.text == "<b> is shown as written"


def test_chinese_questions():
    bank = gift(
        """\
        // 临时用电
        $CATEGORY: 临时用电

        ::elec-001::发现有人触电，首先应当怎么做？{
        \t~立即用手把人拉开
        \t=迅速切断电源
        \t~用湿木棍挑开电线
        \t####先断电，再施救；不可直接接触触电者。
        }

        下列哪些属于“三级配电、两级保护”的要求？{
        \t~%33.33333%总配电箱
        \t~%33.33333%分配电箱
        \t~%33.33333%开关箱
        \t~%-100%随意拉接插线板
        }

        配电箱可以不上锁。{F}
        """,
        bank_id="electrical-safety",
        title="临时用电安全",
    )
    first, second, third = bank.questions
    assert bank.title == "临时用电安全"
    assert first.text == "发现有人触电，首先应当怎么做？"
    assert first.answer == ("B",)
    assert first.explanation == "先断电，再施救；不可直接接触触电者。"
    assert (second.type, second.answer) == ("multiple", ("A", "B", "C"))
    assert (third.type, third.answer, third.tags) == ("true_false", ("F",), ("临时用电",))


def test_the_bank_is_what_parse_bank_makes_of_the_same_questions_in_yaml():
    converted = gift(
        """\
        $CATEGORY: 配电箱

        ::elec-001::发现有人触电，首先应当怎么做？{~立即用手把人拉开 =迅速切断电源 ####先断电。}

        ::elec-002::Which are required? {~%50%A ~%50%B ~%-100%no}

        ::elec-003::配电箱可以不上锁。{FALSE}
        """,
        bank_id="electrical-safety",
        title="临时用电安全",
    )
    written = dedent(
        """\
        id: electrical-safety
        title: 临时用电安全
        questions:
          - id: elec-001
            text: 发现有人触电，首先应当怎么做？
            choices:
              A: 立即用手把人拉开
              B: 迅速切断电源
            answer: B
            explanation: 先断电。
            tags: [配电箱]
          - id: elec-002
            text: Which are required?
            choices: {A: A, B: B, C: 'no'}
            answer: AB
            tags: [配电箱]
          - id: elec-003
            text: 配电箱可以不上锁。
            answer: 错
            tags: [配电箱]
        """
    )
    assert converted == parse_bank(written.encode(), "written.yaml")
    # What the CLI stores is this YAML: reading it again gives the same bank.
    assert parse_bank(dump_yaml(converted).encode(), "stored.yaml") == converted


def test_windows_line_endings_and_a_byte_order_mark():
    bank = gift_to_bank(
        "\ufeff// comment\r\n::a::First?{T}\r\n\r\n::b::Second?{\r\n=yes\r\n~no\r\n}\r\n",
        "windows.gift",
        bank_id="windows",
        title="Windows",
    )
    assert [(q.id, q.text) for q in bank.questions] == [("a", "First?"), ("b", "Second?")]
    assert bank.questions[1].choices == (("A", "yes"), ("B", "no"))


# --------------------------------------------------------------------------- GIFT problems


def test_unsupported_question_types_are_refused_at_their_line():
    found = problems(
        gift_to_bank,
        """\
        // matching
        ::Q4:: Which animal eats which food? { =cat -> cat food =dog -> dog food }

        // math range question
        ::Q5:: What is a number from 1 to 5? {#3:2}

        // fill-in-the-blank
        ::Q3:: Two plus {=two =2} equals four.

        // missing word with only one answer
          Grant is {=entombed} in Grant's tomb.

        // essay
        ::Q8:: How are you? {}

        // description
        You can use your pencil and paper for these next math questions.

        Fine.{T}
        """,
    )
    supported = "quizapp supports single, multiple and true/false"
    assert found == [
        f"2:1: GIFT matching questions cannot be converted: {supported}",
        f"5:1: GIFT numerical questions cannot be converted: {supported}",
        f"8:1: GIFT short answer questions cannot be converted: {supported}",
        f"11:3: GIFT short answer questions cannot be converted: {supported}",
        f"14:1: GIFT essay questions cannot be converted: {supported}",
        f"17:1: GIFT description questions cannot be converted: {supported}",
    ]


def test_every_problem_in_a_file_is_reported_with_its_position():
    found = problems(
        gift_to_bank,
        """\
        ::unclosed name {=a ~b}

        Where is the end? {=a ~b

        A stray } brace.{=a ~b}

        Two blocks {=a ~b} and {=c ~d}.

        Two right answers?{=a =b ~c}

        Nothing right?{~a ~b ~%0%c}

        Too heavy?{~%150%a ~b}

        One choice only?{=a ~}

        Nine choices?{=a ~b ~c ~d ~e ~f ~g ~h ~i}

        Stray text {before ~a =b}

        An empty choice{=a ~ # nothing here}

        ::img::[html]<p>This sign? <img src\\="@@PLUGINFILE@@/sign.png"></p>{=Stop ~Go}
        """,
    )
    assert found == [
        "1:1: the question name opened with '::' is not closed with '::'",
        "3:19: the answer block opened with '{' is not closed with '}'",
        "5:9: unexpected '}': a question has one answer block; write a brace that belongs"
        " to the text as \\}",
        "7:24: unexpected '{': a question has one answer block; write a brace that belongs"
        " to the text as \\{",
        "9:23: more than one choice is marked right with '='; mark the right choices of a"
        " multiple-answer question with weights such as ~%50% instead",
        "11:15: no choice is right: mark the right choice with '=', or the right choices of a"
        " multiple-answer question with positive weights such as ~%50%",
        "13:12: weight 150% is out of range; weights run from -100% to 100%",
        "15:21: 'choice B' must not be empty",
        "17:14: a question needs 2 to 8 choices, not 9",
        "19:13: every choice must start with '=' (right) or '~' (wrong), not 'before'",
        "21:20: 'choice B' must not be empty",
        "23:1: an [html] text with an image or other media cannot be converted: bank texts are"
        " plain; describe the picture in words, or write the bank in YAML with an 'image'",
    ]


def test_a_question_without_text_is_reported_where_it_starts():
    assert problems(gift_to_bank, "Fine.{T}\n\n  ::empty::{T}\n") == [
        "3:3: 'text' must not be empty"
    ]


def test_a_file_without_questions():
    assert problems(gift_to_bank, "// only a comment\n\n$CATEGORY: x\n") == [
        "1:1: the file holds no questions"
    ]


def test_a_control_character_is_refused_where_it_is():
    assert problems(gift_to_bank, "Fine.{T}\n\nBell\x07{T}\n") == [
        "3:5: the file contains the control character U+0007; remove it"
    ]


def test_the_bank_id_and_title_are_checked_against_the_contract():
    found = problems(gift_to_bank, "Fine.{T}\n", bank_id="Not An Id!", title="x" * 201)
    assert found == [
        "1:1: bank id 'Not An Id!' is not valid: use 2 to 64 lowercase letters, digits and '-',"
        " starting with a letter or digit",
        "1:1: 'title' is 201 characters long; at most 200 are allowed",
    ]


def test_the_bank_id_is_checked_even_when_no_question_converts():
    found = problems(gift_to_bank, "Essay {}\n", bank_id="X")
    assert found[0].startswith("1:1: GIFT essay questions")
    assert found[1].startswith("1:1: bank id 'X' is not valid")


# --------------------------------------------------------------------------- Aiken


def test_aiken_documentation_example():
    bank = aiken(
        """\
        What is the correct answer to this question?
        A. Is it this one?
        B. Maybe this answer?
        C. Possibly this one?
        D. Must be this one!
        ANSWER: D

        Which LMS has the most quiz import formats?
        A) Moodle
        B) ATutor
        C) Claroline
        D) Blackboard
        E) WebCT
        F) Ilias
        ANSWER: A
        """
    )
    first, second = bank.questions
    assert (first.id, first.type, first.text) == (
        "q1",
        "single",
        "What is the correct answer to this question?",
    )
    assert first.choices[3] == ("D", "Must be this one!")
    assert first.answer == ("D",)
    assert second.id == "q2"
    assert [letter for letter, _ in second.choices] == ["A", "B", "C", "D", "E", "F"]
    assert second.answer == ("A",)


def test_aiken_in_chinese_with_full_width_punctuation_and_several_text_lines():
    bank = aiken(
        """\
        发现有人触电，
        首先应当怎么做？
        A．立即用手把人拉开
        B、迅速切断电源
        C）用湿木棍挑开电线
        Answer：B
        """
    )
    question = only(bank)
    assert question.text == "发现有人触电，\n首先应当怎么做？"
    assert question.choices == (
        ("A", "立即用手把人拉开"),
        ("B", "迅速切断电源"),
        ("C", "用湿木棍挑开电线"),
    )
    assert question.answer == ("B",)


def test_aiken_problems_carry_their_line_numbers():
    found = problems(
        aiken_to_bank,
        """\
        Missing answer line?
        A. yes
        B. no

        An answer with no such choice?
        A. yes
        B. no
        ANSWER: C

        Only one choice?
        A. yes
        ANSWER: A

        A gap in the letters?
        A. yes
        C. no
        ANSWER: A

        Two answers?
        A. yes
        B. no
        ANSWER: A, B

        The same letter twice?
        A. yes
        A. no
        ANSWER: A
        B. a choice before any question
        ANSWER: B
        """,
    )
    assert found == [
        "1:1: this question has no 'ANSWER: <letter>' line after its choices",
        "8:9: answer 'C' has no such choice (the choices are A, B)",
        "10:1: a question needs 2 to 8 choices, not 1",
        "16:1: choices must use consecutive letters from A; 'B' is missing",
        "22:9: 'ANSWER:' must be followed by the one letter of the right choice, such as"
        " 'ANSWER: B', not 'A, B'",
        "26:1: choice 'A' appears twice (first on line 25)",
        "28:1: choice 'B' comes before any question text",
    ]


def test_aiken_answer_before_any_question():
    assert problems(aiken_to_bank, "ANSWER: A\n") == [
        "1:1: 'ANSWER:' comes before any question text"
    ]


# --------------------------------------------------------------------------- GIFT out


SAMPLE_YAML = """\
id: electrical-safety
title: 临时用电安全
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
  - id: elec-003
    type: true_false
    text: 配电箱可以不上锁。
    answer: false
"""


def test_gift_export_of_each_question_type():
    bank = parse_bank(SAMPLE_YAML.encode(), "sample.yaml")
    assert bank_to_gift(bank) == dedent(
        """\
        // 临时用电安全
        // quizapp bank electrical-safety, as Moodle GIFT

        ::elec-001::发现有人触电，首先应当怎么做？{
        \t~立即用手把人拉开
        \t=迅速切断电源
        \t~用湿木棍挑开电线
        \t####先断电，再施救；不可直接接触触电者。
        }

        ::elec-002::下列哪些属于临时用电“三级配电、两级保护”的要求？{
        \t~%33.33333%总配电箱
        \t~%33.33333%分配电箱
        \t~%33.33333%开关箱
        \t~%-100%随意拉接插线板
        }

        ::elec-003::配电箱可以不上锁。{FALSE}
        """
    )


def test_gift_round_trip_keeps_every_question():
    bank = parse_bank(SAMPLE_YAML.encode(), "sample.yaml")
    back = gift_to_bank(bank_to_gift(bank), "x.gift", bank_id=bank.id, title=bank.title)
    assert back == bank


def test_gift_round_trip_of_texts_that_use_gift_syntax():
    tricky = dedent(
        """\
        id: tricky
        title: "Tricky: {GIFT} ~ = # \\\\ texts"
        questions:
          - id: t.1_x
            text: "Two lines:\\n{a} ~b =c #d \\\\e ::f:: // g ####h"
            choices:
              A: "%50% of the time"
              B: "[html]<b>not html</b>"
              C: "a -> b"
            answer: C
            explanation: "[markdown] #1 = {best}\\nsecond line"
          - id: t2
            type: multiple
            text: "[plain] $CATEGORY: x"
            choices:
              A: "%-100% sure"
              B: "=right"
              C: "~wrong"
              D: T
              E: "#"
            answer: [A, B, C, D, E]
          - id: t3
            type: true_false
            text: "Is {T} true?"
            answer: true
            explanation: "####"
        """
    )
    bank = parse_bank(tricky.encode(), "tricky.yaml")
    back = gift_to_bank(bank_to_gift(bank), "tricky.gift", bank_id=bank.id, title=bank.title)
    assert back == bank


@pytest.mark.parametrize(
    "path", sorted((ROOT / "question_banks").glob("*.yaml")), ids=lambda p: p.name
)
def test_gift_round_trip_of_the_demo_banks_keeps_what_gift_can_hold(path):
    bank = parse_bank(path.read_bytes(), path.name)
    back = gift_to_bank(bank_to_gift(bank), "demo.gift", bank_id=bank.id, title=bank.title)

    def what_gift_holds(question: Question) -> tuple:
        q = question
        return (q.id, q.type, q.text, q.choices, q.answer, q.explanation)

    assert list(map(what_gift_holds, back.questions)) == list(map(what_gift_holds, bank.questions))


def test_gift_export_names_what_it_leaves_out():
    bank = parse_bank(
        dedent(
            """\
            id: kept-short
            title: Short
            language: en
            quiz:
              pass_score: 90
            questions:
              - id: a
                text: Switch off first.
                answer: true
                points: 2
                tags: [power]
            """
        ).encode(),
        "short.yaml",
    )
    gift_text = bank_to_gift(bank)
    assert gift_text.splitlines()[2] == (
        "// not in this file, as GIFT has no place for them: language, quiz settings, points, tags"
    )
    back = gift_to_bank(gift_text, "short.gift", bank_id=bank.id, title=bank.title)
    assert back.quiz == QuizSettings()
    assert (back.questions[0].points, back.questions[0].tags) == (1, ())


def test_multiple_answer_weights_add_up_to_100_and_minus_100():
    bank = parse_bank(
        dedent(
            """\
            id: weights
            title: Weights
            questions:
              - id: w
                type: multiple
                text: Pick
                choices: {A: a, B: b, C: c, D: d, E: e, F: f, G: g}
                answer: [A, C, E]
            """
        ).encode(),
        "w.yaml",
    )
    assert bank_to_gift(bank).splitlines()[4:11] == [
        "\t~%33.33333%a",
        "\t~%-25%b",
        "\t~%33.33333%c",
        "\t~%-25%d",
        "\t~%33.33333%e",
        "\t~%-25%f",
        "\t~%-25%g",
    ]


# --------------------------------------------------------------------------- files and names


@pytest.mark.parametrize(
    ("filename", "bank_id"),
    [
        ("fire-safety.gift", "fire-safety"),
        ("uploads/Fire Safety (2024).GIFT", "fire-safety-2024"),
        ("C:\\banks\\Sécurité_électrique.txt", "securite-electrique"),
        ("电气安全.gift", FALLBACK_BANK_ID),
        ("a.gift", FALLBACK_BANK_ID),
        ("-x-.gift", FALLBACK_BANK_ID),
        ("__init__", "init"),
        ("x" * 70 + ".gift", "x" * 64),
    ],
)
def test_default_bank_id(filename, bank_id):
    assert default_bank_id(filename) == bank_id


def test_default_title_and_format_come_from_the_file_name():
    assert default_title("uploads/电气安全 2024.gift") == "电气安全 2024"
    assert (guess_format("a.GIFT"), guess_format("a.yaml"), guess_format("a.txt")) == (
        "gift",
        "yaml",
        "yaml",
    )


def test_convert_file_reads_bytes_with_defaults_from_the_name():
    bank, source = convert_file("配电箱可以不上锁。{F}".encode(), "dir/Site Power.gift", "gift")
    assert (bank.id, bank.title) == ("site-power", "Site Power")
    assert source == dump_yaml(bank)
    aiken_bank, _ = convert_file(b"Q?\nA. a\nB. b\nANSWER: A\n", "q.txt", "aiken", bank_id="qq")
    assert (aiken_bank.id, aiken_bank.title) == ("qq", "q")


def test_files_that_are_too_large_or_not_utf8_are_refused():
    with pytest.raises(BankError) as large:
        decode_text(b"x" * 11, "big.gift", max_bytes=10)
    assert str(large.value) == "big.gift:1:1: the file is 11 bytes; a bank may be at most 10 bytes"
    with pytest.raises(BankError) as latin:
        decode_text("ok\r\nSécurité".encode("latin-1"), "latin.gift")
    assert str(latin.value).startswith("latin.gift:2:2: the file is not UTF-8 text (byte 0xE9")
    assert decode_text("\ufeff配电箱".encode(), "bom.gift") == "配电箱"
