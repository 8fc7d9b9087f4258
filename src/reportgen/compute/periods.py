"""Reporting periods: a month (``2021-09``), a quarter (``2021-Q3``) or a year (``2021``).

Each knows its first and last day, its Chinese name and the previous period of the
same length (for 环比).  An as-of date inside the period cuts it short.

What a user types (``--period``, ``--as-of``) is read strictly: ASCII digits, the
years a record may carry, months 01–12, quarters Q1–Q4, days that exist.  A value
written another way (``2021-9``, ``2021/09``, ``2021年9月``, ``2021q3``) is refused with
the corrected text, so that the same period is always spelt the same way.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace

from reportgen.echo import shown
from reportgen.formatting import date_zh
from reportgen.validate.fields import MAX_YEAR, MIN_YEAR
from reportgen.workdays import DayCounter

_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_QUARTER = re.compile(r"([0-9]{4})-Q([0-9])")
_YEAR = re.compile(r"([0-9]{4})")
_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
# other spellings of the same thing, matched after NFKC (full-width digits) and lower-casing
_SEP = r"(?:\s*[-/._年月]\s*|\s+)"
_LOOSE_MONTH = re.compile(rf"([0-9]{{4}})(?:{_SEP}([0-9]{{1,2}})|([0-9]{{2}}))\s*月?份?")
_LOOSE_QUARTER = re.compile(rf"([0-9]{{4}})(?:{_SEP})?(?:q|第)\s*([0-9一二三四])\s*(?:季度?)?")
_LOOSE_YEAR = re.compile(r"([0-9]{4})\s*年度?")
_LOOSE_DAY = re.compile(rf"([0-9]{{4}})(?:{_SEP}([0-9]{{1,2}}){_SEP}([0-9]{{1,2}})|([0-9]{{2}})([0-9]{{2}}))\s*[日号]?")
PERIOD_FORMS = "月份写成 2021-09，季度写成 2021-Q3，年度写成 2021"
DAY_FORM = "日期写成 年-月-日，如 2021-09-15"
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
    """``2021-09`` → September 2021; ``2021-Q3``; ``2021``; anything else is a PeriodError saying why."""
    cleaned = text.strip()
    if not cleaned:
        raise PeriodError(f"没有给出时期：{PERIOD_FORMS}")
    strict = _period_parts(cleaned)
    if strict is not None:
        return _checked_period(*strict, cleaned)
    loose = _loose_period_parts(unicodedata.normalize("NFKC", cleaned).lower())
    if loose is not None:
        period = _checked_period(*loose, cleaned)
        raise PeriodError(f"时期“{shown(cleaned)}”的写法不对，请写成 {period.key}")
    raise PeriodError(f"时期“{shown(cleaned)}”无法识别：{PERIOD_FORMS}")


def _period_parts(text: str) -> tuple[str, int, int] | None:
    """(kind, year, month or quarter) of a period written the one accepted way."""
    if m := _MONTH.fullmatch(text):
        return "month", int(m[1]), int(m[2])
    if m := _QUARTER.fullmatch(text):
        return "quarter", int(m[1]), int(m[2])
    if m := _YEAR.fullmatch(text):
        return "year", int(m[1]), 1
    return None


def _loose_period_parts(text: str) -> tuple[str, int, int] | None:
    """(kind, year, month or quarter) of a period written some other recognisable way."""
    if m := _LOOSE_MONTH.fullmatch(text):
        return "month", int(m[1]), int(m[2] or m[3])
    if m := _LOOSE_QUARTER.fullmatch(text):
        return "quarter", int(m[1]), int(m[2]) if m[2].isdigit() else QUARTER_NAMES.index(m[2]) + 1
    if m := _LOOSE_YEAR.fullmatch(text):
        return "year", int(m[1]), 1
    return None


def _checked_period(kind: str, year: int, number: int, text: str) -> Period:
    """The period, once its year, month or quarter is known to exist."""
    _check_year(year, f"时期“{shown(text)}”")
    if kind == "month" and not 1 <= number <= 12:
        raise PeriodError(f"时期“{shown(text)}”的月份 {number} 不存在：月份从 01 到 12，如 {year}-09")
    if kind == "quarter" and not 1 <= number <= 4:
        raise PeriodError(f"时期“{shown(text)}”的季度 Q{number} 不存在：季度从 Q1 到 Q4，如 {year}-Q3")
    month = {"month": number, "quarter": (number - 1) * 3 + 1, "year": 1}[kind]
    return _make(kind, dt.date(year, month, 1))


def _check_year(year: int, what: str) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(f"{what}的年份 {year} 超出范围：年份在 {MIN_YEAR} 到 {MAX_YEAR} 之间")


def parse_day(text: str, what: str = "截止日期") -> dt.date:
    """``2021-09-15`` → that day; another spelling, a day that does not exist or a far year is a PeriodError."""
    cleaned = text.strip()
    if not cleaned:
        raise PeriodError(f"没有给出{what}：{DAY_FORM}")
    if m := _DAY.fullmatch(cleaned):
        return _checked_day(int(m[1]), int(m[2]), int(m[3]), f"{what}“{shown(cleaned)}”")
    if m := _LOOSE_DAY.fullmatch(unicodedata.normalize("NFKC", cleaned)):
        month, day = (m[2], m[3]) if m[2] else (m[4], m[5])
        found = _checked_day(int(m[1]), int(month), int(day), f"{what}“{shown(cleaned)}”")
        raise PeriodError(f"{what}“{shown(cleaned)}”的写法不对，请写成 {found.isoformat()}")
    raise PeriodError(f"{what}“{shown(cleaned)}”无法识别：{DAY_FORM}")


def _checked_day(year: int, month: int, day: int, what: str) -> dt.date:
    """The date, once it is known to exist."""
    _check_year(year, what)
    if not 1 <= month <= 12:
        raise PeriodError(f"{what}的月份 {month} 不存在：月份从 1 到 12")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise PeriodError(f"{what}不存在：{year}年{month}月只有 {last} 天")
    return dt.date(year, month, day)


def check_calendar(period: Period, counter: DayCounter) -> None:
    """Counting working days up to the period's end needs that year's holidays: a PeriodError when they are missing."""
    year = period.end.year
    if not counter.working or year in counter.years:
        return
    years = "、".join(str(y) for y in sorted(counter.years))
    covered = f"只有 {years} 年" if years else "还没有任何年份"
    raise PeriodError(
        f"{period.name}统计到 {date_zh(period.end)}，超期天数按工作日计算，需要 {year} 年的节假日安排，"
        f"但工作日历{covered}：请选择日历覆盖的时期，或在 calendar 目录中补充 {year}.yaml"
    )


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
