"""E301 says how to settle a repeated id: the next free id for one of the two, or one calendar a year."""

from __future__ import annotations

from conftest import CALENDAR_2021, VISIT, OfficeRepo, edit


def test_a_repeated_id_is_given_the_next_free_one_in_the_hint(office: OfficeRepo) -> None:
    office.write("visits/2021-09/V0001.yaml", edit(VISIT, ("date: 2021-08-05", "date: 2021-09-05")))
    [problem] = [p for p in office.check().report.problems if p.code == "E301"]
    assert (office.relative(problem), problem.line, problem.column) == ("visits/2021-09/V0001.yaml", 1, 5)
    assert problem.hint() == (
        "每条记录的编号必须唯一：把其中一条的编号改为下一个没用过的 V0002，文件名也改为 V0002.yaml。"
    )
    assert problem.hint("en") == (
        "Ids are unique: give one of them the next free id, V0002, and name its file V0002.yaml."
    )


def test_a_calendar_year_twice_is_told_to_keep_one_file(office: OfficeRepo) -> None:
    office.write("calendar/2021/2021.yaml", CALENDAR_2021)
    [problem] = [p for p in office.check().report.problems if p.code == "E301"]
    assert (office.relative(problem), problem.line, problem.column) == ("calendar/2021/2021.yaml", 1, 7)
    assert problem.hint() == "每条记录的编号必须唯一：同一年只能有一份，把两份合并成一份，删去另一份。"
    assert problem.hint("en") == "Ids are unique: keep one file a year: merge the two and delete the other."
