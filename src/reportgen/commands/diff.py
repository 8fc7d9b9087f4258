"""``reportgen diff BASE [HEAD]``: how the statistics change between two git revisions of the records."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import TextIO

from reportgen.validate import Validated, check_repository
from reportgen.workflow import gitrev
from reportgen.workflow.diffreport import invalid_report, markdown_report, text_report
from reportgen.workflow.statsdiff import compare

WORK_TREE = "工作区"


def run_diff(
    base: str,
    head: str | None,
    records: Path,
    fmt: str = "text",
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Print the changes; 0 when both sides are valid, 1 when one is not, 2 for a git problem."""
    out, err = out or sys.stdout, err or sys.stderr
    with tempfile.TemporaryDirectory(prefix="reportgen-diff-") as temp:
        try:
            location = gitrev.locate(records)
            old, old_label = _side(location, base, Path(temp) / "base")
            if head is None:
                new, new_label = check_repository(records), WORK_TREE
            else:
                new, new_label = _side(location, head, Path(temp) / "head")
        except gitrev.GitError as exc:
            print(f"reportgen: {exc}", file=err)
            return 2
        invalid = [
            (label, len(v.report.errors)) for label, v in ((old_label, old), (new_label, new)) if not v.report.valid
        ]
        if invalid:
            out.write(invalid_report(invalid, fmt))
            return 1
        diff = compare(old.records, new.records)
    report = markdown_report if fmt == "markdown" else text_report
    out.write(report(diff, old_label, new_label))
    return 0


def _side(location: gitrev.Location, revision: str, dest: Path) -> tuple[Validated, str]:
    commit = gitrev.resolve(location, revision)
    folder = gitrev.extract(location, commit, dest)
    return check_repository(folder), f"{revision}（{gitrev.describe(location, commit)}）"
