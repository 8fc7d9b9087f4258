"""``check --lang en``: the parameters the code fills in are English too; only record data stays as typed.

One case per code whose parameters were Chinese literals, each at its file, line and column,
with the exact English message (the Chinese ones are asserted where each code is tested).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import (
    BULLETIN,
    BULLETIN_FILE,
    CALENDAR_2021,
    CONFIG,
    DEPARTMENT,
    ENTERPRISE,
    ISSUE,
    STAFF,
    USCC,
    VISIT,
    OfficeRepo,
    edit,
)

from reportgen.commands.check import check_report
from reportgen.publish.build import BuildOptions, build
from reportgen.render.fonts import check_glyphs, font_set
from tests.compute.scenario import history
from tests.render.fixture import load, render

ISSUE_FILE, VISIT_FILE, ENTERPRISE_FILE = (
    "issues/2021-08/Q0001.yaml",
    "visits/2021-08/V0001.yaml",
    "enterprises/E001.yaml",
)
DEPARTMENT_FILE, CALENDAR_FILE = "departments/D01.yaml", "calendar/2021.yaml"
RESOLVED = "  - date: 2021-08-18\n    status: 已解决\n  - date: 2021-08-25\n    status: 销号\n"

CASES: list[tuple[str, str, str | bytes, int, int, str]] = [
    ("E101", ISSUE_FILE, edit(ISSUE, ("category: 水电\n", "category: 水电\n%bad\n")), 7, 5,
     "YAML syntax error: a line starting with '%' is not valid content"),
    ("E103", ISSUE_FILE, ISSUE.encode("gb18030"), 4, 9,
     "file is not UTF-8 (it looks like GBK/GB18030, as Windows Notepad or Excel save it)"),
    ("E105", ISSUE_FILE, edit(ISSUE, ("visit: V0001\n", "visit:\n  - V0001\n")), 6, 3,
     "expected another record's id here, found a list"),
    ("E108", ISSUE_FILE, ISSUE + "x: " + "[" * 45 + "]" * 45 + "\n", 29, 43,
     "file too large or nested too deeply (nested more than 40 levels deep)"),
    ("E114", ISSUE_FILE, edit(ISSUE, ("category: 水电\n", "\u3000category: 水电\n")), 6, 1,
     "this line is indented with a full-width space (U+3000); YAML indents with spaces only"),
    ("E202", DEPARTMENT_FILE, DEPARTMENT + "名称: 供电\n", 5, 1, "unknown field '名称'"),
    ("E203", ENTERPRISE_FILE, edit(ENTERPRISE, ("employees: 2000", 'employees: "2000"')), 9, 12,
     "'employees' should be a whole number, found \"2000\" (quoted, so it is text)"),
    ("E203", ENTERPRISE_FILE, edit(ENTERPRISE, ("employees: 2000", "employees: ２０００")), 9, 12,
     "'employees' should be a whole number, found ２０００ (full-width characters; write 2000)"),
    ("E205", VISIT_FILE, edit(VISIT, ("date: 2021-08-05", "date: 2021-02-29")), 2, 7,
     "'date' is not a valid date: 2021-02-29 (2021-02 has 28 days)"),
    ("E205", VISIT_FILE, edit(VISIT, ("date: 2021-08-05", "date: 1989-12-31")), 2, 7,
     "'date' is not a valid date: 1989-12-31 (the year is between 1990 and 2100)"),
    ("E206", VISIT_FILE, edit(VISIT, ("summary: 了解企业用电需求。", "summary: " + "长" * 20001)), 8, 10,
     "'summary' has the wrong format: 长长长长长长长长长长长长长长长长长长长长… (20001 characters)"),
    ("E207", "config.yaml", CONFIG + "ranking_weights:\n  resolution_rate: 0.5\n", 7, 3,
     "'ranking_weights' is negative or out of range: total 0.5"),
    ("E208", DEPARTMENT_FILE, edit(DEPARTMENT, ("short_name: 区供电公司", "short_name: 2021")), 3, 13,
     "'short_name' value 2021 would be read by YAML as a number, not text"),
    ("E210", BULLETIN_FILE, edit(BULLETIN, ("继续做好服务。", "继续做好\x07服务。")), 18, 5,
     "'body' contains an invisible control character (U+0007)"),
    ("E404", ISSUE_FILE, edit(ISSUE, (RESOLVED, "")), 22, 9,
     "rating dated 2021-08-25 before the issue was resolved (not resolved yet)"),
    ("E410", CALENDAR_FILE, edit(CALENDAR_2021, ("  - 2021-10-01\n", "  - 2022-10-01\n")), 4, 5,
     "the holiday 2022-10-01 is not in this calendar's year 2021"),
    ("E501", ENTERPRISE_FILE, edit(ENTERPRISE, (f"uscc: {USCC}", 'uscc: "9141160"')), 3, 7,
     "USCC '9141160' is malformed: 18 characters, not 7"),
    ("E503", "staff/S001.yaml", edit(STAFF["S001"], ('"13800000011"', '"1380000001"')), 5, 8,
     "phone number '1380000001' is invalid: a mobile number is 11 digits starting with 1"),
    ("E511", "frozen", "x", 1, 1,
     "the frozen figures file of an issued bulletin cannot be used: "
     "a file, where the folder of issued figures belongs"),
    ("E702", "config.yaml", CONFIG + "fonts:\n  fangsong: fonts/none.ttf\n", 7, 13,
     "FangSong font file 'fonts/none.ttf' not found"),
]  # fmt: skip

HINTS: list[tuple[str, str, str, str]] = [
    ("E202", DEPARTMENT_FILE, DEPARTMENT + "名称: 供电\n",
     "Check the spelling of '名称'; allowed fields: id, name, short_name, type, ranked, notes, example."),
    ("E204", ENTERPRISE_FILE, edit(ENTERPRISE, ("scale: 大型", "scale: 国企")), "Use one of: 大型, 中型, 小型, 微型."),
    ("E206", VISIT_FILE, edit(VISIT, ("id: V0001", "id: V０001")),
     "Ids look like V0001 (letters and digits): write V0001."),
    ("E210", BULLETIN_FILE, edit(BULLETIN, ("继续做好服务。", "继续做好\x07服务。")),
     "Delete it: (the body without this character). Zero-width, bidi, soft-hyphen and control characters are "
     "invisible but make text differ; only newline and tab are allowed."),
    ("E403", ISSUE_FILE, edit(ISSUE, ("    status: 分办交办\n    note: 交区供电公司办理。\n", "    status: 已解决\n")),
     "Allowed next: 分办交办, 已答复."),
]  # fmt: skip


def _only(office: OfficeRepo, code: str) -> tuple[int, int, str, str]:
    (problem,) = [p for p in office.check().report.sorted() if p.code == code]
    return problem.line, problem.column, problem.message("en"), problem.hint("en")


@pytest.mark.parametrize(("code", "rel", "content", "line", "column", "message"), CASES)
def test_a_message_in_english_names_what_the_code_found_in_english(
    office: OfficeRepo, code: str, rel: str, content: str | bytes, line: int, column: int, message: str
) -> None:
    office.write(rel, content)
    assert _only(office, code)[:3] == (line, column, message)


@pytest.mark.parametrize(("code", "rel", "content", "hint"), HINTS)
def test_a_hint_in_english_lists_with_commas(office: OfficeRepo, code: str, rel: str, content: str, hint: str) -> None:
    office.write(rel, content)
    assert _only(office, code)[3] == hint


def test_e118_a_missing_config(office: OfficeRepo) -> None:
    office.remove("config.yaml")
    assert _only(office, "E118")[:3] == (1, 1, "no office config config.yaml: this does not look like a records folder")


def test_e408_the_calendars_years_with_commas(office: OfficeRepo) -> None:
    office.write("config.yaml", edit(CONFIG, ("day_kind: calendar", "day_kind: working")))
    office.remove(CALENDAR_FILE)
    for year in (2019, 2020):
        office.write(f"calendar/{year}.yaml", f"year: {year}\nholidays:\n  - {year}-10-01\n")
    (first, *_) = [p for p in office.check().report.sorted() if p.code == "E408"]
    assert (office.relative(first), first.line, first.column, first.message("en")) == (
        ENTERPRISE_FILE,
        15,
        9,
        "date 2021-08-02 is outside the working-day calendar's years (2019, 2020)",
    )


def test_w606_the_changed_figures_by_their_english_names(office: OfficeRepo, tmp_path: Path) -> None:
    office.write(BULLETIN_FILE, edit(BULLETIN, ("number: 8\n", "number: 8\nissued: 2021-09-03\n")))
    assert build(BuildOptions(office.root, tmp_path / "out", pdf=False)).ok  # records the figures
    office.write(
        ISSUE_FILE,
        edit(ISSUE, (RESOLVED, ""), ("rating:\n  date: 2021-08-25\n  result: 满意\n  comment: 非常满意。\n", "")),
    )
    (problem,) = [p for p in check_report(office.root).sorted() if p.code == "W606"]
    assert (problem.line, problem.column, problem.message("en")) == (
        5,
        1,
        "issued bulletin 2021-08-monthly (川助企〔2021〕8号) would change: cumulative: issues resolved 1 → 0; "
        "cumulative: issues resolved during the period 1 → 0; cumulative: issues closed 1 → 0; "
        "cumulative: issues open 0 → 1; cumulative: issues finished 1 → 0 and more (29 in all)",
    )


def test_e701_the_font_roles_in_english(tmp_path: Path) -> None:
    issue = {
        "id": "Q0006",
        "enterprise": "E002",
        "raised": dt.date(2021, 9, 20),
        "source": "走访",
        "category": "其他",
        "title": "标牌\ue000问题",
        "description": "情况说明。",
        "lead_department": "D03",
        "history": history((dt.date(2021, 9, 20), "问题收集")),
    }
    records = load(tmp_path / "records", {"issues/2021-09/Q0006.yaml": issue})
    info, html = render(records, "monthly", "2021-09")
    (problem,) = check_glyphs(records, html, font_set(records), info)
    assert problem.message("en") == (
        "character '\ue000' (U+E000) has no glyph in the FangSong fonts and would print as a box "
        "(bulletin 2021-09-monthly)"
    )


def _issued(office: OfficeRepo, *specs: tuple[str, int, str]) -> None:
    """One monthly bulletin text per (period, number, issued day)."""
    for period, number, issued in specs:
        text = edit(BULLETIN, ("period: 2021-08\n", f"period: {period}\n"), ("number: 8\n", f"number: {number}\n"))
        office.write(f"bulletins/{period}-monthly.md", edit(text, ("kind:", f"issued: {issued}\nkind:")))


def test_w661_the_missing_numbers_in_english(office: OfficeRepo) -> None:
    _issued(office, ("2021-08", 8, "2021-09-03"), ("2021-09", 11, "2021-10-08"))
    assert _only(office, "W661")[:3] == (
        5,
        9,
        "document numbers skip: 川助企〔2021〕11号 follows 川助企〔2021〕8号; "
        "no bulletin has 川助企〔2021〕9号 to 川助企〔2021〕10号",
    )


def test_w663_the_days_of_issue_in_english(office: OfficeRepo) -> None:
    _issued(office, ("2021-08", 9, "2021-09-03"), ("2021-09", 8, "2021-10-08"))
    assert _only(office, "W663")[:3] == (
        5,
        9,
        "川助企〔2021〕9号 was issued on 2021-09-03, before the lower 川助企〔2021〕8号 "
        "(bulletin 2021-09-monthly, issued 2021-10-08)",
    )


def test_w605_the_known_sections_with_commas(office: OfficeRepo) -> None:
    office.write(BULLETIN_FILE, edit(BULLETIN, ("## 下步工作", "## 下一步")))
    assert _only(office, "W605")[1:] == (
        1,
        "unknown bulletin section '下一步' will not appear",
        "Known sections: 工作亮点, 典型案例, 点评, 下步工作.",
    )
