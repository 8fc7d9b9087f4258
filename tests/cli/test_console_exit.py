"""The console script ends without tearing the interpreter down: nothing it said or wrote is lost."""

from __future__ import annotations

import json
import os
import pstats
import subprocess
import sys
from pathlib import Path

from conftest import ISSUE, ISSUE_FILE, OfficeRepo


def _run(args: list[str], cache: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "REPORTGEN_CACHE_DIR": str(cache)}
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        check=False,
    )


def test_piped_output_is_complete_and_the_code_kept(office: OfficeRepo, tmp_path: Path) -> None:
    """Every problem reaches the pipe, the exit code is the report's, and the cache writer finished."""
    office.write(ISSUE_FILE, ISSUE.replace("time_limit_days: 15", 'time_limit_days: "15"'))
    for number in range(2, 202):  # enough problems that the output is written in many blocks
        office.write(f"enterprises/E9{number:03d}.yaml", "name: [\n")
    result = _run(["-m", "reportgen", "check", "--format", "json", "records"], tmp_path / "cache", office.root.parent)
    assert (result.returncode, result.stderr) == (1, "")
    problems = json.loads(result.stdout)
    assert len(problems) == 201
    assert sorted({problem["code"] for problem in problems}) == ["E101", "E203"]
    assert list((tmp_path / "cache").rglob("*")), "the check's cache was written before the process ended"


def test_a_profiler_still_writes_its_profile(office: OfficeRepo, tmp_path: Path) -> None:
    """Under ``python -m cProfile`` the exit is the normal one, so the profile is written."""
    profile = tmp_path / "check.prof"
    args = ["-m", "cProfile", "-o", str(profile), "-m", "reportgen", "check", "records"]
    result = _run(args, tmp_path / "cache", office.root.parent)
    assert (result.returncode, result.stderr) == (0, "")
    assert any("check_repository" in name for _, _, name in pstats.Stats(str(profile)).stats)  # type: ignore[attr-defined]
