"""Moodle's GIFT and Aiken question files in, GIFT out.

Pure, like ``format.py``: no Flask, no database. An imported file is never trusted to be a
bank on its own terms: it is turned into the contract's normal form, written as YAML with
``dump_yaml`` and read back with ``parse_bank``, so every rule of the contract (2 to 8
choices, id patterns, title length, …) applies exactly as it does to a YAML upload. Problems
``parse_bank`` finds are moved back to the line and column of the GIFT or Aiken file.

GIFT (https://docs.moodle.org/en/GIFT_format) converts as follows:

- ``{=right ~wrong}`` is a ``single`` question; ``{~%50%a ~%50%b ~%-100%c}`` (no ``=``, as
  Moodle reads it) is ``multiple`` with the positively weighted choices as the answer;
  ``{T}``, ``{TRUE}``, ``{F}``, ``{FALSE}`` are ``true_false``.
- ``####general feedback`` becomes the explanation; per-answer feedback (``#…``) is dropped,
  and so is partial credit on the wrong choices of a single-answer question.
- ``::name::`` becomes the question id when it is a valid id (spaces turned into ``-``);
  otherwise the question is ``q<N>`` by its position. Give questions names: ids are what
  analytics follow from one version to the next.
- ``$CATEGORY:`` becomes a tag of the questions after it (Moodle's ``$course$/top/`` dropped).
- ``[html]`` text becomes plain text (tags removed, paragraphs and ``<br>`` kept as line
  breaks), because bank texts are always shown escaped; text with an image is refused.
  ``[moodle]``, ``[plain]`` and ``[markdown]`` text is kept as written.
- Text around an answer block in the middle of a sentence is joined with ``___`` for the blank.
- Short answer, matching, numerical, essay and description items are refused, each at its
  question's line.

Aiken is ``single`` questions only: text line(s), choices ``A. text`` or ``A) text`` (also
``A．``, ``A）`` and ``A、`` as Chinese editors type them), then ``ANSWER: B`` (any case, and
a full-width colon, accepted). Choices keep the letters written, so a gap is reported.

GIFT out (``bank_to_gift``) keeps ids, texts, choices, answers and explanations: reading the
GIFT back gives the same questions. Points, tags, images, the language, the description and
quiz settings have no place in GIFT and are left out (the file's header says which); texts
lose leading and trailing spaces, as GIFT trims them.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import yaml

from quizapp.banks.format import (
    MAX_BANK_BYTES,
    MAX_CHOICES,
    MAX_PROBLEMS,
    MAX_TITLE_LENGTH,
    MIN_CHOICES,
    QUESTION_ID_PATTERN,
    Bank,
    BankError,
    Problem,
    Question,
    QuizSettings,
    dump_yaml,
    format_sizes,
    message,
    parse_bank,
)

IMPORT_FORMATS = ("yaml", "gift", "aiken")
EXPORT_FORMATS = ("yaml", "gift")
FALLBACK_BANK_ID = "imported-bank"
#: What replaces an answer block written in the middle of a sentence.
BLANK = "___"

# The author-facing sentences of this module, next to the ones in format.MESSAGES (which this
# module also uses) and filled in the same way.
MESSAGES = {
    "no_questions": "the file holds no questions",
    "control_character": "the file contains the control character {code}; remove it",
    "unsupported": (
        "GIFT {kind} questions cannot be converted: quizapp supports single, multiple "
        "and true/false"
    ),
    "name_not_closed": "the question name opened with '::' is not closed with '::'",
    "brace_not_closed": "the answer block opened with '{{' is not closed with '}}'",
    "unexpected_brace": (
        "unexpected '{brace}': a question has one answer block; write a brace that belongs "
        "to the text as \\{brace}"
    ),
    "choice_without_marker": (
        "every choice must start with '=' (right) or '~' (wrong), not {found}"
    ),
    "several_right": (
        "more than one choice is marked right with '='; mark the right choices of a "
        "multiple-answer question with weights such as ~%50% instead"
    ),
    "no_right": (
        "no choice is right: mark the right choice with '=', or the right choices of a "
        "multiple-answer question with positive weights such as ~%50%"
    ),
    "weight_range": "weight {value}% is out of range; weights run from -100% to 100%",
    "html_media": (
        "an [html] text with an image or other media cannot be converted: bank texts are "
        "plain; describe the picture in words, or write the bank in YAML with an 'image'"
    ),
    "aiken_no_answer": "this question has no 'ANSWER: <letter>' line after its choices",
    "aiken_bad_answer": (
        "'ANSWER:' must be followed by the one letter of the right choice, such as "
        "'ANSWER: B', not {found}"
    ),
    "aiken_answer_first": "'ANSWER:' comes before any question text",
    "aiken_choice_first": "choice '{letter}' comes before any question text",
    "aiken_choice_twice": "choice '{letter}' appears twice (first on line {first_line})",
}


def _say(message_id: str, /, **fields: Any) -> str:
    """This module's sentence ``message_id``, or format.MESSAGES' one of that name."""
    if message_id in MESSAGES:
        return MESSAGES[message_id].format(**fields)
    return message(message_id, **fields)


# GIFT reads line breaks as \n, \r\n or \r; other separators (U+2028, …) stay part of a text.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# The characters YAML refuses, refused here too: a converted file holds what a YAML one may.
_NOT_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
_FORMAT_PREFIX = re.compile(r"\[(html|moodle|plain|markdown)\]")
_WEIGHT = re.compile(r"%(-?[0-9]+(?:\.[0-9]*)?)%")
_ESCAPE = re.compile(r"\\([\\~=#{}:n])")
_TRUE_FALSE = {"T": "T", "TRUE": "T", "F": "F", "FALSE": "F"}

_AIKEN_ANSWER = re.compile(r"ANSWER\s*[:：](.*)", re.IGNORECASE)
# Moodle's "A. " and "A) "; the full-width forms are how Chinese editors type them.
_AIKEN_CHOICE = re.compile(r"([A-Z])(?:[.)](?:[ \t]+|$)|[．）、][ \t]*)(.*)")


# --------------------------------------------------------------------------- file names


def default_bank_id(filename: str) -> str:
    """A bank id from a file name: 'Fire Safety 2024.gift' -> 'fire-safety-2024'.

    Accents are dropped, anything but a-z, 0-9 and '-' becomes '-'; a name with nothing
    usable left (say '电气安全.gift') gives FALLBACK_BANK_ID.
    """
    ascii_text = unicodedata.normalize("NFKD", _stem(filename)).encode("ascii", "ignore")
    slug = re.sub(r"[^a-z0-9-]+", "-", ascii_text.decode().lower())
    slug = re.sub(r"-{2,}", "-", slug).strip("-")[:64].rstrip("-")
    return slug if re.fullmatch(r"[a-z0-9][a-z0-9-]{1,63}", slug) else FALLBACK_BANK_ID


def default_title(filename: str) -> str:
    """A bank title from a file name: the name without its folder and extension."""
    return _stem(filename).strip()[:MAX_TITLE_LENGTH] or default_bank_id(filename)


def guess_format(filename: str) -> str:
    """'gift' for a .gift file, otherwise 'yaml'; Aiken has no extension of its own to guess by."""
    return "gift" if filename.lower().endswith(".gift") else "yaml"


def _stem(filename: str) -> str:
    name = re.split(r"[\\/]", filename)[-1]
    stem, dot, _extension = name.rpartition(".")
    return stem if dot and stem else name


# --------------------------------------------------------------------------- reading files


def decode_text(data: bytes, filename: str, *, max_bytes: int = MAX_BANK_BYTES) -> str:
    """The text of an uploaded GIFT or Aiken file; BankError if too large or not UTF-8.

    A UTF-8 byte-order mark is accepted and dropped, as for YAML banks.
    """
    if len(data) > max_bytes:
        text = message("file_too_large", **format_sizes(len(data), max_bytes))
        raise BankError([Problem(filename, 1, 1, text)])
    body = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        lines = _LINE_BREAK.split(body[: error.start].decode("utf-8"))
        text = message("not_utf8", byte=body[error.start])
        raise BankError([Problem(filename, len(lines), len(lines[-1]) + 1, text)]) from None


def convert_file(
    data: bytes,
    filename: str,
    file_format: str,
    *,
    bank_id: str | None = None,
    title: str | None = None,
    max_bytes: int = MAX_BANK_BYTES,
) -> tuple[Bank, str]:
    """Read a GIFT or Aiken file as a bank; return it and its YAML (dump_yaml's).

    The id and title default to the file name's. BankError lists every problem.
    """
    readers = {"gift": _gift_drafts, "aiken": _aiken_drafts}
    if file_format not in readers:
        raise ValueError(f"not a format to convert: {file_format!r}")
    text = decode_text(data, filename, max_bytes=max_bytes)
    return _build(
        readers[file_format],
        text,
        filename,
        bank_id=default_bank_id(filename) if bank_id is None else bank_id,
        title=default_title(filename) if title is None else title,
    )


# --------------------------------------------------------------------------- drafts
# A draft is one question as read from the file, before the contract has checked it, with
# the file positions that its parts came from.

Position = tuple[int, int]


@dataclass(eq=False)
class _Draft:
    start: Position
    type: str = "single"
    text: str = ""
    choices: dict[str, str] = field(default_factory=dict)
    answer: tuple[str, ...] = ()
    explanation: str | None = None
    tags: tuple[str, ...] = ()
    #: The id the file asks for (a GIFT name), if it is a valid one.
    wanted_id: str | None = None
    id: str = ""
    #: Where each part came from: 'text', 'choices', 'answer', 'explanation', 'tags',
    #: 'choice A', …; anything missing points at ``start``.
    where: dict[str, Position] = field(default_factory=dict)
    #: Already reported as wrong: not checked again, so nothing is reported twice.
    failed: bool = False

    def question(self) -> Question:
        if self.failed:
            # A stand-in that the contract accepts, so that the rest of the file is checked.
            return Question(id=self.id, type="true_false", text="-", choices=(), answer=("T",))
        return Question(
            id=self.id,
            type=self.type,
            text=self.text,
            choices=tuple(sorted(self.choices.items())),
            answer=tuple(sorted(self.answer)),
            explanation=self.explanation,
            tags=self.tags,
        )


class _Problems:
    """Problems of one file, capped at MAX_PROBLEMS like the YAML validator's."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.problems: list[Problem] = []
        self.dropped = 0

    def add(self, at: Position, message_id: str, /, **fields: Any) -> None:
        self.add_text(at, _say(message_id, **fields))

    def add_text(self, at: Position, text: str) -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            self.dropped += 1
            return
        self.problems.append(Problem(self.filename, at[0], at[1], text))

    def error(self) -> BankError:
        problems = sorted(self.problems, key=lambda p: (p.line, p.column))
        if self.dropped:
            last = problems[-1]
            text = message("too_many_problems", limit=MAX_PROBLEMS)
            problems.append(Problem(self.filename, last.line, last.column, text))
        return BankError(problems)


def _lines(text: str, problems: _Problems) -> list[str] | None:
    """The file's lines; None after reporting a character that YAML would refuse."""
    text = text.removeprefix("\ufeff")
    bad = _NOT_PRINTABLE.search(text)
    if bad is not None:
        lines = _LINE_BREAK.split(text[: bad.start()])
        code = f"U+{ord(bad.group()):04X}"
        problems.add((len(lines), len(lines[-1]) + 1), "control_character", code=code)
        return None
    return _LINE_BREAK.split(text)


def _check_count(draft: _Draft, at: Position, count: int, problems: _Problems) -> bool:
    if MIN_CHOICES <= count <= MAX_CHOICES:
        return True
    problems.add(at, "choice_count", low=MIN_CHOICES, high=MAX_CHOICES, count=count)
    draft.failed = True
    return False


def _assign_ids(drafts: list[_Draft]) -> None:
    """Named questions keep their names; the others are q<N>; a clash gets '-2', '-3', …"""
    taken: set[str] = set()

    def claim(base: str) -> str:
        candidate, number = base, 1
        while candidate in taken:
            number += 1
            suffix = f"-{number}"
            candidate = base[: 64 - len(suffix)] + suffix
        taken.add(candidate)
        return candidate

    for draft in drafts:
        if draft.wanted_id is not None:
            draft.id = claim(draft.wanted_id)
    for number, draft in enumerate(drafts, start=1):
        if draft.wanted_id is None:
            draft.id = claim(f"q{number}")


_Reader = Callable[[list[str], _Problems], list[_Draft]]


def _build(
    read: _Reader, text: str, filename: str, *, bank_id: str, title: str
) -> tuple[Bank, str]:
    """The bank the contract makes of the questions ``read`` finds in ``text``, and its YAML;
    BankError with every problem otherwise."""
    problems = _Problems(filename)
    lines = _lines(text, problems)
    if lines is None:
        raise problems.error()
    drafts = read(lines, problems)
    if not drafts and not problems.problems:
        problems.add((1, 1), "no_questions")
    _assign_ids(drafts)
    questions = [draft.question() for draft in drafts]
    if not questions:
        # The id and title still deserve a check.
        drafts = [_Draft((1, 1), id="q1", failed=True)]
        questions = [drafts[0].question()]
    source = dump_yaml(Bank(bank_id, title, None, None, QuizSettings(), tuple(questions)))
    data = source.encode("utf-8")
    try:
        # No size limit here: the file was measured, and its YAML form is only longer.
        bank = parse_bank(data, filename, max_bytes=len(data))
    except BankError as error:
        paths = _yaml_paths(source)
        for problem in error.problems:
            at = _source_position(paths, problem, drafts)
            if at is not None:
                problems.add_text(at, problem.message)
        if not problems.problems:
            raise  # Nothing could be placed in the file (a bug): better YAML positions than none.
        raise problems.error() from None
    if problems.problems:
        raise problems.error()
    return bank, source


_Path = tuple[Any, ...]


def _yaml_paths(source: str) -> tuple[dict[Position, _Path], dict[int, _Path]]:
    """What each node of the dumped YAML is, by position and by line: ('title',),
    ('questions', 0, 'text'), ('questions', 0, 'choices', 'A'), …

    A container is entered before its first key, which shares its position, so a problem
    reported at a choices mapping reads as being about the choices, not about choice A.
    """
    paths: dict[Position, _Path] = {}
    lines: dict[int, _Path] = {}

    def add(node: yaml.Node, path: _Path) -> None:
        paths.setdefault((node.start_mark.line + 1, node.start_mark.column + 1), path)
        lines.setdefault(node.start_mark.line + 1, path)

    def walk(node: yaml.Node, path: _Path) -> None:
        add(node, path)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                add(key, (*path, key.value))
                walk(value, (*path, key.value))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, (*path, index) if path == ("questions",) else path)

    # The loader parse_bank uses, so that both count columns alike.
    loader = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
    walk(yaml.compose(source, Loader=loader), ())
    return paths, lines


def _source_position(
    paths: tuple[dict[Position, _Path], dict[int, _Path]], problem: Problem, drafts: list[_Draft]
) -> Position | None:
    """The file position of a problem found in the dumped YAML; None for a stand-in's."""
    by_position, by_line = paths
    path = by_position.get((problem.line, problem.column)) or by_line.get(problem.line, ())
    if len(path) < 2 or path[0] != "questions":
        return (1, 1)  # The bank's own keys: the id and title come from outside the file.
    draft = drafts[path[1]]
    if draft.failed:
        return None
    part = path[2] if len(path) > 2 else ""
    if part == "choices" and len(path) > 3:
        part = f"choice {path[3]}"
    return draft.where.get(part, draft.start)


# --------------------------------------------------------------------------- GIFT in


def _mask(text: str) -> str:
    """``text`` with each escaped pair (``\\{``, ``\\n``, …) blanked, same length, so that
    the GIFT operators can be found with str.find and cut from the text at the same index.

    The blank is NUL, which _lines has already refused in any file.
    """
    return re.sub(r"\\.", "\0\0", text, flags=re.DOTALL)


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda match: "\n" if match[1] == "n" else match[1], text)


class _HasMedia(Exception):
    """An [html] text holds an image (or video, …), which a bank text cannot."""


class _HtmlText(HTMLParser):
    """Plain text from the HTML Moodle's editor writes: paragraphs and breaks as lines."""

    BLOCKS = frozenset(
        ("p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "tr", "table", "blockquote")
        + ("pre", "hr", "h1", "h2", "h3", "h4", "h5", "h6")
    )
    MEDIA = frozenset(("img", "video", "audio", "iframe", "object", "embed", "svg"))
    HIDDEN = frozenset(("script", "style"))

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.MEDIA:
            raise _HasMedia(tag)
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(re.sub(r"[ \t\n\r\f\xa0]+", " ", data))

    def text(self) -> str:
        lines = (line.strip() for line in "".join(self.parts).split("\n"))
        return "\n".join(line for line in lines if line)


def _html_to_text(html: str) -> str:
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    return parser.text()


def _gift_content(raw: str, default_format: str) -> tuple[str, str]:
    """A GIFT text without its ``[format]`` prefix and escapes: (text, format)."""
    raw = raw.strip()
    text_format = default_format
    prefix = _FORMAT_PREFIX.match(raw)
    if prefix is not None:
        text_format, raw = prefix[1], raw[prefix.end() :]
    text = _unescape(raw)
    if text_format == "html":
        text = _html_to_text(text)
    return text.strip(), text_format


def _category_tag(line: str) -> tuple[str, ...]:
    """'$CATEGORY: $course$/top/Electrical' -> ('Electrical',); Moodle's context and 'top'
    are where a category lives in Moodle, not what it is."""
    path = line.strip()[len("$CATEGORY:") :].strip()
    path = re.sub(r"^\$[a-z]+\$(/|$)", "", path)
    path = re.sub(r"^top(/|$)", "", path).strip()
    return (path,) if path else ()


@dataclass
class _Block:
    """One question's lines, comments removed, joined by \\n; offsets map back to the file."""

    text: str
    line_numbers: list[int]
    starts: list[int]

    @classmethod
    def of(cls, lines: list[tuple[int, str]]) -> _Block:
        starts, offset = [], 0
        for _number, line in lines:
            starts.append(offset)
            offset += len(line) + 1
        return cls("\n".join(line for _, line in lines), [n for n, _ in lines], starts)

    def at(self, offset: int) -> Position:
        index = bisect.bisect_right(self.starts, offset) - 1
        return self.line_numbers[index], offset - self.starts[index] + 1


def _gift_blocks(lines: list[str]) -> list[list[tuple[int, str]]]:
    """Blank lines separate questions; comment lines (``//``) are left out."""
    blocks: list[list[tuple[int, str]]] = [[]]
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped:
            if blocks[-1]:
                blocks.append([])
        elif not stripped.startswith("//"):
            blocks[-1].append((number, line))
    return [block for block in blocks if block]


def gift_to_bank(text: str, filename: str, *, bank_id: str, title: str) -> Bank:
    """Read a Moodle GIFT file as a bank; BankError lists every problem as FILE:LINE:COLUMN."""
    return _build(_gift_drafts, text, filename, bank_id=bank_id, title=title)[0]


def _gift_drafts(lines: list[str], problems: _Problems) -> list[_Draft]:
    drafts: list[_Draft] = []
    tags: tuple[str, ...] = ()
    tags_at: Position | None = None
    for block_lines in _gift_blocks(lines):
        number, first = block_lines[0]
        if first.lstrip().startswith("$CATEGORY:"):
            tags, tags_at = _category_tag(first), (number, len(first) - len(first.lstrip()) + 1)
            block_lines = block_lines[1:]
            if not block_lines:
                continue
        draft = _GiftQuestion(_Block.of(block_lines), problems).read()
        draft.tags = tags
        if tags_at is not None:
            draft.where["tags"] = tags_at
        drafts.append(draft)
    return drafts


class _GiftQuestion:
    """Reads one GIFT question block into a draft, reporting what cannot be converted."""

    def __init__(self, block: _Block, problems: _Problems) -> None:
        self.block = block
        self.raw = block.text
        self.masked = _mask(block.text)
        self.problems = problems
        begin = len(self.raw) - len(self.raw.lstrip())
        self.draft = _Draft(start=block.at(begin))
        self.begin = begin

    def fail(self, at: int | Position | None, message_id: str, /, **fields: Any) -> _Draft:
        """Report a problem at a block offset, a file position or the question's start."""
        if at is None:
            at = self.draft.start
        elif isinstance(at, int):
            at = self.block.at(at)
        self.problems.add(at, message_id, **fields)
        self.draft.failed = True
        return self.draft

    def read(self) -> _Draft:
        try:
            return self._read()
        except _HasMedia:
            return self.fail(None, "html_media")

    def _read(self) -> _Draft:
        raw, masked, draft = self.raw, self.masked, self.draft
        position = self.begin
        if masked.startswith("::", position):
            end = masked.find("::", position + 2)
            if end < 0:
                return self.fail(position, "name_not_closed")
            name = re.sub(r"\s+", "-", _unescape(raw[position + 2 : end]).strip())
            if re.fullmatch(QUESTION_ID_PATTERN, name):
                draft.wanted_id = name
            position = end + 2

        opening = masked.find("{", position)
        stray = masked.find("}", position, len(masked) if opening < 0 else opening)
        if stray >= 0:
            return self.fail(stray, "unexpected_brace", brace="}")
        if opening < 0:
            return self.fail(None, "unsupported", kind="description")
        closing = masked.find("}", opening + 1)
        if closing < 0:
            return self.fail(opening, "brace_not_closed")
        nested = masked.find("{", opening + 1, closing)
        later = [i for i in (masked.find(b, closing + 1) for b in "{}") if i >= 0]
        if nested >= 0 or later:
            index = nested if nested >= 0 else min(later)
            return self.fail(index, "unexpected_brace", brace=masked[index])

        before, after = raw[position:opening], raw[closing + 1 :]
        if before.strip():
            draft.where["text"] = self.block.at(position + len(before) - len(before.lstrip()))
        question_raw = before + BLANK + after if after.strip() else before
        draft.text, text_format = _gift_content(question_raw, "moodle")
        draft.where["choices"] = draft.where["answer"] = self.block.at(opening)
        return self._answers(opening + 1, closing, text_format)

    def _answers(self, start: int, end: int, text_format: str) -> _Draft:
        raw, masked, draft = self.raw, self.masked, self.draft
        feedback = masked.rfind("####", start, end)
        if feedback >= 0:
            draft.where["explanation"] = self.block.at(feedback)
            explanation, _ = _gift_content(raw[feedback + 4 : end], text_format)
            draft.explanation = explanation or None
            end = feedback
        # Trim the answer part; the raw and masked texts share their whitespace.
        while start < end and raw[start].isspace():
            start += 1
        while end > start and raw[end - 1].isspace():
            end -= 1
        answer = masked[start:end]
        # The order of these tests is Moodle's.
        if not answer:
            return self.fail(None, "unsupported", kind="essay")
        if answer.startswith("#"):
            return self.fail(None, "unsupported", kind="numerical")
        if "~" in answer:
            return self._choices(start, end, text_format)
        if "=" in answer and "->" in answer:
            return self.fail(None, "unsupported", kind="matching")
        hash_at = answer.find("#")
        word = raw[start : start + hash_at].strip() if hash_at > 0 else raw[start:end]
        if word not in _TRUE_FALSE:
            return self.fail(None, "unsupported", kind="short answer")
        draft.type, draft.answer = "true_false", (_TRUE_FALSE[word],)
        return draft

    def _choices(self, start: int, end: int, text_format: str) -> _Draft:
        raw, masked, draft = self.raw, self.masked, self.draft
        marks = [i for i in range(start, end) if masked[i] in "~="]
        if raw[start : marks[0]].strip():
            found = f"'{raw[start : marks[0]].strip()[:40]}'"
            return self.fail(start, "choice_without_marker", found=found)
        if not _check_count(draft, draft.where["choices"], len(marks), self.problems):
            return draft
        weights: list[float] = []
        for number, (mark, stop) in enumerate(zip(marks, [*marks[1:], end], strict=True)):
            letter = chr(ord("A") + number)
            draft.where[f"choice {letter}"] = self.block.at(mark)
            body = mark + 1
            while body < stop and raw[body].isspace():
                body += 1
            weight = 100.0 if masked[mark] == "=" else 0.0
            given = _WEIGHT.match(raw, body, stop) if masked[mark] == "~" else None
            if given is not None:
                weight, body = float(given[1]), given.end()
                if not -100 <= weight <= 100:
                    return self.fail(mark, "weight_range", value=given[1])
            comment = masked.find("#", body, stop)
            text, _ = _gift_content(raw[body : stop if comment < 0 else comment], text_format)
            draft.choices[letter] = text
            weights.append(weight)

        right_marks = [mark for mark in marks if masked[mark] == "="]
        if right_marks:
            # Moodle makes any question with '=' single-answer; partial credit on the other
            # choices has no place in the contract and is dropped.
            if len(right_marks) > 1:
                return self.fail(right_marks[1], "several_right")
            draft.type = "single"
            draft.answer = (chr(ord("A") + marks.index(right_marks[0])),)
        else:
            draft.type = "multiple"
            draft.answer = tuple(chr(ord("A") + i) for i, w in enumerate(weights) if w > 0)
            if not draft.answer:
                return self.fail(draft.where["choices"], "no_right")
        return draft


# --------------------------------------------------------------------------- Aiken in


def aiken_to_bank(text: str, filename: str, *, bank_id: str, title: str) -> Bank:
    """Read an Aiken file as a bank of single-answer questions; BankError lists every problem."""
    return _build(_aiken_drafts, text, filename, bank_id=bank_id, title=title)[0]


def _aiken_drafts(lines: list[str], problems: _Problems) -> list[_Draft]:
    drafts: list[_Draft] = []
    current: _Draft | None = None
    text_lines: list[str] = []
    choice_lines: dict[str, int] = {}

    def start(at: Position, failed: bool = False) -> _Draft:
        text_lines.clear()
        choice_lines.clear()
        draft = _Draft(start=at, failed=failed)
        draft.where["text"] = at
        drafts.append(draft)
        return draft

    def unfinished(draft: _Draft) -> None:
        if not draft.failed:
            problems.add(draft.start, "aiken_no_answer")
            draft.failed = True

    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped:
            continue
        at = (number, len(line) - len(line.lstrip()) + 1)
        answer = _AIKEN_ANSWER.match(stripped)
        choice = _AIKEN_CHOICE.fullmatch(stripped) if answer is None else None
        if answer is not None:
            if current is None:
                problems.add(at, "aiken_answer_first")
                continue
            value = answer[1].strip()
            value_at = (number, at[1] + answer.start(1) + len(answer[1]) - len(answer[1].lstrip()))
            current.where["answer"] = value_at
            if not re.fullmatch(r"[A-Za-z]", value):
                found = f"'{value}'" if value else message("found_empty")
                problems.add(value_at, "aiken_bad_answer", found=found)
                current.failed = True
            elif not current.failed and _check_count(
                current, current.start, len(current.choices), problems
            ):
                current.answer = (value.upper(),)
            current = None
        elif choice is not None:
            letter = choice[1]
            if current is None:
                problems.add(at, "aiken_choice_first", letter=letter)
                current = start(at, failed=True)
            if letter in choice_lines:
                problems.add(
                    at, "aiken_choice_twice", letter=letter, first_line=choice_lines[letter]
                )
                current.failed = True
                continue
            choice_lines[letter] = number
            current.choices[letter] = choice[2].strip()
            current.where.setdefault("choices", at)
            current.where[f"choice {letter}"] = at
        else:
            if current is not None and current.choices:
                unfinished(current)
                current = None
            if current is None:
                current = start(at)
            text_lines.append(stripped)
            current.text = "\n".join(text_lines)
    if current is not None:
        unfinished(current)
    return drafts


# --------------------------------------------------------------------------- GIFT out

_GIFT_ESCAPES = {
    "\\": "\\\\",
    "~": "\\~",
    "=": "\\=",
    "#": "\\#",
    "{": "\\{",
    "}": "\\}",
    ":": "\\:",
    "\n": "\\n",
}


def _gift_text(value: str) -> str:
    """A text for GIFT: control characters escaped, line breaks as \\n, and a text that
    begins like a format prefix ('[html]…') marked [plain] so that it is read as written."""
    value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    escaped = "".join(_GIFT_ESCAPES.get(character, character) for character in value)
    return "[plain]" + escaped if _FORMAT_PREFIX.match(value) else escaped


def _percent(value: float) -> str:
    """A weight the way Moodle writes one: 50, -100, 33.33333."""
    return f"{value:.5f}".rstrip("0").rstrip(".")


def _left_out(bank: Bank) -> list[str]:
    """What of the bank GIFT cannot carry."""
    lost = []
    if bank.language is not None:
        lost.append("language")
    if bank.description is not None:
        lost.append("description")
    if bank.quiz != QuizSettings():
        lost.append("quiz settings")
    if any(question.points != 1 for question in bank.questions):
        lost.append("points")
    if any(question.tags for question in bank.questions):
        lost.append("tags")
    if any(question.image is not None for question in bank.questions):
        lost.append("images")
    return lost


def bank_to_gift(bank: Bank) -> str:
    """The bank as a Moodle GIFT file; reading it back gives the same questions.

    Points, tags, images, the language, the description and quiz settings have no place in
    GIFT; the header comment names those the bank uses.
    """
    title = " ".join(bank.title.split())
    out = [f"// {title}", f"// quizapp bank {bank.id}, as Moodle GIFT"]
    lost = _left_out(bank)
    if lost:
        out.append(f"// not in this file, as GIFT has no place for them: {', '.join(lost)}")
    for question in bank.questions:
        out += ["", _gift_question(question)]
    return "\n".join(out) + "\n"


def _gift_question(question: Question) -> str:
    head = f"::{_gift_text(question.id)}::{_gift_text(question.text)}"
    feedback = ""
    if question.explanation is not None:
        feedback = f"####{_gift_text(question.explanation)}"
    if question.type == "true_false":
        return f"{head}{{{'TRUE' if question.answer == ('T',) else 'FALSE'}{feedback}}}"
    right = set(question.answer)
    wrong_count = len(question.choices) - len(right)
    lines = [head + "{"]
    for letter, text in question.choices:
        if question.type == "single":
            # A wrong choice that starts like a weight ('%50% …') gets an explicit %0%.
            mark = "=" if letter in right else "~%0%" if _WEIGHT.match(text.strip()) else "~"
        elif letter in right:
            mark = f"~%{_percent(100 / len(right))}%"
        else:
            mark = f"~%{_percent(-100 / wrong_count)}%"
        lines.append(f"\t{mark}{_gift_text(text)}")
    if feedback:
        lines.append(f"\t{feedback}")
    lines.append("}")
    return "\n".join(lines)
