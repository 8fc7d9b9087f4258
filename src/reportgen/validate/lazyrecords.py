"""Cached records whose values are unpickled when first read: a speed-up of the check cache only.

A check after one edit needs every record's kind, id and file, but the values of only
the records the edit can touch; the build after it reads some kinds whole and others not
at all.  So files.pickle holds each part's values as one pickle of its own (``Part``),
and its records come back as ``LazyRecord``: a ``Record`` without its ``data`` until the
first read of it unpickles the values of its whole part.  From then on each of them is a
plain ``Record`` (its class set back), equal to one made afresh, pickled as one.

A part's values are not even read with the rest of files.pickle: they stay in the file,
read from it (``ValuesFile``, kept open) when first needed.  At 100,000 issues they are
54 MB of its 82; a title edit's build reads 4 of its 38 parts, and reading every part's
values (and checking their CRC) took ~0.2 of the check's ~0.45 CPU s spent loading it.
"""

from __future__ import annotations

import copyreg
import io
import os
import pickle
import threading
import zlib
from typing import Any, BinaryIO

from reportgen.heap import paused_gc
from reportgen.model import CacheDamaged, Record

_LOADING = threading.Lock()  # a part's values are put in place once, whichever thread reads first


class ValuesFile:
    """files.pickle, kept open for its parts' values: read by their place, whatever replaced the file since.

    The cache is only ever replaced by a rename, so the file kept open holds what was loaded.  Read
    with ``os.pread`` where there is one: a forked writer shares the file's offset with its parent.
    """

    def __init__(self, handle: BinaryIO, size: int, path: str) -> None:
        """``handle``: files.pickle (at ``path``) open, now owned here; ``size``: its size as written (a ValueError
        when it is not: cut short, it is passed over as it is read, not when a record is first read)."""
        self.handle, self.path = handle, path
        if os.fstat(handle.fileno()).st_size != size:
            handle.close()
            raise ValueError("the check cache is cut short")

    def read(self, at: int, size: int) -> bytes:
        """``size`` bytes from ``at``."""
        if hasattr(os, "pread"):
            return os.pread(self.handle.fileno(), size, at)
        self.handle.seek(at)  # pragma: no cover - where there is no pread, there is no fork either
        return self.handle.read(size)  # pragma: no cover

    def damaged(self) -> CacheDamaged:
        """The error of values that are not as written: the file is removed first when it is still the cache's."""
        try:
            if os.path.samestat(os.fstat(self.handle.fileno()), os.stat(self.path)):
                os.remove(self.path)
        except OSError:  # gone already
            pass
        return CacheDamaged(self.path)

    def __del__(self) -> None:
        """Closed with the last part that reads from it."""
        self.handle.close()


class Part:
    """The values of the records of one part of files.pickle, pickled, and the records waiting for them."""

    def __init__(self, size: int, crc: int, values: bytes = b"") -> None:
        """Values ``size`` bytes long with their CRC-32 as written: ``values`` themselves when made here (to be
        written), else read from ``source`` at ``at`` (``placed``) when first needed."""
        self.size, self.crc, self.values = size, crc, values
        self.source: ValuesFile | None = None
        self.at = 0
        self.records: list[Record | None] = []  # the part's records, in the values' order (None: a file without one)

    def placed(self, source: ValuesFile, at: int) -> None:
        """Read the values from ``source`` at ``at``, when first needed."""
        self.source, self.at = source, at

    def load(self) -> None:
        """Give each of the part's records its values, and make it a plain ``Record``."""
        with _LOADING:
            if not self.records:  # put in place by another thread meanwhile
                return
            pickled = self._pickled()
            with paused_gc():  # ~100,000 objects at once: else collections over the whole heap meanwhile
                values: list[dict[str, Any] | None] = pickle.loads(pickled)
            for record, data in zip(self.records, values, strict=True):
                if record is not None and record.__dict__.get("_part") is self:
                    state = record.__dict__
                    state["data"] = data
                    del state["_part"]
                    object.__setattr__(record, "__class__", Record)
            self.values, self.records, self.source = b"", [], None

    def _pickled(self) -> bytes:
        """The pickled values: read from the file when not here, checked against their CRC-32 (or ``CacheDamaged``)."""
        if self.values or self.source is None:
            return self.values
        values = self.source.read(self.at, self.size)
        if len(values) != self.size or zlib.crc32(values) != self.crc:
            raise self.source.damaged()
        return values


class _Values:
    """``LazyRecord.data``: the values of its part, put in place when first read (a descriptor, so that
    unpickling, which asks each record for ``__setstate__``, calls no Python code)."""

    def __get__(self, record: Record | None, owner: type | None = None) -> Any:
        if record is None:
            return self
        return loaded(record).__dict__["data"]


class LazyRecord(Record):
    """A ``Record`` from files.pickle whose ``data`` is read from its ``Part`` when first asked for."""

    data = _Values()  # a Record's values, loaded when read

    def __eq__(self, other: object) -> bool:
        """As a ``Record`` (asked first when compared with one: a subclass's reflected ``==`` is)."""
        return loaded(self) == other

    __hash__ = Record.__hash__

    def __repr__(self) -> str:
        """As a ``Record``'s."""
        return repr(loaded(self))

    def __reduce_ex__(self, protocol: Any) -> Any:
        """Pickled as the plain ``Record`` it is once its values are in place."""
        return loaded(self).__reduce_ex__(protocol)


def loaded(record: Record) -> Record:
    """``record`` with its values in place: a plain ``Record`` (its part loaded when it was a ``LazyRecord``)."""
    part: Part | None = record.__dict__.get("_part")
    if part is not None:
        part.load()
    return record


def dump_part(records: list[Record | None]) -> tuple[Part, list[Record | None]]:
    """``records`` as files.pickle holds them: a ``Part`` with their values, and each without them."""
    values = pickle.dumps([r.data if r is not None else None for r in records], pickle.HIGHEST_PROTOCOL)
    part = Part(len(values), zlib.crc32(values), values)
    made: list[Record | None] = []
    for record in records:
        if record is None:
            made.append(None)
            continue
        lazy = object.__new__(LazyRecord)
        lazy.__dict__.update(kind=record.kind, id=record.id, file=record.file, _part=part)
        made.append(lazy)
    return part, made


def dumps(payload: object) -> bytes:
    """``payload`` pickled with its ``LazyRecord`` values-to-be as they are (class and state: made in C when loaded)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, LazyRecord: _as_lazy, Part: _as_part}
    pickler.dump(payload)
    return buffer.getvalue()


def _as_lazy(record: LazyRecord) -> tuple[Any, ...]:
    return copyreg.__newobj__, (LazyRecord,), dict(record.__dict__)  # type: ignore[attr-defined]


def _as_part(part: Part) -> tuple[Any, ...]:
    return Part, (part.size, part.crc)  # the values are written after the part (``filecache._columns``)
