"""A rebuild keeps site files whose key is unchanged (``publish/pagestore.py``): the same file, not a stale one."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from reportgen.publish import pagestore
from reportgen.publish.atomic import OutputError, StagingWriter, file_stamp
from reportgen.publish.pagestore import FIGURES_FILE, MAP_FILE, PARTS
from reportgen.render import ledger_files
from reportgen.render.site.lists import ListIndex, Unit, Window
from tests.publish.test_build import make_office, run, tree

ISSUE = "issues/2021-09/Q0004.yaml"


@pytest.fixture(autouse=True)
def _own_check_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path / "check-cache"))


def _retitle(records: Path, prefix: str) -> None:
    path = records / ISSUE
    path.write_text(path.read_text("utf-8").replace("\ntitle: ", f"\ntitle: {prefix}", 1), "utf-8")


def _inodes(out: Path) -> dict[str, int]:
    return {p.relative_to(out).as_posix(): os.stat(p).st_ino for p in out.rglob("*") if p.is_file()}


def _cold(records: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> dict[str, str]:
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path / f"{name}-check-cache"))
    assert run(records, tmp_path / name).ok
    return tree(tmp_path / name)


def test_pages_not_showing_the_changed_issue_are_the_same_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records, out = make_office(tmp_path), tmp_path / "output"
    assert run(records, out).ok
    before = _inodes(out)
    _retitle(records, "核实后：")
    assert run(records, out).ok
    after = _inodes(out)
    kept = {path for path, inode in after.items() if before.get(path) == inode}
    assert {"metrics.html", "archive.html", "static/site.css", "departments/index.html"} <= kept
    assert "ledger.html" not in kept and "ledger.csv" not in kept and "manifest.json" not in kept
    assert tree(out) == _cold(records, tmp_path, monkeypatch, "cold")


def test_a_file_edited_in_the_output_is_made_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    records, out = make_office(tmp_path), tmp_path / "output"
    assert run(records, out).ok
    (out / "archive.html").write_text("改过的页面", "utf-8")  # same inode, another size and time
    _retitle(records, "核实后：")
    assert run(records, out).ok
    assert tree(out) == _cold(records, tmp_path, monkeypatch, "cold")


@pytest.mark.parametrize("saved", ["not json", '{"format": 1, "files": {"archive.html": ["k", 1, null]}}'])
def test_a_damaged_map_makes_every_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, saved: str) -> None:
    records, out = make_office(tmp_path), tmp_path / "output"
    assert run(records, out).ok
    before = _inodes(out)
    (tmp_path / ".output.cache" / MAP_FILE).write_text(saved, "utf-8")
    _retitle(records, "核实后：")
    assert run(records, out).ok
    assert all(before.get(path) != inode for path, inode in _inodes(out).items())
    assert tree(out) == _cold(records, tmp_path, monkeypatch, "cold")
    saved_map = json.loads((tmp_path / ".output.cache" / MAP_FILE).read_text("utf-8"))
    assert "archive.html" in saved_map["files"]


def test_a_failed_build_keeps_the_map_of_the_output_it_left(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    records, out = make_office(tmp_path), tmp_path / "output"
    assert run(records, out).ok
    saved = (tmp_path / ".output.cache" / MAP_FILE).read_bytes()
    _retitle(records, "核实后：")
    template = records.parent / "templates/site/metrics.html"
    template.parent.mkdir(parents=True)
    template.write_text('{% extends "site/base.html" %}\n{% block main %}{{ nothing.there }}{% endblock %}\n', "utf-8")
    assert not run(records, out).ok  # the template fails half-way through the site
    assert (tmp_path / ".output.cache" / MAP_FILE).read_bytes() == saved
    template.unlink()
    assert run(records, out).ok
    assert tree(out) == _cold(records, tmp_path, monkeypatch, "cold")


def test_the_writer_links_a_kept_file_and_stamps_it(tmp_path: Path) -> None:
    old = tmp_path / "old.html"
    old.write_bytes(b"<p>1</p>")
    writer = StagingWriter(tmp_path / "staging")
    staged = writer.reuse("a/b.html", old)
    assert staged == f"{tmp_path}/staging/a/b.html" and Path(staged).read_bytes() == b"<p>1</p>"
    assert os.stat(staged).st_ino == os.stat(old).st_ino  # the very file, not a copy
    assert writer.stamps["a/b.html"] == file_stamp(os.stat(old))
    writer.write("c.html", b"<p>2</p>")
    assert writer.stamps["c.html"] == file_stamp(os.stat(tmp_path / "staging/c.html"))
    assert writer.written == ["a/b.html", "c.html"]
    with pytest.raises(FileExistsError):
        writer.reuse("c.html", old)
    with pytest.raises(OutputError, match="拒绝写入输出目录之外的路径"):
        writer.reuse("../d.html", old)


def test_a_damaged_part_is_made_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ledger_files, "_ROWS_PART", 2)
    records, out = make_office(tmp_path), tmp_path / "output"
    assert run(records, out).ok
    parts = sorted((tmp_path / ".output.cache" / PARTS).iterdir())
    assert len(parts) > 4
    for part in parts:  # same size, other bytes
        data = bytearray(part.read_bytes())
        data[-1] ^= 0xFF
        part.write_bytes(bytes(data))
    _retitle(records, "核实后：")
    assert run(records, out).ok
    assert tree(out) == _cold(records, tmp_path, monkeypatch, "cold")


def test_a_list_kept_by_its_alias_is_the_file_the_last_build_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records, out = make_office(tmp_path), tmp_path / "output"
    assert run(records, out).ok
    files = json.loads((tmp_path / ".output.cache" / MAP_FILE).read_text("utf-8"))["files"]
    aliased = sorted(path for path, entry in files.items() if len(entry) == 5)
    assert aliased and all(path.startswith(("lists/", "departments/", "teams/", "index.html")) for path in aliased)
    for edited in (aliased[0], next(path for path in aliased if path.startswith("lists/"))):  # a unit page, a list
        (out / edited).write_text("改过的页面", "utf-8")  # its alias unchanged, the file not the one made
    _retitle(records, "核实后：")
    assert run(records, out).ok
    assert tree(out) == _cold(records, tmp_path, monkeypatch, "cold")
    again = json.loads((tmp_path / ".output.cache" / MAP_FILE).read_text("utf-8"))["files"]
    assert [path for path, entry in again.items() if len(entry) == 5] == [p for p in files if p in aliased]


def _figures_worked_out(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The metrics whose figures a build works out from its cohorts (not the last build's answers), as they are."""
    worked: list[str] = []
    original = ListIndex._figure

    def counted(self: ListIndex, unit: Unit | None, window: Window, metric: str) -> object:
        worked.append(metric)
        return original(self, unit, window, metric)

    monkeypatch.setattr(ListIndex, "_figure", counted)
    return worked


def _edit(records: Path, name: str, old: str, new: str) -> None:
    path = records / name
    path.write_text(path.read_text("utf-8").replace(old, new, 1), "utf-8")


def test_a_title_edit_works_out_no_figure_and_equals_a_cold_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records, out = make_office(tmp_path), tmp_path / "output"
    first = _figures_worked_out(monkeypatch)
    assert run(records, out).ok  # it freezes the issued bulletin's figures (``records/frozen/``): a new input
    _retitle(records, "核实后：")
    assert run(records, out).ok
    assert first and (tmp_path / ".output.cache" / FIGURES_FILE).is_file()
    again = _figures_worked_out(monkeypatch)
    _retitle(records, "再次")
    assert run(records, out).ok
    assert again == []
    monkeypatch.undo()
    assert tree(out) == _cold(records, tmp_path, monkeypatch, "cold")


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        (ISSUE, "status: 长期推进", "status: 已解决"),  # the issue's view (a category no figure reads)
        ("visits/2021-09/V0003.yaml", "summary: ", "summary: 补记："),  # another record the figures read
    ],
)
def test_an_edit_the_figures_see_works_them_out_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, old: str, new: str
) -> None:
    records, out = make_office(tmp_path), tmp_path / "output"
    assert run(records, out).ok
    _retitle(records, "核实后：")
    assert run(records, out).ok
    assert old in (records / name).read_text("utf-8")
    worked = _figures_worked_out(monkeypatch)
    _edit(records, name, old, new)
    assert run(records, out).ok
    assert "issues_identified" in worked
    monkeypatch.undo()
    assert tree(out) == _cold(records, tmp_path, monkeypatch, "cold")


def test_damaged_figures_are_worked_out_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    records, out = make_office(tmp_path), tmp_path / "output"
    assert run(records, out).ok
    _retitle(records, "核实后：")
    assert run(records, out).ok
    kept = tmp_path / ".output.cache" / FIGURES_FILE
    kept.write_bytes(kept.read_bytes()[:-1] + b"\0")
    worked = _figures_worked_out(monkeypatch)
    _retitle(records, "再次")
    assert run(records, out).ok
    assert "issues_identified" in worked
    monkeypatch.undo()
    assert tree(out) == _cold(records, tmp_path, monkeypatch, "cold")


def test_a_kept_file_opens_only_as_it_was_sealed() -> None:
    content = bytes(range(256)) * 40
    sealed = pagestore._sealed(content)
    assert len(sealed) == len(content) + 16 and pagestore._opened(sealed) == content
    assert pagestore._opened(pagestore._sealed(b"")) == b""
    for at in (0, 5, 9, 15, 16, len(sealed) - 1):  # the tag, the check, the length, the content
        damaged = bytearray(sealed)
        damaged[at] ^= 0x01
        assert pagestore._opened(bytes(damaged)) is None
    assert pagestore._opened(sealed[:-1]) is None  # cut short
    assert pagestore._opened(sealed + b"\0") is None  # longer than sealed
    assert pagestore._opened(sealed[:15]) is None and pagestore._opened(b"") is None


def test_the_last_builds_file_is_read_only_as_it_made_it(tmp_path: Path) -> None:
    out, cache = tmp_path / "output", tmp_path / "cache"
    out.mkdir()
    cache.mkdir()
    (out / "a.html").write_bytes(b"<p>1</p>")
    files = {"a.html": ["k", file_stamp(os.stat(out / "a.html")), None]}
    (cache / MAP_FILE).write_text(json.dumps({"format": 1, "files": files}), "utf-8")
    store = pagestore.PageStore(cache, out, StagingWriter(tmp_path / "staging"), None)
    assert store.previous_file("a.html", "k") == b"<p>1</p>"
    assert store.previous_file("a.html", "other") is None  # made from another key
    assert store.previous_file("b.html", "k") is None  # not in the map
    (out / "a.html").write_bytes(b"<p>22</p>")  # edited since: another stamp
    assert store.previous_file("a.html", "k") is None


def test_a_link_is_stamped_as_the_file_checked(tmp_path: Path) -> None:
    old = tmp_path / "old.html"
    old.write_bytes(b"<p>1</p>")
    writer = StagingWriter(tmp_path / "staging")
    writer.reuse("a/b.html", old, "checked")  # the stamp the caller read, not read again
    assert writer.stamps["a/b.html"] == "checked"
    assert file_stamp(os.stat(tmp_path / "staging/a/b.html")) == file_stamp(os.stat(old))  # a link: the very stamp
