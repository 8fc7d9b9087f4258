"""Rules for bulletin texts: the file name, the front matter and the period must agree."""

from __future__ import annotations

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
    for bulletin in records.bulletins.values():
        kind, period = bulletin["kind"], bulletin["period"]
        example = "2021-09" if kind == "monthly" else "2021-Q3"
        label = "月通报" if kind == "monthly" else "季点评"
        if not PERIOD_PATTERNS[kind].match(period):
            hint = f"{label}的时期写成 {example}。"
        elif not MIN_YEAR <= int(period[:4]) <= MAX_YEAR:
            hint = f"年份应在 {MIN_YEAR} 到 {MAX_YEAR} 之间，{label}的时期写成 {example}。"
        elif bulletin.id != f"{period}-{kind}":
            name = bulletin.file.rsplit("/", 1)[-1]
            problems.append(locator.problem(bulletin, "period", "E303", name=name, id=f"{period}-{kind}"))
            hint = ""
        else:
            hint = ""
        if hint:
            problems.append(
                locator.problem(bulletin, "period", "E206", field="period", value=visible(period), pattern_hint=hint)
            )
        problems.extend(_invisible_in_body(bulletin))
    return problems


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
