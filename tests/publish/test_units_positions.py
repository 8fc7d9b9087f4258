"""The ledger's positions of each unit's issues, kept by what the figures are worked out from.

``SiteBuilder._positions_of_units``: a title edit changes no issue's place nor unit, so the
next build takes the last one's positions and finds none; an edit that moves an issue to
another department finds them again.  Either way the output is a cold build's.
"""

from __future__ import annotations

import pickle
import re
from array import array
from pathlib import Path

import pytest

from reportgen.publish.filestates import FileStates
from reportgen.render.site.builder import SiteBuilder, _positions_read
from reportgen.render.site.lists import Unit
from reportgen.schema.kinds import ENTERPRISE
from tests.publish.test_build import make_office, run, tree
from tests.publish.test_incremental_pages import ISSUE, _retitle


@pytest.fixture(autouse=True)
def _own_check_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path / "check-cache"))


def _spied(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[tuple[object, ...]]:
    """The arguments (after ``self``) of each call of the method ``owner.name`` from now on."""
    calls: list[tuple[object, ...]] = []
    original = getattr(owner, name)

    def spy(self: object, *args: object) -> object:
        calls.append(args)
        return original(self, *args)

    monkeypatch.setattr(owner, name, spy)
    return calls


def _second_title_edit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, owner: object, name: str
) -> tuple[Path, Path, list[tuple[object, ...]]]:
    """An office built, its issue retitled and built again, then ``owner.name`` watched over one more title edit:
    the records, the output and the method's calls in that last build."""
    records, out = make_office(tmp_path), tmp_path / "output"
    assert run(records, out).ok
    _retitle(records, "核实后：")
    assert run(records, out).ok
    calls = _spied(monkeypatch, owner, name)
    _retitle(records, "再次")
    assert run(records, out).ok
    return records, out, calls


def _cold(records: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The output of a cold build of ``records``, its own check cache too."""
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path / "cold-check-cache"))
    assert run(records, tmp_path / "cold").ok
    return tree(tmp_path / "cold")


def test_a_title_edit_takes_the_last_builds_positions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    records, out, found = _second_title_edit(tmp_path, monkeypatch, SiteBuilder, "_positions_by_unit")
    assert found == []
    path = records / ISSUE
    text = path.read_text("utf-8")
    department = re.search(r"(?m)^lead_department: (\w+)", text)
    assert department is not None
    other = "D01" if department[1] != "D01" else "D03"
    path.write_text(text.replace(f"lead_department: {department[1]}", f"lead_department: {other}"), "utf-8")
    assert run(records, out).ok
    assert len(found) == 1  # the issue's unit changed: the positions are found again
    assert tree(out) == _cold(records, tmp_path, monkeypatch)


def test_kept_positions_of_another_shape_are_not_used() -> None:
    good = {("department", "D01"): array("i", [0, 2]), ("team", None): array("i", [1])}
    assert _positions_read(pickle.dumps(good), 3) == {("department", "D01"): [0, 2], ("team", None): [1]}
    assert _positions_read(pickle.dumps(good), 2) is None  # a position past the ledger
    assert _positions_read(pickle.dumps({("department", "D01"): array("i", [2, 0])}), 3) is None  # not ascending
    assert _positions_read(pickle.dumps({("department", "D01"): [0, 2]}), 3) is None  # not an array
    assert _positions_read(b"not a pickle", 3) is None
    assert _positions_read(None, 3) is None


def test_a_title_edit_picks_the_lines_of_the_units_showing_the_issue_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every unit's pages are keyed by its positions' running sums: only the pages made pick their lines."""
    records, out, picked = _second_title_edit(tmp_path, monkeypatch, SiteBuilder, "unit_lines")
    units = sorted((unit.kind, unit.id) for (unit,) in picked if isinstance(unit, Unit))
    assert units == [("department", "D02"), ("team", "T01")]  # Q0004's: D02, and E002's team
    assert tree(out) == _cold(records, tmp_path, monkeypatch)


def test_a_team_page_made_again_reads_the_enterprises_files_in_one_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``SiteBuilder._team_shown`` keys the team's enterprises by one look at the inputs, not one per enterprise.

    One pass over the inputs in the build, for the enterprises' folder: the ledger's row keys look at
    none (``keptrows``: the files changed since the last build are known).
    """
    records, out, passes = _second_title_edit(tmp_path, monkeypatch, FileStates, "shas")
    assert passes == [(f"records/{ENTERPRISE.folder}/",)]
    assert tree(out) == _cold(records, tmp_path, monkeypatch)


def test_a_title_edit_keeps_the_dashboard_without_making_its_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dashboard is kept by its alias (``SiteBuilder.dashboard_alias``); its lists are linked to as before."""
    records, out, made = _second_title_edit(tmp_path, monkeypatch, SiteBuilder, "_dashboard_figures")
    assert made == []
    assert tree(out) == _cold(records, tmp_path, monkeypatch)
    assert made == [()]  # a cold build makes them
