"""What changed since the last build, decided from a stat walk and content hashes.

The build cache lives beside the output (``.output.cache/state.json``), never inside it.
A no-op build reads none of it: one fast listing of the input folders, hashed with the
options and the code version, is compared with the hash saved by the last build
(``.output.cache/fingerprint``); only when they differ is the state loaded and compared.
For every input file it keeps size, mtime, ctime and inode (as git's index does: ctime
cannot be set back, so an edit that restores the old mtime is still seen), SHA-256 and the earliest date the record
speaks of: a change to a record can only alter bulletins of periods ending on or
after that date.  Master data (config, calendar, departments, staff, teams), templates
and the code itself affect everything.

The day the build runs (``--as-of``) matters only to periods not ended by it: every period
is cut at the day, and the last period any record reaches ends on the *horizon* (the end
of the year of the latest date a record carries).  The build's output is a function of
min(day, horizon), so that, not the day, is in the fingerprint; a later day re-renders
only the bulletins of periods ending on or after the earlier of the two days.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple

from reportgen.cms import editor_folder
from reportgen.codeversion import code_version
from reportgen.filewalk import TreeListing, list_tree, stamp_of
from reportgen.model import Record, Records

STATE_VERSION = 5
EVERYTHING = ""  # the "earliest date" of a file that affects every period
_MASTER_KINDS = frozenset({"config", "calendar", "department", "staff", "team"})


class FileState(NamedTuple):
    """What the cache knows about one input file (a tuple: one per input file, made in bulk from the saved state)."""

    stamp: str  # "size mtime ctime inode" as the fast listing writes them (``filewalk.stamp_of``)
    sha256: str
    earliest: str | None  # ISO date, EVERYTHING, or None for a bulletin text (its own period only)
    latest: str | None = None  # the latest date it carries (ISO), None when it has none that moves the horizon
    shown: str | None = None  # its record's latest date as the bulletins count it (ISO, ``record_latest_date``)


_file_state = functools.partial(tuple.__new__, FileState)  # FileState from a tuple of its values, made in C


@dataclass
class Changes:
    """The difference between the inputs now and at the last successful build."""

    files: dict[str, FileState]  # the current state of every input file
    changed: set[str] = field(default_factory=set)  # added, removed or modified (relative paths)
    everything: bool = False  # options, code, templates or master data changed
    since: dt.date | None = None  # the build's day moved: periods ending on or after this day are cut anew

    @property
    def none(self) -> bool:
        """Nothing at all changed."""
        return not self.changed and not self.everything and self.since is None


STATE_FILE = "state.json"  # the last successful build's inputs, in the cache folder


def cache_folder(out: Path) -> Path:
    """Where the build cache of ``out`` lives: beside it, never published."""
    return out.with_name(f".{out.name}.cache")


def state_file(out: Path) -> Path:
    """The last successful build's state (``save_state``)."""
    return cache_folder(out) / STATE_FILE


@dataclass(frozen=True)
class InputListing:
    """The fast listings of the records folder and the office's templates, with the build options."""

    folders: tuple[tuple[str, Path, TreeListing], ...]  # (key prefix, folder, its listing)
    options: str
    today: dt.date | None = None  # the build's day (``--as-of``); None: the day is not part of the fingerprint

    @property
    def listings(self) -> tuple[TreeListing, ...]:
        """The listings alone."""
        return tuple(listing for _, _, listing in self.folders)

    def fingerprint(self, horizon: dt.date | None = None) -> str:
        """One hash of every input file's stat facts, the options, the code version and the day as it matters.

        The day counts only up to ``horizon``, the last build's (see the module's docstring).
        """
        day = seen_day(self.today, horizon)
        digest = hashlib.sha256(f"{code_version()}\0{self.options}\0{day}\0".encode())
        for listing in self.listings:
            digest.update(f"{listing.digest()}\0".encode())
        return digest.hexdigest()

    def racy(self) -> bool:
        """Whether some input changed too shortly before the walk to trust the fingerprint."""
        return any(listing.racy() for listing in self.listings)


def seen_day(today: dt.date | None, horizon: dt.date | None) -> str:
    """The day as the output sees it: ``today`` up to ``horizon`` ("" without a day)."""
    if today is None:
        return ""
    return min(today, horizon).isoformat() if horizon is not None else today.isoformat()


def list_inputs(
    records_dir: Path, templates_dir: Path | None, options: str, today: dt.date | None = None
) -> InputListing:
    """The fast listing of every input (see ``filewalk``)."""
    folders = [("records", records_dir), *([("templates", templates_dir)] if templates_dir is not None else [])]
    folders.append(("admin", editor_folder(records_dir)))  # the web editor the site carries (cms/deploy.py)
    listed = tuple((prefix, path, list_tree(os.fspath(path))) for prefix, path in folders)
    return InputListing(listed, options, today)


def unchanged_since_last_build(out: Path, inputs: InputListing) -> bool:
    """True when the inputs are exactly those of the last successful build (no state is loaded)."""
    try:
        horizon, saved = (cache_folder(out) / "fingerprint").read_text("ascii").split("\n")
        return saved == inputs.fingerprint(dt.date.fromisoformat(horizon))
    except (OSError, ValueError):
        return False


def save_fingerprint(out: Path, inputs: InputListing, state: dict[str, Any] | None = None) -> None:
    """Remember the inputs of a successful build, unless a file changed just before the walk.

    A racy listing is never saved: a second edit within the clock's granularity could
    keep its line, and the next build would wrongly do nothing.  The horizon is the one
    ``state`` holds (default: the saved state's).
    """
    state = load_state(out) if state is None else state
    horizon = state.get("horizon")
    if inputs.racy() or not isinstance(horizon, str):
        _remove(cache_folder(out) / "fingerprint")
        return
    _save(out, "fingerprint", [f"{horizon}\n{inputs.fingerprint(dt.date.fromisoformat(horizon))}"])


def _save(out: Path, name: str, parts: Iterable[str]) -> None:
    """Replace the cache file ``name`` at once with the text ``parts`` make, clearing what a hand put in its way.

    That is a file where the cache folder belongs, or a folder where a cache file does.
    """
    folder = cache_folder(out)
    if os.path.lexists(folder) and not folder.is_dir():
        folder.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    target, tmp = folder / name, folder / f"{name}.tmp"
    for path in (target, tmp):
        if path.is_dir() and not path.is_symlink():
            _remove(path)
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.writelines(parts)
    tmp.replace(target)


def _remove(path: Path) -> None:
    """Remove a cache file, or a folder someone put in its place; nothing there is fine."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
        return
    with contextlib.suppress(FileNotFoundError, NotADirectoryError):
        path.unlink()


def input_key(records_dir: Path, path: Path) -> str:
    """The cache key of a file inside the records folder."""
    return f"records/{path.relative_to(records_dir).as_posix()}"


def file_state(path: Path) -> FileState:
    """A file's state as the cache records it (a file the build itself wrote)."""
    return FileState(stamp_of(os.stat(path)), hashlib.sha256(path.read_bytes()).hexdigest(), None)


def load_state(out: Path) -> dict[str, Any]:
    """The last successful build's state, or an empty one (also when it was edited into another shape).

    Its files are a ``SavedFiles`` (``state["files"]``), the rest as ``save_state`` returned it.
    """
    try:
        state = json.loads(state_file(out).read_text("utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    if not _head_ok(state):
        return {}
    files = SavedFiles.parsed(state)
    if files is None:
        return {}
    return {**{key: state[key] for key in STATE_HEAD}, "files": files}


STATE_HEAD = ("version", "options", "code", "day", "horizon")  # the state's own values, before its files
TEXT_COLUMNS = ("keys", "stamps", "sha256")  # the files' keys and values, each one text (a NUL between files)
DATE_COLUMNS = ("earliest", "latest", "shown")  # the files' dates, as places in the state's list of dates


def _head_ok(state: Any) -> bool:
    """Whether ``state`` has the head ``save_state`` writes, in the current version."""
    return (
        isinstance(state, dict)
        and state.get("version") == STATE_VERSION
        and isinstance(state.get("options"), str)
        and isinstance(state.get("code"), str)
        and _iso_or_none(state.get("day"))
        and _iso_or_none(state.get("horizon"))
    )


class SavedFiles:
    """The last build's file states as saved: a column per value, in the build's order of its files.

    Made into ``FileState`` tuples in bulk (``states``); the saved ``[stamp, sha256,
    earliest, latest, shown]`` of a few files by their keys (``only``).  The files share a few hundred dates:
    each is one text, shared by every file that carries it.
    """

    def __init__(self, columns: tuple[list[str], ...]) -> None:
        self.columns = columns  # keys, stamps, SHA-256s, then the dates: earliest, latest, shown (str | None)

    @classmethod
    def parsed(cls, state: dict[str, Any]) -> SavedFiles | None:
        """The files of a state as ``_state_text`` wrote them; None when they have another shape."""
        texts: list[Any] = [state.get(name) for name in TEXT_COLUMNS]
        dates: Any = state.get("dates")
        positions: list[Any] = [state.get(name) for name in DATE_COLUMNS]
        if not (all(type(text) is str for text in texts) and type(dates) is list and dates[:1] == [None]):
            return None
        if not all(d == EVERYTHING or (d is not None and _iso_or_none(d)) for d in dates[1:]):
            return None
        keys: list[str] = texts[0].split("\0") if texts[0] else []  # no file is named "", one's SHA-256 may be
        stamps, shas = (text.split("\0") if keys else [] for text in texts[1:])
        if len(stamps) != len(keys) or len(shas) != len(keys):
            return None
        if not all(type(p) is list and len(p) == len(keys) and _positions_ok(p, len(dates)) for p in positions):
            return None
        return cls((keys, stamps, shas, *(list(map(dates.__getitem__, p)) for p in positions)))

    def states(self) -> dict[str, FileState]:
        """Every file's state, by key, in the saved order."""
        keys, *values = self.columns
        return dict(zip(keys, map(_file_state, zip(*values, strict=True)), strict=True))

    def only(self, wanted: set[str]) -> dict[str, list[Any]]:
        """The saved ``[stamp, sha256, earliest, latest, shown]`` of the files ``wanted``, by key (one pass)."""
        keys, *values = self.columns
        return {key: [column[i] for column in values] for i, key in enumerate(keys) if key in wanted}


def _positions_ok(positions: list[Any], count: int) -> bool:
    """Whether ``positions`` are each a place in a list of ``count`` dates."""
    return not positions or (set(map(type, positions)) == {int} and min(positions) >= 0 and max(positions) < count)


def _iso_or_none(value: Any) -> bool:
    """Whether ``value`` is None or a date in ISO form."""
    if value is None:
        return True
    try:
        return isinstance(value, str) and bool(dt.date.fromisoformat(value))
    except ValueError:
        return False


def detect_changes(inputs: InputListing, state: dict[str, Any]) -> Changes:
    """Compare the inputs with the saved state; hash only files whose stat facts moved.

    Every file's state starts as the saved one (made in bulk, in the saved order, so each
    build lists the files as the last did); a file whose listed facts differ is hashed and
    its state replaced, a new one added after the others, one no longer listed removed.
    """
    from reportgen.validate.parallel import paused_gc

    saved = state.get("files")
    with paused_gc():  # a tuple per input file, none of them garbage
        current = saved.states() if isinstance(saved, SavedFiles) else {}
    changes = Changes(current)
    listed = 0
    for prefix, folder, listing in inputs.folders:  # a key made per file, its path only for a file hashed
        head, base = f"{prefix}/", os.fspath(folder)
        stamps = listing.stamps()
        listed += len(stamps)
        for rel, stamp in stamps.items():
            before = current.get(key := head + rel)
            if before is not None and before.stamp == stamp:
                continue
            try:
                sha = _sha256(f"{base}/{rel}")
            except OSError:  # a dangling link: validation reports it; remember that it is there
                sha = ""
            current[key] = FileState(stamp, sha, *(before[2:] if before else (None, None)))
            if not before or before.sha256 != sha:
                changes.changed.add(key)
    if len(current) > listed:  # some saved file is no longer listed
        keys = {f"{prefix}/{rel}" for prefix, _, listing in inputs.folders for rel in listing.stamps()}
        for key in current.keys() - keys:
            del current[key]
            changes.changed.add(key)
    if state.get("options") != inputs.options or state.get("code") != code_version():
        changes.everything = True
    changes.since = _day_moved(inputs.today, state)
    return changes


def _sha256(path: str) -> str:
    """The SHA-256 of a file's bytes, read with plain system calls.

    A cold build hashes every input (187,459 files at 100,000 issues): ``open`` adds a
    buffer, a stat and a terminal check to each: 1.7× the CPU of this (measured on those files).
    """
    fd = os.open(path, os.O_RDONLY)
    try:
        digest = hashlib.sha256()
        while chunk := os.read(fd, 1 << 16):
            digest.update(chunk)
    finally:
        os.close(fd)
    return digest.hexdigest()


def _day_moved(today: dt.date | None, state: dict[str, Any]) -> dt.date | None:
    """The earliest period end the move from the last build's day to ``today`` can alter (None: none).

    A period's cut is min(its end, day), and no period ends after the last horizon; so if
    min(today, last horizon) is the last build's day, no period still in the records is cut
    otherwise, whatever else changed (periods new to the output are built anyway).
    """
    if today is None:
        return None
    day, horizon = state.get("day"), state.get("horizon")
    if day is None or horizon is None:
        return dt.date.min
    if seen_day(today, dt.date.fromisoformat(horizon)) == day:
        return None
    return min(dt.date.fromisoformat(day), today)


def earliest_date(record: Record) -> str | None:
    """The earliest date a record speaks of (EVERYTHING for master data, None for bulletin texts)."""
    return _date_span(record)[0]


def _date_span(record: Record) -> tuple[str | None, str | None]:
    """The earliest date a record speaks of (as ``earliest_date``) and the latest that can move the horizon.

    Master data and bulletin texts do not move it (a calendar covers whole years ahead).
    """
    if record.kind in _MASTER_KINDS:
        return EVERYTHING, None
    if record.kind == "bulletin":
        return None, None
    low, high = _date_bounds(record.data)
    return (_iso(low), _iso(high)) if low and high else (EVERYTHING, None)


@functools.lru_cache(maxsize=4096)
def _iso(day: dt.date) -> str:
    """``day`` in ISO form, one text per date for every file that carries it (~20 MB at 100,000 issues)."""
    return day.isoformat()


def _date_bounds(data: dict[str, Any]) -> tuple[dt.date | None, dt.date | None]:
    """The earliest and the latest date anywhere in a record's values (one loop, no generator per level)."""
    low = high = None
    pending: list[Any] = [data]
    while pending:
        node = pending.pop()
        for value in node.values() if isinstance(node, dict) else node:
            if isinstance(value, dt.date):
                if low is None or value < low:
                    low = value
                if high is None or value > high:
                    high = value
            elif isinstance(value, dict | list):
                pending.append(value)
    return low, high


def affected_from(changes: Changes, state: dict[str, Any]) -> tuple[dt.date | None, set[str]]:
    """The earliest period end a change can alter (None: no record changed), and changed bulletin texts.

    Both the old and the new earliest date of a changed file count (the new one once
    ``with_earliest`` has dated ``changes.files``), so moving a record from September to
    October re-renders September too, and from October to September as well; so does a
    move of the build's day.
    """
    old: dict[str, list[Any]] = state.get("files", {})
    earliest: dt.date | None = changes.since
    texts: set[str] = set()
    for key in changes.changed:
        if not key.startswith("records/"):
            return dt.date.min, texts  # a user template changed: everything
        candidates = [old.get(key, [None] * 4)[2]]
        if key in changes.files:
            candidates.append(changes.files[key].earliest)
        if key.endswith(".md") or key.startswith("records/frozen/"):
            texts.add(Path(key).name.rsplit(".", 1)[0])  # a bulletin text or its frozen figures
            continue
        for value in candidates:
            if value == EVERYTHING or (value is None and key.endswith(".yaml")):
                return dt.date.min, texts
            day = dt.date.fromisoformat(value) if value else None
            if day and (earliest is None or day < earliest):
                earliest = day
    return earliest, texts


def with_earliest(changes: Changes, records: Records, root_key: str = "records/") -> dict[str, FileState]:
    """The current file states with each record's earliest (and latest, and shown) date filled in.

    Only the files that changed are looked at (every file when everything changed): the
    others keep the dates the last state saved, which their unchanged bytes still give.
    The latest of the shown dates is ``latest_record_date(records)``: it is given to it
    (no walk of every record).
    """
    from reportgen.render.bulletins import known_latest_record_date
    from reportgen.validate.parallel import paused_gc

    wanted = None if changes.everything else {key for key in changes.changed if key in changes.files}
    with paused_gc():  # ~190,000 small objects at 100k, none of them garbage
        by_file = _spans(records, root_key, wanted)
        start = records.config.get("campaign_start")  # the periods begin there, whatever the records say
        by_file[root_key + "config.yaml"] = (
            EVERYTHING,
            start.isoformat() if isinstance(start, dt.date) else None,
            None,
        )
        result = dict(changes.files) if wanted is not None else {}
        for key in changes.files if wanted is None else [*wanted, root_key + "config.yaml"]:
            st = changes.files.get(key)
            if st is None:
                continue
            dates = by_file.get(key, (st.earliest if key.startswith(root_key) else EVERYTHING, None, None))
            result[key] = FileState(st.stamp, st.sha256, *dates)
    shown = max((st.shown for st in result.values() if st.shown), default=None)
    known_latest_record_date(records, dt.date.fromisoformat(shown) if shown else None)
    return result


def _spans(
    records: Records, root_key: str, wanted: set[str] | None
) -> dict[str, tuple[str | None, str | None, str | None]]:
    """The date span (``_date_span``) and shown date of the records in the files ``wanted`` (cache keys; None:
    every file), by key.
    """
    from reportgen.render.bulletins import record_latest_date

    shown = str(records.root)
    root = "" if shown in ("", ".") else shown.rstrip("/") + "/"
    # the wanted keys as the records name their files: one set lookup a record, no key made for each
    rels = [key[len(root_key) :] for key in wanted or () if key.startswith(root_key)]
    files = None if wanted is None else {*rels, *(root + rel for rel in rels)}  # under the root, or not
    by_file: dict[str, tuple[str | None, str | None, str | None]] = {}
    for by_id in records.by_kind.values():
        for record in by_id.values():
            if files is None or record.file in files:
                rel = record.file[len(root) :] if record.file.startswith(root) else record.file
                day = record_latest_date(record)
                by_file[root_key + rel] = (*_date_span(record), _iso(day) if day is not None else None)
    return by_file


def horizon(files: dict[str, FileState]) -> dt.date | None:
    """The last day of the longest period that holds the latest date of any record (None: no dated record)."""
    from reportgen.compute.periods import period_of
    from reportgen.render.bulletins import PERIOD_KINDS

    latest = max((st.latest for st in files.values() if st.latest), default=None)
    if latest is None:
        return None
    day = dt.date.fromisoformat(latest)
    return max(period_of(day, kind).full_end for kind in PERIOD_KINDS.values())


def save_state(out: Path, files: dict[str, FileState], options: str, today: dt.date | None = None) -> dict[str, Any]:
    """Remember this successful build's inputs and the day it was built as of (None: unknown).

    Returns the state saved, less its files.  The files are written in their order, a column
    per value (``_state_text``): loaded again as a few texts and lists, not a list per file.
    """
    last = horizon(files)
    head = {
        "version": STATE_VERSION,
        "options": options,
        "code": code_version(),
        "day": seen_day(today, last) or None,
        "horizon": last.isoformat() if last else None,
    }
    _save(out, STATE_FILE, _state_text(head, files))
    return head


def _state_text(head: dict[str, Any], files: dict[str, FileState]) -> Iterator[str]:
    """The JSON text of the state: ``head``, the dates the files carry, and the files' columns, one at a time.

    The keys, stamps and SHA-256s are each one text, a NUL between files (no file name
    holds one); each column of dates (``DATE_COLUMNS``) is a list of places in ``dates``
    (whose first is None).
    """
    rows = list(files.values())
    columns = [list(map(itemgetter(i), rows)) for i in range(len(FileState._fields))]  # in C (zip(*rows): 6× the CPU)
    dates: list[str | None] = [None, *sorted(set().union(*columns[2:]) - {None})]
    place = {date: i for i, date in enumerate(dates)}
    yield json.dumps({**head, "dates": dates}, ensure_ascii=False)[:-1]
    for name, column in zip(TEXT_COLUMNS, (files.keys(), columns[0], columns[1]), strict=True):
        yield f', "{name}": ' + json.dumps("\0".join(column))  # ASCII: half the CPU
    for name, column in zip(DATE_COLUMNS, columns[2:], strict=True):
        yield f', "{name}": ' + json.dumps(list(map(place.__getitem__, column)))
    yield "}"


def forget_unchanged(state: dict[str, Any], changes: Changes) -> None:
    """Keep in ``state`` (in place: the caller's too) only the files that changed: all ``affected_from`` reads.

    The last build's state of every file (~50 MB at 100,000 issues) is not kept for the rest of the build.
    """
    old = state.get("files")
    state["files"] = old.only(changes.changed) if isinstance(old, SavedFiles) else {}
