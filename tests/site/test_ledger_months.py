"""The split ledger's months (``SiteBuilder._ledger_months``): each month one run of lines, found by bisection.

A generated office whose campaign crosses a new year: the months must be the runs of lines
whose raised dates share a year and month, in order, every line in one of them.
"""

from __future__ import annotations

import datetime as dt
from itertools import groupby
from pathlib import Path

from reportgen.compute.stats import StatsEngine
from reportgen.render.ledger_files import line_issues
from reportgen.render.site import Paging
from reportgen.render.site.builder import SiteBuilder
from tests.modules import bench_synth
from tests.site.helpers import site_env
from tests.site.test_pagekeys import _records


def test_months_are_the_runs_of_lines_raised_in_each_month(tmp_path: Path) -> None:
    synth = bench_synth()
    scale = synth.Scale(
        enterprises=20,
        issues=150,
        visits=10,
        staff=24,
        departments=6,
        teams=4,
        legal=4,
        rectifications=4,
        seed=11,
        start=dt.date(2021, 10, 1),
        months=5,
    )
    synth.generate(tmp_path / "records", scale)
    records = _records(tmp_path / "records")
    paging = Paging(ledger_rows=40, unit_rows=15)
    builder = SiteBuilder(records, StatsEngine(records), [], site_env(), "public", lambda p, c: None, paging)
    months = builder.ledger_months
    assert months is not None
    issues = line_issues(builder.ledger.lines)
    runs = [(key, [t.id for t in run]) for key, run in groupby(issues, key=lambda t: t.raised.isoformat()[:7])]
    assert [(m.key, [t.id for t in line_issues(m.lines)]) for m in months] == runs
    assert [m.name for m in months] == [f"{int(key[:4])}年{int(key[5:])}月" for key, _ in runs]
    assert {"2021-12", "2022-01"} <= {m.key for m in months} and sum(len(m.lines) for m in months) == len(issues)
