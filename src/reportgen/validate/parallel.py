"""Parse and check many files at once: both cores, and no garbage-collector churn.

Each file's own checks are independent, so they run in forked worker processes in
chunks; workers return records and problems (never node trees: positions for
cross-record problems are found later, and only for failing files).
"""

from __future__ import annotations

import gc
import hashlib
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
Digest = str | None  # the SHA-256 of a file's bytes as the fast path read them (None: not asked for, or not read)


def _outcome(source: SourceFile, hashing: bool = False) -> tuple[Outcome, Digest]:
    """One file's record, problems and references: the fast path's when it vouches for the file, else the exact path's;
    with ``hashing``, the SHA-256 of the bytes the fast path read.

    The references are found here, in the worker, so the parent need not walk every record again.
    """
    data = fastpath.read_plain(source)
    record = fastpath.record_of(data, source) if data is not None else None
    problems: list[Problem] = []
    if record is None:
        record, problems = check_file(load_file(source))
    refs = record_refs(record) if record is not None else None
    return (record, problems, refs), hashlib.sha256(data).hexdigest() if hashing and data is not None else None


def _check_chunk(bounds: tuple[int, int, bool]) -> list[tuple[Outcome, Digest]]:
    gc.disable()  # a forked worker inherits the parent's paused collector, but be explicit
    # only the outcome travels back: the parent has the sources already (no paths to pickle)
    start, end, hashing = bounds
    return [_outcome(s, hashing) for s in _SOURCES[start:end]]


def check_files(sources: list[SourceFile], jobs: int = 0, read: dict[str, str] | None = None) -> list[FileResult]:
    """Every file's own result, in the order given.

    ``read``: given, it gets the SHA-256 of each file the fast path read, by the path it was
    read at: a build's change detection needs every new input's, and a cold build's check
    reads every record anyway (at 100,000 issues, hashing them apart took 1.6 s on both cores).
    """
    hashing = read is not None
    workers = jobs or os.cpu_count() or 1
    if workers <= 1 or len(sources) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        done = [_outcome(s, hashing) for s in sources]
    else:
        _SOURCES[:] = sources
        try:
            bounds = [(i, min(i + CHUNK, len(sources)), hashing) for i in range(0, len(sources), CHUNK)]
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                done = [outcome for chunk in pool.imap(_check_chunk, bounds) for outcome in chunk]
        finally:
            _SOURCES.clear()
    if read is not None:
        read.update((os.fspath(s.where), digest) for s, (_, digest) in zip(sources, done, strict=True) if digest)
    return [FileResult(source, *outcome) for source, (outcome, _) in zip(sources, done, strict=True)]
