"""Every input file's state as the build cache keeps it: a column per value, read, compared and written in bulk.

At 100,000 issues a build has 187,000 input files, and after one edit it needs the state
of a handful.  A tuple per file, made when the state is loaded and compared with the
listing one by one, cost ~0.5 CPU s; here each value is one list over the files (in the
build's order), a file's ``FileState`` made only when asked for, the listing compared
with the saved stamps by ``map`` in C (``moved``), and the state written as its head and
its columns in Python's ``marshal`` format (``dumped``), read back into those lists in C
(``loaded``; a date every file shares is one text, written once).  As a JSON text, a
column a line, it took 0.25 CPU s to load and 0.1 to write; so ~0.08 and ~0.05.
``publish.cache`` says what the values mean.

The state is loaded while the build's first listing runs, and after an edit loading it
took longer than the listing (100,000 issues, a fresh process: ~0.115 s of ~0.45): so the
base carries a CRC-32 of itself and is not looked at item by item (is every key a text,
none twice: ~0.03 s), and its stamps, of which an edit reads a handful, stay one text with
where each ends (``_Packed``), cut out when asked for (not 187,000 texts made: ~0.03 s).

A build after one edit changes a handful of files' states, so the state is saved as a base
(every file) followed by a journal: each later build appends one record of the files it
set or dropped (``journal_record``), and ``loaded`` applies the records in turn.  The base
is written again when the journal has grown past a bound (``JOURNAL_RECORDS``,
``JOURNAL_SHARE``).  Writing the whole state took ~0.12 CPU s at 100,000 issues (32 MB).

The states carry the listings whose facts their stamps are (``listed``): saved with them,
they let the next build compare only the lines of its listing that differ from them
(``publish.cache``), and the few keys it then looks up are found by a scan, without the
place of every key (``_where``).  The base holds them whole (16 MB at 100,000 issues), a
journal record only the lines where they differ from the listings before it
(``_splice``): written whole beside the state by each build, as they were until version
10, they cost it ~0.03 CPU s at 100,000 issues (save_state: ~0.035 -> ~0.011 CPU s).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import marshal
import mmap
import operator
import re
import sys
import zlib
from array import array
from collections.abc import Collection, ItemsView, Iterable, Iterator, Mapping, MutableMapping, Sequence, ValuesView
from dataclasses import dataclass, field
from itertools import accumulate, chain, compress, repeat
from operator import itemgetter
from typing import Any, NamedTuple

from reportgen.textspans import middles

EVERYTHING = ""  # the "earliest date" of a file that affects every period


class FileState(NamedTuple):
    """What the cache knows about one input file."""

    stamp: str  # "size mtime ctime inode" as the fast listing writes them (``filewalk.stamp_of``)
    sha256: str
    earliest: str | None  # ISO date, EVERYTHING, or None for a bulletin text (its own period only)
    latest: str | None = None  # the latest date it carries (ISO), None when it has none that moves the horizon
    shown: str | None = None  # its record's latest date as the bulletins count it (ISO, ``record_latest_date``)


_file_state = functools.partial(tuple.__new__, FileState)  # FileState from a tuple of its values, made in C

VALUES = ("stamps", "sha256", "earliest", "latest", "shown")  # the columns of a ``FileState``, in its order
MAGIC = b"reportgen build state 10\n"  # what a saved state starts with, before the base's length, CRC and marshal data
_SIZE = 8  # bytes of a length (the base's, a journal record's), little-endian
_CRC = 4  # bytes of the base's CRC-32, little-endian
_CHECK = 16  # bytes of a journal record's BLAKE2b digest: a record cut short or damaged is seen
JOURNAL_RECORDS = 64  # at most this many records after the base: each is read back by every build
JOURNAL_SHARE = 16  # the journal may grow to 1/16 of the base's bytes before the base is written again
JOURNAL_FLOOR = 1 << 16  # or to this many bytes, whatever the base's size (a small state's journal)
DIGESTS = "shas_digest"  # the head's entry of the digests kept with the files (``FileStates.shas_digest``)
LISTED = "listed"  # the head's entry of the listings of the files (``FileStates.listed``): whole, or spliced
SCANS = 16  # keys looked up by a scan of the keys before the place of every key is made (``FileStates._where``)


@dataclass
class SavedAs:
    """Where a ``FileStates`` read from a saved state came from, and what was set or dropped in it since."""

    token: str  # the state file as read (``filewalk.stamp_of``): appended to only if still so
    base: int  # bytes of the base's marshal data
    records: int  # journal records after the base
    journal: int  # bytes of those records
    changed: set[str] = field(default_factory=set)  # keys set since (kept or added)
    dropped: set[str] = field(default_factory=set)  # keys of the saved state removed since
    listed: dict[str, bytes] | None = None  # the listings as read: a journal record's are spliced into them


class FileStates(MutableMapping[str, FileState]):
    """The input files' states by key, in the build's order: the keys and a list per ``FileState`` value."""

    def __init__(self, keys: list[str], columns: list[Any]) -> None:
        """``columns``: stamp, sha256, earliest, latest, shown, one list each in the order of the keys (the stamps
        may be ``_Packed``: a pass over every file makes them a list, ``_unpacked``).
        """
        self._keys = keys
        self._columns = columns
        self._place: dict[str, int] | None = None
        self._found: dict[str, int] = {}  # the places found by a scan, while ``_place`` is not made
        self._scans = 0
        self.saved_as: SavedAs | None = None  # set by ``loaded``: what a save may append (``journal_record``)
        # the listings (``TreeListing.data`` by key prefix) whose facts are the stamps of exactly these files, as
        # the change detection compared them whole (``publish.cache``); forgotten when a file is added, dropped or
        # given another stamp
        self.listed: dict[str, bytes] | None = None
        # ``shas_digest(skip)`` by ``skip``, of these files as they are now: saved with them, and forgotten when a
        # file it covers is added, dropped or given another SHA-256 (``_touched``)
        self.digests: dict[str, str] = {}

    @classmethod
    def of(cls, states: Mapping[str, FileState]) -> FileStates:
        """``states`` as columns (itself when it is a ``FileStates``)."""
        if isinstance(states, FileStates):
            return states
        rows = list(states.values())
        return cls(list(states), [list(map(itemgetter(i), rows)) for i in range(len(VALUES))])

    @property
    def place(self) -> dict[str, int]:
        """Each key's place in the columns (made when first asked for, in C)."""
        if self._place is None:
            self._place = dict(zip(self._keys, range(len(self._keys)), strict=True))
        return self._place

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def _where(self, key: str) -> int | None:
        """The place of ``key`` in the columns (None: not here).

        A build after one edit looks up a handful of keys: each is found by a scan of the keys
        in C (~1 ms at 187,000 files), where the place of every key (``place``) costs ~50 ms.
        After ``SCANS`` scans the places are made.
        """
        if self._place is None and self._scans < SCANS:
            if key in self._found:
                return self._found[key]
            self._scans += 1
            try:
                self._found[key] = i = self._keys.index(key)
            except ValueError:
                return None
            return i
        return self.place.get(key)

    def _at(self, key: str) -> int:
        """The place of ``key``; KeyError when it is not here."""
        i = self._where(key)
        if i is None:
            raise KeyError(key)
        return i

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._where(key) is not None

    def __getitem__(self, key: str) -> FileState:
        i = self._at(key)
        stamps, shas, earliest, latest, shown = self._columns
        return _file_state((stamps[i], shas[i], earliest[i], latest[i], shown[i]))

    def __setitem__(self, key: str, state: FileState) -> None:
        if self.saved_as is not None:
            self.saved_as.changed.add(key)
        i = self._where(key)
        if i is None or self._columns[0][i] != state.stamp:
            self.listed = None
        if i is None or self._columns[1][i] != state.sha256:
            self._touched([key])
        if i is None:
            if self._place is not None:
                self._place[key] = len(self._keys)
            self._keys.append(key)
            for column, value in zip(self._unpacked(), state, strict=True):
                column.append(value)
            return
        for column, value in zip(self._columns, state, strict=True):
            column[i] = value

    def extend(self, keys: list[str], columns: list[list[Any]]) -> None:
        """Add the files ``keys`` (not here yet) after the others, with their states as columns: a list per
        ``FileState`` value, in the keys' order (no state made: at 100,000 issues, 0.35 s beside the records).
        """
        start = len(self._keys)
        if self.saved_as is not None:
            self.saved_as.changed.update(keys)
        if self._place is not None:
            self._place.update(zip(keys, range(start, start + len(keys)), strict=True))
        self.listed = None
        self._touched(keys)
        self._keys.extend(keys)
        for column, values in zip(self._unpacked(), columns, strict=True):
            column.extend(values)

    def __delitem__(self, key: str) -> None:
        self._at(key)
        self.drop({key})

    def drop(self, keys: set[str]) -> None:
        """Remove the files ``keys`` (in one pass over the columns)."""
        kept = list(map(operator.not_, map(keys.__contains__, self._keys)))
        if self.saved_as is not None:  # a key set since and now dropped is no longer among those set
            self.saved_as.changed -= keys
            self.saved_as.dropped.update(compress(self._keys, map(operator.not_, kept)))
        self._keys = list(compress(self._keys, kept))
        self._columns = [list(compress(column, kept)) for column in self._unpacked()]
        self._place, self._found = None, {}
        self.listed = None
        self._touched(keys)

    def _touched(self, keys: Collection[str]) -> None:
        """Forget the digests kept (``digests``) that cover one of the files ``keys``: added, dropped or changed."""
        if self.digests:
            self.digests = {skip: d for skip, d in self.digests.items() if all(map(str.startswith, keys, repeat(skip)))}

    def items(self) -> ItemsView[str, FileState]:
        """(key, state) of every file, the states made in C as they are iterated."""
        return _Items(self)

    def values(self) -> ValuesView[FileState]:
        """Every file's state, made in C as they are iterated."""
        return _Values(self)

    def rows(self) -> Iterator[FileState]:
        """Every file's state, in order."""
        return map(_file_state, zip(*self._unpacked(), strict=True))

    def column(self, name: str) -> list[Any]:
        """The values ``name`` (one of ``VALUES``) of every file, in order (not to be changed)."""
        at = VALUES.index(name)
        return self._unpacked()[at] if at == 0 else self._columns[at]  # the stamps only made a list for them

    def _unpacked(self) -> list[list[Any]]:
        """The columns, each a list (the stamps as loaded made one, once): for a pass over every file."""
        if isinstance(self._columns[0], _Packed):
            self._columns[0] = self._columns[0].unpacked()
        return self._columns

    def redated(self, dates: list[tuple[str | None, str | None, str | None]]) -> FileStates:
        """These states with each file's (earliest, latest, shown) ``dates`` (one per file, in order)."""
        columns = [
            *(list(column) for column in self._unpacked()[:2]),
            *(list(map(itemgetter(i), dates)) for i in range(3)),
        ]
        redated = FileStates(list(self._keys), columns)
        redated.listed = self.listed  # the same stamps
        redated.digests = dict(self.digests)  # and the same SHA-256
        return redated

    def only(self, wanted: Iterable[str]) -> dict[str, list[Any]]:
        """The ``[stamp, sha256, earliest, latest, shown]`` of the files ``wanted`` that are here, by key."""
        return {key: list(self[key]) for key in wanted if key in self}

    def under(self, heads: Sequence[str]) -> tuple[list[list[int]], list[str]]:
        """The places of the keys that start with each of ``heads`` (no key with two), and the keys with none.

        Every key is looked at for the first head only (the records' folder, nearly every file);
        for the next, those it did not take (in C, as ``moved``).
        """
        rest: Sequence[int] = range(len(self._keys))
        found = []
        for head in heads:
            inside = list(map(str.startswith, map(self._keys.__getitem__, rest), repeat(head)))
            found.append(list(compress(rest, inside)))
            rest = list(compress(rest, map(operator.not_, inside)))
        return found, list(map(self._keys.__getitem__, rest))

    def moved(self, head: str, stamps: Mapping[str, str], mine: list[int]) -> tuple[list[str], list[str]]:
        """The keys of the files under ``head`` (at the places ``mine``: ``under``) whose stamp is not their
        stamp in ``stamps`` (by path below ``head``; one missing there too), and the paths in ``stamps`` of no
        file here, in their order.

        One pass of ``map`` over the keys and the stamps, in C: no ``FileState`` made, no loop in Python.
        """
        keys, size = self._keys, len(head)
        rels = list(map(itemgetter(slice(size, None)), map(keys.__getitem__, mine)))  # in C: no loop in Python
        if rels == list(stamps):  # the files listed as the last build listed them (no file added, gone or moved)
            now: list[str | None] = list(stamps.values())  # no lookup by path
        else:
            now = list(map(stamps.get, rels))
        differs = map(operator.ne, now, map(self.column("stamps").__getitem__, mine))
        moved = list(compress(map(keys.__getitem__, mine), differs))
        if len(stamps) == len(now) - now.count(None):
            return moved, []
        known = set(rels)
        return moved, [rel for rel in stamps if rel not in known]

    def shas(self, prefix: str | tuple[str, ...]) -> dict[str, str]:
        """The SHA-256 of every file whose key starts with ``prefix`` (or one of those), by key ("" unknown)."""
        under = list(map(str.startswith, self._keys, repeat(prefix)))
        return dict(zip(compress(self._keys, under), compress(self._columns[1], under), strict=True))

    def shas_digest(self, skip: str) -> str | None:
        """A digest of the key and SHA-256 of every file but those whose key starts with ``skip``, in order (None:
        one's SHA-256 is unknown): of the text ``key NUL sha256 NUL`` of each, one after the other.

        Kept (``digests``) and saved with the files: after an edit of files under ``skip`` alone (an issue's
        title) it is the last build's, where working it out passed over every file (100,000 issues: ~0.07 CPU s).
        """
        known = self.digests.get(skip)
        if known is None:
            known = self._shas_digest(skip)
            if known is not None:
                self.digests[skip] = known
        return known

    def _shas_digest(self, skip: str) -> str | None:
        """``shas_digest(skip)`` worked out."""
        kept = list(map(operator.not_, map(str.startswith, self._keys, repeat(skip))))
        shas = list(compress(self._columns[1], kept))
        if "" in shas:
            return None
        pairs = list(chain.from_iterable(zip(compress(self._keys, kept), shas, strict=True)))
        text = "\0".join(pairs) + "\0" if pairs else ""
        return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()

    def dumped(self, head: dict[str, Any]) -> tuple[bytes, bytes]:
        """The state's bytes in two pieces, to be written one after the other: ``MAGIC``, the length of the rest
        and its CRC-32; then ``head``, the keys and each column (the stamps packed: ``_Packed.of``), marshalled
        (``loaded`` reads them).  Not joined: at 100,000 issues the rest is 50 MB, and a cold build saves it
        at its peak.
        """
        stamps, *rest = self._unpacked()
        base = marshal.dumps([self._head(head, self.listed), self._keys, _Packed.of(stamps), *rest])
        return MAGIC + len(base).to_bytes(_SIZE, "little") + zlib.crc32(base).to_bytes(_CRC, "little"), base

    def journal_record(self, head: dict[str, Any]) -> bytes | None:
        """What to append to the saved state these files were read from to make it theirs with ``head``: the
        keys dropped, then the files set since, in their order (framed: length, digest, marshal data).

        None when they were not read from a saved state (or were all redated), or the journal is full:
        then the whole state is written (``dumped``).
        """
        since = self.saved_as
        if since is None or since.records >= JOURNAL_RECORDS:
            return None
        places = sorted(map(self._at, since.changed))  # a few keys: no pass over every file
        columns = [list(map(column.__getitem__, places)) for column in (self._keys, *self._columns)]
        listed = _spliced(since.listed, self.listed)
        body = marshal.dumps([self._head(head, listed), sorted(since.dropped), *columns])
        if since.journal + len(body) > max(since.base // JOURNAL_SHARE, JOURNAL_FLOOR):
            return None
        return len(body).to_bytes(_SIZE, "little") + _check(body) + body

    def _head(self, head: dict[str, Any], listed: Any) -> dict[str, Any]:
        """``head`` with the digests kept of these files and their ``listed`` as saved (``loaded`` gives them
        back).
        """
        return {**head, DIGESTS: dict(self.digests), LISTED: listed}


def _spliced(before: dict[str, bytes] | None, now: dict[str, bytes] | None) -> dict[str, Any] | None:
    """The listings ``now`` as a journal record saves them: by key prefix, each as a ``_splice`` of the one
    ``before`` when there was one, else whole (None: none).
    """
    if now is None:
        return None
    return {
        prefix: _splice(before[prefix], data) if before is not None and prefix in before else data
        for prefix, data in now.items()
    }


def _splice(old: bytes, new: bytes) -> tuple[int, int, bytes]:
    """Where the listing ``new`` differs from ``old``, an earlier one of the same folder: where the lines of ``old``
    that differ start, how many bytes they take, and the lines of ``new`` in their place.

    The two are compared a block at a time (``textspans.middles``), then the lines of the blocks
    that differ one by one: after an edit, one line.
    """
    start, was, now = middles(old, new, b"\0")
    old_lines, new_lines = _LINES.findall(was), _LINES.findall(now)  # each with its NUL: joined, the middles
    shortest = min(len(old_lines), len(new_lines))
    head = next((k for k in range(shortest) if old_lines[k] != new_lines[k]), shortest)
    tail = next((k for k in range(shortest - head) if old_lines[-1 - k] != new_lines[-1 - k]), shortest - head)
    start += sum(map(len, old_lines[:head]))
    kept = old_lines[head : len(old_lines) - tail]
    return start, sum(map(len, kept)), b"".join(new_lines[head : len(new_lines) - tail])


_LINES = re.compile(rb"[^\0]*\0|[^\0]+")  # a listing's lines, each with the NUL that ends it (the last may have none)


Listings = dict[str, list[memoryview]]  # the listings while the journal is read: each as pieces, joined once


def _listings(saved: Any, before: Listings | None) -> Listings | None:
    """The listings ``saved`` with a base or a journal record (``_spliced``) made whole again from the listings
    ``before`` it (None: none, or misshapen).
    """
    if type(saved) is not dict:
        return None
    listed: Listings = {}
    for prefix, data in saved.items():
        if type(prefix) is not str:
            return None
        if type(data) is bytes:
            pieces: list[memoryview] | None = [memoryview(data)]
        elif type(data) is tuple and before is not None and prefix in before:
            pieces = _applied(before[prefix], data)
        else:
            return None
        if pieces is None:
            return None
        listed[prefix] = pieces
    return listed


def _applied(pieces: list[memoryview], splice: tuple[Any, ...]) -> list[memoryview] | None:
    """The listing ``pieces`` make with the ``splice`` (``_splice``) made in it, as pieces (None: misshapen).

    No listing is copied for a splice: the pieces are joined once, after the last (``_joined``).
    """
    if not (len(splice) == 3 and _all_of(splice[:2], {int}) and type(splice[2]) is bytes):
        return None
    start, size, lines = splice
    total = sum(map(len, pieces))
    if not 0 <= start <= start + size <= total:
        return None
    return [*_cut(pieces, 0, start), memoryview(lines), *_cut(pieces, start + size, total)]


def _cut(pieces: list[memoryview], low: int, high: int) -> list[memoryview]:
    """The bytes from ``low`` to ``high`` of what ``pieces`` make, as pieces."""
    cut, at = [], 0
    for piece in pieces:
        start, end = max(low - at, 0), min(high - at, len(piece))
        if start < end:
            cut.append(piece[start:end])
        at += len(piece)
    return cut


def _joined(pieces: list[memoryview]) -> bytes:
    """The listing ``pieces`` make (the one read, when no record spliced it)."""
    if len(pieces) == 1 and type(pieces[0].obj) is bytes and len(pieces[0]) == len(pieces[0].obj):
        return pieces[0].obj
    return b"".join(pieces)


class _Packed:
    """A column of texts as a saved state's base holds it: the texts one after another, and where each ends.

    A text is cut out when asked for, one set is kept aside, and the list of every text is
    made only for a pass over the column (``unpacked``).
    """

    def __init__(self, joined: str, ends: array[int]) -> None:
        self._joined, self._ends = joined, ends
        self._set: dict[int, str] = {}  # the texts set since, by place

    @staticmethod
    def of(texts: list[str]) -> tuple[str, bytes]:
        """``texts`` as the base saves them: joined, and the place each ends as 8 bytes, little-endian."""
        ends = array("q", accumulate(map(len, texts)))
        if sys.byteorder == "big":
            ends.byteswap()
        return "".join(texts), ends.tobytes()

    @staticmethod
    def read(saved: object) -> _Packed | None:
        """The column ``of`` saved (None: it has another shape)."""
        if not (type(saved) is tuple and len(saved) == 2 and type(saved[0]) is str and type(saved[1]) is bytes):
            return None
        joined, ends = saved[0], array("q")
        if len(saved[1]) % ends.itemsize:
            return None
        ends.frombytes(saved[1])
        if sys.byteorder == "big":
            ends.byteswap()
        return _Packed(joined, ends) if (ends[-1] if ends else 0) == len(joined) else None

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, i: int) -> str:
        found = self._set.get(i)
        if found is not None:
            return found
        end = self._ends[i]  # IndexError beyond the column
        return self._joined[self._ends[i - 1] if i > 0 else 0 : end]

    def __setitem__(self, i: int, text: str) -> None:
        self._ends[i]  # IndexError beyond the column
        self._set[i] = text

    def unpacked(self) -> list[str]:
        """Every text, in order."""
        texts = list(map(self._joined.__getitem__, map(slice, chain((0,), self._ends), self._ends)))
        for i, text in self._set.items():
            texts[i] = text
        return texts


class _Items(ItemsView[str, FileState]):
    """``FileStates.items()``: the pairs made in C."""

    _mapping: FileStates

    def __iter__(self) -> Iterator[tuple[str, FileState]]:
        return zip(self._mapping, self._mapping.rows(), strict=True)


class _Values(ValuesView[FileState]):
    """``FileStates.values()``: the states made in C."""

    _mapping: FileStates

    def __iter__(self) -> Iterator[FileState]:
        return self._mapping.rows()


def _check(body: bytes) -> bytes:
    """A journal record's digest."""
    return hashlib.blake2b(body, digest_size=_CHECK).digest()


def loaded(data: bytes | mmap.mmap, token: str = "") -> tuple[dict[str, Any], FileStates] | None:
    """The head and the files of a state as ``FileStates.dumped`` wrote it, with each journal record after it
    applied (``journal_record``); None when it has another shape (another version's, edited by hand, a record
    cut short).  ``token`` names the file read: the files may be saved again by appending to it.
    """
    start = len(MAGIC) + _SIZE + _CRC
    if data[: len(MAGIC)] != MAGIC or len(data) < start:
        return None
    end = start + int.from_bytes(data[len(MAGIC) : len(MAGIC) + _SIZE], "little")
    found = _base(data, start, end)
    if found is None:
        return None
    head, keys, *columns = found
    files = FileStates(keys, columns)
    listed = _listings(head.pop(LISTED, None), None)
    records, at = 0, end
    while at < len(data):
        head, at, listed = _replay(files, data, at, listed)
        if head is None:
            return None
        records += 1
    files.listed = None if listed is None else {prefix: _joined(pieces) for prefix, pieces in listed.items()}
    files.saved_as = SavedAs(token, end - start, records, len(data) - end, listed=files.listed)
    digests = head.pop(DIGESTS, None)  # the last record's: of the files as they are after it
    if type(digests) is dict and _all_of([*digests, *digests.values()], {str}):
        files.digests = digests
    return head, files


def _replay(
    files: FileStates, data: bytes | mmap.mmap, at: int, listed: Listings | None
) -> tuple[dict[str, Any] | None, int, Listings | None]:
    """Apply to ``files`` the journal record at ``at``, and to the listings ``listed`` before it: its head (None:
    damaged), where the next starts, and the listings after it.
    """
    start = at + _SIZE + _CHECK
    end = start + int.from_bytes(data[at : at + _SIZE], "little")
    if end > len(data) or _check(data[start:end]) != data[at + _SIZE : start]:
        return None, at, listed
    found = _columns(data, start, end, 3)
    if found is None:
        return None, at, listed
    head, dropped, keys, *columns = found
    if not _all_of(dropped, {str}) or len(set(keys)) != len(keys):
        return None, at, listed
    if dropped:  # a pass over every key: only when a file went
        files.drop(set(dropped))
    for key, state in zip(keys, map(_file_state, zip(*columns, strict=True)), strict=True):
        files[key] = state
    return head, end, _listings(head.pop(LISTED, None), listed)


def _base(data: bytes | mmap.mmap, start: int, end: int) -> list[Any] | None:
    """The base's ``[head, keys, column…]`` in ``data[start:end]`` (the stamps ``_Packed``); None when it is not
    the one ``dumped`` wrote, or has another shape.

    A base whose CRC-32 is the one framed with it is as ``dumped`` wrote it, from a ``FileStates``:
    its keys and texts are not looked at one by one (a hand's edit, a copy cut short, fails the CRC);
    its dates are, as the build reads them (``iso_or_none``).
    """
    if end > len(data) or zlib.crc32(memoryview(data)[start:end]) != int.from_bytes(
        data[start - _CRC : start], "little"
    ):
        return None
    try:
        found = marshal.loads(memoryview(data)[start:end])
    except (EOFError, ValueError, TypeError, MemoryError):
        return None
    if not (type(found) is list and len(found) == 2 + len(VALUES) and type(found[0]) is dict):
        return None
    head, keys, saved, *columns = found
    stamps = _Packed.read(saved)
    if stamps is None or not all(type(part) is list and len(part) == len(stamps) for part in (keys, *columns)):
        return None
    return [head, keys, stamps, *columns] if _dates(columns[1:]) else None


def _columns(data: bytes | mmap.mmap, start: int, end: int, lists: int) -> list[Any] | None:
    """The marshalled ``[head, list…, column…]`` in ``data[start:end]`` (``lists`` - 1 lists of keys before the
    columns, each column as long as the last of them); None when it has another shape.
    """
    try:
        found = marshal.loads(memoryview(data)[start:end])
    except (EOFError, ValueError, TypeError, MemoryError):  # not marshal data (a hand's edit)
        return None
    if not (type(found) is list and len(found) == lists + len(VALUES) and type(found[0]) is dict):
        return None
    if not all(type(part) is list for part in found[1:]):
        return None
    keys, columns = found[lists - 1], found[lists:]
    if not all(len(column) == len(keys) for column in columns):
        return None
    if not all(_all_of(column, {str}) for column in (keys, *columns[:2])):
        return None
    return found if _dates(columns[2:]) else None


def _dates(columns: list[list[Any]]) -> bool:
    """Whether every value of the date ``columns`` is a date in ISO form, EVERYTHING or None.

    Each value is looked at once (~190,000 files share a few thousand): their types, then their
    texts; a value no set can hold is not a date either.
    """
    try:
        dates = set().union(*columns)
    except TypeError:
        return False
    return _all_of(dates, {str, type(None)}) and all(d == EVERYTHING or iso_or_none(d) for d in dates)


def _all_of(column: Iterable[Any], types: set[type]) -> bool:
    """Whether every value of ``column`` is of one of ``types`` (the type of each looked at in C)."""
    return set(map(type, column)) <= types


def iso_or_none(value: Any) -> bool:
    """Whether ``value`` is None or a date in ISO form."""
    if value is None:
        return True
    try:
        return isinstance(value, str) and bool(dt.date.fromisoformat(value))
    except ValueError:
        return False
