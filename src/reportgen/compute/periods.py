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
from reportgen.lang import Pair, Said, listed
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
PERIOD_FORMS: Pair = (
    "月份写成 2021-09，季度写成 2021-Q3，年度写成 2021",
    "write a month as 2021-09, a quarter as 2021-Q3, a year as 2021",
)
DAY_FORM: Pair = ("日期写成 年-月-日，如 2021-09-15", "write the date as YEAR-MONTH-DAY, e.g. 2021-09-15")
QUARTER_NAMES = ("一", "二", "三", "四")

# Why a period or a cut-off date is refused, a (Chinese, English) pair each.
MESSAGES: dict[str, Pair] = {
    "outside": (
        "截止日期 {day} 不在 {name}（{start} 至 {end}）之内",
        "the cut-off date {day} is not within {key} ({start} to {end})",
    ),
    "no_period": ("没有给出时期：" + PERIOD_FORMS[0], "no period given: " + PERIOD_FORMS[1]),
    "period_spelling": ("时期“{text}”的写法不对，请写成 {key}", "the period '{text}' is misspelt: write {key}"),
    "period_unknown": (
        "时期“{text}”无法识别：" + PERIOD_FORMS[0],
        "the period '{text}' is not recognised: " + PERIOD_FORMS[1],
    ),
    "period_year": (
        "时期“{text}”的年份 {year} 超出范围：年份在 {first} 到 {last} 之间",
        "the period '{text}' has the year {year}, out of range: years run from {first} to {last}",
    ),
    "no_month": (
        "时期“{text}”的月份 {number} 不存在：月份从 01 到 12，如 {year}-09",
        "the period '{text}' has no month {number}: months run from 01 to 12, e.g. {year}-09",
    ),
    "no_quarter": (
        "时期“{text}”的季度 Q{number} 不存在：季度从 Q1 到 Q4，如 {year}-Q3",
        "the period '{text}' has no quarter Q{number}: quarters run from Q1 to Q4, e.g. {year}-Q3",
    ),
    "no_day": ("没有给出截止日期：" + DAY_FORM[0], "no cut-off date given: " + DAY_FORM[1]),
    "day_spelling": ("截止日期“{text}”的写法不对，请写成 {day}", "the cut-off date '{text}' is misspelt: write {day}"),
    "day_unknown": (
        "截止日期“{text}”无法识别：" + DAY_FORM[0],
        "the cut-off date '{text}' is not recognised: " + DAY_FORM[1],
    ),
    "day_year": (
        "截止日期“{text}”的年份 {year} 超出范围：年份在 {first} 到 {last} 之间",
        "the cut-off date '{text}' has the year {year}, out of range: years run from {first} to {last}",
    ),
    "day_month": (
        "截止日期“{text}”的月份 {month} 不存在：月份从 1 到 12",
        "the cut-off date '{text}' has no month {month}: months run from 1 to 12",
    ),
    "day_missing": (
        "截止日期“{text}”不存在：{year}年{month}月只有 {last} 天",
        "the cut-off date '{text}' does not exist: {year}-{month:02d} has {last} days",
    ),
    "calendar": (
        "{name}统计到 {end_zh}，超期天数按工作日计算，需要 {year} 年的节假日安排，"
        "但工作日历只有 {years} 年：请选择日历覆盖的时期，或在 calendar 目录中补充 {year}.yaml",
        "{key} is counted up to {end}, and overdue days count working days, which needs the holidays of {year}; "
        "but the working-day calendar has only {years}: choose a period the calendar covers, "
        "or add {year}.yaml to the calendar folder",
    ),
    "no_calendar": (
        "{name}统计到 {end_zh}，超期天数按工作日计算，需要 {year} 年的节假日安排，"
        "但工作日历还没有任何年份：请选择日历覆盖的时期，或在 calendar 目录中补充 {year}.yaml",
        "{key} is counted up to {end}, and overdue days count working days, which needs the holidays of {year}; "
        "but the working-day calendar has no year yet: choose a period the calendar covers, "
        "or add {year}.yaml to the calendar folder",
    ),
}


class PeriodError(Said, ValueError):
    """A period or as-of date that cannot be used; for the user, in the language of ``--lang`` (``str``: Chinese)."""


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
            raise PeriodError(
                MESSAGES["outside"], day=day, name=self.name, key=self.key, start=self.start, end=self.full_end
            )
        return replace(self, end=day)


def parse_period(text: str) -> Period:
    """``2021-09`` → September 2021; ``2021-Q3``; ``2021``; anything else is a PeriodError saying why."""
    cleaned = text.strip()
    if not cleaned:
        raise PeriodError(MESSAGES["no_period"])
    strict = _period_parts(cleaned)
    if strict is not None:
        return _checked_period(*strict, cleaned)
    loose = _loose_period_parts(unicodedata.normalize("NFKC", cleaned).lower())
    if loose is not None:
        period = _checked_period(*loose, cleaned)
        raise PeriodError(MESSAGES["period_spelling"], text=shown(cleaned), key=period.key)
    raise PeriodError(MESSAGES["period_unknown"], text=shown(cleaned))


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
    _check_year(year, "period_year", shown(text))
    if kind == "month" and not 1 <= number <= 12:
        raise PeriodError(MESSAGES["no_month"], text=shown(text), number=number, year=year)
    if kind == "quarter" and not 1 <= number <= 4:
        raise PeriodError(MESSAGES["no_quarter"], text=shown(text), number=number, year=year)
    month = {"month": number, "quarter": (number - 1) * 3 + 1, "year": 1}[kind]
    return _make(kind, dt.date(year, month, 1))


def _check_year(year: int, key: str, text: str) -> None:
    """A PeriodError (``MESSAGES[key]`` about ``text``) when ``year`` is out of the records' years."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(MESSAGES[key], text=text, year=year, first=MIN_YEAR, last=MAX_YEAR)


def parse_day(text: str) -> dt.date:
    """``2021-09-15`` → that day; another spelling, a day that does not exist or a far year is a PeriodError."""
    cleaned = text.strip()
    if not cleaned:
        raise PeriodError(MESSAGES["no_day"])
    if m := _DAY.fullmatch(cleaned):
        return _checked_day(int(m[1]), int(m[2]), int(m[3]), shown(cleaned))
    if m := _LOOSE_DAY.fullmatch(unicodedata.normalize("NFKC", cleaned)):
        month, day = (m[2], m[3]) if m[2] else (m[4], m[5])
        found = _checked_day(int(m[1]), int(month), int(day), shown(cleaned))
        raise PeriodError(MESSAGES["day_spelling"], text=shown(cleaned), day=found.isoformat())
    raise PeriodError(MESSAGES["day_unknown"], text=shown(cleaned))


def _checked_day(year: int, month: int, day: int, text: str) -> dt.date:
    """The date, once it is known to exist (``text``: the cut-off date as given)."""
    _check_year(year, "day_year", text)
    if not 1 <= month <= 12:
        raise PeriodError(MESSAGES["day_month"], text=text, month=month)
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise PeriodError(MESSAGES["day_missing"], text=text, year=year, month=month, last=last)
    return dt.date(year, month, day)


def check_calendar(period: Period, counter: DayCounter) -> None:
    """Counting working days up to the period's end needs that year's holidays: a PeriodError when they are missing."""
    year = period.end.year
    if not counter.working or year in counter.years:
        return
    years = sorted(counter.years)
    raise PeriodError(
        MESSAGES["calendar" if years else "no_calendar"],
        name=period.name,
        key=period.key,
        end_zh=date_zh(period.end),
        end=period.end,
        year=year,
        years=listed(years),
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
