"""Stage 2 — validate: parsed files → typed ``Records`` plus a ``Report`` of every problem.

Field rules run per file (``record``), then rules across records (``crossref``,
``lifecycle``).  Nothing raises: every fault in the input becomes a ``Problem``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportgen.filewalk import TreeListing
from reportgen.load import CONFIG_FILE, Loaded, LoadedFile, discover
from reportgen.model import Record, Records
from reportgen.problems import Problem, Report, Severity
from reportgen.schema.kinds import CONFIG, KINDS_BY_NAME
from reportgen.validate import filecache
from reportgen.validate.bulletins import check_bulletins
from reportgen.validate.calendars import check_calendar_coverage, check_calendar_files
from reportgen.validate.crossref import (
    check_after_leaving,
    check_record_dates,
    check_references,
    check_unique_ids,
    settle_copies,
)
from reportgen.validate.fonts import check_fonts
from reportgen.validate.frozen import check_frozen_files
from reportgen.validate.lifecycle import check_lifecycles
from reportgen.validate.locate import Locator
from reportgen.validate.markdown import check_bulletin_markdown
from reportgen.validate.parallel import check_files, paused_gc
from reportgen.validate.placement import belongs_elsewhere, misplaced_problem
from reportgen.validate.published import check_published
from reportgen.validate.record import FileResult, check_file


@dataclass
class Validated:
    """The outcome of validation: the records (usable only when ``report.valid``) and the report."""

    records: Records
    report: Report


def default_config() -> dict[str, object]:
    """Config values the schema gives defaults for."""
    return {f.name: f.default for f in CONFIG.fields if f.default is not None}


def validate(loaded: Loaded) -> Validated:
    """Check every file and every rule across files; gather all problems."""
    results = [FileResult(f.source, *check_file(f)) for f in loaded.files]
    nodes = {f.source.display: f for f in loaded.files}
    return validate_results(loaded.root, results, loaded.problems, nodes)


def validate_results(
    root: Path, results: list[FileResult], found: list[Problem], nodes: dict[str, LoadedFile] | None = None
) -> Validated:
    """Rules across records, given every file's own result.

    ``nodes`` are the parsed trees when still in memory; without them the files that
    fail a cross-record rule are parsed again to find the line and column.
    """
    report = Report(files_checked=len(results))
    report.extend(found)
    records = Records(root=root, config=default_config())
    groups: dict[str, list[Record]] = {}
    # Records with field errors, and files that could not be read at all (by their file
    # name), still count as existing (no cascade of dangling-reference errors), but only
    # complete records take part in the rules that read their fields.
    known: dict[str, set[str]] = {}
    incomplete: list[Record] = []
    for result in results:
        record, problems, source = result.record, result.problems, result.source
        if (belongs := belongs_elsewhere(source)) is not None:  # one E305, not its fields against the wrong kind
            report.extend([misplaced_problem(source, belongs)])
            known.setdefault(belongs.name, set()).add(source.stem)
            continue
        report.extend(problems)
        if record is None:
            if source.kind.id_field:  # unreadable, but its name says which record it is
                known.setdefault(source.kind.name, set()).add(source.stem)
            continue
        known.setdefault(record.kind, set()).add(record.id)
        if any(p.severity is Severity.ERROR and p.code != "E303" for p in problems):
            incomplete.append(record)
            continue
        if record.kind == "config":
            records.config = {**records.config, **record.data}
        else:
            groups.setdefault(record.kind, []).append(record)
    if not any(r.source.kind.name == CONFIG.name for r in results):
        report.extend([Problem(f"{root}/{CONFIG_FILE}", 1, 1, "E109", {"detail": "找不到 config.yaml"})])
    locator = Locator({r.source.display: r.source for r in results}, nodes)
    id_problems = check_unique_ids(groups, locator, known)
    report.problems = settle_copies(report.problems, id_problems, [r.source for r in results], known)
    for kind in KINDS_BY_NAME:
        for record in sorted(groups.get(kind, ()), key=lambda r: r.file, reverse=True):
            records.by_kind.setdefault(kind, {})[record.id] = record  # the first file wins a duplicate id
    report.records_checked = sum(len(v) for v in records.by_kind.values())
    report.extend(check_references(records, known, incomplete, locator))
    report.extend(check_record_dates(records, locator))
    report.extend(check_lifecycles(records, locator))
    report.extend(check_bulletins(records, locator))
    report.extend(check_bulletin_markdown(records, locator))
    report.extend(check_calendar_files(records, locator))
    report.extend(check_calendar_coverage(records, locator))
    report.extend(check_after_leaving(records, locator))
    report.extend(check_published(records, locator))
    config_file = next((r.source.display for r in results if r.source.kind.name == CONFIG.name), None)
    report.extend(check_fonts(records, config_file, locator))
    report.extend(check_frozen_files(root))
    return Validated(records, report)


def check_repository(
    root: Path, jobs: int = 0, use_cache: bool = True, listing: TreeListing | None = None
) -> Validated:
    """Load and validate the records under ``root``: the common entry point.

    Files unchanged since the last check come from the cache (``filecache``); the rest
    are parsed by ``jobs`` worker processes (default: one per core) with the garbage
    collector paused while the many small objects of parsing are made.  Rules across
    records always run on the full set.  ``listing``, the caller's fast listing of
    ``root`` taken before this call, saves a stat of every file.
    """
    sources, found = discover(root)
    with paused_gc():
        cache = filecache.load_cache(root) if use_cache else None
        keys = filecache.stat_keys(root, sources, listing) if use_cache else {}
        cached = [cache.fresh(s, keys[s.display]) if cache else None for s in sources]
        todo = [s for s, hit in zip(sources, cached, strict=True) if hit is None]
        parsed = iter(check_files(todo, jobs))
        results = [hit if hit is not None else next(parsed) for hit in cached]
        if use_cache and todo:
            filecache.save_files(root, results, keys)
        return validate_results(root, results, found)
