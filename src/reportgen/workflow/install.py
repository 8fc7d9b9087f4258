"""Where this reportgen was installed from, so that CI and pre-commit install the very same one.

PEP 610: pip records in ``direct_url.json`` the git URL and commit, the local folder (editable
or not) or the archive a distribution came from; nothing when it came from a package index.
``reportgen init --source SPEC`` gives the same information by hand.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from reportgen import __version__
from reportgen.lang import Pair, Phrase, Said, phrase

# the name on the package index ("reportgen" there is an unrelated project); the command and import stay reportgen
DISTRIBUTION = "zhuqi-reportgen"
_NAMED = re.compile(r"^zhuqi[-_.]+reportgen(?![\w.-])", re.IGNORECASE)

# Where reportgen comes from (the labels) and why a ``--source`` is refused, a (Chinese, English) pair each.
MESSAGES: dict[str, Pair] = {
    "index": ("软件包索引上的 {spec}", "{spec} on the package index"),
    "requirement": ("{spec}", "{spec}"),
    "url": ("{url}", "{url}"),
    "git": ("{url} 的版本 {rev}", "{url} at revision {rev}"),
    "git_local": ("本机的 git 仓库 {path} 的版本 {rev}", "the git repository {path} on this machine at revision {rev}"),
    "git_dirty": (
        "本机的 git 仓库 {path} 的版本 {rev}（该目录还有未提交的修改，安装的是最近一次提交）",
        "the git repository {path} on this machine at revision {rev} "
        "(the folder has uncommitted changes: its last commit is installed)",
    ),
    "folder": ("本机目录 {path}", "the folder {path} on this machine"),
    "file": ("本机文件 {path}", "the file {path} on this machine"),
    "empty": ("--source 不能为空，也不能换行", "--source must not be empty or hold a line break"),
    "unknown": (
        "--source “{spec}”既不是已有的目录或文件，也不是 git 地址（git+地址@版本）或 {distribution} 的安装要求"
        "（如 {distribution}=={version}）",
        "--source '{spec}' is neither a folder or file, nor a git URL (git+URL@revision), "
        "nor a requirement for {distribution} (e.g. {distribution}=={version})",
    ),
    "no_rev": (
        "git 地址“git+{rest}”要写明版本：git+地址@标签或提交号，如 git+{rest}@v{version}",
        "the git URL 'git+{rest}' needs a revision: git+URL@tag or commit, e.g. git+{rest}@v{version}",
    ),
}


class SourceError(Said):
    """The source given with ``--source`` cannot be used; the message is for the user, in the language of ``--lang``."""


@dataclass(frozen=True)
class InstallSource:
    """How to install one exact reportgen: a pip requirement, and the git repository and revision if any."""

    pip_spec: str  # what ``pip install "…"`` is given in CI
    git_url: str | None  # the repository pre-commit clones (with ``rev``); None: pre-commit installs ``pip_spec``
    rev: str | None
    local: bool  # a path on this machine, which hosted CI runners cannot reach
    label: Phrase  # for the user: in Chinese in the files init writes, in the language of ``--lang`` on the terminal


def running_source() -> InstallSource:
    """Where the running reportgen was installed from (its ``direct_url.json``), or its version on the index."""
    try:
        text = metadata.distribution(DISTRIBUTION).read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        text = None
    return source_from_direct_url(json.loads(text) if text else None, __version__)


def source_from_direct_url(data: dict[str, Any] | None, version: str) -> InstallSource:
    """The source a PEP 610 ``direct_url.json`` describes; ``None`` means installed from the package index."""
    if not data or not isinstance(data.get("url"), str):
        pinned = f"{DISTRIBUTION}=={version}"
        return InstallSource(pinned, None, None, False, phrase(MESSAGES["index"], spec=pinned))
    url: str = data["url"]
    vcs = data.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("vcs") == "git" and isinstance(vcs.get("commit_id"), str):
        return _git_source(url, vcs["commit_id"])
    if "dir_info" in data:
        return _folder_source(_file_path(url))
    return _url_source(url)


def source_from_spec(spec: str) -> InstallSource:
    """``--source``: a git URL with ``@rev``, a local folder or wheel, an archive URL or a pip requirement."""
    spec = spec.strip()
    if not spec or "\n" in spec:
        raise SourceError(MESSAGES["empty"])
    named = _NAMED.match(spec)
    if named and spec[named.end() :].lstrip().startswith("@"):  # "zhuqi-reportgen @ URL"
        return source_from_spec(spec[named.end() :].lstrip()[1:])
    if spec.startswith("git+"):
        return _git_spec(spec[len("git+") :])
    if Path(spec).expanduser().exists():
        path = Path(spec).expanduser().resolve()
        return _folder_source(path) if path.is_dir() else _url_source(path.as_uri())
    if "://" in spec:
        return _url_source(spec)
    if named:
        return InstallSource(spec, None, None, False, phrase(MESSAGES["requirement"], spec=spec))
    raise SourceError(MESSAGES["unknown"], spec=spec, distribution=DISTRIBUTION, version=__version__)


def _git_spec(rest: str) -> InstallSource:
    """``URL@rev`` after ``git+``: the revision follows the last ``@`` of the path."""
    url, at, rev = rest.rpartition("@")
    if not at or "/" in rev or not rev or not url:
        raise SourceError(MESSAGES["no_rev"], rest=rest, version=__version__)
    return _git_source(url, rev)


def _git_source(url: str, rev: str, dirty: bool = False) -> InstallSource:
    """``rev`` of the repository at ``url`` (``dirty``: a local checkout with uncommitted changes)."""
    local = url.startswith("file:")
    if local:
        label = phrase(MESSAGES["git_dirty" if dirty else "git_local"], path=_file_path(url), rev=rev[:12])
    else:
        label = phrase(MESSAGES["git"], url=url, rev=rev[:12])
    # pip before 24 refuses a git+file URL without a host; git reads file://localhost/ as file:///
    pip_url = "file://localhost/" + url.removeprefix("file:///") if url.startswith("file:///") else url
    return InstallSource(f"{DISTRIBUTION} @ git+{pip_url}@{rev}", url, rev, local, label)


def _folder_source(path: Path) -> InstallSource:
    """A local folder: its HEAD commit when it is the top of a git checkout, else the folder as it is."""
    head = _git_head(path)
    if head is None:
        return InstallSource(
            f"{DISTRIBUTION} @ {path.as_uri()}", None, None, True, phrase(MESSAGES["folder"], path=path)
        )
    return _git_source(path.as_uri(), head, _git_dirty(path))


def _url_source(url: str) -> InstallSource:
    local = url.startswith("file:")
    label = phrase(MESSAGES["file"], path=_file_path(url)) if local else phrase(MESSAGES["url"], url=url)
    return InstallSource(f"{DISTRIBUTION} @ {url}", None, None, local, label)


def _file_path(url: str) -> Path:
    return Path(unquote(urlparse(url).path))


def _git(path: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(path), *args], capture_output=True, text=True, check=False)
    except OSError:
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def _git_head(path: Path) -> str | None:
    """The HEAD commit when ``path`` is the top folder of a git checkout."""
    top = _git(path, "rev-parse", "--show-toplevel")
    if top is None or Path(top).resolve() != path.resolve():
        return None
    return _git(path, "rev-parse", "HEAD")


def _git_dirty(path: Path) -> bool:
    return bool(_git(path, "status", "--porcelain", "--untracked-files=no"))
