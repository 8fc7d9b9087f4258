"""Stage 2 — validate: parsed files → typed ``Records`` plus a ``Report`` of every problem.

Field rules run per file (``record``), then rules across records (``crossref``,
``lifecycle``).  Nothing raises: every fault in the input becomes a ``Problem``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportgen.filewalk import TreeListing, list_tree
from reportgen.heap import paused_gc
from reportgen.load import LoadedFile, SourceFile, Walked, discover
from reportgen.model import Record, Records
from reportgen.problems import Problem, Report, Severity
from reportgen.schema.kinds import CONFIG, CONFIG_FILE, KINDS_BY_NAME
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
from reportgen.validate.locate import Locator, SourcesOf
from reportgen.validate.markdown import check_bulletin_markdown
from reportgen.validate.parallel import check_files
from reportgen.validate.placement import belongs_elsewhere, misplaced_problem
from reportgen.validate.published import check_published
from reportgen.validate.record import FileResult


@dataclass
class Validated:
    """The outcome of validation: the records (usable only when ``report.valid``) and the report."""

    records: Records
    report: Report


def default_config() -> dict[str, object]:
    """Config values the schema gives defaults for."""
    return {f.name: f.default for f in CONFIG.fields if f.default is not None}


def validate_results(
    root: Path, results: Sequence[FileResult], found: list[Problem], nodes: dict[str, LoadedFile] | None = None
) -> Validated:
    """Rules across records, given every file's own result.

    ``nodes`` are the parsed trees when still in memory; without them the files that
    fail a cross-record rule are parsed again to find the line and column.
    """
    gathered = gather(root, results, found, nodes)
    return finish(gathered, cross_record_problems(gathered))


@dataclass
class Gathered:
    """Every file's own result gathered into records, before the rules across records run."""

    root: Path
    results: Sequence[FileResult]  # every file's, in discovery's order
    report: Report  # the files' own problems, misplaced files, duplicate ids
    records: Records
    known: dict[str, set[str]]  # the ids of every record read, complete or not, by kind
    incomplete: list[Record]  # records with field errors: only their references are checked
    locator: Locator
    config_file: str | None
    others: list[FileResult]  # the files whose record is none of ``records``' (none, incomplete, repeated, config)
    by_display: Mapping[str, FileResult]  # every file's result by its display name (the locator reads its sources)


def has_field_errors(problems: Sequence[Problem]) -> bool:
    """Whether a file's own problems leave its record incomplete: out of the rules that read its fields."""
    return any(p.severity is Severity.ERROR and p.code != "E303" for p in problems)


def gather(
    root: Path, results: Sequence[FileResult], found: list[Problem], nodes: dict[str, LoadedFile] | None = None
) -> Gathered:
    """Records by kind and id from every file's result, with the files' own problems and duplicate ids."""
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
        if problems:
            report.extend(problems)
        if record is None:
            if source.kind.id_field:  # unreadable, but its name says which record it is
                known.setdefault(source.kind.name, set()).add(source.stem)
            continue
        known.setdefault(record.kind, set()).add(record.id)
        if has_field_errors(problems):
            incomplete.append(record)
            continue
        if record.kind == "config":
            records.config = {**records.config, **record.data}
        else:
            groups.setdefault(record.kind, []).append(record)
    if not any(r.source.kind.name == CONFIG.name for r in results):
        report.extend([Problem(f"{root}/{CONFIG_FILE}", 1, 1, "E118", {"file": CONFIG_FILE})])
    by_display = {r.source.display: r for r in results}
    locator = Locator(SourcesOf(by_display), nodes)
    id_problems = check_unique_ids(groups, locator, known)
    report.problems = settle_copies(report.problems, id_problems, [r.source for r in results], known)
    for kind in KINDS_BY_NAME:
        for record in sorted(groups.get(kind, ()), key=lambda r: r.file, reverse=True):
            records.by_kind.setdefault(kind, {})[record.id] = record  # the first file wins a duplicate id
    report.records_checked = sum(len(v) for v in records.by_kind.values())
    config_file = next((r.source.display for r in results if r.source.kind.name == CONFIG.name), None)
    others = [r for r in results if r.record is None or records.of(r.record.kind).get(r.record.id) is not r.record]
    return Gathered(root, results, report, records, known, incomplete, locator, config_file, others, by_display)


def cross_record_problems(gathered: Gathered) -> list[Problem]:
    """Every rule across records, on every record (in file, line and column order)."""
    records, locator = gathered.records, gathered.locator
    problems = [
        *check_references(records, gathered.known, gathered.incomplete, locator),
        *check_record_dates(records, locator),
        *check_lifecycles(records, locator),
        *check_bulletins(records, locator),
        *check_bulletin_markdown(records, locator),
        *check_calendar_files(records, locator),
        *check_calendar_coverage(records, locator),
        *check_after_leaving(records, locator),
        *check_published(records, locator),
        *check_fonts(records, gathered.config_file, locator),
    ]
    return sorted(problems)


def finish(gathered: Gathered, cross: list[Problem]) -> Validated:
    """The validated records and the report: the files' own problems, then ``cross``, then the frozen files'."""
    gathered.report.extend(cross)
    gathered.report.extend(check_frozen_files(gathered.root))
    return Validated(gathered.records, gathered.report)


def check_repository(
    root: Path,
    jobs: int = 0,
    use_cache: bool = True,
    listing: TreeListing | None = None,
    read: dict[str, str] | None = None,
) -> Validated:
    """Load and validate the records under ``root``: the common entry point.

    Files unchanged since the last check come from the cache (``filecache``); the rest
    are parsed by ``jobs`` worker processes (default: one per core) with the garbage
    collector paused while the many small objects of parsing are made.  Rules across
    records run again only where a changed file can matter (``incremental``).  ``listing``, the caller's fast listing of
    ``root`` taken before this call, gives every file's stat facts (without one, it is taken here).
    ``read``: given, it gets the SHA-256 of each file parsed (``check_files``).
    """
    if not use_cache:
        every, found = discover(root)
        with paused_gc():
            return validate_results(root, check_files(every, jobs, read), found)
    if listing is None:
        listing = list_tree(os.fspath(root))  # before anything is read: an edit after it changes a file's facts
    with paused_gc():
        cache = filecache.load_cache(root)
        cache.listed = filecache.load_listed(root, cache.written_ns)
        last = kept.load(root, cache.written_ns)
        walked = Walked(time.time_ns())
        again = kept.discovered(last, root, walked.started_ns) if last is not None else None
        sources: Sequence[SourceFile]
        sources, found = again[:2] if again else discover(root, walked)
        keys = filecache.source_keys(root, sources, listing, cache)
        split = cache.split(sources, keys.keys, keys.moved)
        results = split.results
        parsed = check_files([sources[i] for i in split.misses], jobs, read)
        for i, result in zip(split.misses, parsed, strict=True):
            results[i] = result
        seen = None if again else walked  # the folders read now (None: those kept)
        refreshed = again.folders if again else None
        last_check = (last, seen, refreshed)
        return _check_cached(root, results, found, cache, parsed, split, last_check, keys.listed)  # type: ignore[arg-type]


def first_reads(root: Path) -> None:
    """Read what a check of ``root`` reads first (its cache; the listing, gathering and rules kept with it), as it
    does: under ``readahead.warm`` (the preview, between saves), its next check then finds them decoded.
    """
    with paused_gc():
        cache = filecache.load_cache(root)
        filecache.load_listed(root, cache.written_ns)
        kept.load(root, cache.written_ns)
        if cache.files:
            filecache.load_state(root, cache.written_ns)


def _check_cached(
    root: Path,
    results: Sequence[FileResult],
    found: list[Problem],
    cache: filecache.CheckCache,
    fresh: list[FileResult],
    split: filecache.Split,
    last: kept.Last,
    listed: bytes | None = None,
) -> Validated:
    """The rules across records where the files parsed again (``fresh``: their results) and the deleted ones
    can matter.  ``split``: which files were taken from the cache (``CheckCache.split``).

    The rules' state is kept beside the per-file results (``incremental``); without one,
    every rule runs on every record and the state is made.  ``last``: the last check's
    gathering as kept (``kept``), and the folders this discovery read (None: it was kept too).
    ``listed``: the listing whose lines the results' keys are, kept with them (``filecache.source_keys``).
    """
    parsed = {r.source.display for r in fresh}
    gone, cached = split.gone, split.cached
    changed = parsed | gone
    before = {f: cached[f][1] if f in cached else None for f in changed}
    complete = {f for f in changed if f in cached and cached[f][1] is not None and not has_field_errors(cached[f][2])}
    written = cache.written_ns
    if changed:
        written = filecache.save_changes(root, cache, _entries(fresh, gone, split.keys))
    gathered, keep = kept.gather_kept(root, results, found, cached, fresh, gone, last, written != cache.written_ns)
    state = filecache.load_state(root, cache.written_ns) if cache.files else None
    if isinstance(state, incremental.RuleState):
        cross, new = incremental.check_changed(gathered, state, changed, before, complete)
    else:
        cross, new = incremental.check_all(gathered)
    if keep == filecache.RETIE:
        filecache.retie_kept(root, cache.written_ns, written)
        keep = None
    if new is state and written != cache.written_ns:  # what the rules found holds as it was
        filecache.retie_kept(root, cache.written_ns, written, filecache.RULES)
    if written == cache.written_ns and listed == cache.listed:  # the listing kept holds as it is
        listed = None
    if new is not state or keep is not None or listed is not None:
        filecache.save_state(root, written, new if new is not state else None, len(results), keep, listed)
    return finish(gathered, cross)


def _entries(
    fresh: list[FileResult], gone: set[str], keys: dict[str, filecache.StatKey | None]
) -> dict[str, filecache.Entry | None]:
    """The cache entries of the files parsed again (``fresh``; None: unreadable) and of those ``gone``.

    A file is named by its record's own string where it has one: pickled once, loaded as one.
    """
    entries: dict[str, filecache.Entry | None] = dict.fromkeys(gone)
    for result in fresh:
        file = result.source.display
        key = keys.get(file)
        record = result.record
        entries[record.file if record is not None else file] = (key, record, result.problems) if key else None
    return entries


from reportgen.validate import incremental, kept  # noqa: E402  (they build on the functions above)
