"""``reportgen diff`` on a month's work of the sample office: the records first, by name, and short."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from workflow_helpers import commit_all, git

from reportgen.commands.diff import run_diff

SAMPLE = Path(__file__).resolve().parents[2] / "records"
DECEMBER = ["visits/2021-12", "issues/2021-12", "legal/2021-12"]
DECEMBER += ["rectifications/R0008.yaml", "rectifications/R0009.yaml"]  # their issue was raised in December


@pytest.fixture(scope="module")
def month(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample records committed without December's visits, issues, legal services and rectifications,
    then with them: HEAD~1 → HEAD is one month's change."""
    root = tmp_path_factory.mktemp("month")
    shutil.copytree(SAMPLE, root / "records")
    held = root / "held"
    for rel in DECEMBER:
        (held / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "records" / rel).rename(held / rel)
    git(root, "init", "-q", "-b", "main")
    commit_all(root, "十一月以前")
    for rel in DECEMBER:
        (held / rel).rename(root / "records" / rel)
    commit_all(root, "十二月")
    return root


def diff(root: Path, fmt: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    assert run_diff("HEAD~1", "HEAD", root / "records", fmt, out=out, err=err) == 0, err.getvalue() + out.getvalue()
    return out.getvalue()


def test_the_changed_records_come_first_with_their_names(month: Path) -> None:
    lines = diff(month, "text").splitlines()
    assert lines[0].startswith("记录和统计数字的变化：HEAD~1（")
    assert lines[1:4] == ["", "改动的记录（57 条）：", lines[3]]
    assert lines[3].startswith("  走访 新增 20 条：V0104 周口市汇丰农机有限公司（12月2日）、V0105 ")
    assert lines[3].endswith("等 20 条")
    assert lines[4].startswith("  问题 新增 18 条：Q0095 新入职员工岗前技能培训补贴、")
    assert lines[5] == "  整改事项 新增 2 条：R0008 雨水管网排水不畅厂区积水、R0009 雨水管网排水不畅厂区积水"
    assert lines[6].startswith("  法治服务 新增 17 条：L0084 诉讼案件线索（12月1日）、")
    assert lines[8:10] == ["统计数字的变化：", "  2021年12月（2021-12）"]
    assert "已印发的通报会受影响" not in lines  # nothing issued covers December
    assert len(lines) < 40


def test_the_markdown_keeps_long_lists_collapsed(month: Path) -> None:
    text = diff(month, "markdown")
    assert text.startswith("### reportgen：记录和统计数字的变化\n\n`HEAD~1（")
    assert "\n#### 改动的记录（57 条）\n\n- 走访 新增 20 条：V0104 周口市汇丰农机有限公司（12月2日）、" in text
    shown, hidden = [], 0
    for line in text.splitlines():  # what a reviewer sees before opening a <details> block
        hidden += line.startswith("<details>") - (line == "</details>")
        shown += [] if hidden else [line]
    assert len(shown) < 40
    assert text.count("<details>") == 2 and text.count("</details>") == 2
    assert "| 法治服务 | 新增 | L0100 |" in text  # every record inside the block
