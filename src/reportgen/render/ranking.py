"""The columns of the bulletins' tables of units and their scores, from the metric registry.

The monthly notice, the quarterly review and the annual assessment each print a table of
the departments and of the service teams: rank, name, the figures of the registry's group
``ranking_columns`` and the composite score.  Each figure's heading is its short name with,
on a line of its own, the unit its values are written without (问题 / （件）); a rate's
values carry their %.  A unit with too few issues to be ranked is listed without a score
(its chart bar says 不排名 too).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportgen.compute.metrics import METRICS_BY_KEY, Metric, group
from reportgen.compute.results import UnitRow
from reportgen.formatting import number, percent

COLUMNS = group("ranking_columns")


@dataclass(frozen=True)
class Head:
    """A column's heading: its name, and the unit its values are written without (empty for a rate)."""

    name: str
    unit: str


# the figures, then the score (to one decimal: 95.7)
HEADS = (*(Head(m.head_zh, m.count_unit) for m in map(METRICS_BY_KEY.__getitem__, COLUMNS)), Head("综合得分", "分"))


def written(metric: Metric, value: Any) -> str:
    """A figure as the bulletins' tables write it: 12, 85.7%, — for a rate of nothing."""
    return percent(value) if metric.is_rate else number(value)


def cells(row: UnitRow, score: str) -> list[str]:
    """A unit's figures in the table's columns, as written there, then its ``score`` as written (— if not ranked)."""
    return [*(written(METRICS_BY_KEY[key], row.figures.value(key)) for key in COLUMNS), score if row.ranked else "—"]


def rank_text(row: UnitRow) -> str:
    """The rank column: the rank, or 不排名 for a unit with too few issues."""
    return str(row.rank) if row.rank else "不排名"
