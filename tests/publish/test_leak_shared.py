"""The build searches its files with the check's search (``privacy.search_for``), and only as much as a change needs.

After a change the check keeps the search up to date (``validate/incremental.py``) instead of
making it again from every record's texts; the build takes it as it is.  That is right only if
it is, after every edit, the search made from all the records' texts: compared here after
random edits.  A rebuild after one change looks the files up in the leak memo and searches the
few it lacks in its own process, without starting the workers.
"""

from __future__ import annotations

import gc
import random
import weakref
from pathlib import Path
from typing import Any

import pytest

from reportgen import privacy
from reportgen.privacy import PrivateSearch, record_texts, search_for
from reportgen.publish import leakscan
from reportgen.publish.build import BuildResult
from reportgen.validate import check_repository
from tests.publish.test_build import run, tree
from tests.publish.test_incremental_leaks import _leaky_office, _retitle
from tests.validate.test_incremental_check import EDITS, synth_office


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return synth_office(tmp_path, monkeypatch)


def _terms(search: PrivateSearch) -> tuple[object, ...]:
    return search.phones, search.names, search.name_pattern


@pytest.mark.parametrize("seed", [4, 5])
def test_the_check_s_search_after_random_edits_is_the_one_made_from_every_record(office: Path, seed: int) -> None:
    rng = random.Random(seed)
    edits, weights = zip(*EDITS, strict=True)
    first = check_repository(office, jobs=1)
    assert search_for(first.records).phones and search_for(first.records).names
    for step in range(10):
        done = [rng.choices(edits, weights)[0](rng, office) for _ in range(rng.choice([1, 1, 2]))]
        records = check_repository(office, jobs=1).records
        shared = search_for(records)
        assert search_for(records) is shared  # the check's, not made again
        texts = record_texts(records)
        assert _terms(shared) == _terms(PrivateSearch(texts.private, texts.public)), f"step {step}: {done}"


def test_a_record_set_the_check_did_not_make_gets_a_search_of_its_own(office: Path) -> None:
    checked = check_repository(office, jobs=1).records
    again = check_repository(office, jobs=1, use_cache=False).records
    assert search_for(checked) is not search_for(checked)  # the last check's search is for ``again``
    assert _terms(search_for(checked)) == _terms(search_for(again))


def _problems(result: BuildResult) -> list[dict[str, Any]]:
    return [problem.as_dict("en") for problem in result.report.problems]


def _counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How often, from now on, the records' texts are walked for a search and a worker is started."""
    counts = {"texts": 0, "workers": 0}
    walk, start = privacy.record_texts, leakscan._Worker.__init__

    def walked(*args: Any) -> Any:
        counts["texts"] += 1
        return walk(*args)

    def started(self: Any, *args: Any) -> None:
        counts["workers"] += 1
        start(self, *args)

    monkeypatch.setattr(privacy, "record_texts", walked)
    monkeypatch.setattr(leakscan._Worker, "__init__", started)
    return counts


@pytest.mark.parametrize("in_process", [leakscan.IN_PROCESS_BYTES, 0])
def test_a_rebuild_after_one_change_searches_what_changed_with_the_check_s_search(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_process: int
) -> None:
    records, out = _leaky_office(tmp_path), tmp_path / "output"
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path / "check-cache"))
    monkeypatch.setattr(leakscan, "WORKER_FROM", 0)  # searched as a province's office is
    monkeypatch.setattr(leakscan, "IN_PROCESS_BYTES", in_process)
    counts = _counted(monkeypatch)
    assert run(records, out).ok
    assert counts == {"texts": 0, "workers": leakscan.WORKERS}  # a cold build: the workers search every file
    _retitle(records)
    again = run(records, out)
    # the few files written otherwise are searched here; past the limit (0) by one worker
    assert counts == {"texts": 0, "workers": leakscan.WORKERS + (0 if in_process else 1)}
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path / "cold-check-cache"))
    cold = run(records, tmp_path / "cold-output")
    assert again.ok and cold.ok
    assert [p["code"] for p in _problems(again)] == ["W603", "W802"]
    assert _problems(again) == _problems(cold)
    assert tree(out) == tree(tmp_path / "cold-output")


def test_the_search_left_for_the_build_is_let_go_with_its_records(office: Path) -> None:
    records = check_repository(office, jobs=1).records
    shared = weakref.ref(search_for(records))
    del records
    gc.collect()
    assert shared() is None  # the check's rules' state, pickled, kept no other reference
