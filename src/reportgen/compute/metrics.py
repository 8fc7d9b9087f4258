"""Every statistic, defined once: its names, numerator, denominator, what places a record
in a period, and the function that computes it.

The same ``Metric`` objects drive the computation, ``docs/metrics.md``, ``metrics.html``
and the 指标说明 section of every bulletin, so a definition cannot drift from its number.
"""

from __future__ import annotations

import datetime as dt
import statistics
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
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
        """How many of ``issues`` pass the named test of ``ISSUE_TESTS`` (``IDENTIFIED``: how many there are)."""
        if self._counts is None:  # one plain pass per test (the engine presets this from its snapshots)
            self._counts = {
                IDENTIFIED: len(self.issues),
                **{
                    check.name: sum(1 for t, s in self.issues if passes(t, s))
                    for check in ISSUE_CHECKS
                    for passes in (check.make(self),)
                },
            }
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


# Where a metric is shown: the groups a metric declares it belongs to.  Each tuple of keys
# a page or the engine uses is ``group(name)``, in registry order.
GROUPS: dict[str, str] = {
    "headline": "网站首页的主要指标",
    "summary": "通报“主要指标”表",
    "unit": "各单位、各类别、各层级的统计（stats 的 by_department、by_team、by_category、by_level）",
    "ranked": "可以配置排名权重的比率（config.yaml 的 ranking_weights 只接受这些键）",
    "compared": "通报表扬、批评和点评中与全区相比的比率",
    "trend": "网站首页分月趋势表的当月数",
    "trend_cumulative": "网站首页分月趋势表的累计数",
    "unit_columns": "网站各单位一览表的列",
    "ranking_columns": "月通报、季点评和年度考核中各单位排名表的列",
    "unit_month": "网站单位页分月表的当月数",
    "unit_cumulative": "网站单位页分月表的累计数",
}


@dataclass(frozen=True)
class IssueCheck:
    """A named test an issue passes or not, as of a cohort's as-of day: what every issue count counts."""

    name: str  # the count's key is issues_<name>
    title: str  # what a list of the issues that pass is called
    definition: str  # the test in words, ending in 的问题
    make: Callable[[Cohort], IssueTest]  # the test for a cohort (a few depend on its as-of day or the settings)
    dated: bool = False  # looks at the as-of day itself (else the issue and its state decide)


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
    groups: frozenset[str] = frozenset()  # keys of GROUPS
    short: str = ""  # a shorter Chinese name for running text (解决率); the name itself when empty
    head: str = ""  # a narrow table column's name (问题); the short name when empty
    counts: str | None = None  # the IssueCheck whose issues the figure counts (or averages over)
    over: str | None = None  # a rate's denominator: an IssueCheck, or IDENTIFIED for every issue of the window

    @property
    def is_rate(self) -> bool:
        """Rates are fractions shown as percentages."""
        return self.unit == "%"

    @property
    def short_zh(self) -> str:
        """The name in running text."""
        return self.short or self.zh

    @property
    def head_zh(self) -> str:
        """The name heading a narrow table's column."""
        return self.head or self.short_zh

    @property
    def count_unit(self) -> str:
        """The unit a heading names for the figure, written without it (家, 件, 场次); none for a figure whose
        text carries it (65.4%, 60.35万元, 13天)."""
        return "" if self.is_rate or self.unit in ("元", "天") else self.unit


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
    return partial(is_overdue, as_of=cohort.as_of)  # one Python call per issue, not two


def _responded(t: IssueTimeline, s: IssueState) -> bool:
    return s.first_action_on is not None and s.first_action_on <= t.response_due


def _satisfied(cohort: Cohort) -> IssueTest:
    return lambda t, s: s.rating is not None and s.rating in cohort.satisfied


def _fixed(test: IssueTest) -> Callable[[Cohort], IssueTest]:
    return lambda cohort: test


IDENTIFIED = "identified"  # every issue of the window: the count that needs no test
ISSUE_CHECKS: tuple[IssueCheck, ...] = (
    IssueCheck(
        "resolved",
        "已解决问题",
        "结果为“已解决”（已解决后销号的也算，已答复或长期推进后销号的不算）的问题",
        _fixed(lambda t, s: s.is_resolved),
    ),
    IssueCheck("closed", "已销号问题", "状态为“销号”的问题", _fixed(lambda t, s: s.is_closed)),
    IssueCheck(
        "open",
        "正在办理问题",
        "状态为“问题收集”“分办交办”或“办理中”（含结束后又恢复办理）的问题",
        _fixed(lambda t, s: s.is_open),
    ),
    IssueCheck("long_term", "长期推进问题", "结果为“长期推进”的问题", _fixed(lambda t, s: s.is_long_term)),
    IssueCheck(
        "answered",
        "已答复问题",
        "结果为“已答复”（不予解决并已答复企业，销号与否都算，从不计入已解决）的问题",
        _fixed(lambda t, s: s.is_answered),
    ),
    IssueCheck(
        "finished",
        "已办结问题",
        "处于结束状态（已解决、长期推进、已答复或销号）的问题",
        _fixed(lambda t, s: s.is_finished),
    ),
    IssueCheck("overdue", "超期未办结问题", "期末仍在办理、办结期限早于期末的问题", _overdue, dated=True),
    IssueCheck("finished_late", "超期办结问题", "已办结、办结日期晚于办结期限的问题", _fixed(_late)),
    IssueCheck("on_time", "按时办结问题", "已办结、办结日期不晚于办结期限的问题", _fixed(_on_time)),
    IssueCheck("escalated", "逐级上报问题", "期末层级为市级或省级的问题", _fixed(lambda t, s: s.level != "区级")),
    IssueCheck(
        "responded",
        "及时响应问题",
        "首次办理动作（办理记录的第二条）不晚于响应期限最后一天的问题",
        _fixed(_responded),
    ),
    IssueCheck("rated", "已有企业评价的问题", "期末已有企业评价的问题", _fixed(lambda t, s: s.rating is not None)),
    IssueCheck(
        "satisfied",
        "企业满意问题",
        "企业评价计入满意（满意或基本满意；办公室配置为只计满意时只计“满意”）的问题",
        _satisfied,
    ),
)
CHECKS: dict[str, IssueCheck] = {c.name: c for c in ISSUE_CHECKS}
# Every test an issue count stands on, by name: the test for a cohort's issues.  Counted together, in one pass.
ISSUE_TESTS: dict[str, Callable[[Cohort], IssueTest]] = {c.name: c.make for c in ISSUE_CHECKS}
# The tests that look at the as-of date itself.  The others answer from the issue, its
# state and the office's settings alone: the same for the same state on any day.
DATED_TESTS = frozenset(c.name for c in ISSUE_CHECKS if c.dated)


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


RAISED = "问题的提出日期在期内；状态取期末当日的状态"
ISSUES = "期内提出的问题数"


def _issues(key: str, zh: str, en: str, check: str, *groups: str, short: str = "", head: str = "") -> Metric:
    """A count of the window's issues that pass ``check`` (``short``: its name in running text, if shorter;
    ``head``: in a narrow table's heading)."""
    return Metric(
        key,
        zh,
        en,
        "件",
        f"期内提出的问题中，{CHECKS[check].definition}数",
        None,
        RAISED,
        lambda c: c.count(check),
        frozenset(groups),
        short=short,
        head=head,
        counts=check,
    )


def _ratio(key: str, zh: str, en: str, check: str, over: str, *groups: str, short: str = "") -> Metric:
    """The share of the issues passing ``over`` (or of every issue: ``IDENTIFIED``) that pass ``check``."""
    denominator = ISSUES if over == IDENTIFIED else f"期内提出的问题中，{CHECKS[over].definition}数"

    def compute(c: Cohort) -> float | None:
        return _rate(c.count(check), c.count(over))

    return Metric(
        key,
        zh,
        en,
        "%",
        f"期内提出的问题中，{CHECKS[check].definition}数",
        denominator,
        RAISED,
        compute,
        frozenset(groups),
        short=short,
        counts=check,
        over=over,
    )


METRICS: tuple[Metric, ...] = (
    Metric(
        "enterprises_in_library",
        "在库企业",
        "enterprises in library",
        "家",
        "入库日期不晚于期末、且没有在期末之前出库的企业数（出库日期就是期末的，期末仍算在库）",
        None,
        "期末当日在库（存量，本期与累计相同）",
        _in_library,
        frozenset({"headline", "summary"}),
    ),
    Metric(
        "enterprises_joined",
        "新入库企业",
        "enterprises joined",
        "家",
        "入库日期在期内的企业数（活动开始日之前入库的企业在库，但不算任何时期的新入库）",
        None,
        "入库日期",
        lambda c: sum(1 for e in c.enterprises if c.in_window(e.get("joined"))),
    ),
    Metric(
        "enterprises_visited",
        "走访企业",
        "enterprises visited",
        "家",
        "期内至少被走访一次的不同企业数",
        None,
        "走访日期",
        lambda c: len({v["enterprise"] for v in c.visits}),
        frozenset({"headline", "summary"}),
    ),
    Metric(
        "visits",
        "走访次数",
        "visits",
        "次",
        "期内的走访、座谈、送法进企业和调研次数",
        None,
        "走访日期",
        lambda c: len(c.visits),
        frozenset({"headline", "summary"}),
    ),
    Metric(
        "issues_identified",
        "梳理问题",
        "issues identified",
        "件",
        ISSUES,
        None,
        RAISED,
        lambda c: c.count(IDENTIFIED),
        frozenset(
            {
                "headline",
                "summary",
                "unit",
                "trend",
                "trend_cumulative",
                "unit_columns",
                "ranking_columns",
                "unit_month",
                "unit_cumulative",
            }
        ),
        head="问题",
        counts=IDENTIFIED,
    ),
    _issues(
        "issues_resolved",
        "已解决问题",
        "issues resolved",
        "resolved",
        "headline",
        "summary",
        "unit",
        "trend_cumulative",
        "unit_columns",
        "ranking_columns",
        "unit_cumulative",
        short="已解决",
    ),
    Metric(
        "issues_resolved_during",
        "期内解决问题",
        "issues resolved during the period",
        "件",
        "解决日期在期内、期末结果仍为“已解决”的问题数（不论何时提出）",
        None,
        "解决日期：问题仍处于的那一次“已解决”的日期（重新办理后再次解决的，取最后一次）",
        _resolved_during,
        frozenset({"summary", "trend", "unit_month"}),
        short="解决问题",
    ),
    _issues("issues_closed", "已销号问题", "issues closed", "closed"),
    _issues("issues_open", "正在办理问题", "issues open", "open", "unit", "unit_cumulative"),
    _issues("issues_long_term", "长期推进问题", "issues long-term", "long_term", "unit"),
    _issues("issues_answered", "已答复问题", "issues answered", "answered", "unit"),
    _issues("issues_finished", "已办结问题", "issues finished", "finished", "summary", "unit"),
    _issues(
        "issues_overdue",
        "超期未办结",
        "overdue open",
        "overdue",
        "headline",
        "summary",
        "unit",
        "trend_cumulative",
        "unit_columns",
        "ranking_columns",
        "unit_cumulative",
        head="超期",
    ),
    _issues("issues_finished_late", "超期办结", "finished late", "finished_late", "unit"),
    _issues("issues_escalated", "逐级上报问题", "issues escalated", "escalated"),
    _ratio(
        "resolution_rate",
        "问题解决率",
        "resolution rate",
        "resolved",
        IDENTIFIED,
        "headline",
        "summary",
        "unit",
        "ranked",
        "compared",
        "trend_cumulative",
        "unit_columns",
        "ranking_columns",
        "unit_cumulative",
        short="解决率",
    ),
    _ratio(
        "completion_rate",
        "办结率",
        "completion rate",
        "finished",
        IDENTIFIED,
        "headline",
        "summary",
        "unit",
        "ranked",
        "trend_cumulative",
    ),
    _ratio(
        "on_time_rate",
        "按时办结率",
        "on-time rate",
        "on_time",
        "finished",
        "headline",
        "summary",
        "unit",
        "ranked",
        "compared",
        "unit_columns",
        "ranking_columns",
        "unit_cumulative",
    ),
    _ratio(
        "satisfaction_rate",
        "企业满意率",
        "satisfaction rate",
        "satisfied",
        "rated",
        "headline",
        "summary",
        "unit",
        "ranked",
        "compared",
        "ranking_columns",
        "unit_cumulative",
        short="满意率",
    ),
    _ratio("response_rate", "响应率", "response rate", "responded", IDENTIFIED, "summary", "unit", "ranked"),
    _issues("issues_rated", "企业评价数", "ratings given", "rated", "unit"),
    Metric(
        "median_days_to_resolve",
        "解决用时中位数",
        "median days to resolve",
        "天",
        "期内提出、结果为“已解决”的问题，从提出日期到解决日期的自然日数的中位数（个数为偶数时取中间两个的平均数）",
        None,
        RAISED,
        lambda c: _median(c.days_to_resolve()),
        counts="resolved",
    ),
    Metric(
        "mean_days_to_resolve",
        "解决用时平均数",
        "mean days to resolve",
        "天",
        "期内提出、结果为“已解决”的问题，从提出日期到解决日期的自然日数的平均数",
        None,
        RAISED,
        lambda c: _mean(c.days_to_resolve()),
        counts="resolved",
    ),
)


# The rules every figure follows, in words: docs/metrics.md and metrics.html print them, so
# that a figure can be recomputed from the records alone.  (title, text)
RULES: tuple[tuple[str, str], ...] = (
    (
        "期末状态",
        "每个数字都按时期最后一天（或给出的截止日）当天的状态计算：问题的状态由办理记录逐条回放到那一天，"
        "此后才有的记录（办理记录、评价、走访、法治服务、入库）在计算中不存在。9月的通报在12月重新生成，数字不变。",
    ),
    (
        "本期与累计",
        "本期：日期在时期内的记录（问题按提出日期，走访、法治服务按其日期，新入库企业按入库日期）；"
        "累计：从活动开始日（办公室配置的开始日）到期末。时期开始于活动开始日之前的，本期也从活动开始日算起，"
        "所以本期数从不大于累计数。",
    ),
    (
        "环比",
        "与上一个同样长度的时期（上月、上季度、上年）比较，上一时期也按它自己的期末状态计算、同样从活动开始日起算。"
        "上一时期在活动开始日之前就已结束的，没有可比的数字，环比显示为“—”。",
    ),
    (
        "结果与销号",
        "问题的结果是它在销号之前最后进入的结束状态：已解决、长期推进或已答复（不予解决）。销号只确认结果，"
        "不改变结果：已答复后销号的问题仍是已答复，从不计为已解决；已解决后销号的问题仍是已解决。"
        "结束后又恢复办理的问题，在再次结束之前没有结果，算正在办理。",
    ),
    (
        "办结日期",
        "问题进入它目前仍处于的这一段连续结束状态（已解决、长期推进、已答复、销号）的第一天；"
        "恢复办理后再次结束的，取最后一段。按时办结、超期办结和办结率都用办结日期。"
        "长期推进后又解决的问题，办结日期仍是进入长期推进的那一天。",
    ),
    (
        "解决日期",
        "问题目前仍处于的那一次“已解决”的日期（之后销号不改变它）。解决用时和“期内解决问题”用解决日期；"
        "长期推进后又解决的问题，解决日期是“已解决”那一天。解决用时是从提出日期到解决日期的自然日数。",
    ),
    (
        "期限都是日期",
        "每个时限都先换算成最后允许的日期，再按日期比较。办结期限：问题写明的办结期限；没有写的，"
        "是提出日期之后第N天（N为问题的办理时限，没有写的用办公室的默认时限）；按工作日计的办公室，"
        "是提出日期之后第N个工作日（节假日和调休上班日依据节假日安排记录）。响应期限同样是提出日期之后第N天"
        "或第N个工作日（N为办公室配置的响应天数）。办结日期不晚于办结期限的为按时办结；"
        "首次办理动作（办理记录的第二条）的日期不晚于响应期限的为及时响应。",
    ),
    (
        "超期",
        "超期未办结：期末仍在办理（问题收集、分办交办、办理中）且办结期限早于期末的问题。通报的督办数、"
        "逾期问题清单和统计中的超期未办结数是同一批问题。超期时长是办结期限之后到期末（含期末）的天数，"
        "按工作日计的办公室数工作日；总带单位（天或个工作日）；期限后还没有经过一个工作日的（例如期限是周五、"
        "期末是周日），写作“不足1个工作日”。",
    ),
    (
        "比率",
        "比率是0到1之间的小数，分母为0时为空，通报中显示为“—”；通报和网站把它写成保留一位小数的百分数，四舍五入"
        "（88.25%写作88.3%）。判断进位时先把数值取到小数点后9位，避免计算机二进制误差决定进位方向。",
    ),
    (
        "排名",
        "按牵头单位（或企业所属的“1+3”队伍）归集累计问题。综合得分 = 各比率按配置的权重加权平均×100，"
        "某个比率为空（分母为0）时，它的权重按比例分给其余比率；所有比率都为空的不计分。得分四舍五入保留一位小数，"
        "名次按印出来的得分排：得分相同的单位名次相同（并列），下一个名次跳过并列的个数（1、2、2、4）；"
        "并列的单位按问题数多的在前、再按编号排列。问题数少于配置的最少问题数的单位和不参加排名的单位只列出、不排名。",
    ),
    (
        "没有问题的单位",
        "所有责任单位和所有服务队伍都列出，期内没有问题的单位问题数为0、各比率为“—”、不排名；"
        "各层级（区级、市级、省级）也都列出。问题类别只列出有问题的类别。",
    ),
    (
        "满意率口径",
        "企业满意率的分子默认是评价为“满意”或“基本满意”的问题数；办公室配置为只计满意的，只计“满意”。"
        "分母是期末已有企业评价的问题数。",
    ),
)


def group(name: str) -> tuple[str, ...]:
    """The keys of the metrics in group ``name`` (see ``GROUPS``), in registry order."""
    if name not in GROUPS:
        raise KeyError(name)
    return tuple(m.key for m in METRICS if name in m.groups)


def list_key(check: str) -> str:
    """The key of the count (and of the list page) of the issues passing ``check``."""
    return f"issues_{check}"


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
        "法治服务的日期",
        _legal_sum(word),
    )
    for word, key in LEGAL_KINDS.items()
)
METRICS_BY_KEY: dict[str, Metric] = {m.key: m for m in METRICS + LEGAL_METRICS}
# figures whose rise is bad news (the site shows such a rise in red, a fall in green); for the rest a rise is good
RISE_IS_BAD: frozenset[str] = frozenset(
    {"issues_overdue", "issues_finished_late", "median_days_to_resolve", "mean_days_to_resolve"}
)
LEGAL_KEYS = frozenset(m.key for m in LEGAL_METRICS)


def compute_all(cohort: Cohort) -> dict[str, Any]:
    """Every metric of ``cohort``: the flat figures plus ``legal`` for the legal-service totals."""
    figures: dict[str, Any] = {m.key: m.compute(cohort) for m in METRICS}
    figures["legal"] = {m.key: m.compute(cohort) for m in LEGAL_METRICS}
    return figures
