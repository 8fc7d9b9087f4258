"""A page of ledger rows made again from the last build's page: its unchanged rows' ``<tr>`` kept, the others rendered.

Why: after one changed title at 100,000 issues, the ledger's month page that shows the
issue (~2,600 rows) was rendered whole, each row's line worked out again (its state as of
the ledger's day) and written out: ~0.5 CPU s for one changed row.  A row's HTML is a
function of its row key (``inputs``: its issue's files and where it links to) and of what
every row of the page shares (``frame``: the code, the templates, the settings, the
ledger's day, the page's way back to the site root).  So each group of pages (the ledger,
the departments, the teams, the lists: an issue list's rows are as the ledger's, their
states as of the list's day) keeps in the build cache (``KeptRows.memo``) the row keys of each page
it made, under the page's key and the frame: a page made again under the same frame takes
the ``<tr>`` of every row whose key it still holds from the last build's file (the one the
page store checked is that build's, by its stamp) and renders only the others.  The page
is then byte-identical to one rendered whole.  Where anything does not fit (no memo,
another frame, a page not cut into exactly its rows), the rows are all rendered.
"""

from __future__ import annotations

import contextlib
import pickle
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from reportgen.codeversion import code_version
from reportgen.render.site.pagekeys import PageKeys

FORMAT = 2
KEY_BYTES = 16  # a row key's bytes (``inputs.Token``): the keys of a page are kept as one bytes object of them
ROW_START = '    <tr id="'  # how every ledger row starts (``rows.LedgerRows.row``), and nothing else on its page
ROW_END = "</tr>\n"  # how it ends: escaped text holds no "<", so a row holds this once, at its end
BODY_END = "  </tbody>"  # after the last row (``site/_macros.html``, ``site/list.html``)
# how an issue row of a list page starts and ends (``listpages.ListPages._issue_row``): a cell
# holds no "<" but its own tags, and no cell of a row ends as its last one does
LIST_ROW = ("    <tr><td>", "</td></tr>\n")
Entry = tuple[str, str, bytes]  # a page's key, the frame its rows were made in, its rows' keys in order (packed)


@dataclass
class KeptRows:
    """The row keys of the pages of one group (``name``), as the last build made them and as this build does."""

    keys: PageKeys
    name: str
    row: tuple[str, str] = (ROW_START, ROW_END)  # how each row of the group's pages starts and ends
    _last: dict[str, Entry] | None = None  # read when first needed
    _pending: dict[str, tuple[str, list[int]]] = field(default_factory=dict)  # rows rendered, page not yet made
    _made: dict[str, Entry] = field(default_factory=dict)  # this build's pages made, with their rows

    @property
    def memo(self) -> str:
        """The memo's name in the build cache."""
        return f"rows-{self.name}.pickle"

    def last(self) -> dict[str, Entry]:
        """The last build's entries by page path (empty when it kept none, or by other code)."""
        if self._last is None:
            self._last = _read(self.keys.read_memo(self.memo))
        return self._last

    def body(
        self, path: str, frame: str, numbers: list[int], whole: Callable[[], str], row: Callable[[int], str]
    ) -> str:
        """The rows of the page at ``path``: each kept from the last build's page where its key is, else ``row(i)``.

        ``frame`` stands for everything the page's rows share besides their keys (with the
        page's way back to the site root); ``numbers`` are the rows' keys in order.  They
        are remembered until the page is made (``made``).  ``whole()`` renders every row:
        what the rows are when none is kept.
        """
        self._pending[path] = (frame, numbers)
        kept = self._kept(path, frame)
        if kept is None:
            return whole()
        return "".join([kept.get(number) or row(at) for at, number in enumerate(numbers)])

    def made(self, path: str, key: str) -> None:
        """The page at ``path`` was made from ``key``; its rows (if ``body`` made them) are kept under it."""
        pending = self._pending.pop(path, None)
        if pending is not None:
            frame, numbers = pending
            self._made[path] = (key, frame, b"".join([n.to_bytes(KEY_BYTES, "little") for n in numbers]))

    def keep(self, paths: Sequence[str]) -> None:
        """Keep the rows of the group's pages ``paths`` (made or kept in this build) for the next build.

        Nothing is written when no page was made: the memo kept is this build's.
        """
        if not self._made:
            return
        last = self.last()
        kept = {path: self._made.get(path) or last[path] for path in paths if path in self._made or path in last}
        self.keys.write_memo(self.memo, pickle.dumps((FORMAT, code_version(), kept), pickle.HIGHEST_PROTOCOL))
        self._made.clear()

    def _kept(self, path: str, frame: str) -> dict[int, str] | None:
        """Each ``<tr>`` of the last build's page at ``path``, made in ``frame``, by its row's key (None: not known)."""
        entry = self.last().get(path)
        if entry is None or entry[1] != frame:
            return None
        content = self.keys.previous_file(path, entry[0])
        if content is None:
            return None
        rows = cut_rows(content.decode("utf-8", "replace"), *self.row)
        packed = entry[2]
        if rows is None or len(rows) * KEY_BYTES != len(packed):
            return None
        numbers = [int.from_bytes(packed[at : at + KEY_BYTES], "little") for at in range(0, len(packed), KEY_BYTES)]
        return dict(zip(numbers, rows, strict=True))


def cut_rows(page: str, row_start: str = ROW_START, row_end: str = ROW_END) -> list[str] | None:
    """The rows of ``page`` (by default ledger rows), each ``<tr>`` whole; None when not cut so (or it has none)."""
    start = page.find(row_start)
    end = page.find(BODY_END, start)
    if start < 0 or end < 0:
        return None
    body = page[start:end]
    pieces = body.split(row_end)
    if pieces[-1] != "" or body.count(row_start) != len(pieces) - 1:
        return None
    if not all(piece.startswith(row_start) for piece in pieces[:-1]):
        return None
    return [piece + row_end for piece in pieces[:-1]]


def _read(content: bytes | None) -> dict[str, Entry]:
    """The entries kept as ``content`` by this code (``KeptRows.keep``); empty otherwise."""
    if content is None:
        return {}
    with contextlib.suppress(pickle.UnpicklingError, ValueError, TypeError, EOFError, AttributeError, IndexError):
        form, version, kept = pickle.loads(content)
        if (form, version) == (FORMAT, code_version()) and isinstance(kept, dict) and all(map(_entry, kept.values())):
            return kept
    return {}


def _entry(value: object) -> bool:
    """Whether ``value`` has an ``Entry``'s shape (a memo edited by hand is not used)."""
    return isinstance(value, tuple) and len(value) == 3 and list(map(type, value)) == [str, str, bytes]
