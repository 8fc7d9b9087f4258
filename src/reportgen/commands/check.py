"""``reportgen check``: validate the records and print every problem."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from reportgen.compute.freeze import frozen_problems
from reportgen.compute.periods import parse_period
from reportgen.compute.stats import StatsEngine
from reportgen.filewalk import list_tree
from reportgen.formatting import shown_path, terminal_safe
from reportgen.lang import Pair, Said, counted, pick
from reportgen.model import Records
from reportgen.problems import Problem, Report, Severity
from reportgen.schema.kinds import CONFIG_FILE
from reportgen.validate import check_repository, filecache

SEVERITY_WORDS: dict[Severity, Pair] = {Severity.ERROR: ("错误", "error"), Severity.WARNING: ("警告", "warning")}
HINT: Pair = ("    提示：{hint}", "    hint: {hint}")  # the line under each problem
GUIDE_POINTER: Pair = (
    "各错误代码的说明和改法见 docs/guide.md。",
    "What each code means and how to fix it: docs/guide.md.",
)
# The last line of a report: what was checked, and the counts.
SUMMARY: dict[str, Pair] = {
    "all": ("检查了 {files}、{records}", "checked {files}, {records}"),
    "selection": (
        "检查了 {files}（所在的记录目录已全部校验）",
        "checked {files} (their records folder validated in full)",
    ),
    "passed": ("{scope}：{errors}，{warnings}。通过", "{scope}: {errors}, {warnings}"),
    "failed": ("{scope}：{errors}，{warnings}。未通过。{guide}", "{scope}: {errors}, {warnings}. {guide}"),
}
# The counts in the summary, each with its unit.
COUNTS: dict[str, Pair] = {
    "files": ("{n} 个文件", "{n} file{s}"),
    "records": ("{n} 条记录", "{n} record{s}"),
    "errors": ("{n} 个错误", "{n} error{s}"),
    "warnings": ("{n} 个警告", "{n} warning{s}"),
}
PATH_ERRORS: dict[str, Pair] = {
    "missing": (
        "reportgen: 找不到记录目录或文件 {path}（请在办公室仓库的根目录运行，或给出记录目录的路径）",
        "reportgen: no records folder or file {path} (run in the office repository's root, or give the path)",
    ),
    "outside": (
        "reportgen: {path} 不在任何记录目录中（记录目录是放有 config.yaml 的文件夹，如 records/）",
        "reportgen: {path} is in no records folder (a records folder holds config.yaml, e.g. records/)",
    ),
}
# Problems in one file that are about a record of another (by id): a duplicate id, a reference.
CROSS_FILE_CODES = frozenset({"E301", "E302", "E304"})
REFERENCE_CODES = frozenset({"E302", "E304"})
# Problems any change of the data can cause, wherever they are located: an issued bulletin's figures.
DATA_WIDE_CODES = frozenset({"W606"})


@dataclass(frozen=True)
class Target:
    """One records folder to validate, and which of its files to report (None: all of them)."""

    root: Path  # spelt as the problems name it: from the path as given
    files: frozenset[str] | None  # display paths of the given files, and of the files in given sub-folders


class TargetError(Said):
    """A path on the command line that names no records folder or file in one."""

    def __init__(self, key: str, path: Path) -> None:
        super().__init__(PATH_ERRORS[key], path=shown_path(path))
        self.key, self.path = key, path


def run_check(
    paths: Sequence[Path], fmt: str = "text", strict: bool = False, lang: str = "zh", out: TextIO | None = None
) -> int:
    """Check records folders, or files in them (as pre-commit and editors pass them); print the problems in ``fmt``.

    0 when valid, 1 otherwise, 2 for a path that is neither.  ``out`` defaults to the
    ``sys.stdout`` of the moment of the call (not of the import), so redirecting it works.
    """
    try:
        targets = find_targets(paths)
    except TargetError as exc:
        print(exc.text(lang), file=sys.stderr)
        return 2
    reports = [check_report(t.root) if t.files is None else selected_report(t.root, t.files) for t in targets]
    selection = any(t.files is not None for t in targets)
    report = reports[0] if len(reports) == 1 else _merged(reports, selection)
    print_report(report, fmt, lang, out or sys.stdout, selection)
    return 0 if report.is_valid(strict) else 1


def find_targets(paths: Iterable[Path]) -> list[Target]:
    """The records folder of each path, with the given files of each folder gathered."""
    whole: dict[Path, None] = {}
    picked: dict[Path, set[str]] = {}
    for path in paths:
        if not path.exists():
            raise TargetError("missing", path)
        root = records_root(path)
        if root is None:
            if not path.is_dir():
                raise TargetError("outside", path)
            root = path  # a folder without config.yaml is checked as a records folder (which lacks its config)
        if path.is_dir() and os.path.samefile(path, root):
            whole[root] = None
        else:
            picked.setdefault(root, set()).update(_displays(root, path))
    targets = [Target(root, None) for root in whole]
    targets += [Target(root, frozenset(files)) for root, files in picked.items() if root not in whole]
    return targets


def records_root(path: Path) -> Path | None:
    """The nearest folder holding config.yaml: ``path`` itself or a folder above it, spelt from ``path``."""
    for folder in _folders_upward(path):
        if (folder / CONFIG_FILE).is_file():
            return folder
    return None


def _folders_upward(path: Path) -> Iterator[Path]:
    if path.is_dir():
        yield path
    yield from path.parents
    if not path.is_absolute():  # past the working folder: ../, ../../, …
        above = Path("..")
        for _ in Path.cwd().parents:
            yield above
            above /= ".."


def _displays(root: Path, path: Path) -> list[str]:
    """How problems name ``path`` (a file) or every file under it (a folder), as ``load.discover`` does."""
    files = [path] if not path.is_dir() else [Path(d, name) for d, _, names in os.walk(path) for name in names]
    shown = str(root)
    rels = (Path(os.path.relpath(f, root)).as_posix() for f in files)
    return [rel if shown in ("", ".") else f"{shown.rstrip('/')}/{rel}" for rel in rels]


def selected_report(root: Path, files: frozenset[str]) -> Report:
    """The problems of ``files`` (display paths) after validating the whole of ``root``, and the related ones.

    Related: problems elsewhere about a record of these files (a reference to it, its id
    used twice), problems of the records their failing references name, and an issued
    bulletin whose figures the data would change.
    """
    report = check_report(root)
    ids = {_stem(f) for f in files}
    mine = [p for p in report.problems if p.file in files]
    named = {str(p.params.get("value")) for p in mine if p.code in REFERENCE_CODES}
    related = [
        p
        for p in report.problems
        if p.file not in files
        and (_stem(p.file) in named or p.code in DATA_WIDE_CODES or (p.code in CROSS_FILE_CODES and _mentions(p, ids)))
    ]
    return Report(mine + related, files_checked=len(files))


def _stem(display: str) -> str:
    return display.rsplit("/", 1)[-1].split(".", 1)[0]


def _mentions(problem: Problem, ids: set[str]) -> bool:
    return any(str(problem.params.get(key)) in ids for key in ("value", "id"))


def _merged(reports: Sequence[Report], selection: bool) -> Report:
    merged = Report(files_checked=sum(r.files_checked for r in reports))
    merged.records_checked = 0 if selection else sum(r.records_checked for r in reports)
    for r in reports:
        merged.extend(r.problems)
    return merged


def check_report(records_dir: Path) -> Report:
    """Every problem: validation, plus issued bulletins whose figures the data would change.

    When no input file and no configured font changed since the last check (a stat walk
    decides), the last report is returned without parsing anything.
    """
    listing = list_tree(os.fspath(records_dir))  # every file under the folder, frozen figures included
    fonts = filecache.font_stamps(records_dir)  # the configured font files, wherever they are
    cached = filecache.load_report_only(records_dir).usable_report(filecache.fingerprint(listing, fonts))
    if cached is not None:
        return cached
    validated = check_repository(records_dir, listing=listing)
    report = validated.report
    if report.valid:  # issued bulletins whose figures this data would change
        report.extend(frozen_problems(validated.records, _stats_on_demand(validated.records)))
    filecache.save_report(records_dir, listing, fonts, report)
    return report


def _stats_on_demand(records: Records) -> Callable[[str], dict[str, Any]]:
    """A period's statistics; the engine is prepared only if some issued bulletin needs it."""
    engines: list[StatsEngine] = []

    def stats_of(key: str) -> dict[str, Any]:
        if not engines:
            engines.append(StatsEngine(records))
        return engines[0].stats(parse_period(key)).to_json()

    return stats_of


def print_report(report: Report, fmt: str, lang: str, out: TextIO, selection: bool = False) -> None:
    """Write ``report`` as text, JSON or GitHub annotations.

    ``selection``: the report holds the problems of some files of a records folder only.
    """
    problems = report.sorted()
    if fmt == "json":
        json.dump([p.as_dict(lang) for p in problems], out, ensure_ascii=False, indent=2)
        out.write("\n")
        return
    if fmt == "github":
        out.writelines(github_annotation(p, lang) + "\n" for p in problems)
    else:
        out.write(format_text(problems, lang))
    out.write(summary(report, lang, selection) + "\n")


def format_text(problems: Sequence[Problem], lang: str = "zh") -> str:
    """Problems grouped by file: ``file:line:column: 错误 E203 message`` and an indented hint."""
    lines: list[str] = []
    current = None
    for p in problems:
        if p.file != current:
            if current is not None:
                lines.append("")
            current = p.file
        word = pick(SEVERITY_WORDS[p.severity], lang)
        record = f"[{p.record}] " if p.record else ""
        lines.append(f"{p.file}:{p.line}:{p.column}: {word} {p.code} {record}{p.message(lang)}")
        lines.append(pick(HINT, lang, hint=p.hint(lang)))
    return "\n".join(terminal_safe(line) for line in lines) + ("\n\n" if lines else "")


def summary(report: Report, lang: str = "zh", selection: bool = False) -> str:
    """One line with the counts; after an error, where the codes are explained.

    ``selection``: only some files of the records folder were reported (the records are not counted).
    """
    numbers = {
        "files": report.files_checked,
        "records": report.records_checked,
        "errors": len(report.errors),
        "warnings": len(report.warnings),
    }
    said = {key: counted(COUNTS[key], n) for key, n in numbers.items()}
    scope = pick(SUMMARY["selection" if selection else "all"], lang, **said)
    counts = {"scope": scope, "errors": said["errors"], "warnings": said["warnings"]}
    if report.errors:
        return pick(SUMMARY["failed"], lang, guide=pick(GUIDE_POINTER, lang), **counts)
    return pick(SUMMARY["passed"], lang, **counts)


def github_annotation(p: Problem, lang: str) -> str:
    """A GitHub Actions workflow command that puts the problem on the changed line.

    Escaped as GitHub's toolkit does (``escapeData``/``escapeProperty``): ``%``, CR and LF in
    the message; those and ``:`` and ``,`` in properties, so a ``::`` or a ``,`` in a file
    name cannot end the property list early and no value can start a second command on a
    new line.  Other control and bidi characters are shown as escapes, as in the text output.
    """
    level = "error" if p.severity is Severity.ERROR else "warning"
    message = github_data(f"{p.code} {p.message(lang)} — {p.hint(lang)}")
    return (
        f"::{level} file={github_property(p.file)},line={p.line},col={p.column},"
        f"title={github_property(p.code)}::{message}"
    )


def github_data(text: str) -> str:
    """The message of a workflow command, escaped."""
    return terminal_safe(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def github_property(text: str) -> str:
    """A property value of a workflow command, escaped."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")
