"""``reportgen serve --edit``: Decap CMS on 127.0.0.1 beside the live preview, saving into the records folder.

The editor's files come from the npm registry at set-up (``scripts/dev.sh`` installs
``decap-cms`` and ``decap-server`` into ``.cache/decap``, or ``$REPORTGEN_DECAP_DIR``):
nothing is loaded from a CDN.  ``decap-server`` (Decap's local-repository backend, run
with node) reads and writes the records folder directly; reportgen starts it on a
loopback port and stops it when the preview stops.  The preview's watcher sees each save,
rebuilds and checks, and shows problems in its banner.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from reportgen.cms.bundle import CMS_JS, SERVER_JS, installed
from reportgen.cms.config import admin_page, cms_config, config_text
from reportgen.forked import end_with
from reportgen.lang import Pair, Said
from reportgen.schema.kinds import KINDS
from reportgen.workflow.store import StoreError, existing_ids, next_id

ADMIN_PATH = "/admin/"


# Why the editor cannot start, a (Chinese, English) pair each.
MESSAGES: dict[str, Pair] = {
    "not_installed": (
        "没有找到网页编辑器的文件（{found}）。请先运行 bash scripts/dev.sh setup 安装，"
        "或把 REPORTGEN_DECAP_DIR 设为装有 decap-cms 和 decap-server 的目录。",
        "the web editor's files are not installed ({found}): run bash scripts/dev.sh setup, "
        "or set REPORTGEN_DECAP_DIR to a folder holding decap-cms and decap-server.",
    ),
    "no_node": (
        "网页编辑器需要 node，请先安装（Debian：apt-get install nodejs）。",
        "the web editor needs node: install it first (Debian: apt-get install nodejs).",
    ),
    "backend_failed": (
        "编辑器后台（decap-server）启动失败，退出码 {code}。",
        "the editor's backend (decap-server) failed to start, exit code {code}.",
    ),
    "backend_slow": (
        "编辑器后台（decap-server）{seconds:.0f} 秒内没有启动。",
        "the editor's backend (decap-server) did not start within {seconds:.0f} s.",
    ),
}


class EditorError(Said):
    """The editor cannot start; the message says what to install, in the language of ``--lang``."""


@dataclass(frozen=True)
class EditorFiles:
    """Where the editor's page and scripts were written, and the backend's port."""

    folder: Path
    backend_port: int


def decap_dir() -> Path:
    """The folder holding ``node_modules/decap-cms`` and ``node_modules/decap-server``."""
    found = installed()
    if not (found / CMS_JS).is_file() or not (found / SERVER_JS).is_file():
        raise EditorError(MESSAGES["not_installed"], found=found)
    if shutil.which("node") is None:
        raise EditorError(MESSAGES["no_node"])
    return found


def next_ids(records: Path) -> dict[str, str]:
    """Kind name → the next free id, for a new record's form (computed once, when the editor starts)."""
    ids: dict[str, str] = {}
    for kind in KINDS:
        if kind.id_field == "id":
            try:
                ids[kind.name] = next_id(kind, existing_ids(records, kind))
            except StoreError:
                continue
    return ids


def free_port() -> int:
    """A free loopback port for the backend."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def write_admin(folder: Path, records: Path, backend_port: int) -> EditorFiles:
    """The editor's page, its configuration (local backend, next ids) and Decap's script, in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    backend = {"name": "git-gateway", "branch": "main"}
    config = cms_config(backend, next_ids=next_ids(records))
    config["local_backend"] = {"url": f"http://127.0.0.1:{backend_port}/api/v1", "allowed_hosts": ["127.0.0.1"]}
    config.pop("publish_mode", None)  # one clerk on one machine: a save writes the file at once
    (folder / "config.yml").write_text(config_text(config), "utf-8")
    (folder / "index.html").write_text(admin_page(), "utf-8")
    shutil.copyfile(decap_dir() / CMS_JS, folder / "decap-cms.js")
    return EditorFiles(folder, backend_port)


def start_backend(records: Path, port: int) -> subprocess.Popen[bytes]:
    """decap-server on 127.0.0.1:``port``, reading and writing ``records`` (stop it with ``stop_backend``)."""
    env = os.environ | {
        "PORT": str(port),
        "BIND_HOST": "127.0.0.1",
        "MODE": "fs",
        "GIT_REPO_DIRECTORY": str(records.resolve()),
        "LOG_LEVEL": "error",
    }
    process = subprocess.Popen(
        ["node", str(decap_dir() / SERVER_JS)],
        env=env,
        stdout=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        # stopped with the reportgen that started it, even when that is killed (elsewhere ``stop_backend`` on a
        # normal exit only)
        preexec_fn=partial(end_with, os.getpid(), signal.SIGTERM),
    )
    _wait_for_port(port, process)
    return process


def _wait_for_port(port: int, process: subprocess.Popen[bytes], seconds: float = 20.0) -> None:
    """Return once the backend accepts connections; EditorError if it exits or never does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise EditorError(MESSAGES["backend_failed"], code=process.returncode)
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    stop_backend(process)
    raise EditorError(MESSAGES["backend_slow"], seconds=seconds)


def stop_backend(process: subprocess.Popen[bytes]) -> None:
    """Stop the backend this process started, and wait for it."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
