"""Reading an uploaded bank file of any accepted kind into content, source and images."""

from __future__ import annotations

from dataclasses import dataclass, field

from quizapp.banks.archive import read_bank_archive
from quizapp.banks.format import Bank, BankError, Problem, parse_bank
from quizapp.banks.interchange import convert_file

#: File endings accepted by `read_upload`: our YAML, a .zip with images, Moodle's GIFT,
#: and Aiken (a plain .txt).
UPLOAD_EXTENSIONS = (".yaml", ".yml", ".zip", ".gift", ".txt")


@dataclass(frozen=True)
class UploadedBank:
    """A valid uploaded bank: its content, its YAML as written, and its images."""

    content: Bank
    source_text: str
    source_name: str
    #: path → (media type, bytes) for every image a question names.
    images: dict[str, tuple[str, bytes]] = field(default_factory=dict)


def read_upload(data: bytes, filename: str, *, max_bytes: int) -> UploadedBank:
    """Validate an uploaded bank of any accepted kind; raise BankError listing every problem.

    GIFT and Aiken files are converted to our format; the YAML they become is kept as the
    version's source, so the version can be reproduced from it.
    """
    name = filename.lower()
    if name.endswith(".zip"):
        archive = read_bank_archive(data, filename, max_bank_bytes=max_bytes)
        images = {
            path: (archive.media_types[path], archive.images[path]) for path in archive.images
        }
        return UploadedBank(archive.bank, archive.source_text, filename, images)
    if name.endswith((".yaml", ".yml")):
        content = parse_bank(data, filename, max_bytes=max_bytes)
        return UploadedBank(content, data.decode("utf-8-sig"), filename)
    if name.endswith((".gift", ".txt")):
        file_format = "gift" if name.endswith(".gift") else "aiken"
        content, yaml_text = convert_file(data, filename, file_format, max_bytes=max_bytes)
        return UploadedBank(content, yaml_text, filename)
    raise BankError([Problem(filename, 1, 1, UNKNOWN_KIND)])


UNKNOWN_KIND = (
    "upload a .yaml or .yml bank, a .zip with a bank and its images, "
    "a Moodle GIFT file (.gift) or an Aiken file (.txt)"
)


#: Problems quoted with their source lines on the upload page; later ones are listed alone.
#: A file with a thousand problems on one line must not make a page a thousand times its size.
MAX_EXCERPTS = 50
#: Characters of a source line shown around the problem's column.
EXCERPT_WIDTH = 100


@dataclass(frozen=True)
class Excerpt:
    """The source lines around a problem: (number, text) pairs, each clipped to fit a screen.

    `caret` is the offset under the problem's column in the shown text of its own line.
    """

    lines: list[tuple[int, str]]
    caret: int


@dataclass(frozen=True)
class ProblemGroup:
    """Problems with the same message on the same line, shown as one item on the upload page.

    A line holding the same mistake many times (a thousand aliases, say) reads as one item
    listing every column, instead of a thousand copies of the message.
    """

    file: str
    line: int
    columns: list[int]
    message: str
    #: The source around the first column; None beyond the first MAX_EXCERPTS groups.
    excerpt: Excerpt | None


def problem_groups(text: str, problems: list[Problem], context: int = 1) -> list[ProblemGroup]:
    """Group consecutive problems of one line and message, quoting the source of the first few."""
    runs: list[list[Problem]] = []
    for problem in problems:
        last = runs[-1][0] if runs else None
        same = last and (last.file, last.line, last.message) == (
            problem.file,
            problem.line,
            problem.message,
        )
        if same:
            runs[-1].append(problem)
        else:
            runs.append([problem])
    lines = text.splitlines() if text else []
    groups = []
    for index, run in enumerate(runs):
        first = run[0]
        excerpt = None
        if lines and index < MAX_EXCERPTS:
            excerpt = _excerpt(lines, first.line, first.column, context)
        columns = [p.column for p in run]
        groups.append(ProblemGroup(first.file, first.line, columns, first.message, excerpt))
    return groups


def _excerpt(lines: list[str], line: int, column: int, context: int) -> Excerpt:
    # One window of columns for every line shown, so the lines stay aligned with the caret.
    start = max(0, column - 1 - EXCERPT_WIDTH // 2)
    first, last = max(1, line - context), min(len(lines), line + context)
    shown = []
    for number in range(first, last + 1):
        full = lines[number - 1]
        clipped = full[start : start + EXCERPT_WIDTH]
        if start > 0:
            clipped = "…" + clipped
        if start + EXCERPT_WIDTH < len(full):
            clipped += "…"
        shown.append((number, clipped))
    return Excerpt(shown, column - 1 - start + (1 if start > 0 else 0))
