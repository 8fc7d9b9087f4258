"""The statistics of a period, in the JSON shape other tools rely on.

``StatsEngine`` prepares every issue's timeline once; each ``stats(period)`` call then
replays states as of the period's end.  Records dated after that end do not exist for
the computation.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from reportgen.compute.metrics import METRICS_BY_KEY, Cohort, compute_all
from reportgen.compute.periods import Period
from reportgen.compute.timeline import IssueState, IssueTimeline, timeline
from reportgen.model import Record, Records
from reportgen.schema.kinds import CATEGORIES, LEVELS
from reportgen.workdays import day_counter

RANKED_RATES = (
    "resolution_rate",
    "on_time_rate",
    "satisfaction_rate",
    "response_rate",
    "completion_rate",
)
UNIT_KEYS = (
    "issues_identified",
    "issues_resolved",
    "issues_open",
    "issues_overdue",
    "issues_finished",
    "issues_long_term",
    "issues_answered",
    "issues_finished_late",
    "issues_rated",
    *RANKED_RATES,
)


@dataclass(frozen=True)
class LedgerRow:
    """One line of the issue ledger (问题清单台账) as of a date."""

    issue: IssueTimeline
    state: IssueState
    enterprise_name: str
    department_name: str
    team: str | None
    days_open: int  # calendar days from raised to finished (or to the as-of date)
    days_overdue: int  # counted as the office counts deadlines; 0 when not overdue


def _by_date(records: Iterable[Record], key: str) -> tuple[list[Record], list[dt.date]]:
    ordered = sorted(records, key=lambda r: (r[key], r.id))
    return ordered, [r[key] for r in ordered]


class StatsEngine:
    """Computes any period's statistics from one set of validated records."""

    def __init__(self, records: Records) -> None:
        self.records = records
        config = records.config
        self.counter = day_counter(records)
        self.campaign_start: dt.date = config["campaign_start"]
        self.response_days = int(config.get("response_days", 3))
        self.satisfied = frozenset({"满意"} if config.get("satisfaction") == "satisfied_only" else {"满意", "基本满意"})
        self.weights: dict[str, float] = dict(config.get("ranking_weights") or {})
        self.min_issues = int(config.get("ranking_min_issues", 3))
        default_days = int(config.get("default_time_limit_days", 15))
        self.timelines = sorted(
            (timeline(i, self.counter, default_days) for i in records.issues.values()),
            key=lambda t: (t.raised, t.id),
        )
        self._raised = [t.raised for t in self.timelines]
        self._visits, self._visit_dates = _by_date(records.visits.values(), "date")
        self._legal, self._legal_dates = _by_date(records.legal.values(), "date")
        self._enterprises, self._joined = _by_date(records.enterprises.values(), "joined")
        self.team_of = {e.id: e.get("team") for e in records.enterprises.values()}
        self._memo: dict[Period, dict[str, Any]] = {}
        self._states: dict[dt.date, list[tuple[IssueTimeline, IssueState]]] = {}

    # -- cohorts ------------------------------------------------------------------------

    def cohort(self, start: dt.date, as_of: dt.date) -> Cohort:
        """Figures' inputs for the window [start, as_of], states as of ``as_of``."""
        return self._cohort(start, as_of, self.states(as_of))

    def states(self, as_of: dt.date) -> list[tuple[IssueTimeline, IssueState]]:
        """Every issue raised by ``as_of`` with its state then (memoised: periods share their ends)."""
        if as_of not in self._states:
            upto = bisect_right(self._raised, as_of)
            self._states[as_of] = [(t, t.state_at(as_of)) for t in self.timelines[:upto]]
        return self._states[as_of]

    def _cohort(self, start: dt.date, as_of: dt.date, all_issues: list[tuple[IssueTimeline, IssueState]]) -> Cohort:
        def window(items: list[Record], dates: list[dt.date]) -> list[Record]:
            lo = bisect_right(dates, start - dt.timedelta(days=1))
            return items[lo : bisect_right(dates, as_of)]

        return Cohort(
            start=start,
            as_of=as_of,
            issues=[(t, s) for t, s in all_issues if t.raised >= start],
            all_issues=all_issues,
            visits=window(self._visits, self._visit_dates),
            enterprises=self._enterprises[: bisect_right(self._joined, as_of)],
            legal=window(self._legal, self._legal_dates),
            counter=self.counter,
            response_days=self.response_days,
            satisfied=self.satisfied,
        )

    def figures(self, start: dt.date, as_of: dt.date) -> dict[str, Any]:
        """Every metric for the window [start, as_of]."""
        return compute_all(self.cohort(start, as_of))

    # -- the period's statistics --------------------------------------------------------

    def stats(self, period: Period) -> dict[str, Any]:
        """The statistics of ``period`` as of its end, in the ``reportgen stats`` JSON shape (memoised)."""
        if period not in self._memo:
            self._memo[period] = self._stats(period)
        return self._memo[period]

    def _stats(self, period: Period) -> dict[str, Any]:
        as_of = period.end
        cumulative = self.cohort(self.campaign_start, as_of)
        in_period = self._cohort(period.start, as_of, cumulative.all_issues)
        previous = period.previous()
        result: dict[str, Any] = {
            "period": period.key,
            "kind": period.kind,
            "name": period.name,
            "start": period.start.isoformat(),
            "end": period.full_end.isoformat(),
            "as_of": as_of.isoformat(),
            "campaign_start": self.campaign_start.isoformat(),
            "cumulative": compute_all(cumulative),
            "in_period": compute_all(in_period),
            "previous_period": previous.key,
            "previous": self.figures(previous.start, previous.end),
        }
        result["by_department"] = self.ranking(cumulative, "department")
        result["by_team"] = self.ranking(cumulative, "team")
        result["by_category"] = self.breakdown(cumulative, in_period, previous, "category", CATEGORIES)
        result["by_level"] = self.breakdown(cumulative, in_period, previous, "level", LEVELS)
        result["by_enterprise"] = self.by_enterprise(cumulative)
        result["overdue"] = [self._overdue_row(row) for row in self.ledger(as_of) if row.days_overdue > 0]
        if period.kind != "month":
            result["months"] = [
                {
                    "period": m.key,
                    "name": m.name,
                    "as_of": m.end.isoformat(),
                    "in_period": self.figures(m.start, m.end),
                    "cumulative": self.figures(self.campaign_start, m.end),
                }
                for m in period.months()
            ]
        return result

    # -- breakdowns ---------------------------------------------------------------------

    def _unit_of(self, kind: str) -> Callable[[IssueTimeline, IssueState], str | None]:
        if kind == "department":
            return lambda t, s: t.lead_department
        if kind == "team":
            return lambda t, s: self.team_of.get(t.enterprise)
        if kind == "category":
            return lambda t, s: t.category
        return lambda t, s: s.level

    def _groups(self, cohort: Cohort, key: Callable[[IssueTimeline, IssueState], str | None]) -> dict[str, Cohort]:
        """The cohort split by unit, category or level, in one pass."""
        grouped: dict[str | None, list[tuple[IssueTimeline, IssueState]]] = {}
        for pair in cohort.issues:
            grouped.setdefault(key(*pair), []).append(pair)
        return {value: self._narrowed(cohort, issues) for value, issues in grouped.items() if value is not None}

    def _narrowed(self, cohort: Cohort, issues: list[tuple[IssueTimeline, IssueState]]) -> Cohort:
        return Cohort(
            cohort.start,
            cohort.as_of,
            issues,
            issues,
            [],
            [],
            [],
            cohort.counter,
            cohort.response_days,
            cohort.satisfied,
        )

    def _unit_figures(self, cohort: Cohort) -> dict[str, Any]:
        return {k: METRICS_BY_KEY[k].compute(cohort) for k in UNIT_KEYS}

    def ranking(self, cumulative: Cohort, kind: str) -> list[dict[str, Any]]:
        """Departments (by lead department) or teams, scored and ranked; small units listed unranked."""
        units = self.records.departments if kind == "department" else self.records.teams
        groups = self._groups(cumulative, self._unit_of(kind))
        rows = []
        for unit_id, unit in sorted(units.items()):
            if unit_id not in groups:
                continue
            figures = self._unit_figures(groups[unit_id])
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
        return round(100 * weighted / total, 1)

    def breakdown(
        self,
        cumulative: Cohort,
        in_period: Cohort,
        previous: Period,
        kind: str,
        values: tuple[str, ...],
    ) -> list[dict[str, Any]]:
        """Figures per category or level: cumulative, this period and the previous one (环比)."""
        key = self._unit_of(kind)
        groups = self._groups(cumulative, key)
        current = self._groups(in_period, key)
        before = self._groups(self.cohort(previous.start, previous.end), key)
        rows = []
        for value in values:
            if value not in groups:
                continue
            now = current[value].issues if value in current else []
            rows.append(
                {
                    kind: value,
                    **self._unit_figures(groups[value]),
                    "in_period_identified": len(now),
                    "in_period_resolved": sum(1 for _, s in now if s.is_resolved),
                    "previous_identified": len(before[value].issues) if value in before else 0,
                }
            )
        return rows

    def by_enterprise(self, cumulative: Cohort) -> list[dict[str, Any]]:
        """Issues and visits per enterprise, cumulative."""
        visits: dict[str, int] = {}
        for v in cumulative.visits:
            visits[v["enterprise"]] = visits.get(v["enterprise"], 0) + 1
        issues: dict[str, list[IssueState]] = {}
        for t, s in cumulative.issues:
            issues.setdefault(t.enterprise, []).append(s)
        rows = []
        for e in cumulative.enterprises:
            states = issues.get(e.id, [])
            if not states and e.id not in visits:
                continue
            rows.append(
                {
                    "id": e.id,
                    "name": e["name"],
                    "team": e.get("team"),
                    "visits": visits.get(e.id, 0),
                    "issues_identified": len(states),
                    "issues_resolved": sum(s.is_resolved for s in states),
                    "issues_open": sum(s.is_open for s in states),
                }
            )
        return sorted(rows, key=lambda r: r["id"])

    # -- the ledger -----------------------------------------------------------------------

    def ledger(self, as_of: dt.date) -> list[LedgerRow]:
        """Every issue raised on or before ``as_of``, with its state then, in raised order."""
        enterprises, departments = self.records.enterprises, self.records.departments
        rows = []
        for t in self.timelines[: bisect_right(self._raised, as_of)]:
            s = t.state_at(as_of)
            end = s.finished_on or as_of
            overdue = self.counter.between(t.deadline, as_of) if s.is_open and t.deadline < as_of else 0
            rows.append(
                LedgerRow(
                    issue=t,
                    state=s,
                    enterprise_name=enterprises[t.enterprise]["name"],
                    department_name=departments[t.lead_department].get("short_name")
                    or departments[t.lead_department]["name"],
                    team=self.team_of.get(t.enterprise),
                    days_open=(end - t.raised).days,
                    days_overdue=max(overdue, 0),
                )
            )
        return rows

    def _overdue_row(self, row: LedgerRow) -> dict[str, Any]:
        t = row.issue
        return {
            "issue": t.id,
            "title": t.title,
            "enterprise": t.enterprise,
            "enterprise_name": row.enterprise_name,
            "department": t.lead_department,
            "department_name": row.department_name,
            "raised": t.raised.isoformat(),
            "deadline": t.deadline.isoformat(),
            "days_overdue": row.days_overdue,
            "status": row.state.status,
            "level": row.state.level,
        }


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
