"""The ledger's lines made as they are read (``ledger_files.LedgerLines``): once each cold, then only those shown.

A generated office with small pages and runs of ten lines is rendered with keys (parts kept as
the page store keeps them), one issue's title is changed, and it is rendered again: the lines
made are exactly those of the pages made again and of the runs of ``ledger.csv`` and
``ledger.xlsx`` that hold the changed issue (and the workbook's first line, which openpyxl writes);
a run is whole pages of the ledger, so its lines are among those of the month page made again.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from reportgen.compute.stats import StatsEngine
from reportgen.compute.timeline import IssueState, IssueTimeline
from reportgen.model import Records
from reportgen.render import ledger_files
from reportgen.render.ledger_files import LedgerLines, ledger_table
from reportgen.render.site import write_site
from reportgen.render.site.context import data_as_of
from tests.site.helpers import site_env
from tests.site.test_pagekeys import SMALL_PAGES, Keys, _records, _retitle
from tests.site.test_pagekeys import office as office  # the generated office of 160 issues

RUN = 10  # lines a run of ledger.csv and ledger.xlsx holds here


class KeptParts(Keys):
    """The test's map of keys, with the parts of files kept between builds as the page store keeps them."""

    def __init__(
        self,
        previous: dict[str, str],
        root: Path,
        parts: dict[str, bytes],
        memos: dict[str, bytes] | None = None,
        files: dict[str, bytes] | None = None,
    ) -> None:
        super().__init__(previous, root, memos=memos, files=files)
        self.parts = parts

    def part(self, key: str, make: Callable[[], bytes]) -> bytes:
        if key not in self.parts:
            self.parts[key] = make()
        return self.parts[key]

    def kept_part(self, key: str) -> bytes | None:
        return self.parts.get(key)


@pytest.fixture
def made_rows(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The issues whose ledger rows are made, in order."""
    made: list[str] = []
    ledger_row = StatsEngine.ledger_row

    def counted(self: StatsEngine, t: IssueTimeline, s: IssueState, as_of: dt.date) -> object:
        made.append(t.id)
        return ledger_row(self, t, s, as_of)

    monkeypatch.setattr(StatsEngine, "ledger_row", counted)
    monkeypatch.setattr(ledger_files, "_ROWS_PART", RUN)
    return made


def _render(records: Records, keys: Keys) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    write_site(records, StatsEngine(records), [], site_env(), "public", files.__setitem__, SMALL_PAGES, keys)
    return files


def _shown(files: dict[str, bytes]) -> set[str]:
    """The issues whose ledger rows the made ledger, department and team pages show."""
    pages = (content for path, content in files.items() if path.startswith(("ledger/", "departments/", "teams/")))
    return {issue for content in pages for issue in re.findall(r'<tr id="([^"]+)"', content.decode("utf-8"))}


def test_a_cold_build_makes_each_line_once(office: Path, made_rows: list[str]) -> None:
    files = _render(_records(office), KeptParts({}, office, {}))
    ledger = [line.split(",")[0] for line in files["ledger.csv"].decode("utf-8-sig").splitlines()[1:]]
    assert len(ledger) == 160
    assert sorted(made_rows) == sorted(ledger)  # each line once, though pages, units and both downloads show it


def test_after_a_change_only_the_lines_shown_again_are_made(office: Path, made_rows: list[str]) -> None:
    parts: dict[str, bytes] = {}
    first = KeptParts({}, office, parts)
    before = _render(_records(office), first)
    ledger = [line.split(",")[0] for line in before["ledger.csv"].decode("utf-8-sig").splitlines()[1:]]
    changed = _retitle(office)
    made_rows.clear()
    made = _render(_records(office), KeptParts(first.keys, office, parts))
    pages = _page_starts(before, ledger)
    assert len(pages) > 3 and pages[0] == 0
    csv_run = _run_of(ledger, 0, pages, changed)  # the csv's runs from its first line
    xlsx_run = _run_of(ledger, 1, pages, changed)  # the workbook's from its second
    expected = _shown(made) | set(csv_run) | set(xlsx_run)  # the workbook around its runs kept (its first line)
    assert {"ledger.csv", "ledger.xlsx"} <= set(made)
    assert sorted(made_rows) == sorted(expected)
    assert len(expected) < len(ledger) // 2
    month_page = [path for path in made if path.startswith("ledger/") and path.endswith(".html")]
    assert len(month_page) == 1 and set(csv_run) | set(xlsx_run) <= _shown({month_page[0]: made[month_page[0]]})


def test_with_the_last_build_s_row_keys_only_the_changed_line_is_made(office: Path, made_rows: list[str]) -> None:
    parts: dict[str, bytes] = {}
    first = KeptParts({}, office, parts)
    before = _render(_records(office), first)
    changed = _retitle(office)
    made_rows.clear()
    records = _records(office)
    made = _render(records, KeptParts(first.keys, office, parts, first.memos, before))
    assert {"ledger.csv", "ledger.xlsx"} <= set(made)
    assert made_rows == [changed]  # the pages' rows and both downloads' lines kept from the last build's
    cold = _render(records, KeptParts({}, office, {}))
    assert made["ledger.csv"] == cold["ledger.csv"] and made["ledger.xlsx"] == cold["ledger.xlsx"]
    assert f"{changed},".encode() in made["ledger.csv"] and made["ledger.csv"] != before["ledger.csv"]


def test_csv_lines_are_cut_where_no_cell_holds_them() -> None:
    rows = [["a", "b\r\nc"], ['say "hi"\r\n', "d"], ["e", "f"]]
    text = ledger_files._csv_rows(rows)
    assert ledger_files._csv_lines(text) == [b'a,"b\r\nc"\r\n', b'"say ""hi""\r\n",d\r\n', b"e,f\r\n"]
    assert ledger_files._csv_lines(text[:-1]) == []  # not cut into whole lines


def _page_starts(files: dict[str, bytes], ledger: list[str]) -> list[int]:
    """The line each page of the split ledger starts at, from the rows the pages show."""
    starts = []
    for path, content in files.items():
        if path.startswith("ledger/") and path.endswith(".html"):
            rows = re.findall(r'<tr id="([^"]+)"', content.decode("utf-8"))
            starts.append(ledger.index(rows[0]))
    return sorted(starts)


def _run_of(ledger: list[str], start: int, pages: list[int], issue: str) -> list[str]:
    """The run of ledger.csv's (``start`` 0) or ledger.xlsx's (1) lines that holds ``issue``'s."""
    runs = [list(run) for _, run in ledger_files._runs(ledger, start, pages)]  # type: ignore[arg-type]
    return next(run for run in runs if issue in run)


def test_lines_share_what_is_made_and_equal_the_engine_ledger(office: Path) -> None:
    records = _records(office)
    engine = StatsEngine(records)
    table = ledger_table(records, engine, data_as_of(records), "public")
    lines = table.lines
    assert isinstance(lines, LedgerLines)
    middle = lines[40:60]
    assert isinstance(middle, LedgerLines) and len(middle) == 20
    assert middle[3] is lines[43]  # made once, through either
    picked = middle.picked([5, 0])
    assert picked.issues == [lines.issues[45], lines.issues[40]] and picked[0] is lines[45]
    assert [line.row for line in lines] == engine.ledger(data_as_of(records))
    assert [t.id for t in lines.issues] == [line.row.issue.id for line in lines]
    assert list(lines[::50]) == [lines[0], lines[50], lines[100], lines[150]]


def test_the_ledger_makes_no_snapshot(office: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    records = _records(office)
    engine = StatsEngine(records)
    as_of = data_as_of(records)
    expected = engine.ledger(as_of)
    fresh = StatsEngine(records)

    def no_snapshot(day: dt.date) -> None:
        raise AssertionError(f"a snapshot of every issue on {day}")

    monkeypatch.setattr(fresh.snapshots, "at", no_snapshot)
    lines = ledger_table(records, fresh, as_of, "public").lines  # each line's state found when it is made
    assert [line.row for line in lines] == expected
