"""Table rows written in Python (render/site/rows.py, ledger_files.ledger_xlsx) against the slow way.

The ledger rows, list rows and the XLSX sheet used to be written by Jinja loops and by
openpyxl cell by cell; they are now written directly for speed.  These tests keep the old
ways as references and hold the new output to them byte for byte, on the test offices and
on values chosen to trip escaping (``& < > " '``, empty, missing, padded with spaces).  The
ledger's cells are leaner than the old template's (no indentation, no ``data-sort`` that
repeats the text): they are held to it cell by cell, as a reader and ledger.js read them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import io
import re
import zipfile
from typing import Any

import markupsafe
import pytest
from openpyxl.utils.exceptions import IllegalCharacterError

from reportgen.compute.stats import StatsEngine
from reportgen.formatting import date_zh
from reportgen.model import Records
from reportgen.render.ledger_files import LedgerTable, _save, _workbook, ledger_table, ledger_xlsx, stable_zip
from reportgen.render.site.builder import SiteBuilder
from reportgen.render.site.context import STATUS_CLASSES, data_as_of
from reportgen.render.site.listpages import ListPages
from reportgen.render.site.lists import ISSUE_LISTS, RESOLVED_DURING
from reportgen.render.site.rows import _TRIMMED, Cell, LedgerRows, _escape_text, escape, list_row_html
from tests.site.helpers import sample_bulletins, site_env

pytest_plugins = ["tests.site.fixtures"]

# The ledger rows as _macros.html wrote them before rows.py (dates shown the Chinese way, sorted by ISO).
OLD_LEDGER_ROWS = """\
{% macro cell_value(column, value) -%}
{%- if value is none -%}—{%- elif column.kind == "date" -%}{{ value|date_zh }}{%- else -%}{{ value }}{%- endif -%}
{%- endmacro %}
{% macro sort_key(column, value) -%}
{%- if value is none -%}{%- elif column.kind == "date" -%}{{ value.isoformat() }}{%- else -%}{{ value }}{%- endif -%}
{%- endmacro %}
  <tbody>
    {% for line in lines %}
    {% set row = line.row %}
    <tr id="{{ row.issue.id }}" data-status="{{ row.state.status }}">
      {% for column in table.columns %}
      {% set value = line.cells[loop.index0] %}
      <td class="{{ column.kind }} col-{{ column.key }}{% if column.key == 'status' %} status \
{{ status_classes.get(value, '') }}{% endif %}\
{% if column.key == 'days_overdue' and row.overdue %} overdue{% endif %}" \
data-sort="{{ sort_key(column, value) }}">
        {%- if column.key == "id" -%}<a href="{{ root }}ledger.html#{{ value }}">{{ value }}</a>
        {%- elif column.key == "department" -%}\
<a href="{{ root }}departments/{{ row.issue.lead_department }}.html">{{ value }}</a>
        {%- elif column.key == "days_overdue" -%}{% if row.overdue and value is integer and value is not sameas true %}\
{{ ("不足1" ~ day_unit) if value == 0 else (value ~ day_unit) }}{% else %}—{% endif %}
        {%- else -%}{{ cell_value(column, value) }}{%- endif -%}
      </td>
      {% endfor %}
    </tr>
    {% endfor %}
  </tbody>"""

# The list rows as list.html wrote them before rows.py.
OLD_LIST_ROWS = """\
  <tbody>
    {% for row in rows %}
    <tr>{% for c in row %}<td{% if c.css %} class="{{ c.css }}"{% endif %}>{% if c.href %}\
<a href="{{ root }}{{ c.href }}">{{ c.text }}</a>{% else %}{{ c.text }}{% endif %}</td>{% endfor %}</tr>
    {% endfor %}
  </tbody>"""

DAY_UNIT = "个工作日"  # the unit both ways print days overdue with
TRICKY = ["a&b", "<script>", "\"quoted\" 'single'", "", "  padded ", "—", "&amp;", "x>y<z", "\t制表"]


def _old_ledger_rows(table: LedgerTable, lines: Any, root: str) -> str:
    template = site_env().from_string(OLD_LEDGER_ROWS)
    return template.render(table=table, lines=lines, root=root, status_classes=STATUS_CLASSES, day_unit=DAY_UNIT)


def _new_ledger_rows(rows: LedgerRows, lines: Any, root: str) -> str:
    return f"  <tbody>\n{rows.body(lines, root)}  </tbody>"


_CELL = re.compile(r' *<td class="([^"]*)"(?: data-sort="([^"]*)")?>(.*?)</td>\n?', re.S)
# what JavaScript's String.prototype.trim removes (ECMA-262: WhiteSpace and LineTerminator)
_JS_TRIMS = "\t\n\v\f\r \xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000\ufeff"


def _as_read(body: str) -> list[object]:
    """The rows' markup outside their cells (the spaces between a table's cells show nothing), and each cell's class,
    sort key as ledger.js reads it, and content.
    """
    read: list[object] = []
    at = 0
    for cell in _CELL.finditer(body):
        read.append(_between(body[at : cell.start()]))
        css, sort, inner = cell.groups()
        shown = html.unescape(re.sub("<[^>]*>", "", inner)).strip(_JS_TRIMS)  # the cell's textContent, trimmed
        read.append((css, shown if sort is None else html.unescape(sort), inner))
        at = cell.end()
    return [*read, _between(body[at:])]


def _between(markup: str) -> str:
    """The markup between two cells without the spaces after a tag: a table shows none of them."""
    return re.sub(r">\s+", ">", markup.strip())


def _table(records: Records, profile: str) -> LedgerTable:
    return ledger_table(records, StatsEngine(records), data_as_of(records), profile)


def _tricky(table: LedgerTable) -> LedgerTable:
    """The table with odd values in every text and number cell, and some cells missing."""
    lines = []
    for n, line in enumerate(table.lines):
        cells: list[Any] = list(line.cells)
        for i, column in enumerate(table.columns):
            pick = (n + i) % (len(TRICKY) + 3)
            if column.kind == "text":
                cells[i] = TRICKY[pick] if pick < len(TRICKY) else None if pick == len(TRICKY) else cells[i]
            elif column.kind == "int":
                cells[i] = [0, 7, None, 13800009901][pick % 4]
            elif pick == 0:
                cells[i] = None
        lines.append(dataclasses.replace(line, cells=tuple(cells)))
    return dataclasses.replace(table, lines=tuple(lines))


@pytest.mark.parametrize(
    "value",
    [
        "",
        "plain",
        "中文",
        "a&b<c>d'e\"f",
        "&amp;",
        0,
        42,
        -1.5,
        None,
        True,
        dt.date(2021, 9, 30),
        markupsafe.Markup("<b>"),
    ],
)
def test_escape_is_markupsafe(value: object) -> None:
    assert escape(value) == str(markupsafe.escape(value))
    if isinstance(value, str) and not isinstance(value, markupsafe.Markup):
        assert _escape_text(value) == str(markupsafe.escape(value))  # without markupsafe's C extension


@pytest.mark.parametrize("profile", ["public", "internal"])
@pytest.mark.parametrize("odd", [False, True])
def test_ledger_rows_match_the_old_template(records: Records, profile: str, odd: bool) -> None:
    table = _table(records, profile)
    if odd:
        table = _tricky(table)
    rows = LedgerRows(table, STATUS_CLASSES, DAY_UNIT)
    for root in ("", "../"):
        new = _new_ledger_rows(rows, table.lines, root)
        assert _as_read(new) == _as_read(_old_ledger_rows(table, table.lines, root))
        assert "\n <td" not in new
    some = table.lines[1::3]
    assert _as_read(_new_ledger_rows(rows, some, "../")) == _as_read(_old_ledger_rows(table, some, "../"))
    assert _new_ledger_rows(rows, (), "../") == _old_ledger_rows(table, (), "../")


def test_ledger_cells_sort_by_their_text_unless_told(records: Records) -> None:
    """A cell says ``data-sort`` only where its text would sort otherwise: a date, a blank, a padded text."""
    table = _tricky(_table(records, "public"))
    line = table.lines[0]
    keys = [c.key for c in table.columns]
    cells = list(line.cells)
    cells[keys.index("title")] = " 前后有空格 "
    cells[keys.index("enterprise")] = "甲&乙公司"
    cells[keys.index("rating")] = None
    cells[keys.index("days_open")] = 12
    line = dataclasses.replace(line, cells=tuple(cells))
    row = LedgerRows(table, STATUS_CLASSES, DAY_UNIT).row(line)
    assert '<td class="text col-enterprise">甲&amp;乙公司</td>' in row
    assert '<td class="text col-title" data-sort=" 前后有空格 "> 前后有空格 </td>' in row
    assert '<td class="text col-rating" data-sort="">—</td>' in row
    assert '<td class="int col-days_open">12</td>' in row
    raised = line.cells[keys.index("raised")]
    assert f'<td class="date col-raised" data-sort="{raised.isoformat()}">{date_zh(raised)}</td>' in row
    issue, status = line.row.issue.id, line.row.state.status
    assert row.startswith(f'    <tr id="{issue}" data-status="{status}"><td class="text col-id"><a ')


def test_what_a_trim_removes_is_known() -> None:
    """``rows._TRIMMED`` holds all a JavaScript trim removes; Python calls no character past U+3000 a space."""
    assert set(_JS_TRIMS) <= _TRIMMED
    assert [code for code in range(0x3001, 0x110000) if chr(code).isspace()] == []


def test_list_rows_match_the_old_template() -> None:
    rows = [
        [
            Cell(text, href, css)
            for text, href, css in zip(TRICKY, [None, "a&b.html", "x\"y'.html"] * 3, [None, "", "c&d"] * 3, strict=True)
        ]
    ]
    for root in ("", "../../../"):
        old = site_env().from_string(OLD_LIST_ROWS).render(rows=rows, root=root)
        assert f"  <tbody>\n{''.join(list_row_html(r, root) for r in rows)}  </tbody>" == old


def _old_issue_cells(builder: SiteBuilder, key: Any, items: Any) -> list[list[Cell]]:
    """ListPages.issues before it wrote HTML itself."""
    enterprises, departments = builder.records.enterprises, builder.records.departments
    counter, unit, as_of = builder.engine.counter, builder.engine.day_unit, key.window.as_of

    def date(value: Any) -> Cell:
        return Cell(date_zh(value) if value else "—", None, "date")

    rows = []
    for t, s in sorted(items, key=lambda p: (p[0].raised, p[0].id)):
        dept = departments[t.lead_department]
        overdue = counter.between(t.deadline, as_of) if s.is_open and t.deadline < as_of else None
        # every overdue issue, its days with their unit (0 working days: 不足1个工作日)
        shown = "—" if overdue is None else f"{overdue}{unit}" if overdue else f"不足1{unit}"
        rows.append(
            [
                Cell(t.id, f"ledger.html#{t.id}"),
                Cell(enterprises[t.enterprise]["name"]),
                Cell(t.title),
                Cell(t.category),
                Cell(dept.get("short_name") or dept["name"], f"departments/{t.lead_department}.html"),
                date(t.raised),
                date(t.deadline),
                Cell(s.status, None, f"status {STATUS_CLASSES.get(s.status, '')}"),
                date(s.finished_on),
                Cell(shown, None, "num"),
                Cell(s.rating or "—"),
            ]
        )
    return rows


def test_issue_list_rows_match_the_old_cells(records: Records) -> None:
    builder = SiteBuilder(
        records, StatsEngine(records), sample_bulletins(records), site_env(), "public", {}.__setitem__
    )
    builder.build()
    pages = ListPages(builder)
    keys = [k for k in builder.lists.wanted.values() if k.metric in ISSUE_LISTS or k.metric == RESOLVED_DURING]
    assert keys
    template = site_env().from_string(OLD_LIST_ROWS)
    root = "../../../"
    for key in keys:
        items = builder.lists.items(key.unit, key.window, key.metric)
        _, _, rows = pages.table(key, items)
        old = template.render(rows=_old_issue_cells(builder, key, items), root=root)
        assert f"  <tbody>\n{rows(root)}  </tbody>" == old, key.path


def _entries(data: bytes) -> list[tuple[str, bytes]]:
    """A zip's entries, in order, with what they hold."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def _openpyxl_only(table: LedgerTable, title: str, created: dt.datetime) -> list[tuple[str, bytes]]:
    return _entries(stable_zip(_save(_workbook(table, table.lines, title, created))))


@pytest.mark.parametrize("profile", ["public", "internal"])
@pytest.mark.parametrize("odd", [False, True])
def test_xlsx_rows_match_openpyxl(records: Records, profile: str, odd: bool) -> None:
    table = _tricky(_table(records, profile)) if odd else _table(records, profile)
    created = dt.datetime(2022, 1, 1)
    assert _entries(ledger_xlsx(table, "台账", created)) == _openpyxl_only(table, "台账", created)
    assert _entries(ledger_xlsx(dataclasses.replace(table, lines=table.lines[:1]), "台账", created)) == _openpyxl_only(
        dataclasses.replace(table, lines=table.lines[:1]), "台账", created
    )


@pytest.mark.parametrize("value", ["=SUM(A1)", "#N/A", 1.5, True, dt.datetime(2021, 9, 1, 8, 30)])
def test_xlsx_odd_values_go_through_openpyxl(private_office: Records, value: object) -> None:
    table = _table(private_office, "public")
    title = next(i for i, c in enumerate(table.columns) if c.key == "title")
    cells = list(table.lines[-1].cells)
    cells[title] = value
    table = dataclasses.replace(
        table, lines=(*table.lines[:-1], dataclasses.replace(table.lines[-1], cells=tuple(cells)))
    )
    created = dt.datetime(2022, 1, 1)
    assert _entries(ledger_xlsx(table, "台账", created)) == _openpyxl_only(table, "台账", created)


def test_xlsx_refuses_what_excel_refuses(private_office: Records) -> None:
    table = _table(private_office, "public")
    line = table.lines[-1]
    table = dataclasses.replace(
        table, lines=(*table.lines[:-1], dataclasses.replace(line, cells=("\x01", *line.cells[1:])))
    )
    with pytest.raises(IllegalCharacterError):
        ledger_xlsx(table, "台账", dt.datetime(2022, 1, 1))
