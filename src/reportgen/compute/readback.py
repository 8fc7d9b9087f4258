"""A period's statistics as the build's cache keeps them, its lists of rows decoded when first read.

An auditor can skip this module: the statistics read back are those ``results.decode``
gives of ``results.encode``'s JSON, field for field; this only saves decoding what a
build does not look at.  A build after one changed record reads back every period it
does not compute again, for its data hash and the site's figures, but looks at the long
lists (each enterprise's counts, the overdue issues: 300,000 rows over the 20 periods of
a large office) only for the files it makes again.

So a period is kept as lines of JSON (JSON never has a raw line break): the first holds
every other field, in order, and each list's number of rows; each list of rows follows
on a line of its own, kept as text until the list is first read.  The lines are found in
the file's bytes and cut out only when read (at 100,000 issues the 20 periods' files hold
30 MB: splitting them into lines copied it all, ~0.025 CPU s a build).
"""

from __future__ import annotations

import json
from dataclasses import fields
from itertools import pairwise
from typing import Any

from reportgen.compute.results import PeriodStats, encode, field_decoder, is_rows

_NAMES = tuple(f.name for f in fields(PeriodStats))
_LISTS = tuple(name for name in _NAMES if is_rows(PeriodStats, name))  # each on a line of its own
_HEAD = tuple(name for name in _NAMES if name not in _LISTS)


def encoded(stats: PeriodStats) -> bytes:
    """``stats`` as the lines ``read_back`` reads (exact: ``results.encode``'s JSON of every field)."""
    lists = [getattr(stats, name) for name in _LISTS]
    head = [[getattr(stats, name) for name in _HEAD], [len(rows) for rows in lists]]
    return b"\n".join(_json(value) for value in (head, *lists))


def _json(value: Any) -> bytes:
    return json.dumps(value, default=encode, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class ReadBack(PeriodStats):
    """A ``PeriodStats`` equal to the one ``encoded`` was given; each list decoded when first read.

    Made only by ``read_back``.  ``dataclasses.replace`` of it gives statistics with every
    field decoded.
    """

    def __getattr__(self, name: str) -> Any:
        """A list of rows not decoded yet (only reached while it is not in the instance's dictionary)."""
        lines: dict[str, tuple[int, int]] = self.__dict__.get("_lines", {})
        if name not in lines:
            raise AttributeError(name)
        start, end = lines.pop(name)
        value = field_decoder(PeriodStats, name)(json.loads(self.__dict__["_content"][start:end]))
        object.__setattr__(self, name, value)  # frozen: set once, here
        if not lines:  # every list decoded: the file's bytes are let go
            del self.__dict__["_content"]
        return value

    def __eq__(self, other: object) -> bool:
        """Equal to statistics with equal fields, read back or not."""
        if not isinstance(other, PeriodStats):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in _NAMES)

    __hash__ = PeriodStats.__hash__

    def list_lengths(self) -> dict[str, int]:
        """``PeriodStats.list_lengths``: a list not decoded yet counted as it was kept."""
        kept: dict[str, int] = self.__dict__.get("_lengths", {})
        lengths = {}
        for name in _NAMES:
            if name in kept:
                lengths[name] = kept[name]
            elif isinstance(value := getattr(self, name), tuple):
                lengths[name] = len(value)
        return lengths


def read_back(content: bytes) -> PeriodStats:
    """The statistics ``encoded`` wrote as ``content``, each list of rows decoded when first read.

    Raises TypeError or ValueError for content of another shape; a list's rows are
    checked when it is decoded.
    """
    ends = _line_ends(content, len(_LISTS) + 1)
    values, lengths = json.loads(content[: ends[0]])
    if len(ends) != len(_LISTS) + 1 or len(values) != len(_HEAD) or len(lengths) != len(_LISTS):
        raise TypeError("not a period's statistics")
    decoded = {name: field_decoder(PeriodStats, name)(value) for name, value in zip(_HEAD, values, strict=True)}
    stats = object.__new__(ReadBack)
    lines = dict(zip(_LISTS, ((start + 1, end) for start, end in pairwise(ends)), strict=True))
    kept = {"_content": content, "_lines": lines, "_lengths": dict(zip(_LISTS, lengths, strict=True))}
    object.__setattr__(stats, "__dict__", decoded | kept)
    return stats


def _line_ends(content: bytes, most: int) -> list[int]:
    """Where each line of ``content`` ends (at a line break, the last at the end); past ``most`` lines, one more."""
    ends: list[int] = []
    at = content.find(b"\n")
    while at >= 0 and len(ends) < most:
        ends.append(at)
        at = content.find(b"\n", at + 1)
    return [*ends, len(content)]
