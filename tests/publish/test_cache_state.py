"""The build state written in parts (``cache.save_state``) and what the build keeps of the last one."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from reportgen.codeversion import code_version
from reportgen.publish import cache
from reportgen.publish.cache import Changes, FileState


def _states(count: int) -> dict[str, FileState]:
    """``count`` files in no order, with a name that is not ASCII and files without dates."""
    states = {}
    for i in reversed(range(count)):
        earliest = None if i % 3 == 0 else f"2021-09-{1 + i % 28:02d}"
        shown = f"2021-08-{1 + i % 28:02d}" if i % 2 else None
        states[f"records/issues/Q{i:05d}-问题.yaml"] = FileState(
            f"{i} 1.5 2.5 {i}", f"{i:064x}", earliest, earliest, shown
        )
    return states


@pytest.mark.parametrize("count", [0, 1, 4, 9])
def test_the_state_is_a_column_per_value_and_loads_as_it_was_saved(tmp_path: Path, count: int) -> None:
    out, files = tmp_path / "output", _states(count)
    if count:  # a dangling link: no SHA-256
        files["records/issues/Q00000-问题.yaml"] = FileState("-1 0 0 0", "", None, None)
    head = cache.save_state(out, files, "options", dt.date(2021, 10, 5))
    dates = [None, *sorted({d for st in files.values() for d in st[2:] if d is not None})]
    whole = {
        "version": cache.STATE_VERSION,
        "options": "options",
        "code": code_version(),
        "day": "2021-10-05",
        "horizon": "2021-12-31" if count > 1 else None,
        "dates": dates,
        "keys": "\0".join(files),
        "stamps": "\0".join(st.stamp for st in files.values()),
        "sha256": "\0".join(st.sha256 for st in files.values()),
        "earliest": [dates.index(st.earliest) for st in files.values()],
        "latest": [dates.index(st.latest) for st in files.values()],
        "shown": [dates.index(st.shown) for st in files.values()],
    }
    assert json.loads(cache.state_file(out).read_text("utf-8")) == whole
    assert head == {k: v for k, v in whole.items() if k in cache.STATE_HEAD}
    loaded = cache.load_state(out)
    assert {k: v for k, v in loaded.items() if k != "files"} == head
    assert isinstance(loaded["files"], cache.SavedFiles)
    assert list(loaded["files"].states().items()) == list(files.items())  # the same states, in the same order
    some = set(list(files)[::2])
    assert loaded["files"].only(some) == {k: list(st) for k, st in files.items() if k in some}


@pytest.mark.parametrize(
    "damage",
    [
        {"keys": 1},
        {"stamps": "a"},
        {"sha256": None},
        {"dates": ["2021-09-01"]},
        {"dates": [None, "2021-13-01"]},
        {"dates": [None, ["2021-09-01"]]},
        {"earliest": [0, 5]},
        {"earliest": [0, -1]},
        {"latest": [0]},
        {"latest": [0, True]},
        {"latest": [0, 1.0]},
        {"shown": None},
        {"version": 4},
        {"horizon": "soon"},
    ],
)
def test_a_state_of_another_shape_is_no_state(tmp_path: Path, damage: dict[str, object]) -> None:
    out, files = tmp_path / "output", _states(2)
    cache.save_state(out, files, "options", dt.date(2021, 10, 5))
    saved = json.loads(cache.state_file(out).read_text("utf-8"))
    assert cache.load_state(out) != {}
    cache.state_file(out).write_text(json.dumps({**saved, **damage}), "utf-8")
    assert cache.load_state(out) == {}


def test_the_build_keeps_of_the_last_state_only_the_files_that_changed(tmp_path: Path) -> None:
    out = tmp_path / "output"
    cache.save_state(out, {"records/a.yaml": FileState("1", "a", None), "records/b.yaml": FileState("2", "b", "")}, "o")
    state = cache.load_state(out)
    changes = Changes({}, changed={"records/b.yaml", "records/new.yaml"})
    cache.forget_unchanged(state, changes)
    assert state["files"] == {"records/b.yaml": ["2", "b", "", None, None]}
    empty: dict[str, object] = {}
    cache.forget_unchanged(empty, changes)  # no last state
    assert empty == {"files": {}}


def test_unchanged_files_share_one_text_per_date_read_from_the_state(tmp_path: Path) -> None:
    folder = tmp_path / "records"
    (folder / "issues").mkdir(parents=True)
    for name in ("Q1", "Q2", "Q3"):
        (folder / "issues" / f"{name}.yaml").write_text(name, "utf-8")
    inputs = cache.list_inputs(folder, None, "options")
    stamps = {f"records/{rel}": stamp for rel, stamp in inputs.listings[0].stamps().items()}
    files = {key: FileState(stamp, "sha", "2021-09-01", "2021-09-30") for key, stamp in stamps.items()}
    cache.save_state(tmp_path / "out", files, "options")
    (folder / "issues" / "Q3.yaml").unlink()
    (folder / "issues" / "Q4.yaml").write_text("Q4", "utf-8")
    again = cache.list_inputs(folder, None, "options")
    changes = cache.detect_changes(again, cache.load_state(tmp_path / "out"))
    assert changes.changed == {"records/issues/Q3.yaml", "records/issues/Q4.yaml"}
    first, second, new = (changes.files[f"records/issues/{name}.yaml"] for name in ("Q1", "Q2", "Q4"))
    assert (first.earliest, first.latest) == ("2021-09-01", "2021-09-30")
    assert first.earliest is second.earliest and first.latest is second.latest
    assert list(changes.files)[-1] == "records/issues/Q4.yaml" and new.earliest is None
    assert set(changes.files) == {f"records/issues/{name}.yaml" for name in ("Q1", "Q2", "Q4")}
