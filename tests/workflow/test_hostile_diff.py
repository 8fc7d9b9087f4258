"""Hostile ``reportgen diff``: what the records folder was at a revision (missing, a file, a link),
revisions that look like options or hold spaces and control characters, far-off periods; always a
plain Chinese message and exit 2, never a traceback, never an option smuggled into git."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from conftest import BULLETIN, CONFIG, MINIMAL_FILES, edit, write_minimal_repository
from workflow_helpers import commit_all, git

from reportgen.commands.diff import run_diff
from reportgen.validate import check_repository
from reportgen.workflow.statsdiff import periods


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository whose history is: records/ a file, then a link, then missing, then the real folder."""
    root = tmp_path / "office"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "records").write_text("不是目录\n", "utf-8")
    commit_all(root, "一个文件")
    (root / "records").unlink()
    (root / "records").symlink_to("/etc")
    commit_all(root, "一个链接")
    (root / "records").unlink()
    (root / "README.md").write_text("还没有记录\n", "utf-8")
    commit_all(root, "没有记录")
    write_minimal_repository(root / "records")
    commit_all(root, "记录")
    return root


def diff(repo: Path, base: str, head: str | None = None) -> tuple[int, str, str]:
    """``reportgen diff BASE [HEAD]`` on the repository's records: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = run_diff(base, head, repo / "records", "text", out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def short(repo: Path, revision: str) -> str:
    return git(repo, "rev-parse", "--short", revision).strip()


@pytest.mark.parametrize(
    ("revision", "what"),
    [
        ("HEAD~3", "的 records 是一个文件，不是目录"),
        ("HEAD~2", "的 records 是一个链接，不是目录"),
        ("HEAD~1", "还没有 records 目录"),
    ],
    ids=["file", "link", "missing"],
)
def test_records_that_was_no_folder_at_the_base(repo: Path, revision: str, what: str) -> None:
    expected = f"reportgen: 版本 {short(repo, revision)} 中{what}，没有可以比较的记录\n"
    assert diff(repo, revision) == (2, "", expected)
    assert diff(repo, "HEAD", revision) == (2, "", expected)  # the same as the newer side


def test_records_below_a_folder_that_was_a_link(tmp_path: Path) -> None:
    root = tmp_path / "office"
    (root / "data").mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    (root / "elsewhere" / "records").mkdir(parents=True)
    (root / "elsewhere" / "records" / "config.yaml").write_text(CONFIG, "utf-8")
    (root / "data").rmdir()
    (root / "data").symlink_to("elsewhere")
    commit_all(root, "data 是链接")
    (root / "data").unlink()
    write_minimal_repository(root / "data" / "records")
    commit_all(root, "记录")
    out, err = io.StringIO(), io.StringIO()
    code = run_diff("HEAD~1", None, root / "data" / "records", "text", out=out, err=err)
    assert (code, err.getvalue()) == (
        2,
        f"reportgen: 版本 {short(root, 'HEAD~1')} 中还没有 data/records 目录，没有可以比较的记录\n",
    )


@pytest.mark.parametrize(
    ("revision", "message"),
    [
        ("", "没有给出要比较的版本：写分支名、标签或提交号，如 origin/main、HEAD~1"),
        ("   ", "没有给出要比较的版本：写分支名、标签或提交号，如 origin/main、HEAD~1"),
        ("HEAD\n--output=x", "版本名“HEAD\\x0a--output=x”含有控制字符：写分支名、标签或提交号，如 origin/main、HEAD~1"),
        ("a\x00b", "版本名“a\\x00b”含有控制字符：写分支名、标签或提交号，如 origin/main、HEAD~1"),
        ("-p", "找不到版本“-p”"),
        ("--help", "找不到版本“--help”"),
        ("--all", "找不到版本“--all”"),
        ("HEAD HEAD~1", "找不到版本“HEAD HEAD~1”"),
        ("HEAD:records", "找不到版本“HEAD:records”"),
        ("HEAD^{tree}", "找不到版本“HEAD^{tree}”"),
        ("x" * 5000, f"找不到版本“{'x' * 40}…（共 5000 个字符）”"),
    ],
    ids=["empty", "blank", "newline", "nul", "dash_p", "help", "all", "space", "path", "tree", "long"],
)
def test_odd_revisions_are_refused_plainly(repo: Path, revision: str, message: str) -> None:
    assert diff(repo, revision) == (2, "", f"reportgen: {message}\n")


def test_an_option_as_revision_reaches_git_as_a_revision(repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "written"
    code, out, err = diff(repo, f"--output={target}")
    assert (code, out) == (2, "")
    shown = f"--output={str(target)[:31]}…（共 {len(str(target)) + 9} 个字符）"
    assert err == f"reportgen: 找不到版本“{shown}”；在 CI 中请先 git fetch 这个分支\n"
    assert not target.exists()
    code, _, _ = diff(repo, "HEAD", f"--output={target}")
    assert code == 2 and not target.exists()


def test_not_a_git_repository_and_no_folder(tmp_path: Path) -> None:
    plain = write_minimal_repository(tmp_path / "plain" / "records")
    out, err = io.StringIO(), io.StringIO()
    assert run_diff("HEAD", None, plain, out=out, err=err) == 2
    assert err.getvalue() == f"reportgen: {plain} 不在 git 仓库中：reportgen diff 比较的是两个 git 版本\n"
    shutil.rmtree(plain)
    err = io.StringIO()
    assert run_diff("HEAD", None, plain, out=out, err=err) == 2
    assert err.getvalue() == f"reportgen: 找不到记录目录 {plain}（请在办公室仓库的根目录运行，或用 --records 指定）\n"


def test_far_off_bulletin_periods_add_themselves_not_every_month_between(tmp_path: Path) -> None:
    far = edit(BULLETIN, ("period: 2021-08", "period: 2100-12"))
    root = write_minimal_repository(tmp_path / "records", {**MINIMAL_FILES, "bulletins/2100-12-monthly.md": far})
    validated = check_repository(root)
    assert validated.report.valid, [p.message() for p in validated.report.errors]
    keys = [p.key for p in periods(validated.records)]
    assert keys == ["2021-08", "2021-Q3", "2100-12"]


def test_periods_past_the_working_day_calendar_are_left_out(tmp_path: Path) -> None:
    files = {
        **MINIMAL_FILES,
        "config.yaml": edit(CONFIG, ("day_kind: calendar", "day_kind: working")),
        "bulletins/2022-03-monthly.md": edit(BULLETIN, ("period: 2021-08", "period: 2022-03")),
    }
    validated = check_repository(write_minimal_repository(tmp_path / "records", files))
    assert validated.report.valid, [p.message() for p in validated.report.errors]
    assert [p.key for p in periods(validated.records)] == ["2021-08", "2021-Q3"]
