"""``reportgen diff``: statistics compared between git revisions, issued bulletins flagged, invalid sides refused."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import BULLETIN, BULLETIN_FILE, ISSUE, ISSUE_FILE, write_minimal_repository
from workflow_helpers import commit_all, git

from reportgen.commands.diff import run_diff

ISSUED = BULLETIN.replace("number: 8\n", "number: 8\nissued: 2021-09-05\n")
CLOSED = "  - date: 2021-08-25\n    status: 销号\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository whose records/ holds the minimal office, the August bulletin issued."""
    root = tmp_path / "office"
    write_minimal_repository(root / "records")
    (root / "records" / BULLETIN_FILE).write_text(ISSUED, "utf-8")
    git(root, "init", "-q", "-b", "main")
    commit_all(root, "记录")
    return root


def diff(
    repo: Path, base: str, head: str | None = None, fmt: str = "text", records: Path | None = None
) -> tuple[int, str, str]:
    """Run ``reportgen diff``; (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = run_diff(base, head, records or repo / "records", fmt, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_no_change(repo: Path) -> None:
    code, out, _ = diff(repo, "HEAD")
    assert code == 0
    assert out.endswith("统计数字没有变化。\n")
    code, out, _ = diff(repo, "HEAD", fmt="markdown")
    assert out.startswith("### reportgen：记录和统计数字的变化\n") and out.endswith(
        "记录没有改动。统计数字没有变化。\n"
    )


def test_the_work_tree_is_compared_by_default_and_issued_bulletins_are_flagged(repo: Path) -> None:
    (repo / "records" / ISSUE_FILE).write_text(ISSUE.replace(CLOSED, ""), "utf-8")  # no longer closed
    code, out, _ = diff(repo, "HEAD")
    assert code == 0
    assert out.splitlines()[0].endswith("→ 工作区")
    assert out.splitlines()[1:] == [
        "",
        "改动的记录（1 条）：",
        "  问题 修改 1 条：Q0001 需增加第二路供电线路",
        "",
        "已印发的通报会受影响：",
        "  2021-08-monthly（川助企〔2021〕8号，2021年9月5日印发）印发时的数字会改变："
        "累计·已销号问题 1 → 0；本期·已销号问题 1 → 0",
        "",
        "统计数字的变化：",
        "  2021年8月（2021-08）",
        "    本期 1 项：已销号问题（件） 1 → 0",
        "    累计 1 项：已销号问题（件） 1 → 0",
        "  2021年第三季度（2021-Q3）",
        "    本期 1 项：已销号问题（件） 1 → 0",
        "    累计 1 项：已销号问题（件） 1 → 0",
    ]
    assert "已解决问题" not in out  # still resolved: only what prints differently is listed
    code, out, _ = diff(repo, "HEAD", fmt="markdown")
    assert "> [!WARNING]\n> 已印发的通报会受影响：\n> - 2021-08-monthly（川助企〔2021〕8号，2021年9月5日印发）" in out
    assert "| 指标 | 口径 | 原来 | 现在 |\n| --- | --- | ---: | ---: |\n" in out
    assert "| 已销号问题（件） | 累计 | 1 | 0 |\n" in out
    assert git(repo, "status", "--porcelain").strip() == "M records/issues/2021-08/Q0001.yaml"  # work tree untouched


def test_an_edited_bulletin_text_is_listed_but_not_flagged_when_figures_stay(repo: Path) -> None:
    (repo / "records" / BULLETIN_FILE).write_text(ISSUED.replace("继续做好服务。", "继续做好服务工作。"), "utf-8")
    commit_all(repo, "修改通报正文")
    code, out, _ = diff(repo, "HEAD~1", "HEAD")
    assert code == 0
    assert out.splitlines()[1:] == [
        "",
        "改动的记录（1 条）：",
        "  通报正文 修改 1 条：2021-08-monthly 2021年8月通报正文（已印发）",
        "",
        "统计数字没有变化。",
    ]


def test_a_bulletin_issued_in_the_change_is_not_flagged(repo: Path) -> None:
    (repo / "records" / BULLETIN_FILE).write_text(BULLETIN, "utf-8")  # a draft at the base
    commit_all(repo, "草稿")
    (repo / "records" / BULLETIN_FILE).write_text(ISSUED, "utf-8")  # issued, and a figure changes, in one change
    (repo / "records" / ISSUE_FILE).write_text(ISSUE.replace(CLOSED, ""), "utf-8")
    code, out, _ = diff(repo, "HEAD")
    assert code == 0 and "已印发的通报会受影响" not in out
    assert out.splitlines()[2:5] == [
        "改动的记录（2 条）：",
        "  问题 修改 1 条：Q0001 需增加第二路供电线路",
        "  通报正文 修改 1 条：2021-08-monthly 2021年8月通报正文（已印发）",
    ]


def test_an_invalid_side_is_reported_with_its_problem_count(repo: Path) -> None:
    (repo / "records" / ISSUE_FILE).write_text(ISSUE.replace("category: 水电", "category: 天气"), "utf-8")
    code, out, _ = diff(repo, "HEAD")
    assert code == 1
    assert out == "工作区 的记录未通过校验（1 个错误），无法比较统计数字。请先运行 reportgen check records 并改正。\n"
    code, out, _ = diff(repo, "HEAD", fmt="markdown")
    assert code == 1 and "> [!CAUTION]" in out and "工作区 的记录未通过校验（1 个错误）" in out


def test_a_revision_without_records_is_said_plainly(repo: Path) -> None:
    git(repo, "commit", "-q", "--allow-empty", "-m", "空")
    first = git(repo, "rev-list", "--max-parents=0", "HEAD").strip()
    git(repo, "checkout", "-q", "--orphan", "other")
    git(repo, "rm", "-rq", "--cached", ".")
    (repo / "README.md").write_text("无记录\n", "utf-8")
    git(repo, "add", "README.md")
    git(repo, "commit", "-q", "-m", "无记录")
    code, out, err = diff(repo, "other", first)
    other = git(repo, "rev-parse", "--short", "other").strip()
    assert (code, out, err) == (2, "", f"reportgen: 版本 {other} 中还没有 records 目录，没有可以比较的记录\n")


def test_git_problems_are_usage_errors(repo: Path, tmp_path: Path) -> None:
    code, _, err = diff(repo, "origin/main")
    assert code == 2 and "找不到版本“origin/main”；在 CI 中请先 git fetch 这个分支" in err
    plain = write_minimal_repository(tmp_path / "plain" / "records")
    code, _, err = diff(repo, "HEAD", records=plain)
    assert code == 2 and "不在 git 仓库中" in err


def test_records_at_the_top_of_the_repository_and_export_ignore(tmp_path: Path) -> None:
    root = write_minimal_repository(tmp_path / "records-only")
    (root / ".gitattributes").write_text("* export-ignore\n", "utf-8")  # would empty a git archive
    git(root, "init", "-q", "-b", "main")
    commit_all(root, "记录")
    (root / ISSUE_FILE).write_text(ISSUE.replace(CLOSED, ""), "utf-8")
    commit_all(root, "撤销销号")
    code, out, err = diff(root, "HEAD~1", "HEAD", records=root)
    assert code == 0, err
    assert "    累计 1 项：已销号问题（件） 1 → 0\n" in out
