"""A kept discovery's files and their cached results, made one by one when asked for: a speed-up only.

After one edit at 100,000 issues discovery is kept (``kept.discovered``) and every file
but the edited one is served from the cache: the check needs the records of all of them,
but the files and results of a few (the changed files, those their rules touch, those
whose problems are located).  Made for all, a ``SourceFile`` and a ``FileResult`` per
file, their display names listed again and a map by name took ~0.16 CPU s of the check's
~0.8 (the files ~0.04, the results ~0.06, the names ~0.01, the map ~0.05).  Here they
are columns: the kept discovery's names and kinds, the cache's records and problems, and
the results of the files parsed again in their place.  Iterating either gives what the
plain lists would (made whole once, for the passes over every file of a full gathering).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Mapping, Sequence
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, overload

from reportgen.load import SourceFile, source_file
from reportgen.schema.kinds import KINDS_BY_NAME
from reportgen.validate.record import FileResult, file_result

if TYPE_CHECKING:
    from reportgen.model import Record
    from reportgen.problems import Problem

KIND_NAMES = tuple(KINDS_BY_NAME)  # a kind as its place here: one byte a file (``kept.Kept.kinds``)
_KINDS = [KINDS_BY_NAME[name] for name in KIND_NAMES]


class KeptSources(Sequence[SourceFile]):
    """Discovery's files as kept: display names, kinds (a byte each, ``KIND_NAMES``), and where to read those
    not read at their display name, by position."""

    def __init__(self, displays: list[str], kinds: bytes, wheres: dict[int, str | Path]) -> None:
        self.displays, self._kinds, self._wheres = displays, kinds, wheres
        self._listed: list[SourceFile] | None = None

    def __len__(self) -> int:
        return len(self.displays)

    @overload
    def __getitem__(self, at: int) -> SourceFile: ...

    @overload
    def __getitem__(self, at: slice) -> list[SourceFile]: ...

    def __getitem__(self, at: int | slice) -> SourceFile | list[SourceFile]:
        if isinstance(at, slice):  # made for those alone, unless every file has been
            if self._listed is not None:
                return self._listed[at]
            run = range(len(self))[at]
            return self._made(run.start, run.stop) if run.step == 1 else [self[i] for i in run]
        at = range(len(self.displays))[at]  # an IndexError past the end; from the end counted from the start
        display = self.displays[at]
        return SourceFile(self._wheres.get(at, display), display, _KINDS[self._kinds[at]])

    def __iter__(self) -> Iterator[SourceFile]:
        return iter(self.listed())

    def listed(self) -> list[SourceFile]:
        """Every file, as discovery lists them (made once)."""
        if self._listed is None:
            self._listed = self._made(0, len(self))
        return self._listed

    def _made(self, start: int, stop: int) -> list[SourceFile]:
        """The files from ``start`` up to ``stop`` (made in C, but for those not read at their display name)."""
        displays, kinds = self.displays[start:stop], self._kinds[start:stop]
        made = list(map(source_file, zip(displays, displays, map(_KINDS.__getitem__, kinds), strict=True)))
        for i, where in self._wheres.items():
            if start <= i < stop:
                made[i - start] = SourceFile(where, made[i - start].display, made[i - start].kind)
        return made

    def position(self, display: str) -> int | None:
        """Where the file ``display`` is (None: not one of them).

        Discovery lists the files in their names' order but for config.yaml, first (and a
        folder's files before its sub-folders'): found by halving, else by a pass in C.
        """
        displays = self.displays
        at = bisect_left(displays, display, 1)
        if at < len(displays) and displays[at] == display:
            return at
        try:
            return displays.index(display)
        except ValueError:
            return None


class KeptResults(Sequence[FileResult]):
    """Each kept file's result: the cache's record and problems, but for the files parsed again (set in place)."""

    def __init__(self, sources: KeptSources, records: list[Record | None], problems: list[list[Problem]]) -> None:
        """``records`` and ``problems``: the cache's columns, in the sources' order (not changed here)."""
        self.sources, self._records, self._problems = sources, records, problems
        self._fresh: dict[int, FileResult | None] = {}
        self._made: list[FileResult] | None = None  # every result, once iterated (a full gathering passes thrice)

    def __setitem__(self, at: int, result: FileResult | None) -> None:
        """The result of the file at ``at`` parsed again (None: not known yet)."""
        self._fresh[at] = result
        self._made = None

    def __len__(self) -> int:
        return len(self.sources)

    @overload
    def __getitem__(self, at: int) -> FileResult: ...

    @overload
    def __getitem__(self, at: slice) -> list[FileResult]: ...

    def __getitem__(self, at: int | slice) -> FileResult | list[FileResult]:
        if isinstance(at, slice):
            return list(self)[at]
        at = range(len(self.sources))[at]
        if at in self._fresh:
            fresh = self._fresh[at]
            if fresh is None:
                raise LookupError(f"{self.sources.displays[at]} is to be parsed again")
            return fresh
        return FileResult(self.sources[at], self._records[at], self._problems[at])

    def __iter__(self) -> Iterator[FileResult]:
        if self._made is None:
            made = list(map(file_result, zip(self.sources, self._records, self._problems, repeat(None))))
            for at in self._fresh:
                made[at] = self[at]
            self._made = made
        return iter(self._made)

    def records(self) -> list[Record | None]:
        """Each file's record, in order (None: a file without one)."""
        held = list(self._records)
        for at in self._fresh:
            held[at] = self[at].record
        return held

    def by_display(self) -> ResultsByDisplay:
        """The results by their files' display names."""
        return ResultsByDisplay(self)


class ResultsByDisplay(Mapping[str, FileResult]):
    """``KeptResults`` by display name: each looked up where it is (``KeptSources.position``), no map made."""

    def __init__(self, results: KeptResults) -> None:
        self._results = results

    def __getitem__(self, display: str) -> FileResult:
        at = self._results.sources.position(display)
        if at is None:
            raise KeyError(display)
        return self._results[at]

    def __contains__(self, display: object) -> bool:
        return isinstance(display, str) and self._results.sources.position(display) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self._results.sources.displays)

    def __len__(self) -> int:
        return len(self._results)
