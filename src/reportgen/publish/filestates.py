"""Every input file's state as the build cache keeps it: a column per value, read, compared and written in bulk.

At 100,000 issues a build has 187,000 input files, and after one edit it needs the state
of a handful.  A tuple per file, made when the state is loaded and compared with the
listing one by one, cost ~0.5 CPU s; here each value is one list over the files (in the
build's order), a file's ``FileState`` made only when asked for, the listing compared
with the saved stamps by ``map`` in C (``moved``), and the state written with each column
on a line of its own: a column no change touched is written back as the text it was read
from (``lines``).  ``publish.cache`` says what the values mean.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import operator
from collections.abc import ItemsView, Iterable, Iterator, Mapping, MutableMapping, ValuesView
from itertools import chain, compress, repeat
from operator import itemgetter
from typing import Any, NamedTuple

EVERYTHING = ""  # the "earliest date" of a file that affects every period


class FileState(NamedTuple):
    """What the cache knows about one input file."""

    stamp: str  # "size mtime ctime inode" as the fast listing writes them (``filewalk.stamp_of``)
    sha256: str
    earliest: str | None  # ISO date, EVERYTHING, or None for a bulletin text (its own period only)
    latest: str | None = None  # the latest date it carries (ISO), None when it has none that moves the horizon
    shown: str | None = None  # its record's latest date as the bulletins count it (ISO, ``record_latest_date``)


_file_state = functools.partial(tuple.__new__, FileState)  # FileState from a tuple of its values, made in C

TEXT_COLUMNS = ("keys", "stamps", "sha256")  # the files' keys and values, each one text (a NUL between files)
DATE_COLUMNS = ("earliest", "latest", "shown")  # the files' dates, as places in the state's list of dates
VALUES = (*TEXT_COLUMNS[1:], *DATE_COLUMNS)  # the columns of a ``FileState``, in its order


class FileStates(MutableMapping[str, FileState]):
    """The input files' states by key, in the build's order: the keys and a list per ``FileState`` value.

    ``loaded`` is what ``parsed`` read: the list of dates and some columns' texts; such a
    column not changed since is written back as that text.
    """

    def __init__(self, keys: list[str], columns: list[list[Any]], loaded: Loaded | None = None) -> None:
        self._keys = keys
        self._columns = columns  # stamp, sha256, earliest, latest, shown: one list each, in the order of the keys
        self._place: dict[str, int] | None = None
        self._loaded = loaded
        self._touched: set[str] = set()  # the columns (``TEXT_COLUMNS``, ``DATE_COLUMNS``) changed since loaded

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

    def __contains__(self, key: object) -> bool:
        return key in self.place

    def __getitem__(self, key: str) -> FileState:
        i = self.place[key]
        stamps, shas, earliest, latest, shown = self._columns
        return _file_state((stamps[i], shas[i], earliest[i], latest[i], shown[i]))

    def __setitem__(self, key: str, state: FileState) -> None:
        i = self.place.get(key)
        if i is None:
            self.place[key] = len(self._keys)
            self._keys.append(key)
            for column, value in zip(self._columns, state, strict=True):
                column.append(value)
            self._touched.update(TEXT_COLUMNS, DATE_COLUMNS)
            return
        for name, column, value in zip(VALUES, self._columns, state, strict=True):
            if column[i] != value:
                column[i] = value
                self._touched.add(name)

    def extend(self, added: list[tuple[str, FileState]]) -> None:
        """Add the files ``added`` (keys not here yet, with their states) after the others."""
        start = len(self._keys)
        keys = list(map(itemgetter(0), added))
        self.place.update(zip(keys, range(start, start + len(keys)), strict=True))
        self._keys.extend(keys)
        for i, column in enumerate(self._columns):
            column.extend(map(itemgetter(i), map(itemgetter(1), added)))
        if added:
            self._touched.update(TEXT_COLUMNS, DATE_COLUMNS)

    def __delitem__(self, key: str) -> None:
        if key not in self.place:
            raise KeyError(key)
        self.drop({key})

    def drop(self, keys: set[str]) -> None:
        """Remove the files ``keys`` (in one pass over the columns)."""
        kept = list(map(operator.not_, map(keys.__contains__, self._keys)))
        self._keys = list(compress(self._keys, kept))
        self._columns = [list(compress(column, kept)) for column in self._columns]
        self._place = None
        self._touched.update(TEXT_COLUMNS, DATE_COLUMNS)

    def items(self) -> ItemsView[str, FileState]:
        """(key, state) of every file, the states made in C as they are iterated."""
        return _Items(self)

    def values(self) -> ValuesView[FileState]:
        """Every file's state, made in C as they are iterated."""
        return _Values(self)

    def rows(self) -> Iterator[FileState]:
        """Every file's state, in order."""
        return map(_file_state, zip(*self._columns, strict=True))

    def column(self, name: str) -> list[Any]:
        """The values ``name`` (one of ``VALUES``) of every file, in order (not to be changed)."""
        return self._columns[VALUES.index(name)]

    def copy(self) -> FileStates:
        """Another ``FileStates`` of the same states, changed apart from this one (lists copied in C)."""
        copied = FileStates(list(self._keys), [list(column) for column in self._columns], self._loaded)
        copied._place = dict(self._place) if self._place is not None else None
        copied._touched = set(self._touched)
        return copied

    def redated(self, dates: list[tuple[str | None, str | None, str | None]]) -> FileStates:
        """These states with each file's (earliest, latest, shown) ``dates`` (one per file, in order)."""
        columns = [
            *(list(column) for column in self._columns[:2]),
            *(list(map(itemgetter(i), dates)) for i in range(3)),
        ]
        redated = FileStates(list(self._keys), columns, self._loaded)
        redated._touched = {*self._touched, *DATE_COLUMNS}
        return redated

    def only(self, wanted: Iterable[str]) -> dict[str, list[Any]]:
        """The ``[stamp, sha256, earliest, latest, shown]`` of the files ``wanted`` that are here, by key."""
        return {key: list(self[key]) for key in wanted if key in self}

    def moved(self, head: str, stamps: Mapping[str, str]) -> tuple[list[str], list[str]]:
        """The keys of the files under ``head`` whose stamp is not their stamp in ``stamps`` (by path below
        ``head``; one missing there too), and the paths in ``stamps`` of no file here, in their order.

        One pass of ``map`` over the keys and the stamps, in C: no ``FileState`` made, no loop in Python.
        """
        keys, size = self._keys, len(head)
        mine = list(compress(range(len(keys)), map(str.startswith, keys, repeat(head))))
        rels = [keys[i][size:] for i in mine]
        if rels == list(stamps):  # the files listed as the last build listed them (no file added, gone or moved)
            now: list[str | None] = list(stamps.values())  # no lookup by path
        else:
            now = list(map(stamps.get, rels))
        differs = map(operator.ne, now, map(self._columns[0].__getitem__, mine))
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
        """
        kept = list(map(operator.not_, map(str.startswith, self._keys, repeat(skip))))
        shas = list(compress(self._columns[1], kept))
        if "" in shas:
            return None
        pairs = list(chain.from_iterable(zip(compress(self._keys, kept), shas, strict=True)))
        text = "\0".join(pairs) + "\0" if pairs else ""
        return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()

    def lines(self, head: dict[str, Any]) -> Iterator[str]:
        """The state's JSON text: ``head`` with the dates the files carry, then a column a line.

        The keys, stamps and SHA-256s are each one text, a NUL between files (no file name
        holds one); each column of dates is a list of places in ``dates`` (whose first is
        None).  A column unchanged since it was read is written as the text it was read from.
        """
        loaded, touched = self._loaded, self._touched
        if loaded is not None and touched.isdisjoint(DATE_COLUMNS):
            dates = loaded.dates
        else:
            dates = [None, *sorted(set().union(*self._columns[2:]) - {None})]
            if loaded is not None and dates != loaded.dates:
                touched = {*touched, *DATE_COLUMNS}
        yield json.dumps({**head, "dates": dates}, ensure_ascii=False)[:-1] + "\n"
        place = None
        for name, column in zip((*TEXT_COLUMNS, *DATE_COLUMNS), (self._keys, *self._columns), strict=True):
            if loaded is not None and name not in touched and name in loaded.texts:
                text = loaded.texts[name]
            elif name in TEXT_COLUMNS:
                text = json.dumps("\0".join(column))  # ASCII: half the CPU
            else:
                place = place or {date: i for i, date in enumerate(dates)}
                text = json.dumps(list(map(place.__getitem__, column)))
            yield f', "{name}": {text}\n'
        yield "}\n"


class Loaded(NamedTuple):
    """A saved state's list of dates and the texts of its columns that a file's new bytes leave as they were."""

    dates: list[str | None]
    texts: dict[str, str]


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


def parsed(text: str) -> tuple[dict[str, Any], FileStates] | None:
    """The head and the files of a state as ``FileStates.lines`` wrote it (or as one JSON object with the
    same members); None when it has another shape.
    """
    state, texts = _columns(text)
    if state is None:
        state = json.loads(text)
    if not isinstance(state, dict):
        return None
    files = _files(state, texts)
    return None if files is None else (state, files)


def _columns(text: str) -> tuple[Any, dict[str, str]]:
    """The head of a state written a column a line, with each column's value, and the texts of those a build
    keeps (``_KEPT_TEXTS``); (None, {}) when it is not laid out so.  Each value is read where it stands (no
    copy of its line).
    """
    end = text.find("\n")
    if end < 0:
        return None, {}
    state = json.loads(text[:end] + "}")
    texts: dict[str, str] = {}
    for name in (*TEXT_COLUMNS, *DATE_COLUMNS):
        lead = f'\n, "{name}": '
        if not (isinstance(state, dict) and text.startswith(lead, end)):
            return None, {}
        start = end + len(lead)
        state[name], end = _DECODER.raw_decode(text, start)
        if name in _KEPT_TEXTS:
            texts[name] = text[start:end]
    return (state, texts) if text[end:] == "\n}\n" else (None, {})


_DECODER = json.JSONDecoder()
_KEPT_TEXTS = ("keys", *DATE_COLUMNS)  # the columns a change to a file's bytes leaves as they were


def _files(state: dict[str, Any], texts: dict[str, str]) -> FileStates | None:
    """The files of ``state`` (``texts``: its columns' texts, or none); None when they have another shape."""
    strings: list[Any] = [state.get(name) for name in TEXT_COLUMNS]
    dates: Any = state.get("dates")
    positions: list[Any] = [state.get(name) for name in DATE_COLUMNS]
    if not (all(type(text) is str for text in strings) and type(dates) is list and dates[:1] == [None]):
        return None
    if not all(d == EVERYTHING or (d is not None and iso_or_none(d)) for d in dates[1:]):
        return None
    keys: list[str] = strings[0].split("\0") if strings[0] else []  # no file is named "", one's SHA-256 may be
    stamps, shas = (text.split("\0") if keys else [] for text in strings[1:])
    if len(stamps) != len(keys) or len(shas) != len(keys):
        return None
    if not all(type(p) is list and len(p) == len(keys) and _positions_ok(p, len(dates)) for p in positions):
        return None
    loaded = Loaded(dates, texts) if texts else None
    files = FileStates(keys, [stamps, shas, *(list(map(dates.__getitem__, p)) for p in positions)], loaded)
    return files if len(files.place) == len(keys) else None  # a key twice: edited by hand


def _positions_ok(positions: list[Any], count: int) -> bool:
    """Whether ``positions`` are each a place in a list of ``count`` dates."""
    return not positions or (set(map(type, positions)) == {int} and min(positions) >= 0 and max(positions) < count)


def iso_or_none(value: Any) -> bool:
    """Whether ``value`` is None or a date in ISO form."""
    if value is None:
        return True
    try:
        return isinstance(value, str) and bool(dt.date.fromisoformat(value))
    except ValueError:
        return False
