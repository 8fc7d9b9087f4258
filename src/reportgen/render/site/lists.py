"""The records behind every number: which issues, visits, enterprises or legal services a figure counts.

Each list is a window of days (a month, or cumulative up to a month's end), an optional
unit (a department or a team) and a metric key.  The tests hold each list's length to the
figure ``compute.metrics`` gives for the same window, so a list cannot drift from its
number.  The predicates reuse the metric module's own helpers wherever it has them.
"""

from __future__ import annotations

import datetime as dt
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from reportgen.compute.metrics import (
    CHECKS,
    IDENTIFIED,
    ISSUE_CHECKS,
    ISSUE_TESTS,
    LEGAL_METRICS,
    METRICS,
    METRICS_BY_KEY,
    Cohort,
    IssueTest,
    Pair,
    list_key,
)
from reportgen.compute.snapshots import count_flags
from reportgen.compute.stats import StatsEngine
from reportgen.compute.timeline import IssueTimeline
from reportgen.model import Record, Records
from reportgen.render.site.keptanswers import KeptAnswers
from reportgen.schema.kinds import LEGAL_KINDS

T = TypeVar("T")


def _always(c: Cohort) -> IssueTest:
    return lambda t, s: True


# key → (Chinese title, test factory): every issue of the window, and the issues passing each
# named test of the metric registry (metrics.ISSUE_CHECKS)
ISSUE_LISTS: dict[str, tuple[str, Callable[[Cohort], IssueTest]]] = {
    list_key(IDENTIFIED): (METRICS_BY_KEY[list_key(IDENTIFIED)].zh, _always),
    **{list_key(c.name): (c.title, c.make) for c in ISSUE_CHECKS},
}
RESOLVED_DURING = "issues_resolved_during"
# The issue lists whose length a cohort counts anyway: list key → its test in
# metrics.ISSUE_TESTS (None: every issue of the window).  The list and the test are the
# same question; tests/site/test_lists.py holds every count to its list's length.
COUNTED_BY_TEST: dict[str, str | None] = {
    list_key(IDENTIFIED): None,
    **{list_key(name): name for name in ISSUE_TESTS},
}
# rate or average → (numerator list, denominator list or None), from the registry's counts and over
DERIVED: dict[str, tuple[str, str | None]] = {
    m.key: (list_key(m.counts), list_key(m.over) if m.over else None)
    for m in METRICS
    if m.counts and (m.is_rate or m.unit == "天")
}
ENTERPRISE_LISTS = ("enterprises_in_library", "enterprises_joined", "enterprises_visited")
LEGAL_KEYS: dict[str, str] = {m.key: word for m, word in zip(LEGAL_METRICS, LEGAL_KINDS, strict=True)}
LEGAL_ENTRY = "项"  # the measure word of an entry of the legal services' ledger


@dataclass(frozen=True)
class Window:
    """A span of days a figure covers: one month, or cumulative from the campaign start."""

    key: str  # "2021-09" for the month, "cum-2021-09" for cumulative to the month's end
    name: str  # how a heading names it
    start: dt.date
    as_of: dt.date


@dataclass(frozen=True)
class Unit:
    """A department (by lead department) or a team (by the enterprise's team)."""

    kind: str  # "department" or "team"
    id: str
    name: str


@dataclass(frozen=True)
class ListKey:
    """Identifies one list page."""

    unit: Unit | None
    window: Window
    metric: str

    @property
    def path(self) -> str:
        """Where the page goes, relative to the site root."""
        return f"lists/{self.unit.id if self.unit else 'all'}/{self.window.key}/{self.metric}.html"

    def values(self) -> tuple[object, ...]:
        """Everything the key holds, as plain values: what a page's key (``pagekeys.digest``) reads of it.

        A digest of plain values costs a fifth of one of the dataclasses (3,496 lists at 100,000 issues).
        """
        unit, window = self.unit, self.window
        named = None if unit is None else (unit.kind, unit.id, unit.name)
        return (named, window.key, window.name, window.start, window.as_of, self.metric)


def list_title(metric: str) -> str:
    """The Chinese name of what a list holds."""
    if metric in ISSUE_LISTS:
        return ISSUE_LISTS[metric][0]
    if metric == "visits":
        return "走访记录"
    return METRICS_BY_KEY[metric].zh


def list_unit(metric: str) -> str:
    """The measure word of a list's records: an issue list's is 梳理问题's (件); a list of visits or enterprises
    counts them in its figure's own (次, 家); a list of legal services counts entries (项), its figure adding
    up their numbers in its own unit (场次, 元)."""
    if metric in ISSUE_LISTS or metric == RESOLVED_DURING:
        return METRICS_BY_KEY[list_key(IDENTIFIED)].unit
    return LEGAL_ENTRY if metric in LEGAL_KEYS else METRICS_BY_KEY[metric].unit


def list_definition(metric: str) -> str:
    """What places a record in the list, from the registry's own definition."""
    check = COUNTED_BY_TEST.get(metric)
    if check is not None:
        return f"期内提出的问题中，{CHECKS[check].definition}"
    return METRICS_BY_KEY[metric].numerator


# Lists longer than this are not written as pages of their own (at 100,000 issues the
# pages behind every figure of every month would run to gigabytes); their figures link
# to the ledger, which can be sorted, filtered and downloaded.
LIST_ROWS_MAX = 2000
SMALL_OFFICE_ISSUES = 5000


_UNKNOWN = object()  # no answer kept (``ListIndex._answer``)


def _place(unit: Unit | None, window: Window) -> tuple[str | None, str | None, str]:
    """A unit and window as an answer's key names them: the unit's kind and id, the window's key.

    With the figures' inputs (``ListIndex.remember``) they fix the unit's records and the window's days.
    """
    return (unit.kind, unit.id, window.key) if unit is not None else (None, None, window.key)


def _sliced(cohort: Cohort, pairs: list[Pair], lo: int) -> bool:
    """Whether the cohort's issues are the snapshot's ``pairs`` from ``lo`` (raised by its end: all of them)."""
    return cohort.all_issues is pairs and (not cohort.issues or cohort.issues[0] is pairs[lo])


class ListIndex:
    """Finds the records behind a figure and remembers every list a page links to."""

    def __init__(self, records: Records, engine: StatsEngine, latest_month: str | None = None) -> None:
        self.records = records
        self.engine = engine
        # A large office links a unit's figures only for the latest month: every month of
        # every unit would mean tens of thousands of list pages.
        self.unit_windows = (
            {latest_month, f"cum-{latest_month}"}
            if latest_month and len(records.issues) > SMALL_OFFICE_ISSUES
            else None
        )
        self._cohorts: dict[tuple[dt.date, dt.date], Cohort] = {}
        self._unit_cohorts: dict[tuple[dt.date, dt.date, str], dict[str, Cohort]] = {}
        self._items: dict[tuple[str | None, str, str], list[Any]] = {}
        self._indices: dict[str, dict[str | None, list[int]]] = {}
        self.wanted: dict[str, ListKey] = {}
        self.known = KeptAnswers()  # the last build's answers (``remember``)
        self.answers: dict[tuple[Any, ...], Any] = {}  # this build's, asked or made: kept with ``known`` for the next
        self._linked: list[ListKey] | None = None  # the lists linked to while ``linking`` makes a value
        self._places: dict[str, int] | None = None  # each issue's place among the timelines (``_positions``)

    def remember(self, known: KeptAnswers) -> None:
        """Take the answers a build made from the same figures' inputs (``builder.figures_key``).

        Every figure, count and window's place in the snapshot is a function of what the
        statistics see (each issue's view, every other record, the settings): a build that
        sees the same finds them here, and no snapshot is made for a page that is kept.
        They all hold for the next build too, asked in this one or not (a page kept now may
        be made then): the page store keeps ``answers`` with them (``KeptAnswers.merged``).
        """
        self.known = known

    def _answer(self, key: tuple[Any, ...], make: Callable[[], Any]) -> Any:
        """``make()``, or the last build's answer to ``key``; kept for the next build either way.

        A key names its unit and window by their keys (``_place``): plain strings, looked up
        at C speed (tens of thousands of answers at 100,000 issues, asked again on every build).
        """
        value = self.known.get(key, _UNKNOWN)
        if value is _UNKNOWN:
            value = make()
        self.answers[key] = value
        return value

    def linking(self, key: tuple[Any, ...], make: Callable[[], T]) -> T:
        """``make()``, whose figures link to lists, or the value it gave the last build with the same figures.

        The value and the lists it linked to are an answer (``remember``): when it is known,
        those lists are linked to again and nothing is worked out (each unit page of a large
        office links its latest month's figures: some fifteen figures and counts a unit).
        """
        answer: tuple[T, tuple[ListKey, ...]] | None = self.known.get(("linking", *key))
        if answer is None:
            outer, self._linked = self._linked, []
            try:
                value = make()
            finally:
                linked, self._linked = self._linked, outer
            answer = (value, tuple(linked))
            if outer is not None:
                outer.extend(linked)
        else:
            for list_key in answer[1]:
                self._link(list_key)
        self.answers[("linking", *key)] = answer
        return answer[0]

    def _link(self, key: ListKey) -> None:
        """Register the list page ``key`` for rendering (and for the value ``linking`` is making)."""
        self.wanted.setdefault(key.path, key)
        if self._linked is not None:
            self._linked.append(key)

    def cohort(self, unit: Unit | None, window: Window) -> Cohort:
        """The window's cohort, narrowed to the unit's issues (and nothing else) for a unit."""
        key = (window.start, window.as_of)
        if unit is not None:
            by_unit = self._unit_cohorts.setdefault((*key, unit.kind), {})
            if unit.id not in by_unit:  # each unit when first asked: after a change, one unit's page is made
                own = self._own_cohort(unit, window)
                by_unit.update({unit.id: own} if own is not None else self._split(self.cohort(None, window), unit))
            return by_unit[unit.id]
        if key not in self._cohorts:
            self._cohorts[key] = self.engine.cohort(window.start, window.as_of)
        return self._cohorts[key]

    def _own_cohort(self, unit: Unit, window: Window) -> Cohort | None:
        """The unit's cohort from its own issues' states, when the last build knew the window's place (else None).

        After an edit the figures are the last build's (``remember``) and only the lists
        that show the edited issue are made again: a unit's list then needs the states of
        the unit's issues, not a snapshot of every issue (a whole office's at 100,000).  The
        snapshot's entry i is the engine's i-th timeline and its state on the day
        (``_with_states``).
        """
        bounds = self._kept_bounds(window)
        if bounds is None:
            return None
        lo, upto = bounds
        indices = self._unit_indices(unit.kind).get(unit.id, [])
        end = bisect_left(indices, upto)
        start = bisect_left(indices, lo, 0, end)
        return self._with_states(window, list(map(self.engine.timelines.__getitem__, indices[:end])), start)

    def forget_unit(self, unit: Unit, keep: Iterable[Window]) -> None:
        """Let go of the unit's cohorts of every window but ``keep`` once its page is made.

        Only in a large office, where no list page of a unit is of another window
        (``unit_windows``): at 100,000 issues the cohorts of every unit and month held ~35 MB.
        """
        if self.unit_windows is None:
            return
        kept = {(window.start, window.as_of) for window in keep}
        for key, by_unit in self._unit_cohorts.items():
            if key[:2] not in kept and key[2] == unit.kind:
                by_unit.pop(unit.id, None)

    def candidates(self, unit: Unit | None, window: Window, every: bool) -> tuple[list[int] | None, int, int] | None:
        """Where the issues a list of the window (and unit) is picked from are among the engine's timelines.

        ``(scope, lo, hi)``: they are ``scope[lo:hi]``, ``scope`` the indices of the unit's
        timelines (None: every timeline's, in order); ``every``: the issues raised by the
        window's end (``RESOLVED_DURING``), else those raised in it.  None when the window's
        cohort is not a slice of the engine's snapshot.
        """
        bounds = self._answer(("bounds", window.key), lambda: self._bounds(window))
        if bounds is None:
            return None
        lo, upto = bounds
        if unit is None:
            return None, 0 if every else lo, upto
        indices = self._unit_indices(unit.kind).get(unit.id, [])
        end = bisect_left(indices, upto)
        return indices, 0 if every else bisect_left(indices, lo, 0, end), end

    def _kept_bounds(self, window: Window) -> tuple[int, int] | None:
        """The window's place in the snapshot as the last build kept it (None: not kept), kept for the next build."""
        known = self.known.get(("bounds", window.key))
        return None if known is None else self._answer(("bounds", window.key), lambda: known)

    def _bounds(self, window: Window) -> tuple[int, int] | None:
        """Where the issues raised in the window, and by its end, end among the snapshot's (None: not a slice)."""
        cohort = self.cohort(None, window)
        pairs = self.engine.snapshot(cohort.as_of).pairs
        upto = len(pairs)
        lo = upto - len(cohort.issues)
        return (lo, upto) if _sliced(cohort, pairs, lo) else None

    def _raised_in(self, window: Window, every: bool) -> Cohort | None:
        """The issues raised in the window (``every``: by its end) with their states at its end, for one list.

        For a list of issues that pass a test (``ISSUE_LISTS``), whose test looks at the
        cohort's day and settings, not at its other issues (the engine tests a snapshot with
        an empty cohort), or of those resolved in the window (``every``): after an edit a
        month's list is made again from the states of the issues it is picked from, not from
        a snapshot of every issue.  Without ``every`` its ``all_issues`` are the window's
        issues alone: it serves that list and is not kept as the window's cohort.  None when
        the cohort is made already, or the window's place in the snapshot is not known.
        """
        if (window.start, window.as_of) in self._cohorts:
            return None
        bounds = self._kept_bounds(window)
        if bounds is None:
            return None
        lo, upto = bounds
        if every:
            return self._with_states(window, self.engine.timelines[:upto], lo)
        return self._with_states(window, self.engine.timelines[lo:upto], 0)

    def _with_states(self, window: Window, timelines: list[IssueTimeline], lo: int) -> Cohort:
        """The window's cohort of ``timelines`` (raised in it from ``lo``), states at its end, no other record.

        A snapshot's entry i is the engine's i-th timeline with its state on the day
        (``compute.snapshots``): these are the same pairs; their counts are the tests run over them.
        """
        day, engine = window.as_of, self.engine
        pairs = [(t, t.state_at(day)) for t in timelines]
        satisfied = engine.satisfied
        return Cohort(window.start, day, pairs[lo:], pairs, [], [], [], engine.counter, engine.response_days, satisfied)

    def _split(self, cohort: Cohort, unit: Unit) -> dict[str, Cohort]:
        """The window's cohort of the department or team (of every unit of its kind, where that is no dearer)."""
        # The engine's cohorts are slices of its snapshot of the as-of day, whose entry i is
        # about the engine's i-th timeline and knows the tests the issue passes (they do not
        # depend on the window's start).  A unit's cohort is then picked out by the indices
        # of its timelines, and its counts are a tally of their flags: no test is run again
        # and no Python loop runs over every issue per window (most of the unit pages' time
        # at 100,000 issues).
        snapshot = self.engine.snapshot(cohort.as_of)
        pairs, flags, upto = snapshot.pairs, snapshot.flags, len(snapshot.pairs)
        lo = upto - len(cohort.issues)
        empty = replace(cohort, issues=[], all_issues=[], visits=[], enterprises=[], legal=[])
        if not _sliced(cohort, pairs, lo):
            return {unit.id: empty, **self._split_slowly(cohort, self._unit_of(unit.kind))}
        indices = self._unit_indices(unit.kind).get(unit.id, [])
        end = bisect_left(indices, upto)
        if end == 0:
            return {unit.id: empty}
        start = bisect_left(indices, lo, 0, end)
        part = replace(
            cohort,
            issues=list(map(pairs.__getitem__, indices[start:end])),
            all_issues=list(map(pairs.__getitem__, indices[:end])),
            visits=[],
            enterprises=[],
            legal=[],
        )
        return {unit.id: part.preset(counts=count_flags(Counter(map(flags.__getitem__, indices[start:end]))))}

    def share_indices(self, by_unit: dict[tuple[str, str | None], list[int]]) -> None:
        """Take the indices of the engine's timelines by ``(kind, unit)`` as ``_unit_indices`` finds them.

        The site's builder groups the ledger's lines by unit, and when the ledger holds every
        timeline its positions are their indices: the same pass need not run twice.
        """
        for (kind, unit_id), indices in by_unit.items():
            self._indices.setdefault(kind, {})[unit_id] = indices

    def _unit_indices(self, kind: str) -> dict[str | None, list[int]]:
        """The indices of the engine's timelines by the unit of ``kind`` they count under, ascending."""
        if kind not in self._indices:
            unit_of = self._unit_of(kind)
            by_unit: dict[str | None, list[int]] = {}
            for i, t in enumerate(self.engine.timelines):
                by_unit.setdefault(unit_of(t), []).append(i)
            self._indices[kind] = by_unit
        return self._indices[kind]

    def _split_slowly(self, cohort: Cohort, unit_of: Callable[[IssueTimeline], str | None]) -> dict[str, Cohort]:
        """``_split`` for a cohort that is not a slice of the engine's snapshot."""
        issues: dict[str | None, list[Pair]] = {}
        everything: dict[str | None, list[Pair]] = {}
        for pair in cohort.issues:
            issues.setdefault(unit_of(pair[0]), []).append(pair)
        for pair in cohort.all_issues:
            everything.setdefault(unit_of(pair[0]), []).append(pair)
        return {
            unit: replace(cohort, issues=issues.get(unit, []), all_issues=pairs, visits=[], enterprises=[], legal=[])
            for unit, pairs in everything.items()
            if unit is not None
        }

    def _unit_of(self, kind: str) -> Callable[[IssueTimeline], str | None]:
        if kind == "department":
            return lambda t: t.lead_department
        return lambda t: self.engine.team_of.get(t.enterprise)

    def figure(self, unit: Unit | None, window: Window, metric: str) -> Any:
        """The metric's value for the window (the same computation the statistics use)."""
        return self._answer(("figure", *_place(unit, window), metric), lambda: self._figure(unit, window, metric))

    def _figure(self, unit: Unit | None, window: Window, metric: str) -> Any:
        if metric in LEGAL_KEYS:
            return next(m for m in LEGAL_METRICS if m.key == metric).compute(self.cohort(unit, window))
        return METRICS_BY_KEY[metric].compute(self.cohort(unit, window))

    def items(self, unit: Unit | None, window: Window, metric: str) -> list[Any]:
        """The records a count covers: issue pairs, visit, enterprise or legal records (memoised)."""
        key = (unit.id if unit else None, window.key, metric)
        if key not in self._items:
            self._items[key] = self._find(unit, window, metric)
        return self._items[key]

    def forget(self, key: ListKey) -> None:
        """Let go of a list's records once its page is made (found again if a figure asks for them)."""
        self._items.pop((key.unit.id if key.unit else None, key.window.key, key.metric), None)

    def count(self, unit: Unit | None, window: Window, metric: str) -> int:
        """How many records ``items`` holds, without listing them when the cohort has counted them."""
        return int(self._answer(("count", *_place(unit, window), metric), lambda: self._count(unit, window, metric)))

    def _count(self, unit: Unit | None, window: Window, metric: str) -> int:
        key = (unit.id if unit else None, window.key, metric)
        if key not in self._items and metric in COUNTED_BY_TEST:
            cohort = self.cohort(unit, window)
            test = COUNTED_BY_TEST[metric]
            return len(cohort.issues) if test is None else cohort.count(test)
        return len(self.items(unit, window, metric))

    def _find(self, unit: Unit | None, window: Window, metric: str) -> list[Any]:
        if metric in ISSUE_LISTS or metric == RESOLVED_DURING:
            return self._issues(unit, window, metric)
        cohort = self.cohort(unit, window)
        if metric == "visits":
            return list(cohort.visits)
        if metric in ENTERPRISE_LISTS:
            return self._enterprises(cohort, metric)
        if metric in LEGAL_KEYS:
            return [r for r in cohort.legal if r["kind"] == LEGAL_KEYS[metric]]
        raise KeyError(metric)

    def _issues(self, unit: Unit | None, window: Window, metric: str) -> list[Pair]:
        """The issues of an issue list with their states at the window's end; from the last build's members if kept.

        Which issues a list holds is a function of what the figures are worked out from, as
        its count is (``remember``): the last build's members (their places among the
        engine's timelines) need only their own states, not those of every issue the list is
        picked from (after an edit the office's lists of the issues resolved in a month read
        the state of every issue raised by its end).
        """
        answer = ("members", *_place(unit, window), metric)
        members = self.known.get(answer)
        if members is not None:
            timelines, day = self.engine.timelines, window.as_of
            pairs = [(t, t.state_at(day)) for t in map(timelines.__getitem__, members)]
        else:
            pairs = self._picked(unit, window, metric)
            members = array("i", sorted(map(self._positions().__getitem__, (t.id for t, _ in pairs))))
        self.answers[answer] = members
        return pairs

    def members(self, unit: Unit | None, window: Window, metric: str) -> list[IssueTimeline] | None:
        """The issues of an issue list as the last build's answer names them, without their states (None: not known).

        A list page is keyed by its issues' files (``RowInputs``): one kept by that key
        needs no state of any of them (after a title edit at 100,000 issues, the office's
        lists of the issues resolved in each later month: thousands of states).
        """
        answer = ("members", *_place(unit, window), metric)
        members = self.known.get(answer)
        if members is None:
            return None
        self.answers[answer] = members
        return list(map(self.engine.timelines.__getitem__, members))

    def _picked(self, unit: Unit | None, window: Window, metric: str) -> list[Pair]:
        """An issue list's issues picked from its window's (and unit's) cohort."""
        every = metric == RESOLVED_DURING
        cohort = (self._raised_in(window, every) if unit is None else None) or self.cohort(unit, window)
        if every:
            return [p for p in cohort.all_issues if p[1].is_resolved and cohort.in_window(p[1].resolved_on)]
        test = ISSUE_LISTS[metric][1](cohort)
        return [p for p in cohort.issues if test(*p)]

    def _positions(self) -> dict[str, int]:
        """Each issue's place among the engine's timelines, by id (made once)."""
        if self._places is None:
            self._places = {t.id: i for i, t in enumerate(self.engine.timelines)}
        return self._places

    def _enterprises(self, cohort: Cohort, metric: str) -> list[Record]:
        if metric == "enterprises_in_library":
            return [e for e in cohort.enterprises if e.get("left") is None or e["left"] >= cohort.as_of]
        if metric == "enterprises_joined":
            return [e for e in cohort.enterprises if cohort.in_window(e.get("joined"))]
        visited = {v["enterprise"] for v in cohort.visits}
        return sorted((self.records.enterprises[e] for e in visited), key=lambda r: r.id)

    def href(self, unit: Unit | None, window: Window, metric: str) -> str | None:
        """The list page behind a figure (registered for rendering), or None when it lists nothing."""
        if metric in DERIVED:
            numerator, denominator = DERIVED[metric]
            return self.href(unit, window, numerator) or (self.href(unit, window, denominator) if denominator else None)
        if unit is not None and self.unit_windows is not None and window.key not in self.unit_windows:
            return None
        count = self.count(unit, window, metric)
        if not count:
            return None
        if count > LIST_ROWS_MAX and metric not in ENTERPRISE_LISTS and metric not in LEGAL_KEYS:
            return "ledger.html"  # a province-scale list would be a second ledger: link the ledger itself
        key = ListKey(unit, window, metric)
        self._link(key)
        return key.path
