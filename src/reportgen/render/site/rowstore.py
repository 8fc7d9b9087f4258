"""Each ledger row's ``<tr>`` written once for the three pages that show it: its month's, its department's, its team's.

An auditor can skip this module: ``LedgerRows.row`` returns from here exactly what it wrote
the first time it wrote the row.  Why: at 100,000 issues every row was written three times,
~18 µs each, on the one core the site's main share runs on (about 2.5 s of a cold build).
Kept as Python strings the rows would hold ~150 MB (a string with Chinese text takes two
bytes a character); here they are UTF-8 in one buffer, ~90 MB, by the line's place in the
ledger, and given back as one block (``clear``) once the three groups of pages are made.
"""

from __future__ import annotations

from array import array

_NONE = -1  # no row kept at this place


class RowStore:
    """Rows' HTML by their line's place in a ledger of ``size`` lines."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._text = bytearray()
        self._starts: array[int] | None = None  # made with the first row kept
        self._ends: array[int] | None = None

    def get(self, at: int) -> str | None:
        """The row kept for the line at ``at``; None when none is."""
        starts, ends = self._starts, self._ends
        if starts is None or ends is None or starts[at] == _NONE:
            return None
        return self._text[starts[at] : ends[at]].decode("utf-8")

    def put(self, at: int, html: str) -> None:
        """Keep ``html`` as the row of the line at ``at``."""
        if self._starts is None or self._ends is None:
            self._starts, self._ends = array("q", [_NONE]) * self.size, array("q", [_NONE]) * self.size
        self._starts[at] = len(self._text)
        self._text += html.encode("utf-8")
        self._ends[at] = len(self._text)

    def clear(self) -> None:
        """Forget every row: the buffer goes back to the system (one block) and rows are written anew."""
        self._text = bytearray()
        self._starts = self._ends = None
