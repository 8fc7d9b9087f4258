"""What changed since the last build, decided from a stat walk and content hashes.

The build cache lives beside the output (``.output.cache/state.marshal``), never inside it.
A no-op build reads none of it: one fast listing of the input folders, hashed with the
options and the code version, is compared with the hash saved by the last build
(``.output.cache/fingerprint``); only when they differ is the state loaded and compared:
the listings the state was saved with are kept in it (``FileStates.listed``), so only the
lines that differ from them are looked at.
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
import mmap
import os
import secrets
import shutil
from collections.abc import Collection, Mapping, MutableMapping
from dataclasses import dataclass, field, replace
from itertools import filterfalse
from pathlib import Path
from typing import Any, BinaryIO

from reportgen.cms import editor_folder
from reportgen.codeversion import code_version
from reportgen.filewalk import PendingListing, TreeListing, stamp_of
from reportgen.heap import paused_gc
from reportgen.model import Record, Records
from reportgen.publish import hashing
from reportgen.publish.filestates import EVERYTHING, FileState, FileStates, iso_or_none, loaded
from reportgen.readahead import read_ahead

__all__ = ["EVERYTHING", "Changes", "FileState", "FileStates", "InputListing", "InputsSince", "PendingInputs"]

# 7: marshalled (``FileStates.dumped``), not a JSON text; 8: a base and a journal; 9: the base's CRC, stamps packed;
# 10: the listings in it
STATE_VERSION = 10
RECORDS = "records"  # the key prefix of the records folder's files
_MASTER_KINDS = frozenset({"config", "calendar", "department", "staff", "team"})


@dataclass
class Changes:
    """The difference between the inputs now and at the last successful build."""

    files: MutableMapping[str, FileState]  # the current state of every input file (a ``FileStates`` in a build)
    changed: set[str] = field(default_factory=set)  # added, removed or modified (relative paths)
    everything: bool = False  # options, code, templates or master data changed
    since: dt.date | None = None  # the build's day moved: periods ending on or after this day are cut anew
    new: dict[str, str] = field(default_factory=dict)  # the files not in ``files`` yet, with their stamps (``add_new``)

    @property
    def none(self) -> bool:
        """Nothing at all changed."""
        return not self.changed and not self.everything and self.since is None


@dataclass(frozen=True)
class InputsSince:
    """Which input files changed since the build that kept a memo for the next one (``render.site.keptrows``).

    Each build draws a ``generation`` and saves it with its state; a memo it keeps is tied to it.  The
    next build reads that state, so the files changed since it are those its change detection found
    (``Changes.changed``).  A memo tied to another generation (its build failed after keeping it,
    or the state was saved by a later one) is not known to describe any state: nothing is said of it.
    """

    read: str | None  # the generation of the state this build read (None: none, or one saved without)
    generation: str  # this build's, saved with its state when it succeeds
    changed: frozenset[str] | None  # the input files added, changed or removed since (None: the code or options too)

    @classmethod
    def of(cls, state: Mapping[str, Any], changes: Changes) -> InputsSince:
        """This build's, with a new generation, after ``state`` was read and ``changes`` found against it."""
        read = state.get("generation")
        changed = None if changes.everything else frozenset(changes.changed)
        return cls(read if isinstance(read, str) else None, secrets.token_hex(8), changed)

    def changed_since(self, tie: str) -> frozenset[str] | None:
        """The input files changed since the build whose generation was ``tie``; None: not known."""
        return self.changed if self.read is not None and tie == self.read else None


STATE_FILE = "state.marshal"  # the last successful build's inputs, in the cache folder
OLD_LISTING_FILE = "listing.marshal"  # the listings beside a version 8 or 9 state (now in the state): removed


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

    def patched(self, edited: Collection[str]) -> InputListing | None:
        """These listings with the files ``edited`` since (in place or saved over) listed again
        (``TreeListing.patched``); None where the inputs must be walked instead.

        ``edited``: paths as the preview's watch names them, each below one of the folders as
        this listing names it (``input_folders``).
        """
        folders, placed = [], 0
        for prefix, path, listing in self.folders:
            base = os.path.join(path, "")
            mine = [edit[len(base) :] for edit in edited if edit.startswith(base)]
            now = listing.patched(os.fspath(path), mine) if mine else listing
            if now is None:
                return None
            folders.append((prefix, path, now))
            placed += len(mine)
        return replace(self, folders=tuple(folders)) if placed == len(edited) else None


def seen_day(today: dt.date | None, horizon: dt.date | None) -> str:
    """The day as the output sees it: ``today`` up to ``horizon`` ("" without a day)."""
    if today is None:
        return ""
    return min(today, horizon).isoformat() if horizon is not None else today.isoformat()


def list_inputs(
    records_dir: Path, templates_dir: Path | None, options: str, today: dt.date | None = None
) -> InputListing:
    """The fast listing of every input (see ``filewalk``)."""
    with PendingInputs(records_dir, templates_dir, options, today) as pending:
        return pending.result()


class PendingInputs:
    """The fast listings of every input under way: every folder's finds walk from here, all at once, while the
    caller does what does not need them; ``result`` waits for them.  Leaving the ``with`` block stops the finds
    still running.
    """

    def __init__(
        self, records_dir: Path, templates_dir: Path | None, options: str, today: dt.date | None = None
    ) -> None:
        self.options, self.today = options, today
        self._pending: list[tuple[str, Path, PendingListing]] = []
        for prefix, path in input_folders(records_dir, templates_dir):
            self._pending.append((prefix, path, PendingListing(os.fspath(path))))

    def __enter__(self) -> PendingInputs:
        return self

    def __exit__(self, *exc: object) -> None:
        for _, _, pending in self._pending:
            pending.close()

    def result(self) -> InputListing:
        """The listings, once every walk has ended."""
        listed = tuple((prefix, path, pending.result()) for prefix, path, pending in self._pending)
        return InputListing(listed, self.options, self.today)


def input_folders(records_dir: Path, templates_dir: Path | None) -> list[tuple[str, Path]]:
    """The folders of the build's inputs, each with the prefix of its files' keys."""
    folders = [(RECORDS, records_dir), *([("templates", templates_dir)] if templates_dir is not None else [])]
    folders.append(("admin", editor_folder(records_dir)))  # the web editor the site carries (cms/deploy.py)
    return folders


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
    _save(out, "fingerprint", f"{horizon}\n{inputs.fingerprint(dt.date.fromisoformat(horizon))}".encode())


def _save(out: Path, name: str, *content: bytes) -> None:
    """Replace the cache file ``name`` at once with ``content`` (its pieces, in order), clearing what a hand put
    in its way.

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
    with open(tmp, "wb") as file:
        for piece in content:
            file.write(piece)
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


@read_ahead(lambda out: [state_file(out)])
def load_state(out: Path) -> dict[str, Any]:
    """The last successful build's state, or an empty one (also when it was edited into another shape).

    Its files are a ``FileStates`` (``state["files"]``), the rest as ``save_state`` returned it.
    The preview decodes it ahead of its next build (``readahead``).
    """
    try:
        with open(state_file(out), "rb") as file:
            found = _mapped(file)
    except OSError:
        return {}
    if found is None or not _head_ok(found[0]):
        return {}
    state, files = found
    if state.get("code") != code_version():  # digests another version of the code worked out: not trusted
        files.digests = {}
    return {**{key: state.get(key) for key in STATE_HEAD}, "files": files}


def _mapped(file: BinaryIO) -> tuple[dict[str, Any], FileStates] | None:
    """``loaded`` of the open state ``file``, read through a map of it: its bytes (50 MB at 100,000 issues) are
    not copied before they are read (a fresh process: ~0.045 -> ~0.015 CPU s).

    The map is of the file as opened: a build replaces the state file (``_save``) or appends to
    it (``_appended``), never cuts it.
    """
    st = os.fstat(file.fileno())
    if st.st_size == 0:  # (no map of nothing)
        return None
    with mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
        return loaded(data, stamp_of(st))


STATE_HEAD = ("version", "options", "code", "day", "horizon", "generation")  # the state's own values, before its files


def _head_ok(state: Any) -> bool:
    """Whether ``state`` has the head ``save_state`` writes, in the current version."""
    return (
        isinstance(state, dict)
        and state.get("version") == STATE_VERSION
        and isinstance(state.get("options"), str)
        and isinstance(state.get("code"), str)
        and iso_or_none(state.get("day"))
        and iso_or_none(state.get("horizon"))
        and isinstance(state.get("generation"), str | None)
    )


@paused_gc()  # a cold build's ~190,000 states, none garbage: no collection walks them as they are made
def detect_changes(inputs: InputListing, state: dict[str, Any], read_later: bool = False) -> Changes:
    """Compare the inputs with the saved state; hash only files whose stat facts moved.

    The saved files' states become the current ones in place (in the saved order, so each
    build lists the files as the last did); ``state["files"]`` keeps the saved states of the
    files that moved or went, all ``affected_from`` reads.  A file whose listed facts differ
    from its saved stamp (``_moves``) is hashed and its state replaced, a new one added after
    the others, one no longer listed removed.  ``read_later``: the new files are added by
    ``add_new`` once the check has read them (``Changes.new``): a new file is changed whatever
    its bytes, and a cold build's check reads every record anyway.
    """
    saved = state.get("files")
    current = saved if isinstance(saved, FileStates) else FileStates.of({})
    changes = Changes(current)
    moved, new, gone = _moves(inputs, current)
    state["files"] = current.only([*moved, *gone])
    shas = iter(_hashed(inputs, [*moved, *([] if read_later else new)]))  # in one go: a cold build's on two cores
    for key, stamp in moved.items():
        before = current[key]
        current[key] = FileState(stamp, sha := next(shas), *before[2:])
        if before.sha256 != sha:
            changes.changed.add(key)
    changes.changed.update(new)
    if gone:
        current.drop(gone)
        changes.changed.update(gone)
    changes.new = new
    if new and read_later:
        current.listed = None  # its files are not all there yet
    else:
        add_new(changes, inputs, dict(zip(new, shas, strict=True)))
    if state.get("options") != inputs.options or state.get("code") != code_version():
        changes.everything = True
    changes.since = _day_moved(inputs.today, state)
    return changes


@paused_gc()  # as ``detect_changes``: at 100,000 issues, each collection would walk the records too (~2 s in all)
def add_new(changes: Changes, inputs: InputListing, read: Mapping[str, str]) -> None:
    """Add the new files (``Changes.new``) to ``changes.files``, each with its SHA-256 as ``read`` gives it (by key;
    the check's of the bytes it parsed), else hashed now.

    At 100,000 issues a cold build hashed its 187,459 input files before the check read them
    again: 1.6 s with both cores busy.
    """
    new, files = changes.new, changes.files
    assert isinstance(files, FileStates)  # as ``detect_changes`` made it
    keys = list(new)
    unread = list(filterfalse(read.__contains__, keys))
    shas = {**read, **dict(zip(unread, _hashed(inputs, unread), strict=True))} if unread else read
    nothing = [None] * len(keys)
    files.extend(keys, [list(new.values()), list(map(shas.__getitem__, keys)), nothing, nothing, nothing])
    files.listed = {prefix: listing.data for prefix, _, listing in inputs.folders}  # the stamps are these now
    changes.new = {}


def records_read(records_dir: Path, read: Mapping[str, str]) -> dict[str, str]:
    """The SHA-256 of the record files the check read, by key: ``read`` holds them by the path read (the folder
    joined with a file's path below it: ``Path(".") / "issues"`` is ``issues``).
    """
    head = os.fspath(records_dir / "_")[:-1]
    cut = len(head)
    return {f"{RECORDS}/{path[cut:]}": digest for path, digest in read.items() if path.startswith(head)}


def _moves(inputs: InputListing, files: FileStates) -> tuple[dict[str, str], dict[str, str], set[str]]:
    """The keys of the ``files`` listed with other facts than their stamp (with the facts listed), those listed
    but not among the ``files`` (in the listings' order), and those listed no more.

    When the listings the stamps are were kept (``FileStates.listed``), only the lines that
    differ from them are looked at (``TreeListing.moved_since``); else every file's stamp is
    compared with its listed facts (``_moves_by_stamp``).
    """
    kept = files.listed
    if kept is None or kept.keys() != {prefix for prefix, _, _ in inputs.folders}:
        return _moves_by_stamp(inputs, files)
    moved: dict[str, str] = {}
    new: dict[str, str] = {}
    gone: set[str] = set()
    for prefix, _, listing in inputs.folders:
        before, now = listing.moved_since(kept[prefix])
        for rel, facts in now.items():
            (moved if rel in before else new)[f"{prefix}/{rel}"] = facts
        gone.update(f"{prefix}/{rel}" for rel in before.keys() - now.keys())
    return moved, new, gone


def _moves_by_stamp(inputs: InputListing, files: FileStates) -> tuple[dict[str, str], dict[str, str], set[str]]:
    """``_moves`` by every file's stamp and every listed path (``FileStates.moved``); a file under none of the
    folders is gone.
    """
    heads = [f"{prefix}/" for prefix, _, _ in inputs.folders]
    places, outside = files.under(heads)
    moved: dict[str, str] = {}
    new: dict[str, str] = {}
    gone = set(outside)
    for (_, _, listing), head, mine in zip(inputs.folders, heads, places, strict=True):
        stamps = listing.stamps()
        keys, rels = files.moved(head, stamps, mine)
        for key in keys:
            stamp = stamps.get(key[len(head) :])
            if stamp is None:
                gone.add(key)
            else:
                moved[key] = stamp
        new.update((head + rel, stamps[rel]) for rel in rels)
    return moved, new, gone


def _hashed(inputs: InputListing, keys: list[str]) -> list[str]:
    """The SHA-256 of each file ``keys`` names (its folder by its key's prefix), in order; "" for a dangling
    link (validation reports it).
    """
    folders = {prefix: os.fspath(folder) for prefix, folder, _ in inputs.folders}
    return hashing.digests([f"{folders[prefix]}/{rel}" for prefix, rel in (key.split("/", 1) for key in keys)])


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
    """The earliest and the latest date anywhere in a record's values (one loop, no generator per level).

    Most values are texts, and the rest mostly dates, lists and dicts: a value's exact type is
    compared first, ``isinstance`` (a date, or a subclass of a dict or a list) asked only of the
    others.  A cold build dates every record (170,000 at 100,000 issues): ~2x faster than
    ``isinstance`` first (10,000 issues: ~110 -> ~60 CPU ms).
    """
    low = high = None
    pending: list[Any] = [data]
    while pending:
        node = pending.pop()
        for value in node.values() if isinstance(node, dict) else node:
            kind = type(value)
            if kind is str:
                continue
            if kind is dict or kind is list:
                pending.append(value)
            elif isinstance(value, dt.date):
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


def with_earliest(changes: Changes, records: Records, root_key: str = "records/") -> FileStates:
    """The current file states with each record's earliest (and latest, and shown) date filled in.

    Only the files that changed are looked at (every file when everything changed): the
    others keep the dates the last state saved, which their unchanged bytes still give.
    The latest of the shown dates is ``latest_record_date(records)``: it is given to it
    (no walk of every record).  A ``FileStates`` in ``changes.files`` is dated in place.
    """
    from reportgen.render.bulletins import known_latest_record_date

    files = FileStates.of(changes.files)
    wanted = None if changes.everything else {key for key in changes.changed if key in files}
    with paused_gc():  # ~190,000 small objects at 100k, none of them garbage
        by_file = _spans(records, root_key, wanted)
        start = records.config.get("campaign_start")  # the periods begin there, whatever the records say
        by_file[root_key + "config.yaml"] = (
            EVERYTHING,
            start.isoformat() if isinstance(start, dt.date) else None,
            None,
        )
        if wanted is None:  # a file no record is in keeps its earliest date (outside the records: everything)
            earliest = files.column("earliest")
            result = files.redated(
                [
                    by_file.get(key) or (day if key.startswith(root_key) else EVERYTHING, None, None)
                    for key, day in zip(files, earliest, strict=True)
                ]
            )
        else:  # in place: the caller's ``changes.files`` become these (no copy of every file's state)
            result = files
            for key in [*wanted, root_key + "config.yaml"]:
                st = files.get(key)
                if st is not None:
                    dates = by_file.get(key, (st.earliest if key.startswith(root_key) else EVERYTHING, None, None))
                    result[key] = FileState(st.stamp, st.sha256, *dates)
    shown = max(filter(None, result.column("shown")), default=None)
    known_latest_record_date(records, dt.date.fromisoformat(shown) if shown else None)
    return result


def _spans(
    records: Records, root_key: str, wanted: set[str] | None
) -> dict[str, tuple[str | None, str | None, str | None]]:
    """The date span (``_date_span``) and shown date of the records in the files ``wanted`` (cache keys; None:
    every file), by key.

    The files wanted, the few changed, have their records found as the statistics find them
    (``issueviews.records_in``: by the id each file is named after, not by a pass over every
    record: 170,000 at 100,000 issues, ~0.02 CPU s).
    """
    from reportgen.compute.issueviews import records_in
    from reportgen.render.bulletins import record_latest_date

    def span(record: Record) -> tuple[str | None, str | None, str | None]:
        day = record_latest_date(record)
        return (*_date_span(record), _iso(day) if day is not None else None)

    if wanted is not None:  # a file's last record, as the pass below keeps it (a file holds one)
        return {key: span(found[-1]) for key, found in records_in(records, wanted, root_key).items()}
    shown = str(records.root)
    root = "" if shown in ("", ".") else shown.rstrip("/") + "/"
    by_file: dict[str, tuple[str | None, str | None, str | None]] = {}
    for by_id in records.by_kind.values():
        for record in by_id.values():
            rel = record.file[len(root) :] if record.file.startswith(root) else record.file
            by_file[root_key + rel] = span(record)
    return by_file


def horizon(files: Mapping[str, FileState]) -> dt.date | None:
    """The last day of the longest period that holds the latest date of any record (None: no dated record)."""
    from reportgen.compute.periods import period_of
    from reportgen.render.bulletins import PERIOD_KINDS

    latest = max(filter(None, FileStates.of(files).column("latest")), default=None)
    if latest is None:
        return None
    day = dt.date.fromisoformat(latest)
    return max(period_of(day, kind).full_end for kind in PERIOD_KINDS.values())


def save_state(
    out: Path, files: Mapping[str, FileState], options: str, today: dt.date | None = None, generation: str | None = None
) -> dict[str, Any]:
    """Remember this successful build's inputs, the day it was built as of (None: unknown) and its ``generation``
    (``InputsSince``; None: no memo is tied to this state).

    Returns the state saved, less its files.  The files are written in their order, a column
    per value (``FileStates.dumped``): loaded again as a few lists, not a list per file.  When
    ``files`` were read from the state file as it still is, only what changed is appended to
    it (``FileStates.journal_record``); its size, so its stamp, changes all the same (the
    statistics kept are tied to that stamp: ``compute.persisted``).
    """
    last = horizon(files)
    head = {
        "version": STATE_VERSION,
        "options": options,
        "code": code_version(),
        "day": seen_day(today, last) or None,
        "horizon": last.isoformat() if last else None,
        "generation": generation,
    }
    states = FileStates.of(files)
    if not _appended(state_file(out), states, head):
        _save(out, STATE_FILE, *states.dumped(head))
    _remove(cache_folder(out) / "state.json")  # version 6's state, a JSON text (33 MB at 100,000 issues)
    _remove(cache_folder(out) / OLD_LISTING_FILE)
    return head


def _appended(path: Path, files: FileStates, head: dict[str, Any]) -> bool:
    """Whether the journal record of ``files`` was appended to the state file they were read from.

    False when there is none to append (``FileStates.journal_record``) or the file is no longer
    the one read: then the whole state is written.
    """
    record = files.journal_record(head)
    if record is None or files.saved_as is None:
        return False
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND)
    except OSError:
        return False
    try:
        if stamp_of(os.fstat(fd)) != files.saved_as.token:  # appended to only if it is still the file read
            return False
        # one write; a record cut short (a crash, a full disk) fails its digest when loaded: a full build
        written = os.write(fd, record)
    finally:
        os.close(fd)
    return written == len(record)  # short: the whole state is written over it


def forget_unchanged(state: dict[str, Any], changes: Changes) -> None:
    """Keep in ``state`` (in place: the caller's too) only the files that changed: all ``affected_from`` reads.

    The last build's state of every file (~50 MB at 100,000 issues) is not kept for the rest of the build.
    """
    old = state.get("files")
    if isinstance(old, FileStates):
        state["files"] = old.only(changes.changed)
    else:  # the saved states ``detect_changes`` kept, or none
        state["files"] = {key: old[key] for key in changes.changed if key in old} if isinstance(old, dict) else {}
