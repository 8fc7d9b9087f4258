"""Run one hostile case in a forked child: bounded in time, its peak memory measured, never a traceback.

``isolated(fn, *args)`` forks; the child runs ``fn`` and sends back its (picklable) result or
the traceback; the parent waits at most ``timeout`` seconds, then kills the child (a hang).
``os.wait4`` gives the child's own resource usage, so ``peak_rss_mb`` is the high-water mark
of that case alone (it starts at the parent's size at the fork: ``start_rss_mb``).

When ``REPORTGEN_RELIABILITY_LOG`` names a file, every outcome is appended to it as a JSON
line; ``scripts/reliability.py`` reads those lines to write ``docs/reliability.md``.
"""

from __future__ import annotations

import json
import os
import pickle
import select
import signal
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

LOG_ENV = "REPORTGEN_RELIABILITY_LOG"


@dataclass
class Outcome:
    """What happened to one case."""

    status: str  # "ok", "traceback" or "hang"
    value: Any
    error: str
    seconds: float
    peak_rss_mb: float
    start_rss_mb: float

    @property
    def growth_mb(self) -> float:
        """How much the child's resident memory grew above what it inherited."""
        return max(0.0, self.peak_rss_mb - self.start_rss_mb)


def _rss_mb() -> float:
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            pages = int(handle.read().split()[1])
    except (OSError, ValueError, IndexError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def isolated(fn: Callable[..., Any], *args: Any, timeout: float = 30.0) -> Outcome:
    """``fn(*args)`` in a forked child, killed after ``timeout`` seconds."""
    read_end, write_end = os.pipe()
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        code = 0
        try:
            os.close(read_end)
            start = _rss_mb()
            try:
                payload = pickle.dumps(("ok", fn(*args), "", start))
            except BaseException:  # everything, SystemExit included, is a finding
                payload = pickle.dumps(("traceback", None, traceback.format_exc(), start))
            with os.fdopen(write_end, "wb") as handle:
                handle.write(payload)
        except BaseException:
            code = 3
        finally:
            os._exit(code)
    os.close(write_end)
    chunks: list[bytes] = []
    deadline = started + timeout
    hung = False
    with os.fdopen(read_end, "rb", buffering=0) as handle:
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                hung = True
                break
            ready, _, _ = select.select([handle], [], [], left)
            if not ready:
                continue
            chunk = handle.read(1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    if hung:
        os.kill(pid, signal.SIGKILL)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - started
    peak = usage.ru_maxrss / 1024  # kilobytes on Linux
    if hung:
        return Outcome("hang", None, f"no answer within {timeout:.0f} s", seconds, peak, 0.0)
    if not chunks:
        return Outcome("traceback", None, f"child died without an answer (status {status})", seconds, peak, 0.0)
    kind, value, error, start = pickle.loads(b"".join(chunks))
    return Outcome(kind, value, error, seconds, peak, start)


def log(suite: str, case: str, outcome: Outcome, ok: bool, **extra: Any) -> None:
    """Append the outcome to the reliability log, when one is being written."""
    path = os.environ.get(LOG_ENV)
    if not path:
        return
    entry = {k: v for k, v in asdict(outcome).items() if k != "value"}
    entry.update(suite=suite, case=case, passed=ok, growth_mb=outcome.growth_mb, **extra)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, ensure_ascii=False) + "\n")


def log_event(suite: str, case: str, ok: bool, **extra: Any) -> None:
    """Append a result that did not come from ``isolated`` (kill loops, leak scans)."""
    path = os.environ.get(LOG_ENV)
    if not path:
        return
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps({"suite": suite, "case": case, "passed": ok, **extra}, ensure_ascii=False) + "\n")
