"""A monthly notice's attachments past the office's limits: the first rows, how many there are, where the rest are."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from reportgen.compute.periods import parse_period
from reportgen.compute.stats import StatsEngine
from reportgen.formatting import date_zh
from reportgen.model import Records
from reportgen.render.bulletins import bulletin_info, render_bulletin_html
from reportgen.render.environment import template_environment
from reportgen.validate import check_repository
from tests.modules import bench_synth

synth = bench_synth()
OFFICE = synth.Scale(enterprises=60, issues=300, visits=150, staff=40, departments=12, teams=8, legal=40,
                     rectifications=60, seed=7, start=dt.date(2021, 8, 1), months=6)  # fmt: skip
MONTH = "2021-12"


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("limits") / "records"
    synth.generate(root, OFFICE)
    return root


def _notice(root: Path, limits: str = "") -> tuple[str, int]:
    """The December notice's HTML with ``limits`` added to the office's settings, and its overdue issues' count."""
    config = root / "config.yaml"
    original = config.read_text(encoding="utf-8")
    config.write_text(original + limits, encoding="utf-8")
    try:
        validated = check_repository(root)
    finally:
        config.write_text(original, encoding="utf-8")
    assert validated.report.valid
    records: Records = validated.records
    engine = StatsEngine(records)
    period = parse_period(MONTH)
    info = bulletin_info(records, "monthly", period, with_pdf=True)
    return render_bulletin_html(records, engine, info, template_environment(None), "public"), len(
        engine.overdue(period.end)
    )


def _rows(html: str) -> list[int]:
    """Body rows of 附件1 and 附件2."""
    return [table.count("<tr") - 1 for table in re.findall(r'(?s)<table class="ledger">(.*?)</table>', html)]


def test_every_overdue_issue_is_listed_within_the_limit(office: Path) -> None:
    html, overdue = _notice(office)
    assert overdue > 10
    assert _rows(html)[1] == overdue
    assert f"<p>其余{overdue - 10}件见附件2。</p>" in html
    assert "本附件列出前" not in html


def test_past_the_limit_the_first_overdue_issues_and_where_the_rest_are(office: Path) -> None:
    html, overdue = _notice(office, "overdue_attachment_max: 10\n")
    as_of = date_zh(parse_period(MONTH).end)
    assert _rows(html)[1] == 10
    assert f"<p>其余{overdue - 10}件见附件2和网站“问题清单台账”（附件2列出前10件）。</p>" in html
    assert (
        f'<p class="note">注：截至{as_of}超期未办结问题共{overdue}件，本附件列出前10件（其余{overdue - 10}件）；'
        "完整台账见网站“问题清单台账”（ledger.xlsx，可按“逾期工作日”筛选）。</p>"  # the office counts working days
    ) in html
    assert f"超期未办结问题{overdue}件，现予督办" in html  # every one is still supervised


def test_past_the_ledger_limit_the_months_active_issues(office: Path) -> None:
    html, _ = _notice(office, "ledger_attachment_max: 10\n")
    assert _rows(html)[0] == 10
    assert re.search(r"本附件列出本月提出的和尚未办结的问题\d+件中的前10件（其余\d+件）；完整台账见网站", html)
