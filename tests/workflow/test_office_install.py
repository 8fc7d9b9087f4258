"""A new office repository works on its first commit: pre-commit and the CI jobs install this reportgen for real.

``init`` names this checkout's HEAD as the source; pre-commit clones it and pip-installs it
into a virtualenv of its own, and the GitHub and GitLab jobs' shell commands run as written
(their ``pip install "$REPORTGEN_PIP_SPEC"`` included) in a fresh virtualenv.  Only what
needs GitHub or GitLab themselves is left out: ``uses:`` actions, ``gh``, and ``apt-get``
(the packages it installs are already on a machine that runs these tests).  Uncommitted
changes of this checkout are not in HEAD, so not in what is installed.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from workflow_helpers import GIT_ENV

from reportgen.commands.init import run_init

pytestmark = pytest.mark.install

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 900  # seconds for one install or job; a stuck one fails instead of hanging CI
SKIPPED = ("apt-get", "gh pr comment")  # need root and the network, or GitHub itself


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder for this module: the office, its origin, the caches and the virtualenv."""
    if not (ROOT / ".git").exists():
        pytest.skip("reportgen is not a git checkout here: there is no commit for pre-commit to clone")
    return tmp_path_factory.mktemp("office-install")


def environment(base: Path, **extra: str) -> dict[str, str]:
    """The user's environment (the pip cache stays warm) with a fixed git identity and a private pre-commit cache."""
    return {
        **os.environ,
        **GIT_ENV,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "PRE_COMMIT_HOME": str(base / "pre-commit-cache"),
        "PRE_COMMIT_COLOR": "never",
        "NO_COLOR": "1",
        **extra,
    }


def sh(base: Path, cwd: Path, *argv: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run a command in ``cwd``; its exit code is for the caller to judge."""
    done = subprocess.run(
        list(argv), cwd=cwd, env=environment(base, **env), capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    return done


def ok(done: subprocess.CompletedProcess[str]) -> str:
    """stdout of a command that must have succeeded."""
    assert done.returncode == 0, f"{done.args}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def office(base: Path) -> Path:
    """``init`` with this checkout as the source, committed on main and pushed to a bare origin."""
    target = base / "office"
    err = io.StringIO()
    code = run_init(target, None, None, "川汇区", "2026-02-16", str(ROOT), out=io.StringIO(), err=err)
    assert code == 0, err.getvalue()
    ok(sh(base, target, "git", "init", "-q", "-b", "main"))
    ok(sh(base, target, "git", "add", "."))
    ok(sh(base, target, "git", "commit", "-q", "-m", "新建记录仓库"))
    ok(sh(base, base, "git", "clone", "-q", "--bare", str(target), str(base / "origin.git")))
    ok(sh(base, target, "git", "remote", "add", "origin", str(base / "origin.git")))
    ok(sh(base, target, "git", "fetch", "-q", "origin"))
    return target


def test_the_office_names_this_checkouts_head(base: Path, office: Path) -> None:
    head = ok(sh(base, ROOT, "git", "rev-parse", "HEAD")).strip()
    config = yaml.safe_load((office / ".pre-commit-config.yaml").read_text("utf-8"))
    assert config["repos"][0]["repo"] == ROOT.as_uri() and config["repos"][0]["rev"] == head


def test_pre_commit_passes_the_first_commit_and_stops_a_broken_record(base: Path, office: Path) -> None:
    python = [sys.executable, "-m", "pre_commit"]
    passed = ok(sh(base, office, *python, "run", "--all-files"))  # installs reportgen from the source, then checks
    assert "reportgen check（检查记录）" in passed and "Passed" in passed
    ok(sh(base, office, *python, "install"))
    path = office / "records" / "enterprises" / "E001.yaml"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line.startswith("uscc: "))
    good = lines[number].split()[1]
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    lines[number] = f"uscc: {bad}\n"
    path.write_text("".join(lines), "utf-8")
    ok(sh(base, office, "git", "add", "records"))
    refused = sh(base, office, "git", "commit", "-q", "-m", "改错了信用代码")
    assert refused.returncode == 1, refused.stdout + refused.stderr
    where = f"records/enterprises/E001.yaml:{number + 1}:7"
    said = refused.stdout + refused.stderr  # git shows the hook's output on stderr
    assert f"{where}: 错误 E502 [E001] 统一社会信用代码“{bad}”校验位不对（应为 {good[-1]}）" in said
    assert ok(sh(base, office, "git", "rev-list", "--count", "HEAD")).strip() == "1"  # the commit was stopped
    ok(sh(base, office, "git", "checkout", "-q", "HEAD", "--", "records"))


@pytest.fixture(scope="module")
def ci_path(base: Path) -> str:
    """PATH with a fresh virtualenv first: ``pip`` and ``reportgen`` are that virtualenv's, as on a CI runner.

    Its pip is brought up to date as a runner's is (the one ``venv`` bundles can be years old, and slower).
    """
    venv = base / "ci-venv"
    ok(sh(base, base, sys.executable, "-m", "venv", str(venv)))
    ok(sh(base, base, str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--upgrade", "pip"))
    return f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"


@pytest.fixture(scope="module")
def branch(base: Path, office: Path) -> Path:
    """A clone of the origin with a change on a branch: one more visit."""
    clone = base / "change"
    ok(sh(base, base, "git", "clone", "-q", str(base / "origin.git"), str(clone)))
    ok(sh(base, clone, "git", "checkout", "-q", "-b", "change"))
    visit = next((clone / "records" / "visits").rglob("V0001.yaml"))
    visit.with_name("V0002.yaml").write_text(visit.read_text("utf-8").replace("V0001", "V0002"), "utf-8")
    ok(sh(base, clone, "git", "add", "."))
    ok(sh(base, clone, "git", "commit", "-q", "-m", "又一次走访"))
    return clone


def shell_steps(job: dict[str, Any]) -> Iterator[tuple[str, dict[str, str]]]:
    """A GitHub job's ``run:`` steps with their ``env:``, leaving out what needs GitHub or root."""
    for step in job["steps"]:
        run = step.get("run")
        if run and not any(word in run for word in SKIPPED):
            yield run, {k: str(v) for k, v in step.get("env", {}).items()}


def run_script(base: Path, cwd: Path, script: str, path: str, **env: str) -> str:
    """One step as a runner runs it: bash, stopping at the first failing command."""
    return ok(sh(base, cwd, "bash", "-e", "-o", "pipefail", "-c", script, PATH=path, **env))


def test_the_github_jobs_run(base: Path, office: Path, branch: Path, ci_path: str) -> None:
    workflow = yaml.safe_load((office / ".github" / "workflows" / "reportgen.yml").read_text("utf-8"))
    variables = {k: str(v) for k, v in workflow["env"].items()}
    summary = base / "github-step-summary.md"
    github = {"${{ github.base_ref }}": "main"}
    for script, env in shell_steps(workflow["jobs"]["check"]):  # a pull request from the branch
        env = {k: github.get(v, v) for k, v in env.items()}
        run_script(base, branch, script, ci_path, GITHUB_STEP_SUMMARY=str(summary), **variables, **env)
    assert "走访" in (branch / "reportgen-diff.md").read_text("utf-8")
    assert summary.read_text("utf-8") == (branch / "reportgen-diff.md").read_text("utf-8")
    for script, env in shell_steps(workflow["jobs"]["build"]):  # main after the merge
        run_script(base, office, script, ci_path, **variables, **env)
    assert (office / "output" / "manifest.json").is_file()
    # main's bulletins are drafts: the public site leaves them out (the config's publish_drafts is not set)
    assert sorted(p.name for p in office.glob("output/**/*.pdf")) == []


def test_the_gitlab_jobs_run(base: Path, office: Path, branch: Path, ci_path: str) -> None:
    pipeline = yaml.safe_load((office / ".gitlab-ci.yml").read_text("utf-8"))
    variables = {k: str(v) for k, v in pipeline["variables"].items()}
    before = pipeline["default"]["before_script"]
    main = ok(sh(base, office, "git", "rev-parse", "main")).strip()
    merge_request = {"CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main", "CI_MERGE_REQUEST_DIFF_BASE_SHA": main}
    for name, cwd in (("check", branch), ("diff", branch), ("pages", office)):
        job = pipeline[name]
        lines = [line for line in [*before, *job["script"]] if not any(word in line for word in SKIPPED)]
        env = {**variables, **{k: str(v) for k, v in job.get("variables", {}).items()}, **merge_request}
        run_script(base, cwd, "\n".join(lines), ci_path, **env)
    assert "走访" in (branch / "reportgen-diff.md").read_text("utf-8")
    assert (office / "public" / "manifest.json").is_file() and not (office / "output").exists()
