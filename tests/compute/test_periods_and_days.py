"""Periods, ranking ties and working days with make-up workdays (调休)."""

from __future__ import annotations

import datetime as dt

import pytest

from reportgen.compute.periods import PeriodError, parse_period
from reportgen.compute.results import UnitFigures, UnitRow
from reportgen.compute.stats import assign_ranks
from reportgen.workdays import DayCounter, OutsideCalendar

D = dt.date
CALENDAR = DayCounter(
    working=True,
    holidays=frozenset(D(2021, 10, d) for d in range(1, 8)) | {D(2021, 9, 20), D(2021, 9, 21)},
    workdays=frozenset({D(2021, 9, 18), D(2021, 9, 26), D(2021, 10, 9)}),
    years=frozenset({2021}),
)


@pytest.mark.parametrize(
    ("text", "start", "end", "previous", "name"),
    [
        ("2021-09", D(2021, 9, 1), D(2021, 9, 30), "2021-08", "2021年9月"),
        ("2021-01", D(2021, 1, 1), D(2021, 1, 31), "2020-12", "2021年1月"),
        ("2021-Q3", D(2021, 7, 1), D(2021, 9, 30), "2021-Q2", "2021年第三季度"),
        ("2021-Q1", D(2021, 1, 1), D(2021, 3, 31), "2020-Q4", "2021年第一季度"),
        ("2021", D(2021, 1, 1), D(2021, 12, 31), "2020", "2021年"),
    ],
)
def test_periods(text: str, start: dt.date, end: dt.date, previous: str, name: str) -> None:
    period = parse_period(text)
    assert (period.start, period.end, period.previous().key, period.name) == (
        start,
        end,
        previous,
        name,
    )


@pytest.mark.parametrize("text", ["2021-13", "2021-Q5", "21-09", "2021/09", ""])
def test_bad_periods(text: str) -> None:
    with pytest.raises(PeriodError):
        parse_period(text)


def test_as_of_outside_period_is_refused() -> None:
    with pytest.raises(PeriodError, match="不在 2021年9月"):
        parse_period("2021-09").as_of(D(2021, 10, 1))


def test_working_day_deadline_crosses_national_day_and_make_up_workday() -> None:
    # 9-30 (Thu) + 2 working days: 10-1..10-7 are off, 10-8 (Fri) is one, 10-9 (Sat, 调休) is two
    assert CALENDAR.add(D(2021, 9, 30), 2) == D(2021, 10, 9)
    # 9-17 (Fri) + 1: 9-18 is a Saturday worked in exchange for the Mid-Autumn holiday
    assert CALENDAR.add(D(2021, 9, 17), 1) == D(2021, 9, 18)
    assert CALENDAR.between(D(2021, 9, 30), D(2021, 10, 11)) == 3  # 10-8, 10-9, 10-11
    assert DayCounter(working=False).add(D(2021, 9, 30), 2) == D(2021, 10, 2)


def test_working_days_outside_the_calendar_raise() -> None:
    with pytest.raises(OutsideCalendar):
        CALENDAR.add(D(2021, 12, 30), 3)


def _unit(unit_id: str, score: float, identified: int, ranked: bool) -> UnitRow:
    figures = UnitFigures(identified, 0, 0, 0, 0, 0, 0, 0, None, None, None, None, None, 0)
    return UnitRow(unit_id, unit_id, unit_id, figures, score, ranked, None if ranked else "问题数少于 3 件，不参与排名")


def test_ties_share_a_rank() -> None:
    rows = [
        _unit("D01", 80.0, 5, True),
        _unit("D02", 90.0, 3, True),
        _unit("D03", 80.0, 7, True),
        _unit("D04", 70.0, 4, True),
        _unit("D05", 99.0, 1, False),
    ]
    ranked = assign_ranks(rows)
    assert [(r.id, r.rank, r.tied) for r in ranked] == [
        ("D02", 1, False),
        ("D03", 2, True),
        ("D01", 2, True),
        ("D04", 4, False),
        ("D05", None, False),
    ]
