"""Calendar and working days, with China's holidays and make-up workdays (调休) kept as data.

The holiday calendar comes from the records (``calendar/2021.yaml``): which days are
off and which weekend days are worked.  A date outside every calendar year is an error
in working-day mode, never a guess.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

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
        if days > 0 and start.year in self.years:
            prefix, workday_ordinals = self._tables
            index = prefix[start.toordinal()] + days - 1  # the n-th working day after start, counted from 0
            if index < len(workday_ordinals):
                found = dt.date.fromordinal(workday_ordinals[index])
                if all(year in self.years for year in range(start.year, found.year + 1)):
                    return found
        # past the calendar's end or across a missing year: step day by day, which says where it fails
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
        for year in range(start.year, end.year + 1):  # a year missing in between would count as no workdays
            if year not in self.years:
                raise OutsideCalendar(max(start, dt.date(year, 1, 1)), self.years)
        prefix, _ = self._tables
        return prefix[end.toordinal()] - prefix[start.toordinal()]

    @cached_property
    def _tables(self) -> tuple[dict[int, int], list[int]]:
        """Working days up to each day (by ordinal), and every working day's ordinal.

        Kept on the instance, so a lookup does not hash the whole calendar each time, and
        shared by equal counters through ``_TABLES``, so it is built once per calendar.
        """
        shared = _TABLES.get(self)
        if shared is not None:
            return shared
        prefix: dict[int, int] = {}
        ordinals: list[int] = []
        day = dt.date(min(self.years), 1, 1)
        last = dt.date(max(self.years), 12, 31)
        while day <= last:
            if day.year in self.years and self.is_workday(day):
                ordinals.append(day.toordinal())
            prefix[day.toordinal()] = len(ordinals)
            day += ONE_DAY
        _TABLES[self] = prefix, ordinals
        return prefix, ordinals


_TABLES: dict[DayCounter, tuple[dict[int, int], list[int]]] = {}


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
