"""Table rows written in Python instead of a Jinja loop over cells.

Why: the big tables (the ledger and its per-unit copies, the list pages) have tens of
thousands of rows.  Rendered by a ``{% for %}`` over cells, every cell cost a macro call
and a ``markupsafe.Markup`` per escaped value: at 10,000 issues that was about half of the
site's build time, at 100,000 several minutes.  Here each row is one f-string, escaped by
:func:`escape`, which writes exactly what markupsafe (and so Jinja's autoescape) writes.

Only the rows moved: the page frame, headings, captions and column heads stay in the
templates (``site/_macros.html``, ``site/list.html``), which take the rows as one
``Markup`` body, so an office can still override them.  The markup below must match what
those templates wrote before, byte for byte, save that a ledger row's cells are not indented
and say ``data-sort`` only where it differs from their text (``_sort``);
``tests/site/test_rows.py`` holds it to that, the ledger cell by cell as ledger.js reads it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from reportgen.formatting import date_zh
from reportgen.render.ledger_files import LedgerLine, LedgerTable
from reportgen.render.site.rowstore import RowStore
from reportgen.render.wording import days_text


def _escape_text(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace("'", "&#39;").replace('"', "&#34;")
    )


try:  # markupsafe's own C function, the one markupsafe.escape calls, without making a Markup
    from markupsafe._speedups import _escape_inner as _escape_fast
except ImportError:  # pragma: no cover - markupsafe without its C extension
    _escape_fast = _escape_text


def escape(value: object) -> str:
    """``value`` as HTML text: ``& < > ' "`` as ``&amp; &lt; &gt; &#39; &#34;``, as markupsafe does.

    Objects with ``__html__`` (``Markup``) are taken as already safe, everything else is
    ``str()``-ed first, so ``None`` gives "None" as ``{{ none }}`` does in a template.
    ``markupsafe.escape`` itself spends most of its time making the ``Markup``.
    """
    if type(value) is str:  # exact type: the common case skips the attribute look-up
        return _escape_fast(value)
    html = getattr(value, "__html__", None)
    if html is not None:
        return str(html())
    return _escape_fast(str(value))


@dataclass(frozen=True)
class Cell:
    """One table cell: text, an optional link (relative to the site root) and a CSS class."""

    text: str
    href: str | None = None
    css: str | None = None


def cell_html(cell: Cell, root: str) -> str:
    """``<td>`` of one cell; an href is prefixed with ``root``, the way back to the site root."""
    open_tag = f'<td class="{escape(cell.css)}">' if cell.css else "<td>"
    if cell.href:
        return f'{open_tag}<a href="{escape(root)}{escape(cell.href)}">{escape(cell.text)}</a></td>'
    return f"{open_tag}{escape(cell.text)}</td>"


def list_row_html(cells: Iterable[Cell], root: str) -> str:
    """One row of a list page's table, indented and ending in a newline as ``list.html`` had it."""
    return "    <tr>" + "".join(cell_html(c, root) for c in cells) + "</tr>\n"


def _date_text(value: dt.date) -> str:
    return value.isoformat()  # the sort key: digits and dashes, nothing to escape


# what ledger.js's trim may remove from a cell's text: every character Python calls a space (none is past
# U+3000; tests/site/test_rows.py looks at every code point), and the byte-order mark ECMAScript adds
_TRIMMED = frozenset(char for char in map(chr, range(0x3001)) if char.isspace()) | {"\ufeff"}


def _sort(key: str, shown: str) -> str:
    """The end of a ledger cell's class attribute, and its ``data-sort`` when ledger.js needs it (both escaped).

    ledger.js sorts a column by each cell's ``data-sort``, else by the cell's text, trimmed.
    Most cells sort by what they show: the attribute would only repeat the text (a fifth of
    the ledger's pages at 100,000 issues).  It is written where the key differs (dates by
    their ISO form, "—" by nothing) or the text starts or ends with what a trim removes.
    """
    if key == shown and not (key and (key[0] in _TRIMMED or key[-1] in _TRIMMED)):
        return '"'
    return f'" data-sort="{key}"'


# how a ledger column's cell is written (``LedgerRows.row``): plain, a date, or as its key says
_PLAIN, _DATE, _ID, _STATUS, _DEPARTMENT, _OVERDUE = range(6)
_SPECIAL = {"id": _ID, "status": _STATUS, "department": _DEPARTMENT, "days_overdue": _OVERDUE}


class LedgerRows:
    """The ledger's rows as HTML, rendered for each page that lists them.

    ledger.html (or its month pages) shows every line, each department's and team's page the
    lines of that unit: the same ``<tr>``, written once for the site root (``rowstore``, until
    ``forget_rows``) and re-rooted per page.
    ``anchors`` gives the page each issue's row is on when the ledger is split (None: ledger.html).
    """

    def __init__(
        self,
        table: LedgerTable,
        status_classes: Mapping[str, str],
        day_unit: str,
        anchors: Mapping[str, str] | None = None,
    ) -> None:
        self.table = table
        self.status_classes = status_classes
        self.day_unit = day_unit  # days overdue are printed with it: 天 or 个工作日
        self.anchors = anchors
        self._written = RowStore(len(table.lines))
        # each column's way of writing its cell (``_SPECIAL``, else plain or a date), what its <td> starts
        # with ('<td class="text col-title'), and a date column's cells made, by their date
        self._columns: list[tuple[int, str, dict[dt.date | None, str]]] = [
            (
                _SPECIAL.get(c.key, _DATE if c.kind == "date" else _PLAIN),
                f'<td class="{escape(c.kind)} col-{escape(c.key)}',
                {},
            )
            for c in table.columns
        ]

    def page_of(self, issue_id: str) -> str:
        """The ledger page (relative to the site root) that holds the issue's row."""
        return self.anchors[issue_id] if self.anchors is not None else "ledger.html"

    def shows(self, line: LedgerLine) -> tuple[object, ...]:
        """Everything ``row`` reads of ``line`` (a page's key holds it; the columns and day unit are the page's)."""
        issue, row = line.row.issue, line.row
        return (issue.id, row.state.status, issue.lead_department, row.overdue, self.page_of(issue.id), line.cells)

    def row(self, line: LedgerLine) -> str:
        """One line's ``<tr>``, links relative to the site root: as written the first time, until ``forget_rows``."""
        html = self._written.get(line.at)
        if html is None:
            html = self._row(line)
            self._written.put(line.at, html)
        return html

    def forget_rows(self) -> None:
        """Forget the rows written (their memory goes back): every page that shows the ledger's lines is made."""
        self._written.clear()

    def _row(self, line: LedgerLine) -> str:
        """One line's ``<tr>``, links relative to the site root, written now.

        Written for speed (each of 100,000 lines is written for the ledger and for its two
        units' pages): a plain text cell is one escape and one f-string.  One line of text per
        row, not one per cell: the public build's leak search reads a page line by line, and at
        100,000 issues the ledger's and the units' pages were 4.5 million lines of one cell each
        (its worker's CPU: 20.3 s, 16.1 s with a row a line).
        """
        issue, state = line.row.issue, line.row.state
        parts = [f'    <tr id="{escape(issue.id)}" data-status="{escape(state.status)}">']
        for (how, opening, made), value in zip(self._columns, line.cells, strict=True):
            if how == _PLAIN and type(value) is str:  # most cells: ``_sort`` written out, a call a cell saved
                text = _escape_fast(value)
                if text and (text[0] in _TRIMMED or text[-1] in _TRIMMED):
                    parts.append(f'{opening}" data-sort="{text}">{text}</td>')
                else:
                    parts.append(f'{opening}">{text}</td>')
                continue
            if how == _DATE:  # few dates, many cells: each date's cell made once
                cell = made.get(value)  # type: ignore[arg-type]
                if cell is None:
                    cell = made[value] = self._date_cell(opening, value)  # type: ignore[index, arg-type]
                parts.append(cell)
                continue
            if value is None:
                sort, shown = "", "—"
            else:
                sort = shown = escape(value)
            text, css = shown, ""  # ``text``: the cell's markup; ``shown``: what it reads as (a link's text)
            if how == _STATUS:
                css = f" status {escape(self.status_classes.get(value, ''))}"  # type: ignore[arg-type]
            elif how == _ID:
                shown = escape(value)  # never None; if it were, "None" as the template wrote it
                text = f'<a href="{escape(self.page_of(issue.id))}#{shown}">{shown}</a>'
            elif how == _DEPARTMENT:
                shown = escape(value)
                text = f'<a href="departments/{escape(issue.lead_department)}.html">{shown}</a>'
            elif how == _OVERDUE:  # every overdue issue, its days with their unit
                overdue = line.row.overdue
                css = " overdue" if overdue else ""
                text = shown = escape(days_text(value, self.day_unit)) if overdue and isinstance(value, int) else "—"
            parts.append(f"{opening}{css}{_sort(sort, shown)}>{text}</td>")
        parts.append("</tr>\n")
        return "".join(parts)

    @staticmethod
    def _date_cell(opening: str, value: dt.date | None) -> str:
        """A date column's ``<td>`` of ``value`` (None: no date)."""
        sort, text = (_date_text(value), date_zh(value)) if value is not None else ("", "—")
        return f"{opening}{_sort(sort, text)}>{text}</td>"

    def rooted(self, line: LedgerLine, root: str) -> str:
        """One line's ``<tr>`` as ``body`` writes it on a page whose way back to the site root is ``root``."""
        html = self.row(line)
        return html.replace(' href="', f' href="{escape(root)}') if root else html

    def body(self, lines: Sequence[LedgerLine], root: str) -> str:
        """The ``<tbody>`` content for ``lines`` (lines of this table), links prefixed with ``root``."""
        html = "".join(map(self.row, lines))
        # Every link in a row is an ``href="`` attribute written above; escaped text cannot
        # hold a ``"``, so this reaches exactly the links and nothing a record says.
        return html.replace(' href="', f' href="{escape(root)}') if root else html
