"""Each site file keyed by what it shows (``render/site/pagekeys.py``): kept when that is unchanged, made when not.

A generated office with small pages (the ledger by month, units in pages, stats by period) is
rendered with keys, one issue's title is changed, and it is rendered again keeping every file
whose key is the same: the files kept and the files made together must be exactly a cold
rendering of the changed records, and only the pages showing the issue are made.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from reportgen.compute.stats import StatsEngine
from reportgen.model import Records
from reportgen.render.environment import template_environment
from reportgen.render.ledger_files import LedgerLine
from reportgen.render.site import Paging, render_site, write_site
from reportgen.render.site import builder as site_builder
from reportgen.render.site.listpages import ListPages
from reportgen.render.site.lists import ListKey
from reportgen.render.site.pagekeys import condensed, digest
from reportgen.render.site.rows import LedgerRows
from reportgen.validate import check_repository
from tests.modules import bench_synth
from tests.site.helpers import sample_bulletins, site_env

SMALL_PAGES = Paging(ledger_rows=40, unit_rows=15)


class Keys:
    """A build's map of keys: the last one's, what this one kept and made; the input files' digests."""

    def __init__(
        self,
        previous: dict[str, str],
        root: Path | None = None,
        aliases: dict[str, str] | None = None,
        memos: dict[str, bytes] | None = None,
        files: dict[str, bytes] | None = None,
    ) -> None:
        self.previous = previous
        self.files = files or {}  # the last build's output (``PageStore.previous_file``)
        self.memos = {} if memos is None else memos  # the build cache's memos (``PageStore.read_memo``), shared
        self.previous_aliases = aliases or {}  # the last build's aliases (``PageStore.reuse_alias``)
        self.keys: dict[str, str] = {}
        self.aliases: dict[str, str] = {}
        self.kept: list[str] = []
        self.by_alias: list[str] = []  # the files kept by their alias
        self.root = root  # the records folder (None: no digest known, tables keyed by their rows)

    def reuse(self, path: str, key: str) -> bool:
        if self.previous.get(path) != key:
            return False
        self.keys[path] = key
        self.kept.append(path)
        return True

    def reuse_alias(self, path: str, alias: str) -> bool:
        if self.previous_aliases.get(path) != alias or not self.reuse(path, self.previous[path]):
            return False
        self.aliases[path] = alias
        self.by_alias.append(path)
        return True

    def previous_file(self, path: str, key: str) -> bytes | None:
        return self.files.get(path) if self.previous.get(path) == key else None

    def alias(self, path: str, alias: str) -> None:
        assert path in self.keys  # kept or made just now
        self.aliases[path] = alias

    def made(self, path: str, key: str) -> None:
        self.keys[path] = key

    def part(self, key: str, make: Callable[[], bytes]) -> bytes:
        return make()  # nothing kept: the parts of files are the page store's (tests/render/test_ledger_xlsx_parts.py)

    def kept_part(self, key: str) -> bytes | None:
        return None  # as ``part``: nothing kept

    def source(self, key: str) -> str | None:
        path = self.root / key.removeprefix("records/") if self.root else None
        return hashlib.sha256(path.read_bytes()).hexdigest() if path and path.is_file() else None

    def digests(self, prefix: str | tuple[str, ...]) -> dict[str, str]:
        root = self.root
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root is not None else []
        named = {f"records/{p.relative_to(root).as_posix()}": p for p in files if root is not None}
        return {key: hashlib.sha256(p.read_bytes()).hexdigest() for key, p in named.items() if key.startswith(prefix)}

    def read_memo(self, name: str) -> bytes | None:
        return self.memos.get(name)

    def write_memo(self, name: str, content: bytes) -> None:
        self.memos[name] = content

    def memo_tie(self) -> str | None:
        """The inputs' digests as this build sees them, kept with the memos under the tie returned."""
        if self.root is None:
            return None
        tie = f"inputs@{sum(name.startswith('inputs@') for name in self.memos)}"
        self.memos[tie] = json.dumps(self.digests("records/")).encode()
        return tie

    def changed_since(self, tie: str) -> frozenset[str] | None:
        """The files whose digests differ from those kept under ``tie`` (added and removed ones too)."""
        kept = self.memos.get(tie)
        if kept is None or self.root is None:
            return None
        before, now = json.loads(kept), self.digests("records/")
        return frozenset(key for key in before.keys() | now.keys() if before.get(key) != now.get(key))


def _records(root: Path) -> Records:
    validated = check_repository(root)
    assert validated.report.valid
    assert validated.records is not None
    return validated.records


def _render(records: Records, keys: Keys) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    env, bulletins = site_env(), sample_bulletins(records)
    write_site(records, StatsEngine(records), bulletins, env, "public", files.__setitem__, SMALL_PAGES, keys)
    return files


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A generated office of 160 issues over four months (stats split by period)."""
    monkeypatch.setattr(site_builder, "STATS_BYTES_MAX", 20_000)
    monkeypatch.setattr(site_builder, "STATS_LIST_ROWS", 25)
    synth = bench_synth()
    root = tmp_path / "records"
    scale = synth.Scale(
        enterprises=30,
        issues=160,
        visits=40,
        staff=24,
        departments=6,
        teams=4,
        legal=12,
        rectifications=10,
        seed=5,
        start=dt.date(2021, 8, 1),
        months=4,
    )
    synth.generate(root, scale)
    return root


def _retitle(root: Path) -> str:
    """A new title for the middle issue (one of its month's later pages); its id."""
    path = sorted((root / "issues").rglob("*.yaml"))[80]
    path.write_text(re.sub(r"(?m)^title: ", "title: 核实后：", path.read_text("utf-8"), count=1), "utf-8")
    return path.stem


@pytest.mark.parametrize("digests", [True, False], ids=["tables-by-their-files", "tables-by-their-rows"])
def test_a_changed_issue_remakes_only_the_files_that_show_it(office: Path, digests: bool) -> None:
    first = Keys({}, office if digests else None)
    before = _render(_records(office), first)
    assert sorted(first.keys) == sorted(before)  # every file is keyed
    assert first.kept == []
    issue = _retitle(office)
    records = _records(office)
    second = Keys(first.keys, office if digests else None, first.aliases, first.memos, before)
    made = _render(records, second)
    cold = render_site(records, StatsEngine(records), sample_bulletins(records), site_env(), "public", SMALL_PAGES)
    assert sorted(second.kept + list(made)) == sorted(cold)
    assert {path: before[path] for path in second.kept} | made == cold
    showing = {path for path, content in cold.items() if f">{issue}<".encode() in content}
    assert showing <= set(made)
    assert len(made) < len(cold) // 4
    assert "metrics.html" in second.kept and "static/site.css" in second.kept
    assert "ledger/ids.js" in second.kept  # its anchors keyed by the months' counts and the ledger's files
    lists = [path for path in first.keys if path.startswith("lists/")]
    if digests:  # most issue lists kept by the issues they are picked from, without being picked
        assert set(second.by_alias) <= set(lists) and len(second.by_alias) > len(lists) // 2
        assert not showing & set(second.by_alias)
    else:  # no digest, no alias
        assert first.aliases == {} and second.by_alias == []


def test_the_same_records_keep_every_file(office: Path) -> None:
    first = Keys({}, office)
    _render(_records(office), first)
    again = Keys(first.keys, office, memos=first.memos)
    assert _render(_records(office), again) == {}
    assert sorted(again.kept) == sorted(first.keys)


def test_another_template_remakes_every_page(office: Path, tmp_path: Path) -> None:
    records = _records(office)
    first = Keys({})
    before = _render(records, first)
    own = tmp_path / "templates" / "site"
    own.mkdir(parents=True)
    (own / "archive.html").write_text('{% extends "site/base.html" %}{% block main %}档案{% endblock %}\n', "utf-8")
    files: dict[str, bytes] = {}
    again = Keys(first.keys)
    env = template_environment(tmp_path / "templates")
    write_site(records, StatsEngine(records), [], env, "public", files.__setitem__, SMALL_PAGES, again)
    assert again.kept == []
    assert sorted(files) == sorted(before)


def test_a_key_is_of_the_values_not_the_objects() -> None:
    day = dt.date(2021, 9, 30)
    shared = "已办结"
    one = digest([(shared, day), (shared, day)])
    two = digest([("已办" + "结", dt.date(2021, 9, 30)), ("".join(["已", "办结"]), dt.date(2021, 9, 30))])
    assert one == two and one is not None and len(one) == 32
    assert digest([("已办结", day)]) != digest([("已办结", dt.date(2021, 10, 1))])
    assert digest(lambda: 1) is None  # cannot be pickled: the file is made every time
    assert condensed(lambda: 1) != condensed(lambda: 2)  # never None standing for any value
    assert condensed("a") == digest("a")


def test_rows_are_made_only_for_the_tables_made_again(office: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = Keys({}, office)
    _render(_records(office), first)
    _retitle(office)
    tables: list[str] = []
    bodies: list[int] = []
    table, body = ListPages.table, LedgerRows.body

    def counted_table(self: ListPages, key: ListKey, items: list[object]) -> object:
        tables.append(key.path)
        return table(self, key, items)

    def counted_body(self: LedgerRows, lines: Sequence[LedgerLine], root: str) -> str:
        bodies.append(len(lines))
        return body(self, lines, root)

    monkeypatch.setattr(ListPages, "table", counted_table)
    monkeypatch.setattr(LedgerRows, "body", counted_body)
    second = Keys(first.keys, office, first.aliases, first.memos)
    made = _render(_records(office), second)
    lists = sorted(path for path in made if path.startswith("lists/"))
    assert lists and sorted(tables) == lists  # the lists kept made no row
    assert len(bodies) == len([p for p in made if p.startswith(("ledger/", "departments/D", "teams/T"))])
    assert len(lists) < len([p for p in first.keys if p.startswith("lists/")]) // 4


def test_a_changed_title_remakes_one_page_of_the_ledger_and_its_downloads(office: Path) -> None:
    first = Keys({}, office)
    before = _render(_records(office), first)
    months = [path for path in before if path.startswith("ledger/") and path.endswith(".html")]
    assert len(months) > 4  # every month, some in pages
    issue = _retitle(office)
    second = Keys(first.keys, office, first.aliases, first.memos)
    made = _render(_records(office), second)
    showing = [path for path in months if f'id="{issue}"'.encode() in before[path]]
    assert len(showing) == 1
    assert sorted(path for path in made if path.startswith("ledger")) == sorted([*showing, "ledger.csv", "ledger.xlsx"])
