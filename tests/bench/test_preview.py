"""``bench/preview.py`` times the preview's rebuild of saves (in place, or saved over), from the write to its line."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.compute.scenario import scenario_files, write_repository
from tests.modules import BENCH


@pytest.mark.parametrize("how", [[], ["--saved-over"]])
def test_each_save_is_timed_to_the_preview_s_line(tmp_path: Path, how: list[str]) -> None:
    records = write_repository(tmp_path / "records", scenario_files())
    before = {path: path.read_bytes() for path in records.rglob("*.yaml")}
    command = [sys.executable, str(BENCH / "preview.py"), str(records), "--edits", "2", "--pause", "0.2", *how]
    ran = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert ran.returncode == 0, ran.stderr
    lines = ran.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == ["edit 1", "edit 2"]
    for line in lines:
        assert re.fullmatch(r"edit \d: \d+\.\d\d s from the save to the line; the rebuild \d+\.\d s", line), line
    assert {path: path.read_bytes() for path in records.rglob("*.yaml")} == before  # a copy was edited
