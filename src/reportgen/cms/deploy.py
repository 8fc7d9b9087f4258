"""The office's web editor on the published site: ``admin/`` of the records repository, with Decap's script.

``reportgen init --git-host`` writes ``admin/config.yml`` and ``admin/index.html`` beside the
records folder; the page loads ``decap-cms.js`` from beside itself (never from a CDN).  A
build puts the three into the site's ``admin/`` when the configuration names a git host,
so clerks open the forms at the site's /admin/.  The script is taken from the repository's
own ``admin/`` (an office that installed reportgen with pip commits it there once), else
from where ``scripts/dev.sh`` installed it from npm; when neither has it the build still
publishes, and says in one line where to get it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from reportgen.cms import ADMIN, editor_folder
from reportgen.cms.bundle import DECAP_CMS_VERSION, decap_script
from reportgen.cms.config import GIT_HOSTS, admin_page
from reportgen.lang import Pair
from reportgen.load import read_regular
from reportgen.load.yamlnodes import MAX_BYTES

SCRIPT = "decap-cms.js"
_MAX_SCRIPT_BYTES = 64 * 1024 * 1024  # Decap's bundle is about 5 MB
MISSING_SCRIPT: Pair = (
    "提示：网站的网页编辑器（/admin/）缺少程序文件 decap-cms.js，暂时打不开；"
    f"请运行 npm install decap-cms@{DECAP_CMS_VERSION}，把 node_modules/decap-cms/dist/decap-cms.js "
    "复制到仓库的 admin/ 文件夹并提交，重新构建即可（通报和网站已照常生成）。",
    "note: the site's web editor (/admin/) lacks its script decap-cms.js and cannot open yet; "
    f"run npm install decap-cms@{DECAP_CMS_VERSION}, copy node_modules/decap-cms/dist/decap-cms.js "
    "into the repository's admin/ folder, commit it and build again (the bulletins and the site were built).",
)


@dataclass(frozen=True)
class SiteEditor:
    """The editor's files for the site (path in the output → bytes) and a note for the build's log."""

    files: dict[str, bytes] = field(default_factory=dict)
    note: Pair | None = None


def site_editor(records_dir: Path) -> SiteEditor:
    """The web editor's files when the repository's ``admin/config.yml`` saves to a git host; else none."""
    admin = editor_folder(records_dir)
    config = _read(admin / "config.yml", MAX_BYTES)
    if config is None or _backend(config) not in GIT_HOSTS:
        return SiteEditor()  # no editor, or the local one of ``serve --edit``: nothing to publish
    page = _read(admin / "index.html", MAX_BYTES) or admin_page("records").encode()
    files = {f"{ADMIN}/config.yml": config, f"{ADMIN}/index.html": page}
    script = _read(admin / SCRIPT, _MAX_SCRIPT_BYTES) or _installed_script()
    if script is None:
        return SiteEditor(files, MISSING_SCRIPT)
    return SiteEditor(files | {f"{ADMIN}/{SCRIPT}": script})


def publish_editor(records_dir: Path, write: Callable[[str, bytes], object], note: Callable[[Pair], None]) -> None:
    """Write the site's editor through ``write`` (the build's staging writer); ``note`` what is missing."""
    editor = site_editor(records_dir)
    for path, content in editor.files.items():
        write(path, content)
    if editor.note is not None:
        note(editor.note)


def _installed_script() -> bytes | None:
    script = decap_script()
    return _read(script, _MAX_SCRIPT_BYTES) if script is not None else None


def _read(path: Path, limit: int) -> bytes | None:
    """The bytes of a regular file, or None when there is none (or it cannot be read)."""
    try:
        return read_regular(path, limit)
    except OSError:
        return None


def _backend(config: bytes) -> str | None:
    """The backend's name in an editor configuration (None when it cannot be read)."""
    try:
        data = yaml.safe_load(config.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError):
        return None
    backend = data.get("backend") if isinstance(data, dict) else None
    name = backend.get("name") if isinstance(backend, dict) else None
    return name if isinstance(name, str) else None
