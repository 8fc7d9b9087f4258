"""Frozen figures without a local build: the CI files ``init`` writes run ``reportgen freeze`` on a pull
request and commit what it wrote back to the branch; a later change to those figures is on the diff.

The jobs' shell lines run as written, with this checkout's ``reportgen`` first on PATH (its own
entry point, not a new install): only what needs GitHub, GitLab or the network is left out
(``pip install``, ``gh``, ``apt-get``).  The office's origin is a bare repository here; GitLab's
push URL is pointed at it with git's ``url.<base>.insteadOf``.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from workflow_helpers import GIT_ENV

from reportgen.commands.freeze import run_freeze
from reportgen.commands.init import run_init

ROOT = Path(__file__).resolve().parents[2]
SKIPPED = ("pip install", "gh pr comment", "apt-get")
BRANCH = "issue-feb"
FROZEN = "records/frozen/2026-02-monthly.json"
COMMIT_MESSAGE = "记录已印发通报的数字（reportgen freeze）"
GITLAB_PUSH = "https://reportgen:t0ken@gitlab.example/office/records.git"
GITHUB = {
    "${{ github.head_ref }}": BRANCH,
    "${{ github.base_ref }}": "main",
    "${{ github.event.pull_request.head.repo.full_name == github.repository }}": "true",
}
GITLAB = {
    "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME": BRANCH,
    "CI_MERGE_REQUEST_SOURCE_PROJECT_ID": "7",
    "CI_PROJECT_ID": "7",
    "CI_SERVER_HOST": "gitlab.example",
    "CI_PROJECT_PATH": "office/records",
    "REPORTGEN_BOT_TOKEN": "t0ken",
}


def sh(cwd: Path, *argv: str, **env: str) -> str:
    """Run a command with a fixed git identity and this checkout's reportgen first on PATH; its stdout."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    full = {**os.environ, **GIT_ENV, "GIT_CONFIG_GLOBAL": str(cwd.parent / "gitconfig"), "PATH": path, **env}
    done = subprocess.run(list(argv), cwd=cwd, env=full, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"{argv}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """``init``, committed on main and pushed to a bare origin; a branch issues February's bulletin."""
    target = tmp_path / "office"
    code = run_init(target, None, None, "川汇区", "2026-02-16", str(ROOT), out=io.StringIO(), err=io.StringIO())
    assert code == 0
    origin = tmp_path / "origin.git"
    (tmp_path / "gitconfig").write_text(f'[url "{origin}"]\n\tinsteadOf = {GITLAB_PUSH}\n', "utf-8")
    sh(target, "git", "init", "-q", "-b", "main")
    sh(target, "git", "add", ".")
    sh(target, "git", "commit", "-q", "-m", "新建记录仓库")
    sh(tmp_path, "git", "clone", "-q", "--bare", str(target), str(origin))
    sh(target, "git", "remote", "add", "origin", str(origin))
    sh(target, "git", "fetch", "-q", "origin")
    sh(target, "git", "checkout", "-q", "-b", BRANCH)
    text = target / "records" / "bulletins" / "2026-02-monthly.md"
    text.write_text(text.read_text("utf-8").replace("number: 1\n", "number: 1\nissued: 2026-03-05\n"), "utf-8")
    sh(target, "git", "commit", "-q", "-am", "印发二月通报")
    sh(target, "git", "push", "-q", "origin", BRANCH)
    sh(target, "git", "checkout", "-q", "--detach")  # as CI checks out the pull request's head commit
    return target


def github_job(office: Path) -> None:
    """The pull-request job of the GitHub workflow, step by step."""
    workflow = yaml.safe_load((office / ".github" / "workflows" / "reportgen.yml").read_text("utf-8"))
    variables = {k: str(v) for k, v in workflow["env"].items()}
    for step in workflow["jobs"]["check"]["steps"]:
        run = step.get("run")
        if run and not any(word in run for word in SKIPPED):
            env = {k: GITHUB.get(str(v), str(v)) for k, v in step.get("env", {}).items()}
            summary = str(office / "summary.md")
            sh(office, "bash", "-e", "-o", "pipefail", "-c", run, GITHUB_STEP_SUMMARY=summary, **variables, **env)


def gitlab_job(office: Path, name: str) -> None:
    """One merge-request job of the GitLab pipeline, its script lines in one shell (the project token only
    for freeze: with it, diff would post its comment to a GitLab there is none of here)."""
    pipeline: dict[str, Any] = yaml.safe_load((office / ".gitlab-ci.yml").read_text("utf-8"))
    lines = [line for line in pipeline[name]["script"] if not any(word in line for word in SKIPPED)]
    main = sh(office, "git", "rev-parse", "origin/main").strip()
    env = {**GITLAB, "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main", "CI_MERGE_REQUEST_DIFF_BASE_SHA": main}
    if name != "freeze":
        del env["REPORTGEN_BOT_TOKEN"]
    sh(office, "bash", "-e", "-o", "pipefail", "-c", "\n".join(lines), **env)


def branch_tip(office: Path) -> tuple[str, str, list[str]]:
    """The origin branch's last commit: (hash, subject, files it changed)."""
    origin = office.parent / "origin.git"
    commit = sh(origin, "git", "rev-parse", BRANCH).strip()
    subject = sh(origin, "git", "log", "-1", "--format=%s", BRANCH).strip()
    files = sh(origin, "git", "show", "--name-only", "--format=", BRANCH).split()
    return commit, subject, files


def frozen_at_origin(office: Path) -> dict[str, Any]:
    data = json.loads(sh(office.parent / "origin.git", "git", "show", f"{BRANCH}:{FROZEN}"))
    assert isinstance(data, dict)
    return data


def test_the_github_job_freezes_an_issued_bulletin_and_pushes_it_to_the_branch(office: Path) -> None:
    github_job(office)
    commit, subject, files = branch_tip(office)
    assert (subject, files) == (COMMIT_MESSAGE, [FROZEN])
    frozen = frozen_at_origin(office)
    assert (frozen["bulletin"], frozen["number"], frozen["issued"]) == ("2026-02-monthly", 1, "2026-03-05")
    assert frozen == json.loads((office / FROZEN).read_text("utf-8"))
    comment = (office / "reportgen-diff.md").read_text("utf-8")
    assert "[!WARNING]" not in comment  # issued in this very change: nothing to compare with yet
    assert "- 通报正文 修改 1 条：2026-02-monthly 2026年2月通报正文（已印发）\n" in comment
    assert "- 印发时的数字 新增 1 条：2026-02-monthly 2026年2月通报正文（已印发）\n" in comment  # the pushed file
    github_job(office)  # the job again, on the pushed commit: nothing new to freeze, nothing pushed
    assert branch_tip(office)[0] == commit


def test_a_later_change_to_the_issued_figures_is_flagged_on_the_pull_request(office: Path) -> None:
    github_job(office)
    sh(office, "git", "fetch", "-q", "origin")
    sh(office, "git", "push", "-q", "origin", f"origin/{BRANCH}:refs/heads/main")  # merged
    sh(office, "git", "fetch", "-q", "origin")
    sh(office, "git", "checkout", "-q", "-B", "later", "origin/main")
    visit = next((office / "records" / "visits").rglob("V0001.yaml"))  # one more visit in February
    visit.with_name("V0002.yaml").write_text(visit.read_text("utf-8").replace("V0001", "V0002"), "utf-8")
    sh(office, "git", "add", "records")
    sh(office, "git", "commit", "-q", "-m", "补录一次走访")
    sh(office, "git", "checkout", "-q", "--detach")
    github_job(office)
    comment = (office / "reportgen-diff.md").read_text("utf-8")
    warning = "> [!WARNING]\n> 已印发的通报会受影响：\n> - 2026-02-monthly（川助企〔2026〕1号，2026年3月5日印发）"
    assert f"{warning}印发时的数字会改变：" in comment


def test_the_gitlab_job_freezes_and_pushes_with_the_project_token(office: Path) -> None:
    gitlab_job(office, "freeze")
    _, subject, files = branch_tip(office)
    assert (subject, files) == (COMMIT_MESSAGE, [FROZEN])
    assert frozen_at_origin(office)["bulletin"] == "2026-02-monthly"
    gitlab_job(office, "check")
    gitlab_job(office, "diff")
    assert "2026-02-monthly 2026年2月通报正文（已印发）" in (office / "reportgen-diff.md").read_text("utf-8")


def test_freeze_never_rewrites_a_frozen_file(office: Path) -> None:
    out = io.StringIO()
    assert run_freeze(office / "records", out=out) == 0
    assert out.getvalue() == f"已记录印发时的数字：{office / FROZEN}\n"
    (office / FROZEN).write_text("{}\n", "utf-8")  # whatever is there stays: check reports a broken one (E511)
    out = io.StringIO()
    assert run_freeze(office / "records", out=out, err=io.StringIO()) == 1
    assert (office / FROZEN).read_text("utf-8") == "{}\n"
