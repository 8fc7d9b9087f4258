#!/usr/bin/env python3
"""The PDF children of ``bench/run --pdf``: one HTML file to PDF, by WeasyPrint or by Chromium.

    pdf_render.py weasy HTML OUT.pdf RECORDS [--warm N]
    pdf_render.py chromium HTML OUT.pdf --warm N
    pdf_render.py html RECORDS OUT_DIR
    pdf_render.py parts HTML OUT_DIR RECORDS

``html`` writes the print HTML of every monthly notice of RECORDS (what the build hands
to WeasyPrint; the site's page of a notice is another document) as OUT_DIR/<id>.html,
drafts included: ``bench/run --pdf`` picks the notice to print from them.

``weasy`` without ``--warm`` is the fresh-process measurement: import, the PDF made as a build
makes it (``render_pdfs`` of one job: a forked worker, its helper for 附件1), write, exit (the
parent times the whole process).  The font set is
the office's stand-ins resolved from ``RECORDS/config.yaml`` alone, without loading or
checking the records: that belongs to the build, not to one PDF.

``parts`` renders the notice twice in one process, then twice in parts (``render.pdfjoin``:
附件1 in a forked helper, whatever its length), compares every page of the two PDFs (pdftoppm
at 50 dpi) and their text (pdftotext), and prints one JSON line: wall and CPU seconds (the
helper's included) of each render, sizes, whether each way gives the same bytes twice, and
the pages that differ.

With ``--warm N`` the child renders once to warm up, then N more times, and prints one
JSON line: the wall and CPU seconds (its helper's included) of each of the N renders.  For ``chromium`` the
browser is started once with ``--remote-debugging-pipe`` and every render is a new tab
that loads the file and answers ``Page.printToPDF`` (what ``--print-to-pdf`` does); its
CPU seconds are those of the whole browser process tree.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# Flags the fresh-process and warm Chromium runs share (bench/run imports them).
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def weasy(html: Path, out: Path, records: Path, warm: int) -> None:
    """Render with reportgen: fresh, as a build makes a notice's PDF; warm, ``html_to_pdf`` N times in this process."""
    import yaml

    from reportgen.model import Records
    from reportgen.render.fonts import font_set
    from reportgen.render.pdf import html_to_pdf, render_pdfs

    config = yaml.safe_load((records / "config.yaml").read_text(encoding="utf-8"))
    fonts = font_set(Records(records.resolve(), config))
    text = html.read_text(encoding="utf-8")
    if not warm:
        # A build makes every PDF in a forked worker (``render_pdfs``), one job here: the worker's
        # helper, its deferred collection and its exit are the build's.
        ((_, made),) = render_pdfs([(str(out), text)], fonts, records.resolve(), workers=1)
        if not isinstance(made, bytes):
            raise SystemExit(f"the PDF failed: {made}")
        out.write_bytes(made)
        return
    wall, cpu = [], []
    for _ in range(warm + 1):
        w, c = time.perf_counter(), _cpu()
        pdf = html_to_pdf(text, fonts, records.resolve())
        wall.append(time.perf_counter() - w)
        cpu.append(_cpu() - c)
    out.write_bytes(pdf)
    print(json.dumps({"wall": wall[1:], "cpu": cpu[1:], "first_wall": wall[0], "first_cpu": cpu[0]}))


def notices(records: Path, out: Path) -> None:
    """Write the print HTML of every monthly notice of ``records`` into ``out``."""
    from reportgen.compute.stats import StatsEngine
    from reportgen.render.bulletins import bulletin_info, bulletin_periods, render_bulletin_html
    from reportgen.render.environment import template_environment
    from reportgen.validate import check_repository

    checked = check_repository(records.resolve()).records
    engine = StatsEngine(checked)
    env = template_environment(None)
    out.mkdir(parents=True, exist_ok=True)
    for kind, period in bulletin_periods(checked):
        if kind == "monthly":
            info = bulletin_info(checked, kind, period, with_pdf=True)
            html = render_bulletin_html(checked, engine, info, env, "public")
            (out / f"{info.id}.html").write_text(html, encoding="utf-8")


def _page_hashes(pdf: Path) -> list[str]:
    """The MD5 of each page of ``pdf`` rasterised at 50 dpi (pdftoppm)."""
    with tempfile.TemporaryDirectory(prefix="reportgen-pages-") as tmp:
        subprocess.run(["pdftoppm", "-png", "-r", "50", str(pdf), f"{tmp}/p"], check=True)
        return [hashlib.md5(page.read_bytes()).hexdigest() for page in sorted(Path(tmp).glob("p-*.png"))]


def _cpu() -> float:
    """CPU seconds of this process and of its children waited for (the helper ``html_to_pdf`` forks)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def parts(html: Path, out: Path, records: Path) -> None:
    """The notice in one process, then in two (``pdfjoin``), twice each; compare; print the JSON line."""
    import yaml

    from reportgen.model import Records
    from reportgen.render import pdfjoin
    from reportgen.render.fonts import font_set
    from reportgen.render.pdf import html_to_pdf, warm_up

    config = yaml.safe_load((records / "config.yaml").read_text(encoding="utf-8"))
    fonts = font_set(Records(records.resolve(), config))
    warm_up(fonts)
    out.mkdir(parents=True, exist_ok=True)
    text = html.read_text(encoding="utf-8")

    def render(name: str, split_rows: int) -> dict[str, Any]:
        pdfjoin.SPLIT_ROWS = split_rows
        times, pdfs = [], []
        for _ in range(2):
            wall, cpu = time.perf_counter(), _cpu()
            pdfs.append(html_to_pdf(text, fonts, records.resolve()))
            times.append((round(time.perf_counter() - wall, 2), round(_cpu() - cpu, 2)))
        (out / name).write_bytes(pdfs[0])
        return {"wall_cpu": times, "bytes": len(pdfs[0]), "stable": pdfs[0] == pdfs[1]}

    single = render("single.pdf", sys.maxsize)
    split = render("split.pdf", 1)
    expected, got = _page_hashes(out / "single.pdf"), _page_hashes(out / "split.pdf")
    differ = [number for number, (a, b) in enumerate(zip(expected, got, strict=False), 1) if a != b]
    texts = [
        subprocess.run(["pdftotext", str(out / n), "-"], capture_output=True).stdout
        for n in ("single.pdf", "split.pdf")
    ]
    print(
        json.dumps(
            {
                "single": single,
                "split": split,
                "pages": [len(expected), len(got)],
                "pages_differ": differ,
                "text_same": texts[0] == texts[1],
            }
        )
    )


class Pipe:
    """Chrome DevTools Protocol over ``--remote-debugging-pipe`` (NUL-separated JSON on fds 3/4)."""

    def __init__(self, chromium: str, profile: Path) -> None:
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def fds() -> None:  # the browser reads commands on fd 3 and writes replies on fd 4
            read_end, write_end = os.dup(to_child_r), os.dup(from_child_w)  # free 3 and 4 first
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)

        self.proc = subprocess.Popen(
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe", "about:blank"],
            close_fds=False,  # os.pipe's ends are not inheritable (PEP 446); only 3 and 4 are passed
            preexec_fn=fds,
            stdout=subprocess.DEVNULL,
            stderr=None if os.environ.get("BENCH_CHROMIUM_LOG") else subprocess.DEVNULL,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._buffer = b""
        self._next = 0

    def _read(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            chunk = os.read(self._from_child, 1 << 20)
            if not chunk:
                raise SystemExit("chromium closed the pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        result: dict[str, Any] = json.loads(message)
        return result

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        """Send a command and wait for its reply (events before it are dropped)."""
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise SystemExit(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result

    def wait_event(self, method: str, session: str) -> None:
        """Wait for an event of ``session``."""
        while True:
            message = self._read()
            if message.get("method") == method and message.get("sessionId") == session:
                return

    def print_pdf(self, url: str) -> bytes:
        """A new tab loads ``url`` and prints it as --print-to-pdf would; the tab is closed."""
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.call("Page.enable", session)
        self.call("Page.navigate", session, url=url)
        self.wait_event("Page.loadEventFired", session)
        data = self.call(
            "Page.printToPDF", session, preferCSSPageSize=True, displayHeaderFooter=False, printBackground=False
        )["data"]
        self.call("Target.closeTarget", targetId=target)
        return base64.b64decode(data)

    def close(self) -> None:
        """Quit the browser."""
        with contextlib.suppress(SystemExit, OSError):  # it may close the pipe before it answers
            self.call("Browser.close")
        os.close(self._to_child)
        self.proc.wait(timeout=30)
        os.close(self._from_child)


def _tree_cpu(pid: int) -> float:
    """CPU seconds of ``pid`` and its descendants, including reaped children (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += sum(int(f) for f in fields[11:15]) / ticks  # utime stime cutime cstime
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        todo.extend(int(c) for c in children)
    return total


def chromium(html: Path, out: Path, warm: int) -> None:
    """Print ``html`` N+1 times in one running browser; report the last N."""
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        raise SystemExit("chromium not installed")
    with tempfile.TemporaryDirectory(prefix="reportgen-chromium-") as profile:
        pipe = Pipe(binary, Path(profile))
        try:
            wall, cpu = [], []
            for _ in range(warm + 1):
                w, c = time.perf_counter(), _tree_cpu(pipe.proc.pid)
                pdf = pipe.print_pdf(html.resolve().as_uri())
                wall.append(time.perf_counter() - w)
                cpu.append(_tree_cpu(pipe.proc.pid) - c)
        finally:
            pipe.close()
    out.write_bytes(pdf)
    print(json.dumps({"wall": wall[1:], "cpu": cpu[1:], "first_wall": wall[0], "first_cpu": cpu[0]}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("engine", choices=("weasy", "chromium", "html", "parts"))
    parser.add_argument("html", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("records", type=Path, nargs="?")
    parser.add_argument("--warm", type=int, default=0, help="render once, then time N more renders")
    args = parser.parse_args()
    if args.engine == "html":
        notices(args.html, args.out)
    elif args.engine == "parts":
        if args.records is None:
            parser.error("parts needs the records folder (for config.fonts)")
        parts(args.html, args.out, args.records)
    elif args.engine == "weasy":
        if args.records is None:
            parser.error("weasy needs the records folder (for config.fonts)")
        weasy(args.html, args.out, args.records, args.warm)
    else:
        chromium(args.html, args.out, max(args.warm, 1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
