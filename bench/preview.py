#!/usr/bin/env python3
"""How soon the preview shows a save: ``reportgen serve`` on a copy of the records, one issue retitled in place
again and again (as the web forms save), each timed from the write to the preview's "已重新构建" line.
With ``--saved-over``, each save is written beside the file and renamed over it, as most editors save.

    .venv/bin/python bench/preview.py bench/data/q100k --edits 7 [--saved-over]

Each line says the seconds from the write to the preview's line and the rebuild as the preview
counts it; what lies between is the kernel's notice and the new look at the inputs.  The copy,
its output and its caches are in a temporary folder, removed at the end.
"""

from __future__ import annotations

import argparse
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from check_throughput import REPORTGEN, one_issue, with_title_changed

REBUILT = re.compile(r"已重新构建（(\d+\.\d) 秒）")
LINE_WAIT = 600.0  # seconds for the first build (cold at 100,000 issues: about a minute) or one rebuild


def free_port() -> int:
    """A port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def timed_edits(records: Path, edits: int, pause: float, over: bool = False) -> list[tuple[float, float]]:
    """(seconds from the write to the preview's line, the rebuild's own seconds) of each of ``edits`` edits;
    ``over``: each written beside and renamed in (from the write beside)."""
    with tempfile.TemporaryDirectory(prefix="reportgen-preview-") as tmp:
        work = Path(tmp) / "records"
        shutil.copytree(records, work, symlinks=True)
        env = {**os.environ, "REPORTGEN_CACHE_DIR": str(Path(tmp) / "cache"), "PYTHONUNBUFFERED": "1"}
        command = [REPORTGEN, "serve", str(work), "--out", str(Path(tmp) / "output"), "--port", str(free_port())]
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        lines: queue.Queue[tuple[float, str]] = queue.Queue()
        reader = threading.Thread(target=_read, args=(process, lines))
        reader.start()
        try:
            _next_line(lines, "正在预览")  # the first build is done
            issue, found = one_issue(work), []
            for _ in range(edits):
                time.sleep(pause)  # the last save's files settle; no rebuild runs
                content = with_title_changed(issue.read_bytes())
                written = time.perf_counter()
                if over:
                    beside = issue.with_name(f"{issue.name}.new")
                    beside.write_bytes(content)
                    beside.replace(issue)
                else:
                    with open(issue, "r+b") as handle:  # in place: the file keeps its inode, as decap-server writes
                        handle.write(content)
                        handle.truncate()
                at, line = _next_line(lines, "已重新构建")
                match = REBUILT.search(line)
                found.append((at - written, float(match.group(1)) if match else float("nan")))
            return found
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=60)
            reader.join()


def _read(process: subprocess.Popen[str], lines: queue.Queue[tuple[float, str]]) -> None:
    """Put each line the preview prints on ``lines``, with when it came, until it ends."""
    for line in process.stdout or ():
        lines.put((time.perf_counter(), line))


def _next_line(lines: queue.Queue[tuple[float, str]], start: str) -> tuple[float, str]:
    """The next line of the preview holding ``start``, and when it came."""
    while True:
        at, line = lines.get(timeout=LINE_WAIT)
        if start in line:
            return at, line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("records", type=Path)
    parser.add_argument("--edits", type=int, default=7)
    parser.add_argument("--pause", type=float, default=2.0, help="seconds between a rebuild and the next save")
    parser.add_argument("--saved-over", action="store_true", help="write each save beside the file, rename it in")
    args = parser.parse_args()
    for i, (seen, rebuilt) in enumerate(timed_edits(args.records, args.edits, args.pause, args.saved_over), 1):
        print(f"edit {i}: {seen:.2f} s from the save to the line; the rebuild {rebuilt:.1f} s", flush=True)


if __name__ == "__main__":
    main()
