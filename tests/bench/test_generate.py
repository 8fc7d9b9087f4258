"""The benchmark generator makes valid, deterministic office repositories."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from reportgen.validate import check_repository
from tests.modules import BENCH, bench_synth

synth = bench_synth()

SMALL = synth.Scale(
    enterprises=60,
    issues=300,
    visits=150,
    staff=40,
    departments=12,
    teams=8,
    legal=40,
    rectifications=60,
    seed=7,
    start=dt.date(2021, 8, 1),
    months=6,
)


@pytest.fixture(autouse=True)
def _own_check_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """reportgen caches check results per folder; keep ours out of ~/.cache."""
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path / "check-cache"))


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_generated_repository_has_no_problems(tmp_path: Path) -> None:
    written = synth.generate(tmp_path / "records", SMALL)
    report = check_repository(tmp_path / "records").report
    assert [p.as_dict("en") for p in report.problems] == []
    assert report.files_checked == written.files
    calendars = 3  # 2021 and 2022, plus 2023 for deadlines counted in working days
    bulletins = 6 + 1  # a monthly text per month, a quarterly one for 2021-Q4
    records = 60 + 300 + 150 + 40 + 12 + 8 + 40 + 60 + calendars + bulletins
    assert report.records_checked == records
    assert written.files == records + 1  # and config.yaml


def test_same_seed_gives_byte_identical_trees(tmp_path: Path) -> None:
    synth.generate(tmp_path / "a", SMALL)
    synth.generate(tmp_path / "b", SMALL)
    first, second = _tree(tmp_path / "a"), _tree(tmp_path / "b")
    assert sorted(first) == sorted(second)
    assert first == second


def test_another_seed_gives_other_records(tmp_path: Path) -> None:
    synth.generate(tmp_path / "a", SMALL)
    synth.generate(tmp_path / "b", synth.Scale(**{**SMALL.__dict__, "seed": 8}))
    assert _tree(tmp_path / "a") != _tree(tmp_path / "b")


def test_issue_outcomes_are_a_realistic_mix(tmp_path: Path) -> None:
    synth.generate(tmp_path, SMALL)
    finals: dict[str, int] = {}
    escalated = rated = 0
    for path in sorted((tmp_path / "issues").rglob("*.yaml")):
        issue = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        history = issue["history"]
        finals[history[-1]["status"]] = finals.get(history[-1]["status"], 0) + 1
        escalated += any(entry.get("level") in ("市级", "省级") for entry in history)
        rated += "rating" in issue
    assert finals.get("销号", 0) > 0.4 * SMALL.issues
    for status in ("已解决", "办理中", "长期推进", "已答复"):
        assert finals.get(status, 0) > 0, status
    assert escalated > 0
    assert rated > 0.3 * SMALL.issues


def test_command_line(tmp_path: Path) -> None:
    out = tmp_path / "records"
    cmd = [sys.executable, str(BENCH / "generate"), str(out), "--enterprises=20", "--issues=40"]
    cmd += ["--visits=20", "--staff=12", "--teams=3", "--departments=3", "--legal=10"]
    cmd += ["--rectifications=5", "--months=2", "--quiet"]
    assert subprocess.run(cmd, check=False).returncode == 0
    assert check_repository(out).report.problems == []
    again = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert again.returncode == 2 and "not empty" in again.stderr
