"""The office's whole workflow: init → git → new records → check → build → resolve an issue → diff."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from workflow_helpers import commit_all, git, run

from reportgen.validate.identifiers import uscc_check_character

USCC = "91411602MA9GJ8QX7" + uscc_check_character("91411602MA9GJ8QX7")

# Both periods hold the same figures: every record is dated in September 2021.
FIGURES = "已解决问题（件） 0 → 1；期内解决问题（件） 0 → 1；正在办理问题（件） 2 → 1；已办结问题（件） 0 → 1 等 11 项"
RANKS = (
    "责任单位 供电公司 不排名（得分 0.0） → 不排名（得分 71.4）"
    "；服务队伍 第一服务队 不排名（得分 0.0） → 不排名（得分 71.4）"
)
PERIOD = f"    本期 11 项：{FIGURES}\n    累计 11 项：{FIGURES}\n    排名 2 项：{RANKS}\n"
CHANGED = (
    "\n改动的记录（1 条）：\n  问题 修改 1 条：Q0002 绿色企业申报需要指导\n\n统计数字的变化：\n"
    f"  2021年9月（2021-09）\n{PERIOD}  2021年第三季度（2021-Q3）\n{PERIOD}"
)

RESOLVED = """\
  - date: 2021-09-07
    status: 分办交办
    note: 交供电公司办理。
  - date: 2021-09-10
    status: 已解决
    note: 已完成。
"""


def test_office_workflow(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = tmp_path / "office"
    records = repo / "records"
    code, out, _ = run(capsys, "init", str(repo), "--district", "川汇区", "--start", "2021-09-01")
    assert code == 0, out
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo, "新建记录仓库")

    code, out, err = run(
        capsys, "new", "enterprise", "--records", str(records), "--name", "河南宏远水泥制品有限公司",
        "--uscc", USCC, "--industry", "建材", "--park", "川汇区产业集聚区", "--scale", "中型",
        "--team", "T01", "--joined", "2021-09-02",
    )  # fmt: skip
    assert (code, out.strip()) == (0, str(records / "enterprises" / "E002.yaml")), err
    code, out, err = run(
        capsys, "new", "issue", "--records", str(records), "--enterprise", "E002", "--raised", "2021-09-06",
        "--source", "走访", "--category", "环保", "--title", "绿色企业申报需要指导",
        "--description", "企业申报绿色企业，需要生态环境部门指导。", "--lead-department", "D01",
    )  # fmt: skip
    issue = records / "issues" / "2021-09" / "Q0002.yaml"
    assert (code, out.strip()) == (0, str(issue)), err
    assert "responsible: S002" in issue.read_text("utf-8")  # the team's chief service officer

    code, out, _ = run(capsys, "check", str(records))
    assert code == 0, out
    output = str(tmp_path / "output")  # the internal profile: the public one leaves drafts out
    code, out, err = run(capsys, "build", str(records), "--out", output, "--no-pdf", "--profile", "internal")
    assert code == 0, err
    manifest = json.loads((tmp_path / "output" / "manifest.json").read_text("utf-8"))
    assert {entry["id"] for entry in manifest} >= {"2021-09-monthly", "2021-Q3-quarterly"}
    commit_all(repo, "新增企业和问题")

    issue.write_text(
        issue.read_text("utf-8").replace("    status: 问题收集\n", "    status: 问题收集\n" + RESOLVED), "utf-8"
    )
    code, out, _ = run(capsys, "check", str(records))
    assert code == 0, out
    commit_all(repo, "问题已解决")

    code, out, err = run(capsys, "diff", "HEAD~1", "HEAD", "--records", str(records))
    assert code == 0, err
    head, base = git(repo, "rev-parse", "--short", "HEAD").strip(), git(repo, "rev-parse", "--short", "HEAD~1").strip()
    assert out == f"记录和统计数字的变化：HEAD~1（{base}） → HEAD（{head}）\n" + CHANGED
    code, out, _ = run(capsys, "diff", "HEAD", "--records", str(records))  # the work tree is committed
    assert (code, out.splitlines()[-1]) == (0, "记录没有改动。统计数字没有变化。")
