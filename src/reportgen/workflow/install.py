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

# the name on the package index ("reportgen" there is an unrelated project); the command and import stay reportgen
DISTRIBUTION = "zhuqi-reportgen"
_NAMED = re.compile(r"^zhuqi[-_.]+reportgen(?![\w.-])", re.IGNORECASE)


class SourceError(Exception):
    """The source given with ``--source`` cannot be used; the message is for the user."""


@dataclass(frozen=True)
class InstallSource:
    """How to install one exact reportgen: a pip requirement, and the git repository and revision if any."""

    pip_spec: str  # what ``pip install "…"`` is given in CI
    git_url: str | None  # the repository pre-commit clones (with ``rev``); None: pre-commit installs ``pip_spec``
    rev: str | None
    local: bool  # a path on this machine, which hosted CI runners cannot reach
    label: str  # in plain Chinese, for the user


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
        return InstallSource(pinned, None, None, False, f"软件包索引上的 {pinned}")
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
        raise SourceError("--source 不能为空，也不能换行")
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
        return InstallSource(spec, None, None, False, spec)
    raise SourceError(
        f"--source “{spec}”既不是已有的目录或文件，也不是 git 地址（git+地址@版本）或 {DISTRIBUTION} 的安装要求"
        f"（如 {DISTRIBUTION}=={__version__}）"
    )


def _git_spec(rest: str) -> InstallSource:
    """``URL@rev`` after ``git+``: the revision follows the last ``@`` of the path."""
    url, at, rev = rest.rpartition("@")
    if not at or "/" in rev or not rev or not url:
        raise SourceError(f"git 地址“git+{rest}”要写明版本：git+地址@标签或提交号，如 git+{rest}@v{__version__}")
    return _git_source(url, rev)


def _git_source(url: str, rev: str) -> InstallSource:
    local = url.startswith("file:")
    where = f"本机的 git 仓库 {_file_path(url)}" if local else url
    # pip before 24 refuses a git+file URL without a host; git reads file://localhost/ as file:///
    pip_url = "file://localhost/" + url.removeprefix("file:///") if url.startswith("file:///") else url
    return InstallSource(f"{DISTRIBUTION} @ git+{pip_url}@{rev}", url, rev, local, f"{where} 的版本 {rev[:12]}")


def _folder_source(path: Path) -> InstallSource:
    """A local folder: its HEAD commit when it is the top of a git checkout, else the folder as it is."""
    head = _git_head(path)
    if head is None:
        return InstallSource(f"{DISTRIBUTION} @ {path.as_uri()}", None, None, True, f"本机目录 {path}")
    source = _git_source(path.as_uri(), head)
    if _git_dirty(path):
        note = "（该目录还有未提交的修改，安装的是最近一次提交）"
        return InstallSource(source.pip_spec, source.git_url, source.rev, True, source.label + note)
    return source


def _url_source(url: str) -> InstallSource:
    local = url.startswith("file:")
    label = f"本机文件 {_file_path(url)}" if local else url
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
