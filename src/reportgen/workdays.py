"""Calendar and working days, with China's holidays and make-up workdays (调休) kept as data.

The holiday calendar comes from the records (``calendar/2021.yaml``): which days are
off and which weekend days are worked.  A date outside every calendar year is an error
in working-day mode, never a guess.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reportgen.model import Records

ONE_DAY = dt.timedelta(days=1)


class OutsideCalendar(Exception):
    """A working-day computation needed a year the calendar does not cover."""

    def __init__(self, date: dt.date, years: frozenset[int]) -> None:
        super().__init__(f"{date} outside calendar years {sorted(years)}")
        self.date = date
        self.years = years


@dataclass(frozen=True)
class DayCounter:
    """Counts days in the office's configured way: calendar days or working days."""

    working: bool
    holidays: frozenset[dt.date] = frozenset()
    workdays: frozenset[dt.date] = frozenset()
    years: frozenset[int] = frozenset()

    def is_workday(self, day: dt.date) -> bool:
        """True when people work on ``day`` (weekday not a holiday, or a make-up workday)."""
        if day.year not in self.years:
            raise OutsideCalendar(day, self.years)
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def add(self, start: dt.date, days: int) -> dt.date:
        """The day ``days`` days (or working days) after ``start``."""
        if not self.working:
            return start + dt.timedelta(days=days)
        day = start
        remaining = days
        while remaining > 0:
            day += ONE_DAY
            if self.is_workday(day):
                remaining -= 1
        return day

    def between(self, start: dt.date, end: dt.date) -> int:
        """Days (or working days) after ``start`` up to and including ``end``; negative if end < start."""
        if not self.working:
            return (end - start).days
        if end < start:
            return -self.between(end, start)
        for day in (start, end):
            if day.year not in self.years:
                raise OutsideCalendar(day, self.years)
        prefix = self._prefix()
        return prefix[end.toordinal()] - prefix[start.toordinal()]

    def _prefix(self) -> dict[int, int]:
        """Working days from the calendar's first day up to each day (by ordinal), built once."""
        cached: dict[int, int] | None = _PREFIXES.get(self)
        if cached is None:
            cached = {}
            day = dt.date(min(self.years), 1, 1)
            last = dt.date(max(self.years), 12, 31)
            count = 0
            while day <= last:
                if day.year in self.years and self.is_workday(day):
                    count += 1
                cached[day.toordinal()] = count
                day += ONE_DAY
            _PREFIXES[self] = cached
        return cached


_PREFIXES: dict[DayCounter, dict[int, int]] = {}


def day_counter(records: Records) -> DayCounter:
    """The office's day counter, built from its config and calendar records."""
    working = records.config.get("day_kind") == "working"
    holidays: set[dt.date] = set()
    workdays: set[dt.date] = set()
    years: set[int] = set()
    for calendar in records.calendars.values():
        years.add(int(calendar["year"]))
        holidays.update(calendar.get("holidays") or ())
        workdays.update(calendar.get("workdays") or ())
    return DayCounter(working, frozenset(holidays), frozenset(workdays), frozenset(years))


def effective_deadline(issue: dict[str, object], counter: DayCounter, default_days: int) -> dt.date:
    """The issue's deadline: the written date, or raised + its time limit (or the default)."""
    deadline = issue.get("deadline")
    if isinstance(deadline, dt.date):
        return deadline
    raised = issue["raised"]
    assert isinstance(raised, dt.date)
    limit = issue.get("time_limit_days")
    return counter.add(raised, limit if isinstance(limit, int) else default_days)
