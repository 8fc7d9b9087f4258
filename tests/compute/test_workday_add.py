"""Adding working days by table lookup gives exactly what stepping day by day gives."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen.workdays import ONE_DAY, DayCounter, OutsideCalendar

HOLIDAYS = frozenset({dt.date(2021, 10, d) for d in range(1, 8)} | {dt.date(2023, 1, 2)})
WORKDAYS = frozenset({dt.date(2021, 9, 26), dt.date(2021, 10, 9)})


def stepped(counter: DayCounter, start: dt.date, days: int) -> dt.date:
    """The reference: one day at a time."""
    day, remaining = start, days
    while remaining > 0:
        day += ONE_DAY
        if counter.is_workday(day):
            remaining -= 1
    return day


def outcome(fn: object, *args: object) -> object:
    try:
        return fn(*args)  # type: ignore[operator]
    except OutsideCalendar as exc:
        return ("outside", exc.date)


@settings(max_examples=400, deadline=None)
@given(
    years=st.sampled_from([frozenset({2021}), frozenset({2021, 2022}), frozenset({2021, 2023}), frozenset({2022})]),
    start=st.dates(dt.date(2020, 12, 1), dt.date(2023, 12, 31)),
    days=st.integers(-2, 400),
)
def test_table_lookup_equals_stepping(years: frozenset[int], start: dt.date, days: int) -> None:
    counter = DayCounter(True, HOLIDAYS, WORKDAYS, years)
    assert outcome(counter.add, start, days) == outcome(stepped, counter, start, days)
