"""Every statistic, defined once: its names, numerator, denominator, what places a record
in a period, and the function that computes it.

The same ``Metric`` objects drive the computation, ``docs/metrics.md``, ``metrics.html``
and the 指标说明 section of every bulletin, so a definition cannot drift from its number.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from reportgen.compute.timeline import IssueState, IssueTimeline
from reportgen.model import Record
from reportgen.schema.kinds import LEGAL_KINDS, MONEY_LEGAL_KIND
from reportgen.workdays import DayCounter

Number = int | float | None


@dataclass
class Cohort:
    """What one column of figures is computed from: a window of days and the state at its end.

    ``start`` is the window's first day (the campaign start for cumulative figures);
    ``as_of`` its last day, whose state every record is taken in.
    """

    start: dt.date
    as_of: dt.date
    issues: list[tuple[IssueTimeline, IssueState]]  # raised within the window
    all_issues: list[tuple[IssueTimeline, IssueState]]  # raised on or before as_of
    visits: list[Record]  # dated within the window
    enterprises: list[Record]  # every enterprise joined on or before as_of
    legal: list[Record]  # dated within the window
    counter: DayCounter
    response_days: int
    satisfied: frozenset[str]  # the ratings that count as satisfied

    def in_window(self, day: dt.date | None) -> bool:
        """True when ``day`` falls within the window."""
        return day is not None and self.start <= day <= self.as_of


@dataclass(frozen=True)
class Metric:
    """One statistic and its definition."""

    key: str  # the JSON key
    zh: str
    en: str
    unit: str  # 家, 次, 件, 天, 元, or % for rates
    numerator: str
    denominator: str | None
    placement: str  # which date places a record in a period
    compute: Callable[[Cohort], Number]

    @property
    def is_rate(self) -> bool:
        """Rates are fractions shown as percentages."""
        return self.unit == "%"


def _rate(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _count(cohort: Cohort, test: Callable[[IssueTimeline, IssueState], bool]) -> int:
    return sum(1 for t, s in cohort.issues if test(t, s))


def _in_library(cohort: Cohort) -> int:
    return sum(1 for e in cohort.enterprises if (e.get("left") is None or e.get("left") >= cohort.as_of))


def _on_time(t: IssueTimeline, s: IssueState) -> bool:
    return s.is_finished and s.finished_on is not None and s.finished_on <= t.deadline


def _late(t: IssueTimeline, s: IssueState) -> bool:
    return s.is_finished and s.finished_on is not None and s.finished_on > t.deadline


def _overdue(cohort: Cohort) -> Callable[[IssueTimeline, IssueState], bool]:
    return lambda t, s: s.is_open and t.deadline < cohort.as_of


def _responded(cohort: Cohort) -> Callable[[IssueTimeline, IssueState], bool]:
    def test(t: IssueTimeline, s: IssueState) -> bool:
        first = s.first_action_on
        return first is not None and cohort.counter.between(t.raised, first) <= cohort.response_days

    return test


def _days_to_resolve(cohort: Cohort) -> list[int]:
    return [(s.resolved_on - t.raised).days for t, s in cohort.issues if s.is_resolved and s.resolved_on]


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def _mean(values: list[int]) -> float | None:
    return statistics.fmean(values) if values else None


def _satisfaction(cohort: Cohort) -> float | None:
    rated = [s.rating for _, s in cohort.issues if s.rating]
    return _rate(sum(1 for r in rated if r in cohort.satisfied), len(rated))


RAISED = "问题的提出日期（raised）在期内；状态取期末当日的状态"
ISSUES = "期内提出的问题数"

METRICS: tuple[Metric, ...] = (
    Metric(
        "enterprises_in_library",
        "在库企业",
        "enterprises in library",
        "家",
        "入库日期不晚于期末、且未在期末之前出库的企业数",
        None,
        "期末当日在库（存量，期内与累计相同）",
        _in_library,
    ),
    Metric(
        "enterprises_joined",
        "新入库企业",
        "enterprises joined",
        "家",
        "入库日期在期内的企业数",
        None,
        "入库日期（joined）",
        lambda c: sum(1 for e in c.enterprises if c.in_window(e.get("joined"))),
    ),
    Metric(
        "enterprises_visited",
        "走访企业",
        "enterprises visited",
        "家",
        "期内至少被走访一次的不同企业数",
        None,
        "走访日期（date）",
        lambda c: len({v["enterprise"] for v in c.visits}),
    ),
    Metric(
        "visits",
        "走访次数",
        "visits",
        "次",
        "期内的走访、座谈、送法进企业和调研次数",
        None,
        "走访日期（date）",
        lambda c: len(c.visits),
    ),
    Metric(
        "issues_identified",
        "梳理问题",
        "issues identified",
        "件",
        ISSUES,
        None,
        RAISED,
        lambda c: len(c.issues),
    ),
    Metric(
        "issues_resolved",
        "已解决问题",
        "issues resolved",
        "件",
        "期内提出、期末状态为“已解决”或“销号”的问题数",
        None,
        RAISED,
        lambda c: _count(c, lambda t, s: s.is_resolved),
    ),
    Metric(
        "issues_closed",
        "已销号问题",
        "issues closed",
        "件",
        "期内提出、期末已销号的问题数",
        None,
        RAISED,
        lambda c: _count(c, lambda t, s: s.status == "销号"),
    ),
    Metric(
        "issues_open",
        "正在办理问题",
        "issues open",
        "件",
        "期内提出、期末仍为“问题收集”“分办交办”或“办理中”的问题数",
        None,
        RAISED,
        lambda c: _count(c, lambda t, s: s.is_open),
    ),
    Metric(
        "issues_long_term",
        "长期推进问题",
        "issues long-term",
        "件",
        "期内提出、期末为“长期推进”的问题数",
        None,
        RAISED,
        lambda c: _count(c, lambda t, s: s.status == "长期推进"),
    ),
    Metric(
        "issues_answered",
        "已答复问题",
        "issues answered",
        "件",
        "期内提出、期末为“已答复”（不予解决并已答复企业）的问题数",
        None,
        RAISED,
        lambda c: _count(c, lambda t, s: s.status == "已答复"),
    ),
    Metric(
        "issues_finished",
        "已办结问题",
        "issues finished",
        "件",
        "期内提出、期末为任一办结状态（已解决、销号、长期推进、已答复）的问题数",
        None,
        RAISED,
        lambda c: _count(c, lambda t, s: s.is_finished),
    ),
    Metric(
        "issues_overdue",
        "超期未办结",
        "overdue open",
        "件",
        "期内提出、期末仍在办理且办结期限早于期末的问题数",
        None,
        RAISED,
        lambda c: _count(c, _overdue(c)),
    ),
    Metric(
        "issues_finished_late",
        "超期办结",
        "finished late",
        "件",
        "期内提出、已办结但办结日期晚于办结期限的问题数",
        None,
        RAISED,
        lambda c: _count(c, _late),
    ),
    Metric(
        "issues_escalated",
        "逐级上报问题",
        "issues escalated",
        "件",
        "期内提出、期末层级为市级或省级的问题数",
        None,
        RAISED,
        lambda c: _count(c, lambda t, s: s.level != "区级"),
    ),
    Metric(
        "issues_resolved_during",
        "期内解决问题",
        "issues resolved during the period",
        "件",
        "解决日期在期内、期末仍为已解决或销号的问题数（不论何时提出）",
        None,
        "解决日期（history 中首次“已解决”的日期）",
        lambda c: sum(1 for t, s in c.all_issues if s.is_resolved and c.in_window(s.resolved_on)),
    ),
    Metric(
        "resolution_rate",
        "问题解决率",
        "resolution rate",
        "%",
        "已解决问题数（含销号）",
        ISSUES,
        RAISED,
        lambda c: _rate(_count(c, lambda t, s: s.is_resolved), len(c.issues)),
    ),
    Metric(
        "completion_rate",
        "办结率",
        "completion rate",
        "%",
        "已办结问题数（已解决、销号、长期推进、已答复）",
        ISSUES,
        RAISED,
        lambda c: _rate(_count(c, lambda t, s: s.is_finished), len(c.issues)),
    ),
    Metric(
        "on_time_rate",
        "按时办结率",
        "on-time rate",
        "%",
        "在办结期限当日或之前办结的问题数",
        "已办结问题数",
        RAISED,
        lambda c: _rate(_count(c, _on_time), _count(c, lambda t, s: s.is_finished)),
    ),
    Metric(
        "response_rate",
        "响应率",
        "response rate",
        "%",
        "提出后在响应时限内（按配置的自然日或工作日）有首次办理动作的问题数",
        ISSUES,
        RAISED,
        lambda c: _rate(_count(c, _responded(c)), len(c.issues)),
    ),
    Metric(
        "satisfaction_rate",
        "企业满意率",
        "satisfaction rate",
        "%",
        "评价为“满意”或“基本满意”的问题数（配置为 satisfied_only 时只计“满意”）",
        "期末已有企业评价的问题数",
        RAISED,
        _satisfaction,
    ),
    Metric(
        "issues_rated",
        "企业评价数",
        "ratings given",
        "件",
        "期末已有企业评价的问题数",
        None,
        RAISED,
        lambda c: _count(c, lambda t, s: s.rating is not None),
    ),
    Metric(
        "median_days_to_resolve",
        "解决用时中位数",
        "median days to resolve",
        "天",
        "已解决问题从提出到解决的自然日数的中位数",
        None,
        RAISED,
        lambda c: _median(_days_to_resolve(c)),
    ),
    Metric(
        "mean_days_to_resolve",
        "解决用时平均数",
        "mean days to resolve",
        "天",
        "已解决问题从提出到解决的自然日数的平均数",
        None,
        RAISED,
        lambda c: _mean(_days_to_resolve(c)),
    ),
)

LEGAL_NAMES: dict[str, str] = {
    "cases_handled": "办理涉民营经济案件",
    "procuratorial_suggestions": "提出检察建议",
    "pre_litigation_suggestions": "提出诉前检察建议",
    "judicial_suggestions": "提出改进性司法建议",
    "litigation_clues": "办理涉民营企业诉讼案件线索",
    "cases_filed": "立案",
    "lectures": "举办法律法规讲座",
    "contracts_reviewed": "审查规范经济合同",
    "disputes_resolved": "诉前化解矛盾纠纷",
    "money_recovered": "为民营企业家追回款项",
}
LEGAL_UNITS: dict[str, str] = {
    "cases_handled": "件",
    "procuratorial_suggestions": "份",
    "pre_litigation_suggestions": "件",
    "judicial_suggestions": "条",
    "litigation_clues": "件",
    "cases_filed": "件",
    "lectures": "场次",
    "contracts_reviewed": "份",
    "disputes_resolved": "件",
    "money_recovered": "元",
}


def _legal_sum(word: str) -> Callable[[Cohort], Number]:
    if word == MONEY_LEGAL_KIND:
        return lambda c: _yuan(
            sum(
                (e.get("amount_yuan") or Decimal(0) for e in c.legal if e["kind"] == word),
                Decimal(0),
            )
        )
    return lambda c: sum(int(e.get("count", 1)) for e in c.legal if e["kind"] == word)


def _yuan(amount: Decimal) -> int | float:
    return int(amount) if amount == amount.to_integral_value() else float(amount)


LEGAL_METRICS: tuple[Metric, ...] = tuple(
    Metric(
        "money_recovered_yuan" if key == "money_recovered" else key,
        LEGAL_NAMES[key],
        key.replace("_", " "),
        LEGAL_UNITS[key],
        f"法治服务台账中类别为“{word}”的{'金额之和' if key == 'money_recovered' else '数量之和'}",
        None,
        "法治服务的日期（date）",
        _legal_sum(word),
    )
    for word, key in LEGAL_KINDS.items()
)
METRICS_BY_KEY: dict[str, Metric] = {m.key: m for m in METRICS + LEGAL_METRICS}


def compute_all(cohort: Cohort) -> dict[str, Any]:
    """Every metric of ``cohort``: the flat figures plus ``legal`` for the legal-service totals."""
    figures: dict[str, Any] = {m.key: m.compute(cohort) for m in METRICS}
    figures["legal"] = {m.key: m.compute(cohort) for m in LEGAL_METRICS}
    return figures
