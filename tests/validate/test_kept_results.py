"""A kept discovery's files and their cached results made one by one (``validate/keptresults.py``).

They must be what the plain lists are, file for file; a warm check after a title edit
must never make them whole, and still equal a check without any cache.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen import validate
from reportgen.load import SourceFile, discover
from reportgen.validate import check_repository, filecache, kept
from reportgen.validate.keptresults import KIND_NAMES, KeptResults, KeptSources
from reportgen.validate.record import FileResult
from tests.validate.test_incremental_check import synth_office
from tests.validate.test_kept import _issue, _retitled, _whole


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return synth_office(tmp_path, monkeypatch)


def _kept_sources(office: Path) -> tuple[list[SourceFile], KeptSources]:
    """(discovery's files, the same as ``KeptSources`` made from their layout)."""
    sources, _ = discover(office)
    displays, kinds, wheres = kept.layout(sources)
    return sources, KeptSources(displays, kinds, wheres)


def test_kept_sources_are_discoverys_files_one_by_one_and_whole(office: Path) -> None:
    sources, lazy = _kept_sources(office)
    assert len(lazy) == len(sources) > 20
    assert [lazy[i] for i in range(len(lazy))] == sources
    assert lazy[-1] == sources[-1] and lazy[3:9] == sources[3:9]
    assert list(lazy) == sources and lazy[3:9] == sources[3:9]  # made whole once: the same files
    with pytest.raises(IndexError):
        lazy[len(sources)]


def test_a_run_of_kept_sources_reads_each_file_where_discovery_did() -> None:
    displays = [f"records/issues/Q{i}.yaml" for i in range(6)]
    lazy = KeptSources(displays, bytes([KIND_NAMES.index("issue")] * 6), {2: "/elsewhere/Q2.yaml"})
    one_by_one = [lazy[i] for i in range(6)]
    assert [s.where for s in one_by_one] == [*displays[:2], "/elsewhere/Q2.yaml", *displays[3:]]
    assert lazy[1:4] == one_by_one[1:4] and lazy[3:] == one_by_one[3:] and lazy[::2] == one_by_one[::2]
    assert lazy[1:4][1].where == "/elsewhere/Q2.yaml" and lazy[4:1] == []
    assert list(lazy) == one_by_one and lazy[1:4] == one_by_one[1:4]  # made whole once: the same files


def test_a_kept_file_is_found_by_its_name_wherever_discovery_put_it(office: Path) -> None:
    sources, lazy = _kept_sources(office)
    assert sources[0].display.endswith("config.yaml")  # first, out of the names' order
    assert [lazy.position(s.display) for s in sources] == list(range(len(sources)))
    assert lazy.position(f"{office}/issues/none.yaml") is None
    shuffled = KeptSources([s.display for s in reversed(sources)], bytes(len(sources)), {})  # no order at all
    assert [shuffled.position(s.display) for s in sources] == list(reversed(range(len(sources))))


def test_kept_results_are_the_cached_ones_but_for_those_parsed_again(office: Path) -> None:
    check_repository(office, jobs=1)
    sources, lazy = _kept_sources(office)
    cache = filecache.load_cache(office)
    assert cache.files == lazy.displays
    results = KeptResults(lazy, cache.records, cache.problems)
    plain = [FileResult(s, cache.records[i], cache.problems[i]) for i, s in enumerate(sources)]
    assert list(results) == plain and [results[i] for i in range(len(plain))] == plain
    fresh = FileResult(sources[5], None, [])
    results[5] = fresh
    assert results[5] is fresh and list(results) == [*plain[:5], fresh, *plain[6:]]
    assert results.records() == [*cache.records[:5], None, *cache.records[6:]]
    assert cache.records[5] is not None  # the cache's own column is left as it was
    by_display = results.by_display()
    assert by_display[sources[5].display] is fresh and by_display[sources[2].display] == plain[2]
    assert sources[2].display in by_display and "elsewhere.yaml" not in by_display
    assert list(by_display) == lazy.displays and len(by_display) == len(sources)
    with pytest.raises(KeyError):
        by_display["elsewhere.yaml"]


def test_a_title_edit_never_makes_every_file_and_equals_a_cold_check(
    office: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    check_repository(office, jobs=1)
    gathered: list[validate.Gathered] = []
    regather = kept.regather

    def spied(*args: object) -> object:
        found = regather(*args)
        gathered.append(found)
        return found

    for words in ("核实后：", "再次核实："):  # the second against the kept gathering tied to the first's results
        _retitled(_issue(office), words)
        with monkeypatch.context() as patched:  # the warm check alone
            patched.setattr(kept, "regather", spied)
            patched.setattr(KeptSources, "listed", lambda self: pytest.fail("every file made"))
            patched.setattr(KeptResults, "__iter__", lambda self: pytest.fail("every result made"))
            warm = check_repository(office, jobs=1)
        assert _whole(warm) == _whole(check_repository(office, jobs=1, use_cache=False))
    assert len(gathered) == 2 and all(isinstance(g.results, KeptResults) for g in gathered)
