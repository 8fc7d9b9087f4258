"""Ledger rows written once for the three pages that show them (``render/site/rowstore.py``)."""

from __future__ import annotations

import pytest

from reportgen.compute.stats import StatsEngine
from reportgen.model import Records
from reportgen.render.ledger_files import LedgerLine
from reportgen.render.site.builder import SiteBuilder
from reportgen.render.site.rows import LedgerRows
from reportgen.render.site.rowstore import RowStore
from tests.site.fixtures import sample
from tests.site.helpers import render, site_env

__all__ = ["sample"]  # the fixture, used by name


def test_a_row_kept_is_given_back_as_written() -> None:
    store = RowStore(3)
    assert store.get(1) is None  # nothing kept yet
    store.put(2, '    <tr id="Q001">\n<td>周口市“万人助万企”</td>\n    </tr>\n')
    store.put(0, "<tr></tr>\n")
    assert store.get(2) == '    <tr id="Q001">\n<td>周口市“万人助万企”</td>\n    </tr>\n'
    assert (store.get(0), store.get(1)) == ("<tr></tr>\n", None)
    store.clear()
    assert [store.get(at) for at in range(3)] == [None, None, None]


def test_each_row_is_written_once_for_every_page_that_shows_it(
    sample: Records, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[int] = []
    builder: list[SiteBuilder] = []
    write_row, build = LedgerRows._row, SiteBuilder.build

    def counted(rows: LedgerRows, line: LedgerLine) -> str:
        written.append(line.at)
        return write_row(rows, line)

    def kept(site: SiteBuilder, *args: object) -> list[str]:
        builder.append(site)
        return build(site)

    monkeypatch.setattr(LedgerRows, "_row", counted)
    monkeypatch.setattr(SiteBuilder, "build", kept)
    files = render(sample, "public")
    lines = len(builder[0].ledger.lines)
    assert sorted(written) == list(range(lines))  # every line on the ledger, each written once
    first = builder[0].ledger.lines[0]
    issue, department = first.row.issue.id, first.row.issue.lead_department
    row = write_row(builder[0].ledger_rows, first).replace(' href="', ' href="../')
    assert row in files[f"departments/{department}.html"].decode("utf-8")  # its unit's page shows the same row
    assert f'<tr id="{issue}"' in files[builder[0].ledger_rows.page_of(issue)].decode("utf-8")
    assert builder[0].ledger_rows._written.get(first.at) is None  # forgotten once the unit pages were made


def test_rows_are_as_written_without_the_store(sample: Records) -> None:
    rows = SiteBuilder(sample, StatsEngine(sample), [], site_env(), "public", lambda path, content: None).ledger_rows
    lines = rows.table.lines
    first = [rows.row(line) for line in lines]  # written now and kept
    assert [rows.row(line) for line in lines] == first == [rows._row(line) for line in lines]
