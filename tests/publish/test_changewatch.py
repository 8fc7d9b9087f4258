"""The preview lists its inputs when the kernel reports a change in their folders (``publish.changewatch``)."""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reportgen.model import Records
from reportgen.publish import changewatch, pipeline, serve
from reportgen.publish.build import BuildOptions, build
from reportgen.publish.changewatch import FolderWatch
from reportgen.validate import Validated
from tests.compute.scenario import scenario_files, write_repository

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


@linux
def test_files_are_named_a_folder_s_change_asks_for_a_walk(records: Path) -> None:
    watch = _started(records)
    issue = records / "issues" / "2021-09" / "Q0001.yaml"
    try:
        assert watch.edits() == frozenset()
        with open(issue, "a", encoding="utf-8") as handle:  # as the web forms save: in place
            handle.write("# 改\n")
        os.utime(issue)
        assert watch.changed()
        assert watch.edits() == {str(issue)}
        assert watch.edits() == frozenset()  # told once
        (records / "issues" / "Q0002.yaml").write_text("title: 二\n", "utf-8")  # a new file
        issue.write_text("title: 三\n", "utf-8")
        assert watch.changed()
        assert watch.edits() == {str(records / "issues" / "Q0002.yaml"), str(issue)}
        saved = records / "issues" / "2021-09" / "Q0001.yaml.new"  # as most editors save: written beside, renamed in
        saved.write_text("title: 四\n", "utf-8")
        saved.replace(issue)
        assert watch.changed()
        assert watch.edits() == {str(saved), str(issue)}
        assert watch.edits() == frozenset()
        (records / "issues" / "2021-10").mkdir()  # a folder's change
        assert watch.changed()
        assert watch.edits() is None
    finally:
        watch.close()


def test_the_preview_patches_its_listing_for_edits_in_place_only(records: Path) -> None:
    options = BuildOptions(records, records.parent / "out")
    issue = records / "issues" / "2021-09" / "Q0001.yaml"
    before = serve.inputs_now(options)
    issue.write_text("title: 改\n", "utf-8")
    walked = serve.inputs_now(options)
    patched = before.patched({str(issue)})
    assert patched is not None and [listing.data for listing in patched.listings] == [
        listing.data for listing in walked.listings
    ]
    assert patched.fingerprint() == walked.fingerprint()
    assert before.patched({str(records.parent / "elsewhere.yaml")}) is None  # in no folder of the inputs
    (records / "issues" / "Q0002.yaml").write_text("title: 二\n", "utf-8")
    assert before.patched({str(records / "issues" / "Q0002.yaml")}) is None  # not listed: a walk places it


@pytest.mark.parametrize("how", ["saved over", "made again"])
def test_the_preview_patches_its_listing_for_files_saved_over(records: Path, how: str) -> None:
    """Written beside and renamed in (most editors), or removed and made again (git checkout): the walk's listing."""
    options = BuildOptions(records, records.parent / "out")
    issue = records / "issues" / "2021-09" / "Q0001.yaml"
    before = serve.inputs_now(options)
    beside = issue.with_name("Q0001.yaml.tmp")
    if how == "saved over":
        beside.write_text("title: 改\n", "utf-8")
        beside.replace(issue)
    else:
        issue.unlink()
        issue.write_text("title: 改\n", "utf-8")
    walked = serve.inputs_now(options)
    patched = before.patched({str(beside), str(issue)})  # the file that came and went is passed over
    assert patched is not None and [listing.data for listing in patched.listings] == [
        listing.data for listing in walked.listings
    ]
    assert patched.fingerprint() == walked.fingerprint()
    issue.rename(records / "issues" / "2021-09" / "Q0009.yaml")  # renamed: gone under its name, new under another
    assert before.patched({str(issue), str(records / "issues" / "2021-09" / "Q0009.yaml")}) is None


def test_without_inotify_there_is_no_watch(records: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(changewatch, "_libc", lambda: None)
    assert FolderWatch.start([str(records)]) is None


class _Same:
    """A listing whose fingerprint never changes; ``looked`` is called each time it is listed again or patched."""

    def __init__(self, looked: Callable[[], object]) -> None:
        self.looked = looked

    def fingerprint(self) -> str:
        return "same"

    def patched(self, edited: frozenset[str]) -> _Same:
        self.looked()
        return self


def _polls(records: Path, monkeypatch: pytest.MonkeyPatch, edit: bool) -> int:
    """How many times ``serve.watch`` listed the inputs in ~0.3 s of polls every 10 ms (``edit``: one edit in them)."""
    listed: list[int] = []
    same = _Same(lambda: listed.append(1))
    monkeypatch.setattr(serve, "inputs_now", lambda options: listed.append(1) or same)
    stop = threading.Event()
    options = BuildOptions(records, records.parent / "out")
    reported = serve.watch_inputs(options)
    watcher = threading.Thread(
        target=serve.watch, args=(options, serve.ServeState(), stop, same, reported), kwargs={"interval": 0.01}
    )
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
def test_the_preview_lists_its_inputs_only_after_an_edit(records: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _polls(records, monkeypatch, edit=False) == 0
    assert _polls(records, monkeypatch, edit=True) == 1


@linux
def test_the_preview_lists_its_inputs_as_soon_as_an_edit_is_reported(
    records: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listed = threading.Event()
    same = _Same(listed.set)
    monkeypatch.setattr(serve, "inputs_now", lambda options: listed.set() or same)
    stop = threading.Event()
    options = BuildOptions(records, records.parent / "out")
    args = (options, serve.ServeState(), stop, same, serve.watch_inputs(options))
    watcher = threading.Thread(target=serve.watch, args=args, kwargs={"interval": 3.0})
    watcher.start()
    try:
        (records / "issues" / "2021-09" / "Q0001.yaml").write_text("title: 改\n", "utf-8")
        assert listed.wait(1.0)  # not at the next poll, 3 s on
    finally:
        stop.set()
        watcher.join()


def test_without_a_watch_the_preview_lists_its_inputs_at_every_poll(
    records: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(changewatch, "_libc", lambda: None)
    assert _polls(records, monkeypatch, edit=False) > 5


def test_the_preview_rebuilds_an_edit_from_the_listing_that_found_it(tmp_path: Path) -> None:
    """``reportgen serve``, a title edited while it runs: rebuilt once, the page shows the new title."""
    records = write_repository(tmp_path / "records", scenario_files())
    out = tmp_path / "output"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "reportgen", "serve", str(records), "--out", str(out), "--port", str(port)]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2] / "src"), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout or ()], daemon=True).start()
    try:
        assert lines.get(timeout=120).startswith("正在预览：")  # the first build is done
        issue = records / "issues/2021-09/Q0003.yaml"
        issue.write_text(issue.read_text("utf-8").replace("title: 用地问题", "title: 用水问题"), "utf-8")
        assert re.fullmatch(r"\d\d:\d\d:\d\d 已重新构建（\d+\.\d 秒）\n", lines.get(timeout=120))
        assert "用水问题" in (out / "ledger.html").read_text("utf-8")
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
    assert process.returncode == 0


def test_what_a_preview_build_leaves_is_freed_before_the_next(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without ``freed`` each rebuild's records stayed in memory (cycles the young collections never reach)."""
    records = write_repository(tmp_path / "records", scenario_files())
    kept: list[weakref.ref[Records]] = []
    checked = pipeline.check_repository

    def check(*args: Any, **kwargs: Any) -> Validated:
        validated = checked(*args, **kwargs)
        kept.append(weakref.ref(validated.records))
        return validated

    monkeypatch.setattr(pipeline, "check_repository", check)
    assert build(BuildOptions(records, tmp_path / "out", pdf=False)).ok
    assert kept[0]() is not None  # held by the build's own cycles
    serve.freed()
    assert kept[0]() is None
