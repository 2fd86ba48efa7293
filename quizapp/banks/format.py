"""The question bank format: parse, validate, normalise and export banks.

This module is the code side of the contract in ``shared/bank-format.md``. It is pure: no
Flask, no database. Files are read with YAML *events* rather than ``yaml.safe_load`` so that
every key and value keeps its position for error messages, texts stay exactly as written
(``No`` is the text "No", never ``False``), and anchors, aliases, tags and duplicate keys are
seen and refused instead of being silently resolved.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

import yaml

MAX_BANK_BYTES = 2 * 1024 * 1024
#: Real banks nest four levels (bank > questions > question > choices); the limit only
#: stops hostile files early, before they cost memory or time.
MAX_DEPTH = 20
#: A file with more problems than this is broken beyond what a reader can use; the cap keeps
#: a hostile file (say a million aliases) from turning into a million Problem objects.
MAX_PROBLEMS = 1000

MIN_TIME_LIMIT = 30
MAX_TIME_LIMIT = 4 * 60 * 60
MIN_CHOICES = 2
MAX_CHOICES = 8
MAX_TITLE_LENGTH = 200
MAX_IMAGE_PATH_LENGTH = 255

QUESTION_TYPES = ("single", "multiple", "true_false")
REVIEW_MODES = ("after_submit", "after_pass", "never")
SCORING_MODES = ("all_or_nothing", "partial")
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".webp", ".gif")

# Key tuples are in the contract's order; dump_yaml and the JSON Schema follow them.
BANK_KEYS = ("id", "title", "language", "description", "quiz", "questions")
QUIZ_KEYS = (
    "time_limit",
    "questions",
    "pass_score",
    "max_attempts",
    "shuffle_questions",
    "shuffle_choices",
    "review",
    "valid_for_days",
    "scoring",
)
QUESTION_KEYS = (
    "id",
    "type",
    "text",
    "choices",
    "answer",
    "explanation",
    "points",
    "image",
    "image_alt",
    "tags",
)

BANK_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{1,63}$"
QUESTION_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
LANGUAGE_PATTERN = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
# A whole number of seconds, or hours, minutes and seconds in that order ("1h30m", "90s").
DURATION_PATTERN = (
    r"^\s*(?:([0-9]+)|(?=[0-9])(?:([0-9]+)\s*h)?\s*(?:([0-9]+)\s*m)?\s*(?:([0-9]+)\s*s)?)\s*$"
)

# The YAML 1.1 booleans PyYAML knows; a bank author who writes `shuffle_choices: no` means it.
TRUE_WORDS = ("true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON")
FALSE_WORDS = ("false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF")
# The contract's extra spellings for a true/false answer (Chinese crews write 对/错).
TRUE_ANSWERS = (*TRUE_WORDS, "T", "t", "对", "正确")
FALSE_ANSWERS = (*FALSE_WORDS, "F", "f", "错", "错误")

# Every sentence a bank author can read lives here, so that a later translation (Flask-Babel
# or a plain catalogue) has one place to work on. Fields are filled with str.format.
MESSAGES = {
    "file_too_large": "the file is {size}; a bank may be at most {limit}",
    "not_utf8": (
        "the file is not UTF-8 text (byte 0x{byte:02X} cannot be read); save it with UTF-8 encoding"
    ),
    "bad_character": (
        "the file contains the control character {code}, which YAML does not allow; remove it"
    ),
    "yaml_syntax": "YAML syntax error: {problem}",
    "yaml_syntax_context": "YAML syntax error: {problem} ({context} started on line {line})",
    "hint_tab": "; indent with spaces, not tabs",
    "hint_colon": "; a text that contains ': ' or ' #' must be put in quotes",
    "empty_file": "the file is empty; a bank needs at least 'id', 'title' and 'questions'",
    "not_one_mapping": (
        "the file must be one mapping of keys such as 'id', 'title' and 'questions', not {found}"
    ),
    "several_documents": (
        "the file holds more than one YAML document ('---'); put each bank in its own file"
    ),
    "anchor": "anchors (&{name}) are not allowed; write the content out in full",
    "alias": "aliases (*{name}) are not allowed; write the content out in full",
    "tag": "explicit tags such as '{tag}' are not allowed; remove it",
    "too_deep": "the file nests deeper than {limit} levels; a bank needs no more than 4",
    "key_not_text": "a key must be a plain word, not {found}",
    "duplicate_key": "key '{key}' appears twice in this mapping (first on line {first_line})",
    "unknown_key": "unknown key '{key}'",
    "unknown_key_allowed": "unknown key '{key}'; allowed keys are {allowed}",
    "did_you_mean": "{sentence}; did you mean '{suggestion}'?",
    "missing_key": "missing required key '{key}'",
    "missing_value": "'{key}' has no value",
    "expected_text": "'{key}' must be text, not {found}",
    "empty_text": "'{key}' must not be empty",
    "text_too_long": "'{key}' is {length} characters long; at most {limit} are allowed",
    "expected_mapping": "'{key}' must be a mapping of keys to values, not {found}",
    "expected_list": "'{key}' must be a list, not {found}",
    "expected_integer": "'{key}' must be a whole number, not {found}",
    "expected_boolean": "'{key}' must be true or false, not {found}",
    "integer_range": "'{key}' must be between {low} and {high}, not {value}",
    "integer_minimum": "'{key}' must be at least {low}, not {value}",
    "not_allowed_value": "'{key}' must be one of {allowed}, not '{value}'",
    "bad_bank_id": (
        "bank id '{value}' is not valid: use 2 to 64 lowercase letters, digits and '-', "
        "starting with a letter or digit"
    ),
    "bad_language": "language '{value}' is not a language tag such as 'zh-CN' or 'en'",
    "bad_duration": (
        "'time_limit' must be a duration such as 90s, 15m, 1h, 1h30m or a whole number "
        "of seconds, not {found}"
    ),
    "duration_range": "time_limit {value} is out of range: it must be between 30s and 4h",
    "quiz_questions_range": (
        "quiz 'questions' is {value} but the bank has {count} questions; "
        "it must be between 1 and {count}"
    ),
    "no_questions": "'questions' must list at least one question",
    "question_not_mapping": (
        "a question must be a mapping with 'id', 'text', 'answer', …, not {found}"
    ),
    "bad_question_id": (
        "question id '{value}' is not valid: use up to 64 letters, digits, '.', '_' and '-', "
        "starting with a letter or digit"
    ),
    "duplicate_question_id": (
        "question id '{value}' is already used by the question on line {first_line}"
    ),
    "choices_not_mapping": (
        "'choices' must be a mapping of letters to texts, one per line like 'A: …', not {found}"
    ),
    "bad_choice_letter": (
        "choice '{key}' is not valid; choices are labelled with capital letters A, B, C, …"
    ),
    "choice_gap": "choices must use consecutive letters from A; '{letter}' is missing",
    "choice_count": "a question needs {low} to {high} choices, not {count}",
    "missing_choices": "missing required key 'choices': a {type} question needs 2 to 8 choices",
    "true_false_with_choices": (
        "a true_false question has no choices; remove 'choices' or use type: single"
    ),
    "answer_not_letter": "'answer' must be one capital letter naming a choice, not {found}",
    "answer_letters_not_valid": (
        "'answer' must be choice letters such as [A, C] or AC, not {found}"
    ),
    "answer_several_for_single": (
        "answer '{value}' names several choices, but this question accepts only one; "
        "add 'type: multiple' if several answers are correct"
    ),
    "answer_list_for_single": (
        "a single-answer question takes one letter such as 'answer: B', not a list; "
        "add 'type: multiple' if several answers are correct"
    ),
    "answer_no_such_choice": "answer '{letter}' has no such choice (the choices are {letters})",
    "answer_repeated": "answer letter '{letter}' is given twice",
    "answer_empty": "a multiple-answer question needs at least one answer letter",
    "answer_not_true_false": (
        "a true_false answer must be true or false (or 对/错, 正确/错误, T/F), not {found}"
    ),
    "bad_image_path": (
        "image '{value}' is not a valid path inside the archive: use a relative path such as "
        "'images/sign.png' without '..', '\\', ':' or a leading '/'"
    ),
    "bad_image_extension": "image '{value}' must be a .png, .jpg, .jpeg, .webp or .gif file",
    "image_needs_zip": "images need a .zip upload that holds {value}",
    "image_not_in_archive": "image '{value}' is not in the archive",
    "image_alt_without_image": "image_alt describes the question's image: give it an image too",
    "empty_tag": "a tag must not be empty",
    "too_many_problems": "too many problems; only the first {limit} are shown",
    # Found-phrases complete the sentences above ("… must be text, not a list").
    "found_mapping": "a mapping",
    "found_list": "a list",
    "found_empty": "an empty value",
    "found_value": "'{value}'",
    "found_quoted": 'the quoted text "{value}"',
    # Archives (read by quizapp.banks.archive).
    "bad_zip": "the file is not a readable .zip archive ({reason})",
    "zip_too_many_files": "the archive holds {count} files; at most {limit} are allowed",
    "zip_too_large": "the archive unpacks to {size}; at most {limit} are allowed",
    "zip_unsafe_path": "the archive entry '{name}' has a path that leaves the archive",
    "zip_link": "the archive entry '{name}' is a link; links are not allowed",
    "zip_encrypted": (
        "the archive entry '{name}' is encrypted; upload an archive without a password"
    ),
    "zip_duplicate": "the archive holds '{name}' twice",
    "zip_unsupported": "the archive entry '{name}' uses a compression method that cannot be read",
    "zip_damaged": "the archive entry '{name}' is damaged ({reason})",
    "zip_no_bank": "the archive holds no .yaml or .yml bank file",
    "zip_several_banks": "the archive must hold exactly one .yaml or .yml bank file, not {names}",
    "zip_other_file": (
        "'{name}' is neither the bank nor an image (PNG, JPEG, WebP or GIF); remove it from "
        "the archive"
    ),
    "zip_not_image": "'{name}' is not a PNG, JPEG, WebP or GIF image, whatever its name says",
    "zip_image_too_large": "image '{name}' is {size}; an image may be at most {limit}",
}


def message(message_id: str, /, **fields: Any) -> str:
    """Return the author-facing sentence ``message_id`` with ``fields`` filled in."""
    return MESSAGES[message_id].format(**fields)


def format_size(size: int) -> str:
    """Return a byte count the way a person reads it: '512 bytes', '1.5 MiB'."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KiB".replace(".0 ", " ")
    return f"{size / (1024 * 1024):.1f} MiB".replace(".0 ", " ")


def format_sizes(size: int, limit: int) -> dict[str, str]:
    """The ``size`` and ``limit`` fields of a too-large message, exact where rounding hides
    the difference ('2 MiB; at most 2 MiB' says nothing)."""
    shown, most = format_size(size), format_size(limit)
    if shown == most:
        shown, most = f"{size:,} bytes", f"{limit:,} bytes"
    return {"size": shown, "limit": most}


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a bank file, at a 1-based line and column."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class BankError(ValueError):
    """A bank file is not valid; ``problems`` holds every problem found, in file order."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = sorted(problems, key=lambda p: (p.line, p.column))
        super().__init__("\n".join(str(problem) for problem in self.problems))

    def __reduce__(self) -> tuple[Any, ...]:
        # The default pickling passes the joined message back to __init__.
        return (type(self), (self.problems,))


@dataclass(frozen=True, slots=True)
class QuizSettings:
    """How a quiz drawn from a bank behaves; the defaults are the contract's."""

    time_limit: int | None = None
    questions: int | None = None
    pass_score: int = 80
    max_attempts: int | None = None
    shuffle_questions: bool = True
    shuffle_choices: bool = True
    review: str = "after_submit"
    valid_for_days: int | None = None
    scoring: str = "all_or_nothing"


@dataclass(frozen=True, slots=True)
class Question:
    """One question, normalised: letters sorted, true/false answers as 'T' or 'F'."""

    id: str
    type: str
    text: str
    choices: tuple[tuple[str, str], ...]
    answer: tuple[str, ...]
    explanation: str | None = None
    points: int = 1
    image: str | None = None
    #: What the image shows, for people who cannot see it (an extension of the contract:
    #: without it, pages describe the image by the question's text).
    image_alt: str | None = None
    tags: tuple[str, ...] = ()
    #: Where the question starts in its file; diagnostics only, so not part of the content.
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Bank:
    """A valid question bank."""

    id: str
    title: str
    language: str | None
    description: str | None
    quiz: QuizSettings
    questions: tuple[Question, ...]

    def question(self, question_id: str) -> Question:
        """Return the question with ``question_id``; KeyError if the bank has none."""
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)


# --------------------------------------------------------------------------- durations


def parse_duration(text: object) -> int | None:
    """Return seconds for '90s', '15m', '1h', '1h30m', '900' or 900; None if not a duration."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        return text if text >= 0 else None
    # The length cap keeps int() away from its 4,300-digit refusal.
    if not isinstance(text, str) or len(text) > 40:
        return None
    match = re.fullmatch(DURATION_PATTERN, text)
    if match is None:
        return None
    whole, hours, minutes, seconds = (int(part) if part else 0 for part in match.groups())
    return whole + hours * 3600 + minutes * 60 + seconds


def format_duration(seconds: int) -> str:
    """Return the shortest '1h30m'-style spelling of ``seconds`` (900 -> '15m')."""
    if seconds < 0:
        raise ValueError(f"a duration cannot be negative: {seconds}")
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [
        f"{hours}h" if hours else "",
        f"{minutes}m" if minutes else "",
        f"{secs}s" if secs else "",
    ]
    return "".join(parts) or "0s"


# --------------------------------------------------------------------------- the node tree
# A small tree built from parser events. Each node knows its 1-based position; scalars keep
# their text exactly and whether they were written plain (unquoted), which is all that is
# needed to decide what `true`, `010` or `~` mean in a given place.


@dataclass(slots=True, eq=False)
class _Scalar:
    value: str
    plain: bool
    line: int
    column: int


@dataclass(slots=True, eq=False)
class _Mapping:
    line: int
    column: int
    # key text -> (key node, value node), first occurrence only; duplicates are reported.
    entries: dict[str, tuple[_Scalar, _Node]] = field(default_factory=dict)


@dataclass(slots=True, eq=False)
class _Sequence:
    line: int
    column: int
    items: list[_Node] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class _Refused:
    """Stands in for an alias: already reported, so checks skip it quietly."""

    line: int
    column: int


_Node = _Scalar | _Mapping | _Sequence | _Refused

_NO_KEY = object()
_Loader = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader

# The characters YAML refuses (PyYAML's Reader and libyaml agree on this set). Checking them
# ourselves gives the same message and position whichever parser runs.
_NOT_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of ``text[index]``, counting line breaks as YAML does."""
    line, start = 1, 0
    for match in _LINE_BREAK.finditer(text, 0, index):
        line, start = line + 1, match.end()
    return line, index - start + 1


class _Reporter:
    """Collects problems for one file, capped at MAX_PROBLEMS."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.problems: list[Problem] = []
        self.dropped = 0

    def at(self, line: int, column: int, message_id: str, /, **fields: Any) -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            self.dropped += 1
            return
        text = message(message_id, **fields)
        self.problems.append(Problem(self.filename, line, column, text))

    def report(self, node: _Node, message_id: str, /, **fields: Any) -> None:
        self.at(node.line, node.column, message_id, **fields)

    def sorted_problems(self) -> list[Problem]:
        problems = sorted(self.problems, key=lambda p: (p.line, p.column))
        if self.dropped and problems:
            last = problems[-1]
            text = message("too_many_problems", limit=MAX_PROBLEMS)
            problems.append(Problem(self.filename, last.line, last.column, text))
        return problems


def _decode(data: bytes, reporter: _Reporter) -> str | None:
    """Return the file as text, or None after reporting why it is not UTF-8 YAML text."""
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        # The column counts characters, so measure the decoded prefix, not bytes.
        prefix = body[: error.start].decode("utf-8")
        line, column = _position(prefix, len(prefix))
        reporter.at(line, column, "not_utf8", byte=body[error.start])
        return None
    bad = _NOT_PRINTABLE.search(text)
    if bad is not None:
        line, column = _position(text, bad.start())
        reporter.at(line, column, "bad_character", code=f"U+{ord(bad.group()):04X}")
        return None
    return text


def _show(value: str, limit: int = 60) -> str:
    """A value as it can be quoted in a one-line message."""
    shown = value.replace("\n", "\\n").replace("\t", "\\t")
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org") else tag


class _LibyamlTooDeep(Exception):
    """libyaml refused a file for nesting beyond its own limit."""


class _TreeBuilder:
    """Turns parser events into a node tree, reporting what the format refuses on the way."""

    def __init__(self, text: str, reporter: _Reporter) -> None:
        self.text = text
        self.reporter = reporter
        # Each frame is [container, pending key]; the pending key is only used by mappings.
        self.stack: list[list[Any]] = []
        self.root: _Node | None = None

    def build(self) -> _Node | None:
        """Return the root node, or None if the file cannot be read as one YAML document."""
        try:
            return self._build_with(_Loader)
        except _LibyamlTooDeep:
            # libyaml scans ahead and gives up on its own nesting limit before the events that
            # cross ours reach us. The pure parser yields them one by one and stops at
            # MAX_DEPTH, so the message and its position are the same whichever parser runs.
            self.reporter.problems.clear()
            self.reporter.dropped = 0
            self.stack, self.root = [], None
            return self._build_with(yaml.SafeLoader)

    def _build_with(self, loader_class: Any) -> _Node | None:
        loader = loader_class(self.text)
        try:
            return self._consume(loader)
        except yaml.MarkedYAMLError as error:
            if loader_class is not yaml.SafeLoader and "nesting depth" in (error.problem or ""):
                raise _LibyamlTooDeep from error
            self._syntax_error(error)
            return None
        finally:
            loader.dispose()

    def _consume(self, loader: Any) -> _Node | None:
        documents = 0
        while True:
            event = loader.get_event()
            kind = type(event)
            mark = event.start_mark if event is not None else None
            # Scalars are most events, so they are tested first: a 5,000-question bank is
            # about 80,000 events.
            if kind is yaml.ScalarEvent:
                line, column = mark.line + 1, mark.column + 1
                if event.anchor is not None or event.tag is not None:
                    self._check_properties(event, line, column)
                # CParser marks plain style with '', the pure parser with None.
                self._attach(_Scalar(event.value, not event.style, line, column))
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                self.stack.pop()
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                line, column = mark.line + 1, mark.column + 1
                self._check_properties(event, line, column)
                if len(self.stack) >= MAX_DEPTH:
                    self.reporter.at(line, column, "too_deep", limit=MAX_DEPTH)
                    return None
                node: _Node
                if kind is yaml.MappingStartEvent:
                    node = _Mapping(line, column)
                else:
                    node = _Sequence(line, column)
                self._attach(node)
                self.stack.append([node, _NO_KEY])
            elif kind is yaml.AliasEvent:
                line, column = mark.line + 1, mark.column + 1
                self.reporter.at(line, column, "alias", name=event.anchor)
                self._attach(_Refused(line, column))
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    self.reporter.at(mark.line + 1, mark.column + 1, "several_documents")
                    return None
            elif event is None or kind is yaml.StreamEndEvent:
                return self.root

    def _check_properties(self, event: Any, line: int, column: int) -> None:
        if event.anchor is not None:
            self.reporter.at(line, column, "anchor", name=event.anchor)
        if event.tag is not None:
            self.reporter.at(line, column, "tag", tag=_short_tag(event.tag))

    def _attach(self, node: _Node) -> None:
        if not self.stack:
            self.root = node
            return
        frame = self.stack[-1]
        container = frame[0]
        if type(container) is _Sequence:
            container.items.append(node)
            return
        if frame[1] is _NO_KEY:
            frame[1] = node
            if type(node) is _Mapping or type(node) is _Sequence:
                self.reporter.report(node, "key_not_text", found=_found(node))
            return
        key, frame[1] = frame[1], _NO_KEY
        if type(key) is not _Scalar:
            return
        first = container.entries.get(key.value)
        if first is not None:
            self.reporter.report(
                key, "duplicate_key", key=_show(key.value), first_line=first[0].line
            )
        else:
            container.entries[key.value] = (key, node)

    def _syntax_error(self, error: yaml.MarkedYAMLError) -> None:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = error.problem or "the file cannot be read"
        context_mark = error.context_mark
        if error.context and context_mark is not None and context_mark.line + 1 != line:
            text = message(
                "yaml_syntax_context",
                problem=problem,
                context=re.sub(r"^while (scanning|parsing) ", "", error.context),
                line=context_mark.line + 1,
            )
        else:
            text = message("yaml_syntax", problem=problem)
        source_lines = _LINE_BREAK.split(self.text)
        source_line = source_lines[line - 1] if line - 1 < len(source_lines) else ""
        if (
            "\t" in source_line[: len(source_line) - len(source_line.lstrip(" \t"))]
            or "tab" in problem
        ):
            text += message("hint_tab")
        elif "mapping values are not allowed" in problem:
            text += message("hint_colon")
        self.reporter.problems.append(Problem(self.reporter.filename, line, column, text))


def _found(node: _Node) -> str:
    """The found-phrase for a node, completing 'must be X, not …'."""
    if isinstance(node, _Mapping):
        return message("found_mapping")
    if isinstance(node, _Sequence):
        return message("found_list")
    if not isinstance(node, _Scalar):
        return ""
    if node.plain and node.value == "":
        return message("found_empty")
    # Saying a quoted "80" is not a whole number only makes sense if the quotes show.
    return message("found_value" if node.plain else "found_quoted", value=_show(node.value))


def _is_null(node: _Node) -> bool:
    """True for an empty value or a plain null (`~`, `null`): the key counts as absent."""
    return (
        isinstance(node, _Scalar) and node.plain and node.value in ("", "~", "null", "Null", "NULL")
    )


def _suggest(word: str, candidates: tuple[str, ...]) -> str | None:
    """The candidate nearest to a misspelt ``word``, if any is near enough."""
    matches = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    if matches:
        return matches[0]
    # Case slips ('TITLE') score low with difflib; compare case-insensitively too.
    return {candidate.lower(): candidate for candidate in candidates}.get(word.lower())


def _integer(text: str) -> int | None:
    """A whole number written in decimal, or None; absurdly long numbers count as huge."""
    if not re.fullmatch(r"[-+]?[0-9]+", text):
        return None
    # int() refuses strings past 4300 digits; no setting needs more than a few.
    if len(text) > 18:
        return -(10**18) if text.startswith("-") else 10**18
    return int(text)


# The several-letter answer forms: "ABC", "A,B,C", "A, B", "A、B" (Chinese enumeration comma)
# and "A，B" (full-width comma). Letters beyond H are kept out so that words such as "NO" are
# not taken for letters.
_SEVERAL_LETTERS = re.compile(r"[A-H](?:\s*[,，、]?\s*[A-H])+")
_LETTERS = re.compile(r"[A-Z](?:\s*[,，、]?\s*[A-Z])*")
_TRUE_FALSE = {word: "T" for word in TRUE_ANSWERS} | {word: "F" for word in FALSE_ANSWERS}
_BOOLEANS = {word: True for word in TRUE_WORDS} | {word: False for word in FALSE_WORDS}


class _Checker:
    """Checks a node tree against the contract and builds the Bank, reporting every problem."""

    def __init__(self, reporter: _Reporter, image_paths: Collection[str] | None) -> None:
        self.reporter = reporter
        self.image_paths = image_paths

    def report(self, node: _Node, message_id: str, /, **fields: Any) -> None:
        self.reporter.report(node, message_id, **fields)

    # -- generic helpers --------------------------------------------------------------

    def entries(
        self, mapping: _Mapping, allowed: tuple[str, ...], required: tuple[str, ...]
    ) -> dict[str, _Node]:
        """The mapping's known keys with their values; unknown and missing keys reported."""
        values: dict[str, _Node] = {}
        for name, (key, value) in mapping.entries.items():
            if name in allowed:
                values[name] = value
                continue
            suggestion = _suggest(name, allowed)
            if suggestion is not None:
                sentence = message("unknown_key", key=_show(name))
                self.report(key, "did_you_mean", sentence=sentence, suggestion=suggestion)
            else:
                self.report(key, "unknown_key_allowed", key=_show(name), allowed=", ".join(allowed))
        for name in required:
            if name not in values:
                self.report(mapping, "missing_key", key=name)
            elif _is_null(values[name]) and name not in ("title", "text"):
                # An empty title or text gets text()'s clearer "must not be empty" instead.
                self.report(values[name], "missing_value", key=name)
                del values[name]
        return values

    def text(self, node: _Node, key: str, *, required: bool) -> str | None:
        """A text value kept exactly as written; an empty optional text counts as absent."""
        if isinstance(node, _Refused):
            return None
        if not isinstance(node, _Scalar):
            self.report(node, "expected_text", key=key, found=_found(node))
            return None
        if not node.value.strip():
            if required:
                self.report(node, "empty_text", key=key)
            return None
        return node.value

    def integer(self, node: _Node, key: str, low: int, high: int | None = None) -> int | None:
        """A plain whole number in [low, high]; booleans, floats and quoted numbers refused."""
        if isinstance(node, _Refused):
            return None
        value = _integer(node.value) if isinstance(node, _Scalar) and node.plain else None
        if value is None:
            self.report(node, "expected_integer", key=key, found=_found(node))
            return None
        if high is not None and not low <= value <= high:
            self.report(node, "integer_range", key=key, low=low, high=high, value=_show(node.value))
            return None
        if value < low:
            self.report(node, "integer_minimum", key=key, low=low, value=_show(node.value))
            return None
        return value

    def boolean(self, node: _Node, key: str) -> bool | None:
        if isinstance(node, _Refused):
            return None
        value = _BOOLEANS.get(node.value) if isinstance(node, _Scalar) else None
        if value is None:
            self.report(node, "expected_boolean", key=key, found=_found(node))
        return value

    def choice(self, node: _Node, key: str, allowed: tuple[str, ...]) -> str | None:
        """One of ``allowed``, with a 'did you mean' for near misses."""
        if isinstance(node, _Refused):
            return None
        if not isinstance(node, _Scalar):
            self.report(node, "expected_text", key=key, found=_found(node))
            return None
        if node.value in allowed:
            return node.value
        fields = {"key": key, "allowed": ", ".join(allowed), "value": _show(node.value)}
        suggestion = _suggest(node.value, allowed)
        if suggestion is None:
            self.report(node, "not_allowed_value", **fields)
        else:
            sentence = message("not_allowed_value", **fields)
            self.report(node, "did_you_mean", sentence=sentence, suggestion=suggestion)
        return None

    # -- the bank ---------------------------------------------------------------------

    def bank(self, root: _Node) -> Bank | None:
        if not isinstance(root, _Mapping):
            if isinstance(root, _Scalar) and root.plain and root.value == "":
                self.reporter.at(1, 1, "empty_file")
            elif not isinstance(root, _Refused):
                self.report(root, "not_one_mapping", found=_found(root))
            return None
        values = self.entries(root, BANK_KEYS, required=("id", "title", "questions"))

        bank_id = self.pattern_text(values.get("id"), "id", BANK_ID_PATTERN, "bad_bank_id")
        title = None
        if "title" in values:
            title = self.text(values["title"], "title", required=True)
            if title is not None and len(title) > MAX_TITLE_LENGTH:
                self.report(
                    values["title"],
                    "text_too_long",
                    key="title",
                    length=len(title),
                    limit=MAX_TITLE_LENGTH,
                )
        language = self.pattern_text(
            values.get("language"), "language", LANGUAGE_PATTERN, "bad_language"
        )
        description = None
        if "description" in values:
            description = self.text(values["description"], "description", required=False)

        questions: list[Question] = []
        question_count = None
        questions_node = values.get("questions")
        if questions_node is not None:
            question_count = self.questions(questions_node, questions)

        quiz = QuizSettings()
        quiz_node = values.get("quiz")
        if quiz_node is not None and not _is_null(quiz_node):
            quiz = self.quiz(quiz_node, question_count) or quiz

        if self.reporter.problems or self.reporter.dropped:
            return None
        assert bank_id is not None and title is not None
        return Bank(bank_id, title, language, description, quiz, tuple(questions))

    def pattern_text(self, node: _Node | None, key: str, pattern: str, error: str) -> str | None:
        """A text that must match ``pattern``; absent or empty gives None quietly."""
        if node is None or _is_null(node):
            return None
        value = self.text(node, key, required=True)
        if value is None:
            return None
        # fullmatch, because '$' alone would let a trailing newline through.
        if not re.fullmatch(pattern, value):
            self.report(node, error, value=_show(value))
            return None
        return value

    # -- quiz settings ----------------------------------------------------------------

    def quiz(self, node: _Node, question_count: int | None) -> QuizSettings | None:
        if isinstance(node, _Refused):
            return None
        if not isinstance(node, _Mapping):
            self.report(node, "expected_mapping", key="quiz", found=_found(node))
            return None
        values = {
            name: value
            for name, value in self.entries(node, QUIZ_KEYS, required=()).items()
            if not _is_null(value)
        }
        settings: dict[str, Any] = {}
        for name, value in values.items():
            if name == "time_limit":
                settings[name] = self.time_limit(value)
            elif name == "questions":
                settings[name] = self.quiz_questions(value, question_count)
            elif name == "pass_score":
                settings[name] = self.integer(value, name, 0, 100)
            elif name in ("max_attempts", "valid_for_days"):
                settings[name] = self.integer(value, name, 1)
            elif name in ("shuffle_questions", "shuffle_choices"):
                settings[name] = self.boolean(value, name)
            elif name == "review":
                settings[name] = self.choice(value, name, REVIEW_MODES)
            elif name == "scoring":
                settings[name] = self.choice(value, name, SCORING_MODES)
        if any(value is None for value in settings.values()):
            return None
        return QuizSettings(**settings)

    def time_limit(self, node: _Node) -> int | None:
        if isinstance(node, _Refused):
            return None
        if not isinstance(node, _Scalar):
            self.report(node, "bad_duration", found=_found(node))
            return None
        seconds = parse_duration(node.value)
        if seconds is None:
            self.report(node, "bad_duration", found=_found(node))
            return None
        if not MIN_TIME_LIMIT <= seconds <= MAX_TIME_LIMIT:
            self.report(node, "duration_range", value=_show(node.value))
            return None
        return seconds

    def quiz_questions(self, node: _Node, question_count: int | None) -> int | None:
        value = self.integer(node, "questions", 1)
        if value is not None and question_count and value > question_count:
            self.report(node, "quiz_questions_range", value=value, count=question_count)
            return None
        return value

    # -- questions --------------------------------------------------------------------

    def questions(self, node: _Node, questions: list[Question]) -> int | None:
        """Check the question list into ``questions``; return how many items it has."""
        if isinstance(node, _Refused):
            return None
        if not isinstance(node, _Sequence):
            self.report(node, "expected_list", key="questions", found=_found(node))
            return None
        if not node.items:
            self.report(node, "no_questions")
            return None
        seen: dict[str, int] = {}
        for item in node.items:
            question = self.question(item, seen)
            if question is not None:
                questions.append(question)
        return len(node.items)

    def question(self, node: _Node, seen: dict[str, int]) -> Question | None:
        if isinstance(node, _Refused):
            return None
        if not isinstance(node, _Mapping):
            self.report(node, "question_not_mapping", found=_found(node))
            return None
        problems_before = len(self.reporter.problems) + self.reporter.dropped
        values = self.entries(node, QUESTION_KEYS, required=("id", "text", "answer"))

        question_id = self.question_id(values.get("id"), seen)
        text = self.text(values["text"], "text", required=True) if "text" in values else None
        kind = self.question_type(values)
        choices_node = values.get("choices")
        if choices_node is not None and _is_null(choices_node):
            choices_node = None

        choices: tuple[tuple[str, str], ...] = ()
        letters: set[str] | None = None
        if kind == "true_false":
            if choices_node is not None:
                self.report(node.entries["choices"][0], "true_false_with_choices")
        elif choices_node is None:
            # Without a type or an answer the kind is a guess; 'missing answer' says enough.
            if "answer" in values or "type" in values:
                self.report(node, "missing_choices", type=kind)
        else:
            choices, letters = self.choices(choices_node)

        answer: tuple[str, ...] = ()
        if "answer" in values:
            answer = self.answer(values["answer"], kind, letters)

        explanation = None
        if "explanation" in values:
            explanation = self.text(values["explanation"], "explanation", required=False)
        points = 1
        if "points" in values and not _is_null(values["points"]):
            points = self.integer(values["points"], "points", 1) or 1
        image = None
        if "image" in values and not _is_null(values["image"]):
            image = self.image(values["image"])
        image_alt = None
        if "image_alt" in values and not _is_null(values["image_alt"]):
            image_alt = self.text(values["image_alt"], "image_alt", required=True)
            if "image" not in values or _is_null(values["image"]):
                self.report(values["image_alt"], "image_alt_without_image")
        tags: tuple[str, ...] = ()
        if "tags" in values and not _is_null(values["tags"]):
            tags = self.tags(values["tags"])

        if len(self.reporter.problems) + self.reporter.dropped > problems_before:
            return None
        if question_id is None or text is None or not answer:
            return None
        return Question(
            id=question_id,
            type=kind,
            text=text,
            choices=choices,
            answer=answer,
            explanation=explanation,
            points=points,
            image=image,
            image_alt=image_alt,
            tags=tags,
            line=node.line,
        )

    def question_id(self, node: _Node | None, seen: dict[str, int]) -> str | None:
        if node is None:
            return None
        value = self.pattern_text(node, "id", QUESTION_ID_PATTERN, "bad_question_id")
        if value is None:
            return None
        if value in seen:
            self.report(node, "duplicate_question_id", value=_show(value), first_line=seen[value])
            return None
        seen[value] = node.line
        return value

    def question_type(self, values: dict[str, _Node]) -> str:
        """The declared type, or the one the contract infers from the answer and choices."""
        declared = values.get("type")
        if declared is not None and not _is_null(declared):
            kind = self.choice(declared, "type", QUESTION_TYPES)
            if kind is not None:
                return kind
        # Inference follows the contract's order: a list or several letters means multiple;
        # a true/false answer without choices means true_false; anything else is single.
        answer = values.get("answer")
        if isinstance(answer, _Sequence):
            return "multiple"
        if isinstance(answer, _Scalar):
            if _SEVERAL_LETTERS.fullmatch(answer.value.strip()):
                return "multiple"
            choices = values.get("choices")
            if choices is None or _is_null(choices):
                if answer.value.strip() in _TRUE_FALSE:
                    return "true_false"
                # Not valid either way. No choices and no letter ('answer: maybe') reads as
                # a true/false question gone wrong, which gives the more useful message.
                if not _LETTERS.fullmatch(answer.value.strip()):
                    return "true_false"
        return "single"

    def choices(self, node: _Node) -> tuple[tuple[tuple[str, str], ...], set[str] | None]:
        """The choices in letter order, and the valid letters (None if unknown)."""
        if isinstance(node, _Refused):
            return (), None
        if not isinstance(node, _Mapping):
            self.report(node, "choices_not_mapping", found=_found(node))
            return (), None
        choices: dict[str, str] = {}
        letters: dict[str, _Scalar] = {}
        for name, (key, value) in node.entries.items():
            if not re.fullmatch(r"[A-Z]", name):
                if re.fullmatch(r"[a-z]", name):
                    sentence = message("bad_choice_letter", key=_show(name))
                    self.report(key, "did_you_mean", sentence=sentence, suggestion=name.upper())
                else:
                    self.report(key, "bad_choice_letter", key=_show(name))
                continue
            letters[name] = key
            text = self.text(value, f"choice {name}", required=True)
            if text is not None:
                choices[name] = text
        if letters:
            if not MIN_CHOICES <= len(letters) <= MAX_CHOICES:
                self.report(
                    node, "choice_count", low=MIN_CHOICES, high=MAX_CHOICES, count=len(letters)
                )
            for index in range(ord(max(letters)) - ord("A") + 1):
                letter = chr(ord("A") + index)
                if letter not in letters:
                    after = min((n for n in letters if n > letter), key=ord)
                    self.report(letters[after], "choice_gap", letter=letter)
                    break
        elif not node.entries:
            self.report(node, "choice_count", low=MIN_CHOICES, high=MAX_CHOICES, count=0)
        return tuple(sorted(choices.items())), set(letters)

    def answer(self, node: _Node, kind: str, letters: set[str] | None) -> tuple[str, ...]:
        if isinstance(node, _Refused):
            return ()
        if kind == "true_false":
            value = _TRUE_FALSE.get(node.value.strip()) if isinstance(node, _Scalar) else None
            if value is None:
                self.report(node, "answer_not_true_false", found=_found(node))
                return ()
            return (value,)
        if kind == "single":
            return self.single_answer(node, letters)
        return self.multiple_answer(node, letters)

    def single_answer(self, node: _Node, letters: set[str] | None) -> tuple[str, ...]:
        if isinstance(node, _Sequence):
            self.report(node, "answer_list_for_single")
            return ()
        if not isinstance(node, _Scalar):
            self.report(node, "answer_not_letter", found=_found(node))
            return ()
        value = node.value.strip()
        if re.fullmatch(r"[A-Z]", value):
            return self.known_letters([(value, node)], letters)
        if _LETTERS.fullmatch(value):
            self.report(node, "answer_several_for_single", value=_show(value))
        elif re.fullmatch(r"[a-z]", value):
            sentence = message("answer_not_letter", found=_found(node))
            self.report(node, "did_you_mean", sentence=sentence, suggestion=value.upper())
        else:
            self.report(node, "answer_not_letter", found=_found(node))
        return ()

    def multiple_answer(self, node: _Node, letters: set[str] | None) -> tuple[str, ...]:
        given: list[tuple[str, _Node]] = []
        if isinstance(node, _Sequence):
            if not node.items:
                self.report(node, "answer_empty")
                return ()
            ok = True
            for item in node.items:
                if isinstance(item, _Refused):
                    ok = False
                elif isinstance(item, _Scalar) and re.fullmatch(r"[A-Z]", item.value.strip()):
                    given.append((item.value.strip(), item))
                else:
                    self.report(item, "answer_not_letter", found=_found(item))
                    ok = False
            if not ok:
                return ()
        elif isinstance(node, _Scalar):
            value = node.value.strip()
            if not value:
                self.report(node, "answer_empty")
                return ()
            if not _LETTERS.fullmatch(value):
                self.report(node, "answer_letters_not_valid", found=_found(node))
                return ()
            given = [(letter, node) for letter in re.findall(r"[A-Z]", value)]
        else:
            self.report(node, "answer_letters_not_valid", found=_found(node))
            return ()
        return self.known_letters(given, letters)

    def known_letters(
        self, given: list[tuple[str, _Node]], letters: set[str] | None
    ) -> tuple[str, ...]:
        """The answer letters, sorted, after checking each names a choice exactly once."""
        ok = True
        seen: set[str] = set()
        for letter, node in given:
            if letter in seen:
                self.report(node, "answer_repeated", letter=letter)
                ok = False
            seen.add(letter)
            if letters is not None and letter not in letters:
                shown = ", ".join(sorted(letters)) or "none"
                self.report(node, "answer_no_such_choice", letter=letter, letters=shown)
                ok = False
        return tuple(sorted(seen)) if ok else ()

    def image(self, node: _Node) -> str | None:
        path = self.text(node, "image", required=True)
        if path is None:
            return None
        if not _is_safe_relative_path(path):
            self.report(node, "bad_image_path", value=_show(path))
            return None
        if not path.lower().endswith(IMAGE_EXTENSIONS):
            self.report(node, "bad_image_extension", value=_show(path))
            return None
        if self.image_paths is None:
            self.report(node, "image_needs_zip", value=_show(path))
            return None
        if path not in self.image_paths:
            self.report(node, "image_not_in_archive", value=_show(path))
            return None
        return path

    def tags(self, node: _Node) -> tuple[str, ...]:
        if isinstance(node, _Refused):
            return ()
        if not isinstance(node, _Sequence):
            self.report(node, "expected_list", key="tags", found=_found(node))
            return ()
        tags = []
        for item in node.items:
            if isinstance(item, _Scalar) and not item.value.strip():
                self.report(item, "empty_tag")
                continue
            tag = self.text(item, "tags", required=True)
            if tag is not None:
                tags.append(tag)
        return tuple(tags)


def _is_safe_relative_path(path: str) -> bool:
    """True for 'images/a.png'-style paths that cannot leave the archive on any system."""
    if len(path) > MAX_IMAGE_PATH_LENGTH or path != path.strip():
        return False
    # Backslashes and colons are refused outright: on Windows they make 'a\..\b' or 'C:x'.
    if re.search(r"[\\:\x00-\x1f]", path):
        return False
    return all(segment not in ("", ".", "..") for segment in path.split("/"))


def _parse(
    data: bytes, filename: str, max_bytes: int, image_paths: Collection[str] | None
) -> tuple[Bank | None, list[Problem]]:
    reporter = _Reporter(filename)
    if len(data) > max_bytes:
        reporter.at(1, 1, "file_too_large", **format_sizes(len(data), max_bytes))
        return None, reporter.sorted_problems()
    text = _decode(data, reporter)
    if text is None:
        return None, reporter.sorted_problems()
    root = _TreeBuilder(text, reporter).build()
    if root is None:
        if not reporter.problems:
            reporter.at(1, 1, "empty_file")
        return None, reporter.sorted_problems()
    bank = _Checker(reporter, image_paths).bank(root)
    return (bank if not reporter.problems else None), reporter.sorted_problems()


def parse_bank(
    data: bytes,
    filename: str,
    *,
    max_bytes: int = MAX_BANK_BYTES,
    image_paths: Collection[str] | None = None,
) -> Bank:
    """Parse a bank file; raise BankError listing every problem if it is not valid.

    ``image_paths`` holds the image files uploaded alongside (a .zip's contents); None means
    a plain .yaml upload, where any ``image`` key is an error.
    """
    bank, problems = _parse(data, filename, max_bytes, image_paths)
    if problems or bank is None:
        raise BankError(problems)
    return bank


def validate_bank(
    data: bytes,
    filename: str,
    *,
    max_bytes: int = MAX_BANK_BYTES,
    image_paths: Collection[str] | None = None,
) -> list[Problem]:
    """Return every problem in a bank file, in file order; [] when it is valid."""
    return _parse(data, filename, max_bytes, image_paths)[1]


# --------------------------------------------------------------------------- normal form


def bank_to_dict(bank: Bank) -> dict[str, Any]:
    """Return the bank's canonical JSON-ready form: every key of the contract present, answers
    as lists. Extensions (`image_alt`) appear only when set, so content written before them
    keeps its hash."""
    return {
        "id": bank.id,
        "title": bank.title,
        "language": bank.language,
        "description": bank.description,
        "quiz": {name: getattr(bank.quiz, name) for name in QUIZ_KEYS},
        "questions": [
            {
                "id": question.id,
                "type": question.type,
                "text": question.text,
                "choices": dict(question.choices),
                "answer": list(question.answer),
                "explanation": question.explanation,
                "points": question.points,
                "image": question.image,
                "tags": list(question.tags),
            }
            | ({"image_alt": question.image_alt} if question.image_alt is not None else {})
            for question in bank.questions
        ],
    }


def bank_from_dict(data: dict[str, Any]) -> Bank:
    """Rebuild a Bank from bank_to_dict's form (trusted input, e.g. from the database)."""
    quiz = data.get("quiz") or {}
    return Bank(
        id=data["id"],
        title=data["title"],
        language=data.get("language"),
        description=data.get("description"),
        quiz=QuizSettings(**{name: quiz[name] for name in QUIZ_KEYS if name in quiz}),
        questions=tuple(
            Question(
                id=question["id"],
                type=question["type"],
                text=question["text"],
                choices=tuple(sorted((question.get("choices") or {}).items())),
                answer=tuple(question["answer"]),
                explanation=question.get("explanation"),
                points=question.get("points", 1),
                image=question.get("image"),
                image_alt=question.get("image_alt"),
                tags=tuple(question.get("tags") or ()),
            )
            for question in data["questions"]
        ),
    )


def content_hash(bank: Bank) -> str:
    """Return the SHA-256 hex digest of the bank's canonical JSON: equal content, equal hash."""
    canonical = json.dumps(
        bank_to_dict(bank), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- export

_RESOLVER = yaml.resolver.Resolver()
# Plain scalars that PyYAML reads as text but other readers do not: YAML 1.2 numbers such as
# 1e3 and 0o17, and the 1.1 spec's one-letter booleans. Quoting them keeps editors' schema
# checks quiet.
_AMBIGUOUS_PLAIN = re.compile(
    r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|0o[0-7]+|[yYnN]"
)
# Line separators other than \n survive only as double-quoted escapes across both parsers.
_NEEDS_DOUBLE_QUOTES = re.compile("[\r\x85\u2028\u2029\ufeff]")


class _IndentedDumper(yaml.SafeDumper):
    """Indents list items under their key, as the contract's example does."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


class _Events:
    """A list of emitter events with helpers for the few shapes a bank needs."""

    def __init__(self) -> None:
        self.events: list[yaml.Event] = [
            yaml.StreamStartEvent(),
            yaml.DocumentStartEvent(explicit=False),
        ]

    def start_mapping(self) -> None:
        self.events.append(yaml.MappingStartEvent(None, None, True, flow_style=False))

    def start_list(self, flow: bool) -> None:
        self.events.append(yaml.SequenceStartEvent(None, None, True, flow_style=flow))

    def end_mapping(self) -> None:
        self.events.append(yaml.MappingEndEvent())

    def end_list(self) -> None:
        self.events.append(yaml.SequenceEndEvent())

    def word(self, value: object) -> None:
        """A plain scalar the bank format reads by its form: numbers, true/false, letters, enums."""
        if isinstance(value, bool):
            value = "true" if value else "false"
        self.events.append(yaml.ScalarEvent(None, None, (True, True), str(value)))

    def text(self, value: str) -> None:
        """A text, plain where every YAML reader agrees it is text, quoted or '|' otherwise."""
        plain = _RESOLVER.resolve(
            yaml.ScalarNode, value, (True, False)
        ) == "tag:yaml.org,2002:str" and not _AMBIGUOUS_PLAIN.fullmatch(value)
        style = None
        if _NEEDS_DOUBLE_QUOTES.search(value):
            style, plain = '"', False
        elif "\n" in value:
            style = "|"
        self.events.append(yaml.ScalarEvent(None, None, (plain, True), value, style=style))

    def item(self, key: str, write: Any, value: Any) -> None:
        self.word(key)
        write(value)

    def finish(self) -> str:
        self.events += [yaml.DocumentEndEvent(explicit=False), yaml.StreamEndEvent()]
        # A huge width keeps each text on one line: easier to find and edit than a folded one.
        return yaml.emit(self.events, Dumper=_IndentedDumper, allow_unicode=True, width=2**30)


def dump_yaml(bank: Bank) -> str:
    """Return the bank as YAML in the contract's format; parse_bank reads it back equal."""
    out = _Events()
    out.start_mapping()
    out.item("id", out.text, bank.id)
    out.item("title", out.text, bank.title)
    if bank.language is not None:
        out.item("language", out.text, bank.language)
    if bank.description is not None:
        out.item("description", out.text, bank.description)
    defaults = QuizSettings()
    changed = [name for name in QUIZ_KEYS if getattr(bank.quiz, name) != getattr(defaults, name)]
    if changed:
        out.word("quiz")
        out.start_mapping()
        for name in changed:
            value = getattr(bank.quiz, name)
            out.item(name, out.word, format_duration(value) if name == "time_limit" else value)
        out.end_mapping()
    out.word("questions")
    out.start_list(flow=False)
    for question in bank.questions:
        _dump_question(out, question)
    out.end_list()
    out.end_mapping()
    return out.finish()


def _dump_question(out: _Events, question: Question) -> None:
    out.start_mapping()
    out.item("id", out.text, question.id)
    if question.type != "single":
        out.item("type", out.word, question.type)
    out.item("text", out.text, question.text)
    if question.choices:
        out.word("choices")
        out.start_mapping()
        for letter, text in question.choices:
            out.item(letter, out.text, text)
        out.end_mapping()
    out.word("answer")
    if question.type == "true_false":
        out.word(question.answer == ("T",))
    elif question.type == "multiple":
        out.start_list(flow=True)
        for letter in question.answer:
            out.word(letter)
        out.end_list()
    else:
        out.word(question.answer[0])
    if question.explanation is not None:
        out.item("explanation", out.text, question.explanation)
    if question.points != 1:
        out.item("points", out.word, question.points)
    if question.image is not None:
        out.item("image", out.text, question.image)
    if question.image_alt is not None:
        out.item("image_alt", out.text, question.image_alt)
    if question.tags:
        out.word("tags")
        out.start_list(flow=True)
        for tag in question.tags:
            out.text(tag)
        out.end_list()
    out.end_mapping()
