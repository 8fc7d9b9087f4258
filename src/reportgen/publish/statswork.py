"""A cold build's statistics on two cores: a forked child works out the earlier periods while the build does the rest.

An auditor can skip this module: every figure is worked out by ``compute.stats`` as in a
serial build; this only has two processes do it.  A cold build (or one after a change
that reaches every period) asks for the statistics of every bulletin's period (for its
data hash) and of every month and quarter of the site, one after another, before the
site's work starts: about 15 CPU s on one core at 100,000 issues.

So, when nothing can be read back, the build forks once its statistics engine is made,
before its own work that needs no statistics (dating the changed files, keeping the
timelines and views for the next build: ``meanwhile``, ~4 CPU s at 100,000 issues).  The
periods are grouped by their as-of day; the child works out the earliest days' in order,
the build, once its own work is done, the latest days' it finds the child has not reached,
and then both take the days left, the child from the front and the build from the back
(``Claims``), so neither waits for the other.  The child writes each period's file in the
build's statistics folder as the build would (``StatsStore.add``).  The build then reads
the child's periods back (``readback``, as a build after an edit does: equal statistics,
the same data hash) and remembers their figures for what it asks later.  The latest days
stay with the build: their snapshots serve the site's lists and ledger.

A child that fails hands back nothing and the build works out its periods itself (so it
meets the failure a serial build meets); a child that ends without a word (killed by the
system) is ``StatsEnded``, and the build stops before writing anything.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import gc
import hashlib
import os
import pickle
import struct
import tempfile
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from typing import BinaryIO

from reportgen import heap
from reportgen.compute.periods import Period
from reportgen.compute.persisted import PersistedEngine, StatsStore, period_entry
from reportgen.compute.readback import read_back
from reportgen.compute.results import PeriodStats
from reportgen.forked import cores, reap
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
    return (
        hasattr(os, "fork")
        and cores() >= 2
        and len(engine.timelines) >= SPLIT_FROM
        and engine.store.reuse_before is None
    )


def day_groups(periods: Sequence[Period]) -> list[list[Period]]:
    """The distinct ``periods`` grouped by as-of day, the days in order (periods ending on one day share its work)."""
    by_day: dict[dt.date, list[Period]] = {}
    for period in sorted(set(periods), key=lambda p: (p.end, p.key)):
        by_day.setdefault(period.end, []).append(period)
    return list(by_day.values())


class Claims:
    """Which process works out each of ``count`` groups of periods (by day, in order).

    The child works out the first group and then takes the next ones from the front, one at a
    time.  The build, once its own work (``meanwhile``) is done, takes the later groups the
    child has not reached, of at most half the work left (at least the last group: ``start``),
    works them out in order, and then takes groups from the back, until the two meet.  So
    neither waits for the other, however long the build's own work took; and each process's
    snapshots are made from its previous day's (``compute.snapshots``), as a serial build's are.

    The two places are kept in ``fd``, a file the processes share (unnamed: it leaves nothing
    behind), changed under a lock the system lets go of when its process ends (``fcntl.lockf``):
    a child killed while holding it does not stop the build.
    """

    _PLACES = struct.Struct("=ii")  # the child's next group, the build's first

    def __init__(self, fd: int, count: int) -> None:
        self.fd = fd
        self._write(1, count - 1)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[tuple[int, int]]:
        """The two places, read under the lock (held until the block ends)."""
        fcntl.lockf(self.fd, fcntl.LOCK_EX)
        try:
            places: tuple[int, int] = self._PLACES.unpack(os.pread(self.fd, self._PLACES.size, 0))
            yield places
        finally:
            fcntl.lockf(self.fd, fcntl.LOCK_UN)

    def _write(self, first: int, last: int) -> None:
        os.pwrite(self.fd, self._PLACES.pack(first, last), 0)

    def start(self, work: Sequence[int]) -> int:
        """The build's first group: of those the child has not taken, the later ones of at most half their ``work``
        (each group's), and at least the last; the build has them all.
        """
        with self._locked() as (first, last):
            half = sum(work[first:]) / 2
            while last > first and sum(work[last - 1 :]) <= half:
                last -= 1
            self._write(first, last)
            return last

    def take(self, front: bool) -> int | None:
        """The next group from the ``front`` (the child's) or from the back (the build's); None: they met."""
        with self._locked() as (first, last):
            if first >= last:
                return None
            if front:
                self._write(first + 1, last)
                return first
            self._write(first, last - 1)
            return last - 1


def work_out(engine: SplitEngine, periods: Sequence[Period], meanwhile: Callable[[], None] | None = None) -> None:
    """Call ``meanwhile`` (the build's own work) and settle ``engine``; when ``splits``, the child works out periods
    meanwhile: the statistics and data hash of each of ``periods`` are worked out by two processes.

    Otherwise no period is worked out here: the build works out each one when it first asks.
    Raises ``StatsEnded`` when the child ended without a word.
    """
    groups = day_groups(periods)
    if not splits(engine) or len(groups) < 2:
        if meanwhile is not None:
            meanwhile()
        engine.settle()
        return
    heap.give_back()  # a forked child's size starts at its parent's
    with tempfile.TemporaryFile() as shared:
        claims = Claims(shared.fileno(), len(groups))
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child's coverage is not collected
            os.close(read)
            _child(engine, groups, claims, os.fdopen(write, "wb"))
        os.close(write)
        with os.fdopen(read, "rb") as source:
            try:
                if meanwhile is not None:
                    meanwhile()
                engine.settle()
                first = _work_out_later(engine, groups, claims)
                handed = _received(source, pid)
            finally:
                reap(pid, wait=False)
    earlier = [period for group in groups[:first] for period in group]
    for period, got in zip(earlier, handed or [None] * len(earlier), strict=True):
        if got is None or not engine.adopt(period, *got):
            engine.data_hash(period)  # not handed back: worked out here, as a serial build does


def _work(engine: SplitEngine, groups: list[list[Period]]) -> list[int]:
    """Each group's work: a period's is taken as the issues raised by its end, plus one issue's worth."""
    raised = [t.raised for t in engine.timelines]  # in raised order
    return [sum(bisect_right(raised, p.end) + 1 for p in group) for group in groups]


def _work_out_later(engine: SplitEngine, groups: list[list[Period]], claims: Claims) -> int:
    """Work out the build's groups (``Claims``); the first of them."""
    first = claims.start(_work(engine, groups))
    for group in groups[first:]:
        for period in group:
            engine.data_hash(period)
    while (taken := claims.take(front=False)) is not None:
        first = taken
        for period in groups[first]:
            engine.data_hash(period)
    return first


def _received(source: BinaryIO, pid: int) -> Handed | None:
    """What the child handed back (None: it failed); ``StatsEnded`` when it ended without a word."""
    try:
        handed = pickle.load(source)
    except (EOFError, pickle.UnpicklingError, OSError) as exc:
        raise StatsEnded(reap(pid, wait=True)) from exc
    return handed if isinstance(handed, list) else None


def _worked_out(engine: SplitEngine, period: Period) -> tuple[str, str] | None:
    """Work out ``period``'s statistics and data hash: its file and data hash (None: its file was not written)."""
    data_hash = engine.data_hash(period)
    name = engine.store.written(period)
    return None if name is None else (name, data_hash)


def _child(
    engine: SplitEngine, groups: list[list[Period]], claims: Claims, sink: BinaryIO
) -> None:  # pragma: no cover - forked child
    """Work out the first of ``groups`` and those taken from the front after it, and hand back each of their periods'
    file and data hash (``Handed``), or None after a failure.
    """
    code = 1
    gc.disable()  # the build's objects stay shared: a collection would write to every page of them
    try:
        handed: Handed | None
        done: Handed = []
        taken: int | None = 0
        try:
            while taken is not None:
                done += [_worked_out(engine, period) for period in groups[taken]]
                taken = claims.take(front=True)
        except Exception:  # the build works them out again and meets it there
            handed = None
        else:
            handed = done
        pickle.dump(handed, sink, pickle.HIGHEST_PROTOCOL)
        sink.flush()
        code = 0
    finally:
        os._exit(code)
