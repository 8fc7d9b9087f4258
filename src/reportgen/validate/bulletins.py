"""Rules for bulletin texts: the file name, the front matter and the period must agree."""

from __future__ import annotations

import re

from reportgen.model import Records
from reportgen.problems import Problem
from reportgen.validate.locate import Locator

PERIOD_PATTERNS = {
    "monthly": re.compile(r"^\d{4}-(0[1-9]|1[0-2])$"),
    "quarterly": re.compile(r"^\d{4}-Q[1-4]$"),
}


def check_bulletins(records: Records, locator: Locator) -> list[Problem]:
    """Each bulletin text names a valid period of its kind, matching its file name."""
    problems: list[Problem] = []
    for bulletin in records.bulletins.values():
        kind, period = bulletin["kind"], bulletin["period"]
        if not PERIOD_PATTERNS[kind].match(period):
            example = "2021-09" if kind == "monthly" else "2021-Q3"
            problems.append(
                locator.problem(
                    bulletin,
                    "period",
                    "E206",
                    field="period",
                    value=period,
                    pattern_hint=f"{'月通报' if kind == 'monthly' else '季点评'}的时期写成 {example}。",
                )
            )
        elif bulletin.id != f"{period}-{kind}":
            problems.append(
                locator.problem(
                    bulletin,
                    "period",
                    "E303",
                    name=bulletin.file.rsplit("/", 1)[-1],
                    id=f"{period}-{kind}",
                )
            )
    return problems
