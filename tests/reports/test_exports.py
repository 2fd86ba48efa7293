"""CSV and XLSX files of report tables, and the crew training ledger (pure functions)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from quizapp.reports.exports import (
    Column,
    Ledger,
    LedgerEntry,
    Table,
    ledger_xlsx,
    neutralise,
    sheet_title,
    to_csv,
    to_xlsx,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: 23:30 UTC on 31 May is 07:30 on 1 June in Shanghai.
LATE_MAY = datetime(2026, 5, 31, 23, 30, tzinfo=UTC)

TABLE = Table(
    name="workers",
    title="班组人员",
    columns=(
        Column("姓名"),
        Column("合格日期", "date"),
        Column("提交时间", "datetime"),
        Column("用时", "duration"),
        Column("成绩 %", "percent"),
        Column("次数", "int"),
    ),
    rows=(
        ("张伟", LATE_MAY, LATE_MAY, timedelta(minutes=12, seconds=5), 87.5, 2),
        ('=HYPERLINK("http://evil")', None, None, None, None, 0),
    ),
)


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+86 138", "'+86 138"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("钢筋一班", "钢筋一班"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_neutralise_defuses_text_a_spreadsheet_would_evaluate(text, safe):
    assert neutralise(text) == safe


def test_csv_starts_with_a_bom_and_keeps_chinese_text():
    data = to_csv(TABLE, SHANGHAI)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["姓名", "合格日期", "提交时间", "用时", "成绩 %", "次数"]
    assert rows[1] == ["张伟", "2026-06-01", "2026-06-01 07:30", "0:12:05", "87.5", "2"]
    assert rows[2] == ['\'=HYPERLINK("http://evil")', "", "", "", "", "0"]


def test_xlsx_holds_real_dates_numbers_and_inert_text():
    book = load_workbook(io.BytesIO(to_xlsx([TABLE], SHANGHAI)))
    sheet = book["班组人员"]
    assert [cell.value for cell in sheet[1]] == [
        "姓名",
        "合格日期",
        "提交时间",
        "用时",
        "成绩 %",
        "次数",
    ]
    name, day, submitted, taken, percent, count = sheet[2]
    assert name.value == "张伟"
    assert day.is_date and day.value.date() == date(2026, 6, 1)
    assert submitted.is_date and submitted.value == datetime(2026, 6, 1, 7, 30)
    assert taken.value == timedelta(minutes=12, seconds=5)
    assert (percent.value, percent.number_format) == (0.875, "0.0%")
    assert count.value == 2
    formula = sheet["A3"]
    assert formula.value == '=HYPERLINK("http://evil")' and formula.data_type == "s"
    assert formula.quotePrefix
    assert sheet.freeze_panes == "A2"


def test_points_are_numbers_in_both_formats():
    table = Table("answers", "答题", (Column("得分", "number"), Column("满分", "int")), ((1.5, 2),))
    sheet = load_workbook(io.BytesIO(to_xlsx([table], SHANGHAI)))["答题"]
    points, possible = sheet[2]
    assert (points.value, possible.value) == (1.5, 2)
    assert points.data_type == "n" and possible.data_type == "n"
    assert to_csv(table, SHANGHAI).decode("utf-8-sig").splitlines()[1] == "1.5,2"


def test_sheet_titles_are_ones_excel_accepts():
    assert sheet_title("a/b:c*d?[e]") == "a_b_c_d__e_"
    assert len(sheet_title("长" * 40)) == 31


def test_the_ledger_has_a_row_per_worker_and_a_column_group_per_quiz():
    ledger = Ledger(
        title="安全教育培训台账：钢筋一班",
        subtitle="2026-06-01",
        headings=("序号", "工号", "姓名", "状态", "合格日期", "有效期至"),
        quizzes=("消防安全，截止 2026-06-30", "高处作业，截止 2026-07-31"),
        rows=(
            ("W1", "张伟", (LedgerEntry("合格", LATE_MAY, LATE_MAY + timedelta(days=365)), None)),
            ("W2", "李娜", (LedgerEntry("逾期", None, None), LedgerEntry("未开始", None, None))),
        ),
    )
    sheet = load_workbook(io.BytesIO(ledger_xlsx(ledger, SHANGHAI))).active
    assert sheet["A1"].value == "安全教育培训台账：钢筋一班"
    assert sheet["D3"].value == "消防安全，截止 2026-06-30"
    assert sheet["G3"].value == "高处作业，截止 2026-07-31"
    assert [sheet.cell(4, c).value for c in range(4, 10)] == ["状态", "合格日期", "有效期至"] * 2
    assert "D3:F3" in {str(r) for r in sheet.merged_cells.ranges}
    assert [sheet.cell(5, c).value for c in range(1, 5)] == [1, "W1", "张伟", "合格"]
    assert sheet["E5"].is_date and sheet["E5"].value.date() == date(2026, 6, 1)
    assert sheet["F5"].value.date() == date(2027, 6, 1)
    assert sheet["G5"].value == "—"
    assert [sheet.cell(6, c).value for c in (3, 4, 5, 7)] == ["李娜", "逾期", None, "未开始"]
    assert sheet.print_title_rows == "$3:$4"  # headings repeat on every printed page
    assert sheet.page_setup.orientation == "landscape"
