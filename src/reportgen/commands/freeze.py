"""``reportgen freeze [RECORDS]``: record the figures of every issued bulletin that has none yet.

The same files the build writes (``records/frozen/<id>.json``), without a build: no fonts,
no PDF, no output folder, so CI can run it on a pull request and commit what it wrote.  An
existing frozen file is never rewritten.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from reportgen.formatting import shown_path
from reportgen.lang import Pair, pick

MESSAGES: dict[str, Pair] = {
    "invalid": (
        "记录有错误，没有记录任何通报的数字。请先改正。",
        "the records have errors; no bulletin's figures were recorded. Fix them first.",
    ),
    "none_new": (
        "已印发的通报都已记录印发时的数字，没有新文件。",
        "every issued bulletin has its figures recorded already; no new file.",
    ),
    "written": ("已记录印发时的数字：{path}", "recorded the figures as issued: {path}"),
    "uncountable": (
        "通报 {bulletin} 的时期超出工作日历覆盖的年份，暂时无法记录它的数字。",
        "bulletin {bulletin}: its period lies beyond the years of the working-day calendar; "
        "its figures cannot be recorded yet.",
    ),
}


def run_freeze(records_dir: Path, lang: str = "zh", out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Freeze; 0 when every issued bulletin now has its figures, 1 when the records have errors."""
    from reportgen.commands.check import print_report
    from reportgen.compute.freeze import freeze_missing, unfrozen_bulletins
    from reportgen.compute.periods import parse_period
    from reportgen.compute.stats import StatsEngine
    from reportgen.publish.pipeline import source_revision
    from reportgen.validate import check_repository

    out, err = out or sys.stdout, err or sys.stderr
    validated = check_repository(records_dir)
    if not validated.report.valid:
        print_report(validated.report, "text", lang, err)
        print(pick(MESSAGES["invalid"], lang), file=err)
        return 1
    records = validated.records
    if not unfrozen_bulletins(records):
        print(pick(MESSAGES["none_new"], lang), file=out)
        return 0
    engine = StatsEngine(records)
    written, uncountable = freeze_missing(
        records, lambda key: engine.stats(parse_period(key)).to_json(), source_revision(records_dir)
    )
    for path in written:
        print(pick(MESSAGES["written"], lang, path=shown_path(path, lang)), file=out)
    for bulletin in uncountable:
        print(pick(MESSAGES["uncountable"], lang, bulletin=bulletin), file=err)
    return 0
