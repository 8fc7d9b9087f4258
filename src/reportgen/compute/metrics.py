"""Every statistic, defined once: its names, numerator, denominator, what places a record
in a period, and the function that computes it.

The same ``Metric`` objects drive the computation, ``docs/metrics.md``, ``metrics.html``
and the 指标说明 section of every bulletin, so a definition cannot drift from its number.
"""

from __future__ import annotations

import datetime as dt
import statistics
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from itertools import starmap
from typing import Any

from reportgen.compute.timeline import IssueState, IssueTimeline
from reportgen.model import Record
from reportgen.schema.kinds import LEGAL_KINDS, MONEY_LEGAL_KIND
from reportgen.workdays import DayCounter

Number = int | float | None
IssueTest = Callable[[IssueTimeline, IssueState], bool]
Pair = tuple[IssueTimeline, IssueState]


@dataclass
class Cohort:
    """What one column of figures is computed from: a window of days and the state at its end.

    ``start`` is the window's first day (the campaign start for cumulative figures);
    ``as_of`` its last day, whose state every record is taken in.

    What the issue metrics count — how many issues pass each test in ``ISSUE_TESTS``,
    their days to resolve, the days the issues were resolved on — is worked out once per
    cohort, in one pass, when first asked for.  ``StatsEngine`` presets these for the
    cohorts it makes from figures it works out once per as-of date; they are not
    ``replace``-able fields, so a cohort narrowed with ``dataclasses.replace`` works them
    out afresh from its own issues.
    """

    start: dt.date
    as_of: dt.date
    issues: list[Pair]  # raised within the window
    all_issues: list[Pair]  # raised on or before as_of
    visits: list[Record]  # dated within the window
    enterprises: list[Record]  # every enterprise joined on or before as_of
    legal: list[Record]  # dated within the window
    counter: DayCounter
    response_days: int
    satisfied: frozenset[str]  # the ratings that count as satisfied
    _counts: dict[str, int] | None = field(default=None, init=False, repr=False, compare=False)
    _days: list[int] | None = field(default=None, init=False, repr=False, compare=False)
    _resolved_on: list[dt.date] | None = field(default=None, init=False, repr=False, compare=False)

    def in_window(self, day: dt.date | None) -> bool:
        """True when ``day`` falls within the window."""
        return day is not None and self.start <= day <= self.as_of

    def preset(
        self,
        counts: dict[str, int] | None = None,
        days: list[int] | None = None,
        resolved_on: list[dt.date] | None = None,
    ) -> Cohort:
        """Hand over what ``count``, ``days_to_resolve`` and ``resolved_on`` would work out, already known."""
        self._counts, self._days, self._resolved_on = counts, days, resolved_on
        return self

    def count(self, test: str) -> int:
        """How many of ``issues`` pass the named test of ``ISSUE_TESTS``."""
        if self._counts is None:
            self._counts = count_flags(Counter(issue_flags(self, self.issues)))
        return self._counts[test]

    def days_to_resolve(self) -> list[int]:
        """Calendar days from raised to resolved of every resolved issue in ``issues``."""
        if self._days is None:
            self._days = [d for d in starmap(days_to_resolve, self.issues) if d is not None]
        return self._days

    def resolved_on(self) -> list[dt.date]:
        """The days ``all_issues`` resolved as of ``as_of`` were resolved on, sorted."""
        if self._resolved_on is None:
            self._resolved_on = resolution_days(self.all_issues)
        return self._resolved_on


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


def _in_library(cohort: Cohort) -> int:
    return sum(1 for e in cohort.enterprises if (e.get("left") is None or e.get("left") >= cohort.as_of))


def _on_time(t: IssueTimeline, s: IssueState) -> bool:
    return s.is_finished and s.finished_on is not None and s.finished_on <= t.deadline


def _late(t: IssueTimeline, s: IssueState) -> bool:
    return s.is_finished and s.finished_on is not None and s.finished_on > t.deadline


def is_overdue(t: IssueTimeline, s: IssueState, as_of: dt.date) -> bool:
    """Open on ``as_of`` with its deadline (the last allowed day) before it: 超期未办结."""
    return s.is_open and t.deadline < as_of


def _overdue(cohort: Cohort) -> IssueTest:
    as_of = cohort.as_of
    return lambda t, s: is_overdue(t, s, as_of)


def _responded(t: IssueTimeline, s: IssueState) -> bool:
    return s.first_action_on is not None and s.first_action_on <= t.response_due


def _satisfied(cohort: Cohort) -> IssueTest:
    return lambda t, s: s.rating is not None and s.rating in cohort.satisfied


def _fixed(test: IssueTest) -> Callable[[Cohort], IssueTest]:
    return lambda cohort: test


# Every test an issue count stands on, by name: the test for a cohort's issues (a few
# depend on its as-of date or the office's settings).  Counted together, in one pass.
ISSUE_TESTS: dict[str, Callable[[Cohort], IssueTest]] = {
    "resolved": _fixed(lambda t, s: s.is_resolved),
    "closed": _fixed(lambda t, s: s.is_closed),
    "open": _fixed(lambda t, s: s.is_open),
    "long_term": _fixed(lambda t, s: s.is_long_term),
    "answered": _fixed(lambda t, s: s.is_answered),
    "finished": _fixed(lambda t, s: s.is_finished),
    "overdue": _overdue,
    "finished_late": _fixed(_late),
    "on_time": _fixed(_on_time),
    "escalated": _fixed(lambda t, s: s.level != "区级"),
    "responded": _fixed(_responded),
    "rated": _fixed(lambda t, s: s.rating is not None),
    "satisfied": _satisfied,
}
FLAG = {name: 1 << bit for bit, name in enumerate(ISSUE_TESTS)}  # each test's bit in an issue's flags
# The tests that look at the as-of date itself.  The others answer from the issue, its
# state and the office's settings alone: the same for the same state on any day.
DATED_TESTS = frozenset({"overdue"})


def issue_tests(cohort: Cohort, dated: bool | None = None) -> list[tuple[int, IssueTest]]:
    """The tests of ``ISSUE_TESTS`` for ``cohort`` with their ``FLAG`` bits: all, or only the dated or undated ones."""
    return [
        (FLAG[name], make(cohort))
        for name, make in ISSUE_TESTS.items()
        if dated is None or (name in DATED_TESTS) == dated
    ]


def flags_of(tests: list[tuple[int, IssueTest]], t: IssueTimeline, s: IssueState) -> int:
    """The bits of the ``tests`` the issue passes."""
    return sum([bit for bit, test in tests if test(t, s)])


def issue_flags(cohort: Cohort, pairs: Iterable[Pair]) -> list[int]:
    """Each issue's flags: the bits (``FLAG``) of the tests it passes, as of ``cohort.as_of``."""
    tests = issue_tests(cohort)
    return [flags_of(tests, t, s) for t, s in pairs]


@cache
def passed(flags: int) -> tuple[str, ...]:
    """The names of the tests whose bits are set in ``flags``."""
    return tuple(name for name, bit in FLAG.items() if flags & bit)


def count_flags(tally: Mapping[int, int]) -> dict[str, int]:
    """How many issues pass each test, from how many issues have each flags (a ``Counter``, tallied in C).

    An office's issues have few distinct flags, so this is quick whatever their number.
    """
    counts = dict.fromkeys(ISSUE_TESTS, 0)
    for flags, n in tally.items():
        for name in passed(flags):
            counts[name] += n
    return counts


def days_to_resolve(t: IssueTimeline, s: IssueState) -> int | None:
    """Calendar days from raised to resolved, for a resolved issue (else None)."""
    return (s.resolved_on - t.raised).days if s.is_resolved and s.resolved_on else None


def resolution_day(t: IssueTimeline, s: IssueState) -> dt.date | None:
    """The day a resolved issue was resolved on (else None)."""
    return s.resolved_on if s.is_resolved else None


def resolution_days(pairs: Iterable[Pair]) -> list[dt.date]:
    """The days the resolved issues among ``pairs`` were resolved on, sorted (to count any window by bisection)."""
    return sorted(filter(None, starmap(resolution_day, pairs)))


def _resolved_during(cohort: Cohort) -> int:
    days = cohort.resolved_on()
    return bisect_right(days, cohort.as_of) - bisect_left(days, cohort.start)


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def _mean(values: list[int]) -> float | None:
    return statistics.fmean(values) if values else None


def _satisfaction(cohort: Cohort) -> float | None:
    return _rate(cohort.count("satisfied"), cohort.count("rated"))


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
        lambda c: c.count("resolved"),
    ),
    Metric(
        "issues_closed",
        "已销号问题",
        "issues closed",
        "件",
        "期内提出、期末已销号的问题数",
        None,
        RAISED,
        lambda c: c.count("closed"),
    ),
    Metric(
        "issues_open",
        "正在办理问题",
        "issues open",
        "件",
        "期内提出、期末仍为“问题收集”“分办交办”或“办理中”的问题数",
        None,
        RAISED,
        lambda c: c.count("open"),
    ),
    Metric(
        "issues_long_term",
        "长期推进问题",
        "issues long-term",
        "件",
        "期内提出、期末为“长期推进”的问题数",
        None,
        RAISED,
        lambda c: c.count("long_term"),
    ),
    Metric(
        "issues_answered",
        "已答复问题",
        "issues answered",
        "件",
        "期内提出、期末为“已答复”（不予解决并已答复企业）的问题数",
        None,
        RAISED,
        lambda c: c.count("answered"),
    ),
    Metric(
        "issues_finished",
        "已办结问题",
        "issues finished",
        "件",
        "期内提出、期末为任一办结状态（已解决、销号、长期推进、已答复）的问题数",
        None,
        RAISED,
        lambda c: c.count("finished"),
    ),
    Metric(
        "issues_overdue",
        "超期未办结",
        "overdue open",
        "件",
        "期内提出、期末仍在办理且办结期限早于期末的问题数",
        None,
        RAISED,
        lambda c: c.count("overdue"),
    ),
    Metric(
        "issues_finished_late",
        "超期办结",
        "finished late",
        "件",
        "期内提出、已办结但办结日期晚于办结期限的问题数",
        None,
        RAISED,
        lambda c: c.count("finished_late"),
    ),
    Metric(
        "issues_escalated",
        "逐级上报问题",
        "issues escalated",
        "件",
        "期内提出、期末层级为市级或省级的问题数",
        None,
        RAISED,
        lambda c: c.count("escalated"),
    ),
    Metric(
        "issues_resolved_during",
        "期内解决问题",
        "issues resolved during the period",
        "件",
        "解决日期在期内、期末仍为已解决或销号的问题数（不论何时提出）",
        None,
        "解决日期（history 中首次“已解决”的日期）",
        _resolved_during,
    ),
    Metric(
        "resolution_rate",
        "问题解决率",
        "resolution rate",
        "%",
        "已解决问题数（含销号）",
        ISSUES,
        RAISED,
        lambda c: _rate(c.count("resolved"), len(c.issues)),
    ),
    Metric(
        "completion_rate",
        "办结率",
        "completion rate",
        "%",
        "已办结问题数（已解决、销号、长期推进、已答复）",
        ISSUES,
        RAISED,
        lambda c: _rate(c.count("finished"), len(c.issues)),
    ),
    Metric(
        "on_time_rate",
        "按时办结率",
        "on-time rate",
        "%",
        "在办结期限当日或之前办结的问题数",
        "已办结问题数",
        RAISED,
        lambda c: _rate(c.count("on_time"), c.count("finished")),
    ),
    Metric(
        "response_rate",
        "响应率",
        "response rate",
        "%",
        "提出后在响应时限内（按配置的自然日或工作日）有首次办理动作的问题数",
        ISSUES,
        RAISED,
        lambda c: _rate(c.count("responded"), len(c.issues)),
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
        lambda c: c.count("rated"),
    ),
    Metric(
        "median_days_to_resolve",
        "解决用时中位数",
        "median days to resolve",
        "天",
        "已解决问题从提出到解决的自然日数的中位数",
        None,
        RAISED,
        lambda c: _median(c.days_to_resolve()),
    ),
    Metric(
        "mean_days_to_resolve",
        "解决用时平均数",
        "mean days to resolve",
        "天",
        "已解决问题从提出到解决的自然日数的平均数",
        None,
        RAISED,
        lambda c: _mean(c.days_to_resolve()),
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
LEGAL_KEYS = frozenset(m.key for m in LEGAL_METRICS)


def compute_all(cohort: Cohort) -> dict[str, Any]:
    """Every metric of ``cohort``: the flat figures plus ``legal`` for the legal-service totals."""
    figures: dict[str, Any] = {m.key: m.compute(cohort) for m in METRICS}
    figures["legal"] = {m.key: m.compute(cohort) for m in LEGAL_METRICS}
    return figures
