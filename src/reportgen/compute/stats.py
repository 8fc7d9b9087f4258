"""The statistics of a period, in the JSON shape other tools rely on.

``StatsEngine`` prepares every issue's timeline once; each ``stats(period)`` call then
takes every issue's state as of the period's end (``states_at``).  Records dated after
that end do not exist for the computation.  What a figure means is in ``metrics``; how
the states of many days are worked out fast is in ``snapshots``.  Here: which windows,
units and rows a period's statistics hold.  A window of days is a slice of a day's
issues (they are in raised order); every unit's counts are tallied in one pass over the
window, by (unit, flags).  Figures, rankings and lists are memoised per window or day.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import cache, cached_property, partial
from itertools import compress, repeat, starmap
from operator import and_, attrgetter
from typing import Any

from reportgen.compute import freeze
from reportgen.compute.metrics import (
    IDENTIFIED,
    LEGAL_METRICS,
    METRICS,
    METRICS_BY_KEY,
    Cohort,
    Pair,
    compute_all,
    group,
    is_overdue,
)
from reportgen.compute.periods import Period
from reportgen.compute.results import (
    BreakdownRow,
    EnterpriseRow,
    Figures,
    LegalFigures,
    MonthFigures,
    OverdueRow,
    PeriodStats,
    UnitFigures,
    UnitRow,
)
from reportgen.compute.snapshots import FLAG, Snapshot, Snapshots, count_flags
from reportgen.compute.timeline import IssueState, IssueTimeline, Limits, timeline
from reportgen.formatting import half_up
from reportgen.model import Record, Records
from reportgen.schema.kinds import CATEGORIES, LEVELS
from reportgen.workdays import day_counter

UNIT_KEYS = group("unit")  # the figures of each department, team, category and level
_ID, _RAISED = attrgetter("id"), attrgetter("raised")


@dataclass(frozen=True, slots=True)
class LedgerRow:
    """One line of the issue ledger (问题清单台账) as of a date."""

    issue: IssueTimeline
    state: IssueState
    enterprise_name: str
    department_name: str
    team: str | None
    days_open: int  # calendar days from raised to finished (or to the as-of date)
    overdue: bool  # open with its deadline before the as-of date: the test the overdue count uses
    days_overdue: int  # counted as the office counts deadlines (unit: StatsEngine.day_unit); 0 when not overdue


class _Names(dict[str, str]):
    """What the rows print for each record of ``records``, by id: worked out (``name``) when first asked for."""

    def __init__(self, records: dict[str, Record], name: Callable[[Record], str]) -> None:
        super().__init__()
        self._records, self._name = records, name

    def __missing__(self, key: str) -> str:
        self[key] = shown = self._name(self._records[key])
        return shown


def _shown_enterprise(enterprise: Record) -> str:
    """An enterprise as the rows print it."""
    return str(enterprise["name"])


def _shown_department(department: Record) -> str:
    """A department as the rows print it: its short name, else its name."""
    return str(department.get("short_name") or department["name"])


def _by_date(records: Iterable[Record], key: str) -> tuple[list[Record], list[dt.date]]:
    ordered = sorted(records, key=lambda r: (r[key], r.id))
    return ordered, [r[key] for r in ordered]


class StatsEngine:
    """Computes any period's statistics from one set of validated records."""

    def __init__(self, records: Records, later: bool = False) -> None:
        """``later``: each issue's history is worked out when first read (``timeline``), not now."""
        self.records = records
        config = records.config
        self.counter = day_counter(records)
        self.day_unit = "个工作日" if self.counter.working else "天"  # how every day count is printed
        self.campaign_start: dt.date = config["campaign_start"]
        self.response_days = int(config.get("response_days", 3))
        self.satisfied = frozenset({"满意"} if config.get("satisfaction") == "satisfied_only" else {"满意", "基本满意"})
        self.weights: dict[str, float] = dict(config.get("ranking_weights") or {})
        self.min_issues = int(config.get("ranking_min_issues", 3))
        default_days = int(config.get("default_time_limit_days", 15))
        # the response window's last day, by the day an issue was raised (many issues share a day)
        limits = Limits(self.counter, default_days, cache(partial(self.counter.add, days=self.response_days)))
        self.timelines = self._made_timelines(records, limits, later)
        self._raised = list(map(_RAISED, self.timelines))
        # what the ledger and the overdue list print, looked up once rather than per row and day, and only
        # when first printed: after one edit most rows are kept, and a record's values are read from disk
        # when first read (``validate.lazyrecords``)
        self._enterprise_name = _Names(records.enterprises, _shown_enterprise)
        self._department_name = _Names(records.departments, _shown_department)
        self._memo: dict[Period, PeriodStats] = {}
        self._hashes: dict[Period, str] = {}
        # the tests look at the day and the office's settings only
        self.snapshots = Snapshots(self.timelines, lambda day: self._narrowed(day, day, []))
        self._figures: dict[tuple[dt.date, dt.date], Figures] = {}
        self._units: dict[tuple[dt.date, str], dict[str, UnitFigures]] = {}
        self._rankings: dict[tuple[dt.date, str], tuple[UnitRow, ...]] = {}
        self._enterprise_rows: dict[dt.date, tuple[EnterpriseRow, ...]] = {}
        self._overdue_rows: dict[dt.date, tuple[OverdueRow, ...]] = {}
        self._taken: dict[dt.date, PeriodStats] = {}  # statistics given to ``remember``, by their as-of day

    def _made_timelines(self, records: Records, limits: Limits, later: bool) -> list[IssueTimeline]:
        """Every issue's timeline (``timeline``), in (raised, id) order."""
        made = sorted((timeline(i, limits, later) for i in records.issues.values()), key=_ID)
        # by id, then by day raised (a stable sort keeps the ids' order within a day),
        # with no tuple made per issue for a key (100,000 issues: 0.05 → 0.02 CPU s)
        return sorted(made, key=_RAISED)

    # -- what working a period out reads (made when first read: after an edit most periods are read back) ----

    @cached_property
    def team_of(self) -> dict[str, str | None]:
        """The team of each enterprise (None: none), by id."""
        return {e.id: e.get("team") for e in self.records.enterprises.values()}

    @cached_property
    def _visits(self) -> tuple[list[Record], list[dt.date]]:
        """The visits in date order, and their dates."""
        return _by_date(self.records.visits.values(), "date")

    @cached_property
    def _legal(self) -> tuple[list[Record], list[dt.date]]:
        """The legal entries in date order, and their dates."""
        return _by_date(self.records.legal.values(), "date")

    @cached_property
    def _enterprises(self) -> tuple[list[Record], list[dt.date]]:
        """The enterprises in the order they joined, and the days they joined on."""
        return _by_date(self.records.enterprises.values(), "joined")

    @cached_property
    def _listed(self) -> list[tuple[str, str, str | None, dt.date]]:
        """What the enterprise list prints of each enterprise, in id order (looked up once, not per day)."""
        return sorted((e.id, str(e["name"]), e.get("team"), e["joined"]) for e in self._enterprises[0])

    @cached_property
    def _visit_enterprises(self) -> list[str]:
        """The enterprise of each visit, in date order."""
        return [v["enterprise"] for v in self._visits[0]]

    @cached_property
    def _units_of(self) -> dict[str, list[str | None]]:
        """What each timeline is counted under, in timeline order (a level changes over time: see Snapshot)."""
        return {
            "department": [t.lead_department for t in self.timelines],
            "team": [self.team_of.get(t.enterprise) for t in self.timelines],
            "category": [t.category for t in self.timelines],
        }

    @cached_property
    def _enterprise_of(self) -> list[str]:
        """The enterprise of each timeline, in timeline order."""
        return [t.enterprise for t in self.timelines]

    # -- cohorts ------------------------------------------------------------------------

    def cohort(self, start: dt.date, as_of: dt.date) -> Cohort:
        """Figures' inputs for the window [start, as_of], states as of ``as_of``."""
        snapshot = self.snapshot(as_of)
        lo = self._first_raised(start, snapshot)

        def window(items: list[Record], dates: list[dt.date]) -> list[Record]:
            lo = bisect_right(dates, start - dt.timedelta(days=1))
            return items[lo : bisect_right(dates, as_of)]

        enterprises, joined = self._enterprises
        cohort = Cohort(
            start=start,
            as_of=as_of,
            issues=snapshot.pairs[lo:],
            all_issues=snapshot.pairs,
            visits=window(*self._visits),
            enterprises=enterprises[: bisect_right(joined, as_of)],
            legal=window(*self._legal),
            counter=self.counter,
            response_days=self.response_days,
            satisfied=self.satisfied,
        )
        return cohort.preset(
            counts=count_flags(Counter(snapshot.flags[lo:])),
            days=snapshot.days(lo),
            resolved_on=snapshot.resolved_on,
        )

    def states_at(self, day: dt.date) -> list[Pair]:
        """Every issue raised by ``day`` with its state then, in raised order (memoised: periods share their ends)."""
        return self.snapshots.states_at(day)

    def snapshot(self, as_of: dt.date) -> Snapshot:
        """Every issue raised by ``as_of`` with its state and tests passed then (see ``compute.snapshots``)."""
        return self.snapshots.at(as_of)

    def _first_raised(self, start: dt.date, snapshot: Snapshot) -> int:
        """Where the issues raised on or after ``start`` begin in the snapshot (it is in raised order)."""
        return bisect_left(self._raised, start, 0, len(snapshot.pairs))

    def figures(self, start: dt.date, as_of: dt.date) -> Figures:
        """Every metric for the window [start, as_of] (memoised)."""
        key = (start, as_of)
        if key not in self._figures:
            values = compute_all(self.cohort(start, as_of))
            self._figures[key] = Figures(**{**values, "legal": LegalFigures(**values["legal"])})
        return self._figures[key]

    # -- the period's statistics --------------------------------------------------------

    def stats(self, period: Period) -> PeriodStats:
        """The statistics of ``period`` as of its end (memoised); ``to_json()`` gives the ``reportgen stats`` shape."""
        if period not in self._memo:
            self._memo[period] = self._stats(period)
        return self._memo[period]

    def data_hash(self, period: Period) -> str:
        """``freeze.data_hash`` of ``period``'s statistics in their JSON shape (memoised)."""
        if period not in self._hashes:
            self._hashes[period] = freeze.data_hash(self.stats(period).to_json())
        return self._hashes[period]

    def remember(self, period: Period, stats: PeriodStats) -> None:
        """Take ``stats``, worked out earlier from records that are the same up to its end, as ``period``'s.

        Its windows' figures, its rankings and its lists then serve any period asked later
        (a year's months, a month's previous month) without being worked out again.
        """
        self._memo[period] = stats
        self._figures[(self.counted_from(period), period.end)] = stats.in_period
        self._figures[(self.campaign_start, period.end)] = stats.cumulative
        if stats.has_previous:
            previous = period.previous()
            self._figures[(self.counted_from(previous), previous.end)] = stats.previous
        if stats.months is not None:  # a quarter's or a year's
            for month, figures in zip(period.months(), stats.months, strict=True):
                self._figures[(self.counted_from(month), month.end)] = figures.in_period
                self._figures[(self.campaign_start, month.end)] = figures.cumulative
        self._taken[period.end] = stats  # its rankings and lists taken when asked (read back, they are decoded then)

    def counted_from(self, period: Period) -> dt.date:
        """Where a period's in-period figures start: its first day, clipped to the campaign start."""
        return max(period.start, self.campaign_start)

    def has_campaign(self, period: Period) -> bool:
        """True when the campaign had begun by the period's end (else it has no figures to compare with)."""
        return period.end >= self.campaign_start

    def window_figures(self, period: Period) -> Figures:
        """The period's in-period figures, counted from the campaign start when it starts earlier."""
        return self.figures(self.counted_from(period), period.end)

    def previous_figures(self, period: Period) -> Figures:
        """The figures 环比 compares with: the previous period's, or every value None before the campaign."""
        previous = period.previous()
        return self.window_figures(previous) if self.has_campaign(previous) else self.no_figures()

    @staticmethod
    def no_figures() -> Figures:
        """The figures of a period the campaign had not reached: nothing to count, every value None."""
        legal = LegalFigures(**dict.fromkeys(m.key for m in LEGAL_METRICS))
        return Figures(**dict.fromkeys(m.key for m in METRICS), legal=legal)

    def _stats(self, period: Period) -> PeriodStats:
        as_of = period.end
        previous = period.previous()
        months = None
        if period.kind != "month":
            months = tuple(
                MonthFigures(m.key, m.name, m.end, self.window_figures(m), self.figures(self.campaign_start, m.end))
                for m in period.months()
            )
        return PeriodStats(
            period=period.key,
            kind=period.kind,
            name=period.name,
            start=period.start,
            counted_from=self.counted_from(period),
            end=period.full_end,
            as_of=as_of,
            campaign_start=self.campaign_start,
            day_unit=self.day_unit,
            cumulative=self.figures(self.campaign_start, as_of),
            in_period=self.window_figures(period),
            previous_period=previous.key,
            has_previous=self.has_campaign(previous),
            previous=self.previous_figures(period),
            by_department=self.ranking(as_of, "department"),
            by_team=self.ranking(as_of, "team"),
            by_category=self.by_category(period),
            by_level=self.breakdown(period, "level", LEVELS, keep_empty=True),
            by_enterprise=self.by_enterprise(as_of),
            overdue=self.overdue(as_of),
            months=months,
        )

    # -- breakdowns ---------------------------------------------------------------------

    def _tallies(self, kind: str, snapshot: Snapshot, lo: int) -> dict[str, dict[int, int]]:
        """How many of the snapshot's issues from ``lo`` on have each flags, by department, team, category or level.

        One ``Counter`` of (unit, flags) pairs over the window, made in C.
        """
        upto = len(snapshot.pairs)
        units = snapshot.levels(lo) if kind == "level" else self._units_of[kind][lo:upto]
        tallies: dict[str, dict[int, int]] = {}
        for (unit, flags), n in Counter(zip(units, snapshot.flags[lo:], strict=True)).items():
            if unit is not None:
                tallies.setdefault(unit, {})[flags] = n
        return tallies

    def _narrowed(self, start: dt.date, as_of: dt.date, issues: list[Pair]) -> Cohort:
        return Cohort(start, as_of, issues, issues, [], [], [], self.counter, self.response_days, self.satisfied)

    def _cumulative_units(self, as_of: dt.date, kind: str) -> dict[str, UnitFigures]:
        """The unit figures (``UNIT_KEYS``) of every department, team, category or level, cumulative (memoised).

        A unit's figures are counts and rates of counts, so its cohort is given by its counts alone.
        """
        key = (as_of, kind)
        if key not in self._units:
            snapshot = self.snapshot(as_of)
            lo = self._first_raised(self.campaign_start, snapshot)
            self._units[key] = {
                unit: self._unit_figures(self._counted(as_of, count_flags(tally)))
                for unit, tally in self._tallies(kind, snapshot, lo).items()
            }
        return self._units[key]

    def _counted(self, as_of: dt.date, counts: dict[str, int]) -> Cohort:
        """A cumulative cohort given by its counts alone (enough for counts and rates of counts)."""
        return self._narrowed(self.campaign_start, as_of, []).preset(counts=counts)

    def _unit_figures(self, cohort: Cohort) -> UnitFigures:
        values: dict[str, Any] = {k: METRICS_BY_KEY[k].compute(cohort) for k in UNIT_KEYS}
        return UnitFigures(**values)

    def ranking(self, as_of: dt.date, kind: str) -> tuple[UnitRow, ...]:
        """Departments (by lead department) or teams as of ``as_of``, scored and ranked; small units unranked."""
        key = (as_of, kind)
        if key not in self._rankings:
            taken = self._taken.get(as_of)
            if taken is not None:
                self._rankings[key] = taken.by_department if kind == "department" else taken.by_team
            else:
                self._rankings[key] = tuple(assign_ranks(self._unit_rows(as_of, kind)))
        return self._rankings[key]

    def _unit_rows(self, as_of: dt.date, kind: str) -> list[UnitRow]:
        units = self.records.departments if kind == "department" else self.records.teams
        groups = self._cumulative_units(as_of, kind)
        rows = []
        for unit_id, unit in sorted(units.items()):
            # a unit with no issues is listed too: 0 issues, every rate "—", not ranked
            figures = groups.get(unit_id) or self._unit_figures(self._narrowed(self.campaign_start, as_of, []))
            score = self.score(figures)
            reason = None
            if kind == "department" and not unit.get("ranked", True):
                reason = "该单位不参加排名"
            elif figures.issues_identified < self.min_issues:
                reason = f"问题数少于 {self.min_issues} 件，不参与排名"
            elif score is None:
                reason = "尚无可计算的指标"
            name = str(unit["name"])
            rows.append(
                UnitRow(unit_id, name, str(unit.get("short_name") or name), figures, score, reason is None, reason)
            )
        return rows

    def score(self, figures: UnitFigures) -> float | None:
        """Weighted score 0–100 over the configured rates; weights of missing rates are spread over the rest."""
        rates = {k: figures.value(k) for k in self.weights}
        present = {k: w for k, w in self.weights.items() if rates[k] is not None and w > 0}
        total = sum(present.values())
        if not total:
            return None
        weighted = sum(float(rates[k] or 0) * w for k, w in present.items())
        return float(half_up(100 * weighted / total))

    def _window_counts(self, start: dt.date, as_of: dt.date, kind: str) -> dict[str, dict[str, int]]:
        """Per category or level: how many of the window's issues there are, and pass each test (``count_flags``)."""
        snapshot = self.snapshot(as_of)
        tallies = self._tallies(kind, snapshot, self._first_raised(start, snapshot))
        return {key: count_flags(tally) for key, tally in tallies.items()}

    def breakdown(
        self, period: Period, kind: str, values: tuple[str, ...], keep_empty: bool = False
    ) -> tuple[BreakdownRow, ...]:
        """Figures per category or level: cumulative, this period and the previous one (环比).

        Categories no issue was raised under are left out; levels (``keep_empty``) are all
        listed, with 0 issues and "—" rates.
        """
        groups = self._cumulative_units(period.end, kind)
        current = self._window_counts(self.counted_from(period), period.end, kind)
        previous = period.previous()
        before = self._window_counts(self.counted_from(previous), previous.end, kind)
        empty = self._unit_figures(self._narrowed(self.campaign_start, period.end, []))
        none = {IDENTIFIED: 0, "resolved": 0}
        rows = []
        for value in values:
            if value not in groups and not keep_empty:
                continue
            now, earlier = current.get(value, none), before.get(value, none)
            figures = groups.get(value, empty)
            rows.append(BreakdownRow(kind, value, figures, now[IDENTIFIED], now["resolved"], earlier[IDENTIFIED]))
        return tuple(rows)

    def by_category(self, period: Period) -> tuple[BreakdownRow, ...]:
        """The period's figures by category (``breakdown``)."""
        return self.breakdown(period, "category", CATEGORIES)

    def by_enterprise(self, as_of: dt.date) -> tuple[EnterpriseRow, ...]:
        """Issues and visits per enterprise, cumulative as of ``as_of`` (memoised)."""
        if as_of not in self._enterprise_rows:
            taken = self._taken.get(as_of)
            self._enterprise_rows[as_of] = taken.by_enterprise if taken is not None else self._by_enterprise(as_of)
        return self._enterprise_rows[as_of]

    def _by_enterprise(self, as_of: dt.date) -> tuple[EnterpriseRow, ...]:
        dates = self._visits[1]
        lo = bisect_left(dates, self.campaign_start)
        visits = Counter(self._visit_enterprises[lo : bisect_right(dates, as_of)])
        snapshot = self.snapshot(as_of)
        lo = self._first_raised(self.campaign_start, snapshot)
        enterprise, flags = self._enterprise_of[lo : len(snapshot.pairs)], snapshot.flags[lo:]
        identified = Counter(enterprise)
        resolved = Counter(compress(enterprise, map(and_, flags, repeat(FLAG["resolved"]))))
        still_open = Counter(compress(enterprise, map(and_, flags, repeat(FLAG["open"]))))
        # .get: a Counter's missing key goes through a Python-level __missing__
        return tuple(
            EnterpriseRow(
                e, name, team, visits.get(e, 0), identified.get(e, 0), resolved.get(e, 0), still_open.get(e, 0)
            )
            for e, name, team, joined in self._listed  # in id order
            if joined <= as_of and (e in identified or e in visits)
        )

    def overdue(self, as_of: dt.date) -> tuple[OverdueRow, ...]:
        """The ledger's overdue issues as of ``as_of`` (memoised)."""
        if as_of not in self._overdue_rows and as_of in self._taken:
            self._overdue_rows[as_of] = self._taken[as_of].overdue
        if as_of not in self._overdue_rows:
            snapshot = self.snapshot(as_of)
            # exactly the issues the overdue count counts (the same test, its flag)
            self._overdue_rows[as_of] = tuple(
                self._overdue_row(t, s, as_of)
                for t, s in compress(snapshot.pairs, map(and_, snapshot.flags, repeat(FLAG["overdue"])))
            )
        return self._overdue_rows[as_of]

    def _overdue_row(self, t: IssueTimeline, s: IssueState, as_of: dt.date) -> OverdueRow:
        """The row of an issue the overdue test has passed (so its days overdue are counted without testing again)."""
        return OverdueRow(
            issue=t.id,
            title=t.title,
            enterprise=t.enterprise,
            enterprise_name=self._enterprise_name[t.enterprise],
            department=t.lead_department,
            department_name=self._department_name[t.lead_department],
            raised=t.raised,
            deadline=t.deadline,
            days_overdue=self.counter.between(t.deadline, as_of),
            days_overdue_unit=self.day_unit,
            status=s.status,
            level=s.level,
        )

    # -- the ledger -----------------------------------------------------------------------

    def ledger(self, as_of: dt.date) -> list[LedgerRow]:
        """Every issue raised on or before ``as_of``, with its state then, in raised order."""
        return list(starmap(self.ledger_row, ((t, s, as_of) for t, s in self.states_at(as_of))))

    def ledger_row(self, t: IssueTimeline, s: IssueState, as_of: dt.date) -> LedgerRow:
        """One issue's ledger row from its state ``s`` as of ``as_of`` (the site makes only the rows it shows)."""
        end = s.finished_on or as_of
        return LedgerRow(
            issue=t,
            state=s,
            enterprise_name=self._enterprise_name[t.enterprise],
            department_name=self._department_name[t.lead_department],
            team=self.team_of.get(t.enterprise),
            days_open=(end - t.raised).days,
            overdue=is_overdue(t, s, as_of),
            days_overdue=self._days_overdue(t, s, as_of),
        )

    def _days_overdue(self, t: IssueTimeline, s: IssueState, as_of: dt.date) -> int:
        """Days (or working days) after the deadline up to and including ``as_of``; 0 unless overdue.

        In working days an overdue issue can count 0 (deadline on a Friday, open on the
        Sunday after): it is overdue all the same, and printed as 不足1个工作日.
        """
        return self.counter.between(t.deadline, as_of) if is_overdue(t, s, as_of) else 0


def assign_ranks(rows: list[UnitRow]) -> list[UnitRow]:
    """Competition ranking (1, 2, 2, 4) by the printed score; equal scores share a rank and are marked ``tied``.

    Unranked rows follow the ranked ones with ``rank`` None.  Display order within a tie:
    more issues first, then id, so the order is stable.
    """
    ranked = sorted(
        (r for r in rows if r.ranked),
        key=lambda r: (-(r.score or 0), -r.figures.issues_identified, r.id),
    )
    unranked = sorted((r for r in rows if not r.ranked), key=attrgetter("id"))
    scores = [r.score for r in ranked]
    placed = [replace(r, rank=scores.index(r.score) + 1, tied=scores.count(r.score) > 1) for r in ranked]
    return placed + [replace(r, rank=None, tied=False) for r in unranked]
