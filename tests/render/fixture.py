"""The render tests' office: the hand-made scenario of tests/compute plus bulletin texts,
a private contact and internal notes (which must never reach a bulletin)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportgen.compute.periods import parse_period
from reportgen.compute.stats import StatsEngine
from reportgen.model import Records
from reportgen.render import BulletinInfo
from reportgen.render.bulletins import bulletin_info, render_bulletin_html
from reportgen.render.environment import template_environment
from reportgen.validate import check_repository
from tests.compute.scenario import scenario_files, write_repository

PRIVATE_PHONE = "13800000001"
PRIVATE_NAME = "雷雨"
INTERNAL_NOTE = "内部备注不得公开XYZ"

MONTHLY_TEXT = """\
---
kind: monthly
period: "2021-09"
number: 9
issued: 2021-10-08
recipients: 各乡镇（街道）、区直各有关单位
cc: 区委办公室，区政府办公室
unit_comments:
  - unit: D02
    comment: 用地类问题办理偏慢，要**拿出时间表**。
  - unit: T01
    comment: 走访及时。
---

## 工作亮点

本月各服务队伍深入企业走访，问题收集更加及时。模板语法 {{ 7*7 }} 应原样显示。

## 典型案例

### 企业1有限公司第二路供电线路

区供电公司主动对接，**五天**完成线路改造。<script>alert(1)</script>

## 下步工作

1. 对超期未办结问题下发督办通知。
2. 做好国庆假期前后重点企业保障。
"""

QUARTERLY_TEXT = """\
---
kind: quarterly
period: 2021-Q3
number: 10
issued: 2021-10-12
unit_comments:
  - unit: D01
    comment: 响应迅速，办结及时。
---

## 点评

第三季度问题解决率有所下降，各单位要加快办理。
"""


def render_files(extra: dict[str, Any] | None = None, config: dict[str, Any] | None = None) -> dict[str, Any]:
    """The scenario's files plus bulletin texts and private data."""
    files = scenario_files(config)
    files["enterprises/E001.yaml"]["contact"] = {"name": PRIVATE_NAME, "phone": PRIVATE_PHONE}
    files["issues/2021-08/Q0001.yaml"]["internal_notes"] = INTERNAL_NOTE
    files["issues/2021-08/Q0001.yaml"]["resolution"] = "第二路线路已送电。"
    files["bulletins/2021-09-monthly.md"] = MONTHLY_TEXT
    files["bulletins/2021-Q3-quarterly.md"] = QUARTERLY_TEXT
    files.update(extra or {})
    return files


def load(root: Path, extra: dict[str, Any] | None = None, config: dict[str, Any] | None = None) -> Records:
    """Write the office under ``root`` and return its validated records."""
    write_repository(root, render_files(extra, config))
    validated = check_repository(root)
    assert validated.report.valid, [p.message() for p in validated.report.errors]
    return validated.records


def render(records: Records, kind: str, period: str, profile: str = "public") -> tuple[BulletinInfo, str]:
    """One bulletin's info and HTML."""
    info = bulletin_info(records, kind, parse_period(period), with_pdf=True)
    env = template_environment(records.root / "templates")
    return info, render_bulletin_html(records, StatsEngine(records), info, env, profile)
