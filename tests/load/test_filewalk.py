"""The fast listing that decides "nothing changed" for a build or a check."""

from __future__ import annotations

import os
import random
import socket
from pathlib import Path

import pytest

from reportgen import filewalk
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


@pytest.mark.parametrize(
    ("seed", "near", "ahead"),
    [(seed, near, ahead) for seed in range(6) for near in (True, False) for ahead in (0, 5, 99)],
)
def test_racy_reads_whole_seconds_first_and_agrees_with_every_line(seed: int, near: bool, ahead: int) -> None:
    """``ahead``: a ctime this many seconds after the walk (a clock set back): from 64 on, every ctime is read."""
    rng = random.Random(seed)
    taken = 1_700_000_000_000_000_000
    ages = [2 * 10**9 + 1, 2 * 10**9 + 10**8, 3 * 10**9, 10**15, 10 * 10**9 + 1, 2 * 10**9 + 10**9 - 1]
    if near:  # a ctime in the racy window, at its edge, or after the walk
        ages += [0, 1, 10**9, 2 * 10**9 - 1, 2 * 10**9, -ahead * 10**9]
    lines = []
    for i in range(40):
        ctime = taken - rng.choice(ages)
        mtime = ctime - rng.randrange(0, 10**10)
        kind = rng.choice(["f", "l"])
        facts = "-1 0 0 0" if kind == "l" and rng.random() < 0.2 else f"12 {_seconds(mtime)} {_seconds(ctime)} {i}"
        lines.append(f"{kind} {facts} ./a b/{i} 0 0 0.yaml\0")
    data = "".join(lines).encode()
    listing = filewalk.TreeListing(data, taken)
    newest = max(filewalk.seconds_ns(line.split(" ", 4)[3]) for line in data.decode().split("\0") if line)
    assert listing.racy() == (newest >= taken - filewalk.RACY_NS) == near


def _seconds(ns: int) -> str:
    return f"{ns // 1_000_000_000}.{ns % 1_000_000_000:09d}0"


@pytest.mark.parametrize("near", [0, 1, 2])
def test_racy_reads_the_first_line_s_ctime_too(near: int) -> None:
    """The lines' ctimes are found after the NUL before them: the first line, with none, is read apart."""
    taken = 1_700_000_000_000_000_000
    old = f"12 {_seconds(taken - 10**12)} {_seconds(taken - 10**12)} 7"
    new = f"12 {_seconds(taken - 10**12)} {_seconds(taken - 10**8)} 8"
    lines = [old, old, old]
    lines[near] = new
    data = "".join(f"f {facts} ./f{i}.yaml\0" for i, facts in enumerate(lines)).encode()
    assert filewalk.TreeListing(data, taken).racy()
    assert not filewalk.TreeListing(data.replace(new.encode(), old.encode()), taken).racy()


@pytest.mark.parametrize("seed", range(4))
def test_the_ctimes_from_a_second_are_those_of_that_second_or_later(seed: int) -> None:
    """The pattern spells the second out digit by digit: it must agree with comparing the numbers."""
    rng = random.Random(seed)
    for _ in range(300):
        second = rng.choice([rng.randrange(1, 10**10), rng.randrange(10**9, 2 * 10**9), 999, 1000, 9])
        near = [second + d for d in (-11, -10, -1, 0, 1, 9, 10, 100)] + [second * 10, second // 10, 0, 10**12]
        lines = [f"f 1 5.5 {n}.{rng.randrange(10**10):010d} 7 ./{n}.yaml" for n in near if n >= 0]
        lines.append(f"f 1 5.5 {second + 1} 7 ./whole.yaml")  # no fraction
        data = "\0".join(lines).encode() + b"\0"
        found = filewalk.TreeListing(data, 0)._ctimes(filewalk._ctimes_from(second))
        expected = [line.split(" ")[3] for line in lines if int(line.split(" ")[3].partition(".")[0]) >= second]
        assert [t.decode() for t in found] == expected


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
    stamps = filewalk.TreeListing(data, 0).stamps()
    assert list(stamps.items()) == [
        ("first.yaml", "1 2.0 3.0 4"),
        (f"sub/{name}", "-1 0 0 0"),
        ("last", "5 6.0 7.0 8"),
    ]
