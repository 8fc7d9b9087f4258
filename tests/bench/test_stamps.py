"""``bench/stamps.py`` says when each function it is given starts and ends, in the command's own process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import write_minimal_repository
from tests.modules import BENCH


def test_each_function_named_is_stamped_where_it_starts_and_ends(tmp_path: Path) -> None:
    records = write_minimal_repository(tmp_path / "records")
    functions = ["reportgen.validate:check_repository", "reportgen.render.site.builder:SiteBuilder.ledger_pages"]
    ran = subprocess.run(
        [sys.executable, str(BENCH / "stamps.py"), *functions, "--", "build", str(records), "--out", "out", "--no-pdf"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "REPORTGEN_CACHE_DIR": str(tmp_path / "cache")},
    )
    assert ran.returncode == 0, ran.stderr
    stamps = [line[1:].split(maxsplit=1) for line in ran.stderr.splitlines() if line.startswith("@")]
    assert [text for _, text in stamps] == [
        "start",
        "> check_repository",
        "< check_repository",
        "> SiteBuilder.ledger_pages",
        "< SiteBuilder.ledger_pages",
    ]
    seconds = [float(at) for at, _ in stamps]
    assert seconds == sorted(seconds)
    assert (tmp_path / "out" / "ledger.html").is_file()


def test_without_a_command_it_says_how_it_is_used() -> None:
    ran = subprocess.run([sys.executable, str(BENCH / "stamps.py")], capture_output=True, text=True)
    assert ran.returncode == 1
    assert ran.stderr.startswith("When each named function of a reportgen command starts and ends")
