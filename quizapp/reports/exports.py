"""Report tables as CSV and XLSX files, and the crew training ledger (台账); pure functions.

Times arrive as aware UTC datetimes and leave as dates and times of the display time zone:
text in CSV, real dates in XLSX. Text that a spreadsheet could take for a formula is
defused (see `neutralise`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

# openpyxl is imported by the functions that write a workbook, when an export is asked for:
# imported here, it would take 8 MB in every server process (bench/README.md, memory).
if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.cell import Cell

#: A spreadsheet reads a cell starting with one of these as a formula (or, for tab and
#: carriage return, may drop them and then read one): OWASP's "CSV injection".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: Column kinds and how they are written.
KINDS = ("text", "int", "number", "percent", "date", "datetime", "duration")


@dataclass(frozen=True)
class Column:
    """A column: its heading and the kind of its values."""

    title: str
    kind: str = "text"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")


@dataclass(frozen=True)
class Table:
    """A titled table of rows; `name` is its file name without extension."""

    name: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]


@dataclass(frozen=True)
class LedgerEntry:
    """A worker's standing with one required quiz (None where it is not required of them)."""

    status: str
    passed_on: datetime | None
    valid_until: datetime | None


@dataclass(frozen=True)
class Ledger:
    """A crew's training ledger: one row per worker, one column group per required quiz."""

    title: str
    subtitle: str
    #: Headings: number, employee number, name, then per quiz: status, passed on, valid until.
    headings: tuple[str, str, str, str, str, str]
    #: One heading per required quiz, each over its three columns.
    quizzes: tuple[str, ...]
    #: (employee number, name, one entry or None per quiz)
    rows: tuple[tuple[str, str, tuple[LedgerEntry | None, ...]], ...]


def neutralise(text: str) -> str:
    """Text safe from formula injection: a leading `=`, `+`, `-`, `@`, tab or CR is
    prefixed with an apostrophe, which spreadsheets show as text and never evaluate."""
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_value(value: Any, kind: str, zone: tzinfo) -> str:
    """One value as CSV text."""
    if value is None:
        return ""
    if kind == "percent":
        return f"{value:.1f}"
    if kind == "date":
        return _local(value, zone).date().isoformat() if isinstance(value, datetime) else str(value)
    if kind == "datetime":
        return _local(value, zone).strftime("%Y-%m-%d %H:%M")
    if kind == "duration":
        seconds = int(value.total_seconds())
        return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    if kind == "int":
        return str(int(value))
    if kind == "number":
        return f"{float(value):g}"
    return neutralise(str(value))


def to_csv(table: Table, zone: tzinfo) -> bytes:
    """The table as UTF-8 CSV with a byte order mark, so Excel reads Chinese text right."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([neutralise(column.title) for column in table.columns])
    for row in table.rows:
        writer.writerow(
            [csv_value(v, c.kind, zone) for v, c in zip(row, table.columns, strict=True)]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(tables: Sequence[Table], zone: tzinfo) -> bytes:
    """The tables as an XLSX workbook, one sheet each, with real numbers, dates and times."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(sheet_title(table.title))
        for index, column in enumerate(table.columns, start=1):
            cell = sheet.cell(row=1, column=index)
            _put(cell, column.title, "text", zone)
            cell.font = Font(bold=True)
        for row_number, row in enumerate(table.rows, start=2):
            for index, (value, column) in enumerate(zip(row, table.columns, strict=True), 1):
                _put(sheet.cell(row=row_number, column=index), value, column.kind, zone)
        sheet.freeze_panes = "A2"
        _fit_widths(sheet, [[c.title for c in table.columns], *table.rows])
    return _save(book)


def ledger_xlsx(ledger: Ledger, zone: tzinfo) -> bytes:
    """The training ledger as an XLSX sheet, laid out to print on landscape A4."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title(ledger.title)
    width = 3 + 3 * len(ledger.quizzes)
    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    heading_fill = PatternFill("solid", fgColor="DDE4EC")

    _put(sheet.cell(row=1, column=1), ledger.title, "text", zone)
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    _put(sheet.cell(row=2, column=1), ledger.subtitle, "text", zone)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)

    number, employee_no, name, status, passed_on, valid_until = ledger.headings
    for index, heading in enumerate((number, employee_no, name), start=1):
        _put(sheet.cell(row=3, column=index), heading, "text", zone)
        sheet.merge_cells(start_row=3, start_column=index, end_row=4, end_column=index)
    for position, quiz in enumerate(ledger.quizzes):
        first = 4 + 3 * position
        _put(sheet.cell(row=3, column=first), quiz, "text", zone)
        sheet.merge_cells(start_row=3, start_column=first, end_row=3, end_column=first + 2)
        for offset, heading in enumerate((status, passed_on, valid_until)):
            _put(sheet.cell(row=4, column=first + offset), heading, "text", zone)
    for row in (3, 4):
        for column in range(1, width + 1):
            cell = sheet.cell(row=row, column=column)
            cell.font, cell.alignment, cell.border, cell.fill = (
                Font(bold=True),
                centre,
                box,
                heading_fill,
            )

    for offset, (employee, person, entries) in enumerate(ledger.rows):
        row = 5 + offset
        _put(sheet.cell(row=row, column=1), offset + 1, "int", zone)
        _put(sheet.cell(row=row, column=2), employee, "text", zone)
        _put(sheet.cell(row=row, column=3), person, "text", zone)
        for position, entry in enumerate(entries):
            first = 4 + 3 * position
            if entry is None:
                _put(sheet.cell(row=row, column=first), "—", "text", zone)
                continue
            _put(sheet.cell(row=row, column=first), entry.status, "text", zone)
            _put(sheet.cell(row=row, column=first + 1), entry.passed_on, "date", zone)
            _put(sheet.cell(row=row, column=first + 2), entry.valid_until, "date", zone)
        for column in range(1, width + 1):
            sheet.cell(row=row, column=column).border = box

    sheet.freeze_panes = "D5"
    sheet.print_title_rows = "3:4"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 12
    sheet.column_dimensions["C"].width = 12
    for column in range(4, width + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 12
    return _save(book)


def sheet_title(title: str) -> str:
    """A title Excel accepts for a sheet: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in title).strip("'")
    return cleaned[:31] or "Sheet"


def _put(cell: Cell, value: Any, kind: str, zone: tzinfo) -> None:
    """Write one value into a cell as the kind says; text is never taken for a formula."""
    if value is None:
        return
    if kind == "int":
        cell.value = int(value)
    elif kind == "number":
        cell.value = float(value)
        cell.number_format = "0.##"
    elif kind == "percent":
        cell.value = float(value) / 100
        cell.number_format = "0.0%"
    elif kind == "date":
        cell.value = _local(value, zone).date() if isinstance(value, datetime) else value
        cell.number_format = "yyyy-mm-dd"
    elif kind == "datetime":
        cell.value = _local(value, zone).replace(tzinfo=None)
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif kind == "duration":
        cell.value = value if isinstance(value, timedelta) else timedelta(seconds=value)
        cell.number_format = "[h]:mm:ss"
    else:
        text = str(value)
        cell.value = text
        # A string cell is never evaluated; quotePrefix keeps it text when someone edits it.
        cell.data_type = "s"
        if text.startswith(FORMULA_STARTS):
            cell.quotePrefix = True


def _local(value: datetime | date, zone: tzinfo) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(zone)
    return datetime(value.year, value.month, value.day)


def _fit_widths(sheet, rows: Sequence[Sequence[Any]]) -> None:
    """Columns about as wide as their longest text (a Chinese character counts twice)."""
    from openpyxl.utils import get_column_letter

    widths: dict[int, int] = {}
    for row in rows:
        for index, value in enumerate(row, start=1):
            text = "" if value is None else str(value)
            size = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
            widths[index] = max(widths.get(index, 0), size)
    for index, size in widths.items():
        sheet.column_dimensions[get_column_letter(index)].width = min(60, max(8, size + 2))


def _save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
