"""China's public holidays and make-up workdays (调休) of the years ``reportgen init`` knows.

From the State Council General Office's yearly notices (国务院办公厅关于部分节假日安排的通知).
A year missing here gets a valid calendar file with empty lists and a note to fill it in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class YearCalendar:
    """One year's days off and worked weekend days."""

    year: int
    holidays: tuple[dt.date, ...]
    workdays: tuple[dt.date, ...]
    source: str


def _days(*spans: tuple[str, str]) -> tuple[dt.date, ...]:
    result: list[dt.date] = []
    for first, last in spans:
        day, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
        while day <= end:
            result.append(day)
            day += dt.timedelta(days=1)
    return tuple(result)


def _dates(*days: str) -> tuple[dt.date, ...]:
    return tuple(dt.date.fromisoformat(d) for d in days)


KNOWN: dict[int, YearCalendar] = {
    2025: YearCalendar(
        2025,
        _days(
            ("2025-01-01", "2025-01-01"),  # 元旦
            ("2025-01-28", "2025-02-04"),  # 春节
            ("2025-04-04", "2025-04-06"),  # 清明节
            ("2025-05-01", "2025-05-05"),  # 劳动节
            ("2025-05-31", "2025-06-02"),  # 端午节
            ("2025-10-01", "2025-10-08"),  # 国庆节、中秋节
        ),
        _dates("2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"),
        "国务院办公厅关于2025年部分节假日安排的通知",
    ),
    2026: YearCalendar(
        2026,
        _days(
            ("2026-01-01", "2026-01-03"),  # 元旦
            ("2026-02-15", "2026-02-23"),  # 春节
            ("2026-04-04", "2026-04-06"),  # 清明节
            ("2026-05-01", "2026-05-05"),  # 劳动节
            ("2026-06-19", "2026-06-21"),  # 端午节
            ("2026-09-25", "2026-09-27"),  # 中秋节
            ("2026-10-01", "2026-10-07"),  # 国庆节
        ),
        _dates("2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"),
        "国务院办公厅关于2026年部分节假日安排的通知",
    ),
}


def calendar_for(year: int) -> YearCalendar | None:
    """The known calendar of ``year``, or None."""
    return KNOWN.get(year)
