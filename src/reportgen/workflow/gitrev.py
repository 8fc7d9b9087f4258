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
from reportgen.formatting import shown_path
from reportgen.lang import Pair, Said, phrase

# What the folder was at a revision, by git's object type: (Chinese, English).
_TREE_KINDS: dict[str, Pair] = {"blob": ("一个文件", "a file"), "commit": ("一个子模块", "a submodule")}
_OTHER_KIND: Pair = ("其他内容", "something else")

MESSAGES: dict[str, Pair] = {
    "no_git": ("找不到 git 命令，请先安装 git", "no git command: install git first"),
    "failed": ("git {command} 失败：{detail}", "git {command} failed: {detail}"),
    "no_records": (
        "找不到记录目录 {records}（请在办公室仓库的根目录运行，或用 --records 指定）",
        "records folder {records} not found (run in the office repository's root, or give --records)",
    ),
    "no_repository": (
        "{records} 不在 git 仓库中：reportgen diff 比较的是两个 git 版本",
        "{records} is in no git repository: reportgen diff compares two git revisions",
    ),
    "outside": (
        "{records} 不在它所属的 git 仓库 {top} 之内，无法比较",
        "{records} is not inside its git repository {top}; nothing to compare",
    ),
    "no_revision": (
        "没有给出要比较的版本：写分支名、标签或提交号，如 origin/main、HEAD~1",
        "no revision to compare with: give a branch, a tag or a commit, e.g. origin/main, HEAD~1",
    ),
    "control": (
        "版本名“{revision}”含有控制字符：写分支名、标签或提交号，如 origin/main、HEAD~1",
        "the revision '{revision}' holds control characters: give a branch, a tag or a commit, e.g. origin/main",
    ),
    "unknown": ("找不到版本“{revision}”{hint}", "no revision '{revision}'{hint}"),
    "fetch_hint": ("；在 CI 中请先 git fetch 这个分支", "; in CI, git fetch the branch first"),
    "no_folder": (
        "版本 {commit} 中还没有 {folder} 目录，没有可以比较的记录",
        "revision {commit} has no {folder} folder yet; no records to compare",
    ),
    "link": (
        "版本 {commit} 中的 {folder} 是一个链接，不是目录，没有可以比较的记录",
        "in revision {commit}, {folder} is a link, not a folder; no records to compare",
    ),
    "not_folder": (
        "版本 {commit} 中的 {folder} 是{kind}，不是目录，没有可以比较的记录",
        "in revision {commit}, {folder} is {kind}, not a folder; no records to compare",
    ),
    "unreadable": ("读取 {path} 失败", "cannot read {path}"),
}


class GitError(Said):
    """git could not give us what we need; the message is for the user, in the language of ``--lang``."""


@dataclass(frozen=True)
class Location:
    """Where the records folder sits in its git repository."""

    top: Path  # the repository's top folder
    prefix: str  # the records folder relative to it, in git's spelling ("records", or "" for the top)


def _git(top: Path, *args: str, data: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(top), *args], input=data, capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise GitError(MESSAGES["no_git"]) from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = shown(message[-1], 200) if message else done.returncode
        raise GitError(MESSAGES["failed"], command=args[0], detail=detail)
    return done.stdout


def locate(records: Path) -> Location:
    """The repository that holds ``records``, and the folder's path inside it."""
    if not records.is_dir():
        raise GitError(MESSAGES["no_records"], records=shown_path(records))
    try:
        top = Path(_git(records, "rev-parse", "--show-toplevel").decode("utf-8").strip())
    except GitError as exc:
        raise GitError(MESSAGES["no_repository"], records=shown_path(records)) from exc
    try:
        prefix = records.resolve().relative_to(top.resolve()).as_posix()
    except (OSError, RuntimeError, ValueError):
        raise GitError(MESSAGES["outside"], records=shown_path(records), top=shown_path(top)) from None
    return Location(top, "" if prefix == "." else prefix)


def resolve(location: Location, revision: str) -> str:
    """The commit ``revision`` names (a branch, a tag, HEAD~1, a hash)."""
    if not revision.strip():
        raise GitError(MESSAGES["no_revision"])
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in revision):
        raise GitError(MESSAGES["control"], revision=shown(revision))
    try:
        return (
            _git(location.top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
            .decode()
            .strip()
        )
    except GitError:
        if "/" in revision:
            raise GitError(_with_hint(MESSAGES["unknown"], MESSAGES["fetch_hint"]), revision=shown(revision)) from None
        raise GitError(MESSAGES["unknown"], revision=shown(revision), hint="") from None


def _with_hint(pair: Pair, hint: Pair) -> Pair:
    """``pair`` with ``hint`` in place of its ``{hint}``, language by language."""
    return pair[0].replace("{hint}", hint[0]), pair[1].replace("{hint}", hint[1])


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
    where = {"commit": describe(location, commit), "folder": shown_path(location.prefix)}
    if not fields:
        raise GitError(MESSAGES["no_folder"], **where)
    if fields[0] == "120000":
        raise GitError(MESSAGES["link"], **where)
    raise GitError(MESSAGES["not_folder"], kind=phrase(_TREE_KINDS.get(fields[1], _OTHER_KIND)), **where)


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
            raise GitError(MESSAGES["unreadable"], path=shown_path(rel))
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
