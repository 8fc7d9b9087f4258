"""``reportgen diff BASE [HEAD]``: how the statistics change between two git revisions of the records."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import TextIO

from reportgen.lang import Pair, pick
from reportgen.validate import Validated, check_repository
from reportgen.workflow import gitrev
from reportgen.workflow.diffreport import invalid_report, markdown_report, text_report
from reportgen.workflow.statsdiff import compare

WORK_TREE: Pair = ("工作区", "work tree")


def run_diff(
    base: str,
    head: str | None,
    records: Path,
    fmt: str = "text",
    out: TextIO | None = None,
    err: TextIO | None = None,
    lang: str = "zh",
) -> int:
    """Print the changes; 0 when both sides are valid, 1 when one is not, 2 for a git problem.

    The terminal's text follows ``lang``; the Markdown for a pull request is Chinese, as the office reads it.
    """
    out, err = out or sys.stdout, err or sys.stderr
    lang = "zh" if fmt == "markdown" else lang
    with tempfile.TemporaryDirectory(prefix="reportgen-diff-") as temp:
        try:
            location = gitrev.locate(records)
            old, old_label = _side(location, base, Path(temp) / "base", lang)
            if head is None:
                new, new_label = check_repository(records), pick(WORK_TREE, lang)
            else:
                new, new_label = _side(location, head, Path(temp) / "head", lang)
        except gitrev.GitError as exc:
            print(f"reportgen: {exc.text(lang)}", file=err)
            return 2
        invalid = [
            (label, len(v.report.errors)) for label, v in ((old_label, old), (new_label, new)) if not v.report.valid
        ]
        if invalid:
            out.write(invalid_report(invalid, fmt, lang))
            return 1
        diff = compare(old.records, new.records)
    if fmt == "markdown":
        out.write(markdown_report(diff, old_label, new_label))
    else:
        out.write(text_report(diff, old_label, new_label, lang))
    return 0


SIDE: Pair = ("{revision}（{commit}）", "{revision} ({commit})")


def _side(location: gitrev.Location, revision: str, dest: Path, lang: str) -> tuple[Validated, str]:
    """One revision's records, validated, and how the report names it: the revision and its short hash."""
    commit = gitrev.resolve(location, revision)
    folder = gitrev.extract(location, commit, dest)
    return check_repository(folder), pick(SIDE, lang, revision=revision, commit=gitrev.describe(location, commit))
