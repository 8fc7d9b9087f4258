"""The fast listing that decides "nothing changed" for a build or a check."""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from reportgen import filewalk, textspans
from reportgen.filewalk import list_tree


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "records"
    (root / "issues/2021-09").mkdir(parents=True)
    (root / "issues/2021-09/Q0001.yaml").write_text("id: Q0001\n", "utf-8")
    (root / "config.yaml").write_text("district: 川汇区\n", "utf-8")
    (root / "name with space %s.yaml").write_text("x: 1\n", "utf-8")
    (root / ".git").mkdir()
    (root / ".git/index").write_text("ignored", "utf-8")
    (root / "issues/.swp").write_text("ignored", "utf-8")
    return root


def test_find_and_python_walk_agree(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    found = list_tree(str(folder)).stamps()
    monkeypatch.setattr(filewalk.shutil, "which", lambda name: None)
    walked = list_tree(str(folder)).stamps()
    assert found == walked
    assert sorted(found) == ["config.yaml", "issues/2021-09/Q0001.yaml", "name with space %s.yaml"]
    stat = os.stat(folder / "config.yaml")
    assert found["config.yaml"] == filewalk.stamp_of(stat)


def test_an_edit_that_restores_size_and_mtime_changes_the_digest(folder: Path) -> None:
    path = folder / "issues/2021-09/Q0001.yaml"
    before = list_tree(str(folder)).digest()
    stat = path.stat()
    path.write_text("id: Q0002\n", "utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert list_tree(str(folder)).digest() != before


def test_a_link_carries_its_targets_facts(folder: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.yaml"
    target.write_text("a: 1\n", "utf-8")
    (folder / "linked.yaml").symlink_to(target)
    (folder / "dangling.yaml").symlink_to(tmp_path / "missing.yaml")
    stamps = list_tree(str(folder)).stamps()
    assert stamps["linked.yaml"] == filewalk.stamp_of(os.stat(target))
    assert stamps["dangling.yaml"] == "-1 0 0 0"
    before = list_tree(str(folder)).digest()
    target.write_text("a: 22\n", "utf-8")
    assert list_tree(str(folder)).digest() != before


def test_fresh_files_are_racy(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert list_tree(str(folder)).racy()
    monkeypatch.setattr(filewalk, "RACY_NS", 0)
    assert not list_tree(str(folder)).racy()


def test_a_missing_folder_lists_nothing(tmp_path: Path) -> None:
    listing = list_tree(str(tmp_path / "nowhere"))
    assert listing.stamps() == {} and not listing.racy()


def test_many_files_in_one_folder_and_many_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "records"
    (root / "enterprises").mkdir(parents=True)
    for i in range(700):  # a flat folder: one starting point, however many files
        (root / f"enterprises/E{i:04d}.yaml").write_text("x: 1\n", "utf-8")
    for month in range(600):  # more sub-folders than starting points allowed: the top level instead
        (root / f"issues/m{month:03d}").mkdir(parents=True)
        (root / f"issues/m{month:03d}/Q.yaml").write_text("x: 1\n", "utf-8")
    (root / "issues/README.md").write_text("a file beside the month folders\n", "utf-8")
    assert len(filewalk._starting_points(str(root)) or []) == 2
    found = list_tree(str(root)).stamps()
    monkeypatch.setattr(filewalk.shutil, "which", lambda name: None)
    assert found == list_tree(str(root)).stamps()
    assert len(found) == 700 + 600 + 1


def test_a_split_folder_keeps_its_own_files(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (folder / "issues/beside.yaml").write_text("x: 1\n", "utf-8")
    assert "./issues/beside.yaml" in (filewalk._starting_points(str(folder)) or [])
    found = list_tree(str(folder)).stamps()
    assert "issues/beside.yaml" in found and "issues/2021-09/Q0001.yaml" in found
    monkeypatch.setattr(filewalk.shutil, "which", lambda name: None)
    assert found == list_tree(str(folder)).stamps()


def test_the_python_walk_lists_a_link_loop_as_a_file(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (folder / "issues/loop_a.yaml").symlink_to(folder / "issues/loop_b.yaml")
    (folder / "issues/loop_b.yaml").symlink_to(folder / "issues/loop_a.yaml")
    monkeypatch.setattr(filewalk.shutil, "which", lambda name: None)
    stamps = list_tree(str(folder)).stamps()
    assert stamps["issues/loop_a.yaml"] == "-1 0 0 0"


def test_pipes_sockets_and_links_to_them_are_never_inputs(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a build hashes every listed file: a listed pipe would block it for ever
    os.mkfifo(folder / "issues/pipe")
    os.symlink("pipe", folder / "issues/link-to-pipe")
    os.symlink("2021-09/Q0001.yaml", folder / "issues/link.yaml")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(os.fspath(folder / "issues/sock"))
        expected = ["config.yaml", "issues/2021-09/Q0001.yaml", "issues/link.yaml", "name with space %s.yaml"]
        assert sorted(list_tree(str(folder)).stamps()) == expected
        monkeypatch.setattr(filewalk.shutil, "which", lambda name: None)
        assert sorted(list_tree(str(folder)).stamps()) == expected


def _walkers(monkeypatch: pytest.MonkeyPatch, walker: str) -> None:
    """Make ``list_tree`` walk with GNU find alone ("find": no Python walk to fall back on) or in Python ("python")."""
    if walker == "python":
        monkeypatch.setattr(filewalk.shutil, "which", lambda name: None)
    else:
        monkeypatch.setattr(filewalk, "_python_listing", None)


def _listed_at(monkeypatch: pytest.MonkeyPatch, folder: Path, taken_ns: int) -> filewalk.TreeListing:
    """The listing of ``folder`` as if walked at the clock ``taken_ns``."""
    monkeypatch.setattr(filewalk.time, "time_ns", lambda: taken_ns)
    return list_tree(str(folder))


@pytest.mark.parametrize("walker", ["find", "python"])
def test_a_file_is_racy_from_the_window_s_first_nanosecond(
    folder: Path, monkeypatch: pytest.MonkeyPatch, walker: str
) -> None:
    """Racy: the newest listed file's ctime is RACY_NS or less before the walk; hidden files never count."""
    _walkers(monkeypatch, walker)
    (folder / "issues/.swp").write_text("newer, but hidden", "utf-8")
    listed = [folder / "config.yaml", folder / "issues/2021-09/Q0001.yaml", folder / "name with space %s.yaml"]
    newest = max(os.stat(path).st_ctime_ns for path in listed)
    assert os.stat(folder / "issues/.swp").st_ctime_ns >= newest
    assert _listed_at(monkeypatch, folder, newest + filewalk.RACY_NS).racy()
    assert not _listed_at(monkeypatch, folder, newest + filewalk.RACY_NS + 1).racy()
    assert _listed_at(monkeypatch, folder, newest - 10**12).racy()  # changed after the walk (a clock set back)


@pytest.mark.parametrize("walker", ["find", "python"])
def test_a_link_is_racy_by_its_target_s_ctime(
    tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch, walker: str
) -> None:
    _walkers(monkeypatch, walker)
    target = tmp_path / "outside.yaml"
    target.write_text("x: 1\n", "utf-8")
    (folder / "issues/link.yaml").symlink_to(target)
    target.write_text("x: 2\n", "utf-8")  # its ctime after the link's and every listed file's
    changed = os.stat(target).st_ctime_ns
    assert changed > os.lstat(folder / "issues/link.yaml").st_ctime_ns
    assert _listed_at(monkeypatch, folder, changed + filewalk.RACY_NS).racy()
    assert not _listed_at(monkeypatch, folder, changed + filewalk.RACY_NS + 1).racy()


def test_a_folder_of_files_alone_is_one_starting_point_its_names_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "records"
    (root / "enterprises").mkdir(parents=True)
    (root / "issues/2021-09").mkdir(parents=True)
    for name in ("enterprises/E1.yaml", "issues/2021-09/Q1.yaml"):
        (root / name).write_text("x: 1\n", "utf-8")
    read: list[str] = []
    scandir = os.scandir
    monkeypatch.setattr(filewalk.os, "scandir", lambda path: read.append(os.fspath(path)) or scandir(path))
    assert filewalk._starting_points(str(root)) == ["./enterprises", "./issues/2021-09"]
    assert read == [str(root), str(root / "issues")]  # the link count of enterprises/ says it holds no folder


@pytest.mark.parametrize("name", ["plain.yaml", "a ./b.yaml", "x ./y ./z.yaml"])
def test_stamps_split_in_c_and_line_by_line_agree(name: str) -> None:
    """A path holding " ./" is parsed line by line; the stamps are the same either way, in the listing's order."""
    data = f"f 1 2.0 3.0 4 ./first.yaml\0l -1 0 0 0 ./sub/{name}\0f 5 6.0 7.0 8 ./last\0".encode()
    stamps = filewalk.TreeListing(data, 0, False).stamps()
    assert list(stamps.items()) == [
        ("first.yaml", "1 2.0 3.0 4"),
        (f"sub/{name}", "-1 0 0 0"),
        ("last", "5 6.0 7.0 8"),
    ]


@pytest.mark.parametrize("python_walk", [False, True])
def test_the_lines_moved_since_an_earlier_listing(
    folder: Path, monkeypatch: pytest.MonkeyPatch, python_walk: bool
) -> None:
    if python_walk:
        monkeypatch.setattr(filewalk.shutil, "which", lambda name: None)
    before = list_tree(str(folder))
    assert before.moved_since(before.data) == ({}, {})
    edited, gone = folder / "issues/2021-09/Q0001.yaml", folder / "config.yaml"
    edited.write_text("id: Q0001\ntitle: 改\n", "utf-8")
    gone.unlink()
    (folder / "issues/2021-09/Q0002.yaml").write_text("id: Q0002\n", "utf-8")  # as many lines as before
    now = list_tree(str(folder))
    was, found = now.moved_since(before.data)
    old, new = before.stamps(), now.stamps()
    assert was == {"issues/2021-09/Q0001.yaml": old["issues/2021-09/Q0001.yaml"], "config.yaml": old["config.yaml"]}
    assert found == {rel: new[rel] for rel in ("issues/2021-09/Q0001.yaml", "issues/2021-09/Q0002.yaml")}
    (folder / "issues/2021-09/Q0003.yaml").write_text("id: Q0003\n", "utf-8")  # one line more: compared as sets
    more = list_tree(str(folder))
    assert more.moved_since(now.data) == ({}, {"issues/2021-09/Q0003.yaml": more.stamps()["issues/2021-09/Q0003.yaml"]})
    assert now.moved_since(more.data) == ({"issues/2021-09/Q0003.yaml": more.stamps()["issues/2021-09/Q0003.yaml"]}, {})


def _listing(lines: list[str]) -> filewalk.TreeListing:
    return filewalk.TreeListing("".join(f"f {line}\0" for line in lines).encode(), 0, False)


@pytest.mark.parametrize("seed", range(40))
def test_the_lines_moved_are_those_of_a_whole_compare_whatever_the_blocks(
    monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    rng = random.Random(seed)
    monkeypatch.setattr(textspans, "BLOCK", rng.choice([1, 7, 16, 64]))
    before = [f"{i} 1.0 1.0 {i} ./issues/Q{i:03d}.yaml" for i in range(rng.randrange(0, 40))]
    after = list(before)
    for _ in range(rng.randrange(0, 4)):
        edit, at = rng.choice(["size", "new", "gone", "moved"]), rng.randrange(len(after) + 1)
        if edit == "new":
            after.insert(at, f"{seed} 2.0 2.0 9{at} ./issues/N{at:03d}-新.yaml")
        elif after and edit == "size":
            after[at - 1] = "1" + after[at - 1]
        elif after and edit == "gone":
            del after[at - 1]
        elif after:
            after.insert(rng.randrange(len(after)), after.pop(at - 1))  # listed elsewhere: not moved
    old, new = _listing(before).stamps(), _listing(after).stamps()
    was, now = _listing(after).moved_since(_listing(before).data)
    assert was == {rel: facts for rel, facts in old.items() if new.get(rel) != facts}
    assert list(now.items()) == [(rel, facts) for rel, facts in new.items() if old.get(rel) != facts]  # in order


def test_a_pending_listing_is_the_listing(folder: Path) -> None:
    with filewalk.PendingListing(str(folder)) as pending:
        found = pending.result()
    assert found.data == list_tree(str(folder)).data
    assert sorted(found.stamps()) == ["config.yaml", "issues/2021-09/Q0001.yaml", "name with space %s.yaml"]


def test_a_pending_listing_left_unasked_stops_its_finds(folder: Path) -> None:
    with filewalk.PendingListing(str(folder)) as pending:
        finds = pending._finds
        assert finds is not None and finds._procs
    assert all(proc.returncode is not None for proc in finds._procs)
    assert all(out.closed for out in finds._outputs)
    assert not any(os.path.exists(mark) for mark in finds._marks)


def test_a_listing_left_running_at_exit_stops_its_finds_before_their_folder_goes(tmp_path: Path) -> None:
    """``serve``'s watcher thread may be listing when Ctrl+C ends the process: no traceback, nothing left running."""
    records = tmp_path / "records"
    for month in range(40):
        (records / f"m{month:02d}").mkdir(parents=True)
        for n in range(500):
            (records / f"m{month:02d}" / f"Q{n:04d}.yaml").write_bytes(b"")
    script = f"""
import os, threading
from reportgen.filewalk import PendingListing
started = threading.Event()
def listing():
    pending = PendingListing({str(records)!r})  # never closed: the thread is cut off at exit
    finds = pending._finds
    print(os.path.dirname(finds._marks[0]), *(proc.pid for proc in finds._procs), flush=True)
    started.set()
    threading.Event().wait()
threading.Thread(target=listing, daemon=True).start()
started.wait()
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    marks, *pids = done.stdout.split()
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert not os.path.exists(marks)
    assert not [pid for pid in pids if _running(int(pid))]  # killed and reaped before the folder was removed


def _running(pid: int) -> bool:
    """Whether ``pid`` is a process not yet ended (a zombie has ended)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("find", [True, False])
def test_a_listing_patched_for_edits_in_place_is_the_walk_s(
    folder: Path, monkeypatch: pytest.MonkeyPatch, find: bool
) -> None:
    if not find:
        monkeypatch.setattr(filewalk.shutil, "which", lambda name: None)
    before = list_tree(str(folder))
    edited = ["issues/2021-09/Q0001.yaml", "name with space %s.yaml"]
    for rel in edited:
        with open(folder / rel, "a", encoding="utf-8") as handle:  # in place: its inode and place kept
            handle.write("# 改\n")
    patched = before.patched(str(folder), edited)
    assert patched is not None
    assert patched.data == list_tree(str(folder)).data
    assert patched.taken_ns == before.taken_ns and patched.racy()  # the walk's clock; the edits are fresh then
    assert before.patched(str(folder), []) == before


def test_a_listing_is_not_patched_for_a_file_it_does_not_hold_as_one(folder: Path) -> None:
    (folder / "x ./config.yaml").parent.mkdir()  # a folder named "x ." whose file's path ends as another's
    (folder / "x ./config.yaml").write_text("a: 1\n", "utf-8")
    before = list_tree(str(folder))
    (folder / "new.yaml").write_text("a: 1\n", "utf-8")
    assert before.patched(str(folder), ["new.yaml"]) is None  # added: not in the listing
    assert before.patched(str(folder), ["new.yaml.swp~"]) == before  # neither listed nor there: came and went
    assert before.patched(str(folder), ["issues"]) is None  # a folder
    assert before.patched(str(folder), ["config.yaml"]) is None  # its line's end is another's too
    with open(folder / "x ./config.yaml", "a", encoding="utf-8") as handle:
        handle.write("b: 2\n")
    whole = before.patched(str(folder), ["x ./config.yaml"])  # its own line is found whole
    assert whole is not None
    assert whole.stamps()["x ./config.yaml"] == filewalk.stamp_of(os.stat(folder / "x ./config.yaml"))
    (folder / "issues/2021-09/Q0001.yaml").unlink()
    assert before.patched(str(folder), ["issues/2021-09/Q0001.yaml"]) is None  # gone


def test_a_listing_with_a_link_is_not_patched(folder: Path) -> None:
    (folder / "linked.yaml").symlink_to(folder / "config.yaml")  # its line carries its target's facts
    before = list_tree(str(folder))
    with open(folder / "config.yaml", "a", encoding="utf-8") as handle:
        handle.write("# 改\n")
    assert before.patched(str(folder), ["config.yaml"]) is None  # the link's line changed too
    assert before.patched(str(folder), ["linked.yaml"]) is None
