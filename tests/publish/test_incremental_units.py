"""After a title or category edit the site makes the unit and list pages that show the issue, and no other.

A unit page is kept by its alias (``SiteBuilder.unit_alias``: the figures' inputs and the
key of the unit's rows) without its context being made; a list kept by its issues' files
(``ListIndex.members``) works out none of their states.  No figure reads a category: after
a category edit the figures' answers are the last build's (``SiteBuilder.answers_key``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reportgen.render import site
from reportgen.render.site import Paging
from reportgen.render.site import lists as site_lists
from reportgen.render.site.builder import SiteBuilder
from reportgen.render.site.lists import ListIndex, ListKey, Unit, Window
from reportgen.schema.kinds import CATEGORIES
from tests.publish.test_build import make_office, run, tree
from tests.publish.test_incremental_pages import ISSUE, _figures_worked_out, _retitle

ISSUE_ID = "Q0004"  # ISSUE's: lead department D02, enterprise E002


@pytest.fixture(autouse=True)
def _own_check_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path / "check-cache"))


def _recategorise(records: Path) -> None:
    path = records / ISSUE
    text = path.read_text("utf-8")
    assert text.count("category: 融资") == 1
    path.write_text(text.replace("category: 融资", f"category: {next(c for c in CATEGORIES if c != '融资')}"), "utf-8")


def _showing(out: Path) -> set[str]:
    """The unit and list pages of ``out`` with a row of the issue."""
    row = f'#{ISSUE_ID}">{ISSUE_ID}</a>'
    pages = [p for folder in ("departments", "teams", "lists") for p in (out / folder).rglob("*.html")]
    return {p.relative_to(out).as_posix() for p in pages if row in p.read_text("utf-8")}


def _counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[Any]]:
    """The files the site writes, the unit pages whose context is made and the lists whose rows are found."""
    calls: dict[str, list[Any]] = {"emit": [], "page": [], "unit_page": [], "items": []}
    emit, page, unit_page, items = SiteBuilder.emit, SiteBuilder.page, SiteBuilder.unit_page, ListIndex.items

    def emitted(self: SiteBuilder, path: str, content: bytes) -> None:
        calls["emit"].append(path)
        emit(self, path, content)

    def paged(self: SiteBuilder, path: str, *args: Any, **context: Any) -> None:
        calls["page"].append(path)
        page(self, path, *args, **context)

    def unit_made(self: SiteBuilder, unit: Unit, *args: Any) -> None:
        calls["unit_page"].append(unit.id)
        unit_page(self, unit, *args)

    def listed(self: ListIndex, unit: Unit | None, window: Window, metric: str) -> list[Any]:
        calls["items"].append(ListKey(unit, window, metric).path)
        return items(self, unit, window, metric)

    monkeypatch.setattr(SiteBuilder, "emit", emitted)
    monkeypatch.setattr(SiteBuilder, "page", paged)
    monkeypatch.setattr(SiteBuilder, "unit_page", unit_made)
    monkeypatch.setattr(ListIndex, "items", listed)
    return calls


@pytest.mark.parametrize("large", [False, True], ids=["small-office", "large-office"])
def test_a_title_edit_makes_exactly_the_unit_and_list_pages_that_show_the_issue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, large: bool
) -> None:
    if large:  # a unit's figures link to lists of the latest month only
        monkeypatch.setattr(site_lists, "SMALL_OFFICE_ISSUES", 1)
    records, out = make_office(tmp_path), tmp_path / "output"
    assert run(records, out).ok  # it freezes the issued bulletin's figures (``records/frozen/``): a new input
    _retitle(records, "核实后：")
    assert run(records, out).ok
    with monkeypatch.context() as counting:
        calls = _counted(counting)
        _retitle(records, "再次")
        assert run(records, out).ok
    showing = _showing(out)
    units = {path for path in showing if not path.startswith("lists/")}
    assert units == {"departments/D02.html", "teams/T01.html"}
    assert any(path.startswith("lists/") for path in showing)
    assert {path for path in calls["emit"] if path.startswith(("departments/", "teams/", "lists/"))} == showing
    assert sorted(calls["unit_page"]) == ["D02", "T01"]  # no other unit page's context made
    assert calls["items"] == []  # no list's rows found: those showing the issue render its row alone (``splice``)
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path / "cold-check-cache"))
    assert run(records, tmp_path / "cold").ok
    assert tree(out) == tree(tmp_path / "cold")


def test_a_category_edit_works_out_no_figure_and_makes_the_unit_pages_that_show_the_issue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(site_lists, "SMALL_OFFICE_ISSUES", 1)
    records, out = make_office(tmp_path), tmp_path / "output"
    assert run(records, out).ok
    _retitle(records, "核实后：")
    assert run(records, out).ok
    for edit in (_recategorise, lambda records: _retitle(records, "再次")):  # the answers' key holds on after it
        with monkeypatch.context() as counting:
            worked, calls = _figures_worked_out(counting), _counted(counting)
            edit(records)
            assert run(records, out).ok
        assert worked == []
        assert sorted(calls["unit_page"]) == ["D02", "T01"]
        lists = {path for path in _showing(out) if path.startswith("lists/")}
        assert lists and lists <= set(calls["emit"])  # made again ...
        assert calls["items"] == []  # ... each rendering the issue's row alone (``splice``)
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path / "cold-check-cache"))
    assert run(records, tmp_path / "cold").ok
    assert tree(out) == tree(tmp_path / "cold")


def test_a_title_edit_remakes_the_one_page_of_a_unit_that_holds_its_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(site.write_site, "__defaults__", (Paging(unit_rows=1), None, None))  # a row a page
    records, out = make_office(tmp_path), tmp_path / "output"
    assert run(records, out).ok
    _retitle(records, "核实后：")
    assert run(records, out).ok
    pages = {p.relative_to(out).as_posix() for p in (out / "departments/D02").rglob("*.html")}
    assert pages  # D02's issues run to more pages than its first
    with monkeypatch.context() as counting:
        calls = _counted(counting)
        _retitle(records, "再次")
        assert run(records, out).ok
    showing = _showing(out)
    units = {path for path in showing if path.startswith(("departments/", "teams/"))}
    assert len({path for path in units if path.startswith("departments/")}) == 1
    assert {path for path in calls["page"] if path.startswith(("departments/", "teams/"))} == units  # no other keyed
    assert {path for path in calls["emit"] if path.startswith(("departments/", "teams/", "lists/"))} == showing
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path / "cold-check-cache"))
    assert run(records, tmp_path / "cold").ok
    assert tree(out) == tree(tmp_path / "cold")
