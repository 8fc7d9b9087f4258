#!/usr/bin/env python3
"""Each second of a command's run: the CPU every process of its tree used, and what it printed meanwhile.

Where a build's time goes on two cores, second by second: which processes ran, and when a
core stood idle (the total under 2.0).  The lines the command writes to its standard error
are shown beside the second they came in (reportgen's progress lines: "校验记录……",
"生成网站……"), its warnings left out.  Read from ``/proc``: Linux only.

    .venv/bin/python bench/timeline.py -- .venv/bin/reportgen build RECORDS --out OUT --no-pdf

A process is named by its number (the last three digits) and, in the key printed at the
end, by the tail of its command line; ``ps`` cannot tell the build's forked children apart.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import IO

TICK = os.sysconf("SC_CLK_TCK")
QUIET = ("W6", "提示")  # warnings and their hints: thousands at 100,000 issues


@dataclass
class Said:
    """The command's standard error, each line with the second it came in (warnings left out)."""

    start: float
    lines: list[tuple[float, str]] = field(default_factory=list)

    def read(self, stream: IO[bytes]) -> None:
        """Take lines from ``stream`` until it ends (a thread's target)."""
        for raw in stream:
            line = raw.decode("utf-8", "replace").strip()
            if line and not any(mark in line for mark in QUIET):
                self.lines.append((time.monotonic() - self.start, line[:60]))

    def between(self, low: float, high: float) -> list[str]:
        """What came in after ``low`` seconds and up to ``high``."""
        return [line for at, line in self.lines if low < at <= high]


def cpu_of_tree(root: int) -> dict[int, int]:
    """The CPU ticks (user and system) each live process of ``root``'s tree has used so far."""
    children: dict[int, list[int]] = defaultdict(list)
    ticks: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        pid = int(name)
        children[int(fields[1])].append(pid)
        ticks[pid] = int(fields[11]) + int(fields[12])
    tree, stack = {}, [root]
    while stack:
        pid = stack.pop()
        if pid in ticks:
            tree[pid] = ticks[pid]
        stack.extend(children.get(pid, []))
    return tree


def command_tail(pid: int) -> str:
    """The last 40 characters of the process's command line ("?" once it has ended)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()[-40:]
    except OSError:
        return "?"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", nargs="+", help="the command to run (after --)")
    parser.add_argument("--every", type=float, default=1.0, help="seconds between two readings (default 1)")
    args = parser.parse_args()
    start = time.monotonic()
    child = subprocess.Popen(args.command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert child.stderr is not None
    said = Said(start)
    reader = threading.Thread(target=said.read, args=(child.stderr,), daemon=True)
    reader.start()
    before: dict[int, int] = {}
    names: dict[int, str] = {}
    last = 0.0
    while child.poll() is None:
        time.sleep(args.every)
        now = cpu_of_tree(child.pid)
        at = time.monotonic() - start
        for pid in now.keys() - names.keys():
            names[pid] = command_tail(pid)
        used = {pid: (ticks - before.get(pid, 0)) / TICK / args.every for pid, ticks in now.items()}
        before.update(now)
        shown = " ".join(f"{pid % 1000:03d}:{share:.2f}" for pid, share in sorted(used.items()) if share >= 0.05)
        notes = said.between(last, at)
        print(f"{at:6.1f} s  total {sum(used.values()):4.2f}  {shown}" + (f"  << {'; '.join(notes)}" if notes else ""))
        last = at
    reader.join()
    for pid, name in sorted(names.items()):
        print(f"{pid % 1000:03d}: {name}")
    return child.returncode


if __name__ == "__main__":
    raise SystemExit(main())
