"""Rules for bulletin texts: the file name, the front matter and the period must agree; the register
of document numbers (derived from the texts, never kept apart) has each number once, in order."""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from reportgen.formatting import date_zh
from reportgen.load.characters import INVISIBLE, invisible_name, visible
from reportgen.model import Record, Records
from reportgen.problems import Problem, Words
from reportgen.schema.kinds import BULLETIN, BULLETIN_KIND_NAMES
from reportgen.validate.fields import MAX_YEAR, MIN_YEAR
from reportgen.validate.locate import Locator
from reportgen.validate.wording import field_words

PERIOD_PATTERNS = {
    "monthly": re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$"),  # ASCII digits: \d would take ２０２１
    "quarterly": re.compile(r"^[0-9]{4}-Q[1-4]$"),
    "annual": re.compile(r"^[0-9]{4}$"),
}
PERIOD_EXAMPLES = {"monthly": "2021-09", "quarterly": "2021-Q3", "annual": "2021"}


def check_bulletins(records: Records, locator: Locator) -> list[Problem]:
    """Each bulletin text names a valid period of its kind, matching its file name, in plain characters."""
    problems: list[Problem] = []
    start = records.config.get("campaign_start")
    for bulletin in records.bulletins.values():
        found = _period_problem(bulletin, locator, start if isinstance(start, dt.date) else None, records.bulletins)
        problems.extend([found] if found else [])
        problems.extend(_invisible_in_body(bulletin))
    problems.extend(number_problems(records, locator))
    return problems


_PERIOD = field_words(BULLETIN.as_mapping, "period")
_BODY = Words("正文", "body")
_BODY_FIXED = Words("（删去这个字符后的正文）", "(the body without this character)")


def _period_problem(
    bulletin: Record, locator: Locator, start: dt.date | None, others: dict[str, Record]
) -> Problem | None:
    """What is wrong with the period a bulletin text names: its form, its year, its file, its place in the campaign.

    A period the build would never make (year 0, month 13, before the campaign) is an error
    here, or the text would be accepted and silently left out of every build.
    """
    kind, period = bulletin["kind"], bulletin["period"]
    example, label = PERIOD_EXAMPLES[kind], BULLETIN_KIND_NAMES[kind]
    if not PERIOD_PATTERNS[kind].match(period):
        hint = Words(f"{label}的时期写成 {example}。", f"Write the period as {example}.")
    elif not MIN_YEAR <= int(period[:4]) <= MAX_YEAR:
        hint = Words(
            f"年份应在 {MIN_YEAR} 到 {MAX_YEAR} 之间，{label}的时期写成 {example}。",
            f"The year is between {MIN_YEAR} and {MAX_YEAR}; write the period as {example}.",
        )
    elif bulletin.id != f"{period}-{kind}":
        return _misnamed(bulletin, locator, others.get(f"{period}-{kind}"))
    elif start is not None and _period_end(period) < start:
        return locator.problem(bulletin, "period", "E405", field=_PERIOD, value=period, start=start)
    else:
        return None
    return locator.problem(bulletin, "period", "E206", field=_PERIOD, value=visible(period), pattern_hint=hint)


def _misnamed(bulletin: Record, locator: Locator, other: Record | None) -> Problem:
    """A text whose period is not its file name's: E117 when another text has that name (a copy), else E303.

    A copy of last month's text whose period was not changed must not be told to take the
    name of the text it was copied from.
    """
    kind, period = bulletin["kind"], bulletin["period"]
    name = bulletin.file.rsplit("/", 1)[-1]
    file_period = bulletin.id.removesuffix(f"-{kind}")
    if other is not None and PERIOD_PATTERNS[kind].match(file_period):
        params = {"period": period, "name": name, "other": other.file, "fixed": file_period}
        return locator.problem(bulletin, "period", "E117", **params)
    return locator.problem(bulletin, "period", "E303", name=name, id=f"{period}-{kind}", suffix=BULLETIN.suffix)


def _period_end(period: str) -> dt.date:
    """The last day of ``2021-09``, ``2021-Q3`` or ``2021`` (already checked to be well formed)."""
    year = int(period[:4])
    if len(period) == 4:  # a year
        return dt.date(year, 12, 31)
    month = int(period[6]) * 3 if period[5] == "Q" else int(period[5:7])
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _invisible_in_body(bulletin: Record) -> list[Problem]:
    """E210 at the first invisible or control character of the Markdown body, at its exact line and column."""
    body: str = bulletin.get("body", "")
    found = INVISIBLE.search(body)
    if found is None:
        return []
    at = found.start()
    line = bulletin.get("body_line", 1) + body.count("\n", 0, at)
    column = at - (body.rfind("\n", 0, at) + 1) + 1
    params = {"field": _BODY, "detail": invisible_name(found.group()), "fixed": _BODY_FIXED}
    return [Problem(bulletin.file, line, column, "E210", params, bulletin.id, "body")]


# -- the register of document numbers ----------------------------------------------------------


NUMBERED = (("number", "issued"), ("correction_number", "correction_issued"))  # a document's number and date


@dataclass(frozen=True)
class Entry:
    """One issued document in the register: its number in the series of the year it was issued.

    A bulletin text gives one (``number``, ``issued``) and, once its figures were corrected, a second:
    the correction notice's (``correction_number``, ``correction_issued``), in the same series.
    """

    bulletin: Record
    number: int
    issued: dt.date
    field: str = "number"  # where the number is written: number or correction_number

    @property
    def name(self) -> str | Words:
        """The document in a message: the bulletin's id, or its correction notice."""
        if self.field == "number":
            return self.bulletin.id
        return Words(f"{self.bulletin.id} 的更正通报", f"the correction notice of {self.bulletin.id}")

    @property
    def year(self) -> int:
        """The series it belongs to: 〔2021〕 for a bulletin issued in 2021, whatever its period."""
        return self.issued.year


def register(records: Records) -> dict[int, list[Entry]]:
    """The issued bulletins by year of issue, each year in the order of its numbers (then of issue)."""
    series: dict[int, list[Entry]] = {}
    for bulletin in records.bulletins.values():
        for field, date_field in NUMBERED:
            number, issued = bulletin.get(field), bulletin.get(date_field)
            if isinstance(number, int) and isinstance(issued, dt.date):
                series.setdefault(issued.year, []).append(Entry(bulletin, number, issued, field))
    return {
        year: sorted(entries, key=lambda e: (e.number, e.issued, e.bulletin.id)) for year, entries in series.items()
    }


def next_free_number(numbers: Iterable[tuple[int, dt.date | None]], year: int) -> int:
    """The number ``new bulletin`` proposes in ``year``: one past every number issued that year and every
    number a draft holds (a draft has no year yet, so its number is kept free)."""
    taken = [number for number, issued in numbers if issued is None or issued.year == year]
    return max(taken, default=0) + 1


def number_problems(records: Records, locator: Locator) -> list[Problem]:
    """Duplicates (E531), gaps (W661), a number continuing last year's series (W662) and numbers out of
    the order of issue (W663), each at the ``number`` line of the bulletin text."""
    prefix = str(records.config.get("doc_prefix", ""))
    series = register(records)
    problems: list[Problem] = []
    for year, entries in sorted(series.items()):
        shown = _shown_number(prefix, year)
        problems += _duplicates(entries, locator, shown)
        problems += _gaps(entries, locator, shown)
        problems += _out_of_order(entries, locator, shown)
        problems += _continued(entries, series.get(year - 1, []), locator, prefix)
    return problems


def _shown_number(prefix: str, year: int) -> Callable[[int], str]:
    return lambda number: f"{prefix}〔{year}〕{number}号"


def _duplicates(entries: list[Entry], locator: Locator, shown: Callable[[int], str]) -> list[Problem]:
    """E531 on every bulletin whose number an earlier one of the year already has."""
    problems: list[Problem] = []
    free = max(e.number for e in entries) + 1
    for first, entry in itertools.pairwise(entries):
        if entry.number == first.number:
            other = first.name
            params = {"number": shown(entry.number), "other": other, "free": shown(free)}
            problems.append(locator.problem(entry.bulletin, entry.field, "E531", **params))
    return problems


def _date(day: dt.date) -> Words:
    """A day as the office writes it (2021年9月3日), and as YYYY-MM-DD in English."""
    return Words(date_zh(day), day.isoformat())


def _gaps(entries: list[Entry], locator: Locator, shown: Callable[[int], str]) -> list[Problem]:
    """W661 on the bulletin after a run of numbers no bulletin of the year has."""
    problems: list[Problem] = []
    for before, entry in itertools.pairwise(entries):
        if entry.number > before.number + 1:
            low, high = before.number + 1, entry.number - 1
            missing = shown(low) if low == high else Words(f"{shown(low)}至{high}号", f"{shown(low)} to {shown(high)}")
            params = {"number": shown(entry.number), "previous": shown(before.number), "missing": missing}
            problems.append(locator.problem(entry.bulletin, entry.field, "W661", **params))
    return problems


def _out_of_order(entries: list[Entry], locator: Locator, shown: Callable[[int], str]) -> list[Problem]:
    """W663 on a bulletin issued before another of the year with a lower number (the first such one)."""
    problems: list[Problem] = []
    for entry in entries:
        later = [e for e in entries if e.number < entry.number and e.issued > entry.issued]
        if later:
            other = min(later, key=lambda e: (e.number, e.bulletin.id))
            params = {
                "number": shown(entry.number),
                "issued": _date(entry.issued),
                "other": other.name,
                "other_number": shown(other.number),
                "other_issued": _date(other.issued),
            }
            problems.append(locator.problem(entry.bulletin, entry.field, "W663", **params))
    return problems


def _continued(entries: list[Entry], last_year: list[Entry], locator: Locator, prefix: str) -> list[Problem]:
    """W662 on a year's first number when it carries on past last year's: the series restarts at 1."""
    if not last_year or entries[0].number <= last_year[-1].number:
        return []
    first, last = entries[0], last_year[-1]
    params = {
        "issued": _date(first.issued),
        "number": _shown_number(prefix, first.year)(first.number),
        "year": first.year,
        "last": _shown_number(prefix, last.year)(last.number),
    }
    return [locator.problem(first.bulletin, first.field, "W662", **params)]
