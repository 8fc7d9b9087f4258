"""``reportgen check``: validate the records and print every problem."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from reportgen.compute.freeze import frozen_problems
from reportgen.compute.periods import parse_period
from reportgen.compute.stats import StatsEngine
from reportgen.filewalk import list_tree
from reportgen.model import Records
from reportgen.problems import Problem, Report, Severity
from reportgen.validate import check_repository, filecache

SEVERITY_WORDS = {
    "zh": {Severity.ERROR: "错误", Severity.WARNING: "警告"},
    "en": {Severity.ERROR: "error", Severity.WARNING: "warning"},
}


def run_check(
    records_dir: Path,
    fmt: str = "text",
    strict: bool = False,
    lang: str = "zh",
    out: TextIO | None = None,
) -> int:
    """Validate ``records_dir``; print the problems in ``fmt``; 0 when valid, 1 otherwise.

    ``out`` defaults to the ``sys.stdout`` of the moment of the call (not of the import),
    so redirecting standard output works.
    """
    report = check_report(records_dir)
    print_report(report, fmt, lang, out or sys.stdout)
    return 0 if report.is_valid(strict) else 1


def check_report(records_dir: Path) -> Report:
    """Every problem: validation, plus issued bulletins whose figures the data would change.

    When no input file changed since the last check (a stat walk decides), the last
    report is returned without parsing anything.
    """
    listing = list_tree(os.fspath(records_dir))  # every file under the folder, frozen figures included
    cached = filecache.load_report_only(records_dir).usable_report(filecache.fingerprint(listing))
    if cached is not None:
        return cached
    validated = check_repository(records_dir, listing=listing)
    report = validated.report
    if report.valid:  # issued bulletins whose figures this data would change
        report.extend(frozen_problems(validated.records, _stats_on_demand(validated.records)))
    filecache.save_report(records_dir, listing, report)
    return report


def _stats_on_demand(records: Records) -> Callable[[str], dict[str, Any]]:
    """A period's statistics; the engine is prepared only if some issued bulletin needs it."""
    engines: list[StatsEngine] = []

    def stats_of(key: str) -> dict[str, Any]:
        if not engines:
            engines.append(StatsEngine(records))
        return engines[0].stats(parse_period(key))

    return stats_of


def print_report(report: Report, fmt: str, lang: str, out: TextIO) -> None:
    """Write ``report`` as text, JSON or GitHub annotations."""
    problems = report.sorted()
    if fmt == "json":
        json.dump([p.as_dict(lang) for p in problems], out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "github":
        for p in problems:
            out.write(github_annotation(p, lang) + "\n")
        out.write(summary(report, lang) + "\n")
    else:
        out.write(format_text(problems, lang))
        out.write(summary(report, lang) + "\n")


def format_text(problems: Sequence[Problem], lang: str = "zh") -> str:
    """Problems grouped by file: ``file:line:column: 错误 E203 message`` and an indented hint."""
    lines: list[str] = []
    current = None
    hint_word = "提示" if lang == "zh" else "hint"
    for p in problems:
        if p.file != current:
            if current is not None:
                lines.append("")
            current = p.file
        word = SEVERITY_WORDS[lang][p.severity]
        record = f"[{p.record}] " if p.record else ""
        lines.append(f"{p.file}:{p.line}:{p.column}: {word} {p.code} {record}{p.message(lang)}")
        lines.append(f"    {hint_word}：{p.hint(lang)}" if lang == "zh" else f"    {hint_word}: {p.hint(lang)}")
    return "\n".join(lines) + ("\n\n" if lines else "")


def summary(report: Report, lang: str = "zh") -> str:
    """One line with the counts."""
    errors, warnings = len(report.errors), len(report.warnings)
    if lang == "en":
        return (
            f"checked {report.files_checked} files, {report.records_checked} records: "
            f"{errors} errors, {warnings} warnings"
        )
    verdict = "通过" if errors == 0 else "未通过"
    return (
        f"检查了 {report.files_checked} 个文件、{report.records_checked} 条记录：{errors} 个错误，"
        f"{warnings} 个警告。{verdict}"
    )


def github_annotation(p: Problem, lang: str) -> str:
    """A GitHub Actions workflow command that puts the problem on the changed line."""
    level = "error" if p.severity is Severity.ERROR else "warning"
    message = f"{p.code} {p.message(lang)} — {p.hint(lang)}"
    message = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    file = p.file.replace("%", "%25").replace(",", "%2C").replace(":", "%3A")
    return f"::{level} file={file},line={p.line},col={p.column},title={p.code}::{message}"
