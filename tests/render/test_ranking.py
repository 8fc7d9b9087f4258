"""The bulletins' tables of units: headed from the metric registry, each count with its unit, no score unranked."""

from __future__ import annotations

import re
from dataclasses import replace

from reportgen.compute.periods import parse_period
from reportgen.compute.stats import StatsEngine
from reportgen.model import Records
from reportgen.render.ranking import HEADS, cells
from tests.render.fixture import render


def test_the_headings_come_from_the_registry_with_the_units_of_the_counts() -> None:
    assert [(h.name, h.unit) for h in HEADS] == [
        ("问题", "件"),
        ("已解决", "件"),
        ("超期", "件"),
        ("解决率", ""),
        ("按时办结率", ""),
        ("满意率", ""),
        ("综合得分", "分"),
    ]


def test_a_unit_not_ranked_is_listed_without_its_score(records: Records) -> None:
    row = next(r for r in StatsEngine(records).stats(parse_period("2021-09")).by_department if r.ranked)
    figures = cells(row, "70.0")
    assert len(figures) == len(HEADS) and figures[-1] == "70.0"
    assert cells(replace(row, ranked=False, rank=None), "70.0") == [*figures[:-1], "—"]


def test_the_notice_heads_its_ranking_tables_so(records: Records) -> None:
    _, html = render(records, "monthly", "2021-09")
    heads = (
        "<th>排名</th><th>责任单位</th><th>问题<br>（件）</th><th>已解决<br>（件）</th><th>超期<br>（件）</th>"
        "<th>解决率</th><th>按时办结率</th><th>满意率</th><th>综合得分<br>（分）</th>"
    )
    assert heads in html
    unranked = re.findall(r'<tr class="unranked">(.*?)</tr>', html)
    assert unranked and all(row.endswith('<td class="num">—</td>') for row in unranked)
