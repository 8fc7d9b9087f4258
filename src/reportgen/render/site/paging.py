"""Long tables cut into pages a browser can open: the ledger by month, a unit's issues by page.

At 100,000 issues the whole ledger on one page was 108 MB and a department's page several
megabytes.  A table that fits one page stays one page at its old address; a longer one is
cut, its first page keeping the old address, the others beside it (``teams/T01.html``,
``teams/T01/2.html``, …), each with "第1页 共3页" links to all of them.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Paging:
    """How many table rows one page holds."""

    ledger_rows: int = 2000  # the ledger is one page up to this many issues, else a page per month, cut at this
    unit_rows: int = 500  # a department's or team's issues, per page


@dataclass(frozen=True)
class PageLink:
    """One page of a cut table: its number and where it is (relative to the site root)."""

    number: int
    path: str


@dataclass(frozen=True)
class Pager:
    """Where one page stands among the pages of its table."""

    number: int  # 1 for the first
    pages: tuple[PageLink, ...]
    first_row: int  # the 1-based position of the page's first row in the whole table
    rows: int  # rows on this page
    total: int  # rows in the whole table

    @property
    def count(self) -> int:
        """How many pages the table has."""
        return len(self.pages)

    @property
    def previous(self) -> PageLink | None:
        """The page before this one."""
        return self.pages[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> PageLink | None:
        """The page after this one."""
        return self.pages[self.number] if self.number < len(self.pages) else None


def page_path(first: str, number: int) -> str:
    """Page ``number`` of the table whose first page is ``first``: ``teams/T01.html`` → ``teams/T01/2.html``."""
    return first if number == 1 else f"{first.removesuffix('.html')}/{number}.html"


def cut(first: str, rows: Sequence[T], per_page: int) -> list[tuple[Pager, Sequence[T]]]:
    """``rows`` in pages of ``per_page``: each page's pager and its rows (one empty page for no rows)."""
    count = max(1, -(-len(rows) // per_page))
    links = tuple(PageLink(n, page_path(first, n)) for n in range(1, count + 1))
    pages = []
    for n in range(1, count + 1):
        part = rows[(n - 1) * per_page : n * per_page]
        pages.append((Pager(n, links, (n - 1) * per_page + 1, len(part), len(rows)), part))
    return pages


PAGING = Paging()  # what a build uses; tests pass smaller pages
SCANS = 16  # rows found by a scan of the ids before the page of every row is made (``RowPages``)


class RowPages(Mapping[str, str]):
    """The page each row of a cut table is on, by the row's id: ``{id: path}``, made only when many are asked.

    Why: the split ledger's every issue (100,000) by its page cost ~0.04 CPU s on every
    build, where a build after one edit asks for the pages of a handful (the rows it makes
    again).  A row asked for is found by a scan of the ids in C (~1 ms at 100,000); after
    ``SCANS`` of them the page of every row is made once, as before.

    ``ids`` are the rows' ids in the table's order (each once), ``starts`` the place of each
    page's first row (ascending, from 0) and ``paths`` those pages.
    """

    def __init__(self, ids: Sequence[str], starts: Sequence[int], paths: Sequence[str]) -> None:
        self._ids, self._starts, self._paths = ids, starts, paths
        self._scans = 0
        self._all: dict[str, str] | None = None

    def __getitem__(self, row_id: str) -> str:
        if self._all is None and self._scans < SCANS:
            self._scans += 1
            try:
                place = self._ids.index(row_id)
            except ValueError:
                raise KeyError(row_id) from None
            return self._paths[bisect_right(self._starts, place) - 1]
        return self.every[row_id]

    @property
    def every(self) -> dict[str, str]:
        """Each row's page by its id, in the table's order (made once)."""
        if self._all is None:
            ends = [*self._starts[1:], len(self._ids)]
            self._all = {}
            for start, end, path in zip(self._starts, ends, self._paths, strict=True):
                self._all.update(zip(self._ids[start:end], repeat(path)))  # in C: 100,000 of them
        return self._all

    def __iter__(self) -> Iterator[str]:
        return iter(self.every)

    def __len__(self) -> int:
        return len(self._ids)
