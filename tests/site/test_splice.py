"""Pages of ledger rows made again from the last build's pages (``render/site/splice.py``).

The office of ``test_pagekeys`` (small pages: the ledger by month, units in pages) is
rendered, changed, and rendered again keeping what is unchanged, with the last build's
files at hand: every page made must be byte-identical to a cold rendering, and a page
made again renders only the rows whose keys changed.
"""

from __future__ import annotations

import datetime as dt
import pickle
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from reportgen.codeversion import code_version
from reportgen.compute.stats import StatsEngine
from reportgen.render.ledger_files import LedgerLine
from reportgen.render.site import render_site
from reportgen.render.site.listpages import IssueRow, ListPages
from reportgen.render.site.lists import ListKey
from reportgen.render.site.rows import LedgerRows
from reportgen.render.site.splice import FORMAT, KEY_BYTES, LIST_ROW, ROW_END, _read, cut_rows
from tests.site.helpers import sample_bulletins, site_env
from tests.site.test_pagekeys import SMALL_PAGES, Keys, _records, _render, _retitle, office

__all__ = ["office"]  # the fixture, used by name


class Counted:
    """How many rows were rendered one by one (kept rows are not), and how many tables whole."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.rows: list[str] = []
        self.tables = 0
        self.on = True  # off for the cold rendering compared with
        rooted, body = LedgerRows.rooted, LedgerRows.body

        def counted_rooted(rows: LedgerRows, line: LedgerLine, root: str) -> str:
            if self.on:
                self.rows.append(line.row.issue.id)
            return rooted(rows, line, root)

        def counted_body(rows: LedgerRows, lines: Sequence[LedgerLine], root: str) -> str:
            self.tables += self.on
            return body(rows, lines, root)

        monkeypatch.setattr(LedgerRows, "rooted", counted_rooted)
        monkeypatch.setattr(LedgerRows, "body", counted_body)


def _again(
    root: Path, first: Keys, before: dict[str, bytes], counted: Counted | CountedLists | None = None
) -> tuple[Keys, dict[str, bytes]]:
    """The office rendered again after the last build ``first`` (its output ``before``); what it made.

    Every file, kept or made, is the cold rendering's.
    """
    records = _records(root)
    second = Keys(first.keys, root, first.aliases, first.memos, before)
    made = _render(records, second)
    if counted is not None:
        counted.on = False
    cold = render_site(records, StatsEngine(records), sample_bulletins(records), site_env(), "public", SMALL_PAGES)
    assert {path: before[path] for path in second.kept} | made == cold
    return second, made


def _edit(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text("utf-8")
    changed = re.sub(pattern, replacement, text, count=1, flags=re.MULTILINE)
    assert changed != text
    path.write_text(changed, "utf-8")


def test_a_changed_title_renders_its_row_alone(office: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = Keys({}, office)
    before = _render(_records(office), first)
    issue = _retitle(office)
    counted = Counted(monkeypatch)
    _, made = _again(office, first, before, counted)
    pages = [path for path in made if path.startswith(("ledger/", "departments/D", "teams/T"))]
    assert len(pages) == 3  # its month's page, its department's and its team's
    assert counted.rows == [issue] * 3 and counted.tables == 0


def test_a_page_made_again_twice_keeps_its_rows(office: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = Keys({}, office)
    before = _render(_records(office), first)
    _retitle(office)
    second, made = _again(office, first, before)
    issue = _retitle(office)  # the same issue again: its pages were made by the build before
    counted = Counted(monkeypatch)
    _again(office, second, before | made, counted)
    assert counted.rows == [issue] * 3 and counted.tables == 0


def test_rows_added_gone_and_moved_are_rendered(office: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = Keys({}, office)
    before = _render(_records(office), first)
    files = sorted((office / "issues").rglob("*.yaml"))
    gone, copied = files[30], files[120]
    moved = next(f for f in files[100:] if "\nvisit:" not in f.read_text("utf-8"))  # raised on no visit's day
    gone.unlink()  # a row gone from its month and units
    text = moved.read_text("utf-8")
    department, raised = re.search(r"(?m)^lead_department: (\w+)", text), re.search(r"(?m)^raised: (\S+)", text)
    assert department is not None and raised is not None and raised[1][:7] > "2021-08"
    other = "D02" if department[1] == "D01" else "D01"
    earlier = (dt.date.fromisoformat(raised[1]).replace(day=1) - dt.timedelta(days=1)).isoformat()
    _edit(moved, r"^lead_department: \w+", f"lead_department: {other}")  # to another department's pages
    _edit(moved, r"^raised: \S+", f"raised: {earlier}")  # and to the month before
    _edit(moved, rf"^  - date: {raised[1]}", f"  - date: {earlier}")  # its first step, on the day it is raised
    added = copied.parent / "Q9999999.yaml"
    added.write_text(copied.read_text("utf-8").replace(f"id: {copied.stem}", "id: Q9999999"), "utf-8")
    counted = Counted(monkeypatch)
    _again(office, first, before, counted)
    assert "Q9999999" in counted.rows
    assert moved.stem in counted.rows
    assert len(counted.rows) < 40


def test_a_build_without_the_last_files_renders_whole_tables(office: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = Keys({}, office)
    _render(_records(office), first)
    _retitle(office)
    counted = Counted(monkeypatch)
    records = _records(office)
    made = _render(records, Keys(first.keys, office, first.aliases, first.memos))  # no file at hand
    counted.on = False
    cold = render_site(records, StatsEngine(records), sample_bulletins(records), site_env(), "public", SMALL_PAGES)
    assert all(made[path] == cold[path] for path in made)
    assert counted.rows == [] and counted.tables == 3


def test_a_page_is_cut_into_its_rows_whole() -> None:
    rows = ['    <tr id="Q1" data-status="x"><td>a</td></tr>\n', '    <tr id="Q2"></tr>\n']
    page = "<table>\n  <tbody>\n" + "".join(rows) + "  </tbody>\n</table>\n"
    assert cut_rows(page) == rows
    assert cut_rows(page.replace(ROW_END, "</tr>", 1)) is None  # two rows run together
    assert cut_rows(page.replace("  </tbody>", "")) is None
    assert cut_rows("<table>\n  <tbody>\n  </tbody>\n</table>\n") is None


def test_a_memo_of_another_shape_is_not_used() -> None:
    good = {"ledger/2021-09.html": ("key", "frame", bytes(KEY_BYTES))}
    assert _read(pickle.dumps((FORMAT, code_version(), good))) == good
    for entry in (("key", "frame"), ("key", 1, b""), ["key", "frame", b""], None):
        assert _read(pickle.dumps((FORMAT, code_version(), {"ledger/2021-09.html": entry}))) == {}
    assert _read(pickle.dumps((FORMAT, "other code", good))) == {}
    assert _read(b"not a pickle") == {}


class CountedLists:
    """How many issue-list rows were rendered one by one (kept rows are not), and how many issue lists whole."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.rows: list[str] = []
        self.tables = 0
        self.on = True
        issue_row, table = ListPages._issue_row, ListPages.table

        def counted_row(pages: ListPages, row: IssueRow, root: str) -> str:
            if self.on:
                self.rows.append(row[0][0])
            return issue_row(pages, row, root)

        def counted_table(pages: ListPages, key: ListKey, items: list[Any]) -> tuple[list[str], object, Any]:
            self.tables += self.on and pages._is_issue_list(key)
            return table(pages, key, items)

        monkeypatch.setattr(ListPages, "_issue_row", counted_row)
        monkeypatch.setattr(ListPages, "table", counted_table)


def test_a_changed_title_renders_its_list_rows_alone(office: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = Keys({}, office)
    before = _render(_records(office), first)
    assert first.memos["rows-lists.pickle"]  # the cold build keeps its issue lists' rows
    issue = _retitle(office)
    counted = CountedLists(monkeypatch)
    _, made = _again(office, first, before, counted)
    lists = [path for path in made if path.startswith("lists/") and issue.encode() in made[path]]
    assert len(lists) == 21  # the lists that show the issue are made again, each rendering its row alone
    assert counted.rows == [issue] * len(lists) and counted.tables == 0


def test_list_rows_are_cut_as_rendered() -> None:
    rows = ['    <tr><td><a href="../ledger.html#Q1">Q1</a></td><td>甲</td></tr>\n', "    <tr><td>Q2</td></tr>\n"]
    page = '<table class="list">\n  <thead><tr><th scope="col">编号</th></tr></thead>\n  <tbody>\n'
    page += "".join(rows) + "  </tbody>\n</table>\n"
    assert cut_rows(page, *LIST_ROW) == rows
    assert cut_rows(page, *LIST_ROW)[1] == "    <tr><td>Q2</td></tr>\n"
    assert cut_rows(page.replace("</td></tr>\n", "</td></tr>", 1), *LIST_ROW) is None  # two rows run together
    assert cut_rows(page) is None  # not ledger rows
