"""``reportgen serve``: build, serve the output on localhost, rebuild on change, reload the page.

The server injects a few lines of script into every HTML page it serves (never into
the files on disk): the page polls ``/__reportgen__/status`` and reloads when a new
build is in, or shows a banner with the validation problems when the records are
broken — instead of letting the reader trust a stale site.
"""

from __future__ import annotations

import json
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from reportgen.commands.check import format_text
from reportgen.publish.build import BuildOptions, BuildResult, build
from reportgen.publish.cache import list_inputs
from reportgen.publish.progress import Progress

STATUS_PATH = "/__reportgen__/status"
_RELOAD_SCRIPT = """<script>(function(){var v=null;function poll(){fetch("/__reportgen__/status").then(function(r){
return r.json()}).then(function(s){if(v!==null&&s.version!==v){location.reload();return}v=s.version;
var b=document.getElementById("reportgen-problems");if(s.problems){if(!b){b=document.createElement("pre");
b.id="reportgen-problems";b.style.cssText="position:fixed;left:0;right:0;bottom:0;max-height:40vh;overflow:auto;"+
"margin:0;padding:12px;background:#fff3f3;color:#900;border-top:3px solid #c00;z-index:9999;white-space:pre-wrap";
document.body.appendChild(b)}b.textContent=s.problems}else if(b){b.remove()}}).catch(function(){})
.finally(function(){setTimeout(poll,1000)})}poll()})();</script>"""


class ServeState:
    """The latest build's outcome, shared between the watcher and the request handlers."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.version = 0
        self.problems = ""

    def update(self, result: BuildResult, lang: str = "zh") -> None:
        """Record a build: a new version when it succeeded, the problems when it did not."""
        with self.lock:
            if result.ok:
                self.problems = ""
                if not result.unchanged:
                    self.version += 1
            elif result.error:
                self.problems = f"构建失败：{result.error}"
            else:
                self.problems = "记录有错误，网站仍是上一次成功构建的版本：\n\n" + format_text(
                    result.report.sorted(), lang
                )

    def as_json(self) -> bytes:
        """The status the page polls."""
        with self.lock:
            return json.dumps({"version": self.version, "problems": self.problems}, ensure_ascii=False).encode()


class _Handler(SimpleHTTPRequestHandler):
    state: ServeState

    def do_GET(self) -> None:
        if self.path.split("?")[0] == STATUS_PATH:
            self._send(200, "application/json; charset=utf-8", self.state.as_json())
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            page = path.read_text("utf-8")
            page = page.replace("</body>", _RELOAD_SCRIPT + "</body>") if "</body>" in page else page + _RELOAD_SCRIPT
            self._send(200, "text/html; charset=utf-8", page.encode("utf-8"))
            return
        super().do_GET()

    def _send(self, code: int, content_type: str, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return  # the terminal shows builds, not every request


def fingerprint(options: BuildOptions) -> str:
    """The build's own hash of every input's stat facts (``publish.cache``): cheap enough to poll every second."""
    return list_inputs(options.records_dir, options.templates_dir, options.key()).fingerprint()


def watch(options: BuildOptions, state: ServeState, stop: threading.Event, interval: float = 1.0) -> None:
    """Rebuild whenever an input file changes, until ``stop`` is set."""
    seen = fingerprint(options)
    while not stop.wait(interval):
        now = fingerprint(options)
        if now == seen:
            continue
        seen = now
        result = build(options, Progress())
        state.update(result)
        if result.ok:
            print(f"{time.strftime('%H:%M:%S')} 已重新构建（{result.seconds:.1f} 秒）")
        else:
            print(state.problems)


def serve(options: BuildOptions, port: int, host: str = "127.0.0.1") -> int:
    """Build once, then serve and watch until interrupted."""
    state = ServeState()
    result = build(options, Progress())
    state.update(result)
    if state.problems:
        print(state.problems)
    options.out.mkdir(parents=True, exist_ok=True)
    handler = type("Handler", (_Handler,), {"state": state})
    server = ThreadingHTTPServer((host, port), partial(handler, directory=str(options.out)))
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(options, state, stop), daemon=True)
    watcher.start()
    url = f"http://{host}:{server.server_address[1]}/"
    print(f"正在预览：{url}  （修改 records/ 或 templates/ 后自动重新构建；Ctrl+C 结束）")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("已停止。")
    finally:
        stop.set()
        server.server_close()
    return 0
