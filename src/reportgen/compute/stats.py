"""The statistics of a period, in the JSON shape other tools rely on.

``StatsEngine`` prepares every issue's timeline once; each ``stats(period)`` call then
takes every issue's state as of the period's end (``states_at``).  Records dated after
that end do not exist for the computation.  What a figure means is in ``metrics``; how
the states of many days are worked out fast is in ``snapshots``.  Here: which windows,
units and rows a period's statistics hold.  A window of days is a slice of a day's
issues (they are in raised order), a unit's issues are picked by their indices (kept per
unit, ascending).  Figures, rankings and lists are memoised per window or day.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import compress, repeat, starmap
from operator import and_, itemgetter
from typing import Any

from reportgen.compute.metrics import (
    LEGAL_KEYS,
    METRICS_BY_KEY,
    Cohort,
    Pair,
    compute_all,
    group,
    is_overdue,
)
from reportgen.compute.periods import Period
from reportgen.compute.snapshots import FLAG, Snapshot, Snapshots, count_flags
from reportgen.compute.timeline import IssueState, IssueTimeline, timeline
from reportgen.formatting import half_up
from reportgen.model import Record, Records
from reportgen.schema.kinds import CATEGORIES, LEVELS
from reportgen.workdays import day_counter

UNIT_KEYS = group("unit")  # the figures of each department, team, category and level


@dataclass(frozen=True)
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


def _indices_by(keys: Iterable[str | None]) -> dict[str | None, list[int]]:
    """Where each key occurs, in ascending order."""
    indices: dict[str | None, list[int]] = {}
    for i, key in enumerate(keys):
        indices.setdefault(key, []).append(i)
    return indices


def _by_date(records: Iterable[Record], key: str) -> tuple[list[Record], list[dt.date]]:
    ordered = sorted(records, key=lambda r: (r[key], r.id))
    return ordered, [r[key] for r in ordered]


class StatsEngine:
    """Computes any period's statistics from one set of validated records."""

    def __init__(self, records: Records) -> None:
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
        self.timelines = sorted(
            (timeline(i, self.counter, default_days, self.response_days) for i in records.issues.values()),
            key=lambda t: (t.raised, t.id),
        )
        self._raised = [t.raised for t in self.timelines]
        self._visits, self._visit_dates = _by_date(records.visits.values(), "date")
        self._legal, self._legal_dates = _by_date(records.legal.values(), "date")
        self._enterprises, self._joined = _by_date(records.enterprises.values(), "joined")
        self.team_of = {e.id: e.get("team") for e in records.enterprises.values()}
        # the timelines' indices by what they are counted under (a level changes over time: see Snapshot)
        self._indices: dict[str, dict[str | None, list[int]]] = {
            "department": _indices_by(t.lead_department for t in self.timelines),
            "team": _indices_by(self.team_of.get(t.enterprise) for t in self.timelines),
            "category": _indices_by(t.category for t in self.timelines),
        }
        self._enterprise_of = [t.enterprise for t in self.timelines]
        self._visit_enterprises: list[str] = [v["enterprise"] for v in self._visits]
        self._issue_rows: dict[str, dict[str, Any]] = {}  # the fixed part of each overdue row
        self._memo: dict[Period, dict[str, Any]] = {}
        # the tests look at the day and the office's settings only
        self.snapshots = Snapshots(self.timelines, lambda day: self._narrowed(day, day, []))
        self._figures: dict[tuple[dt.date, dt.date], dict[str, Any]] = {}
        self._units: dict[tuple[dt.date, str], dict[str, dict[str, Any]]] = {}
        self._rankings: dict[tuple[dt.date, str], list[dict[str, Any]]] = {}
        self._enterprise_rows: dict[dt.date, list[dict[str, Any]]] = {}
        self._overdue_rows: dict[dt.date, list[dict[str, Any]]] = {}

    # -- cohorts ------------------------------------------------------------------------

    def cohort(self, start: dt.date, as_of: dt.date) -> Cohort:
        """Figures' inputs for the window [start, as_of], states as of ``as_of``."""
        snapshot = self.snapshot(as_of)
        lo = self._first_raised(start, snapshot)

        def window(items: list[Record], dates: list[dt.date]) -> list[Record]:
            lo = bisect_right(dates, start - dt.timedelta(days=1))
            return items[lo : bisect_right(dates, as_of)]

        cohort = Cohort(
            start=start,
            as_of=as_of,
            issues=snapshot.pairs[lo:],
            all_issues=snapshot.pairs,
            visits=window(self._visits, self._visit_dates),
            enterprises=self._enterprises[: bisect_right(self._joined, as_of)],
            legal=window(self._legal, self._legal_dates),
            counter=self.counter,
            response_days=self.response_days,
            satisfied=self.satisfied,
        )
        return cohort.preset(
            counts=count_flags(Counter(snapshot.flags[lo:])),
            days=[d for d in snapshot.days[lo:] if d is not None],
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

    def figures(self, start: dt.date, as_of: dt.date) -> dict[str, Any]:
        """Every metric for the window [start, as_of] (memoised; a fresh copy each call)."""
        key = (start, as_of)
        if key not in self._figures:
            self._figures[key] = compute_all(self.cohort(start, as_of))
        figures = self._figures[key]
        return {**figures, "legal": dict(figures["legal"])}

    # -- the period's statistics --------------------------------------------------------

    def stats(self, period: Period) -> dict[str, Any]:
        """The statistics of ``period`` as of its end, in the ``reportgen stats`` JSON shape (memoised)."""
        if period not in self._memo:
            self._memo[period] = self._stats(period)
        return self._memo[period]

    def counted_from(self, period: Period) -> dt.date:
        """Where a period's in-period figures start: its first day, clipped to the campaign start."""
        return max(period.start, self.campaign_start)

    def has_campaign(self, period: Period) -> bool:
        """True when the campaign had begun by the period's end (else it has no figures to compare with)."""
        return period.end >= self.campaign_start

    def window_figures(self, period: Period) -> dict[str, Any]:
        """The period's in-period figures, counted from the campaign start when it starts earlier."""
        return self.figures(self.counted_from(period), period.end)

    def previous_figures(self, period: Period) -> dict[str, Any]:
        """The figures 环比 compares with: the previous period's, or every value None before the campaign."""
        previous = period.previous()
        return self.window_figures(previous) if self.has_campaign(previous) else self.no_figures()

    @staticmethod
    def no_figures() -> dict[str, Any]:
        """The figures of a period the campaign had not reached: nothing to count, every value None."""
        return {**dict.fromkeys(METRICS_BY_KEY), "legal": dict.fromkeys(k for k in METRICS_BY_KEY if k in LEGAL_KEYS)}

    def _stats(self, period: Period) -> dict[str, Any]:
        as_of = period.end
        previous = period.previous()
        result: dict[str, Any] = {
            "period": period.key,
            "kind": period.kind,
            "name": period.name,
            "start": period.start.isoformat(),
            "counted_from": self.counted_from(period).isoformat(),
            "end": period.full_end.isoformat(),
            "as_of": as_of.isoformat(),
            "campaign_start": self.campaign_start.isoformat(),
            "day_unit": self.day_unit,
            "cumulative": self.figures(self.campaign_start, as_of),
            "in_period": self.window_figures(period),
            "previous_period": previous.key,
            "has_previous": self.has_campaign(previous),
            "previous": self.previous_figures(period),
        }
        result["by_department"] = self.ranking(as_of, "department")
        result["by_team"] = self.ranking(as_of, "team")
        result["by_category"] = self.breakdown(period, "category", CATEGORIES)
        result["by_level"] = self.breakdown(period, "level", LEVELS, keep_empty=True)
        result["by_enterprise"] = self.by_enterprise(as_of)
        result["overdue"] = self.overdue(as_of)
        if period.kind != "month":
            result["months"] = [
                {
                    "period": m.key,
                    "name": m.name,
                    "as_of": m.end.isoformat(),
                    "in_period": self.window_figures(m),
                    "cumulative": self.figures(self.campaign_start, m.end),
                }
                for m in period.months()
            ]
        return result

    # -- breakdowns ---------------------------------------------------------------------

    def _split(self, kind: str, snapshot: Snapshot, lo: int) -> dict[str, list[int]]:
        """The indices of the snapshot's issues from ``lo`` on, by department, team, category or level."""
        upto = len(snapshot.pairs)
        indices = snapshot.by_level if kind == "level" else self._indices[kind]
        parts = {}
        for key, ascending in indices.items():
            part = ascending[bisect_left(ascending, lo) : bisect_left(ascending, upto)]
            if part and key is not None:
                parts[key] = part
        return parts

    def _narrowed(self, start: dt.date, as_of: dt.date, issues: list[Pair]) -> Cohort:
        return Cohort(start, as_of, issues, issues, [], [], [], self.counter, self.response_days, self.satisfied)

    def _cumulative_units(self, as_of: dt.date, kind: str) -> dict[str, dict[str, Any]]:
        """The unit figures (``UNIT_KEYS``) of every department, team, category or level, cumulative (memoised)."""
        key = (as_of, kind)
        if key not in self._units:
            snapshot = self.snapshot(as_of)
            pair, flag = snapshot.pairs.__getitem__, snapshot.flags.__getitem__
            self._units[key] = {
                unit: self._unit_figures(
                    self._narrowed(self.campaign_start, as_of, list(map(pair, part))).preset(
                        counts=count_flags(Counter(map(flag, part)))
                    )
                )
                for unit, part in self._split(kind, snapshot, self._first_raised(self.campaign_start, snapshot)).items()
            }
        return self._units[key]

    def _unit_figures(self, cohort: Cohort) -> dict[str, Any]:
        return {k: METRICS_BY_KEY[k].compute(cohort) for k in UNIT_KEYS}

    def ranking(self, as_of: dt.date, kind: str) -> list[dict[str, Any]]:
        """Departments (by lead department) or teams as of ``as_of``, scored and ranked; small units unranked."""
        key = (as_of, kind)
        if key not in self._rankings:
            self._rankings[key] = self._ranking(as_of, kind)
        return [dict(row) for row in self._rankings[key]]

    def _ranking(self, as_of: dt.date, kind: str) -> list[dict[str, Any]]:
        units = self.records.departments if kind == "department" else self.records.teams
        groups = self._cumulative_units(as_of, kind)
        rows = []
        for unit_id, unit in sorted(units.items()):
            # a unit with no issues is listed too: 0 issues, every rate "—", not ranked
            figures = groups.get(unit_id) or self._unit_figures(self._narrowed(self.campaign_start, as_of, []))
            row: dict[str, Any] = {
                "id": unit_id,
                "name": unit["name"],
                "short_name": unit.get("short_name") or unit["name"],
                **figures,
            }
            row["score"] = self.score(figures)
            reason = None
            if kind == "department" and not unit.get("ranked", True):
                reason = "该单位不参加排名"
            elif figures["issues_identified"] < self.min_issues:
                reason = f"问题数少于 {self.min_issues} 件，不参与排名"
            elif row["score"] is None:
                reason = "尚无可计算的指标"
            row["ranked"] = reason is None
            row["not_ranked_reason"] = reason
            rows.append(row)
        return assign_ranks(rows)

    def score(self, figures: dict[str, Any]) -> float | None:
        """Weighted score 0–100 over the configured rates; weights of missing rates are spread over the rest."""
        present = {k: w for k, w in self.weights.items() if figures.get(k) is not None and w > 0}
        total = sum(present.values())
        if not total:
            return None
        weighted: float = sum(figures[k] * w for k, w in present.items())
        return float(half_up(100 * weighted / total))

    def _window_counts(self, start: dt.date, as_of: dt.date, kind: str) -> dict[str, tuple[int, dict[str, int]]]:
        """Per category or level: how many of the window's issues, and how many pass each test."""
        snapshot = self.snapshot(as_of)
        flag = snapshot.flags.__getitem__
        return {
            key: (len(part), count_flags(Counter(map(flag, part))))
            for key, part in self._split(kind, snapshot, self._first_raised(start, snapshot)).items()
        }

    def breakdown(
        self, period: Period, kind: str, values: tuple[str, ...], keep_empty: bool = False
    ) -> list[dict[str, Any]]:
        """Figures per category or level: cumulative, this period and the previous one (环比).

        Categories no issue was raised under are left out; levels (``keep_empty``) are all
        listed, with 0 issues and "—" rates.
        """
        groups = self._cumulative_units(period.end, kind)
        current = self._window_counts(self.counted_from(period), period.end, kind)
        previous = period.previous()
        before = self._window_counts(self.counted_from(previous), previous.end, kind)
        empty = self._unit_figures(self._narrowed(self.campaign_start, period.end, []))
        rows = []
        for value in values:
            if value not in groups and not keep_empty:
                continue
            now, now_counts = current.get(value, (0, {"resolved": 0}))
            rows.append(
                {
                    kind: value,
                    **groups.get(value, empty),
                    "in_period_identified": now,
                    "in_period_resolved": now_counts["resolved"],
                    "previous_identified": before[value][0] if value in before else 0,
                }
            )
        return rows

    def by_enterprise(self, as_of: dt.date) -> list[dict[str, Any]]:
        """Issues and visits per enterprise, cumulative as of ``as_of``."""
        if as_of not in self._enterprise_rows:
            self._enterprise_rows[as_of] = self._by_enterprise(as_of)
        return [dict(row) for row in self._enterprise_rows[as_of]]

    def _by_enterprise(self, as_of: dt.date) -> list[dict[str, Any]]:
        lo = bisect_left(self._visit_dates, self.campaign_start)
        visits = Counter(self._visit_enterprises[lo : bisect_right(self._visit_dates, as_of)])
        snapshot = self.snapshot(as_of)
        lo = self._first_raised(self.campaign_start, snapshot)
        enterprise, flags = self._enterprise_of[lo : len(snapshot.pairs)], snapshot.flags[lo:]
        identified = Counter(enterprise)
        resolved = Counter(compress(enterprise, map(and_, flags, repeat(FLAG["resolved"]))))
        still_open = Counter(compress(enterprise, map(and_, flags, repeat(FLAG["open"]))))
        rows = []
        for e in self._enterprises[: bisect_right(self._joined, as_of)]:
            if e.id not in identified and e.id not in visits:
                continue
            rows.append(
                {
                    "id": e.id,
                    "name": e["name"],
                    "team": e.get("team"),
                    # .get: a Counter's missing key goes through a Python-level __missing__
                    "visits": visits.get(e.id, 0),
                    "issues_identified": identified.get(e.id, 0),
                    "issues_resolved": resolved.get(e.id, 0),
                    "issues_open": still_open.get(e.id, 0),
                }
            )
        return sorted(rows, key=itemgetter("id"))

    def overdue(self, as_of: dt.date) -> list[dict[str, Any]]:
        """The ledger's overdue issues as of ``as_of`` (memoised; a fresh copy each call)."""
        if as_of not in self._overdue_rows:
            snapshot = self.snapshot(as_of)
            rows = []
            # exactly the issues the overdue count counts (the same test, its flag)
            for t, s in compress(snapshot.pairs, map(and_, snapshot.flags, repeat(FLAG["overdue"]))):
                rows.append(
                    {
                        **self._issue_row(t),
                        "days_overdue": self._days_overdue(t, s, as_of),
                        "days_overdue_unit": self.day_unit,
                        "status": s.status,
                        "level": s.level,
                    }
                )
            self._overdue_rows[as_of] = rows
        return [dict(row) for row in self._overdue_rows[as_of]]

    def _issue_row(self, t: IssueTimeline) -> dict[str, Any]:
        """The part of an overdue row that does not change with the day (kept: an issue stays overdue for months)."""
        if t.id not in self._issue_rows:
            department = self.records.departments[t.lead_department]
            self._issue_rows[t.id] = {
                "issue": t.id,
                "title": t.title,
                "enterprise": t.enterprise,
                "enterprise_name": self.records.enterprises[t.enterprise]["name"],
                "department": t.lead_department,
                "department_name": department.get("short_name") or department["name"],
                "raised": t.raised.isoformat(),
                "deadline": t.deadline.isoformat(),
            }
        return self._issue_rows[t.id]

    # -- the ledger -----------------------------------------------------------------------

    def ledger(self, as_of: dt.date) -> list[LedgerRow]:
        """Every issue raised on or before ``as_of``, with its state then, in raised order."""
        return list(starmap(self._ledger_row, ((t, s, as_of) for t, s in self.states_at(as_of))))

    def _ledger_row(self, t: IssueTimeline, s: IssueState, as_of: dt.date) -> LedgerRow:
        enterprises, departments = self.records.enterprises, self.records.departments
        end = s.finished_on or as_of
        return LedgerRow(
            issue=t,
            state=s,
            enterprise_name=enterprises[t.enterprise]["name"],
            department_name=departments[t.lead_department].get("short_name") or departments[t.lead_department]["name"],
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


def assign_ranks(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Competition ranking (1, 2, 2, 4) by score; equal scores share a rank and are marked ``tied``.

    Unranked rows follow the ranked ones with ``rank`` None.  Display order within a tie:
    more issues first, then id, so the order is stable.
    """
    ranked = sorted(
        (r for r in rows if r["ranked"]),
        key=lambda r: (-r["score"], -r["issues_identified"], r["id"]),
    )
    unranked = sorted((r for r in rows if not r["ranked"]), key=lambda r: r["id"])
    scores = [r["score"] for r in ranked]
    for row in ranked:
        row["rank"] = scores.index(row["score"]) + 1
        row["tied"] = scores.count(row["score"]) > 1
    for row in unranked:
        row["rank"] = None
        row["tied"] = False
    return ranked + unranked
