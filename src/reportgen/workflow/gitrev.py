"""The records folder as it was at a git revision, copied out of git without touching the work tree."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath


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
    prefix = records.resolve().relative_to(top.resolve()).as_posix()
    return Location(top, "" if prefix == "." else prefix)


def resolve(location: Location, revision: str) -> str:
    """The commit ``revision`` names (a branch, a tag, HEAD~1, a hash)."""
    try:
        return (
            _git(location.top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
            .decode()
            .strip()
        )
    except GitError:
        hint = "；在 CI 中请先 git fetch 这个分支" if "/" in revision else ""
        raise GitError(f"找不到版本“{revision}”{hint}") from None


def extract(location: Location, commit: str, dest: Path) -> Path:
    """Copy the records folder at ``commit`` into ``dest``; return the copy's path.

    Reads blobs straight from git's object store (``ls-tree`` + ``cat-file --batch``), so
    export-ignore attributes, smudge filters or the state of the work tree play no part.
    """
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
        rel = path.relative_to(location.prefix) if location.prefix else path
        if ".." in rel.parts or rel.is_absolute():
            continue
        entries.append((sha, rel.as_posix()))
    return entries


def describe(location: Location, commit: str) -> str:
    """A short name for a commit: its abbreviated hash."""
    return _git(location.top, "rev-parse", "--short", commit).decode().strip()
