"""Parse and check many files at once: both cores, and no garbage-collector churn.

Each file's own checks are independent, so they run in forked worker processes in
chunks; workers return records and problems (never node trees: positions for
cross-record problems are found later, and only for failing files).
"""

from __future__ import annotations

import gc
import multiprocessing
import os

from reportgen.load import SourceFile, fastpath, load_file  # fastpath as a module: it imports validate in turn
from reportgen.model import Record
from reportgen.problems import Problem
from reportgen.validate.crossref import Refs, record_refs
from reportgen.validate.record import FileResult, check_file

PARALLEL_FROM = 3000  # below this many files a pool costs more than it saves
CHUNK = 500

_SOURCES: list[SourceFile] = []


Outcome = tuple[Record | None, list[Problem], Refs | None]


def _outcome(source: SourceFile) -> Outcome:
    """One file's record, problems and references: the fast path's when it vouches for the file, else the exact path's.

    The references are found here, in the worker, so the parent need not walk every record again.
    """
    record = fastpath.fast_record(source)
    problems: list[Problem] = []
    if record is None:
        record, problems = check_file(load_file(source))
    return record, problems, record_refs(record) if record is not None else None


def _check_one(source: SourceFile) -> FileResult:
    return FileResult(source, *_outcome(source))


def _check_chunk(bounds: tuple[int, int]) -> list[Outcome]:
    gc.disable()  # a forked worker inherits the parent's paused collector, but be explicit
    # only the outcome travels back: the parent has the sources already (no paths to pickle)
    return [_outcome(s) for s in _SOURCES[bounds[0] : bounds[1]]]


def check_files(sources: list[SourceFile], jobs: int = 0) -> list[FileResult]:
    """Every file's own result, in the order given."""

    workers = jobs or os.cpu_count() or 1
    if workers <= 1 or len(sources) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return [_check_one(s) for s in sources]
    _SOURCES[:] = sources
    try:
        bounds = [(i, min(i + CHUNK, len(sources))) for i in range(0, len(sources), CHUNK)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            outcomes = [outcome for chunk in pool.imap(_check_chunk, bounds) for outcome in chunk]
        return [FileResult(source, *outcome) for source, outcome in zip(sources, outcomes, strict=True)]
    finally:
        _SOURCES.clear()
