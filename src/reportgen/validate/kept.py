"""The last check's discovery and gathering, kept for a check that finds the same files edited in place.

A speed-up only: ``discover`` and ``gather`` stay the definition.  After an edit that
keeps a file's record whole (same kind, same id, no problem before or after, as a changed
title), the files found, the problems of the files' own checks, the ids known and the
records' order are what they were; so are the records, but for the edited ones.  Then
``regather`` makes what ``gather`` would from the kept positions, without the pass over
every file's result (and discovery is skipped while every folder it read has the facts
it had, ``load.Walked``).  Any other change gathers again (``plain``).
"""

from __future__ import annotations

import os
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from itertools import compress, count
from operator import attrgetter, itemgetter, methodcaller
from pathlib import Path
from typing import Any, NamedTuple

from reportgen import filewalk
from reportgen.load import UNSURE, SourceFile, Walked, directly_in, folder_facts, relisted, root_holds, shown_prefix
from reportgen.model import Records
from reportgen.problems import Problem, Report
from reportgen.schema.kinds import CONFIG
from reportgen.validate import Gathered, filecache, gather
from reportgen.validate.filecache import RETIE, Entry
from reportgen.validate.keptresults import KIND_NAMES, KeptResults, KeptSources
from reportgen.validate.locate import Locator, SourcesOf
from reportgen.validate.record import FileResult


@dataclass(frozen=True)
class Kept:
    """What ``gather`` made of the files a discovery found, by their positions in its order.

    Compact, as every check after an edit reads it (and holds it with everything else):
    positions as arrays of machine integers, each file's kind a byte, and of the ids known
    only those no record in the set carries (the others are its keys).
    """

    folders: tuple[tuple[str, str], ...] | None  # every folder discovery read, with its facts; None: not trusted
    displays: list[str]  # each file's display name, in discovery's order
    kinds: bytes  # each file's kind, as its place in ``KIND_NAMES``
    wheres: dict[int, str | Path]  # where to read the files not read at their display name, by position
    found: list[Problem]  # discovery's own problems
    problems: list[Problem]  # the gathered report's: the files' own, misplaced files, repeated ids
    records_checked: int
    order: dict[str, array[int]]  # by kind: the positions of the records the set holds, in its order
    config: dict[str, Any]
    unheld: dict[str, set[str]]  # by kind: the ids known that no record in the set carries
    incomplete: array[int]  # positions of the records with field errors
    config_file: str | None
    others: array[int]  # positions of the files whose record the set does not hold (``Gathered.others``)


def kept_of(
    gathered: Gathered,
    found: list[Problem],
    walked: Walked | None,
    folders: tuple[tuple[str, str], ...] | None = None,
) -> Kept:
    """What to keep of ``gathered`` (``found``: discovery's problems; ``walked``: the folders it read, else
    ``folders``, those of the discovery kept).
    """
    results, by_kind = gathered.results, gathered.records.by_kind
    position = {r.source.display: i for i, r in enumerate(results)}
    order = {kind: array("I", [position[r.file] for r in by_id.values()]) for kind, by_id in by_kind.items()}
    displays, kinds, wheres = layout(r.source for r in results)
    unheld = {kind: ids - by_kind.get(kind, {}).keys() for kind, ids in gathered.known.items()}
    if walked is not None:
        folders = tuple(walked.folders) if walked.trusted else None
    return Kept(
        folders,
        displays,
        kinds,
        wheres,
        list(found),
        list(gathered.report.problems),
        gathered.report.records_checked,
        order,
        gathered.records.config,
        {kind: ids for kind, ids in unheld.items() if ids},
        array("I", [position[r.file] for r in gathered.incomplete]),
        gathered.config_file,
        array("I", [position[r.source.display] for r in gathered.others]),
    )


def layout(sources: Iterable[SourceFile]) -> tuple[list[str], bytes, dict[int, str | Path]]:
    """The sources as ``Kept`` holds them: display names, kinds, and where to read those not at their display."""
    places = {name: i for i, name in enumerate(KIND_NAMES)}
    chosen = list(sources)
    wheres = {i: s.where for i, s in enumerate(chosen) if s.where is not s.display and s.where != s.display}
    return [s.display for s in chosen], bytes([places[s.kind.name] for s in chosen]), wheres


class Rediscovered(NamedTuple):
    """Discovery's outcome made from what was kept: the files, discovery's problems, and the folders' facts now
    (None: every folder has the facts kept)."""

    sources: KeptSources
    found: list[Problem]
    folders: tuple[tuple[str, str], ...] | None


MOST_RELISTED = 32  # folders read again before discovery runs whole instead


def discovered(kept: Kept, root: Path, started_ns: int) -> Rediscovered | None:
    """Discovery's outcome as kept, when every folder it read has the facts it had or, read again
    (``load.relisted``; the root: ``load.root_holds``), holds the same files and folders as before (else None).

    A folder read again that changed within ``filewalk.RACY_NS`` of ``started_ns`` (the walk's start) keeps
    the facts ``UNSURE``: a second change in the clock's granularity could keep its facts.
    """
    if kept.folders is None:
        return None
    folders, moved = [], []
    for folder, facts in kept.folders:
        try:
            st = os.stat(folder)
        except OSError:
            return None
        if (now := folder_facts(st)) != facts:
            moved.append(folder)
            if max(st.st_mtime_ns, st.st_ctime_ns) >= started_ns - filewalk.RACY_NS:
                now = UNSURE
        folders.append((folder, now))
    if len(moved) > MOST_RELISTED:
        return None
    made = KeptSources(kept.displays, kept.kinds, kept.wheres)  # no file made until asked for
    top = os.fspath(root)  # a tree just copied or cloned: the root is among the last folders written
    problem_files = (p.file for p in kept.found)
    if top in moved and not root_holds(root, kept.config_file is not None, (f for f, _ in kept.folders), problem_files):
        return None
    if not all(_holds_as_kept(kept, made, root, folder) for folder in moved if folder != top):
        return None
    return Rediscovered(made, list(kept.found), tuple(folders) if moved else None)


def _holds_as_kept(kept: Kept, sources: Sequence[SourceFile], root: Path, folder: str) -> bool:
    """Whether ``folder``, read again, holds the record files and the sub-folders discovery found there."""
    found = relisted(root, folder)
    if found is None:  # something to report there: discovery decides
        return False
    files, inner = found
    if inner != [f for f, _ in kept.folders or () if directly_in(f"{folder}/", f)]:
        return False
    if not files:
        return _holds_no_file(kept, root, folder)
    try:
        start = kept.displays.index(files[0].display)
    except ValueError:
        return False
    end = start + len(files)
    if sources[start:end] != files:
        return False
    inside = partial(directly_in, files[0].display.rpartition("/")[0] + "/")
    # a file of the folder before or after the run, or a problem there: gone since
    beside = (sources[i].display for i in (start - 1, end) if 0 <= i < len(sources))
    return not any(map(inside, beside)) and not any(inside(p.file) for p in kept.found)


def _holds_no_file(kept: Kept, root: Path, folder: str) -> bool:
    """Whether discovery found no file directly in ``folder`` either, nor anything to report there, and found files
    below it: a folder of folders, as ``issues/`` of its months (an empty one: discovery decides).

    Discovery lists a folder's files before its sub-folders', so the first file kept below it is not in it.
    """
    here = shown_prefix(root, folder)
    if here is None:
        return False
    first = next(compress(count(), map(methodcaller("startswith", here), kept.displays)), None)
    inside = partial(directly_in, here)
    return first is not None and not inside(kept.displays[first]) and not any(inside(p.file) for p in kept.found)


def plain(before: Entry | None, after: FileResult, named: set[str]) -> bool:
    """Whether a file parsed again leaves gathering as it was: the same record whole, before and after.

    ``named``: the files the kept problems name (an edit may move the line of a repeated id).
    """
    if before is None or before[2] or after.problems or after.source.display in named:
        return False
    old, new = before[1], after.record
    return (
        old is not None
        and new is not None
        and old.kind == new.kind != CONFIG.name
        and old.id == new.id
        and old.file == new.file
    )


def regather(root: Path, kept: Kept, results: Sequence[FileResult]) -> Gathered | None:
    """What ``gather`` makes of ``results``, from ``kept`` (None when they do not fit it)."""
    if len(results) != len(kept.displays):
        return None
    records = Records(root=root, config=kept.config)
    held: list[Any] = results.records() if isinstance(results, KeptResults) else list(map(_RECORD, results))
    try:  # in C, record by record: at 100k, 187,000 records
        for kind, positions in kept.order.items():
            chosen = list(map(held.__getitem__, positions))
            if set(map(_KIND, chosen)) != {kind}:  # a file without a record has no kind: AttributeError
                return None
            records.by_kind[kind] = dict(zip(map(_ID, chosen), chosen, strict=True))
        incomplete = list(map(held.__getitem__, kept.incomplete))
        others = list(map(results.__getitem__, kept.others))
    except (IndexError, TypeError, AttributeError):  # positions that are not this folder's
        return None
    known = {kind: set(by_id) for kind, by_id in records.by_kind.items()}
    for kind, ids in kept.unheld.items():
        known.setdefault(kind, set()).update(ids)
    report = Report(list(kept.problems), files_checked=len(results), records_checked=kept.records_checked)
    by_display: Mapping[str, FileResult]  # by the results' display names (``_same_files``)
    if isinstance(results, KeptResults):
        by_display = results.by_display()
    else:
        by_display = dict(zip(kept.displays, results, strict=True))
    return Gathered(
        root,
        results,
        report,
        records,
        known,
        [r for r in incomplete if r is not None],
        Locator(SourcesOf(by_display)),
        kept.config_file,
        others,
        by_display,
    )


_RECORD = itemgetter(1)  # a FileResult's record
_KIND, _ID = attrgetter("kind"), attrgetter("id")  # a Record's

# the kept gathering; the folders this discovery read (None: those kept); the kept folders' facts now (None: as kept)
Last = tuple[Kept | None, Walked | None, tuple[tuple[str, str], ...] | None]


def load(root: Path, written_ns: int) -> Kept | None:
    """The gathering kept with the per-file results stamped ``written_ns`` (None: none)."""
    found = filecache.load_kept(root, written_ns)
    return found if isinstance(found, Kept) else None


def gather_kept(
    root: Path,
    results: Sequence[FileResult],
    found: list[Problem],
    cached: Mapping[str, Entry],
    parsed: list[FileResult],
    gone: set[str],
    last: Last,
    changed: bool,
) -> tuple[Gathered, Kept | str | None]:
    """``gather(root, results, found)``: from the kept gathering when the files ``parsed`` again (their results)
    leave it as it was (``plain``, against their ``cached`` entries), else made again; and what to keep for the
    next check (None: what is kept holds).

    ``changed``: whether the results are stamped anew (then what is kept is tied to them anew:
    ``RETIE``, when it holds as it was).
    """
    before, walked, refreshed = last
    gathered = None
    if before is not None and not gone and _same_files(before, results, found, walked):
        named = {p.file for p in before.problems}
        if all(plain(cached.get(r.source.display), r, named) for r in parsed):
            gathered = regather(root, before, results)
    if gathered is not None and walked is None:
        if refreshed is not None and before is not None:
            return gathered, replace(before, folders=refreshed)
        return gathered, RETIE if changed else None
    if gathered is None:
        gathered = gather(root, results, found)
    folders = (refreshed or before.folders) if walked is None and before is not None else None
    return gathered, kept_of(gathered, found, walked, folders)


def _same_files(kept: Kept, results: Sequence[FileResult], found: list[Problem], walked: Walked | None) -> bool:
    """Whether ``results`` and discovery's problems ``found`` are those ``kept`` was made from (certain when
    discovery was kept too).
    """
    if walked is None:
        return True
    displays, kinds, wheres = layout(r.source for r in results)
    return found == kept.found and (displays, kinds, wheres) == (kept.displays, kept.kinds, kept.wheres)
