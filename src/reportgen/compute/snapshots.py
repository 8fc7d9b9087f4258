"""Every issue's state on any day, worked out incrementally: the machinery behind ``states_at``.

An auditor can skip this module: ``metrics.py`` defines every figure over plain lists of
(issue, state) pairs, and a ``Cohort`` left to itself counts them with one plain pass per
test.  This module only makes the same answers fast at 100,000 issues:

- a day's ``Snapshot`` is made from the nearest day's made so far (earlier or later),
  replaying only the issues raised between the two days, or whose state changed between
  them (an event, a rating);
- each issue's tests (``metrics.ISSUE_CHECKS``) are kept as bit flags (``FLAG``), so a
  window's counts are a ``Counter`` of flags, tallied in C, instead of one Python pass per
  figure (and every unit's counts one ``Counter`` of (unit, flags) pairs).

``tests/compute/test_sample_records.py`` holds the snapshots to a fresh replay and the
counts to a plain pass, day by day.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import chain, repeat, starmap
from operator import itemgetter, mul, or_

from reportgen.compute.metrics import (
    DATED_TESTS,
    IDENTIFIED,
    ISSUE_TESTS,
    Cohort,
    IssueTest,
    Pair,
    days_to_resolve,
    resolution_day,
)
from reportgen.compute.timeline import IssueState, IssueTimeline, work_out

FLAG = {name: 1 << bit for bit, name in enumerate(ISSUE_TESTS)}  # each test's bit in an issue's flags


def issue_tests(cohort: Cohort, dated: bool | None = None) -> list[tuple[int, IssueTest]]:
    """The tests of ``ISSUE_TESTS`` for ``cohort`` with their ``FLAG`` bits: all, or only the dated or undated ones."""
    return [
        (FLAG[name], make(cohort))
        for name, make in ISSUE_TESTS.items()
        if dated is None or (name in DATED_TESTS) == dated
    ]


def flags_of(tests: list[tuple[int, IssueTest]], t: IssueTimeline, s: IssueState) -> int:
    """The bits of the ``tests`` the issue passes (a plain loop: no list made per issue, 100,000 a snapshot)."""
    flags = 0
    for bit, test in tests:
        if test(t, s):
            flags |= bit
    return _shared(flags)


@cache
def _shared(flags: int) -> int:
    """One int object for each value of flags: a snapshot's list of them refers to a few objects, not 100,000.

    (An int above 256 is a new object of 28 bytes each time it is made: about 3 MB a
    snapshot at 100,000 issues.)
    """
    return flags


def issue_flags(cohort: Cohort, pairs: Iterable[Pair]) -> list[int]:
    """Each issue's flags: the bits (``FLAG``) of the tests it passes, as of ``cohort.as_of``."""
    tests = issue_tests(cohort)
    return [flags_of(tests, t, s) for t, s in pairs]


@cache
def passed(flags: int) -> tuple[str, ...]:
    """The names of the tests whose bits are set in ``flags``."""
    return tuple(name for name, bit in FLAG.items() if flags & bit)


def count_flags(tally: Mapping[int, int]) -> dict[str, int]:
    """How many issues there are (``IDENTIFIED``) and pass each test, from how many have each flags.

    The tally is a ``Counter``, made in C.  An office's issues have few distinct flags, so
    this is quick whatever their number.
    """
    counts = {IDENTIFIED: sum(tally.values()), **dict.fromkeys(ISSUE_TESTS, 0)}
    for flags, n in tally.items():
        for name in passed(flags):
            counts[name] += n
    return counts


# An issue as of a day, apart from the tests that look at the day itself: (issue and
# state, flags of the undated tests, days to resolve, day of resolution, level).
Facts = tuple[Pair, int, int | None, dt.date | None, str]


@dataclass(frozen=True)
class Snapshot:
    """Every issue raised on or before one day, in raised order, as the statistics see it that day.

    The lists are in timeline order: entry i is about the i-th timeline.  What is asked
    for rarely (days to resolve, levels) is read from ``facts`` when asked, not kept twice:
    a snapshot of 100,000 issues is kept for every month end a build looks at.
    """

    day: dt.date
    facts: list[Facts]  # what does not change while the issue's state does not
    pairs: list[Pair]  # each issue with its state on the day
    flags: list[int]  # the tests of ISSUE_TESTS each issue passes, as FLAG bits
    resolved_on: list[dt.date]  # the days the resolved ones were resolved on, sorted

    def days(self, lo: int = 0) -> list[int]:
        """Days to resolve of the resolved issues from entry ``lo`` on, in order."""
        return [d for d in map(itemgetter(2), self.facts[lo:]) if d is not None]

    def levels(self, lo: int = 0) -> list[str]:
        """Each issue's level on the day, from entry ``lo`` on."""
        return list(map(itemgetter(4), self.facts[lo:]))


class Snapshots:
    """The snapshot of any day, each made from the nearest one made before it (memoised)."""

    def __init__(self, timelines: Sequence[IssueTimeline], context: Callable[[dt.date], Cohort]) -> None:
        """``timelines`` in raised order; ``context(day)`` gives the cohort the tests of ``day`` are made for."""
        self.timelines = timelines
        self.context = context
        self._made: dict[dt.date, Snapshot] = {}
        self._raised: list[dt.date] = []  # ``_changes``, when the first snapshot is made
        self._change_days: list[dt.date] = []
        self._changed: list[int] = []

    def _changes(self) -> None:
        """The days the issues were raised on, and every day on which an issue's state changes with its index.

        The changes (an event, its rating) are gathered by day (a few hundred days) rather than
        sorted as pairs (half a million at 100,000 issues).  Worked out when the first snapshot
        is asked for: every timeline's history is read then (after an edit, often never).
        """
        work_out(self.timelines)
        self._raised = [t.raised for t in self.timelines]
        by_day: dict[dt.date, list[int]] = {}
        for i, t in enumerate(self.timelines):
            for day in t.dates:
                by_day.setdefault(day, []).append(i)
            if t.rating_date is not None:
                by_day.setdefault(t.rating_date, []).append(i)
        days = sorted(by_day)
        self._change_days = [day for day in days for _ in by_day[day]]
        self._changed = list(chain.from_iterable(map(by_day.__getitem__, days)))  # each day's in index order

    def states_at(self, day: dt.date) -> list[Pair]:
        """Every issue raised on or before ``day`` with its state then, in raised order."""
        return self.at(day).pairs

    def at(self, day: dt.date) -> Snapshot:
        """Every issue raised by ``day`` with its state, tests passed and days to resolve then (memoised).

        Made from the snapshot of the nearest day made so far, earlier or later, when there
        is one: only the issues raised between the two days, or whose state changed between
        them, are replayed and tested again (about a fifth of an office's issues a month);
        the tests that look at the day itself are run for every issue.
        """
        if day in self._made:
            return self._made[day]
        if not self._made:
            self._changes()
        upto = bisect_right(self._raised, day)
        base = min(self._made, key=lambda d: abs(d - day), default=None)
        facts = self._made[base].facts[:upto] if base else []  # a later day's: cut to the issues raised by now
        context = self.context(day)
        undated = issue_tests(context, dated=False)
        if base:
            first, last = sorted((base, day))
            between = self._changed[bisect_right(self._change_days, first) : bisect_right(self._change_days, last)]
            for i in {i for i in between if i < len(facts)}:
                facts[i] = _facts(self.timelines[i], day, undated)
        facts += [_facts(t, day, undated) for t in self.timelines[len(facts) : upto]]
        pairs: list[Pair] = list(map(itemgetter(0), facts))
        flags: list[int] = list(map(itemgetter(1), facts))
        for bit, test in issue_tests(context, dated=True):  # test by test, driven from C: True * bit is bit
            flags = list(map(or_, flags, map(mul, starmap(test, pairs), repeat(bit))))
        flags = list(map(_shared, flags))
        snapshot = Snapshot(
            day=day,
            facts=facts,
            pairs=pairs,
            flags=flags,
            resolved_on=sorted(filter(None, map(itemgetter(3), facts))),
        )
        self._made[day] = snapshot
        return snapshot


def _facts(t: IssueTimeline, day: dt.date, undated: list[tuple[int, IssueTest]]) -> Facts:
    s = t.state_at(day)
    return (t, s), flags_of(undated, t, s), days_to_resolve(t, s), resolution_day(t, s), s.level
