"""Hints that say how to fix, with the corrected value: ids, copies, calendar days."""

from __future__ import annotations

from conftest import CALENDAR_2021, DEPARTMENT, ENTERPRISE, VISIT, VISIT_FILE, OfficeRepo, edit


def _hints(office: OfficeRepo, files: dict[str, str]) -> list[tuple[str, str, str]]:
    for rel, text in files.items():
        office.write(rel, text)
    return [(p.code, office.relative(p), p.hint()) for p in office.check().report.sorted()]


def test_a_full_width_id_gets_its_half_width_spelling(office: OfficeRepo) -> None:
    files = {"enterprises/E0０2.yaml": edit(ENTERPRISE, ("id: E001", "id: E0０2"))}
    assert _hints(office, files) == [("E206", "enterprises/E0０2.yaml", "编号形如 E001（字母加数字）：改为 E002。")]


def test_a_full_width_reference_gets_its_half_width_spelling(office: OfficeRepo) -> None:
    files = {VISIT_FILE: edit(VISIT, ("enterprise: E001", "enterprise: Ｅ００１"))}
    assert _hints(office, files) == [("E206", VISIT_FILE, "编号只能用半角字母和数字：改为 E001。")]


def test_a_copy_under_a_free_name_is_told_the_next_free_id_not_a_rename(office: OfficeRepo) -> None:
    office.write("departments/D02.yaml", edit(DEPARTMENT, ("id: D01", "id: D02")))
    assert _hints(office, {"departments/D01 副本.yaml": DEPARTMENT}) == [
        (
            "E306",
            "departments/D01 副本.yaml",
            "看起来是复制了那条记录后没有改编号：把编号改为 D03，文件名改为 D03.yaml；"
            "不要把文件改名为 D01.yaml，那样会和原记录重复。",
        )
    ]


def test_a_day_of_another_year_is_told_which_calendar_file_it_belongs_in(office: OfficeRepo) -> None:
    files = {"calendar/2021.yaml": edit(CALENDAR_2021, ("  - 2021-10-01", "  - 2022-10-01"))}
    assert _hints(office, files) == [
        (
            "E410",
            "calendar/2021.yaml",
            "每个年份的节假日和调休单独写在 calendar/年份.yaml 中：把这一天移到 2022.yaml，或改正年份。",
        )
    ]


def test_an_impossible_date_says_why(office: OfficeRepo) -> None:
    for written, why in (
        ("9999-08-05", "9999-08-05（年份应在 1990 到 2100 之间）"),
        ("2021-13-05", "2021-13-05（月份应在 1 到 12 之间）"),
        ("2021-02-29", "2021-02-29（2021年2月只有 28 天）"),
    ):
        office.write(VISIT_FILE, edit(VISIT, ("date: 2021-08-05", f"date: {written}")))
        assert [p.message() for p in office.check().report.sorted()] == [f"日期不是有效日期：{why}"]
