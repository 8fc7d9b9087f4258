"""The last check's discovery and gathering kept (``validate/kept.py``): used only when they still hold.

Each test checks the warm check against a check without any cache (records, every problem
with its position and words), and whether discovery and gathering ran again.
"""

from __future__ import annotations

import os
import pickle
import shutil
import time
from array import array
from pathlib import Path

import pytest

from reportgen import filewalk, validate
from reportgen.load import UNSURE, folder_facts, relisted
from reportgen.validate import Validated, check_repository, filecache, kept
from tests.validate.test_incremental_check import synth_office


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return synth_office(tmp_path, monkeypatch)


def _whole(validated: Validated) -> tuple[object, ...]:
    problems = [(p, dict(p.params), p.record) for p in validated.report.problems]
    report = validated.report
    return problems, report.files_checked, report.records_checked, validated.records.by_kind, validated.records.config


def _counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How often discovery and gathering run from here on."""
    calls = {"discover": 0, "gather": 0}
    for name in calls:
        original = getattr(validate, name)

        def counted(*args: object, _name: str = name, _original: object = original) -> object:
            calls[_name] += 1
            return _original(*args)  # type: ignore[operator]

        monkeypatch.setattr(validate, name, counted)
    monkeypatch.setattr(kept, "gather", validate.gather)
    return calls


def _issue(office: Path) -> Path:
    return sorted((office / "issues").rglob("*.yaml"))[7]


def _retitled(path: Path, words: str = "核实后：") -> None:
    text = path.read_text(encoding="utf-8")
    assert "\ntitle: " in text
    path.write_text(text.replace("\ntitle: ", f"\ntitle: {words}", 1), encoding="utf-8")


def test_a_title_edit_neither_discovers_nor_gathers_and_equals_a_cold_check(
    office: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    check_repository(office, jobs=1)
    calls = _counted(monkeypatch)
    for words in ("核实后：", "再次核实："):  # the second against the kept gathering tied to the first's results
        _retitled(_issue(office), words)
        warm = check_repository(office, jobs=1)
        assert _whole(warm) == _whole(check_repository(office, jobs=1, use_cache=False))
    assert calls == {"discover": 2, "gather": 2}  # the two cold checks only
    assert warm.records.issues[_issue(office).stem]["title"].startswith("再次核实：")
    found = kept.load(office, filecache.load_cache(office).written_ns)  # tied to the last results, as it was
    assert found is not None and found.folders and found.displays == [r.source.display for r in _results(office)]


def _results(office: Path) -> list[validate.FileResult]:
    sources, _ = validate.discover(office)
    cache = filecache.load_cache(office)
    return [r for r in cache.split(sources, filecache.stat_keys(office, sources, None))[0] if r is not None]


def test_a_new_file_a_stray_and_a_look_alike_folder_are_found(office: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    check_repository(office, jobs=1)
    calls = _counted(monkeypatch)
    issue = _issue(office)
    copy = issue.with_name("Q9999.yaml")
    copy.write_text(issue.read_text(encoding="utf-8").replace(issue.stem, "Q9999"), encoding="utf-8")
    (issue.parent / "notes.txt").write_text("草稿", encoding="utf-8")
    (office / "enterprises" / "E9999.yaml").mkdir()
    warm = check_repository(office, jobs=1)
    cold = check_repository(office, jobs=1, use_cache=False)
    assert _whole(warm) == _whole(cold)
    assert {"W604", "W620"} <= {p.code for p in warm.report.problems}
    assert "Q9999" in warm.records.issues
    assert calls == {"discover": 2, "gather": 2}


def test_an_edit_that_brings_a_problem_gathers_again(office: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    check_repository(office, jobs=1)
    calls = _counted(monkeypatch)
    issue = _issue(office)
    text = issue.read_text(encoding="utf-8")
    issue.write_text(text.replace(f"id: {issue.stem}", "id: Q0001x"), encoding="utf-8")
    warm = check_repository(office, jobs=1)
    assert _whole(warm) == _whole(check_repository(office, jobs=1, use_cache=False))
    assert warm.report.errors
    assert calls == {"discover": 1, "gather": 2}  # the files are the same: discovery is kept
    issue.write_text(text, encoding="utf-8")  # and back: the problem goes, gathered again
    warm = check_repository(office, jobs=1)
    assert _whole(warm) == _whole(check_repository(office, jobs=1, use_cache=False))
    assert not warm.report.errors


def _saved(issue: Path, words: str = "改：") -> None:
    """An editor's save (``sed -i``, ``git checkout``): a new file renamed over the old one."""
    saved = issue.with_name(".saving")
    saved.write_text(issue.read_text(encoding="utf-8").replace("\ntitle: ", f"\ntitle: {words}", 1), encoding="utf-8")
    os.replace(saved, issue)


def _relisted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The folders read again from here on (``load.relisted``)."""
    read: list[str] = []

    def counted(root: Path, folder: str) -> object:
        read.append(folder)
        return relisted(root, folder)

    monkeypatch.setattr(kept, "relisted", counted)
    return read


def test_a_file_renamed_in_place_of_another_reads_its_folder_again(
    office: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    check_repository(office, jobs=1)
    calls, read = _counted(monkeypatch), _relisted(monkeypatch)
    issue = _issue(office)
    for words in ("改：", "再改："):  # the second against the folder's facts kept by the first
        _saved(issue, words)
        warm = check_repository(office, jobs=1)
        assert _whole(warm) == _whole(check_repository(office, jobs=1, use_cache=False))
    assert calls == {"discover": 2, "gather": 2}  # the cold checks only: the same files, the gathering kept
    assert read == [str(issue.parent)] * 2  # that folder alone, once each
    assert warm.records.issues[issue.stem]["title"].startswith("再改：改：")
    found = kept.load(office, filecache.load_cache(office).written_ns)
    assert found is not None and found.folders is not None
    assert dict(found.folders)[str(issue.parent)] == folder_facts(os.stat(issue.parent))
    check_repository(office, jobs=1)
    assert read == [str(issue.parent)] * 2  # its facts kept: not read again


def test_a_folder_changed_just_before_it_is_read_again_is_read_again_next_time(
    office: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    check_repository(office, jobs=1)
    monkeypatch.setattr(filewalk, "RACY_NS", 10**18)  # every change is recent
    calls, read = _counted(monkeypatch), _relisted(monkeypatch)
    issue = _issue(office)
    _saved(issue)
    check_repository(office, jobs=1)
    found = kept.load(office, filecache.load_cache(office).written_ns)
    assert found is not None and found.folders is not None
    assert dict(found.folders)[str(issue.parent)] == UNSURE
    warm = check_repository(office, jobs=1)
    assert _whole(warm) == _whole(check_repository(office, jobs=1, use_cache=False))
    assert read == [str(issue.parent)] * 2
    assert calls == {"discover": 1, "gather": 1}


def test_after_a_cold_check_of_a_fresh_copy_only_the_folders_written_last_are_read_again(
    office: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    issue = _issue(office)
    time.sleep(0.2)
    (issue.parent / ".touched").write_text("", encoding="utf-8")  # the last folder a copy wrote
    (issue.parent / ".touched").unlink()
    others = max(os.stat(folder).st_ctime_ns for folder, _, _ in os.walk(office) if folder != str(issue.parent))
    boundary = (others + os.stat(issue.parent).st_ctime_ns) // 2
    monkeypatch.setattr(filewalk, "RACY_NS", time.time_ns() - boundary)  # racy: that folder alone
    check_repository(office, jobs=1)
    found = kept.load(office, filecache.load_cache(office).written_ns)
    assert found is not None and found.folders is not None
    assert [folder for folder, facts in found.folders if facts == UNSURE] == [str(issue.parent)]
    monkeypatch.setattr(filewalk, "RACY_NS", 0)  # later
    calls, read = _counted(monkeypatch), _relisted(monkeypatch)
    _retitled(issue)
    warm = check_repository(office, jobs=1)
    assert _whole(warm) == _whole(check_repository(office, jobs=1, use_cache=False))
    assert read == [str(issue.parent)]
    assert calls == {"discover": 1, "gather": 1}  # the check without a cache only


def test_a_folder_of_month_folders_changed_is_read_again_without_discovering_the_rest(
    office: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``issues/`` holds no file of its own, only month folders: read again, it holds what was kept."""
    issues = office / "issues"
    assert not any(p.is_file() for p in issues.iterdir())
    check_repository(office, jobs=1)
    calls, read = _counted(monkeypatch), _relisted(monkeypatch)
    (issues / ".touched").mkdir()  # a folder git or a copy made and removed
    (issues / ".touched").rmdir()
    _retitled(_issue(office))
    warm = check_repository(office, jobs=1)
    assert _whole(warm) == _whole(check_repository(office, jobs=1, use_cache=False))
    assert read == [str(issues)]
    assert calls == {"discover": 1, "gather": 1}  # the check without a cache only


def test_a_stray_removed_from_a_folder_of_month_folders_is_discovered_whole(
    office: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stray = office / "issues" / "说明.txt"
    stray.write_text("问题清单按月存放\n", encoding="utf-8")
    check_repository(office, jobs=1)
    calls = _counted(monkeypatch)
    stray.unlink()
    warm = check_repository(office, jobs=1)
    assert _whole(warm) == _whole(check_repository(office, jobs=1, use_cache=False))
    assert calls == {"discover": 2, "gather": 2}


@pytest.mark.parametrize("change", ["a note added", "a record folder removed", "the config removed"])
def test_the_root_read_again_keeps_discovery_unless_a_record_folder_or_the_config_changed(
    office: Path, change: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    check_repository(office, jobs=1)
    calls, read = _counted(monkeypatch), _relisted(monkeypatch)
    if change == "a note added":
        (office / "说明.txt").write_text("本目录为台账记录\n", encoding="utf-8")  # not a record: never looked at
    elif change == "a record folder removed":
        shutil.rmtree(office / "legal")
    else:
        (office / "config.yaml").unlink()
    _retitled(_issue(office))
    warm = check_repository(office, jobs=1)
    assert _whole(warm) == _whole(check_repository(office, jobs=1, use_cache=False))
    assert read == []  # the root is not a record folder: it is looked at, not listed
    assert calls["discover"] == (1 if change == "a note added" else 2)


@pytest.mark.parametrize("change", ["a file deleted", "a file added", "a stray removed", "a folder added", "a link"])
def test_a_folder_whose_files_changed_is_discovered_whole(
    office: Path, change: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    issue = _issue(office)
    stray = issue.parent / "notes.txt"
    if change == "a stray removed":
        stray.write_text("草稿", encoding="utf-8")
    check_repository(office, jobs=1)
    calls = _counted(monkeypatch)
    if change == "a file deleted":
        issue.unlink()
    elif change == "a file added":
        issue.with_name("Q9999.yaml").write_text(
            issue.read_text(encoding="utf-8").replace(issue.stem, "Q9999"), encoding="utf-8"
        )
    elif change == "a stray removed":
        stray.unlink()
    elif change == "a folder added":
        (issue.parent / "more").mkdir()
    else:
        (issue.parent / "Q9998.yaml").symlink_to(issue.name)
    warm = check_repository(office, jobs=1)
    assert _whole(warm) == _whole(check_repository(office, jobs=1, use_cache=False))
    assert calls["discover"] == 2


def test_a_link_in_the_records_is_never_trusted_to_stay(office: Path) -> None:
    issue = _issue(office)
    (issue.parent / "Q9998.yaml").symlink_to(issue.name)
    check_repository(office, jobs=1)
    found = kept.load(office, filecache.load_cache(office).written_ns)
    assert found is not None and found.folders is None


@pytest.mark.parametrize("damage", ["garbage", "another shape", "positions elsewhere"])
def test_a_damaged_or_edited_kept_file_is_ignored(office: Path, damage: str, monkeypatch: pytest.MonkeyPatch) -> None:
    check_repository(office, jobs=1)
    path = filecache._folder_for(office) / filecache.KEPT
    with open(path, "rb") as handle:
        header = pickle.load(handle)
        payload = pickle.load(handle)
    if damage == "garbage":
        path.write_bytes(path.read_bytes()[:-40] + b"\0" * 40)
    elif damage == "another shape":
        path.write_bytes(pickle.dumps(header) + pickle.dumps({"order": []}))
    else:
        order = {kind: array("I", [p + 10_000 for p in positions]) for kind, positions in payload.order.items()}
        moved = kept.Kept(**{**payload.__dict__, "order": order})
        path.write_bytes(pickle.dumps(header) + pickle.dumps(moved))
    calls = _counted(monkeypatch)
    _retitled(_issue(office))
    warm = check_repository(office, jobs=1)
    assert _whole(warm) == _whole(check_repository(office, jobs=1, use_cache=False))
    assert calls["gather"] == 2
