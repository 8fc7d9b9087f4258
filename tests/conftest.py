"""Shared test helpers: a minimal valid office repository, and ways to break it one file at a time.

``MINIMAL_FILES`` is the whole repository as text, keyed by the path relative to the
records folder.  Its line numbers are part of the test corpus: broken-record cases say
"line 12, column 5" of files derived from these, so change them only together.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from reportgen.problems import Problem
from reportgen.validate import Validated, check_repository
from reportgen.validate.identifiers import uscc_check_character

USCC_FIRST17 = "91411602MA9GJ8QX7"
USCC = USCC_FIRST17 + uscc_check_character(USCC_FIRST17)  # 91411602MA9GJ8QX70

CONFIG = """\
office: 川汇区“万人助万企”活动领导小组办公室
district: 川汇区
doc_prefix: 川助企
campaign_start: 2021-08-01
day_kind: calendar
"""

CALENDAR_2021 = """\
year: 2021
holidays:
  - 2021-09-20
  - 2021-10-01
workdays:
  - 2021-09-18
source: 国办发明电〔2020〕27号
"""

DEPARTMENT = """\
id: D01
name: 国网周口市川汇区供电公司
short_name: 区供电公司
type: 公用事业
"""


def _staff(staff_id: str, name: str, role: str, phone: str) -> str:
    return f"""\
id: {staff_id}
name: {name}
role: {role}
unit: 川汇区发展和改革委员会
phone: "{phone}"
"""


STAFF = {
    "S001": _staff("S001", "陈学磊", "处级领导", "13800000011"),
    "S002": _staff("S002", "王芳", "首席服务官", "13800000012"),
    "S003": _staff("S003", "李强", "驻企法官", "13800000013"),
    "S004": _staff("S004", "赵敏", "驻企检察官", "0394-8234567"),
}

TEAM = """\
id: T01
name: 第一服务队
leader: S001
chief_officer: S002
judge: S003
procurator: S004
formed: 2021-08-01
"""

ENTERPRISE = f"""\
id: E001
name: 富士康(周口)科技工业园
uscc: {USCC}
industry: 电子信息
park: 周口高新区
scale: 大型
key_project: true
investment_yuan: 3000000000
employees: 2000
contact:
  name: 雷雨
  phone: "13800000001"
  title: 项目负责人
team: T01
joined: 2021-08-02
"""

VISIT = """\
id: V0001
date: 2021-08-05
enterprise: E001
staff:
  - S002
  - S003
kind: 走访
summary: 了解企业用电需求。
"""

# Line numbers matter: history starts on line 12, rating on line 27.
ISSUE = """\
id: Q0001
enterprise: E001
raised: 2021-08-05
source: 走访
visit: V0001
category: 水电
title: 需增加第二路供电线路
description: 园区用电负荷大，需双回路供电。
lead_department: D01
responsible: S002
time_limit_days: 15
history:
  - date: 2021-08-05
    status: 问题收集
  - date: 2021-08-06
    status: 分办交办
    note: 交区供电公司办理。
  - date: 2021-08-10
    status: 办理中
  - date: 2021-08-18
    status: 已解决
  - date: 2021-08-25
    status: 销号
resolution: 第二路线路已送电。
rating:
  date: 2021-08-25
  result: 满意
  comment: 非常满意。
"""

LEGAL = """\
id: L0001
date: 2021-08-20
unit: D01
kind: 法治讲座
count: 1
enterprise: E001
description: 为园区企业讲授合同法。
"""

BULLETIN = """\
---
kind: monthly
period: 2021-08
number: 8
recipients: 各乡镇（街道）、区直各有关单位
unit_comments:
  - unit: D01
    comment: 响应迅速。
---
本月走访企业 1 家。

## 典型案例

区供电公司为富士康架设第二路线路。

## 下步工作

继续做好服务。
"""

MINIMAL_FILES: dict[str, str] = {
    "config.yaml": CONFIG + "publish_drafts: true\n",  # its draft bulletin is built for the public site too
    "calendar/2021.yaml": CALENDAR_2021,
    "departments/D01.yaml": DEPARTMENT,
    **{f"staff/{sid}.yaml": text for sid, text in STAFF.items()},
    "teams/T01.yaml": TEAM,
    "enterprises/E001.yaml": ENTERPRISE,
    "visits/2021-08/V0001.yaml": VISIT,
    "issues/2021-08/Q0001.yaml": ISSUE,
    "legal/2021-08/L0001.yaml": LEGAL,
    "bulletins/2021-08-monthly.md": BULLETIN,
}

# Short names for the files cases override most often.
ISSUE_FILE = "issues/2021-08/Q0001.yaml"
VISIT_FILE = "visits/2021-08/V0001.yaml"
ENTERPRISE_FILE = "enterprises/E001.yaml"
LEGAL_FILE = "legal/2021-08/L0001.yaml"
BULLETIN_FILE = "bulletins/2021-08-monthly.md"

Found = tuple[str, str, int, int]  # (code, file relative to records, line, column)


def write_minimal_repository(root: Path, files: Mapping[str, str] = MINIMAL_FILES) -> Path:
    """Write the minimal valid repository into ``root`` (the records folder) and return it."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@dataclass
class OfficeRepo:
    """A records folder on disk that tests can break one file at a time."""

    root: Path

    def write(self, rel: str, content: str | bytes) -> Path:
        """Create or overwrite ``rel`` with text (UTF-8) or raw bytes."""
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    def remove(self, rel: str) -> None:
        """Delete ``rel``."""
        (self.root / rel).unlink()

    def check(self) -> Validated:
        """Validate the repository."""
        return check_repository(self.root)

    def relative(self, problem: Problem) -> str:
        """The problem's file relative to the records folder."""
        prefix = f"{self.root}/"
        return problem.file[len(prefix) :] if problem.file.startswith(prefix) else problem.file

    def found(self) -> list[Found]:
        """Every problem as (code, relative file, line, column), sorted as reported."""
        return [(p.code, self.relative(p), p.line, p.column) for p in self.check().report.sorted()]


@pytest.fixture
def office(tmp_path: Path) -> OfficeRepo:
    """A fresh minimal valid repository under ``tmp_path/records``."""
    return OfficeRepo(write_minimal_repository(tmp_path / "records"))


# Every test run gets a cache folder of its own: no test sees another run's check cache.
os.environ.setdefault("REPORTGEN_CACHE_DIR", tempfile.mkdtemp(prefix="reportgen-cache-"))


def edit(text: str, *pairs: tuple[str, str]) -> str:
    """``text`` with each (old, new) replaced; every ``old`` must occur exactly once."""
    for old, new in pairs:
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
        text = text.replace(old, new)
    return text
