"""The build's writer, page store and leak scan across the site's fork (``render.site.parallel``).

The forked child writes its share of the site into the same staging folder through its
copy of the build's ``StagingWriter`` and ``PageStore``, and searches what it writes with a
scan of its own (``LeakScan.forked``: the parent's workers are the parent's).  At its end it
hands back what the parent's copies would have learnt had the parent written those files:
the paths written and their stamps, each file's page key, the last build's entries it kept,
the parts and aliases, and what its scan found.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportgen.publish.atomic import StagingWriter
from reportgen.publish.leakscan import Handed, LeakScan
from reportgen.publish.pagestore import Entry, PageStore


@dataclass(frozen=True)
class _Written:
    """What the child's writer, page store and leak scan learnt, in the order it came."""

    written: list[str]
    stamps: list[tuple[str, str]]
    keys: list[tuple[str, str]]
    kept: list[tuple[str, Entry]]
    parts: list[tuple[str, tuple[str, ...]]]
    aliases: list[tuple[str, str]]
    leaks: Handed | None


class SiteHandover:
    """``parallel.Handover`` for a build writing through ``writer``, keyed by ``pages``, searched by ``scan``."""

    def __init__(self, writer: StagingWriter, pages: PageStore, scan: LeakScan | None) -> None:
        self.writer, self.pages, self.scan = writer, pages, scan
        self._marks = (0, 0, 0, 0, 0, 0)

    def splits(self) -> bool:
        """Whether a second process would have a core of its own: a cold build (no page map of a last build,
        so every page is made) whose leak search, if any, runs in this process (searched by workers, as a
        large public site is, it keeps the second core busy: measured at 100,000 issues, the split site then
        cost 14 s more CPU for no time saved)."""
        return not self.pages.previous and (self.scan is None or not self.scan.in_workers)

    def in_child(self) -> None:
        """In the child: a scan of its own, and what was written before the fork set apart."""
        writer, pages = self.writer, self.pages
        self._marks = (
            len(writer.written),
            len(writer.stamps),
            len(pages.keys),
            len(pages.kept),
            len(pages.parts),
            len(pages.aliases),
        )
        if self.scan is not None:
            self.scan = pages.scan = self.scan.forked()
            writer.on_write = self.scan.add

    def handed_back(self) -> _Written:
        """What the child's writer, store and scan learnt since the fork."""
        writer, pages, marks = self.writer, self.pages, self._marks
        return _Written(
            writer.written[marks[0] :],
            _tail(writer.stamps, marks[1]),
            _tail(pages.keys, marks[2]),
            _tail(pages.kept, marks[3]),
            _tail(pages.parts, marks[4]),
            _tail(pages.aliases, marks[5]),
            self.scan.handed_back() if self.scan is not None else None,
        )

    def take(self, handed: object) -> None:
        """In the parent: the child's, as if its files had been written here."""
        assert isinstance(handed, _Written)
        writer, pages = self.writer, self.pages
        writer.written.extend(handed.written)
        writer.stamps.update(handed.stamps)
        pages.keys.update(handed.keys)
        pages.kept.update(handed.kept)
        pages.parts.update(handed.parts)
        pages.aliases.update(handed.aliases)
        if self.scan is not None and handed.leaks is not None:
            self.scan.take(handed.leaks)


def _tail(values: dict[str, Any], start: int) -> list[tuple[str, Any]]:
    """The entries of ``values`` after its first ``start`` (a dict keeps the order they came in)."""
    return list(values.items())[start:]
