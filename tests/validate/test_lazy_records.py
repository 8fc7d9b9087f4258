"""Records read back from the check cache get their values when first read, and are then plain records."""

from __future__ import annotations

import dataclasses
import os
import pickle
import time
from pathlib import Path

import pytest

from reportgen.model import CacheDamaged, Record
from reportgen.validate import check_repository, filecache
from reportgen.validate.lazyrecords import LazyRecord
from tests.compute.scenario import scenario_files, write_repository


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(filecache, "ENTRIES_PER_PICKLE", 5)  # several parts
    root = write_repository(tmp_path / "records", scenario_files())
    old = time.time() - 60  # older than the racy window, so the cache is trusted
    for path in root.rglob("*.yaml"):
        os.utime(path, (old, old))
    return root


def _cached(office: Path) -> tuple[list[Record], list[Record]]:
    """(the records a cold check made, those read back from its cache), in the cache's order."""
    made = {
        r.file: r
        for by_id in check_repository(office, use_cache=False).records.by_kind.values()
        for r in by_id.values()
    }
    check_repository(office)
    back = [e[1] for e in filecache.load_cache(office).entries.values() if e[1] is not None]
    return [made[r.file] for r in back if r.file in made], [r for r in back if r.file in made]


def test_a_record_gets_its_values_when_first_read_with_its_part(office: Path) -> None:
    made, back = _cached(office)
    assert {type(r) for r in back} == {LazyRecord}
    part = back[7].__dict__["_part"]
    siblings = [r for r in back if r.__dict__["_part"] is part]
    others = [r for r in back if r.__dict__["_part"] is not part]
    assert 1 < len(siblings) <= 5 and others
    assert back[7].data == made[7].data
    assert {type(r) for r in siblings} == {Record} and {type(r) for r in others} == {LazyRecord}
    assert all(r.__dict__.keys() == {"kind", "id", "file", "data"} for r in siblings)


def test_a_lazy_record_is_equal_to_and_shown_as_the_record_made_afresh(office: Path) -> None:
    made, back = _cached(office)
    assert back[0] == made[0] and made[1] == back[1]  # either way round, before the values are read
    assert type(back[-1]) is LazyRecord  # in a part of its own
    assert repr(back[-1]) == repr(made[-1]) and type(back[-1]) is Record
    assert back[0] != made[1]


def test_a_lazy_record_pickles_and_copies_as_a_plain_record(office: Path) -> None:
    made, back = _cached(office)
    again = pickle.loads(pickle.dumps(back[0]))
    assert type(again) is Record and again == made[0]
    assert type(back[0]) is Record  # its values were put in place to pickle it
    changed = dataclasses.replace(back[6], id="X")
    assert type(changed) is Record and changed.data == made[6].data and changed.id == "X"


def test_values_cut_short_pass_the_cache_over_when_it_is_read(office: Path) -> None:
    first = check_repository(office)
    path = filecache._folder_for(office) / filecache.FILES
    path.write_bytes(path.read_bytes()[:-1])
    assert filecache.load_cache(office).entries == {}
    assert check_repository(office).report.problems == first.report.problems


def test_damaged_values_are_an_error_when_read_and_the_cache_is_removed(office: Path) -> None:
    check_repository(office)
    path = filecache._folder_for(office) / filecache.FILES
    data = path.read_bytes()
    name = "区自然资源局".encode()  # a department's name: in its part's values only
    assert data.count(name) == 1
    path.write_bytes(data.replace(name, "区自然资源所".encode()))
    back = [e[1] for e in filecache.load_cache(office).entries.values() if e[1] is not None]
    department = next(r for r in back if r.kind == "department")
    with pytest.raises(CacheDamaged) as raised:
        department.get("name")
    assert raised.value.path == str(path)
    assert not path.exists()
    assert filecache.load_cache(office).entries == {}


def test_a_parts_values_are_read_from_the_file_loaded_whatever_replaced_it(office: Path) -> None:
    made, back = _cached(office)
    path = filecache._folder_for(office) / filecache.FILES
    other = path.with_name("other")  # replaced as the cache replaces it: by a rename
    other.write_bytes(path.read_bytes().replace("区自然资源局".encode(), "区自然资源所".encode()))
    other.replace(path)
    assert type(back[0]) is LazyRecord and back[0].data == made[0].data  # the file as loaded, not as it is now
    assert [r.data for r in back] == [r.data for r in made]


def test_a_parts_values_are_read_with_the_garbage_collector_paused(
    office: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from reportgen.validate import lazyrecords

    _, back = _cached(office)
    enabled: list[bool] = []
    loads = pickle.loads
    monkeypatch.setattr(lazyrecords.pickle, "loads", lambda data: enabled.append(gc.isenabled()) or loads(data))
    assert gc.isenabled()
    assert back[0].data is not None  # its part read now
    assert enabled == [False] and gc.isenabled()
