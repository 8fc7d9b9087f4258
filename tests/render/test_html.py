"""Golden HTML of the September notice and the Q3 review, and what the HTML must (not) contain.

Refresh the golden files after an intended change with:
    REPORTGEN_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/render
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reportgen.compute.periods import parse_period
from reportgen.model import Records
from reportgen.render.bulletins import bulletin_info, bulletin_periods, title_lines
from tests.render.fixture import INTERNAL_NOTE, PRIVATE_NAME, PRIVATE_PHONE, render

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("REPORTGEN_UPDATE_GOLDEN") == "1"


@pytest.mark.parametrize(("kind", "period"), [("monthly", "2021-09"), ("quarterly", "2021-Q3")])
def test_golden(records: Records, kind: str, period: str) -> None:
    info, html = render(records, kind, period)
    golden = GOLDEN / f"{info.id}.html"
    if UPDATE:
        golden.write_text(html, encoding="utf-8")
    assert golden.exists(), "no golden file: run with REPORTGEN_UPDATE_GOLDEN=1"
    assert html == golden.read_text(encoding="utf-8"), f"{golden.name} changed; refresh with REPORTGEN_UPDATE_GOLDEN=1"


def test_same_records_same_bytes(records: Records) -> None:
    assert render(records, "monthly", "2021-09")[1] == render(records, "monthly", "2021-09")[1]


def test_monthly_content(records: Records) -> None:
    _, html = render(records, "monthly", "2021-09")
    for text in (
        "测助企〔2021〕9号",
        "关于2021年9月份“万人助万企”活动",
        "各乡镇（街道）、区直各有关单位：",
        "截至2021年9月30日",
        "问题解决率40.0%",
        "一、总体情况",
        "二、问题办理情况",
        "三、各单位办理情况",
        "四、督办事项",
        "五、典型案例",
        "六、下步工作",
        "指标解释",
        "附件：1.问题清单台账",
        "2.逾期问题清单",
        "附件1",
        "附件2",
        "2021年10月8日",
        "抄送：区委办公室，区政府办公室。",
        "予以通报表扬",
        "予以通报批评",
        "不参与排名",
        '<meta name="dcterms.created" content="2021-10-08T00:00:00+08:00">',
    ):
        assert text in html, text
    assert html.count("<title") == 4  # the document's and one per chart


def test_quarterly_content(records: Records) -> None:
    _, html = render(records, "quarterly", "2021-Q3")
    for text in ("测助企〔2021〕10号", "第三季度", "8月", "9月", "法治服务成效", "响应迅速，办结及时。", "指标解释"):
        assert text in html, text


def test_records_are_data_not_templates(records: Records) -> None:
    _, html = render(records, "monthly", "2021-09")
    assert "{{ 7*7 }}" in html
    assert "<script" not in html.lower()


@pytest.mark.parametrize("profile", ["public", "internal"])
def test_no_private_fields(records: Records, profile: str) -> None:
    for kind, period in (("monthly", "2021-09"), ("quarterly", "2021-Q3")):
        _, html = render(records, kind, period, profile)
        for secret in (PRIVATE_PHONE, PRIVATE_NAME, INTERNAL_NOTE):
            assert secret not in html


def test_periods_and_info(records: Records) -> None:
    periods = [(kind, p.key) for kind, p in bulletin_periods(records)]
    assert periods == [
        ("monthly", "2021-08"),
        ("monthly", "2021-09"),
        ("monthly", "2021-10"),
        ("monthly", "2021-11"),
        ("quarterly", "2021-Q3"),
        ("quarterly", "2021-Q4"),
        ("annual", "2021"),
    ]
    info = bulletin_info(records, "monthly", parse_period("2021-10"), with_pdf=False)
    assert info.doc_number is None and info.issued is None and info.date == "2021-10-31"
    assert info.html == "bulletins/2021-10-monthly.html" and info.pdf is None
    assert info.title == "关于2021年10月份“万人助万企”活动开展情况的通报"


def test_defaults_without_bulletin_text(records: Records) -> None:
    _, html = render(records, "monthly", "2021-08")
    assert "主送" not in html or "：" in html
    assert "（一）跟踪在办问题。" in html or "（一）加大督办力度。" in html


def test_title_lines() -> None:
    assert title_lines("关于2021年9月份“万人助万企”活动开展情况的通报") == [
        "关于2021年9月份“万人助万企”活动",
        "开展情况的通报",
    ]
    assert title_lines("短标题") == ["短标题"]
