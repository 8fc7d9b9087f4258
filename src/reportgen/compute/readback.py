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

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import fields, replace
from itertools import pairwise
from typing import Any

from reportgen.compute.results import FLAT_ROWS, OverdueRow, PeriodStats, encode, field_decoder, is_rows, row_class

_NAMES = tuple(f.name for f in fields(PeriodStats))
_LISTS = tuple(name for name in _NAMES if is_rows(PeriodStats, name))  # each on a line of its own
_HEAD = tuple(name for name in _NAMES if name not in _LISTS)
# the lists of flat rows (``results.FLAT_ROWS``) and their rows' field names: ``ReadBack.list_json``
_FLAT = {name: tuple(f.name for f in fields(row_class(PeriodStats, name))) for name in _LISTS if name in FLAT_ROWS}
# ``retitled`` finds an overdue row by its first field, the issue, and changes the second, its title
assert [f.name for f in fields(OverdueRow)][:2] == ["issue", "title"], "readback.retitled: the issue, then its title"


def encoded(stats: PeriodStats) -> bytes:
    """``stats`` as the lines ``read_back`` reads (exact: ``results.encode``'s JSON of every field).

    A list read back and not decoded since is written as it was read: the same line.
    """
    kept = _undecoded(stats)
    lines = [kept(name) or _json(getattr(stats, name)) for name in _LISTS]
    head = [[getattr(stats, name) for name in _HEAD], [_length(stats, name) for name in _LISTS]]
    return b"\n".join([_json(head), *lines])


def with_rows(stats: PeriodStats, name: str, rows: tuple[Any, ...]) -> PeriodStats:
    """``stats`` with the list of rows ``name`` replaced by ``rows``: ``dataclasses.replace``, but the other lists
    of statistics read back stay as they were read, not decoded (after a title edit only the overdue list is)."""
    if not isinstance(stats, ReadBack):
        edited: PeriodStats = replace(stats, **{name: rows})  # type: ignore[arg-type]  # any list of rows, by name
        return edited
    lines = {key: span for key, span in stats.__dict__["_lines"].items() if key != name}
    decoded = {key: value for key, value in stats.__dict__.items() if not key.startswith("_")}
    kept = {"_lengths": stats.__dict__["_lengths"] | {name: len(rows)}, "_lines": lines}
    if lines:
        kept["_content"] = stats.__dict__["_content"]
    spliced = object.__new__(ReadBack)
    object.__setattr__(spliced, "__dict__", decoded | {name: rows} | kept)
    return spliced


def _undecoded(stats: PeriodStats) -> Callable[[str], bytes | None]:
    """The line a list of ``stats`` was read back from while it is not decoded (None: decoded, or not read back)."""
    lines: dict[str, tuple[int, int]] = stats.__dict__.get("_lines", {})
    if not lines:
        return lambda name: None
    content: bytes = stats.__dict__["_content"]
    return lambda name: content[slice(*lines[name])] if name in lines else None


def _length(stats: PeriodStats, name: str) -> int:
    """How many rows the list ``name`` of ``stats`` has, counted without decoding it."""
    if name in stats.__dict__.get("_lines", {}):
        return int(stats.__dict__["_lengths"][name])
    return len(getattr(stats, name))


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

    def list_json(self, name: str) -> list[dict[str, Any]]:
        """``PeriodStats.list_json``: of a list of flat rows not decoded yet, made from its line as read.

        Its rows are never made results: the line holds each row's fields in order, dates in ISO
        form (``results.encode``), which is the JSON row with its field names (``results._json_rows``).
        After one title edit at 100,000 issues the site writes 17 periods' overdue lists again: ~1 s less.
        """
        lines: dict[str, tuple[int, int]] = self.__dict__.get("_lines", {})
        if name not in lines or name not in _FLAT:
            return super().list_json(name)
        names = _FLAT[name]
        rows = json.loads(self.__dict__["_content"][slice(*lines[name])])
        return [dict(zip(names, row, strict=True)) for row in rows]

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


def retitled(content: bytes, titles: Mapping[str, str]) -> bytes | None:
    """The statistics ``encoded`` wrote as ``content`` with the overdue issues among ``titles`` given those titles
    (``results.OverdueRow.title``), as ``encoded`` writes them; None when none of their rows changes.

    Only the titles' bytes are replaced; nothing is decoded.  In the overdue list's line each row
    is its fields in order (``results.encode``), the issue's id first, its title second, so a row
    of an issue starts ``["<id>",`` and nowhere else can that be (a quote inside a text is written
    ``\\"``).  After one title edit at 100,000 issues the 17 periods' lines of 14,000 rows each
    were read and written whole: ~0.5 s.
    """
    ends = _line_ends(content, len(_LISTS) + 1)
    at = _LISTS.index("overdue")
    start, end = ends[at] + 1, ends[at + 1]
    spans = sorted(span for issue, title in titles.items() for span in _titles_of(content, start, end, issue, title))
    if not spans:
        return None
    pieces, done = [], 0
    for old_start, old_end, new in spans:
        pieces += [content[done:old_start], new]
        done = old_end
    return b"".join([*pieces, content[done:]])


def _titles_of(content: bytes, start: int, end: int, issue: str, title: str) -> Iterator[tuple[int, int, bytes]]:
    """Where the rows of ``issue`` between ``start`` and ``end`` hold another title than ``title``: (its start, its
    end, ``title`` as JSON)."""
    head, new = b"[" + _json(issue) + b",", _json(title)
    found = content.find(head, start, end)
    while found >= 0:
        text = found + len(head)
        after = _string_end(content, text)
        if content[text:after] != new:
            yield text, after, new
        found = content.find(head, after, end)


def _string_end(content: bytes, quote: int) -> int:
    """Where the JSON text whose opening quote is at ``quote`` ends (past its closing quote)."""
    at = content.index(b'"', quote + 1)
    while _escaped(content, at):
        at = content.index(b'"', at + 1)
    return at + 1


def _escaped(content: bytes, at: int) -> bool:
    """Whether the character at ``at`` follows an odd number of backslashes."""
    before = at
    while content[before - 1] == 0x5C:  # a backslash
        before -= 1
    return (at - before) % 2 == 1


def line_digests(content: bytes) -> dict[str, str]:
    """The SHA-256 of each line of ``content`` (as ``encoded`` wrote it): "" the first (every other field), then
    each list of rows by its name.  A list's line is all its rows show: the site keys the files of a long list by it.
    """
    ends = _line_ends(content, len(_LISTS) + 1)
    if len(ends) != len(_LISTS) + 1:
        raise TypeError("not a period's statistics")
    starts = [0, *(end + 1 for end in ends[:-1])]
    lines = zip(("", *_LISTS), starts, ends, strict=True)
    return {name: hashlib.sha256(content[start:end]).hexdigest() for name, start, end in lines}


def _line_ends(content: bytes, most: int) -> list[int]:
    """Where each line of ``content`` ends (at a line break, the last at the end); past ``most`` lines, one more."""
    ends: list[int] = []
    at = content.find(b"\n")
    while at >= 0 and len(ends) < most:
        ends.append(at)
        at = content.find(b"\n", at + 1)
    return [*ends, len(content)]
