"""Roster import: read the CSV an officer exports from a spreadsheet and plan what it changes.

Pure: no Flask, no database. ``parse_roster`` turns the bytes of an upload into checked rows
or a ``RosterError`` that lists every bad row as ``FILE:LINE: message``; ``plan_roster``
compares those rows with the people and crews already stored and returns a ``RosterPlan``, a
frozen description of exactly what applying the import will do, so a dry run and the real
run cannot disagree.

Blank cells never erase: a blank crew or role (or a missing crew or role column) keeps what an
existing person has, so an HR export without those columns cannot strip crews or demote an
officer. New people without a role become workers. Passwords are not part of a roster; login
cards are issued separately.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

MAX_ROSTER_BYTES = 5 * 1024 * 1024
#: More problems than this help nobody; the cap also keeps a hostile file (millions of empty
#: rows) from turning into millions of problem objects.
MAX_PROBLEMS = 1000
MAX_EMPLOYEE_NO_LENGTH = 32
MAX_NAME_LENGTH = 100

COLUMNS = ("employee_no", "name", "crew", "site", "role")
REQUIRED_COLUMNS = ("employee_no", "name")
#: Header spellings, already lower-cased; Chinese spreadsheets name the columns in Chinese.
HEADER_ALIASES = {
    "employee_no": "employee_no",
    "name": "name",
    "crew": "crew",
    "site": "site",
    "role": "role",
    "工号": "employee_no",
    "姓名": "name",
    "班组": "crew",
    "工地": "site",
    "项目部": "site",
    "角色": "role",
}
CHINESE_HEADERS = {
    "employee_no": "工号",
    "name": "姓名",
    "crew": "班组",
    "site": "工地",
    "role": "角色",
}

#: The roles of ``quizapp.auth.models.Role`` (not imported: that module needs Flask).
ROLES = ("worker", "officer", "manager", "admin")
WORKER = "worker"
CHINESE_ROLES = {
    "职工": "worker",
    "工人": "worker",
    "劳务工": "worker",
    "安全员": "officer",
    "管理人员": "manager",
    "经理": "manager",
    "管理员": "admin",
}
ROLE_ALIASES = {**{role: role for role in ROLES}, **CHINESE_ROLES}

# Separators people use by mistake; a header split by one of them is a single unknown cell.
_WRONG_SEPARATORS = ("，", ";", "；", "\t", "|")
# What Excel writes for a long number in a General-formatted cell: 1.10101E+17.
_SCIENTIFIC = re.compile(r"[0-9]+(?:\.[0-9]+)?[eE]\+[0-9]+")

# Every sentence an officer can read lives here, so that a translation has one place to work
# on. Fields are filled with str.format.
MESSAGES = {
    "file_too_large": "the file is {size}; a roster may be at most {limit}",
    "empty_file": "the file is empty; the first line must name the columns, e.g. {columns}",
    "utf16": (
        "the file is UTF-16 text (Excel's 'Unicode Text'); save it as 'CSV UTF-8 (comma "
        "delimited)' instead"
    ),
    "workbook": (
        "the file is an Excel workbook, not CSV; in Excel choose Save As → 'CSV UTF-8 (comma "
        "delimited)'"
    ),
    "damaged_utf8": (
        "the file is UTF-8 text but byte 0x{byte:02X} on this line cannot be read; correct the "
        "line or save the file again as 'CSV UTF-8 (comma delimited)'"
    ),
    "not_text": (
        "the file is neither UTF-8 nor GBK/GB18030 text (byte 0x{byte:02X} cannot be read); "
        "save it as 'CSV UTF-8 (comma delimited)'"
    ),
    "no_header": ("the first line must name the columns, e.g. {columns}; it reads {found}"),
    "wrong_separator": "columns must be separated by commas (,), not '{separator}'",
    "unknown_column": "unknown column '{column}'; the columns are {columns}",
    "did_you_mean": "{sentence}; did you mean '{suggestion}'?",
    "duplicate_column": "column '{column}' is given twice (columns {first} and {second})",
    "missing_column": "missing required column '{column}' ({chinese})",
    "unnamed_column": "column {index} has a value but no name in the header line",
    "unclosed_quote": "a quoted value is never closed; add the closing '\"'",
    "csv_syntax": "this line is not valid CSV ({reason})",
    "too_many_values": "this line has {count} values but the header names {columns} columns",
    "missing_employee_no": "the employee number (工号) is empty",
    "missing_name": "the name (姓名) is empty",
    "too_long": "{what} '{value}…' is {length} characters long; at most {limit} are allowed",
    "control_character": "{what} contains the invisible character {code}; remove it",
    "scientific_employee_no": (
        "employee number '{value}' looks like a number Excel rewrote in scientific notation; "
        "format the column as Text and export again"
    ),
    "duplicate_employee_no": "employee number '{value}' is already used on line {first_line}",
    "site_without_crew": (
        "site '{site}' is given without a crew; a site is given through the worker's crew, "
        "so fill in the crew (班组) or leave the site empty"
    ),
    "crew_two_sites": (
        "crew '{crew}' is put on site '{site}' here but on site '{first_site}' on line "
        "{first_line}; a crew belongs to one site"
    ),
    "unknown_role": "role '{value}' is not known; use {roles}",
    "crew_moved": (
        "crew '{crew}' belongs to site '{stored_site}', not '{site}'; moving a crew moves its "
        "records, so ask an administrator to move it or correct the file"
    ),
    "too_many_problems": "too many problems; only the first {limit} are shown",
}

_WHAT = {
    "employee_no": "employee number",
    "name": "name",
    "crew": "crew",
    "site": "site",
    "role": "role",
}


def message(message_id: str, /, **fields: Any) -> str:
    """Return the officer-facing sentence ``message_id`` with ``fields`` filled in."""
    return MESSAGES[message_id].format(**fields)


@dataclass(frozen=True, slots=True)
class RosterProblem:
    """One thing wrong with a roster file, at a 1-based physical line (the header is line 1)."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class RosterError(ValueError):
    """A roster cannot be imported; ``problems`` holds every problem found, in line order."""

    def __init__(self, problems: Iterable[RosterProblem]) -> None:
        self.problems: list[RosterProblem] = sorted(problems, key=lambda p: p.line)
        super().__init__("\n".join(str(problem) for problem in self.problems))

    def __reduce__(self) -> tuple[Any, ...]:
        # The default pickling passes the joined message back to __init__.
        return (type(self), (self.problems,))


@dataclass(frozen=True, slots=True)
class RosterRow:
    """One checked person from a roster file.

    ``crew``, ``site`` and ``role`` are None when the file leaves them blank (or has no such
    column): for an existing person that keeps what is stored, a new person becomes a worker.
    ``role`` is otherwise one of ``ROLES``.
    """

    file: str
    line: int
    employee_no: str
    name: str
    crew: str | None = None
    site: str | None = None
    role: str | None = None


@dataclass(frozen=True, slots=True)
class ExistingPerson:
    """A person already stored, as the import compares them; ``site`` is their crew's site."""

    employee_no: str
    name: str
    crew: str | None
    site: str | None
    role: str
    active: bool = True


@dataclass(frozen=True, slots=True)
class NewPerson:
    """A person the import creates; ``site`` is their crew's site once the import is applied."""

    line: int
    employee_no: str
    name: str
    crew: str | None
    site: str | None
    role: str


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of a person that the import changes."""

    field: str
    before: str | None
    after: str | None

    def __str__(self) -> str:
        return f"{self.field}: {self.before or '—'} → {self.after or '—'}"


@dataclass(frozen=True, slots=True)
class PersonUpdate:
    """An existing person whose name, crew, site or role the import changes.

    A site changes only through the crew: the person moves to a crew on another site, or their
    crew, which had no site, is placed on one.
    """

    line: int
    employee_no: str
    name: str
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True, slots=True)
class RosterPlan:
    """Exactly what applying a roster does; a dry run shows it, the real run carries it out."""

    create: tuple[NewPerson, ...]
    update: tuple[PersonUpdate, ...]
    #: Inactive people in the file; they may be in ``update`` as well.
    reactivate: tuple[ExistingPerson, ...]
    #: Active workers missing from the file, when the import was asked to deactivate them.
    deactivate: tuple[ExistingPerson, ...]
    #: People in the file for whom nothing changes.
    unchanged: int
    new_crews: tuple[str, ...]
    new_sites: tuple[str, ...]
    #: Existing crews without a site that the file places on one, as (crew, site).
    placed_crews: tuple[tuple[str, str], ...]

    def summary(self) -> dict[str, int]:
        """How many people, crews and sites each part of the plan touches."""
        return {
            "create": len(self.create),
            "update": len(self.update),
            "reactivate": len(self.reactivate),
            "deactivate": len(self.deactivate),
            "unchanged": self.unchanged,
            "new_crews": len(self.new_crews),
            "new_sites": len(self.new_sites),
            "placed_crews": len(self.placed_crews),
        }


def parse_roster(
    data: bytes, filename: str, *, max_bytes: int = MAX_ROSTER_BYTES
) -> list[RosterRow]:
    """Read a roster CSV into checked rows, or raise ``RosterError`` listing every problem.

    The file is UTF-8 (with or without a byte order mark) or GBK/GB18030, as Excel in China
    saves it; the first line names the columns in any order, in English or Chinese.
    """
    reporter = _Reporter(filename)
    if len(data) > max_bytes:
        reporter.add(1, "file_too_large", **_format_sizes(len(data), max_bytes))
        raise reporter.error()
    text = _decode(data, reporter)
    if text is None:
        raise reporter.error()
    rows = _RosterReader(text, reporter).rows()
    if reporter.problems:
        raise reporter.error()
    return rows


def plan_roster(
    rows: Iterable[RosterRow],
    existing: Mapping[str, ExistingPerson],
    *,
    existing_crews: Mapping[str, str | None],
    deactivate_missing: bool,
    existing_sites: Collection[str] = (),
) -> RosterPlan:
    """Compare checked roster rows with the stored people and crews and plan the import.

    ``existing`` maps employee numbers to people, ``existing_crews`` crew names to their site
    (None for a crew on no site); ``existing_sites`` names sites that may have no crew yet.
    Raises ``RosterError`` when the file puts an existing crew on another site, because moving
    a crew would move its workers' records with it. ``deactivate_missing`` deactivates active
    workers absent from the file; officers, managers and admins are never deactivated.
    """
    rows = list(rows)
    reporter = _Reporter(rows[0].file if rows else "")
    file_sites: dict[str, str] = {}
    for row in rows:
        if row.crew is None or row.site is None:
            continue
        file_sites.setdefault(row.crew, row.site)
        stored_site = existing_crews.get(row.crew)
        if stored_site is not None and stored_site != row.site:
            reporter.add(
                row.line, "crew_moved", crew=row.crew, stored_site=stored_site, site=row.site
            )
    if reporter.problems:
        raise reporter.error()

    def crew_site(crew: str) -> str | None:
        stored = existing_crews.get(crew)
        return stored if stored is not None else file_sites.get(crew)

    create: list[NewPerson] = []
    update: list[PersonUpdate] = []
    reactivate: list[ExistingPerson] = []
    unchanged = 0
    for row in rows:
        person = existing.get(row.employee_no)
        if person is None:
            site = crew_site(row.crew) if row.crew is not None else None
            role = row.role or WORKER
            create.append(NewPerson(row.line, row.employee_no, row.name, row.crew, site, role))
            continue
        changes = _changes(person, row, crew_site)
        if changes:
            update.append(PersonUpdate(row.line, row.employee_no, row.name, changes))
        if not person.active:
            reactivate.append(person)
        if not changes and person.active:
            unchanged += 1

    deactivate: list[ExistingPerson] = []
    if deactivate_missing:
        in_file = {row.employee_no for row in rows}
        deactivate = [
            person
            for employee_no, person in sorted(existing.items())
            if employee_no not in in_file and person.active and person.role == WORKER
        ]

    known_sites = set(existing_sites) | {site for site in existing_crews.values() if site}
    known_sites |= {person.site for person in existing.values() if person.site}
    file_crews = {row.crew for row in rows if row.crew is not None}
    return RosterPlan(
        create=tuple(create),
        update=tuple(update),
        reactivate=tuple(reactivate),
        deactivate=tuple(deactivate),
        unchanged=unchanged,
        new_crews=tuple(sorted(file_crews - set(existing_crews))),
        new_sites=tuple(sorted(set(file_sites.values()) - known_sites)),
        placed_crews=tuple(
            sorted(
                (crew, site)
                for crew, site in file_sites.items()
                if crew in existing_crews and existing_crews[crew] is None
            )
        ),
    )


def _changes(
    person: ExistingPerson, row: RosterRow, crew_site: Callable[[str], str | None]
) -> tuple[FieldChange, ...]:
    """The fields of ``person`` that ``row`` changes; blank cells keep what is stored."""
    crew = row.crew if row.crew is not None else person.crew
    if crew is None:
        site = person.site
    elif crew == person.crew:
        # Other rows may place a crew that had no site; otherwise the person stays put.
        site = crew_site(crew) or person.site
    else:
        site = crew_site(crew)
    role = row.role if row.role is not None else person.role
    after = {"name": row.name, "crew": crew, "site": site, "role": role}
    return tuple(
        FieldChange(field, getattr(person, field), value)
        for field, value in after.items()
        if getattr(person, field) != value
    )


class _Reporter:
    """Collects the problems of one file, up to ``MAX_PROBLEMS``."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.problems: list[RosterProblem] = []
        self.dropped = False

    @property
    def full(self) -> bool:
        """Whether further problems would be dropped; reading may stop here."""
        return len(self.problems) >= MAX_PROBLEMS

    def add(self, line: int, message_id: str, /, **fields: Any) -> None:
        """Record the problem ``message_id`` at ``line``."""
        self.add_text(line, message(message_id, **fields))

    def add_text(self, line: int, text: str) -> None:
        """Record a problem whose sentence is already composed."""
        if self.full:
            self.dropped = True
        else:
            self.problems.append(RosterProblem(self.filename, line, text))

    def error(self) -> RosterError:
        """The error that lists the problems, with a note when some were dropped."""
        problems = sorted(self.problems, key=lambda p: p.line)
        if self.dropped:
            note = message("too_many_problems", limit=MAX_PROBLEMS)
            problems.append(RosterProblem(self.filename, problems[-1].line, note))
        return RosterError(problems)


def _decode(data: bytes, reporter: _Reporter) -> str | None:
    """The text of ``data``: BOM → UTF-8, else strict UTF-8, else GB18030; None on failure."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        reporter.add(1, "utf16")
        return None
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        # .xlsx files are zip archives; .xls files are OLE compound documents.
        reporter.add(1, "workbook")
        return None
    has_bom = data.startswith(codecs.BOM_UTF8)
    text_start = len(codecs.BOM_UTF8) if has_bom else 0
    try:
        return data[text_start:].decode("utf-8")
    except UnicodeDecodeError as error:
        utf8_stop = text_start + error.start
    if has_bom or _clearly_utf8(data[text_start:utf8_stop]):
        # GB18030 decodes almost any bytes: reading a damaged UTF-8 file with it would garble
        # every Chinese name without a word, so the damage is reported instead.
        _report_undecodable(data, utf8_stop, "damaged_utf8", reporter)
        return None
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as error:
        # The encoding that read further is the likelier one; report where it stopped.
        _report_undecodable(data, max(error.start, utf8_stop), "not_text", reporter)
        return None


def _clearly_utf8(prefix: bytes) -> bool:
    """Whether ``prefix``, valid UTF-8, holds enough non-ASCII characters to rule out GBK.

    About one GBK character in seven also reads as UTF-8, so a few in a row prove little; six
    in a row turned up in one of 300,000 simulated GBK rosters.
    """
    return sum(1 for char in prefix.decode("utf-8") if ord(char) > 0x7F) >= 6


def _report_undecodable(data: bytes, offset: int, message_id: str, reporter: _Reporter) -> None:
    reporter.add(_line_at(data, offset), message_id, byte=data[offset])


def _line_at(data: bytes, offset: int) -> int:
    """The 1-based line of ``data`` that holds byte ``offset``."""
    before = data[:offset]
    lines = before.splitlines()
    return len(lines) + 1 if not before or before.endswith((b"\n", b"\r")) else len(lines)


class _RosterReader:
    """Walks the CSV records of a decoded roster and checks each one."""

    def __init__(self, text: str, reporter: _Reporter) -> None:
        self.text = text
        self.reporter = reporter
        self.columns: dict[str, int] = {}
        self.header_line = 1
        self.width = 0
        self.unnamed: list[int] = []
        self.first_line_of: dict[str, int] = {}
        self.crew_sites: dict[str, tuple[str, int]] = {}

    def rows(self) -> list[RosterRow]:
        """Every good row; problems go to the reporter."""
        records = self._records()
        header = next(records, None)
        if header is None:
            self.reporter.add(1, "empty_file", columns=", ".join(COLUMNS))
            return []
        self.header_line = header[0]
        if not self._read_header(header[1]):
            return []
        rows = []
        for line, cells in records:
            if self.reporter.full:
                self.reporter.dropped = True
                break
            row = self._read_row(line, cells)
            if row is not None:
                rows.append(row)
        return rows

    def _records(self) -> Iterator[tuple[int, list[str]]]:
        """Non-blank records, each with the physical line it starts on."""
        reader = csv.reader(io.StringIO(self.text, newline=""), strict=True)
        line = 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                reason = str(error)
                if reason == "unexpected end of data":
                    self.reporter.add(line, "unclosed_quote")
                    return
                self.reporter.add(line, "csv_syntax", reason=reason)
                line = reader.line_num + 1
                continue
            if any(cell.strip() for cell in cells):
                yield line, cells
            line = reader.line_num + 1

    def _read_header(self, cells: list[str]) -> bool:
        """Map column names to positions; False when the rows cannot be read."""
        found = [cell.strip().lower() for cell in cells]
        if not any(name in HEADER_ALIASES for name in found):
            self._report_no_header(cells)
            return False
        readable = True
        for index, name in enumerate(found):
            if not name:
                self.unnamed.append(index)
                continue
            column = HEADER_ALIASES.get(name)
            if column is None:
                self._report_unknown_column(cells[index].strip())
            elif column in self.columns:
                first = self.columns[column] + 1
                self.reporter.add(
                    self.header_line,
                    "duplicate_column",
                    column=column,
                    first=first,
                    second=index + 1,
                )
                readable = False
            else:
                self.columns[column] = index
        for column in REQUIRED_COLUMNS:
            if column not in self.columns:
                self.reporter.add(
                    self.header_line,
                    "missing_column",
                    column=column,
                    chinese=CHINESE_HEADERS[column],
                )
                readable = False
        self.width = len(cells)
        return readable

    def _report_no_header(self, cells: list[str]) -> None:
        """Explain a first line that names no known column: wrong separator, or data."""
        if len(cells) == 1:
            for separator in _WRONG_SEPARATORS:
                parts = [part.strip().lower() for part in cells[0].split(separator)]
                if any(part in HEADER_ALIASES for part in parts):
                    shown = "tab" if separator == "\t" else separator
                    self.reporter.add(self.header_line, "wrong_separator", separator=shown)
                    return
        found = ", ".join(f"'{cell.strip()}'" for cell in cells[:5])
        columns = ", ".join(COLUMNS) + " (or " + ", ".join(CHINESE_HEADERS.values()) + ")"
        self.reporter.add(self.header_line, "no_header", columns=columns, found=found)

    def _report_unknown_column(self, name: str) -> None:
        """Name an unknown column, with the nearest known spelling when there is one."""
        sentence = message("unknown_column", column=name, columns=", ".join(COLUMNS))
        suggestion = difflib.get_close_matches(name.lower(), list(HEADER_ALIASES), n=1)
        if suggestion:
            sentence = message("did_you_mean", sentence=sentence, suggestion=suggestion[0])
        self.reporter.add_text(self.header_line, sentence)

    def _read_row(self, line: int, cells: list[str]) -> RosterRow | None:
        """Check one record; None when it has problems, which go to the reporter."""
        before = len(self.reporter.problems)
        if len(cells) > self.width and any(cell.strip() for cell in cells[self.width :]):
            self.reporter.add(line, "too_many_values", count=len(cells), columns=self.width)
        for index in self.unnamed:
            if index < len(cells) and cells[index].strip():
                self.reporter.add(line, "unnamed_column", index=index + 1)

        def cell(column: str) -> str:
            index = self.columns.get(column)
            return cells[index] if index is not None and index < len(cells) else ""

        employee_no = self._employee_no(line, cell("employee_no"))
        name = self._text(line, "name", cell("name"))
        if name == "":
            self.reporter.add(line, "missing_name")
        crew = self._text(line, "crew", cell("crew"))
        site = self._text(line, "site", cell("site"))
        role = self._role(line, cell("role"))
        if site and crew == "":
            self.reporter.add(line, "site_without_crew", site=site)
        if crew and site:
            first_site, first_line = self.crew_sites.setdefault(crew, (site, line))
            if first_site != site:
                self.reporter.add(
                    line,
                    "crew_two_sites",
                    crew=crew,
                    site=site,
                    first_site=first_site,
                    first_line=first_line,
                )
        if len(self.reporter.problems) > before or employee_no is None or not name:
            return None
        return RosterRow(
            self.reporter.filename, line, employee_no, name, crew or None, site or None, role
        )

    def _employee_no(self, line: int, value: str) -> str | None:
        """The employee number, normalised so full-width digits become ASCII ones."""
        value = unicodedata.normalize("NFKC", value).strip()
        if not value:
            self.reporter.add(line, "missing_employee_no")
            return None
        if not self._plain(line, "employee_no", value):
            return None
        if len(value) > MAX_EMPLOYEE_NO_LENGTH:
            self._too_long(line, "employee_no", value, MAX_EMPLOYEE_NO_LENGTH)
            return None
        if _SCIENTIFIC.fullmatch(value):
            self.reporter.add(line, "scientific_employee_no", value=value)
            return None
        first_line = self.first_line_of.setdefault(value, line)
        if first_line != line:
            self.reporter.add(line, "duplicate_employee_no", value=value, first_line=first_line)
            return None
        return value

    def _text(self, line: int, column: str, value: str) -> str | None:
        """A name-like cell with whitespace runs (Alt+Enter line breaks too) as one space.

        Returns "" for a blank cell and None for a bad one.
        """
        value = " ".join(value.split())
        if not self._plain(line, column, value):
            return None
        if len(value) > MAX_NAME_LENGTH:
            self._too_long(line, column, value, MAX_NAME_LENGTH)
            return None
        return value

    def _role(self, line: int, value: str) -> str | None:
        value = value.strip()
        if not value:
            return None
        role = ROLE_ALIASES.get(value.lower())
        if role is None:
            roles = ", ".join(ROLES) + " (or " + ", ".join(CHINESE_ROLES) + ")"
            sentence = message("unknown_role", value=value, roles=roles)
            suggestion = difflib.get_close_matches(value.lower(), list(ROLE_ALIASES), n=1)
            if suggestion:
                sentence = message("did_you_mean", sentence=sentence, suggestion=suggestion[0])
            self.reporter.add_text(line, sentence)
        return role

    def _plain(self, line: int, column: str, value: str) -> bool:
        """False (and a problem) when ``value`` holds control or invisible format characters."""
        for char in value:
            if unicodedata.category(char) in ("Cc", "Cf"):
                code = f"U+{ord(char):04X}"
                self.reporter.add(line, "control_character", what=_WHAT[column], code=code)
                return False
        return True

    def _too_long(self, line: int, column: str, value: str, limit: int) -> None:
        self.reporter.add(
            line, "too_long", what=_WHAT[column], value=value[:20], length=len(value), limit=limit
        )


def _format_sizes(size: int, limit: int) -> dict[str, str]:
    """The ``size`` and ``limit`` of a too-large message, exact where rounding hides the gap."""
    shown, most = _format_size(size), _format_size(limit)
    if shown == most:
        shown, most = f"{size:,} bytes", f"{limit:,} bytes"
    return {"size": shown, "limit": most}


def _format_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KiB".replace(".0 ", " ")
    return f"{size / (1024 * 1024):.1f} MiB".replace(".0 ", " ")
