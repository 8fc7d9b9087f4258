"""The ledger's row keys a build keeps (``render/site/keptrows.py``) are taken only by the build after it.

The keys are tied to the generation the build saves with its state (``cache.InputsSince``):
the next build knows which files changed since that state, and makes only the keys of the
rows reading them.  A build that failed after keeping its keys saved no state; the build after
it reads an older one, and makes every key.  Either way the output is a cold build's.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen import filewalk
from reportgen.publish import cache, pipeline
from reportgen.publish.build import BuildOptions, build
from reportgen.validate import filecache
from tests.publish.test_incremental_property import SMALL, _tree, synth
from tests.site.test_ledger_kept_rows import made as made  # the ids of the issues whose row key is made


@pytest.fixture
def records(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(filewalk, "RACY_NS", 0)
    monkeypatch.setattr(filecache, "RACY_NS", 0, raising=False)
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path / "cache"))
    synth.generate(tmp_path / "records", SMALL)
    return tmp_path / "records"


def _retitled(records: Path, at: int = 30) -> str:
    """Prefix the title of the issue file ``at`` in name order; its id."""
    issue = sorted((records / "issues").rglob("*.yaml"))[at]
    issue.write_text(issue.read_text("utf-8").replace("\ntitle: ", "\ntitle: 核实后：", 1), "utf-8")
    return issue.stem


def _same_as_cold(records: Path, out: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path / "cold-cache"))
    assert build(BuildOptions(records, tmp_path / "cold", pdf=False)).ok
    assert _tree(out) == _tree(tmp_path / "cold")


def test_a_title_edit_makes_the_key_of_its_row_alone(
    records: Path, made: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert build(BuildOptions(records, out, pdf=False)).ok
    assert len(made) == SMALL.issues
    issue = _retitled(records)
    made.clear()
    assert build(BuildOptions(records, out, pdf=False)).ok
    assert made == [issue]
    _same_as_cold(records, out, tmp_path, monkeypatch)


def test_after_a_build_that_failed_every_key_is_made(
    records: Path, made: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert build(BuildOptions(records, out, pdf=False)).ok
    issue = sorted((records / "issues").rglob("*.yaml"))[30]
    text = issue.read_text("utf-8")
    _retitled(records)

    def refused(staging: Path, into: Path) -> None:
        raise PermissionError(13, "权限不够", str(into))

    with monkeypatch.context() as patched:  # its keys kept (tied to a state never saved), its output and state not
        patched.setattr(pipeline, "swap_in", refused)
        assert not build(BuildOptions(records, out, pdf=False)).ok
    issue.write_text(text, "utf-8")  # as the state read says it is: the keys kept say otherwise
    _retitled(records, 40)  # a change since that state, so that the site is made again
    made.clear()
    assert build(BuildOptions(records, out, pdf=False)).ok
    assert len(made) == SMALL.issues
    _same_as_cold(records, out, tmp_path, monkeypatch)


def test_the_files_changed_are_known_since_the_state_read_alone() -> None:
    changes = cache.Changes({}, {"records/issues/Q0001.yaml"})
    since = cache.InputsSince.of({"generation": "a1"}, changes)
    assert since.changed_since("a1") == frozenset({"records/issues/Q0001.yaml"})
    assert since.changed_since("b2") is None  # a memo of a build whose state was not saved, or of a later one
    assert len(since.generation) == 16 and since.generation != cache.InputsSince.of({}, changes).generation
    assert cache.InputsSince.of({}, changes).changed_since("a1") is None  # no state, or one saved without
    everything = cache.Changes({}, set(), everything=True)  # the code or the options: any key may differ
    assert cache.InputsSince.of({"generation": "a1"}, everything).changed_since("a1") is None
