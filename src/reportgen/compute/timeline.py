"""An issue's state as of any date, replayed from its dated history.

The history is prepared once per issue; ``state_at`` then answers "what did this issue
look like on day D" without looking at anything dated after D.  This is what keeps a
rebuilt June bulletin showing June's numbers.

Each state is replayed from the history the first time a day asks for it and kept, so
``state_at`` is then a binary search and a lookup: statistics ask for every issue's state
on every period end, which at 100,000 issues is millions of calls.  An issue holds a few
states in its life; a timeline keeps only those asked for (and no attribute dictionary:
an office keeps 100,000 timelines).

A timeline is made in two steps (``timeline``): the fields that place and count an issue
(id, day raised, units) at once, the rest (title, deadlines, events, rating) when one of
those is first read.  After an edit most periods are read back, and the site reads an
issue's id, day raised and units only: at 100,000 issues the rest would cost more than the
rest of the engine's start.  Every field reads the same either way.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeVar, cast

from reportgen.heap import paused_gc
from reportgen.model import Record
from reportgen.schema.kinds import (
    ANSWERED,
    CLOSED,
    FINAL_STATUSES,
    FIRST_STATUS,
    LONG_TERM,
    OPEN_STATUSES,
    OUTCOMES,
    RESOLVED,
)
from reportgen.workdays import DayCounter, effective_deadline

_OPEN = frozenset(OPEN_STATUSES)  # looked up for every issue on every day: a set
_ID = attrgetter("id")


@dataclass(frozen=True, slots=True)
class IssueState:
    """An issue as it stood on ``as_of``."""

    status: str
    level: str
    outcome: str | None  # the last ending before closure: 已解决, 长期推进 or 已答复 (None while open)
    finished_on: dt.date | None  # 办结日期: first day of the run of ending statuses it is still in
    resolved_on: dt.date | None  # 解决日期: the day of the 已解决 it is still in (None unless resolved)
    first_action_on: dt.date | None  # first step after collection
    rating: str | None  # the enterprise's rating, if given by as_of

    @property
    def is_open(self) -> bool:
        """Still being handled: collected, assigned or in progress."""
        return self.status in _OPEN

    @property
    def is_resolved(self) -> bool:
        """Its outcome is 已解决 (closed off or not); a closed refusal is not resolved."""
        return self.outcome == RESOLVED

    @property
    def is_answered(self) -> bool:
        """Its outcome is 已答复 (不予解决, the enterprise was answered), closed off or not."""
        return self.outcome == ANSWERED

    @property
    def is_long_term(self) -> bool:
        """Its outcome is 长期推进."""
        return self.outcome == LONG_TERM

    @property
    def is_closed(self) -> bool:
        """Closed off (销号)."""
        return self.status == CLOSED

    @property
    def is_finished(self) -> bool:
        """Any final status: resolved, closed, long-term or answered."""
        return self.status in FINAL_STATUSES


@dataclass(frozen=True, slots=True)
class IssueTimeline:
    """One issue's fixed facts and its dated events, ready for replay."""

    id: str
    enterprise: str
    category: str
    lead_department: str
    co_departments: tuple[str, ...]
    title: str
    raised: dt.date
    deadline: dt.date  # the last allowed day to finish
    response_due: dt.date  # the last allowed day for the first action
    initial_level: str
    dates: tuple[dt.date, ...]
    statuses: tuple[str, ...]
    levels: tuple[str | None, ...]
    rating_date: dt.date | None
    rating: str | None
    # the states handed out so far, by 2 × events replayed + rated: an issue has a few
    # states in its life, each shared by every day it holds on (and by every snapshot)
    _states: dict[int, IssueState] = field(init=False, repr=False, compare=False)
    # the record and the office's limits its history is worked out from (``timeline``), None once it is
    _pending: tuple[Record, Limits] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_states", {})  # frozen: set once, here
        object.__setattr__(self, "_pending", None)

    if not TYPE_CHECKING:  # (to the type checker every field is there: it is, when read)

        def __getattr__(self, name: str) -> Any:
            """A field of the history part of a timeline made ``later`` (``timeline``): worked out when first read."""
            if object.__getattribute__(self, "_pending") is None:
                raise AttributeError(name)
            _work_out(self)
            return object.__getattribute__(self, name)

    def state_at(self, day: dt.date) -> IssueState:
        """The state on ``day`` (``day`` must not be before ``raised``)."""
        n = bisect_right(self.dates, day)
        rated = self.rating_date is not None and self.rating_date <= day
        state = self._states.get(2 * n + rated)
        if state is None:
            state = self._replay(n, rated)
            self._states[2 * n + rated] = state
        return state

    def _replay(self, n: int, rated: bool) -> IssueState:
        """The state after the first ``n`` events of the history, rated or not.

        Replayed from the latest state handed out before it (a snapshot a month later asks
        for the events of that month only): a state holds the level, the outcome and the
        two dates the replay carries.
        """
        start, level = 0, self.initial_level
        outcome: str | None = None
        finished_on: dt.date | None = None
        resolved_on: dt.date | None = None
        for key, state in self._states.items():
            if start < key // 2 <= n:
                start, level, outcome = key // 2, state.level, state.outcome
                finished_on, resolved_on = state.finished_on, state.resolved_on
        events = zip(self.dates[start:n], self.statuses[start:n], self.levels[start:n], strict=True)
        for date, status, new_level in events:
            level = new_level or level
            # a run of ending statuses starts on its first day; reopening ends it
            finished_on = (finished_on or date) if status in FINAL_STATUSES else None
            if status != CLOSED:  # closure keeps the ending and its dates as they were
                outcome = status if status in OUTCOMES else None
                resolved_on = date if status == RESOLVED else None
        status = self.statuses[n - 1] if n else FIRST_STATUS
        first_action = self.dates[1] if n > 1 else None
        rating = self.rating if rated else None
        return IssueState(status, level, outcome, finished_on, resolved_on, first_action, rating)


@dataclass(frozen=True, slots=True)
class Limits:
    """What an issue's time limits become dates with: the office's day counter and its defaults."""

    counter: DayCounter
    default_days: int  # an issue's time limit when it has none
    response_due: Callable[[dt.date], dt.date]  # the last day of the response window of an issue raised that day


def timeline(issue: Record, limits: Limits, later: bool = False) -> IssueTimeline:
    """Prepare ``issue`` for replay: every time limit becomes its last allowed date.

    ``later``: only the fields that place and count an issue (its id, units and day raised)
    are set now, the rest (title, deadlines, events, rating) when one of them is first read.
    (The record's values are read from its dict: this runs for every issue of an office.)
    """
    data = issue.data
    if not later:
        return IssueTimeline(
            id=issue.id,
            enterprise=data["enterprise"],
            category=data["category"],
            lead_department=data["lead_department"],
            raised=data["raised"],
            **_history(data, limits),
        )
    t: IssueTimeline = object.__new__(IssueTimeline)
    put = object.__setattr__  # (frozen) one call a field: a quarter faster than a loop over pairs
    put(t, "id", issue.id)
    put(t, "enterprise", data["enterprise"])
    put(t, "category", data["category"])
    put(t, "lead_department", data["lead_department"])
    put(t, "raised", data["raised"])
    put(t, "_pending", (issue, limits))
    return t


# The fields a timeline made ``later`` holds at once besides its id, read from its record: kept from build
# to build (``persisted``), and given back to ``known``.
# (Not the title: only the rows that are made again read it, and an edited title then changes no fact kept.)
AT_ONCE = ("enterprise", "category", "lead_department", "raised")


def known(issues: Sequence[Record], columns: Sequence[Sequence[Any]], limits: Limits) -> list[IssueTimeline]:
    """The timelines of ``issues`` made ``later``, with the values of ``AT_ONCE`` as already known.

    ``columns``: one per name of ``AT_ONCE``, in the order of ``issues``.  The records' values
    are not read (a record the check kept is read from disk when first read:
    ``validate.lazyrecords``).  Each field is set on every timeline in one ``map`` through its
    slot, the setter ``object.__setattr__`` reaches for a frozen dataclass (100,000 issues: a
    call of Python a timeline cost 0.15 CPU s).
    """
    made = list(map(object.__new__, repeat(IssueTimeline, len(issues))))
    values = (map(_ID, issues), *columns, zip(issues, repeat(limits)))
    for name, column in zip(("id", *AT_ONCE, "_pending"), values, strict=True):
        deque(map(vars(IssueTimeline)[name].__set__, made, column), maxlen=0)  # (each call's None: dropped)
    return made


def _history(data: dict[str, Any], limits: Limits) -> dict[str, Any]:
    """The fields of an issue's timeline worked out from its record's history, limits and rating (and its title)."""
    history = data["history"]
    rating = data.get("rating") or {}
    return {
        "title": data["title"],
        "co_departments": tuple(data.get("co_departments") or ()),
        "deadline": effective_deadline(data, limits.counter, limits.default_days),
        "response_due": limits.response_due(data["raised"]),
        "initial_level": data.get("level", "区级"),
        "dates": tuple([e["date"] for e in history]),
        "statuses": _shared(tuple([e["status"] for e in history])),
        "levels": _shared(tuple([e.get("level") for e in history])),
        "rating_date": rating.get("date"),
        "rating": rating.get("result"),
    }


def work_out(timelines: Iterable[IssueTimeline]) -> None:
    """Work out the history part of each of ``timelines`` made ``later`` and not read yet: all are to be replayed."""
    for t in timelines:
        if t._pending is not None:
            _work_out(t)


def _work_out(t: IssueTimeline) -> None:
    """Set the history part of ``t`` (made ``later``) from its record."""
    pending = t._pending
    assert pending is not None, "a timeline made later"
    issue, limits = pending
    # its record's values may be read from disk now, with those of thousands of others
    # (``validate.lazyrecords``), all kept: no collection meanwhile, and they join the old heap
    # (at 100,000 issues, read inside the site, 0.4 → 1.2 CPU s otherwise, its next collections too)
    with paused_gc():
        history = _history(issue.data, limits)
    for name, value in history.items():
        object.__setattr__(t, name, value)
    object.__setattr__(t, "_states", {})
    object.__setattr__(t, "_pending", None)


_Sequence = TypeVar("_Sequence", tuple[str, ...], tuple[str | None, ...])
_SEQUENCES: dict[object, object] = {}  # each sequence of statuses or levels met so far


def _shared(values: _Sequence) -> _Sequence:
    """One tuple for each sequence of statuses or levels: many issues go through the same ones."""
    return cast(_Sequence, _SEQUENCES.setdefault(values, values))
