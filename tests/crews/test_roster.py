"""Roster import: reading an officer's spreadsheet export and planning what it changes."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from quizapp.crews.roster import (
    MAX_PROBLEMS,
    ExistingPerson,
    FieldChange,
    NewPerson,
    RosterError,
    RosterProblem,
    RosterRow,
    parse_roster,
    plan_roster,
)

HEADER = "employee_no,name,crew,site,role\n"


def problems_in(data: bytes | str, filename: str = "roster.csv", **options: int) -> list[str]:
    """The problems ``parse_roster`` reports for ``data``, as FILE:LINE: message lines."""
    if isinstance(data, str):
        data = data.encode()
    with pytest.raises(RosterError) as caught:
        parse_roster(data, filename, **options)
    return [str(problem) for problem in caught.value.problems]


def rows_of(text: str, encoding: str = "utf-8") -> list[RosterRow]:
    """The rows of a roster written as ``text`` and saved with ``encoding``."""
    return parse_roster(text.encode(encoding), "roster.csv")


def person(employee_no: str, name: str, crew=None, site=None, role="worker", active=True):
    """A stored person as the import sees them."""
    return ExistingPerson(employee_no, name, crew, site, role, active)


def plan(text: str, people=(), crews=None, *, deactivate_missing=False, sites=()):
    """The plan for importing ``text`` over ``people`` and ``crews`` (crew → site)."""
    return plan_roster(
        rows_of(text),
        {p.employee_no: p for p in people},
        existing_crews=crews or {},
        existing_sites=sites,
        deactivate_missing=deactivate_missing,
    )


# Reading files


def test_utf8_roster_reads_every_column():
    rows = rows_of(HEADER + "1001,张三,钢筋班,一号工地,worker\n1002,李四,,,\n")

    assert rows == [
        RosterRow("roster.csv", 2, "1001", "张三", "钢筋班", "一号工地", "worker"),
        RosterRow("roster.csv", 3, "1002", "李四", None, None, None),
    ]


def test_utf8_with_byte_order_mark_keeps_first_column_name():
    rows = rows_of("\ufeff" + HEADER + "1001,张三,钢筋班,一号工地,officer\n")

    assert rows[0].employee_no == "1001"
    assert rows[0].role == "officer"


def test_gbk_roster_with_chinese_headers():
    text = (
        "工号,姓名,班组,项目部,角色\r\n"
        "1001,张三,钢筋班,一号工地,安全员\r\n"
        "1002,李四,木工班,,劳务工\r\n"
    )

    rows = parse_roster(text.encode("gbk"), "名单.csv")

    assert rows == [
        RosterRow("名单.csv", 2, "1001", "张三", "钢筋班", "一号工地", "officer"),
        RosterRow("名单.csv", 3, "1002", "李四", "木工班", None, "worker"),
    ]


def test_gb18030_characters_beyond_gbk_are_read():
    # 𠮷 is outside GBK; GB18030 encodes it in four bytes.
    rows = rows_of("工号,姓名\n1001,𠮷大\n", encoding="gb18030")

    assert rows[0].name == "𠮷大"


def test_header_names_are_trimmed_case_insensitive_and_in_any_order():
    rows = rows_of(" Role ,NAME,  Employee_No,工地,Crew\nmanager,王五,2001,二号工地,木工班\n")

    assert rows == [RosterRow("roster.csv", 2, "2001", "王五", "木工班", "二号工地", "manager")]


@pytest.mark.parametrize(
    ("cell", "role"),
    [
        ("worker", "worker"),
        ("Officer", "officer"),
        ("MANAGER", "manager"),
        ("admin", "admin"),
        ("职工", "worker"),
        ("工人", "worker"),
        ("劳务工", "worker"),
        ("安全员", "officer"),
        ("管理人员", "manager"),
        ("经理", "manager"),
        ("管理员", "admin"),
        ("", None),
    ],
)
def test_role_spellings(cell, role):
    assert rows_of(f"employee_no,name,role\n1001,张三,{cell}\n")[0].role == role


def test_quoted_fields_keep_commas_and_join_line_breaks_and_lines_stay_physical():
    text = (
        HEADER
        + '1001,"张三, 大",钢筋班,一号工地,\n'
        + '1002,李四,"钢筋班\n二组",一号工地,\n'
        + "1003,,木工班,,\n"
    )

    with pytest.raises(RosterError) as caught:
        rows_of(text)

    assert [str(p) for p in caught.value.problems] == ["roster.csv:5: the name (姓名) is empty"]
    rows = rows_of(text.replace("1003,,", "1003,王五,"))
    assert [(row.line, row.name, row.crew) for row in rows] == [
        (2, "张三, 大", "钢筋班"),
        (3, "李四", "钢筋班 二组"),
        (5, "王五", "木工班"),
    ]


def test_blank_lines_and_empty_rows_are_skipped_but_counted():
    rows = rows_of("\n" + HEADER + "\n,,,,\n1001,张三,,,\r\n\r\n1002,李四,,,\n")

    assert [(row.line, row.employee_no) for row in rows] == [(5, "1001"), (7, "1002")]


def test_old_mac_line_endings_count_as_lines():
    rows = rows_of("employee_no,name\r1001,张三\r1002,李四\r")

    assert [row.line for row in rows] == [2, 3]


def test_formula_looking_cells_are_plain_text():
    rows = rows_of('employee_no,name,crew\n1001,=HYPERLINK("x"),+cmd|calc\n')

    assert rows[0].name == '=HYPERLINK("x")'
    assert rows[0].crew == "+cmd|calc"


def test_full_width_digits_in_employee_numbers_become_ascii():
    assert rows_of("employee_no,name\n  １００１ ,张三\n")[0].employee_no == "1001"


def test_whitespace_around_cells_is_trimmed():
    rows = rows_of("employee_no,name,crew,site\n 1001 , 张三\u3000, 钢筋班 , 一号工地 \n")

    assert rows == [RosterRow("roster.csv", 2, "1001", "张三", "钢筋班", "一号工地")]


def test_trailing_unnamed_empty_columns_from_excel_are_ignored():
    rows = rows_of("employee_no,name,,\n1001,张三,,\n")

    assert rows[0].name == "张三"


# File-level problems


def test_size_is_checked_before_anything_else():
    assert problems_in(b"\xff" * 2000, max_bytes=1024) == [
        "roster.csv:1: the file is 2 KiB; a roster may be at most 1 KiB"
    ]


def test_size_shows_exact_bytes_when_rounding_hides_the_difference():
    assert problems_in(b"x" * 1025, max_bytes=1024) == [
        "roster.csv:1: the file is 1,025 bytes; a roster may be at most 1,024 bytes"
    ]


def test_default_limit_is_five_mebibytes():
    assert problems_in(b"x" * (5 * 1024 * 1024 + 1))[0].startswith(
        "roster.csv:1: the file is 5,242,881 bytes; a roster may be at most 5,242,880 bytes"
    )


def test_undecodable_bytes_name_the_line_and_byte():
    assert problems_in(b"employee_no,name\n1001,ok\n1002,\x80bad\n") == [
        "roster.csv:3: the file is neither UTF-8 nor GBK/GB18030 text (byte 0x80 cannot be "
        "read); save it as 'CSV UTF-8 (comma delimited)'"
    ]


def test_utf16_and_workbooks_are_explained():
    assert problems_in("employee_no,name\n".encode("utf-16")) == [
        "roster.csv:1: the file is UTF-16 text (Excel's 'Unicode Text'); save it as "
        "'CSV UTF-8 (comma delimited)' instead"
    ]
    assert problems_in(b"PK\x03\x04" + b"\x00" * 30, "roster.xlsx") == [
        "roster.xlsx:1: the file is an Excel workbook, not CSV; in Excel choose Save As → "
        "'CSV UTF-8 (comma delimited)'"
    ]


def test_empty_file():
    assert problems_in(b"\n\n") == [
        "roster.csv:1: the file is empty; the first line must name the columns, e.g. "
        "employee_no, name, crew, site, role"
    ]


# Header problems


def test_unknown_columns_are_named_with_a_suggestion():
    assert problems_in("employee_no,name,cerw,班组名,phone\n1001,张三,,,\n") == [
        "roster.csv:1: unknown column 'cerw'; the columns are employee_no, name, crew, site, "
        "role; did you mean 'crew'?",
        "roster.csv:1: unknown column '班组名'; the columns are employee_no, name, crew, site, "
        "role; did you mean '班组'?",
        "roster.csv:1: unknown column 'phone'; the columns are employee_no, name, crew, site, role",
    ]


def test_missing_required_columns():
    assert problems_in("name,crew\n张三,钢筋班\n") == [
        "roster.csv:1: missing required column 'employee_no' (工号)"
    ]
    assert problems_in("工号,班组\n1001,钢筋班\n") == [
        "roster.csv:1: missing required column 'name' (姓名)"
    ]


def test_a_column_given_twice():
    assert problems_in("employee_no,name,工地,项目部\n1001,张三,a,b\n") == [
        "roster.csv:1: column 'site' is given twice (columns 3 and 4)"
    ]


def test_a_file_without_header_row():
    assert problems_in("1001,张三,钢筋班\n") == [
        "roster.csv:1: the first line must name the columns, e.g. employee_no, name, crew, "
        "site, role (or 工号, 姓名, 班组, 工地, 角色); it reads '1001', '张三', '钢筋班'"
    ]


def test_a_header_split_by_the_wrong_separator():
    assert problems_in("工号，姓名\n1001，张三\n") == [
        "roster.csv:1: columns must be separated by commas (,), not '，'"
    ]
    assert problems_in("employee_no;name\n1001;张三\n") == [
        "roster.csv:1: columns must be separated by commas (,), not ';'"
    ]


def test_header_problems_count_blank_lines_before_it():
    assert problems_in("\n\nemployee_no\n1001\n") == [
        "roster.csv:3: missing required column 'name' (姓名)"
    ]


# Row problems, each with its exact text


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (",张三,,,", "the employee number (工号) is empty"),
        ("1001,,,,", "the name (姓名) is empty"),
        (
            "1" * 33 + ",张三,,,",
            "employee number '11111111111111111111…' is 33 characters long; at most 32 are allowed",
        ),
        (
            "1001," + "张" * 101 + ",,,",
            f"name '{'张' * 20}…' is 101 characters long; at most 100 are allowed",
        ),
        (
            "1001,张三," + "c" * 101 + ",,",
            f"crew '{'c' * 20}…' is 101 characters long; at most 100 are allowed",
        ),
        (
            "1001,张三,钢筋班," + "s" * 101 + ",",
            f"site '{'s' * 20}…' is 101 characters long; at most 100 are allowed",
        ),
        (
            "1001,张三,,一号工地,",
            "site '一号工地' is given without a crew; a site is given through the worker's "
            "crew, so fill in the crew (班组) or leave the site empty",
        ),
        (
            "1001,张三,,,boss",
            "role 'boss' is not known; use worker, officer, manager, admin "
            "(or 职工, 工人, 劳务工, 安全员, 管理人员, 经理, 管理员)",
        ),
        (
            "1001,张三,,,offcer",
            "role 'offcer' is not known; use worker, officer, manager, admin "
            "(or 职工, 工人, 劳务工, 安全员, 管理人员, 经理, 管理员); did you mean 'officer'?",
        ),
        (
            "1.10101E+17,张三,,,",
            "employee number '1.10101E+17' looks like a number Excel rewrote in scientific "
            "notation; format the column as Text and export again",
        ),
        ("10\x0001,张三,,,", "employee number contains the invisible character U+0000; remove it"),
        ("1001,张\u200b三,,,", "name contains the invisible character U+200B; remove it"),
        ("1001,张三,,,,extra", "this line has 6 values but the header names 5 columns"),
        ('1001,"张三" ,,,', "this line is not valid CSV (',' expected after '\"')"),
    ],
)
def test_row_problem(line, problem):
    assert problems_in(HEADER + "1000,赵六,,,\n" + line + "\n") == [f"roster.csv:3: {problem}"]


def test_an_unclosed_quote_is_reported_where_the_record_starts():
    assert problems_in(HEADER + '1001,"张三,,,\n1002,李四,,,\n') == [
        "roster.csv:2: a quoted value is never closed; add the closing '\"'"
    ]


def test_a_value_under_an_unnamed_column():
    assert problems_in("employee_no,name,\n1001,张三,x\n") == [
        "roster.csv:2: column 3 has a value but no name in the header line"
    ]


def test_duplicate_employee_number_names_the_first_line():
    text = HEADER + "1001,张三,,,\n1002,李四,,,\n\n１００１,王五,,,\n1001,赵六,,,\n"

    assert problems_in(text) == [
        "roster.csv:5: employee number '1001' is already used on line 2",
        "roster.csv:6: employee number '1001' is already used on line 2",
    ]


def test_a_crew_on_two_sites_in_the_file():
    text = HEADER + "1001,张三,钢筋班,一号工地,\n1002,李四,钢筋班,,\n1003,王五,钢筋班,二号工地,\n"

    assert problems_in(text) == [
        "roster.csv:4: crew '钢筋班' is put on site '二号工地' here but on site '一号工地' on "
        "line 2; a crew belongs to one site"
    ]


def test_every_problem_is_reported_at_once_in_line_order():
    text = (
        "工号,姓名,班组,工地,角色,电话\n"
        "1001,张三,钢筋班,一号工地,职工,\n"
        ',"李\n四",,一号工地,\n'
        "1003,,钢筋班,二号工地,老板,\n"
        "1001,赵六,,,,\n"
    )

    assert problems_in(text.encode("gbk"), "名单.csv") == [
        "名单.csv:1: unknown column '电话'; the columns are employee_no, name, crew, site, role",
        "名单.csv:3: the employee number (工号) is empty",
        "名单.csv:3: site '一号工地' is given without a crew; a site is given through the "
        "worker's crew, so fill in the crew (班组) or leave the site empty",
        "名单.csv:5: the name (姓名) is empty",
        "名单.csv:5: role '老板' is not known; use worker, officer, manager, admin "
        "(or 职工, 工人, 劳务工, 安全员, 管理人员, 经理, 管理员)",
        "名单.csv:5: crew '钢筋班' is put on site '二号工地' here but on site '一号工地' on "
        "line 2; a crew belongs to one site",
        "名单.csv:6: employee number '1001' is already used on line 2",
    ]


def test_reading_continues_after_a_csv_syntax_error():
    text = HEADER + '1001,"张三"x,,,\n1002,,,,\n'

    assert problems_in(text) == [
        "roster.csv:2: this line is not valid CSV (',' expected after '\"')",
        "roster.csv:3: the name (姓名) is empty",
    ]


def test_too_many_problems_are_cut_short():
    nameless = "".join(f"{number},\n" for number in range(MAX_PROBLEMS + 50))
    problems = problems_in("employee_no,name\n" + nameless)

    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[-1] == (
        f"roster.csv:{MAX_PROBLEMS + 1}: too many problems; only the first {MAX_PROBLEMS} are shown"
    )


def test_roster_error_survives_pickling():
    error = RosterError([RosterProblem("roster.csv", 2, "the name (姓名) is empty")])

    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes, just made

    assert copy.problems == error.problems
    assert str(copy) == "roster.csv:2: the name (姓名) is empty"


# Planning


def test_new_people_are_created_as_workers_on_their_crews_site():
    result = plan(
        HEADER + "1001,张三,钢筋班,,\n1002,李四,木工班,,安全员\n1003,王五,,,\n",
        crews={"钢筋班": "一号工地", "木工班": None},
    )

    assert result.create == (
        NewPerson(2, "1001", "张三", "钢筋班", "一号工地", "worker"),
        NewPerson(3, "1002", "李四", "木工班", None, "officer"),
        NewPerson(4, "1003", "王五", None, None, "worker"),
    )
    assert result.update == ()
    assert result.new_crews == ()


def test_new_crews_and_sites_are_listed_and_sites_reach_every_member():
    result = plan(
        HEADER + "1001,张三,钢筋班,三号工地,\n1002,李四,钢筋班,,\n1003,王五,木工班,一号工地,\n",
        crews={"木工班": None},
        sites=("一号工地",),
    )

    assert [(p.crew, p.site) for p in result.create] == [
        ("钢筋班", "三号工地"),
        ("钢筋班", "三号工地"),
        ("木工班", "一号工地"),
    ]
    assert result.new_crews == ("钢筋班",)
    assert result.new_sites == ("三号工地",)
    assert result.placed_crews == (("木工班", "一号工地"),)


def test_unchanged_people_are_only_counted():
    people = [person("1001", "张三", "钢筋班", "一号工地"), person("1002", "李四")]

    result = plan(
        HEADER + "1001,张三,钢筋班,一号工地,worker\n1002,李四,,,\n",
        people,
        {"钢筋班": "一号工地"},
    )

    assert result.unchanged == 2
    assert result.create == result.update == result.reactivate == result.deactivate == ()
    assert result.summary() == {
        "create": 0,
        "update": 0,
        "reactivate": 0,
        "deactivate": 0,
        "unchanged": 2,
        "new_crews": 0,
        "new_sites": 0,
        "placed_crews": 0,
    }


def test_updates_list_each_changed_field_before_and_after():
    people = [
        person("1001", "张三", "钢筋班", "一号工地"),
        person("1002", "李四", "木工班", "一号工地", role="officer"),
    ]

    result = plan(
        HEADER + "1001,张叁,模板班,,\n1002,李四,,,worker\n",
        people,
        {"钢筋班": "一号工地", "木工班": "一号工地", "模板班": "二号工地"},
    )

    first, second = result.update
    assert (first.line, first.employee_no, first.changes) == (
        2,
        "1001",
        (
            FieldChange("name", "张三", "张叁"),
            FieldChange("crew", "钢筋班", "模板班"),
            FieldChange("site", "一号工地", "二号工地"),
        ),
    )
    assert second.changes == (FieldChange("role", "officer", "worker"),)
    assert str(first.changes[1]) == "crew: 钢筋班 → 模板班"
    assert str(FieldChange("crew", None, "钢筋班")) == "crew: — → 钢筋班"
    assert result.unchanged == 0


def test_blank_crew_and_role_keep_what_is_stored():
    people = [person("1001", "张三", "钢筋班", "一号工地", role="manager")]

    result = plan("employee_no,name\n1001,张三\n", people, {"钢筋班": "一号工地"})

    assert result.update == ()
    assert result.unchanged == 1


def test_placing_a_crew_moves_its_members_onto_the_site():
    people = [person("1001", "张三", "木工班"), person("1002", "李四", "木工班")]

    result = plan(HEADER + "1001,张三,木工班,一号工地,\n1002,李四,,,\n", people, {"木工班": None})

    assert [u.changes for u in result.update] == [
        (FieldChange("site", None, "一号工地"),),
        (FieldChange("site", None, "一号工地"),),
    ]
    assert result.placed_crews == (("木工班", "一号工地"),)
    assert result.new_sites == ("一号工地",)


def test_inactive_people_in_the_file_are_reactivated():
    people = [
        person("1001", "张三", active=False),
        person("1002", "李四", active=False),
    ]

    result = plan(HEADER + "1001,张三,,,\n1002,李四,钢筋班,,\n", people)

    assert result.reactivate == tuple(people)
    assert [u.employee_no for u in result.update] == ["1002"]
    assert result.unchanged == 0
    assert result.summary()["reactivate"] == 2


def test_missing_workers_are_deactivated_only_when_asked():
    people = [
        person("1001", "张三"),
        person("1002", "李四"),
        person("1003", "王五", active=False),
        person("2001", "安全员甲", role="officer"),
        person("3001", "经理乙", role="manager"),
        person("4001", "管理员丙", role="admin"),
    ]
    text = HEADER + "1001,张三,,,\n"

    kept = plan(text, people, deactivate_missing=False)
    cleared = plan(text, people, deactivate_missing=True)

    assert kept.deactivate == ()
    assert cleared.deactivate == (people[1],)
    assert cleared.summary()["deactivate"] == 1


def test_an_existing_crew_on_another_site_is_refused_with_every_line():
    rows = rows_of(
        HEADER + "1001,张三,钢筋班,二号工地,\n1002,李四,钢筋班,,\n1003,王五,钢筋班,二号工地,\n"
    )

    with pytest.raises(RosterError) as caught:
        plan_roster(rows, {}, existing_crews={"钢筋班": "一号工地"}, deactivate_missing=False)

    message = (
        "crew '钢筋班' belongs to site '一号工地', not '二号工地'; moving a crew moves its "
        "records, so ask an administrator to move it or correct the file"
    )
    assert [str(p) for p in caught.value.problems] == [
        f"roster.csv:2: {message}",
        f"roster.csv:4: {message}",
    ]


def test_a_plan_cannot_be_changed_after_it_is_made():
    result = plan(HEADER + "1001,张三,,,\n")

    with pytest.raises(dataclasses.FrozenInstanceError):
        result.unchanged = 5  # type: ignore[misc]
    assert isinstance(result.create, tuple)
    assert result == plan(HEADER + "1001,张三,,,\n")


def test_damaged_utf8_is_refused_rather_than_garbled_as_gbk():
    text = (HEADER + "1001,张三,钢筋班,一号工地,\n1002,李四,").encode() + b"\xff\n"

    assert problems_in(text) == [
        "roster.csv:3: the file is UTF-8 text but byte 0xFF on this line cannot be read; correct "
        "the line or save the file again as 'CSV UTF-8 (comma delimited)'"
    ]


def test_damaged_utf8_after_a_byte_order_mark_is_refused():
    assert problems_in(b"\xef\xbb\xbfemployee_no,name\n1001,\xff\n") == [
        "roster.csv:2: the file is UTF-8 text but byte 0xFF on this line cannot be read; correct "
        "the line or save the file again as 'CSV UTF-8 (comma delimited)'"
    ]


def test_gbk_roster_with_english_headers():
    rows = rows_of(HEADER + "1001,张三,钢筋班,一号工地,安全员\n", encoding="gbk")

    assert rows == [RosterRow("roster.csv", 2, "1001", "张三", "钢筋班", "一号工地", "officer")]
