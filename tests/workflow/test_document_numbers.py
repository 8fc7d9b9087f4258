"""The register of document numbers, derived from the bulletin texts: each number once a year, in order.

Every problem sits at the ``number`` line of the bulletin text's front matter (line 4, column 9
of the minimal repository's texts).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from conftest import BULLETIN, OfficeRepo, edit

from reportgen.commands.new import run_new


def bulletin(period: str, number: int, issued: str | None) -> str:
    """The minimal repository's bulletin text for ``period`` with ``number`` and, when given, ``issued``."""
    front = f"number: {number}\n" + (f"issued: {issued}\n" if issued else "")
    return edit(BULLETIN, ("period: 2021-08\n", f"period: {period}\n"), ("number: 8\n", front))


def texts(office: OfficeRepo, *specs: tuple[str, int, str | None]) -> None:
    """Write one monthly bulletin text per (period, number, issued)."""
    for period, number, issued in specs:
        office.write(f"bulletins/{period}-monthly.md", bulletin(period, number, issued))


def messages(office: OfficeRepo) -> list[tuple[str, str, int, int, str]]:
    """(code, file, line, column, message) of every problem."""
    return [(p.code, office.relative(p), p.line, p.column, p.message()) for p in office.check().report.sorted()]


def test_a_number_used_twice_in_a_year_is_an_error(office: OfficeRepo) -> None:
    texts(office, ("2021-08", 8, "2021-09-03"), ("2021-09", 8, "2021-10-08"))
    assert messages(office) == [
        ("E531", "bulletins/2021-09-monthly.md", 4, 9, "文号川助企〔2021〕8号已被通报 2021-08-monthly 使用"),
    ]
    hint = office.check().report.errors[0].hint()
    assert (
        hint == "同一年内一个文号只能用一次：核对两份通报的文号，把后印发的一份改为下一个空闲的文号川助企〔2021〕9号。"
    )


def test_the_same_number_in_two_years_is_no_duplicate(office: OfficeRepo) -> None:
    texts(office, ("2021-08", 1, "2021-09-03"), ("2021-12", 1, "2022-01-06"))
    assert office.found() == []


def test_a_gap_in_the_sequence_warns(office: OfficeRepo) -> None:
    texts(office, ("2021-08", 8, "2021-09-03"), ("2021-09", 11, "2021-10-08"))
    message = "文号不连续：川助企〔2021〕8号之后是川助企〔2021〕11号，中间的川助企〔2021〕9号至10号没有对应的通报"
    assert messages(office) == [("W661", "bulletins/2021-09-monthly.md", 4, 9, message)]


def test_a_number_continuing_last_years_series_warns(office: OfficeRepo) -> None:
    texts(office, ("2021-08", 8, "2021-09-03"), ("2021-12", 9, "2022-01-06"))
    message = (
        "这份通报于2022年1月6日印发，文号应从2022年的1号编起，川助企〔2022〕9号接续的是上一年的文号"
        "（上一年最后是川助企〔2021〕8号）"
    )
    assert messages(office) == [("W662", "bulletins/2021-12-monthly.md", 4, 9, message)]


def test_a_number_issued_before_a_lower_one_warns(office: OfficeRepo) -> None:
    texts(office, ("2021-08", 9, "2021-09-03"), ("2021-09", 8, "2021-10-08"))
    message = (
        "文号川助企〔2021〕9号于2021年9月3日印发，"
        "比文号更小的川助企〔2021〕8号（通报 2021-09-monthly，2021年10月8日印发）还早"
    )
    assert messages(office) == [("W663", "bulletins/2021-08-monthly.md", 4, 9, message)]


def test_drafts_are_not_in_the_register(office: OfficeRepo) -> None:
    texts(office, ("2021-08", 8, "2021-09-03"), ("2021-09", 8, None), ("2021-10", 20, None))
    assert office.found() == []


def proposed(office: OfficeRepo, today: dt.date, period: str) -> str:
    """The ``number:`` line ``new bulletin`` writes for ``period`` on ``today``."""
    out, err = io.StringIO(), io.StringIO()
    assert run_new("bulletin", ["--period", period], office.root, today=today, out=out, err=err) == 0, err.getvalue()
    text = Path(out.getvalue().strip()).read_text("utf-8")
    return next(line for line in text.splitlines() if line.startswith("number:"))


def test_new_bulletin_proposes_the_next_free_number_of_the_year_of_issue(office: OfficeRepo) -> None:
    texts(office, ("2021-08", 8, "2021-09-03"), ("2021-09", 9, "2021-10-08"), ("2021-10", 12, None))
    assert proposed(office, dt.date(2021, 12, 3), "2021-11") == "number: 13"  # past the draft's 12
    office.remove("bulletins/2021-11-monthly.md")
    office.remove("bulletins/2021-10-monthly.md")
    assert proposed(office, dt.date(2022, 1, 5), "2021-12") == "number: 1"  # issued in 2022: a new series


def test_a_correction_notice_numbers_in_the_same_series(office: OfficeRepo) -> None:
    corrected = bulletin("2021-08", 8, "2021-09-03")
    corrected = corrected.replace(
        "issued: 2021-09-03\n", "issued: 2021-09-03\ncorrection_number: 9\ncorrection_issued: 2021-10-20\n"
    )
    office.write("bulletins/2021-08-monthly.md", corrected)
    texts(office, ("2021-09", 9, "2021-10-08"))
    assert messages(office) == [
        ("E531", "bulletins/2021-08-monthly.md", 6, 20, "文号川助企〔2021〕9号已被通报 2021-09-monthly 使用"),
    ]
    assert proposed(office, dt.date(2021, 11, 3), "2021-10") == "number: 10"
