"""China's public holidays and make-up workdays (调休), from the maintained ``chinese-calendar`` package.

The package follows the State Council General Office's yearly notices
(国务院办公厅关于部分节假日安排的通知).  It only seeds the calendar files ``reportgen init``
writes: the calendar stays data in the records, where an office adds its local adjustments.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata

from chinese_calendar import constants

PACKAGE = "chinese-calendar"


@dataclass(frozen=True)
class YearCalendar:
    """One year's days off and worked weekend days."""

    year: int
    holidays: tuple[dt.date, ...]
    workdays: tuple[dt.date, ...]
    source: str


@lru_cache(maxsize=1)
def covered_years() -> range:
    """The years the installed package has the State Council's notices for."""
    years = {day.year for day in constants.holidays}
    return range(min(years), max(years) + 1)


def package_label() -> str:
    """``chinese-calendar 1.11.0``: where the dates came from, for notes to the user."""
    return f"{PACKAGE} {metadata.version(PACKAGE)}"


def calendar_for(year: int) -> YearCalendar | None:
    """The holidays and make-up workdays of ``year``, or None when the package does not cover it."""
    if year not in covered_years():
        return None
    holidays = tuple(sorted(day for day in constants.holidays if day.year == year))
    workdays = tuple(sorted(day for day in constants.workdays if day.year == year))
    return YearCalendar(year, holidays, workdays, f"国务院办公厅关于{year}年部分节假日安排的通知")


def uncovered_note(year: int) -> str:
    """Why ``year``'s calendar file is left empty, in plain Chinese."""
    years = covered_years()
    return (
        f"reportgen 附带的节假日数据（{package_label()}）只有 {years[0]} 至 {years[-1]} 年，"
        f"没有 {year} 年的放假安排：请按国务院办公厅的通知填写 {year} 年的放假日期和调休上班日。"
    )
