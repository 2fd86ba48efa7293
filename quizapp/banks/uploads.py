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


def source_excerpt(text: str, line: int, context: int = 1) -> list[tuple[int, str]]:
    """The lines around `line` (1-based) as (number, text), for showing next to an error."""
    lines = text.splitlines()
    first = max(1, line - context)
    last = min(len(lines), line + context)
    return [(number, lines[number - 1]) for number in range(first, last + 1)]
