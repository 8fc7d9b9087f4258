"""What a change to the records does: which records, then figures, rankings and issued bulletins.

Both sides are validated records; every month and quarter from the campaign's start to the
last dated record of either side is computed with ``StatsEngine.stats`` on each side, and
only what would print differently is kept.  An issued bulletin is flagged only when the
figures it was issued with (its frozen file, else what the base gives) would change; one
written or issued in the same change has nothing to compare with yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from reportgen.compute import freeze
from reportgen.compute.metrics import LEGAL_METRICS, METRICS, Metric
from reportgen.compute.periods import Period, PeriodError, check_calendar, parse_period, periods_between
from reportgen.compute.stats import StatsEngine
from reportgen.formatting import date_zh, number, percent, score_text
from reportgen.model import Records
from reportgen.workdays import DayCounter, day_counter
from reportgen.workflow.recorddiff import RecordGroup, record_changes

SCOPES = (("in_period", "本期"), ("cumulative", "累计"))
STOCK_METRICS = frozenset({"enterprises_in_library"})  # the same in the period and cumulative: shown once
RANKINGS = (("by_department", "责任单位"), ("by_team", "服务队伍"))


@dataclass(frozen=True)
class FigureChange:
    """One figure of one period that changes."""

    period: str  # "2021-09"
    scope: str  # 本期 or 累计
    label: str  # 已解决问题（件）
    old: str
    new: str


@dataclass(frozen=True)
class RankChange:
    """A unit's place in a period's ranking (红黑榜) that changes."""

    period: str
    table: str  # 责任单位 or 服务队伍
    unit: str  # its name
    old: str
    new: str


@dataclass(frozen=True)
class BulletinChange:
    """An issued bulletin whose printed figures would change."""

    id: str
    number: str | None  # 川助企〔2021〕9号
    issued: str  # 2021年10月8日
    changes: tuple[freeze.FigureChange, ...]


@dataclass
class StatsDiff:
    """Everything that changes between two sets of records."""

    periods: list[Period] = field(default_factory=list)
    records: list[RecordGroup] = field(default_factory=list)
    figures: list[FigureChange] = field(default_factory=list)
    ranks: list[RankChange] = field(default_factory=list)
    bulletins: list[BulletinChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when no record and nothing that is printed changes."""
        return not (self.records or self.figures or self.ranks or self.bulletins)

    def changed_periods(self) -> list[Period]:
        """The periods with any figure or ranking change, in order."""
        keys = {c.period for c in self.figures} | {c.period for c in self.ranks}
        return [p for p in self.periods if p.key in keys]


# -- periods ------------------------------------------------------------------------------------


def record_dates(records: Records) -> Iterator[dt.date]:
    """Every date at which something happened in the records (not deadlines, which lie ahead)."""
    for visit in records.visits.values():
        yield visit["date"]
    for legal in records.legal.values():
        yield legal["date"]
    for enterprise in records.enterprises.values():
        yield enterprise["joined"]
        if enterprise.get("left"):
            yield enterprise["left"]
    for issue in records.issues.values():
        yield issue["raised"]
        yield from (step["date"] for step in issue["history"])
        if issue.get("rating"):
            yield issue["rating"]["date"]
    for item in records.rectifications.values():
        if item.get("done_on"):
            yield item["done_on"]


def periods(*sides: Records) -> list[Period]:
    """Every month and quarter from the earliest campaign start to the last dated record of any side,
    and the period of every bulletin text; those a side's working-day calendar cannot count to are left out."""
    start = min(side.config["campaign_start"] for side in sides)
    last = max((day for side in sides for day in record_dates(side)), default=start)
    found = {p.key: p for kind in ("month", "quarter") for p in periods_between(start, last, kind)}
    for side in sides:
        for bulletin in side.bulletins.values():
            try:
                period = parse_period(bulletin["period"])
            except PeriodError:
                continue
            found.setdefault(period.key, period)
    counters = [day_counter(side) for side in sides]
    return sorted((p for p in found.values() if _countable(p, counters)), key=lambda p: (p.full_end, p.kind != "month"))


def _countable(period: Period, counters: list[DayCounter]) -> bool:
    """True when every side can count the period's days (its calendar covers the year it ends in)."""
    try:
        for counter in counters:
            check_calendar(period, counter)
    except PeriodError:
        return False
    return True


# -- comparing ----------------------------------------------------------------------------------


def compare(old: Records, new: Records) -> StatsDiff:
    """The changes from ``old`` to ``new`` in every period either covers."""
    result = StatsDiff(periods(old, new), record_changes(old, new))
    old_engine, new_engine = StatsEngine(old), StatsEngine(new)
    before_of: dict[str, dict[str, Any]] = {}
    after_of: dict[str, dict[str, Any]] = {}
    for period in result.periods:
        before, after = old_engine.stats(period).to_json(), new_engine.stats(period).to_json()
        before_of[period.key], after_of[period.key] = before, after
        result.figures += figure_changes(period.key, before, after)
        result.ranks += rank_changes(period.key, before, after)
    result.bulletins = bulletin_changes(old, new, before_of, after_of)
    return result


def metric_label(metric: Metric) -> str:
    """``已解决问题（件）``; rates go without the unit."""
    return metric.zh if metric.is_rate else f"{metric.zh}（{metric.unit}）"


def metric_value(metric: Metric, value: Any) -> str:
    """The figure as a bulletin prints it: 65.4%, 35, 12.5, —; days always with one decimal."""
    if metric.is_rate:
        return percent(value)
    if isinstance(value, float):
        return f"{value:.1f}"
    return number(value)


def figure_changes(key: str, before: dict[str, Any], after: dict[str, Any]) -> list[FigureChange]:
    """The figures of one period that print differently."""
    changes: list[FigureChange] = []
    for section, scope in SCOPES:
        for metric, old, new in _figures(before[section], after[section]):
            if section == "in_period" and metric.key in STOCK_METRICS:
                continue
            old_text, new_text = metric_value(metric, old), metric_value(metric, new)
            if old_text != new_text:
                changes.append(FigureChange(key, scope, metric_label(metric), old_text, new_text))
    return changes


def _figures(before: dict[str, Any], after: dict[str, Any]) -> Iterator[tuple[Metric, Any, Any]]:
    for metric in METRICS:
        yield metric, before.get(metric.key), after.get(metric.key)
    for metric in LEGAL_METRICS:
        yield metric, before["legal"].get(metric.key), after["legal"].get(metric.key)


def rank_changes(key: str, before: dict[str, Any], after: dict[str, Any]) -> list[RankChange]:
    """Units whose place or score in the period's rankings changes."""
    changes: list[RankChange] = []
    for section, table in RANKINGS:
        old_rows = {row["id"]: row for row in before[section]}
        new_rows = {row["id"]: row for row in after[section]}
        for unit_id in sorted(old_rows.keys() | new_rows.keys()):
            old_text, new_text = _place(old_rows.get(unit_id)), _place(new_rows.get(unit_id))
            if old_text != new_text:
                row = new_rows.get(unit_id) or old_rows[unit_id]
                changes.append(RankChange(key, table, str(row["short_name"]), old_text, new_text))
    return changes


def _place(row: dict[str, Any] | None) -> str:
    if row is None:
        return "未列入"
    score = score_text(row["score"])
    if row["rank"] is None:
        return f"不排名（得分 {score}）"
    return f"第{row['rank']}名（得分 {score}）"


def bulletin_changes(
    old: Records, new: Records, before_of: dict[str, dict[str, Any]], after_of: dict[str, dict[str, Any]]
) -> list[BulletinChange]:
    """Bulletins issued before the change whose issued figures the change would alter.

    The figures it was issued with are its frozen file (on either side), else what the base
    computes for its period; a figure is listed when it differs from them and the change moved
    it.  A bulletin new in the change, or issued in it, is not flagged.
    """
    result: list[BulletinChange] = []
    for bulletin_id, before in sorted(old.bulletins.items()):
        after = new.bulletins.get(bulletin_id)
        period = before["period"]
        if not before.get("issued") or after is None or not after.get("issued") or period not in after_of:
            continue
        issued = freeze.read_frozen(new.root, bulletin_id) or freeze.read_frozen(old.root, bulletin_id)
        baseline = issued or {"figures": freeze.flatten(before_of[period])}
        base = freeze.flatten(before_of[period])  # only what this change moves: not an older drift
        changes = [c for c in freeze.changes_since_issue(baseline, after_of[period]) if base.get(c.key) != c.now]
        if changes:
            number = _doc_number(new, after.data)
            result.append(BulletinChange(bulletin_id, number, date_zh(after["issued"]), tuple(changes)))
    return result


def _doc_number(records: Records, data: dict[str, Any]) -> str | None:
    issued = data.get("issued")
    if not data.get("number") or not isinstance(issued, dt.date):
        return None
    return f"{records.config.get('doc_prefix', '')}〔{issued.year}〕{data['number']}号"
