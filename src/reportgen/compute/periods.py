"""Reporting periods: a month (``2021-09``), a quarter (``2021-Q3``) or a year (``2021``).

Each knows its first and last day, its Chinese name and the previous period of the
same length (for 环比).  An as-of date inside the period cuts it short.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
QUARTER_NAMES = ("一", "二", "三", "四")


class PeriodError(ValueError):
    """A period or as-of date that cannot be used; the message is for the user, in Chinese."""


@dataclass(frozen=True, order=True)
class Period:
    """A span of days reported on together."""

    start: dt.date
    end: dt.date  # last day included (the as-of date when cut short)
    kind: str  # "month", "quarter" or "year"
    key: str  # "2021-09", "2021-Q3", "2021"

    @property
    def full_end(self) -> dt.date:
        """The period's natural last day, even when an as-of date cut it short."""
        return _natural_end(self.kind, self.start)

    @property
    def name(self) -> str:
        """Chinese name: 2021年9月, 2021年第三季度, 2021年."""
        if self.kind == "month":
            return f"{self.start.year}年{self.start.month}月"
        if self.kind == "quarter":
            return f"{self.start.year}年第{QUARTER_NAMES[(self.start.month - 1) // 3]}季度"
        return f"{self.start.year}年"

    def previous(self) -> Period:
        """The previous period of the same kind (its full length)."""
        if self.kind == "month":
            start = _add_months(self.start, -1)
        elif self.kind == "quarter":
            start = _add_months(self.start, -3)
        else:
            start = dt.date(self.start.year - 1, 1, 1)
        return _make(self.kind, start)

    def months(self) -> list[Period]:
        """The months of this period (cut at the as-of date)."""
        result = []
        start = self.start
        while start <= self.end:
            month = _make("month", start)
            result.append(replace(month, end=min(month.end, self.end)))
            start = _add_months(start, 1)
        return result

    def contains(self, day: dt.date) -> bool:
        """True when ``day`` falls within the period (up to its end)."""
        return self.start <= day <= self.end

    def as_of(self, day: dt.date) -> Period:
        """The period cut short at ``day``, which must fall inside it."""
        if not self.start <= day <= self.full_end:
            raise PeriodError(f"截止日期 {day} 不在 {self.name}（{self.start} 至 {self.full_end}）之内")
        return replace(self, end=day)


def parse_period(text: str) -> Period:
    """``2021-09`` → September 2021; ``2021-Q3``; ``2021``; anything else is a PeriodError."""
    text = text.strip()
    if m := _MONTH.match(text):
        return _make("month", dt.date(int(m[1]), int(m[2]), 1))
    if m := _QUARTER.match(text):
        return _make("quarter", dt.date(int(m[1]), (int(m[2]) - 1) * 3 + 1, 1))
    if m := _YEAR.match(text):
        return _make("year", dt.date(int(m[1]), 1, 1))
    raise PeriodError(f"时期“{text}”无法识别：月份写成 2021-09，季度写成 2021-Q3，年度写成 2021")


def period_of(day: dt.date, kind: str) -> Period:
    """The period of ``kind`` that contains ``day``."""
    if kind == "month":
        return _make("month", day.replace(day=1))
    if kind == "quarter":
        return _make("quarter", dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1))
    return _make("year", dt.date(day.year, 1, 1))


def periods_between(first: dt.date, last: dt.date, kind: str) -> Iterator[Period]:
    """Every period of ``kind`` from the one containing ``first`` to the one containing ``last``."""
    period = period_of(first, kind)
    while period.start <= last:
        yield period
        period = _make(kind, period.full_end + dt.timedelta(days=1))


def _make(kind: str, start: dt.date) -> Period:
    if kind == "month":
        key = f"{start.year}-{start.month:02d}"
    elif kind == "quarter":
        key = f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    else:
        key = str(start.year)
    return Period(start, _natural_end(kind, start), kind, key)


def _natural_end(kind: str, start: dt.date) -> dt.date:
    months = {"month": 1, "quarter": 3, "year": 12}[kind]
    return _add_months(start, months) - dt.timedelta(days=1)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)
