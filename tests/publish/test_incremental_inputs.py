"""A table is keyed by the files its rows read (``render/site/inputs.py``): an edit to any of them remakes it.

Each case edits one record that list or ledger rows show (an issue; and, that no issue file
holds, an enterprise's or a department's name, a staff member on a visit, a team, a legal service, the
settings and the working-day calendar behind deadlines and days overdue), rebuilds, and
compares the output with a cold build of the same records, file by file; ``ledger.csv`` and
``ledger.xlsx`` are made in runs of two lines, kept from the last build where unchanged.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.publish.pagestore import PARTS
from reportgen.render import ledger_files
from reportgen.render.site import lists as site_lists
from tests.publish.test_build import make_office, run, tree

EDITS = {
    "issue": ("issues/2021-09/Q0004.yaml", "\ntitle: ", "\ntitle: 核实后："),
    "status": ("issues/2021-09/Q0004.yaml", "status: 长期推进", "status: 已解决"),  # its unit's figures move
    "history": ("issues/2021-09/Q0004.yaml", "date: 2021-09-20", "date: 2021-10-05"),  # only a past month's do
    "enterprise": ("enterprises/E001.yaml", "name: 企业1有限公司", "name: 企业一有限公司"),
    "department": ("departments/D01.yaml", "name: 区供电公司", "name: 区供电公司（改）"),
    "staff": ("staff/S002.yaml", "name: 人员2", "name: 人员二"),
    "team": ("teams/T01.yaml", "name: 第一服务队", "name: 第一工作队"),
    "legal": ("legal/2021-08/L0001.yaml", "count: 3", "count: 4"),
    "settings": ("config.yaml", "default_time_limit_days: 15", "default_time_limit_days: 9"),
    "calendar": ("calendar/2021.yaml", "- 2021-10-07", "- 2021-10-07\n- 2021-10-08"),
}


@pytest.mark.parametrize("large", [False, True], ids=["small-office", "large-office"])
@pytest.mark.parametrize("edit", sorted(EDITS))
def test_an_edit_to_a_record_rows_read_remakes_what_shows_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: str, large: bool
) -> None:
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path / "check-cache"))
    if large:  # a unit's figures link to lists of the latest month only: its other months are made with its page
        monkeypatch.setattr(site_lists, "SMALL_OFFICE_ISSUES", 1)
    monkeypatch.setattr(ledger_files, "_ROWS_PART", 2)  # ledger.csv and ledger.xlsx in many runs, most kept
    records, out = make_office(tmp_path), tmp_path / "output"
    if edit == "calendar":  # deadlines counted in working days: the calendar's holidays move them
        config = records / "config.yaml"
        config.write_text(config.read_text("utf-8").replace("day_kind: calendar", "day_kind: working"), "utf-8")
    assert run(records, out).ok
    name, old, new = EDITS[edit]
    path = records / name
    text = path.read_text("utf-8")
    assert text.count(old) == 1, text
    path.write_text(text.replace(old, new), "utf-8")
    before = tree(out)
    assert run(records, out).ok
    after = tree(out)
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path / "cold-check-cache"))
    assert run(records, tmp_path / "cold").ok
    assert after == tree(tmp_path / "cold")
    assert after != before
    parts = {p.name for p in (tmp_path / ".output.cache" / PARTS).iterdir()}
    assert parts == {p.name for p in (tmp_path / ".cold.cache" / PARTS).iterdir()}  # none left of the last build
