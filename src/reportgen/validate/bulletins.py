"""Rules for bulletin texts: the file name, the front matter and the period must agree."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from reportgen.load.characters import INVISIBLE, invisible_name, visible
from reportgen.model import Record, Records
from reportgen.problems import Problem
from reportgen.validate.fields import MAX_YEAR, MIN_YEAR
from reportgen.validate.locate import Locator

PERIOD_PATTERNS = {
    "monthly": re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$"),  # ASCII digits: \d would take ２０２１
    "quarterly": re.compile(r"^[0-9]{4}-Q[1-4]$"),
}


def check_bulletins(records: Records, locator: Locator) -> list[Problem]:
    """Each bulletin text names a valid period of its kind, matching its file name, in plain characters."""
    problems: list[Problem] = []
    start = records.config.get("campaign_start")
    for bulletin in records.bulletins.values():
        found = _period_problem(bulletin, locator, start if isinstance(start, dt.date) else None)
        problems.extend([found] if found else [])
        problems.extend(_invisible_in_body(bulletin))
    return problems


def _period_problem(bulletin: Record, locator: Locator, start: dt.date | None) -> Problem | None:
    """What is wrong with the period a bulletin text names: its form, its year, its file, its place in the campaign.

    A period the build would never make (year 0, month 13, before the campaign) is an error
    here, or the text would be accepted and silently left out of every build.
    """
    kind, period = bulletin["kind"], bulletin["period"]
    example = "2021-09" if kind == "monthly" else "2021-Q3"
    label = "月通报" if kind == "monthly" else "季点评"
    if not PERIOD_PATTERNS[kind].match(period):
        hint = f"{label}的时期写成 {example}。"
    elif not MIN_YEAR <= int(period[:4]) <= MAX_YEAR:
        hint = f"年份应在 {MIN_YEAR} 到 {MAX_YEAR} 之间，{label}的时期写成 {example}。"
    elif bulletin.id != f"{period}-{kind}":
        return locator.problem(bulletin, "period", "E303", name=bulletin.file.rsplit("/", 1)[-1], id=f"{period}-{kind}")
    elif start is not None and _period_end(period) < start:
        return locator.problem(bulletin, "period", "E405", field="period", value=period, start=start)
    else:
        return None
    return locator.problem(bulletin, "period", "E206", field="period", value=visible(period), pattern_hint=hint)


def _period_end(period: str) -> dt.date:
    """The last day of ``2021-09`` or ``2021-Q3`` (already checked to be well formed)."""
    year = int(period[:4])
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
    params = {"field": "正文", "detail": invisible_name(found.group()), "fixed": "（删去这个字符后的正文）"}
    return [Problem(bulletin.file, line, column, "E210", params, bulletin.id, "body")]
