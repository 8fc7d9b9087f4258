"""The check's stat keys from the listing kept with the cache: only the lines that moved are looked at."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from reportgen.commands.check import check_report
from reportgen.filewalk import TreeListing, list_tree
from reportgen.load import discover
from reportgen.publish.build import BuildOptions, build
from reportgen.validate import check_repository, filecache
from tests.validate.test_cache import office as office  # the scenario's records, older than the racy window


def _edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` in the file, its times set back past the racy window."""
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    back = time.time() - 30
    os.utime(path, (back, back))


def _no_full_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*args: object) -> None:
        raise AssertionError("every source looked up in the listing")

    monkeypatch.setattr(filecache, "_keys_listed", full)


def _loaded(root: Path) -> filecache.CheckCache:
    cache = filecache.load_cache(root)
    cache.listed = filecache.load_listed(root, cache.written_ns)
    return cache


def test_a_check_keeps_the_listing_its_keys_are_the_lines_of(office: Path) -> None:
    listing = list_tree(os.fspath(office))
    check_repository(office, listing=listing)
    assert _loaded(office).listed == listing.data


def test_after_an_edit_only_the_moved_lines_give_keys(office: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    check_repository(office, listing=list_tree(os.fspath(office)))
    _edit(office / "issues/2021-09/Q0004.yaml", "title: ", "title: 核实后：")
    sources, _ = discover(office)
    listing = list_tree(os.fspath(office))
    expected = filecache.stat_keys(office, sources, listing)
    cache = _loaded(office)
    _no_full_lookup(monkeypatch)
    keys = filecache.source_keys(office, sources, listing, cache)
    edited = [s.display for s in sources].index(f"{office}/issues/2021-09/Q0004.yaml")
    assert keys == filecache.SourceKeys(expected, listing.data, [edited])
    assert [i for i, (a, b) in enumerate(zip(keys.keys, cache.keys, strict=True)) if a != b] == [edited]


def test_the_check_after_edits_is_a_cold_checks(office: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    check_repository(office, listing=list_tree(os.fspath(office)))
    _edit(office / "issues/2021-09/Q0004.yaml", "title: ", "title: 核实后：")
    check_repository(office, listing=list_tree(os.fspath(office)))
    _edit(office / "issues/2021-09/Q0003.yaml", "category: 用地", "category: 用电")  # an invalid value: E204
    _no_full_lookup(monkeypatch)
    warm = check_repository(office, listing=list_tree(os.fspath(office)))
    cold = check_repository(office, use_cache=False)
    assert [p.code for p in warm.report.errors] == ["E204"]
    assert warm.report.problems == cold.report.problems
    assert warm.records.issues["Q0004"].data["title"].startswith("核实后：")


def test_a_listing_kept_with_other_results_is_not_used(office: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    check_repository(office, listing=list_tree(os.fspath(office)))
    kept = _loaded(office).listed
    _edit(office / "issues/2021-09/Q0003.yaml", "category: 用地", "category: 用电")
    check_repository(office)  # results stamped anew, without a listing from the caller
    assert _loaded(office).listed == list_tree(os.fspath(office)).data != kept
    filecache.save_state(office, 1, None, 0, listed=kept)  # tied to results that are not the cache's
    assert _loaded(office).listed is None
    _edit(office / "issues/2021-09/Q0003.yaml", "category: 用电", "category: 用地")
    assert check_repository(office).report.problems == check_repository(office, use_cache=False).report.problems


def test_a_file_the_listing_lacks_keeps_no_listing(office: Path) -> None:
    check_repository(office, listing=list_tree(os.fspath(office)))
    listing = list_tree(os.fspath(office))
    lacking = TreeListing(
        b"".join(line + b"\0" for line in listing.data.split(b"\0") if b"Q0004" not in line), 0, False
    )
    sources, _ = discover(office)
    keys = filecache.source_keys(office, sources, lacking, _loaded(office))
    assert keys.listed is None  # its key came from a stat: a later listing would not show its change
    assert keys.keys == filecache.stat_keys(office, sources, listing)
    check_repository(office, listing=lacking)
    assert _loaded(office).listed == listing.data  # kept as it was: no result changed


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_check_between_two_builds_leaves_the_second_a_cold_builds(
    office: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert build(BuildOptions(office, out, pdf=False)).ok
    _edit(office / "issues/2021-09/Q0004.yaml", "title: ", "title: 核实后：")
    assert check_report(office).valid  # the check cache's results and listing now ahead of the build's state
    _edit(office / "issues/2021-09/Q0003.yaml", "title: ", "title: 再核：")
    _no_full_lookup(monkeypatch)
    assert build(BuildOptions(office, out, pdf=False)).ok
    monkeypatch.undo()
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path / "cold-cache"))
    assert build(BuildOptions(office, tmp_path / "cold", pdf=False)).ok
    assert _tree(out) == _tree(tmp_path / "cold")


def test_a_split_at_the_moved_keys_is_the_split_comparing_every_key(office: Path) -> None:
    check_repository(office, listing=list_tree(os.fspath(office)))
    _edit(office / "issues/2021-09/Q0004.yaml", "title: ", "title: 核实后：")
    sources, _ = discover(office)
    cache = _loaded(office)
    keys = filecache.source_keys(office, sources, list_tree(os.fspath(office)), cache)
    assert keys.moved is not None
    racy = f"{office}/issues/2021-09/Q0003.yaml"
    for cache.racy in (set(), {racy}):  # a racy file is parsed again, its key the same
        moved, every = cache.split(sources, keys.keys, keys.moved), cache.split(sources, keys.keys)
        assert moved == every
        assert [sources[i].display for i in moved.misses] == sorted(
            {f"{office}/issues/2021-09/Q0004.yaml", *cache.racy}, key=[s.display for s in sources].index
        )
    # a moved line whose key is the cached one (a file touched and set back): served from the cache
    unmoved = [i for i, s in enumerate(sources) if s.display == racy]
    assert cache.split(sources, keys.keys, [*keys.moved, *unmoved]) == every
