"""The preview lists its inputs when the kernel reports a change in their folders (``publish.changewatch``)."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest

from reportgen.publish import changewatch, serve
from reportgen.publish.build import BuildOptions
from reportgen.publish.changewatch import FolderWatch

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")


@pytest.fixture
def records(tmp_path: Path) -> Path:
    folder = tmp_path / "records"
    (folder / "issues" / "2021-09").mkdir(parents=True)
    (folder / "issues" / "2021-09" / "Q0001.yaml").write_text("title: 一\n", "utf-8")
    return folder


def _started(folder: Path) -> FolderWatch:
    watch = FolderWatch.start([str(folder), str(folder.parent / "templates")])  # templates/: not there
    assert watch is not None
    return watch


@linux
def test_an_edit_a_new_file_and_a_removal_are_reported_once_each(records: Path) -> None:
    watch = _started(records)
    try:
        assert not watch.changed()
        issue = records / "issues" / "2021-09" / "Q0001.yaml"
        with open(issue, "a", encoding="utf-8") as handle:  # in place, as some editors save: no folder changes
            handle.write("# 改\n")
        assert watch.changed()
        assert not watch.changed()
        (records / "issues" / "Q0002.yaml").write_text("title: 二\n", "utf-8")
        assert watch.changed()
        issue.unlink()
        assert watch.changed()
        assert not watch.changed()
    finally:
        watch.close()


@linux
def test_a_new_folder_is_watched_and_hidden_files_are_not_inputs(records: Path) -> None:
    watch = _started(records)
    try:
        (records / ".Q0001.yaml.swp").write_text("swap", "utf-8")  # an editor's: the listing skips it too
        (records / ".git").mkdir()
        assert not watch.changed()
        (records / "issues" / "2021-10").mkdir()
        assert watch.changed()
        (records / "issues" / "2021-10" / "Q0003.yaml").write_text("title: 三\n", "utf-8")
        assert watch.changed()
        (records / ".git" / "index").write_text("x", "utf-8")  # a hidden folder is not watched
        assert not watch.changed()
    finally:
        watch.close()


def test_without_inotify_there_is_no_watch(records: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(changewatch, "_libc", lambda: None)
    assert FolderWatch.start([str(records)]) is None


def _polls(records: Path, monkeypatch: pytest.MonkeyPatch, edit: bool) -> int:
    """How many times ``serve.watch`` listed the inputs in ~0.3 s of polls every 10 ms (``edit``: one edit in them)."""
    listed: list[int] = []
    monkeypatch.setattr(serve, "fingerprint", lambda options: listed.append(1) or "same")
    stop = threading.Event()
    options = BuildOptions(records, records.parent / "out")
    watcher = threading.Thread(target=serve.watch, args=(options, serve.ServeState(), stop), kwargs={"interval": 0.01})
    watcher.start()
    try:
        stop.wait(0.15)
        if edit:
            (records / "issues" / "2021-09" / "Q0001.yaml").write_text("title: 改\n", "utf-8")
        stop.wait(0.15)
    finally:
        stop.set()
        watcher.join()
    return len(listed)


@linux
def test_the_preview_lists_its_inputs_once_at_the_start_and_once_after_an_edit(
    records: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _polls(records, monkeypatch, edit=False) == 1
    assert _polls(records, monkeypatch, edit=True) == 2


def test_without_a_watch_the_preview_lists_its_inputs_at_every_poll(
    records: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(changewatch, "_libc", lambda: None)
    assert _polls(records, monkeypatch, edit=False) > 5
