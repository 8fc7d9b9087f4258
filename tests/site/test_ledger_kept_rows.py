"""The ledger's row keys kept from the last build (``render/site/keptrows.py``), made again only where files changed.

A generated office is keyed once (its memo kept), a file is changed, and the keys are worked
out again with the memo: they must equal the keys worked out with none, and only the rows
reading the changed file may be made.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.compute.stats import StatsEngine
from reportgen.model import Records
from reportgen.render.ledger_files import line_issues
from reportgen.render.site import Paging
from reportgen.render.site.builder import SiteBuilder
from reportgen.render.site.inputs import RowInputs, Token
from reportgen.render.site.keptrows import MEMO
from tests.site.helpers import site_env
from tests.site.test_pagekeys import SMALL_PAGES, Keys, _records, _retitle
from tests.site.test_pagekeys import office as office  # the generated office of 160 issues


def _numbers(records: Records, keys: Keys, paging: Paging = SMALL_PAGES) -> list[int] | None:
    """The ledger's row keys as numbers, worked out with ``keys`` (its memo read and written)."""
    engine = StatsEngine(records)
    builder = SiteBuilder(records, engine, [], site_env(), "public", lambda path, content: None, paging, keys)
    return builder.issue_numbers


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the issues whose row key is made (not taken from the memo), in order."""
    ids: list[str] = []
    make = RowInputs._issue

    def counted(self: RowInputs, issue_id: str) -> Token:
        ids.append(issue_id)
        return make(self, issue_id)

    monkeypatch.setattr(RowInputs, "_issue", counted)
    return ids


def test_a_changed_title_makes_one_key(office: Path, made: list[str]) -> None:
    first = Keys({}, office)
    before = _numbers(_records(office), first)
    assert before is not None and len(made) == len(before) == 160 and MEMO in first.memos
    issue = _retitle(office)
    records = _records(office)
    made.clear()
    kept = _numbers(records, Keys({}, office, memos=first.memos))
    assert made == [issue]
    fresh = _numbers(records, Keys({}, office))
    assert kept == fresh and kept is not None
    moved = [at for at, (old, new) in enumerate(zip(before, kept, strict=True)) if old != new]
    assert moved == [_place(records, issue)]


def _place(records: Records, issue_id: str) -> int:
    """The issue's place in the ledger: the engine's order of the issues raised."""
    return [t.id for t in StatsEngine(records).timelines].index(issue_id)


@pytest.mark.parametrize("kind", ["enterprises", "departments"])
def test_a_changed_file_read_by_many_rows_makes_their_keys(office: Path, made: list[str], kind: str) -> None:
    first = Keys({}, office)
    _numbers(_records(office), first)
    path = sorted((office / kind).rglob("*.yaml"))[1]
    path.write_text(path.read_text("utf-8") + "# 核实\n", "utf-8")  # its bytes change, not its record
    records = _records(office)
    field = "enterprise" if kind == "enterprises" else "lead_department"
    reading = sorted(i.id for i in records.issues.values() if i.data[field] == path.stem)
    made.clear()
    kept = _numbers(records, Keys({}, office, memos=first.memos))
    assert reading and sorted(made) == reading
    assert kept == _numbers(records, Keys({}, office))


def test_rows_placed_otherwise_make_every_key(office: Path, made: list[str]) -> None:
    first = Keys({}, office)
    _numbers(_records(office), first)
    made.clear()
    other = Paging(ledger_rows=30, unit_rows=15)  # every row's link may move
    kept = _numbers(_records(office), Keys({}, office, memos=first.memos), other)
    assert len(made) == 160
    assert kept == _numbers(_records(office), Keys({}, office), other)


@pytest.mark.parametrize("memo", [b"", b"\x80\x05damaged", b"\x80\x05N."], ids=["empty", "damaged", "not-a-memo"])
def test_a_memo_not_kept_whole_makes_every_key(office: Path, made: list[str], memo: bytes) -> None:
    first = Keys({}, office)
    before = _numbers(_records(office), first)
    made.clear()
    assert _numbers(_records(office), Keys({}, office, memos={MEMO: memo})) == before
    assert len(made) == 160


def test_a_new_file_no_row_reads_makes_no_key(office: Path, made: list[str]) -> None:
    first = Keys({}, office)
    before = _numbers(_records(office), first)
    # a file beside the enterprises, no record's: the files are others, their digests looked up by name
    (office / "enterprises" / "说明.txt").write_text("企业名录说明\n", "utf-8")
    made.clear()
    assert _numbers(_records(office), Keys({}, office, memos=first.memos)) == before
    assert made == []


def test_list_rows_take_the_keys_of_the_ledger(office: Path, made: list[str]) -> None:
    first = Keys({}, office)
    _numbers(_records(office), first)
    issue = _retitle(office)
    records = _records(office)
    keys = Keys({}, office, memos=first.memos)
    builder = SiteBuilder(records, StatsEngine(records), [], site_env(), "public", lambda p, c: None, SMALL_PAGES, keys)
    assert builder.issue_numbers is not None and builder.inputs is not None
    ids = [t.id for t in line_issues(builder.ledger.lines)]
    made.clear()
    tokens = {issue_id: builder.inputs.issue(issue_id) for issue_id in ids}
    assert made == [] and issue in tokens  # each from the ledger's keys, the changed one made with them
    fresh = RowInputs(records, keys.source, builder.ledger_href)
    assert tokens == {issue_id: fresh.issue(issue_id) for issue_id in ids}


def test_a_memo_not_tied_to_the_state_read_makes_every_key(office: Path, made: list[str]) -> None:
    """The memo of a build whose state is not the one read (it failed after keeping it): nothing said of it."""
    first = Keys({}, office)
    before = _numbers(_records(office), first)
    made.clear()
    assert _numbers(_records(office), Keys({}, office, memos={MEMO: first.memos[MEMO]})) == before
    assert len(made) == 160


def test_a_file_named_after_an_issue_but_not_its_file_makes_no_key(office: Path, made: list[str]) -> None:
    first = Keys({}, office)
    before = _numbers(_records(office), first)
    issue = sorted((office / "issues").rglob("*.yaml"))[80]
    (office / "issues" / f"{issue.stem}.txt").write_text("核实记录\n", "utf-8")  # an issue's id, not its file
    made.clear()
    assert _numbers(_records(office), Keys({}, office, memos=first.memos)) == before
    assert made == []
