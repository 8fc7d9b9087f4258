"""Generated official wording: the sentences a bulletin writes from its figures.

Everything here returns plain text (autoescaped by the templates).  The phrasing follows
the conventions of a district notice: “截至…”, one-decimal percentages, 环比 in words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from reportgen.compute.metrics import METRICS_BY_KEY, group
from reportgen.compute.results import Figures, MonthFigures, UnitRow
from reportgen.formatting import half_up, month_day_zh, number, percent

CHINESE_NUMERALS = "一二三四五六七八九十"


def ordinal(n: int) -> str:
    """1 → 一, 11 → 十一, 20 → 二十 (headings 一、 and （一）)."""
    if n <= 10:
        return CHINESE_NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CHINESE_NUMERALS[tens - 1]
    return head + "十" + (CHINESE_NUMERALS[ones - 1] if ones else "")


def rate_text(label: str, value: float | None) -> str:
    """问题解决率65.4%, or 问题解决率暂无数据 when there is nothing to divide by."""
    return f"{label}{percent(value)}" if value is not None else f"{label}暂无数据"


def change_words(
    current: float | int | None, previous: float | int | None, unit: str = "件", rate: bool = False
) -> str:
    """环比增加3件 / 环比下降2.5个百分点 / 环比持平; empty when there is no previous figure."""
    if current is None or previous is None:
        return ""
    delta = (current - previous) * (100 if rate else 1)
    if abs(delta) < 1e-9:
        return "环比持平"
    if rate:
        return f"环比{'上升' if delta > 0 else '下降'}{half_up(abs(delta))}个百分点"
    return f"环比{'增加' if delta > 0 else '减少'}{number(abs(delta))}{unit}"


def days_text(days: int, unit: str) -> str:
    """A day count with its unit: 3天, 2个工作日; 0 working days overdue is 不足1个工作日."""
    return f"不足1{unit}" if days == 0 else f"{days}{unit}"


def with_change(text: str, change: str) -> str:
    """``text（环比增加3件）`` or just ``text``."""
    return f"{text}（{change}）" if change else text


def join_names(names: Sequence[str]) -> str:
    """A、B和C."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return "、".join(names[:-1]) + "和" + names[-1]


# -- units: praise, criticism, comments ----------------------------------------------------


# The rates a unit is praised, criticised and commented on, against the whole district
COMPARED = tuple(METRICS_BY_KEY[key] for key in group("compared"))


def area_word(district: str) -> str:
    """全区, 全县 or 全市: the whole of the office's area, from its name's last character."""
    return "全" + (district[-1:] or "区")


def _failings(row: UnitRow, overall: Figures, area: str = "全区") -> list[str]:
    """The figures where a unit falls below the whole area."""
    found = []
    for m in COMPARED:
        value, average = row.figures.value(m.key), overall.value(m.key)
        if value is not None and average is not None and value < average - 1e-9:
            found.append(f"{m.zh}为{percent(value)}（{area}{percent(average)}）")
    if row.figures.issues_overdue:
        found.append(f"超期未办结问题{row.figures.issues_overdue}件")
    return found


def praise_and_criticism(rows: Sequence[UnitRow], overall: Figures, area: str = "全区") -> tuple[str, str]:
    """One sentence praising the best ranked units and one criticising the worst by name."""
    ranked = [r for r in rows if r.ranked]
    if len(ranked) < 2:
        return "", ""
    best_score, worst_score = ranked[0].score or 0, ranked[-1].score or 0
    if worst_score >= best_score:
        return "参与排名的单位综合得分相同。", ""
    best = [r for r in ranked if r.score == best_score]
    shown = [(m.zh, best[0].figures.value(m.key)) for m in COMPARED]
    figures = "、".join(rate_text(label, value) for label, value in shown if value is not None)
    subject = join_names([r.short_name for r in best])
    tied = "并列第一" if len(best) > 1 else "位列第一"
    praise = f"{subject}综合得分{best_score:.1f}分，{tied}"
    praise += f"，{figures}" if len(best) == 1 and figures else ""
    praise += "，予以通报表扬。"
    worst = [r for r in ranked if r.score == worst_score]
    parts = []
    for r in worst:
        failings = _failings(r, overall, area)
        text = f"{r.short_name}综合得分{worst_score:.1f}分，排名末位"
        text += "，" + "，".join(failings) if failings else ""
        parts.append(text)
    criticism = "；".join(parts)
    if any(_failings(r, overall, area) for r in worst):
        criticism += "，予以通报批评，请限期整改。"
    else:
        criticism += "，请对照先进查找差距。"
    return praise, criticism


def not_ranked_text(rows: Sequence[UnitRow]) -> str:
    """Units listed but not ranked, grouped by the reason."""
    by_reason: dict[str, list[str]] = {}
    for r in rows:
        if not r.ranked:
            by_reason.setdefault(r.not_ranked_reason or "不参与排名", []).append(r.short_name)
    return "；".join(f"{join_names(names)}{_reason(reason)}" for reason, names in by_reason.items()) + (
        "。" if by_reason else ""
    )


def _reason(reason: str) -> str:
    return reason.removeprefix("该单位").replace(" ", "")


def _gaps(row: UnitRow, overall: Figures) -> list[tuple[float, str, float, float]]:
    """(value − area figure, short name, value, area figure) of each compared rate both sides have."""
    found = []
    for m in COMPARED:
        value, average = row.figures.value(m.key), overall.value(m.key)
        if value is not None and average is not None:
            found.append((value - average, m.short_zh, value, average))
    return found


def _rate_fact(row: UnitRow, overall: Figures, area: str) -> str:
    """The one rate that matters most: the furthest below the area, else the furthest above it."""
    gaps = _gaps(row, overall)
    below = [g for g in gaps if g[0] < -1e-9]
    if below:
        gap, name, value, average = min(below)
        weak = "，是主要短板" if gap <= -0.2 + 1e-9 else ""
        return f"{name}{percent(value)}，低于{area}的{percent(average)}{weak}。"
    if gaps and all(g[2] >= 1 - 1e-9 for g in gaps):
        return f"{join_names([g[1] for g in gaps])}均为100.0%。"
    above = [g for g in gaps if g[0] > 1e-9]
    if above:
        _, name, value, average = max(above)
        return f"{name}{percent(value)}，高于{area}的{percent(average)}。"
    return ""


def _score_change(row: UnitRow, before: UnitRow | None, since: str) -> str:
    """综合得分较上季度末提高12.5分 when a ranked unit's score moved by 5 points or more since ``since``."""
    if before is None or not before.ranked or before.score is None or row.score is None:
        return ""
    delta = row.score - before.score
    if abs(delta) < 5:
        return ""
    return f"综合得分较{since}{'提高' if delta > 0 else '下降'}{half_up(abs(delta))}分。"


def unit_comment(
    row: UnitRow,
    overall: Figures,
    noun: str = "牵头办理",
    area: str = "全区",
    before: UnitRow | None = None,
    since: str = "上期末",
) -> str:
    """One or two facts that matter about a unit: overdue issues, a large score change, its weakest (or best) rate.

    Short sentences, each ending in 。; the wording follows the figures, so units with
    different figures read differently and the same figures always read the same.
    ``before`` is the unit's row at the end of the previous period (``since``), when it had one;
    a rate far below the area comes before a change of score.
    """
    figures = row.figures
    identified, resolved = figures.issues_identified or 0, figures.issues_resolved or 0
    if identified and resolved == identified:
        text = f"{noun}问题{identified}件，全部解决。"
    else:
        text = (
            f"{noun}问题{identified}件，已解决{resolved}件。" if resolved else f"{noun}问题{identified}件，尚无解决。"
        )
    overdue = f"尚有{figures.issues_overdue}件超期未办结，须加快办理。" if figures.issues_overdue else ""
    if not row.ranked:
        return text + overdue + ("问题数较少，暂不排名。" if identified else "暂无问题，不排名。")
    if row.score is None:
        return text + overdue + "尚无可评价的比率。"
    rate = _rate_fact(row, overall, area)
    major = rate.endswith("是主要短板。")
    facts = [f for f in (overdue, rate if major else "", _score_change(row, before, since), "" if major else rate) if f]
    return text + "".join(facts[:2])


def _month_end(name: str, month: MonthFigures) -> str:
    """9月末, or 11月25日 for a month the as-of date cut short."""
    ended = (month.as_of + dt.timedelta(days=1)).month != month.as_of.month
    return f"{name}末" if ended else month_day_zh(month.as_of)


def trend_text(months: Sequence[MonthFigures]) -> str:
    """The quarter's month-by-month trend in words."""
    if not months:
        return ""
    names = [m.name.split("年")[-1] for m in months]
    counts = "、".join(f"{n}{m.in_period.issues_identified}件" for n, m in zip(names, months, strict=True))
    text = f"分月看，新梳理问题{counts}"
    label = METRICS_BY_KEY["resolution_rate"].zh
    shown = [(_month_end(n, m), m.cumulative.resolution_rate) for n, m in zip(names, months, strict=True)]
    rates = [(n, r) for n, r in shown if r is not None]
    if len(rates) >= 2:
        (first_name, first), (last_name, last) = rates[0], rates[-1]
        delta = (last - first) * 100
        points = half_up(abs(delta))
        move = "保持不变" if points == 0 else f"{'提高' if delta > 0 else '下降'}{points}个百分点"
        text += f"；累计{label}由{first_name}的{percent(first)}到{last_name}的{percent(last)}，{move}"
    elif rates:
        text += f"；{rates[0][0]}累计{label}{percent(rates[0][1])}"
    return text + "。"


def next_steps(cumulative: Figures, overdue: int, unit_noun: str = "各责任单位") -> list[tuple[str, str]]:
    """Default 下步工作 when the office wrote none: (lead phrase, text) pairs."""
    steps = []
    if overdue:
        steps.append(
            (
                "加大督办力度。",
                f"对超期未办结的{overdue}件问题逐件明确责任单位、责任人和办结时限，实行挂牌督办，"
                "确保件件有回音、事事有着落。",
            )
        )
    else:
        steps.append(("跟踪在办问题。", "对正在办理的问题逐件跟踪，确保在办结期限内办结，件件有回音、事事有着落。"))
    steps.append(
        (
            "提升办理质效。",
            f"{unit_noun}要对照排名查找差距，提高按时办结率和企业满意率，坚持“问题解决一件销号一件”。",
        )
    )
    library, visited = cumulative.enterprises_in_library or 0, cumulative.enterprises_visited or 0
    coverage = f"（目前累计走访{visited}家，占在库企业的{percent(visited / library)}）" if library else ""
    steps.append(
        (
            "深化“1+3”服务。",
            f"各服务队伍要加大走访频次，力争服务库企业走访全覆盖{coverage}，主动发现和收集企业诉求。",
        )
    )
    steps.append(("强化法治保障。", "驻企法官、检察官要常态化开展送法进企业，依法平等保护各类市场主体合法权益。"))
    return steps
