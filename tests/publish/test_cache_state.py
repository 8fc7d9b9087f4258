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
        states[f"records/issues/Q{i:05d}-问题.yaml"] = FileState(f"{i} 1.5 2.5 {i}", f"{i:064x}", earliest, earliest)
    return states


@pytest.mark.parametrize("count", [0, 1, 4, 5, 9])
def test_the_state_is_the_json_of_the_whole_state_written_a_few_files_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int
) -> None:
    monkeypatch.setattr(cache, "STATE_PART", 4)
    out, files = tmp_path / "output", _states(count)
    head = cache.save_state(out, files, "options", dt.date(2021, 10, 5))
    whole = {
        "version": cache.STATE_VERSION,
        "options": "options",
        "code": code_version(),
        "day": "2021-10-05",
        "horizon": "2021-12-31" if count > 1 else None,
        "files": {k: [v.stamp, v.sha256, v.earliest, v.latest] for k, v in sorted(files.items())},
    }
    assert cache.state_file(out).read_text("utf-8") == json.dumps(whole, ensure_ascii=False)
    assert head == {k: v for k, v in whole.items() if k != "files"}
    assert cache.load_state(out) == whole


def test_the_build_keeps_of_the_last_state_only_the_files_that_changed() -> None:
    state = {"version": 4, "files": {"records/a.yaml": ["1", "a", None, None], "records/b.yaml": ["2", "b", "", None]}}
    changes = Changes({}, changed={"records/b.yaml", "records/new.yaml"})
    cache.forget_unchanged(state, changes)
    assert state == {"version": 4, "files": {"records/b.yaml": ["2", "b", "", None]}}


def test_unchanged_files_share_one_text_per_date_read_from_the_state(tmp_path: Path) -> None:
    folder = tmp_path / "records"
    (folder / "issues").mkdir(parents=True)
    for name in ("Q1", "Q2"):
        (folder / "issues" / f"{name}.yaml").write_text(name, "utf-8")
    inputs = cache.list_inputs(folder, None, "options")
    stamps = {f"records/{rel}": stamp for rel, stamp in inputs.listings[0].stamps().items()}
    saved = {key: [stamp, "sha", "2021-09-01", "2021-09-30"] for key, stamp in stamps.items()}
    state = json.loads(json.dumps({"files": saved}))  # as loaded: a text per value
    current = cache.detect_changes(inputs, state).files
    first, second = (current[key] for key in sorted(stamps))
    assert (first.earliest, first.latest) == ("2021-09-01", "2021-09-30")
    assert first.earliest is second.earliest and first.latest is second.latest
