"""``reportgen serve``: build, serve the output on localhost, rebuild on change, reload the page.

Only this machine can use it: the server listens on 127.0.0.1 and answers only
requests addressed to localhost, 127.0.0.1 or [::1] with its port (a page on another
site cannot reach it by pointing its own name at 127.0.0.1, "DNS rebinding").

The server injects a few lines of script into every HTML page it serves (never into
the files on disk): the page polls ``/__reportgen__/status`` and reloads when a new
build is in, or shows a banner with the validation problems when the records are
broken — instead of letting the reader trust a stale site.
"""

from __future__ import annotations

import errno
import gc
import json
import os
import socket
import sys
import tempfile
import threading
import time
from dataclasses import replace
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from reportgen import heap, readahead
from reportgen.commands.check import format_text
from reportgen.lang import Pair, os_reason, pick
from reportgen.publish.build import BuildOptions, BuildResult, build
from reportgen.publish.cache import InputListing, input_folders, list_inputs, load_state
from reportgen.publish.changewatch import FULL_EVERY, FolderWatch
from reportgen.publish.ownership import output_refusal
from reportgen.publish.progress import Progress
from reportgen.validate import first_reads

STATUS_PATH = "/__reportgen__/status"
_RELOAD_SCRIPT = b"""<script>(function(){var v=null;function poll(){fetch("/__reportgen__/status").then(function(r){
return r.json()}).then(function(s){if(v!==null&&s.version!==v){location.reload();return}v=s.version;
var b=document.getElementById("reportgen-problems");if(s.problems){if(!b){b=document.createElement("pre");
b.id="reportgen-problems";b.style.cssText="position:fixed;left:0;right:0;bottom:0;max-height:40vh;overflow:auto;"+
"margin:0;padding:12px;background:#fff3f3;color:#900;border-top:3px solid #c00;z-index:9999;white-space:pre-wrap";
document.body.appendChild(b)}b.textContent=s.problems}else if(b){b.remove()}}).catch(function(){})
.finally(function(){setTimeout(poll,1000)})}poll()})();</script>"""
_LOCAL_NAMES = ("localhost", "127.0.0.1", "[::1]")
_PORTS_TRIED = 20  # how many ports after a busy one are tried for a suggestion

# The terminal's lines, in the language of ``--lang``; the pages and the banner stay Chinese (office staff read them).
MESSAGES: dict[str, Pair] = {
    "build_failed": ("构建失败：{error}", "build failed: {error}"),
    "invalid": (
        "记录有错误，网站仍是上一次成功构建的版本：\n\n{problems}",
        "the records have errors; the site is still the last successful build:\n\n{problems}",
    ),
    "rebuilt": ("{time} 已重新构建（{seconds:.1f} 秒）", "{time} rebuilt ({seconds:.1f} s)"),
    "bad_port": ("端口 {port} 不在 1–65535 之间，请换一个端口。", "port {port} is not within 1–65535; choose another."),
    "editor": ("记录编辑：{url}", "record editor: {url}"),
    "port_unusable": (
        "无法使用 {host} 的端口 {port}：{reason}。请用 --port 换一个端口（如 8000）。",
        "cannot use port {port} of {host}: {reason}. Choose another with --port (e.g. 8000).",
    ),
    "ports_busy": (
        "端口 {port} 已被占用，其后的 {tried} 个端口也都被占用；请用 --port 换一个端口。",
        "port {port} is in use, and so are the {tried} ports after it; choose another with --port.",
    ),
    "port_busy": ("端口 {port} 已被占用；可改用 --port {free}。", "port {port} is in use; try --port {free}."),
    "previewing": (
        "正在预览：{url}  （修改 records/ 或 templates/ 后自动重新构建；Ctrl+C 结束）",
        "previewing: {url}  (rebuilt on every change of records/ or templates/; Ctrl+C stops)",
    ),
    "stopped": ("已停止。", "Stopped."),
}


def problems_text(result: BuildResult, lang: str) -> str:
    """Why a build published nothing, in ``lang`` ("" when it published)."""
    if result.ok:
        return ""
    if result.error:
        return pick(MESSAGES["build_failed"], lang, error=result.error)
    return pick(MESSAGES["invalid"], lang, problems=format_text(result.report.sorted(), lang))


class ServeState:
    """The latest build's outcome, shared between the watcher and the request handlers."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.version = 0
        self.problems = ""  # for the page's banner: in Chinese, as the office reads it

    def update(self, result: BuildResult) -> None:
        """Record a build: a new version when it succeeded, the problems when it did not."""
        with self.lock:
            self.problems = problems_text(result, "zh")
            if result.ok and not result.unchanged:
                self.version += 1

    def as_json(self) -> bytes:
        """The status the page polls."""
        with self.lock:
            return json.dumps({"version": self.version, "problems": self.problems}, ensure_ascii=False).encode()


class _Handler(SimpleHTTPRequestHandler):
    state: ServeState
    admin: Path | None = None  # the web editor's files (serve --edit), served under /admin/

    def parse_request(self) -> bool:
        """Parse the request, then refuse it unless it is addressed to this machine and its path is clean."""
        if not super().parse_request():
            return False
        if not self._local_host():
            self._refuse(403, "预览只接受本机地址（localhost 或 127.0.0.1）的访问。")
            return False
        if not _clean_path(self.path):
            self._refuse(400, "地址中含有不允许的字符。")
            return False
        return True

    def _local_host(self) -> bool:
        """Whether the Host header names this machine with the server's port (the port is implied only for 80)."""
        host = self.headers.get("Host", "").strip().lower()
        port = self.connection.getsockname()[1]
        allowed = {f"{name}:{port}" for name in _LOCAL_NAMES}
        return host in (allowed | set(_LOCAL_NAMES) if port == 80 else allowed)

    def _refuse(self, code: int, message: str) -> None:
        self.close_connection = True
        self._send(code, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))

    def do_GET(self) -> None:
        url_path = _url_path(self.path)
        if url_path == STATUS_PATH:
            self._send(200, "application/json; charset=utf-8", self.state.as_json())
            return
        if self.admin is not None and url_path.startswith("/admin/"):
            self._send_admin(url_path)
            return
        path = self.translate_path(self.path)  # os.path's tests: a name too long is just not there
        if os.path.isdir(path) and url_path.endswith("/"):  # without the slash the parent class redirects
            path = os.path.join(path, "index.html")
        if path.endswith(".html") and os.path.isfile(path):
            try:
                page = Path(path).read_bytes()
            except OSError:
                self.send_error(404)
                return
            self._send(200, "text/html; charset=utf-8", _with_reload(page))
            return
        super().do_GET()

    def _send_admin(self, url_path: str) -> None:
        """One of the editor's files (a flat folder: only a plain file name is looked up)."""
        name = unquote(url_path[len("/admin/") :]) or "index.html"
        path = self.admin / name if self.admin is not None and "/" not in name and name[:1] != "." else None
        if path is None or not path.is_file():
            self.send_error(404)
            return
        kind = "text/yaml; charset=utf-8" if path.suffix == ".yml" else self.guess_type(str(path))
        self._send(200, kind, path.read_bytes())

    def _send(self, code: int, content_type: str, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return  # the terminal shows builds, not every request


def _with_reload(page: bytes) -> bytes:
    """The page with the reload script before its ``</body>`` (or at its end)."""
    if b"</body>" not in page:
        return page + _RELOAD_SCRIPT
    return page.replace(b"</body>", _RELOAD_SCRIPT + b"</body>")


def _url_path(raw: str) -> str:
    """The path of a request target, without its query and fragment (as ``translate_path`` cuts them)."""
    return raw.split("?", 1)[0].split("#", 1)[0]


def _clean_path(raw: str) -> bool:
    """Whether a request path decodes as UTF-8 without control characters (a NUL would reach ``open``)."""
    try:
        path = unquote(_url_path(raw), errors="strict")
    except UnicodeDecodeError:
        return False
    return not any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in raw + path)


def inputs_now(options: BuildOptions) -> InputListing:
    """Every input listed as the build lists them (``cache.list_inputs``); its ``fingerprint`` is the build's own
    hash of their stat facts.
    """
    return list_inputs(options.records_dir, options.templates_dir, options.key())


def freed() -> None:
    """Free what the last build left, and give the memory back: the preview builds again and again in one process.

    A build's records and caches hold reference cycles among themselves, which only a full
    collection finds; the build keeps its objects out of the young collections (``heap``), so
    without one a preview at 100,000 issues grew by ~350 MB a rebuild.
    """
    gc.collect()
    heap.give_back()


def warmed(options: BuildOptions) -> None:
    """Decode what the next build reads first (``readahead``): the check's state and the build's, as they are now.

    While the preview waits for a save: at 100,000 issues ~0.45 s less in each rebuild after it.
    """

    def reads() -> None:
        first_reads(options.records_dir)
        load_state(options.out)

    readahead.warm(reads)


def watch_inputs(options: BuildOptions) -> FolderWatch | None:
    """The kernel's watch of the inputs' folders (None: it cannot report changes there, ``changewatch``)."""
    return FolderWatch.start([os.fspath(path) for _, path in input_folders(options.records_dir, options.templates_dir)])


def relisted(
    options: BuildOptions, inputs: InputListing, reported: FolderWatch | None, listed: float
) -> tuple[InputListing, float]:
    """The inputs now, and when they were last walked whole (``listed``, a ``time.monotonic`` reading).

    Where the kernel reported only files by name (edited in place, as the web forms save, or saved
    over, as most editors save) and the last walk is less than ``FULL_EVERY`` old, ``inputs`` with
    those files' lines made anew (``InputListing.patched``); else every input listed (``inputs_now``:
    ~0.4 s at 100,000 issues).
    """
    edits = reported.edits() if reported is not None else None
    if edits and time.monotonic() - listed < FULL_EVERY:
        patched = inputs.patched(edits)
        if patched is not None:
            return patched, listed
    return inputs_now(options), time.monotonic()


def watch(
    options: BuildOptions,
    state: ServeState,
    stop: threading.Event,
    inputs: InputListing,
    reported: FolderWatch | None,
    interval: float = 1.0,
    lang: str = "zh",
) -> None:
    """Rebuild whenever an input file changes, until ``stop`` is set; ``reported`` is closed then.

    ``inputs``: the listing the last build was made from; ``reported``: the kernel's watch of
    the inputs' folders (``watch_inputs``), started before that listing, so a change after it is
    reported.  The inputs are listed again (``relisted``) as soon as the kernel reports a change
    in their folders, and every ``FULL_EVERY`` seconds; at every poll (each ``interval``) where it
    cannot report them.  The listing that found a change is the build's: the build does not list
    the inputs again.
    """
    try:
        seen, listed = inputs.fingerprint(), time.monotonic()
        while not _waited(stop, reported, interval):
            if reported is not None and not reported.changed() and time.monotonic() - listed < FULL_EVERY:
                continue
            inputs, listed = relisted(options, inputs, reported, listed)
            now = inputs.fingerprint()
            if now == seen:
                continue
            seen = now
            result = build(options, Progress(lang=lang), inputs)
            state.update(result)
            if result.ok:
                print(pick(MESSAGES["rebuilt"], lang, time=time.strftime("%H:%M:%S"), seconds=result.seconds))
            else:
                print(problems_text(result, lang))
            freed()
            warmed(options)
    finally:
        if reported is not None:
            reported.close()


def serve(options: BuildOptions, port: int, host: str = "127.0.0.1", edit: bool = False, lang: str = "zh") -> int:
    """Check the output folder and take the port, build once, then serve and watch until interrupted.

    ``port`` 0 takes any free port (for tests); 1 if the folder or the port cannot be used.
    Terminal lines are in ``lang``; the pages the office sees stay Chinese.
    """
    refusal = output_refusal(options.out, options.records_dir, options.templates_dir, lang)
    if refusal is None and not 0 <= port <= 65535:
        refusal = pick(MESSAGES["bad_port"], lang, port=port)
    if refusal is not None:
        print(f"reportgen: {refusal}", file=sys.stderr)
        return 1
    options = replace(options, out=options.out.expanduser().resolve())
    if edit:
        return _serve_with_editor(options, port, host, lang)
    return _serve(options, port, host, None, lang)


def _serve(options: BuildOptions, port: int, host: str, admin: Path | None, lang: str) -> int:
    """Take the port, then build and serve until interrupted; 1 if the port cannot be used."""
    state = ServeState()
    try:
        server = preview_server(options.out, state, host, port, admin)
    except OSError as exc:
        print(f"reportgen: {_port_problem(exc, host, port, lang)}", file=sys.stderr)
        return 1
    with server:
        if admin is not None:
            print(pick(MESSAGES["editor"], lang, url=f"http://{host}:{server.server_address[1]}/admin/"))
        _build_and_serve(options, state, server, lang)
    return 0


def _serve_with_editor(options: BuildOptions, port: int, host: str, lang: str) -> int:
    """The preview with the web editor under /admin/ and its backend (decap-server) beside it."""
    from reportgen.cms.editor import EditorError, free_port, start_backend, stop_backend, write_admin

    with tempfile.TemporaryDirectory(prefix="reportgen-admin-") as folder:
        try:
            backend_port = free_port()
            files = write_admin(Path(folder), options.records_dir, backend_port)
            backend = start_backend(options.records_dir, backend_port)
        except EditorError as exc:
            print(f"reportgen: {exc.text(lang)}", file=sys.stderr)
            return 1
        try:
            return _serve(options, port, host, files.folder, lang)
        finally:
            stop_backend(backend)


def preview_server(
    out: Path, state: ServeState, host: str, port: int, admin: Path | None = None
) -> ThreadingHTTPServer:
    """A server bound to ``host:port`` (not yet serving) for the files in ``out``, the editor's
    files in ``admin`` under /admin/; OSError if the port is taken."""
    handler = type("Handler", (_Handler,), {"state": state, "admin": admin})
    return ThreadingHTTPServer((host, port), partial(handler, directory=str(out)))


def _port_problem(exc: OSError, host: str, port: int, lang: str = "zh") -> str:
    """Why the port cannot be used, and a free one to use instead when it is only busy."""
    if exc.errno != errno.EADDRINUSE:
        return pick(MESSAGES["port_unusable"], lang, host=host, port=port, reason=os_reason(exc, lang))
    free = next((p for p in range(port + 1, min(port + _PORTS_TRIED, 65535) + 1) if _port_free(host, p)), None)
    if free is None:
        return pick(MESSAGES["ports_busy"], lang, port=port, tried=_PORTS_TRIED)
    return pick(MESSAGES["port_busy"], lang, port=port, free=free)


def _port_free(host: str, port: int) -> bool:
    """Whether the server could bind ``host:port`` now (with the same address reuse it uses)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


SAVED_IN = 0.05  # seconds an editor's save takes after its first write is reported (a write, then a rename)


def _waited(stop: threading.Event, reported: FolderWatch | None, interval: float) -> bool:
    """Wait for the next poll: ``interval`` seconds, or until the kernel reports a change (``reported``) and the
    save it belongs to is done; whether ``stop`` was set meanwhile.
    """
    if reported is None:
        return stop.wait(interval)
    return stop.wait(SAVED_IN if reported.wait(interval) else 0)


def _build_and_serve(options: BuildOptions, state: ServeState, server: ThreadingHTTPServer, lang: str) -> None:
    """The first build, then requests and rebuilds until Ctrl+C.

    The folders are watched before the first build's look at the inputs, and the watcher
    starts from that look: an edit saved while the first build runs is built next.
    """
    reported = watch_inputs(options)
    try:
        inputs = inputs_now(options)
        result = build(options, Progress(lang=lang), inputs)
    except BaseException:  # Ctrl+C during the first build: the watcher that would close the watch never starts
        if reported is not None:
            reported.close()
        raise
    state.update(result)
    if not result.ok:
        print(problems_text(result, lang))
    freed()
    warmed(options)
    options.out.mkdir(parents=True, exist_ok=True)
    stop = threading.Event()
    watcher = threading.Thread(
        target=watch, args=(options, state, stop, inputs, reported), kwargs={"lang": lang}, daemon=True
    )
    watcher.start()
    host, port = server.server_address[:2]
    print(pick(MESSAGES["previewing"], lang, url=f"http://{host!s}:{port}/"))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print(pick(MESSAGES["stopped"], lang))
    finally:
        stop.set()
        readahead.forget()
