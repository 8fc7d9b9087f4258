"""A cache of per-file validation results, so a warm ``check`` parses only what changed.

Each file's result is keyed on its path, size, mtime, ctime and inode (git's index uses
the same facts).  ctime cannot be set back by a program, so an edit that restores the
old mtime is still seen; a file modified within a second of the cache being written
("racy", as git calls it) is always parsed again.  The whole report is keyed on those
facts of every file in the folder and of the font files ``config.yaml`` names (they may
lie outside it, and check reads them).  The cache lives in the user's cache
folder, never in the records repository: a pickle from a repository would be code.
"""

from __future__ import annotations

import atexit
import hashlib
import operator
import os
import pickle
import stat
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain, compress, repeat
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple

import yaml

try:  # libyaml is an order of magnitude faster; fall back to the pure-Python loader
    from yaml import CSafeLoader as _YAML_LOADER
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _YAML_LOADER  # type: ignore[assignment]

from reportgen import filewalk, heap
from reportgen.codeversion import code_version
from reportgen.filewalk import RACY_NS, TreeListing, seconds_ns, stamp_of
from reportgen.load import SourceFile
from reportgen.readahead import read_ahead
from reportgen.schema.kinds import CONFIG_FILE
from reportgen.validate import lazyrecords
from reportgen.validate.keptresults import KeptResults, KeptSources
from reportgen.validate.record import FileResult, file_result

if TYPE_CHECKING:
    from reportgen.model import Record
    from reportgen.problems import Problem, Report

FORMAT = 7  # 7: each part's values written after it, read when first needed (``lazyrecords.ValuesFile``)
# pickle's memo grows with every object it writes: bound it, or it doubles the peak; and a part's values are read
# whole when one of its records is first read (at 100,000 issues a title edit's check reads 4 parts): 1,000 issues'
# values are unpickled in ~4 ms, 5,000 in ~22 ms (and files.pickle is 76 MB, not 83: a smaller memo, shorter codes)
ENTRIES_PER_PICKLE = 1000
JOURNAL_SHARE = 20  # the journal is folded into files.pickle once it holds this share of the entries …
JOURNAL_MIN = 500  # … and at least this many
FEW_LOOKUPS = 8  # files looked up one by one in the cached files' list; more: by a map made of it
ASIDE_FROM = 3000  # entries: from this many, files.pickle is written by a forked child (``_aside``)
FILES, JOURNAL, RULES, KEPT = "files.pickle", "files.journal", "rules.pickle", "kept.pickle"
LISTED = "listed.pickle"  # the listing the cached keys were taken from (``source_keys``)
RETIE = "retie"  # what is kept holds as it was: tied to the new results (``retie_kept``)

StatKey = str  # "size mtime ctime inode", as the folder's listing writes it
Entry = tuple[StatKey, "Record | None", "list[Problem]"]


def cache_root() -> Path:
    """``$REPORTGEN_CACHE_DIR``, else ``$XDG_CACHE_HOME/reportgen``, else ``~/.cache/reportgen``."""
    if os.environ.get("REPORTGEN_CACHE_DIR"):
        return Path(os.environ["REPORTGEN_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "reportgen"


def stat_key(where: str | Path) -> StatKey | None:
    """The file's facts as a listing writes them, or None when the file cannot be read."""
    try:
        return stamp_of(os.stat(where))
    except OSError:
        return None


def stat_keys(root: Path, sources: Sequence[SourceFile], listing: TreeListing | None) -> list[StatKey | None]:
    """Each source's stat key, in order: from ``listing`` where it has the file (no stat), else from a stat.

    A key is the listing's own text for the file: compared as it is, never parsed.  Looked up
    in C, file by file; only the files the listing lacks (or lists as dangling links) are
    looked at one by one.
    """
    return _keys_listed(root, sources, listing)[0]


def _keys_listed(
    root: Path, sources: Sequence[SourceFile], listing: TreeListing | None
) -> tuple[list[StatKey | None], bool]:
    """``stat_keys``, and whether ``listing`` gave every key (no file lacking, no dangling link)."""
    stamps = listing.stamps_unkept() if listing is not None else {}
    skip = len(_display_head(root))
    displays = map(_DISPLAY, sources)
    # a file the listing lacks gets "-", so the few to look at are those starting "-" (found in C)
    listed = list(map(stamps.get, map(itemgetter(slice(skip, None)), displays), repeat("-")))
    keys: list[StatKey | None] = list(listed)
    unlisted = list(compress(range(len(listed)), map(str.startswith, listed, repeat("-"))))
    for i in unlisted:
        keys[i] = stat_key(sources[i].where) if listed[i] == "-" else None  # "-1 …": a dangling link
    return keys, listing is not None and not unlisted


def _display_head(root: Path) -> str:
    """What a source's display name starts with before its path in the folder's listing."""
    shown = str(root)
    return "" if shown in ("", ".") else shown.rstrip("/") + "/"  # display = the folder as given + "/" + rel


class SourceKeys(NamedTuple):
    """The sources' stat keys, in order, and the listing to keep with the results made with them (``save_state``):
    None when some key did not come from it (a file it lacks, a dangling link) or there is none.

    ``moved``: when the sources are the cached files in their order, the positions where a key may differ
    from the cached one (the others are the cached keys); None: not known, every key is compared.
    """

    keys: list[StatKey | None]
    listed: bytes | None
    moved: list[int] | None = None


def source_keys(
    root: Path, sources: Sequence[SourceFile], listing: TreeListing | None, cache: CheckCache
) -> SourceKeys:
    """``stat_keys``: when the sources are the cached files and ``cache.listed`` is the listing their keys are the
    lines of, the cached keys but for the files whose line differs now (``TreeListing.moved_since``), else looked
    up file by file.

    After one edit at 100,000 issues a few lines differ: no lookup of 187,000 paths, and the
    listing is not parsed whole (~0.3 CPU s).
    """
    if listing is None:
        return SourceKeys(stat_keys(root, sources, None), None)
    if cache.listed is not None and _displays(sources) == cache.files:
        found = _moved_keys(root, listing, cache)
        if found is not None:
            keys, moved = found
            return SourceKeys(keys, listing.data, moved)
    keys, complete = _keys_listed(root, sources, listing)
    return SourceKeys(keys, listing.data if complete else None)


def _moved_keys(root: Path, listing: TreeListing, cache: CheckCache) -> tuple[list[StatKey | None], list[int]] | None:
    """The cached keys with those of the files whose line in ``listing`` is not their line in ``cache.listed``
    (the sources being the cached files, in order), and those files' positions; None when such a file is no
    longer listed or its line is a dangling link (its key would come from a stat: the listing would not say
    when it changes).
    """
    was, now = listing.moved_since(cache.listed or b"")
    head = _display_head(root)
    keys: list[StatKey | None] = list(cache.keys)
    moved = cache.positions(head + rel for rel in {**was, **now})
    for display, at in moved.items():
        facts = now.get(display[len(head) :])
        if facts is None or facts.startswith("-"):
            return None
        keys[at] = facts
    return keys, sorted(moved.values())


_DISPLAY = itemgetter(1)  # a SourceFile's display name


def _displays(sources: Sequence[SourceFile]) -> list[str]:
    """The sources' display names, in order (a kept discovery's as kept: no file made)."""
    return sources.displays if isinstance(sources, KeptSources) else list(map(_DISPLAY, sources))


class Split(NamedTuple):
    """The sources' results as cached (None where the file must be parsed), where those are, their keys, the
    cached entries of the files to parse and of those gone, and the files gone (cached, not among the sources)."""

    results: list[FileResult | None] | KeptResults  # the latter for a kept discovery's files (``_split_moved``)
    misses: list[int]
    keys: dict[str, StatKey | None]
    cached: dict[str, Entry]
    gone: set[str]


def racy_files(keys: Iterable[tuple[str, StatKey]], written_ns: int) -> set[str]:
    """The files whose facts were taken so soon before ``written_ns`` that a later edit may keep them.

    Their entries are kept (a later check needs their records as they were) but never served.
    """
    since = written_ns - RACY_NS
    whole = since // 1_000_000_000  # most files are seconds older: their whole seconds decide
    racy = set()
    for file, key in keys:
        mtime = key.split(" ", 2)[1]
        if int(mtime.partition(".")[0]) >= whole and seconds_ns(mtime) >= since:
            racy.add(file)
    return racy


@dataclass
class CheckCache:
    """What the last check of one records folder found, file by file, and its report.

    The entries are kept as columns, a list per value over the files in the order they were
    saved (discovery's): a check after one edit compares them with the sources in C and looks
    at the changed files alone, without a Python object per file (``split``).
    """

    folder: Path
    written_ns: int = 0  # when the entries were last written (files.pickle or its journal): the rules' state's tie
    files: list[str] = field(default_factory=list)  # every cached file's display name
    keys: list[StatKey] = field(default_factory=list)  # … its stat key
    records: list[Record | None] = field(default_factory=list)  # … its record (None: unreadable)
    problems: list[list[Problem]] = field(default_factory=list)  # … its own problems
    racy: set[str] = field(default_factory=set)  # entries never served (``racy_files``)
    fingerprint: str = ""
    report: Report | None = None
    base_ns: int = 0  # when files.pickle was written: the journal's entries apply to that one
    journal: dict[str, Entry | None] = field(default_factory=dict)  # what changed since (None: gone)
    listed: bytes | None = None  # the folder's listing whose lines the cached keys are (``load_listed``), if kept

    @property
    def entries(self) -> dict[str, Entry]:
        """Every cached entry by file, in order (made anew on each call: for rewriting files.pickle whole)."""
        return dict(zip(self.files, zip(self.keys, self.records, self.problems, strict=True), strict=True))

    def entry(self, at: int) -> Entry:
        """The cached entry at position ``at``."""
        return self.keys[at], self.records[at], self.problems[at]

    def positions(self, files: Iterable[str]) -> dict[str, int]:
        """The positions of those of ``files`` that are cached: a few found by ``list.index`` (in C), more by a map."""
        wanted = list(files)
        if len(wanted) > FEW_LOOKUPS:
            place = self._place()
            return {file: place[file] for file in wanted if file in place}
        found = {}
        for file in wanted:
            try:
                found[file] = self.files.index(file)
            except ValueError:
                continue
        return found

    def split(self, sources: Sequence[SourceFile], keys: list[StatKey | None], moved: list[int] | None = None) -> Split:
        """Each source's cached result when the file is unchanged since it was cached (else None), and
        the stat keys of the others (to be parsed).  ``keys``: the sources' stat keys, in order.

        Made in C, file by file (a result is a tuple); only the files to parse are looked at one by one.
        When the sources are the cached files in their order (no file added or gone), the columns
        serve as they are; ``moved`` (``SourceKeys.moved``) says then where alone keys may differ.
        """
        if moved is not None:
            return self._split_moved(sources, keys, moved)
        displays = list(map(_DISPLAY, sources))
        if displays == self.files:
            at: list[int] | range = range(len(displays))
            cached_keys, records, problems = self.keys, self.records, self.problems
            gone: set[str] = set()
        else:  # a stand-in at the end for the files not cached (position -1): no stat key is ""
            place = self._place()
            at = list(map(place.get, displays, repeat(-1)))
            cached_keys = list(map([*self.keys, ""].__getitem__, at))
            records = list(map([*self.records, None].__getitem__, at))
            problems = list(map([*self.problems, []].__getitem__, at))
            gone = place.keys() - set(displays)
        fresh = list(map(operator.eq, cached_keys, keys))
        if self.racy:
            for i in compress(range(len(displays)), map(self.racy.__contains__, displays)):
                fresh[i] = False
        made = zip(sources, records, problems, repeat(None))
        results: list[FileResult | None] = list(map(file_result, made))
        misses = list(compress(range(len(fresh)), map(operator.not_, fresh)))
        cached = {displays[i]: self.entry(at[i]) for i in misses if at[i] >= 0}
        if gone:
            cached.update((file, self.entry(i)) for file, i in self.positions(gone).items())
        for i in misses:
            results[i] = None
        return Split(results, misses, {displays[i]: keys[i] for i in misses}, cached, gone)

    def _split_moved(self, sources: Sequence[SourceFile], keys: list[StatKey | None], moved: list[int]) -> Split:
        """``split`` of the cached files in their order, whose keys are the cached ones but at ``moved``:
        only those and the racy files are compared and looked at (no pass over every file's name and key;
        a kept discovery's files get their results when asked for, ``KeptResults``).
        """
        stale = {i for i in moved if keys[i] != self.keys[i]} | set(self.positions(self.racy).values())
        misses = sorted(stale)
        results: list[FileResult | None] | KeptResults
        if isinstance(sources, KeptSources):
            results = KeptResults(sources, self.records, self.problems)
        else:
            results = list(map(file_result, zip(sources, self.records, self.problems, repeat(None))))
        for i in misses:
            results[i] = None
        wanted = {sources[i].display: i for i in misses}
        cached = {file: self.entry(i) for file, i in wanted.items()}
        return Split(results, misses, {file: keys[i] for file, i in wanted.items()}, cached, set())

    def apply(self, journal: dict[str, Entry | None]) -> None:
        """The ``journal``'s entries in place of the cached ones (None: the file is gone; a new file: at the end)."""
        place = self.positions(journal)
        dropped = set()
        for file, entry in journal.items():
            i = place.get(file)
            if entry is None:
                if i is not None:
                    dropped.add(i)
            elif i is None:
                place[file] = len(self.files)
                self._append(file, entry)
            else:
                self.keys[i], self.records[i], self.problems[i] = entry
        if dropped:
            kept = [i not in dropped for i in range(len(self.files))]
            self.files, self.keys = list(compress(self.files, kept)), list(compress(self.keys, kept))
            self.records, self.problems = list(compress(self.records, kept)), list(compress(self.problems, kept))

    def _place(self) -> dict[str, int]:
        """Each cached file's position (made in C)."""
        return dict(zip(self.files, range(len(self.files)), strict=True))

    def _append(self, file: str, entry: Entry) -> None:
        self.files.append(file)
        self.keys.append(entry[0])
        self.records.append(entry[1])
        self.problems.append(entry[2])

    def usable_report(self, print_: str) -> Report | None:
        """The cached report when no file changed at all (racy listings are never saved)."""
        if self.report is None or print_ != self.fingerprint:
            return None
        return self.report


@dataclass(frozen=True)
class FontStamps:
    """The font files ``config.yaml`` names: a line of facts each, and the newest change among them."""

    lines: tuple[str, ...]
    newest_ns: int

    def racy(self, taken_ns: int) -> bool:
        """Whether a font changed so shortly before ``taken_ns`` that a later change might keep its facts."""
        return self.newest_ns >= taken_ns - filewalk.RACY_NS


def fingerprint(listing: TreeListing, fonts: FontStamps) -> str:
    """One hash of every file's stat facts, the configured fonts' (``font_stamps``) and the code version."""
    data = [code_version(), listing.digest(), *fonts.lines]
    return hashlib.sha256("\0".join(data).encode("utf-8", "surrogateescape")).hexdigest()


def font_stamps(root: Path) -> FontStamps:
    """Each font file ``config.yaml`` names under ``fonts:``: its name, file type and stat facts, or "missing".

    ``check`` reports a configured font that is missing, a folder, unreadable or no font
    (E702–E706, W702), and the file may lie outside the records folder, so replacing or
    deleting one must change the fingerprint.  A name is taken as ``render.fonts.configured_fonts``
    takes it: relative to the records folder (an absolute name stays as it is).
    """
    lines, newest = [], 0
    for name in _font_names(root):
        try:
            st = (root / name).stat()
        except FileNotFoundError:
            lines.append(f"{name} missing")
            continue
        except (OSError, ValueError) as exc:  # a folder on the way not readable, a NUL in the name
            lines.append(f"{name} error {getattr(exc, 'errno', None)}")
            continue
        lines.append(f"{name} {stat.S_IFMT(st.st_mode)} {stamp_of(st)}")
        newest = max(newest, st.st_mtime_ns, st.st_ctime_ns)
    return FontStamps(tuple(lines), newest)


def _font_names(root: Path) -> list[str]:
    """The values of ``fonts:`` in config.yaml, sorted (none when it cannot be read: check reports that)."""
    try:
        with _open_regular(root / CONFIG_FILE) as handle:
            config = yaml.load(handle, Loader=_YAML_LOADER)
    except (OSError, ValueError, yaml.YAMLError, RecursionError):
        return []
    fonts = config.get("fonts") if isinstance(config, dict) else None
    if not isinstance(fonts, dict):
        return []
    return sorted(str(value) for value in fonts.values() if value)


def _folder_for(root: Path) -> Path:
    name = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:24]
    return cache_root() / name


_UNREADABLE = (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError, KeyError)


def _current(data: Any, root: Path) -> bool:
    """Whether a cache header was written by this code for this folder."""
    return (
        isinstance(data, dict)
        and data.get("format") == FORMAT
        and data.get("code") == code_version()
        and data.get("root") == str(root)
    )


def _read(root: Path, name: str) -> dict[str, Any] | None:
    """A cache file's contents, or None when missing, unreadable or written by other code."""
    try:
        with _open_regular(_folder_for(root) / name) as handle:
            data: dict[str, Any] = pickle.load(handle)
    except _UNREADABLE:
        return None
    return data if _current(data, root) else None


def _open_regular(path: Path) -> BinaryIO:
    """``path`` opened for reading, without blocking: a pipe or device there is an OSError, never a wait."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError(f"{path} is not a regular file")
    return os.fdopen(fd, "rb")


def load_cache(root: Path) -> CheckCache:
    """The per-file results cached for ``root`` (empty when there are none): files.pickle, then its journal."""
    wait_written()
    return _load_cache(root)


@read_ahead(lambda root: [_folder_for(root) / FILES, _folder_for(root) / JOURNAL])
def _load_cache(root: Path) -> CheckCache:
    """``load_cache`` once no writer is still writing (decoded ahead by the preview: ``readahead``)."""
    cache = CheckCache(_folder_for(root))
    try:
        handle = _open_regular(cache.folder / FILES)
    except _UNREADABLE:
        return cache
    try:
        header = pickle.load(handle)
        if not _current(header, root):
            handle.close()
            return cache
        parts = _parts_of(handle, header["pickles"], cache.folder / FILES)
    except _UNREADABLE:
        handle.close()
        return cache
    listed: dict[int, list[Problem]] = {}
    for files, keys, records, found in parts:  # each part's columns joined in C
        listed.update((len(cache.files) + i, problems) for i, problems in found.items())
        cache.files += files
        cache.keys += keys
        cache.records += records
    cache.problems = list(map(list, repeat((), len(cache.files))))  # a list of its own each
    for i, problems in listed.items():
        cache.problems[i] = problems
    cache.written_ns = cache.base_ns = header["written_ns"]
    cache.racy = header["racy"]
    _apply_journal(root, cache)
    return cache


def _apply_journal(root: Path, cache: CheckCache) -> None:
    """Bring ``cache`` up to date with the journal written after its files.pickle (when there is one)."""
    try:
        with _open_regular(cache.folder / JOURNAL) as handle:
            header = pickle.load(handle)
            if not _current(header, root) or header.get("base") != cache.base_ns:
                return
            journal: dict[str, Entry | None] = pickle.load(handle)
    except _UNREADABLE:
        return
    cache.racy -= journal.keys()
    cache.apply(journal)
    cache.racy |= header["racy"]
    cache.written_ns, cache.journal = header["written_ns"], journal


def load_report_only(root: Path) -> CheckCache:
    """Only the fingerprint and report (small and quick), for a ``check`` with nothing changed."""
    cache = CheckCache(_folder_for(root))
    data = _read(root, "report.pickle")
    if data is not None:
        cache.written_ns, cache.fingerprint, cache.report = data["written_ns"], data["fingerprint"], data["report"]
    return cache


def _write(folder: Path, name: str, *payloads: Any) -> None:
    """Write the payloads as consecutive pickles, replacing the file atomically."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{name}.{os.getpid()}"
        with open(tmp, "wb") as handle:
            for payload in payloads:
                pickle.dump(payload, handle, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(folder / name)
    except OSError:
        return  # a cache that cannot be written is simply not written


def _aside(write: Callable[..., None], *args: Any) -> None:
    """``write(*args)`` in a forked child when there is much to write: the caller goes on meanwhile.

    Pickling a text also keeps its UTF-8 bytes beside it for as long as the text lives
    (~40 MB of the records' texts at 100,000 issues); in the child they go when it ends.
    Writers are waited for before the cache is read or written again, and at exit.
    """
    wait_written()
    if not hasattr(os, "fork"):
        write(*args)
        return
    heap.give_back()  # a child's size starts at the parent's: without its free pages (the build's peak at 100k)
    try:
        pid = os.fork()
    except OSError:
        write(*args)
        return
    if pid == 0:  # the child: write, then end without running the parent's exit handlers
        code = 1
        try:
            write(*args)
            code = 0
        finally:
            os._exit(code)
    if not _ASIDE:
        atexit.register(wait_written)
    _ASIDE.append(pid)


_ASIDE: list[int] = []  # writers forked by this process and not yet waited for


def wait_written() -> None:
    """Wait until every cache file written aside (``_aside``) is in place."""
    while _ASIDE:
        try:
            os.waitpid(_ASIDE.pop(), 0)
        except ChildProcessError:  # already reaped
            continue


def _header(root: Path) -> dict[str, Any]:
    return {"format": FORMAT, "code": code_version(), "root": str(root), "written_ns": time.time_ns()}


def _save_entries(root: Path, entries: list[tuple[str, Entry]]) -> int:
    """files.pickle with ``entries`` (a journal beside it no longer applies); returns its stamp."""
    header = _header(root)
    racy = racy_files(((file, entry[0]) for file, entry in entries), header["written_ns"])
    parts = -(-len(entries) // ENTRIES_PER_PICKLE)
    args = (_folder_for(root), {**header, "pickles": parts, "racy": racy}, entries)
    if len(entries) >= ASIDE_FROM:
        _aside(_write_columns, *args)  # the columns are made in the child too
    else:
        _write_columns(*args)
    return int(header["written_ns"])


def _write_columns(folder: Path, header: dict[str, Any], entries: list[tuple[str, Entry]]) -> None:
    """files.pickle: ``header``, then ``entries`` by ``ENTRIES_PER_PICKLE``: each part by columns, then its values."""
    parts = (_columns(entries[i : i + ENTRIES_PER_PICKLE]) for i in range(0, len(entries), ENTRIES_PER_PICKLE))
    _write_bytes(folder, FILES, pickle.dumps(header, protocol=pickle.HIGHEST_PROTOCOL), *chain.from_iterable(parts))


Columns = tuple[list[str], str, list["Record | None"], dict[int, "list[Problem]"], lazyrecords.Part]


def _columns(entries: list[tuple[str, Entry]]) -> tuple[bytes, bytes]:
    """Entries as files.pickle holds them, pickled: the files' names, their stat keys as one text (a line
    each), their records without their values, the problems there are by position, and the records'
    values' size and CRC (``lazyrecords.Part``); then those values, as one pickle (``lazyrecords``: read from
    the file and unpickled when first needed).

    A name is its record's own string: pickle's memo writes it once.
    """
    part, records = lazyrecords.dump_part([entry[1] for _, entry in entries])
    columns: Columns = (
        [file for file, _ in entries],
        "\n".join(entry[0] for _, entry in entries),
        records,
        {i: entry[2] for i, (_, entry) in enumerate(entries) if entry[2]},
        part,
    )
    return lazyrecords.dumps(columns), part.values


def _parts_of(
    handle: BinaryIO, count: int, path: Path
) -> list[tuple[list[str], list[StatKey], list[Record | None], dict[int, list[Problem]]]]:
    """The ``count`` parts of files.pickle after its header, as columns (``_columns_of``): each part's values are
    passed over, left in the file (``handle``, from then on owned by the parts: ``lazyrecords.ValuesFile``)."""
    found = []
    places = []
    for _ in range(count):
        columns: Columns = pickle.load(handle)
        places.append((columns[4], handle.tell()))
        handle.seek(columns[4].size, os.SEEK_CUR)
        found.append(_columns_of(columns))
    values = lazyrecords.ValuesFile(handle, handle.tell(), os.fspath(path))  # as long as written, else a ValueError
    for part, at in places:
        part.placed(values, at)
    return found


def _columns_of(columns: Columns) -> tuple[list[str], list[StatKey], list[Record | None], dict[int, list[Problem]]]:
    """One part of files.pickle (``_columns``) as columns: files, stat keys, records, and the problems by position."""
    files, keys, records, listed, part = columns
    stamps = keys.split("\n") if files else []
    if not len(files) == len(stamps) == len(records):
        raise ValueError("a part of the check cache is damaged")
    part.records = records
    return files, stamps, records, listed


def save_changes(root: Path, cache: CheckCache, changed: dict[str, Entry | None]) -> int:
    """Remember the ``changed`` files' results (None: gone) beside the cached ones; returns the stamp.

    Only the entries changed since files.pickle are written, as its journal; once the
    journal holds a twentieth of the entries (``JOURNAL_SHARE``), everything is written
    into files.pickle again.  ``cache`` is left as it was loaded.
    """
    journal = {**cache.journal, **changed}
    if not cache.base_ns or len(journal) > max(JOURNAL_MIN, len(cache.files) // JOURNAL_SHARE):
        entries = {**cache.entries, **changed}
        return _save_entries(root, [(f, e) for f, e in entries.items() if e is not None])
    header = _header(root)
    racy = {f for f in cache.racy if f in cache.journal and f not in changed}
    racy |= racy_files(((f, e[0]) for f, e in changed.items() if e is not None), header["written_ns"])
    _write(_folder_for(root), JOURNAL, {**header, "base": cache.base_ns, "racy": racy}, journal)
    return int(header["written_ns"])


def save_state(
    root: Path, written_ns: int, state: object, files: int, kept: object = None, listed: bytes | None = None
) -> None:
    """Remember what the rules across records found (about ``files`` files), for the results stamped ``written_ns``;
    ``kept``, the last discovery and gathering (``validate.kept``); and ``listed``, the folder's listing whose
    lines the results' keys are (``source_keys``).  None: not written.

    Each is written with a token of its own, and tied to the results by a small file beside it
    (``_tie``: the token and ``written_ns``), so that tying it to later results rewrites only that
    (``retie_kept``).  All are written by one writer (aside when there are many files and more than the listing).
    """
    payloads = ((RULES, state), (KEPT, kept), (LISTED, listed))
    writes = [(name, payload) for name, payload in payloads if payload is not None]
    if not writes:
        return
    # the listing alone is one write of its bytes: here, not worth a fork (whose copied pages the caller then
    # pays for as it goes on: ~0.2 CPU s of system time in a build at 100,000 issues)
    if files >= ASIDE_FROM and any(name != LISTED for name, _ in writes):
        _aside(_write_all, root, written_ns, writes)
    else:
        _write_all(root, written_ns, writes)


def _tie(name: str) -> str:
    """The file that ties what is kept in ``name`` to the results it was made with."""
    return f"{name}.tie"


def retie_kept(root: Path, before_ns: int, written_ns: int, name: str = KEPT) -> None:
    """Tie what ``save_state`` kept (``name``: KEPT or RULES) with the results stamped ``before_ns`` to those
    stamped ``written_ns``.

    Only its tie is written again (nothing of it read or copied: at 100,000 issues the
    rules' state is 28 MB); when it is no longer tied to ``before_ns`` it is left as it is
    (and so not used).
    """
    wait_written()
    tie = _read(root, _tie(name))
    if tie is not None and tie.get("files") == before_ns:
        _write(_folder_for(root), _tie(name), {**_header(root), "files": written_ns, "token": tie.get("token")})


def _write_all(root: Path, written_ns: int, writes: list[tuple[str, object]]) -> None:
    """Each (name, payload) of ``writes`` as a file of two pickles, a header with a new token and the payload;
    then its tie to the results stamped ``written_ns``."""
    folder = _folder_for(root)
    for name, payload in writes:
        header = {**_header(root), "token": os.urandom(16).hex()}
        _write(folder, name, header, payload)
        _write(folder, _tie(name), {**_header(root), "files": written_ns, "token": header["token"]})


def load_state(root: Path, written_ns: int, name: str = RULES) -> object | None:
    """The state ``save_state`` kept with the per-file results stamped ``written_ns`` (None when there is none)."""
    wait_written()
    return _load_state(root, written_ns, name)


@read_ahead(lambda root, written_ns, name: [_folder_for(root) / _tie(name), _folder_for(root) / name])
def _load_state(root: Path, written_ns: int, name: str) -> object | None:
    """``load_state`` once no writer is still writing (decoded ahead by the preview: ``readahead``)."""
    tie = _read(root, _tie(name))
    if tie is None or tie.get("files") != written_ns:
        return None
    try:
        with _open_regular(_folder_for(root) / name) as handle:
            header = pickle.load(handle)
            if not _current(header, root) or header.get("token") != tie.get("token"):
                return None
            state: object = pickle.load(handle)
    except _UNREADABLE:
        return None
    return state


def load_kept(root: Path, written_ns: int) -> object | None:
    """What ``save_state`` kept of the last discovery and gathering with the results stamped ``written_ns``."""
    return load_state(root, written_ns, KEPT)


def load_listed(root: Path, written_ns: int) -> bytes | None:
    """The listing ``save_state`` kept with the results stamped ``written_ns``: their keys are its lines."""
    found = load_state(root, written_ns, LISTED)
    return found if isinstance(found, bytes) else None


def _write_bytes(folder: Path, name: str, *parts: bytes) -> None:
    """Write ``parts`` one after the other, replacing the file atomically."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{name}.{os.getpid()}"
        with open(tmp, "wb") as handle:
            handle.writelines(parts)
        tmp.replace(folder / name)
    except OSError:
        return  # a cache that cannot be written is simply not written


def save_report(root: Path, listing: TreeListing, fonts: FontStamps, report: Report) -> None:
    """Remember the final report of ``check`` under the fingerprint of everything it read.

    Not when a file or font changed just before the walk: a second edit within the clock's
    granularity could leave its line unchanged, and the stale report would be served.
    """
    if listing.racy() or fonts.racy(listing.taken_ns):
        return
    print_ = fingerprint(listing, fonts)
    _write(_folder_for(root), "report.pickle", {**_header(root), "fingerprint": print_, "report": report})
