"""年考核: the annual assessment, the third document of the “1+3” 考评机制 (月通报、季点评、年考核).

Departments and teams are ranked over the year on the configured score (the ranking the
statistics already make) and graded by the thresholds of the config's ``grades``.  A grade
is judged on the score as printed — one decimal, rounded half up (issue 13's rule for ties) —
so a unit printed with 90.0分 is never graded below a threshold of 90.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from reportgen.compute.results import PeriodStats, UnitRow
from reportgen.formatting import half_up
from reportgen.model import Records
from reportgen.render import ranking
from reportgen.render import wording as w
from reportgen.schema.kinds import DEFAULT_GRADES

NOT_GRADED = "不评定"  # a unit with too few issues to be ranked


@dataclass(frozen=True)
class Grade:
    """One grade of the annual assessment and the lowest printed score that earns it."""

    name: str
    minimum: Decimal


def configured_grades(records: Records) -> tuple[Grade, ...]:
    """The config's grades (else the defaults), highest threshold first."""
    given = records.config.get("grades") or DEFAULT_GRADES
    grades = [Grade(str(g["name"]), Decimal(str(g["min"]))) for g in given]
    return tuple(sorted(grades, key=lambda g: g.minimum, reverse=True))


def printed_score(score: float) -> Decimal:
    """The score as the assessment prints it: one decimal, rounded half up (89.95 → 90.0)."""
    return half_up(score, 1)


def grade_of(row: UnitRow, grades: Sequence[Grade]) -> str:
    """The unit's grade: the highest whose threshold its printed score reaches; 不评定 when not ranked."""
    if not row.ranked or row.score is None:
        return NOT_GRADED
    shown = printed_score(row.score)
    return next((g.name for g in grades if shown >= g.minimum), NOT_GRADED)


def _rows(rows: Sequence[UnitRow], grades: Sequence[Grade]) -> list[dict[str, Any]]:
    """The assessment table: rank, name, grade, printed score and the unit's year in figures."""
    return [_row(r, grades) for r in rows]


def _row(row: UnitRow, grades: Sequence[Grade]) -> dict[str, Any]:
    """One unit's row of the assessment table (the score of a unit not ranked is not printed)."""
    cells = ranking.cells(row, str(printed_score(row.score)) if row.score is not None else "—")
    return {
        "rank": ranking.rank_text(row),
        "ranked": row.ranked,
        "name": row.short_name,
        "grade": grade_of(row, grades),
        "score": cells[-1],
        "cells": cells,
    }


def grade_sentence(rows: Sequence[dict[str, Any]], grades: Sequence[Grade], unit: str) -> str:
    """评为优秀的2个：甲、乙；评为良好的1个：丙。 — grades no unit earned are left out."""
    parts = []
    for g in grades:
        names = [r["name"] for r in rows if r["grade"] == g.name]
        if names:
            parts.append(f"评为{g.name}的{len(names)}{unit}：{w.join_names(names)}")
    return "；".join(parts) + "。" if parts else ""


def thresholds_text(grades: Sequence[Grade]) -> str:
    """90分及以上为优秀，80分至90分（不含）为良好，…, from the configured thresholds."""
    parts = []
    for higher, g in zip((None, *grades), grades, strict=False):
        low = f"{g.minimum}分"
        if higher is None:
            parts.append(f"{low}及以上为{g.name}")
        elif g.minimum == 0:
            parts.append(f"{higher.minimum}分以下为{g.name}")
        else:
            parts.append(f"{low}至{higher.minimum}分（不含）为{g.name}")
    return "，".join(parts)


def annual_context(records: Records, stats: PeriodStats) -> dict[str, Any]:
    """What the annual assessment prints beyond the other bulletins: grades and thresholds."""
    grades = configured_grades(records)
    departments = _rows(stats.by_department, grades)
    teams = _rows(stats.by_team, grades)
    return {
        "grade_rows": {"departments": departments, "teams": teams},
        "grade_text": {
            "departments": grade_sentence(departments, grades, "家"),
            "teams": grade_sentence(teams, grades, "支"),
        },
        "thresholds": thresholds_text(grades),
    }
