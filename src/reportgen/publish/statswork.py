"""A cold build's statistics on two cores: a forked child works out the earlier periods while the build does the rest.

An auditor can skip this module: every figure is worked out by ``compute.stats`` as in a
serial build; this only has two processes do it.  A cold build (or one after a change
that reaches every period) asks for the statistics of every bulletin's period (for its
data hash) and of every month and quarter of the site, one after another, before the
site's work starts: about 15 CPU s on one core at 100,000 issues.

So, when nothing can be read back, the build forks once its statistics engine is made:
the periods are split by their as-of day into two shares of about equal work (a period
costs about as much as the issues raised by its end), the child works out the earlier
share (statistics and data hashes), writing each period's file in the build's
statistics folder as the build would (``StatsStore.add``), and the build the later share
meanwhile.  The build then reads the child's periods back (``readback``, as a build after
an edit does: equal statistics, the same data hash) and remembers their figures for what
it asks later.  The later share stays with the build: its days' snapshots serve the
site's lists and ledger.

A child that fails hands back nothing and the build works out its periods itself (so it
meets the failure a serial build meets); a child that ends without a word (killed by the
system) is ``StatsEnded``, and the build stops before writing anything.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
from bisect import bisect_right
from collections.abc import Sequence
from typing import BinaryIO

from reportgen import heap
from reportgen.compute.periods import Period
from reportgen.compute.persisted import PersistedEngine, StatsStore, period_entry
from reportgen.compute.readback import read_back
from reportgen.compute.results import PeriodStats
from reportgen.forked import reap
from reportgen.lang import Pair

# below this many issues one process works out every period (at 2,000 issues they take about a second)
SPLIT_FROM = 2000
# The process working out part of the statistics ended early (the system stopped it: most often memory ran short).
STATS_ENDED: Pair = (
    "计算各期统计数字的后台进程意外中止（{why}），请关闭其他程序后重新构建",
    "the process working out part of the statistics ended early ({why}): close other programs and build again",
)

Handed = list[tuple[str, str] | None]  # per period of the child's share: (its file, its data hash), None: not written


class StatsEnded(Exception):
    """The process working out part of the statistics ended without handing them back (killed by the system, …)."""

    def __init__(self, code: int | None) -> None:
        super().__init__(f"statistics worker ended early (exit code {code})")
        self.code = code


class SplitStore(StatsStore):
    """A ``StatsStore`` that also names the files this build wrote and reads back those another process wrote."""

    def written(self, period: Period) -> str | None:
        """The file this build wrote ``period``'s statistics in (None: not written)."""
        return self.made.get(period_entry(period))

    def adopt(self, period: Period, name: str, data_hash: str) -> PeriodStats | None:
        """``period``'s statistics from the file ``name`` a process of this build wrote (None: not intact).

        The file is this build's from now on (``commit`` names it), with ``data_hash``.
        """
        try:
            content = (self.folder / name).read_bytes()
            if hashlib.sha256(content).hexdigest()[:32] != name.rsplit("-", 1)[-1].removesuffix(".json"):
                return None
            stats = read_back(content)
        except (OSError, ValueError, TypeError, RecursionError):
            return None
        if stats.period != period.key or stats.as_of != period.end:
            return None
        self.made[period_entry(period)] = name
        self.hashes[name] = data_hash
        return stats


class SplitEngine(PersistedEngine):
    """A ``PersistedEngine`` that can take a period's statistics another process of the build worked out."""

    store: SplitStore

    def adopt(self, period: Period, name: str, data_hash: str) -> bool:
        """Take ``period``'s statistics from the file ``name`` (``SplitStore.adopt``); False: not intact."""
        stats = self.store.adopt(period, name, data_hash)
        if stats is None:
            return False
        self.keep(period, stats)
        return True


def splits(engine: SplitEngine) -> bool:
    """Whether the build's periods are worked out by two processes: none can be read back, two cores, a large office."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return (
        hasattr(os, "fork") and cores >= 2 and len(engine.timelines) >= SPLIT_FROM and engine.store.reuse_before is None
    )


def shares(engine: SplitEngine, periods: Sequence[Period]) -> tuple[list[Period], list[Period]]:
    """The distinct ``periods`` split by as-of day: (the earlier share, the later), of about equal work each.

    A period's work is taken as the issues raised by its end, plus one issue's worth.
    """
    ordered = sorted(set(periods), key=lambda p: (p.end, p.key))
    raised = [t.raised for t in engine.timelines]  # in raised order
    weights = [bisect_right(raised, p.end) + 1 for p in ordered]
    half, total, cut = sum(weights) / 2, 0, 0
    while cut < len(ordered) and total + weights[cut] <= half:
        total += weights[cut]
        cut += 1
    return ordered[:cut], ordered[cut:]


def work_out(engine: SplitEngine, periods: Sequence[Period]) -> None:
    """When ``splits``: work out the statistics and data hash of each of ``periods`` in two processes.

    Otherwise nothing is worked out here: the build works out each period when it first asks.
    Raises ``StatsEnded`` when the child ended without a word.
    """
    if not splits(engine):
        return
    earlier, later = shares(engine, periods)
    if not earlier or not later:
        return
    heap.give_back()  # a forked child's size starts at its parent's
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's coverage is not collected
        os.close(read)
        _child(engine, earlier, os.fdopen(write, "wb"))
    os.close(write)
    with os.fdopen(read, "rb") as source:
        try:
            for period in later:
                engine.data_hash(period)
            handed = _received(source, pid)
        finally:
            reap(pid, wait=False)
    for period, got in zip(earlier, handed or [None] * len(earlier), strict=True):
        if got is None or not engine.adopt(period, *got):
            engine.data_hash(period)  # not handed back: worked out here, as a serial build does


def _received(source: BinaryIO, pid: int) -> Handed | None:
    """What the child handed back (None: it failed); ``StatsEnded`` when it ended without a word."""
    try:
        handed = pickle.load(source)
    except (EOFError, pickle.UnpicklingError, OSError) as exc:
        raise StatsEnded(reap(pid, wait=True)) from exc
    return handed if isinstance(handed, list) else None


def _child(engine: SplitEngine, periods: list[Period], sink: BinaryIO) -> None:  # pragma: no cover - forked child
    """Work out ``periods`` and hand back each one's file and data hash (``Handed``), or None after a failure."""
    code = 1
    gc.disable()  # the build's objects stay shared: a collection would write to every page of them
    try:
        handed: Handed | None
        try:
            hashes = [engine.data_hash(period) for period in periods]
        except Exception:  # the build works them out again and meets it there
            handed = None
        else:
            names = [engine.store.written(period) for period in periods]
            handed = [None if name is None else (name, h) for name, h in zip(names, hashes, strict=True)]
        pickle.dump(handed, sink, pickle.HIGHEST_PROTOCOL)
        sink.flush()
        code = 0
    finally:
        os._exit(code)
