"""The records folder as it was at a git revision, copied out of git without touching the work tree.

A revision is whatever the user typed: it reaches git only after ``--end-of-options``, so
``--output=x`` names a revision (that does not exist), never an option.  What the folder
was at that revision is looked at before anything is copied: missing, a file, a link or a
submodule is said in plain words.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from reportgen.echo import shown

_TREE_KINDS = {"blob": "一个文件", "commit": "一个子模块"}


class GitError(Exception):
    """git could not give us what we need; the message is for the user."""


@dataclass(frozen=True)
class Location:
    """Where the records folder sits in its git repository."""

    top: Path  # the repository's top folder
    prefix: str  # the records folder relative to it, in git's spelling ("records", or "" for the top)


def _git(top: Path, *args: str, data: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(top), *args], input=data, capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise GitError("找不到 git 命令，请先安装 git") from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} 失败：{message[-1] if message else done.returncode}")
    return done.stdout


def locate(records: Path) -> Location:
    """The repository that holds ``records``, and the folder's path inside it."""
    if not records.is_dir():
        raise GitError(f"找不到记录目录 {records}（请在办公室仓库的根目录运行，或用 --records 指定）")
    try:
        top = Path(_git(records, "rev-parse", "--show-toplevel").decode("utf-8").strip())
    except GitError as exc:
        raise GitError(f"{records} 不在 git 仓库中：reportgen diff 比较的是两个 git 版本") from exc
    try:
        prefix = records.resolve().relative_to(top.resolve()).as_posix()
    except (OSError, RuntimeError, ValueError):
        raise GitError(f"{records} 不在它所属的 git 仓库 {top} 之内，无法比较") from None
    return Location(top, "" if prefix == "." else prefix)


def resolve(location: Location, revision: str) -> str:
    """The commit ``revision`` names (a branch, a tag, HEAD~1, a hash)."""
    if not revision.strip():
        raise GitError("没有给出要比较的版本：写分支名、标签或提交号，如 origin/main、HEAD~1")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in revision):
        raise GitError(f"版本名“{shown(revision)}”含有控制字符：写分支名、标签或提交号，如 origin/main、HEAD~1")
    try:
        return (
            _git(location.top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
            .decode()
            .strip()
        )
    except GitError:
        hint = "；在 CI 中请先 git fetch 这个分支" if "/" in revision else ""
        raise GitError(f"找不到版本“{shown(revision)}”{hint}") from None


def check_folder(location: Location, commit: str) -> None:
    """The records folder must be a folder at ``commit``; a GitError saying what it was otherwise."""
    if not location.prefix:
        return  # the repository's top folder is always a tree
    listing = _git(location.top, "ls-tree", "-z", "--full-tree", commit, "--", f":(literal){location.prefix}")
    entry = next((item for item in listing.split(b"\0") if item), b"")
    meta, _, _ = entry.partition(b"\t")
    fields = meta.decode().split()
    if len(fields) == 3 and fields[1] == "tree":
        return
    if not fields:
        what = f"还没有 {location.prefix} 目录"
    elif fields[0] == "120000":
        what = f"的 {location.prefix} 是一个链接，不是目录"
    else:
        what = f"的 {location.prefix} 是{_TREE_KINDS.get(fields[1], '其他内容')}，不是目录"
    raise GitError(f"版本 {describe(location, commit)} 中{what}，没有可以比较的记录")


def extract(location: Location, commit: str, dest: Path) -> Path:
    """Copy the records folder at ``commit`` into ``dest``; return the copy's path.

    Reads blobs straight from git's object store (``ls-tree`` + ``cat-file --batch``), so
    export-ignore attributes, smudge filters or the state of the work tree play no part.
    """
    check_folder(location, commit)
    target = dest / (location.prefix or "records")
    target.mkdir(parents=True, exist_ok=True)
    entries = _blobs(location, commit)
    if not entries:
        return target
    request = b"".join(sha.encode() + b"\n" for sha, _ in entries)
    output = _git(location.top, "cat-file", "--batch", data=request)
    offset = 0
    for sha, rel in entries:
        header_end = output.index(b"\n", offset)
        header = output[offset:header_end].split()
        if len(header) != 3 or header[0].decode() != sha:
            raise GitError(f"读取 {rel} 失败")
        size = int(header[2])
        content = output[header_end + 1 : header_end + 1 + size]
        offset = header_end + 1 + size + 1
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return target


def _blobs(location: Location, commit: str) -> list[tuple[str, str]]:
    """(blob sha, path relative to the records folder) of every regular file in the folder at ``commit``."""
    spec = [f":(literal){location.prefix}"] if location.prefix else []
    prefix_parts = PurePosixPath(location.prefix).parts if location.prefix else ()
    listing = _git(location.top, "ls-tree", "-r", "-z", "--full-tree", commit, "--", *spec)
    entries: list[tuple[str, str]] = []
    for item in listing.split(b"\0"):
        if not item:
            continue
        meta, _, name = item.partition(b"\t")
        mode, kind, sha = meta.decode().split()
        if kind != "blob" or mode not in ("100644", "100755"):
            continue  # links and submodules are no record files
        path = PurePosixPath(name.decode("utf-8", "surrogateescape"))
        inside = path.parts[len(prefix_parts) :]
        if path.parts[: len(prefix_parts)] != prefix_parts or not inside or ".." in inside:
            continue  # the folder itself (a file there), or a name that would leave it
        entries.append((sha, PurePosixPath(*inside).as_posix()))
    return entries


def describe(location: Location, commit: str) -> str:
    """A short name for a commit: its abbreviated hash."""
    return _git(location.top, "rev-parse", "--short", commit).decode().strip()
