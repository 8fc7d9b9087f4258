"""The CI files ``init`` writes: valid against the published schemas, running commands that exist and are documented."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from reportgen.cli import build_parser
from reportgen.workflow.install import source_from_spec
from reportgen.workflow.scaffold import HOOK, SCAFFOLD_FILES, scaffold_text

ROOT = Path(__file__).resolve().parents[2]
GITHUB = "github-workflow.yml"
GITLAB = "gitlab-ci.yml"
OFFICE = "川汇区“万人助万企”活动领导小组办公室"
TAGGED = source_from_spec("git+https://git.example.org/zhuqi/reportgen.git@v0.1.0")
INDEXED = source_from_spec("zhuqi-reportgen==0.1.0")


def scaffold(name: str) -> str:
    """A scaffold file as init writes it for an office installing a tagged reportgen from git."""
    return scaffold_text(name, OFFICE, TAGGED)


def load(name: str) -> dict[str, Any]:
    """A scaffold file as init writes it, parsed."""
    data = yaml.safe_load(scaffold(name))
    assert isinstance(data, dict)
    return data


def schema_check(tmp_path: Path, name: str, text: str) -> subprocess.CompletedProcess[str]:
    """Validate with check-jsonschema's vendored copy of the published schema (no network)."""
    pytest.importorskip("check_jsonschema")
    schema = {GITHUB: ["vendor.github-workflows"], GITLAB: ["vendor.gitlab-ci", "--data-transform", "gitlab-ci"]}
    path = tmp_path / SCAFFOLD_FILES[name].rsplit("/", 1)[-1]
    path.write_text(text, "utf-8")
    command = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", *schema[name], str(path)]
    return subprocess.run(command, capture_output=True, text=True, check=False)


@pytest.mark.parametrize("name", [GITHUB, GITLAB])
def test_ci_files_are_valid_against_their_published_schemas(tmp_path: Path, name: str) -> None:
    done = schema_check(tmp_path, name, scaffold(name))
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [(GITHUB, "runs-on: ubuntu-latest", "runs-on: [[]]"), (GITLAB, "stage: deploy", "stage: [1]")],
)
def test_the_schema_check_does_catch_mistakes(tmp_path: Path, name: str, old: str, new: str) -> None:
    done = schema_check(tmp_path, name, scaffold(name).replace(old, new, 1))
    assert done.returncode != 0


def _shell_lines(data: Any) -> Iterator[str]:
    """Every line of every ``run:`` (GitHub) and ``script:`` (GitLab) in a CI file."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("run", "script", "before_script"):
                for block in value if isinstance(value, list) else [value]:
                    yield from str(block).replace("\\\n", " ").splitlines()
            else:
                yield from _shell_lines(value)
    elif isinstance(data, list):
        for item in data:
            yield from _shell_lines(item)


def reportgen_commands(data: dict[str, Any]) -> list[list[str]]:
    """The reportgen invocations of a CI file, without shell redirections."""
    commands = []
    for line in _shell_lines(data):
        if not line.strip().startswith("reportgen "):
            continue
        words = shlex.split(line.strip(), comments=True)
        if words[:1] == ["reportgen"]:
            commands.append(words[1 : words.index(">")] if ">" in words else words[1:])
    return commands


def jobs_commands(data: dict[str, Any], job: str) -> list[list[str]]:
    """The reportgen commands of one job."""
    return reportgen_commands(data["jobs"][job] if "jobs" in data else data[job])


def test_github_workflow_checks_pull_requests_and_publishes_main() -> None:
    data = load(GITHUB)
    assert set(data[True]) >= {"pull_request", "push"}  # YAML 1.1 reads the key "on" as true
    check = jobs_commands(data, "check")
    assert ["check", "records", "--format", "github"] in check
    assert ["freeze", "records"] in check
    assert ["diff", "$FORK_POINT", "--format", "markdown"] in check
    assert data["jobs"]["check"]["permissions"]["contents"] == "write"  # the frozen figures are pushed back
    steps = data["jobs"]["check"]["steps"]
    comment = next(s for s in steps if "gh pr comment" in s.get("run", ""))
    assert "--body-file reportgen-diff.md" in comment["run"] and comment["env"]["GH_TOKEN"] == "${{ github.token }}"
    assert data["jobs"]["check"]["permissions"]["pull-requests"] == "write"
    build = data["jobs"]["build"]
    assert "refs/heads/main" in build["if"]
    assert ["build", "records", "--out", "output", "--profile", "public"] in jobs_commands(data, "build")
    uses = [s.get("uses", "") for s in build["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    pdf = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert pdf["with"]["path"] == "output/**/*.pdf"
    deploy = data["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")


def test_gitlab_ci_checks_merge_requests_and_publishes_pages() -> None:
    data = load(GITLAB)
    assert data["check"]["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert ["check", "records"] in jobs_commands(data, "check")
    assert ["freeze", "records"] in jobs_commands(data, "freeze")
    assert data["stages"][0] == "freeze" and data["freeze"]["rules"] == data["check"]["rules"]
    assert ["diff", "$CI_MERGE_REQUEST_DIFF_BASE_SHA", "--format", "markdown"] in jobs_commands(data, "diff")
    assert any("merge_requests/$CI_MERGE_REQUEST_IID/notes" in line for line in _shell_lines(data["diff"]))
    pages = data["pages"]
    assert ["build", "records", "--out", "output", "--profile", "public"] in jobs_commands(data, "pages")
    assert "mv output public" in pages["script"] and pages["artifacts"]["paths"] == ["public"]
    assert pages["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]


@pytest.mark.parametrize("name", [GITHUB, GITLAB])
def test_reportgen_is_installed_from_one_clearly_named_variable(name: str) -> None:
    data = load(name)
    spec = (data.get("env") or data.get("variables"))["REPORTGEN_PIP_SPEC"]
    assert spec == "zhuqi-reportgen @ git+https://git.example.org/zhuqi/reportgen.git@v0.1.0"
    installs = [line for line in _shell_lines(data) if "pip install" in line]
    assert installs and all('"$REPORTGEN_PIP_SPEC"' in line for line in installs)


@pytest.mark.parametrize("name", [GITHUB, GITLAB])
def test_ci_commands_exist_and_are_documented(name: str) -> None:
    commands = reportgen_commands(load(name))
    assert commands
    office_readme = scaffold("README.md")
    project_readme = (ROOT / "README.md").read_text("utf-8")
    for argv in commands:
        build_parser().parse_args(argv)  # a real command: exits on an unknown flag or choice
        documented = [line for line in office_readme.splitlines() if line.startswith(f"reportgen {argv[0]} ")]
        assert documented, f"README of the office repository does not show reportgen {argv[0]}"
        flags = {word for word in argv if word.startswith("--")}
        shown = {word for line in documented for word in line.split() if word.startswith("--")}
        assert flags <= shown, f"reportgen {' '.join(argv)}: {flags - shown} not shown in the office README"
        if argv[0] in ("check", "build", "stats"):
            assert f"reportgen {argv[0]} records/" in project_readme


def test_pre_commit_hook_runs_reportgen_check_on_records() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert hooks == [HOOK]  # the local hook init writes is this one
    assert HOOK["language"] == "python" and HOOK["pass_filenames"] is False
    assert HOOK["entry"] == "reportgen check records"
    build_parser().parse_args(HOOK["entry"].split()[1:])
    assert re.search(HOOK["files"], "records/issues/2021-09/Q0001.yaml")
    assert not re.search(HOOK["files"], "docs/records.md")


def test_pre_commit_config_names_the_exact_reportgen() -> None:
    config = yaml.safe_load(scaffold("pre-commit-config.yaml"))
    assert config == {
        "repos": [
            {"repo": "https://git.example.org/zhuqi/reportgen.git", "rev": "v0.1.0", "hooks": [{"id": HOOK["id"]}]}
        ]
    }
    local = yaml.safe_load(scaffold_text("pre-commit-config.yaml", OFFICE, INDEXED))
    assert local == {
        "repos": [{"repo": "local", "hooks": [{**HOOK, "additional_dependencies": ["zhuqi-reportgen==0.1.0"]}]}]
    }


@pytest.mark.parametrize("name", [*SCAFFOLD_FILES])
def test_no_placeholder_is_left(name: str) -> None:
    assert not re.search(r"@[A-Z_]+@|example\.invalid", scaffold(name))
