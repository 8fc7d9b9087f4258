"""Rules for the working-day calendar: each file holds its own year, and covers every date it must.

In working-day mode every time limit becomes a date counted on the calendar, and the
statistics are computed as of the end of every period up to the latest record; a year the
calendar does not have would stop them.  Validation finds each such date first and names
it (E408), once per missing year, so the statistics never meet one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from reportgen.model import Record, Records
from reportgen.problems import Problem, Words
from reportgen.validate.locate import Locator
from reportgen.workdays import DayCounter, OutsideCalendar, day_counter, effective_deadline

_CALENDAR_LISTS = (
    ("holidays", Words("放假日期", "the holiday")),
    ("workdays", Words("调休上班日", "the make-up working day")),
)


def check_calendar_files(records: Records, locator: Locator) -> list[Problem]:
    """A calendar file lists only days of its own year (E410, at the day)."""
    problems: list[Problem] = []
    for calendar in records.calendars.values():
        year = calendar["year"]
        for key, what in _CALENDAR_LISTS:
            for i, day in enumerate(calendar.get(key) or ()):
                if day.year != year:
                    params = {"what": what, "value": day, "year": year, "value_year": day.year}
                    problems.append(locator.problem(calendar, f"{key}.{i}", "E410", **params))
    return problems


def check_calendar_coverage(records: Records, locator: Locator) -> list[Problem]:
    """In working-day mode, every date the statistics count from or up to lies in a calendar year.

    One E408 per missing year, at the first place (in file order) that needs it: a year of
    records without its calendar is one thing to fix, not one per record.
    """
    counter = day_counter(records)
    if not counter.working:
        return []
    return coverage_problems(list(needed_dates(records, counter)), counter, locator)


def covered(needed_years: set[int], counter: DayCounter) -> bool:
    """Whether the calendar has every year from the first to the last needed (nothing to report)."""
    return not needed_years or set(range(min(needed_years), max(needed_years) + 1)) <= counter.years


def coverage_problems(
    needed: list[tuple[Record, str, dt.date]], counter: DayCounter, locator: Locator
) -> list[Problem]:
    """E408 for each year missing from the calendar, given every needed date (``needed_dates``)."""
    shown = [str(y) for y in sorted(counter.years)]
    years = Words("、".join(shown) or "无", ", ".join(shown) or "none")
    needed_years = {day.year for _, _, day in needed}
    if covered(needed_years, counter):
        return []
    missing_by_year = _first_missing(needed_years, counter.years)
    first: dict[int, tuple[str, str, Record, dt.date]] = {}
    for record, path, day in needed:
        missing = missing_by_year.get(day.year)
        if missing is not None and (missing not in first or (record.file, path) < first[missing][:2]):
            first[missing] = (record.file, path, record, day)
    return [
        locator.problem(record, path, "E408", value=day, years=years)
        for _, (_, path, record, day) in sorted(first.items())
    ]


def _first_missing(needed: set[int], covered: frozenset[int]) -> dict[int, int]:
    """For each needed year, the first year missing from the calendar up to it (counting from the earliest)."""
    result: dict[int, int] = {}
    missing: int | None = None
    for year in range(min(needed), max(needed) + 1):
        if missing is None and year not in covered:
            missing = year
        if missing is not None and year in needed:
            result[year] = missing
    return result


def needed_dates(records: Records, counter: DayCounter) -> Iterator[tuple[Record, str, dt.date]]:
    """(record, path, date) of every date a working-day count can start or end on.

    Record dates set the periods the statistics are computed for; an issue's deadline and
    response limit are counted from its raised date (a limit past the calendar is reported
    there, as the raised date is what to check).
    """
    default_days = int(records.config.get("default_time_limit_days", 15))
    response_days = int(records.config.get("response_days", 3))
    for issue in records.issues.values():
        raised: dt.date = issue["raised"]
        yield issue, "raised", raised
        for limit in _limits(issue, counter, default_days, response_days):
            yield issue, "raised", limit
        for i, step in enumerate(issue["history"]):
            yield issue, f"history.{i}.date", step["date"]
        rating = issue.get("rating")
        if rating and rating.get("date"):
            yield issue, "rating.date", rating["date"]
    for kind, key in (("visit", "date"), ("legal", "date"), ("rectification", "done_on")):
        for record in records.of(kind).values():
            if record.get(key):
                yield record, key, record[key]
    for enterprise in records.enterprises.values():
        for key in ("joined", "left"):
            if enterprise.get(key):
                yield enterprise, key, enterprise[key]


def _limits(issue: Record, counter: DayCounter, default_days: int, response_days: int) -> list[dt.date]:
    """The last allowed dates counted in working days (deadline, first response), or the first day the calendar lacks.

    A deadline written as a date is not counted, so it needs no calendar of its own year.
    """
    found = []
    counted = (response_days,) if isinstance(issue.get("deadline"), dt.date) else (None, response_days)
    for days in counted:
        try:
            if days is None:
                found.append(effective_deadline(issue.data, counter, default_days))
            else:
                found.append(counter.add(issue["raised"], days))
        except OutsideCalendar as exc:
            found.append(exc.date)
    return found
