"""The bulletins: which ones exist, what they are called, and their HTML.

``render_bulletin_html`` gathers everything a bulletin prints into a plain context
(figures, generated sentences, the office's Markdown, charts) and hands it to the
``bulletin/monthly.html.j2`` or ``bulletin/quarterly.html.j2`` template.  Records are
passed as data only, never compiled as templates.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import weakref
from collections.abc import Sequence
from typing import Any

import jinja2

from reportgen.compute.metrics import IDENTIFIED, LEGAL_METRICS, METRICS, METRICS_BY_KEY, RAISED, Metric, group
from reportgen.compute.periods import Period, parse_period, periods_between
from reportgen.compute.results import (
    BreakdownRow,
    Figures,
    LegalFigures,
    MonthFigures,
    OverdueRow,
    PeriodStats,
    UnitRow,
)
from reportgen.compute.stats import LedgerRow, StatsEngine
from reportgen.formatting import as_date, change, date_zh, half_up, month_day_zh, number, percent, score_text, yuan
from reportgen.model import Record, Records
from reportgen.render import PROFILES, PUBLIC, BulletinInfo, ranking
from reportgen.render import wording as w
from reportgen.render.annual import annual_context
from reportgen.render.charts import Bar, MonthBar, bar_chart, trend_chart
from reportgen.render.correction import CORRECTION, correction_context, correction_link, original_kind
from reportgen.render.fonts import BROWSER_STACKS, STAND_INS
from reportgen.render.ledger_files import overdue_label
from reportgen.schema.kinds import BULLETIN_KIND_NAMES, CONFIG

KIND_NAMES = {**BULLETIN_KIND_NAMES, CORRECTION: "更正通报"}
DRAFT_TAG = "草稿（尚未印发）"  # how a list of bulletins (the archive, the feed) marks one not yet issued
TEMPLATES = {kind: f"bulletin/{kind}.html.j2" for kind in KIND_NAMES}
PERIOD_KINDS = {"monthly": "month", "quarterly": "quarter", "annual": "year"}
CAMPAIGN = "“万人助万企”活动"

SUMMARY_KEYS = group("summary")  # the figures of the summary table, monthly and quarterly


# -- which bulletins, and what they are called -------------------------------------------------


def latest_record_date(records: Records) -> dt.date:
    """The latest date any record carries (deadlines and issue dates of bulletins excluded).

    The last answer is kept for the same records: a build asks for the bulletins' periods
    and for the site's as-of date, and each was a walk of every record (~0.4 s at 100,000 issues).
    A build after an edit gives it from each file's latest date kept in its state (``known_latest_record_date``).
    """
    if _LAST_DATE and _LAST_DATE[0][0]() is records:
        return _LAST_DATE[0][1]
    _LAST_DATE[:] = [(weakref.ref(records), _latest_record_date(records))]
    return _LAST_DATE[0][1]


# the records last asked about, and their latest date; not kept alive by it (the preview builds again and again)
_LAST_DATE: list[tuple[weakref.ref[Records], dt.date]] = []


def known_latest_record_date(records: Records, latest: dt.date | None) -> None:
    """Give ``latest_record_date`` its answer for ``records``: ``latest``, the latest ``record_latest_date`` of them."""
    start: dt.date = records.config["campaign_start"]
    _LAST_DATE[:] = [(weakref.ref(records), max(start, latest) if latest is not None else start)]


def _latest_record_date(records: Records) -> dt.date:
    """``latest_record_date`` worked out."""
    dates: list[dt.date] = [records.config["campaign_start"]]
    for kind in DATED_KINDS:
        dates += [day for record in records.of(kind).values() if (day := record_latest_date(record)) is not None]
    return max(dates)


DATED_KINDS = ("issue", "visit", "legal", "rectification", "enterprise")  # the kinds whose dates it counts


def record_latest_date(record: Record) -> dt.date | None:
    """The latest date of ``record`` that ``latest_record_date`` counts (None: none, or a kind it does not count)."""
    kind = record.kind
    if kind == "issue":
        dates = [record["raised"], *(step["date"] for step in record["history"])]
        if record.get("rating"):
            dates.append(record["rating"]["date"])
    elif kind == "enterprise":
        dates = [d for d in (record.get("joined"), record.get("left")) if d]
    elif kind in DATED_KINDS:
        day = record.get("done_on" if kind == "rectification" else "date")
        dates = [day] if day else []
    else:
        return None
    return max(dates, default=None)


def bulletin_periods(records: Records, today: dt.date | None = None) -> list[tuple[str, Period]]:
    """Every monthly notice, quarterly review and annual assessment, from the campaign start to the latest record.

    A period that has not ended by ``today`` is cut short at it (its figures and sentences
    are as of that day); one that has not started is left out.
    """
    start, last = records.config["campaign_start"], latest_record_date(records)
    found = [(kind, p) for kind, period_kind in PERIOD_KINDS.items() for p in periods_between(start, last, period_kind)]
    if today is None:
        return found
    return [(kind, p.as_of(min(p.full_end, today))) for kind, p in found if p.start <= today]


def bulletin_text(records: Records, kind: str, period: Period) -> Record | None:
    """The office's own text for this bulletin, if it wrote one."""
    return records.bulletins.get(f"{period.key}-{kind}")


def default_title(kind: str, period: Period) -> str:
    """关于2021年9月份“万人助万企”活动开展情况的通报 / …第三季度…的点评通报."""
    if kind == "monthly":
        return f"关于{period.start.year}年{period.start.month}月份{CAMPAIGN}开展情况的通报"
    if kind == "annual":
        return f"关于{period.name}度{CAMPAIGN}考核情况的通报"
    return f"关于{period.name}{CAMPAIGN}开展情况的点评通报"


def bulletin_info(records: Records, kind: str, period: Period, with_pdf: bool) -> BulletinInfo:
    """Title, document number, dates and output paths of one bulletin."""
    text = bulletin_text(records, kind, period)
    front = text.data if text else {}
    issued = front.get("issued")
    date = as_date(issued) if issued else period.full_end
    number_ = front.get("number")
    doc_number = f"{records.config['doc_prefix']}〔{date.year}〕{number_}号" if number_ else None
    stem = f"bulletins/{period.key}-{kind}"
    return BulletinInfo(
        kind=kind,
        period=period.key,
        period_name=period.name,
        title=str(front.get("title") or default_title(kind, period)),
        doc_number=doc_number,
        issued=as_date(issued).isoformat() if issued else None,
        date=date.isoformat(),
        html=f"{stem}.html",
        pdf=f"{stem}.pdf" if with_pdf else None,
        as_of=period.end.isoformat() if period.end < period.full_end else None,
    )


# -- the context ---------------------------------------------------------------------------------


def row_name(metric: Metric) -> str:
    """What a figure counts, as tables and 指标解释 name it: 梳理问题中已解决 for a state of the period's issues."""
    in_table = metric.key in SUMMARY_KEYS and metric.placement == RAISED
    if in_table and metric.counts not in (None, IDENTIFIED) and not metric.is_rate:
        return f"梳理问题中{metric.zh.removesuffix('问题')}"
    return metric.zh


def row_label(metric: Metric) -> str:
    """A table row's heading with its unit: 梳理问题中已解决（件）, 期内解决问题（含此前梳理，件）."""
    if metric.key == "issues_resolved_during":
        return f"{metric.zh}（含此前梳理，{metric.unit}）"
    return f"{row_name(metric)}（{metric.unit}）"


def _summary_rows(stats: PeriodStats, has_previous: bool) -> list[dict[str, str]]:
    rows = []
    for key in SUMMARY_KEYS:
        m = METRICS_BY_KEY[key]
        now, before, total = stats.in_period.value(key), stats.previous.value(key), stats.cumulative.value(key)
        rows.append(
            {
                "label": row_label(m),
                "current": ranking.written(m, now),
                "previous": ranking.written(m, before) if has_previous else "—",
                "change": change(now, before, m.is_rate) if has_previous else "—",
                "cumulative": ranking.written(m, total),
            }
        )
    return rows


def _breakdown_rows(rows: Sequence[BreakdownRow], has_previous: bool) -> list[dict[str, str]]:
    return [
        {
            "name": r.value,
            "current": number(r.in_period_identified),
            "previous": number(r.previous_identified) if has_previous else "—",
            "change": change(r.in_period_identified, r.previous_identified) if has_previous else "—",
            "identified": number(r.figures.issues_identified),
            "resolved": number(r.figures.issues_resolved),
            "resolution_rate": percent(r.figures.resolution_rate),
            "overdue": number(r.figures.issues_overdue),
        }
        for r in rows
    ]


def _ranking_rows(rows: Sequence[UnitRow]) -> list[dict[str, Any]]:
    return [
        {
            "rank": ranking.rank_text(r),
            "ranked": r.ranked,
            "id": r.id,
            "name": r.short_name,
            "cells": ranking.cells(r, score_text(r.score)),
        }
        for r in rows
    ]


def _font_family(records: Records, role: str) -> str:
    """The chart's family list: the office's own font, then the free stand-in, then the browser stack.

    SVG text is drawn with the first family the renderer finds, so the stand-in WeasyPrint
    uses for the PDF comes before the names only an office's computers have.
    """
    configured = (records.config.get("fonts") or {}).get(role)
    stand_in = f'"{STAND_INS[role][0][0]}"'
    return (f'"reportgen-{role}", ' if configured else "") + f"{stand_in}, {BROWSER_STACKS[role]}"


TITLE_CHARS = 17  # 2号 characters that surely fit on a title line (the text width less half a character each side)
_TITLE_BREAKS = ("”活动", "”", "关于", "的")


def _width(text: str, latin: float = 0.5) -> float:
    """``text``'s width in em: Chinese characters 1, ASCII ``latin``."""
    return sum(latin if ch.isascii() else 1.0 for ch in text)


# The ledger attachments' narrow columns, each with the least width of its content in em (a heading
# line is at most 3 characters; a status may have （超期） below it).  企业 and 问题 share the rest.
_LEDGER_COLUMNS = {
    "id": 3.0,
    "category": 3.0,
    "department": 3.0,
    "raised": 3.0,
    "deadline": 3.0,
    "status": 4.0,
    "days": 3.0,
}
_OVERDUE_COLUMNS = {"id": 3.0, "department": 3.0, "deadline": 3.0, "status": 3.0, "level": 3.0, "days_overdue": 3.0}
_LATIN_EM = 0.6  # digits and capitals of the CJK fonts' Latin part (Noto: 0.47–0.77 em)
_CELL_EM = 0.45  # a cell's padding and border, with a little room
_COLUMN_MAX_EM = 9.0  # a longer department name wraps rather than squeeze 企业 and 问题
_UNBROKEN = 0.98  # the share of a column's cells that fit unbroken (a rare 2022年1月5日 among 1月5日 wraps)


def column_widths(rows: Sequence[dict[str, Any]], columns: dict[str, float]) -> dict[str, float]:
    """Each narrow column's width in em: 98 % of its cells fit unbroken, at most ``_COLUMN_MAX_EM``.

    The ledger tables are laid out with these fixed widths: WeasyPrint then lays out a
    1,000-row table without first measuring every cell (a third of the notice's time with
    ``table-layout: auto``), and the columns are as wide as their content, except that a
    few long cells wrap rather than widen their column for every row.
    """
    widths = {}
    for key, least in columns.items():
        cells = sorted(_width(str(row[key]), _LATIN_EM) for row in rows)
        content = max(least, cells[math.ceil(len(cells) * _UNBROKEN) - 1]) if cells else least
        widths[key] = round(min(content + _CELL_EM, _COLUMN_MAX_EM), 2)
    return widths


def title_lines(title: str) -> list[str]:
    """The title broken into balanced lines at a natural point (after “…”活动, before 的…)."""
    if _width(title) <= TITLE_CHARS:
        return [title]
    best: tuple[float, int] | None = None
    for marker in _TITLE_BREAKS:
        start = 0
        while (found := title.find(marker, start)) >= 0:
            cut = found + len(marker) if marker != "的" else found
            start = found + 1
            head, tail = title[:cut], title[cut:]
            if not head or not tail or max(_width(head), _width(tail)) > TITLE_CHARS:
                continue
            score = _TITLE_BREAKS.index(marker) * 100 + abs(_width(head) - _width(tail))
            if best is None or score < best[0]:
                best = (score, cut)
    if best is None:
        return [title]
    return [title[: best[1]], title[best[1] :]]


def _day(value: dt.date, year: int) -> str:
    return month_day_zh(value) if value.year == year else date_zh(value)


def _ledger_attachment(records: Records, engine: StatsEngine, period: Period, year: int) -> dict[str, Any]:
    """附件1: every issue as of month end; past ``ledger_attachment_max`` rows, the month's active ones.

    A province-scale ledger (100,000 issues) cannot be printed with every notice: then
    the attachment lists the issues raised in the month and those still open, up to
    the limit, and says where the complete ledger is (the site's ledger.xlsx).
    """
    rows = engine.ledger(period.end)
    limit = _most_rows(records, "ledger_attachment_max")
    total = len(rows)
    scope = "all"
    if total > limit:
        rows = [r for r in rows if period.contains(r.issue.raised) or r.state.is_open]
        scope = "active"
    shown = rows[:limit]
    return {
        "ledger": _ledger_rows(shown, year),
        "ledger_scope": scope,
        "ledger_total": total,
        "ledger_active": len(rows),
        "ledger_cut": len(rows) - len(shown),
    }


def _overdue_attachment(records: Records, overdue: list[dict[str, str]]) -> dict[str, Any]:
    """附件2: the overdue issues, past ``overdue_attachment_max`` rows the first ones (the body counts them all).

    At province scale a notice would otherwise print every overdue issue (100,000 issues: 12,000
    rows by the tenth month, ~900 pages); the rest are in the site's ledger (its days-overdue column).
    """
    shown = overdue[: _most_rows(records, "overdue_attachment_max")]
    return {"overdue_shown": shown, "overdue_cut": len(overdue) - len(shown)}


def _most_rows(records: Records, key: str) -> int:
    """The office's limit ``key`` on an attachment's rows, or the schema's default."""
    return int(records.config.get(key, _CONFIG_DEFAULTS[key]))


_CONFIG_DEFAULTS = {f.name: f.default for f in CONFIG.fields}


def _ledger_rows(rows: list[LedgerRow], year: int) -> list[dict[str, Any]]:
    return [
        {
            "id": r.issue.id,
            "enterprise": r.enterprise_name,
            "title": r.issue.title,
            "category": r.issue.category,
            "department": r.department_name,
            "raised": _day(r.issue.raised, year),
            "deadline": _day(r.issue.deadline, year),
            "status": r.state.status,
            "overdue": r.overdue,
            "days": number(r.days_open),
            "days_overdue": number(r.days_overdue),
            "level": r.state.level,
        }
        for r in rows
    ]


def _definitions(with_legal: bool) -> list[dict[str, str]]:
    result = []
    for m in METRICS + (LEGAL_METRICS if with_legal else ()):
        text = f"{m.numerator}÷{m.denominator}" if m.denominator else m.numerator
        if m.key == "issues_resolved_during":
            text += (
                f"；它包含期内{row_name(METRICS_BY_KEY['issues_resolved'])}的全部问题，其余是此前梳理、期内解决的问题"
            )
        result.append({"name": row_name(m), "unit": m.unit, "text": text, "placement": m.placement})
    return result


def _legal_rows(stats: PeriodStats) -> list[dict[str, str]]:
    rows = []
    for m in LEGAL_METRICS:
        now, total = stats.in_period.legal.value(m.key), stats.cumulative.legal.value(m.key)
        money = m.unit == "元"
        rows.append(
            {
                "name": m.zh,
                "unit": "—" if money else m.unit,
                "current": yuan(now) if money else number(now),
                "cumulative": yuan(total) if money else number(total),
            }
        )
    return rows


def legal_sentence(legal: LegalFigures) -> str:
    """累计办理涉民营经济案件3件、提出检察建议5份…为民营企业家追回款项60.35万元."""
    parts = []
    for m in LEGAL_METRICS:
        value = legal.value(m.key)
        if not value:
            continue
        parts.append(f"{m.zh}{yuan(value)}" if m.unit == "元" else f"{m.zh}{number(value)}{m.unit}")
    return "、".join(parts)


def _cases(engine: StatsEngine, period: Period, limit: int = 3) -> list[dict[str, Any]]:
    """Default typical cases: issues resolved in the period, key projects first."""
    records = engine.records
    picked = []
    for t in engine.timelines:
        state = t.state_at(period.end)
        if state.is_resolved and state.resolved_on and period.contains(state.resolved_on):
            issue = records.issues[t.id]
            enterprise = records.enterprises[t.enterprise]
            department = records.departments[t.lead_department]
            picked.append(
                {
                    "key": (not enterprise.get("key_project", False), -len(str(issue.get("resolution") or "")), t.id),
                    "enterprise": enterprise["name"],
                    "title": t.title,
                    "description": issue["description"],
                    "resolution": issue.get("resolution") or "",
                    "department": department.get("short_name") or department["name"],
                    "resolved_on": date_zh(state.resolved_on),
                }
            )
    picked.sort(key=lambda c: c["key"])
    return picked[:limit]


def _has_previous(engine: StatsEngine, period: Period) -> bool:
    return engine.has_campaign(period.previous())


def _trend(engine: StatsEngine, period: Period) -> list[MonthBar]:
    months = list(periods_between(engine.campaign_start, period.end, "month"))
    if period.kind != "month":  # a quarter's or a year's own months
        months = [m for m in months if m.start >= period.start]
    bars = []
    for m in months:
        current = engine.figures(max(m.start, engine.campaign_start), min(m.full_end, period.end))
        total = engine.figures(engine.campaign_start, min(m.full_end, period.end))
        bars.append(
            MonthBar(
                f"{m.start.month}月",
                current.issues_identified or 0,
                current.issues_resolved_during or 0,
                total.resolution_rate,
            )
        )
    return bars


def _charts(records: Records, engine: StatsEngine, stats: PeriodStats, period: Period) -> dict[str, Any]:
    hei = _font_family(records, "heiti")
    scope = "本季度各月" if period.kind == "quarter" else "活动开展以来各月"
    as_of = month_day_zh(period.end)
    charts: dict[str, Any] = {
        "trend": trend_chart(_trend(engine, period), f"{scope}梳理问题、解决问题数和累计问题解决率", hei),
        "categories": bar_chart(
            [
                Bar(
                    r.value,
                    r.figures.issues_resolved,
                    r.figures.issues_identified,
                    f"{r.figures.issues_resolved}/{r.figures.issues_identified}件 {percent(r.figures.resolution_rate)}",
                )
                for r in stats.by_category
            ],
            f"截至{as_of}各类问题梳理与解决情况",
            hei,
            "categories",
            legend=(METRICS_BY_KEY["issues_identified"].zh, METRICS_BY_KEY["issues_resolved"].short_zh),
        ),
        "departments": bar_chart(
            [
                Bar(
                    r.short_name,
                    r.score or 0,
                    None,
                    f"{r.score:.1f}分" if r.ranked else "不排名",
                    muted=not r.ranked,
                )
                for r in stats.by_department
            ],
            f"截至{as_of}各责任单位综合得分",
            hei,
            "departments",
            maximum=100,
        ),
    }
    return charts


def _office(records: Records) -> dict[str, str]:
    config = records.config
    office = str(config["office"])
    width_chars = sum(1 if ch.isascii() else 2 for ch in office) / 2
    # the header fills at most the text width (156 mm ≈ 442 pt), at most 2号×1.6
    size = min(36.0, 420.0 / max(width_chars, 1))
    return {
        "name": office,
        "short": str(config.get("office_short") or office),
        "district": str(config["district"]),
        "header_size": f"{size:.1f}pt",
    }


def bulletin_period(info: BulletinInfo) -> Period:
    """The period ``info`` reports on, cut short at its as-of day when it has one: what its figures count."""
    period = parse_period(info.period)
    return period.as_of(as_date(info.as_of)) if info.as_of else period


def bulletin_context(
    records: Records, engine: StatsEngine, info: BulletinInfo, profile: str = PUBLIC
) -> dict[str, Any]:
    """Everything one bulletin prints, as plain values for its template."""
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; expected one of {PROFILES}")
    period = bulletin_period(info)
    stats = engine.stats(period)
    text = bulletin_text(records, info.kind, period)
    front = text.data if text else {}
    sections: dict[str, str] = dict(front.get("sections") or {})
    cum, cur, prev = stats.cumulative, stats.in_period, stats.previous
    has_previous = _has_previous(engine, period)
    overdue = stats.overdue
    year = period.end.year
    comments = {str(c["unit"]): c["comment"] for c in front.get("unit_comments") or []}
    area = w.area_word(str(records.config["district"]))
    context: dict[str, Any] = {
        "info": info,
        "profile": profile,
        "kind_name": KIND_NAMES[info.kind],
        "office": _office(records),
        "period": {
            "key": period.key,
            "name": period.name,
            "short": f"{period.start.month}月" if period.kind == "month" else period.name.split("年")[-1],
            "start": date_zh(period.start),
            "end": date_zh(period.end),
            "as_of": date_zh(period.end),
            "has_previous": has_previous,
        },
        "title_lines": title_lines(info.title),
        "date": date_zh(info.date),
        "created": f"{info.date}T00:00:00+08:00",
        "recipients": str(front.get("recipients") or records.config.get("recipients") or ""),
        "cc": str(front.get("cc") or records.config.get("cc") or ""),
        "cum": cum,
        "cur": cur,
        "prev": prev,
        "stats": stats,
        "summary": _summary_rows(stats, has_previous),
        "categories": _breakdown_rows(stats.by_category, has_previous),
        "levels": _breakdown_rows(stats.by_level, has_previous),
        "departments": _ranking_rows(stats.by_department),
        "teams": _ranking_rows(stats.by_team),
        "ranking_heads": ranking.HEADS,
        "dept_praise": w.praise_and_criticism(stats.by_department, cum, area),
        "team_praise": w.praise_and_criticism(stats.by_team, cum, area),
        "dept_unranked": w.not_ranked_text(stats.by_department),
        "team_unranked": w.not_ranked_text(stats.by_team),
        "min_issues": engine.min_issues,
        "weights": _weights_text(engine.weights),
        "overdue": _overdue_rows(overdue, year),
        "legal": _legal_rows(stats),
        "legal_sentence": legal_sentence(cum.legal),
        "legal_sentence_period": legal_sentence(cur.legal),
        "legal_same": cur.legal == cum.legal,
        "changes": [{"label": c.label, "issued": c.shown(c.issued), "now": c.shown(c.now)} for c in info.changes],
        "sections": {
            "highlights": sections.get("工作亮点", ""),
            "cases": sections.get("典型案例", ""),
            "commentary": sections.get("点评", ""),
            "next_steps": sections.get("下步工作", ""),
        },
        "default_cases": _cases(engine, period),
        "default_next_steps": w.next_steps(cum, len(overdue)),
        "office_comments": _office_comments(records, comments),
        "definitions": _definitions(with_legal=True),
        "charts": _charts(records, engine, stats, period),
        "text": _sentences(stats, period, has_previous, sections.get("工作亮点", "")),
    }
    if info.kind == "monthly":
        context.update(_ledger_attachment(records, engine, period, year))
        context["ledger_widths"] = column_widths(context["ledger"], _LEDGER_COLUMNS)
        context.update(_overdue_attachment(records, context["overdue"]))
        context["overdue_column"] = overdue_label(engine.day_unit)  # the site's ledger's heading, named in a note
        context["overdue_widths"] = column_widths(context["overdue_shown"], _OVERDUE_COLUMNS)
        context["attachments"] = ["问题清单台账", "逾期问题清单"]
    else:
        context["ledger"], context["attachments"] = [], []
        context.update(ledger_scope="all", ledger_total=0, ledger_active=0, ledger_cut=0)
        context["months"] = _quarter_months(stats, engine, period)
        context["trend"] = w.trend_text([m for m in stats.months or () if _month_started(m, engine)])
        last = period.previous().end
        dept_before = engine.ranking(last, "department") if has_previous else ()
        team_before = engine.ranking(last, "team") if has_previous else ()
        context["dept_comments"] = _unit_comments(stats.by_department, cum, comments, "牵头办理", area, dept_before)
        context["team_comments"] = _unit_comments(stats.by_team, cum, comments, "服务企业反映", area, team_before)
    if info.kind == "annual":
        context.update(annual_context(records, stats))
    context["correction"] = correction_link(records, info, profile)
    if info.kind == CORRECTION:
        original = bulletin_info(records, original_kind(records, info.period), period, info.pdf is not None)
        context.update(correction_context(records, info, original))
    return context


def _office_comments(records: Records, comments: dict[str, Any]) -> list[dict[str, Any]]:
    """The office's own comments on units, departments first, in id order."""
    result = []
    for units in (records.departments, records.teams):
        for unit_id, unit in sorted(units.items()):
            if unit_id in comments:
                result.append({"name": unit.get("short_name") or unit["name"], "comment": comments[unit_id]})
    return result


def _weights_text(weights: dict[str, float]) -> str:
    return "、".join(f"{METRICS_BY_KEY[k].zh}{half_up(v * 100, 0)}%" for k, v in weights.items() if v)


def _overdue_rows(rows: Sequence[OverdueRow], year: int) -> list[dict[str, str]]:
    return [
        {
            "id": r.issue,
            "title": r.title,
            "enterprise": r.enterprise_name,
            "department": r.department_name,
            "raised": _day(r.raised, year),
            "deadline": _day(r.deadline, year),
            "days_overdue": w.days_text(r.days_overdue, r.days_overdue_unit),
            "status": r.status,
            "level": r.level,
        }
        for r in rows
    ]


def _month_started(month: MonthFigures, engine: StatsEngine) -> bool:
    return month.as_of >= engine.campaign_start


ADDED_UP = frozenset({"enterprises_in_library", "enterprises_visited"})  # a stock and a count of distinct enterprises


def _month_shares(engine: StatsEngine, quarter: Period, key: str) -> list[Any]:
    """Each month's part of the quarter's figure, every state as of the quarter's end: the months add up to it.

    A month's part is the figure of the window from its first day to the quarter's end less
    that of the window from the next month's first day, so it counts the records the month
    places (by date raised, resolved or visited) with their states at the quarter's end.
    """
    months = periods_between(quarter.start, quarter.end, "month")
    starts = [max(m.start, engine.campaign_start) for m in months if engine.campaign_start <= m.full_end]
    starts = [start for start in starts if start <= quarter.end]  # a month not begun by the as-of date: none
    totals = [engine.figures(start, quarter.end).value(key) or 0 for start in starts] + [0]
    return [totals[i] - totals[i + 1] for i in range(len(starts))]


def _quarter_months(stats: PeriodStats, engine: StatsEngine, quarter: Period) -> dict[str, Any]:
    months = [m for m in stats.months or () if _month_started(m, engine)]
    has_previous = _has_previous(engine, quarter)
    rows = []
    for key in SUMMARY_KEYS:
        m = METRICS_BY_KEY[key]
        now, before = stats.in_period.value(key), stats.previous.value(key)
        if m.is_rate or key in ADDED_UP:  # as of each month's end (the enterprises: that month's own)
            shown = [
                (month.cumulative if m.is_rate or key == "enterprises_in_library" else month.in_period).value(key)
                for month in months
            ]
        else:
            shown = _month_shares(engine, quarter, key)
        rows.append(
            {
                "label": row_label(m),
                "months": [ranking.written(m, value) for value in shown],
                "current": ranking.written(m, now),
                "change": change(now, before, m.is_rate) if has_previous else "—",
                "cumulative": ranking.written(m, stats.cumulative.value(key)),
            }
        )
    return {"names": [m.name.split("年")[-1] for m in months], "rows": rows}


def _unit_comments(
    rows: Sequence[UnitRow],
    overall: Figures,
    office: dict[str, Any],
    noun: str,
    area: str,
    before: Sequence[UnitRow] = (),
) -> list[dict[str, Any]]:
    previous = {r.id: r for r in before}
    return [
        {
            "name": r.short_name,
            "rank": f"第{r.rank}名" if r.rank else "不排名",
            "score": f"{r.score:.1f}分" if r.score is not None and r.ranked else "",
            "generated": w.unit_comment(r, overall, noun, area, previous.get(r.id), "上季度末"),
            "office": office.get(r.id, ""),
        }
        for r in rows
    ]


def _label(key: str) -> str:
    return METRICS_BY_KEY[key].zh


def _office_gives(text: str, value: int | None, *units: str) -> bool:
    """True when the office's own text already gives ``value`` with one of ``units`` (62次, 60项), not 162次."""
    return value is not None and any(re.search(rf"(?<![\d.]){value}{unit}", text) for unit in units)


def _sentences(stats: PeriodStats, period: Period, has_previous: bool, highlight: str = "") -> dict[str, str]:
    """The generated sentences of 总体情况; the period's clauses the office's highlight already gives are left out."""
    cum, cur, prev = stats.cumulative, stats.in_period, stats.previous
    as_of = date_zh(period.end)
    rates = [w.rate_text(_label(k), cum.value(k)) for k in ("resolution_rate", "completion_rate", "on_time_rate")]
    overall = (
        f"截至{as_of}，服务库在库企业{cum.enterprises_in_library}家，累计走访企业{cum.enterprises_visited}家、"
        f"{cum.visits}次，梳理企业反映问题{cum.issues_identified}件，已解决{cum.issues_resolved}件"
        f"（其中已销号{cum.issues_closed}件），{rates[0]}；"
        f"已办结{cum.issues_finished}件，{rates[1]}，"
        f"{rates[2]}，{w.rate_text(_label('satisfaction_rate'), cum.satisfaction_rate)}。"
        f"正在办理{cum.issues_open}件，其中超期未办结{cum.issues_overdue}件；"
        f"长期推进{cum.issues_long_term}件，已答复{cum.issues_answered}件。"
    )

    def chg(key: str, unit: str) -> str:
        return w.change_words(cur.value(key), prev.value(key), unit) if has_previous else ""

    label = f"{period.start.month}月份" if period.kind == "month" else "本季度"
    visits = f"走访企业{cur.enterprises_visited}家、{cur.visits}次"
    identified = f"新梳理问题{cur.issues_identified}件"
    clauses = [f"新入库企业{cur.enterprises_joined}家"]
    if not _office_gives(highlight, cur.visits, "次"):
        clauses.append(w.with_change(visits, chg("visits", "次")))
    of_new = f"其中已解决{cur.issues_resolved}件"
    if _office_gives(highlight, cur.issues_identified, "件", "项"):
        of_new = f"新梳理的{cur.issues_identified}件问题中已解决{cur.issues_resolved}件"
    else:
        clauses.append(w.with_change(identified, chg("issues_identified", "件")))
    clauses.append(w.with_change(of_new, chg("issues_resolved", "件")))
    resolved = w.with_change(f"解决问题{cur.issues_resolved_during}件", chg("issues_resolved_during", "件"))
    resolved += _resolved_split(cur.issues_resolved_during, cur.issues_resolved, label)
    current = f"{label}，{'，'.join(clauses)}；{resolved}。"
    return {"overall": overall, "current": current}


def _resolved_split(during: int | None, of_new: int | None, label: str) -> str:
    """，含此前梳理的问题11件: how the period's resolved issues add up with those of its new ones."""
    earlier = (during or 0) - (of_new or 0)
    return f"，含{label.removesuffix('份')}以前梳理的问题{earlier}件" if earlier > 0 else ""


def render_bulletin_html(
    records: Records, engine: StatsEngine, info: BulletinInfo, env: jinja2.Environment, profile: str
) -> str:
    """The bulletin as one self-contained HTML document (print CSS included), byte-stable."""
    context = bulletin_context(records, engine, info, profile)
    html = env.get_template(TEMPLATES[info.kind]).render(context)
    return html if html.endswith("\n") else html + "\n"
