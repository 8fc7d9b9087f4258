"""更正通报: the correction notice of an issued bulletin whose figures the records now give differently.

An issued notice is never rewritten.  When its frozen figures (``compute/freeze.py``) differ
from what the records give, the build also writes ``bulletins/<period>-correction.html``
(and its PDF and Word copy): a short notice in the same official format listing each figure
that changed — units by name, numbers written as the bulletins write them — in a table
指标 / 原数 / 更正为.  The original's page links to it.

The office gives the correction its own document number and date in the original bulletin
text (``correction_number`` and ``correction_issued``); until it does, the notice is a draft.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from reportgen.compute.freeze import FigureChange
from reportgen.compute.metrics import METRICS_BY_KEY
from reportgen.compute.periods import parse_period
from reportgen.formatting import date_zh, half_up, number, percent, yuan
from reportgen.model import Records
from reportgen.render import BulletinInfo

CORRECTION = "correction"  # the kind of a correction notice (never a bulletin text's kind)
# how each section of the frozen figures is named in the notice, by the original's period kind
_SECTIONS = {
    "month": {"cumulative": "累计", "in_period": "本月", "previous": "上月"},
    "quarter": {"cumulative": "累计", "in_period": "本季度", "previous": "上季度"},
    "year": {"cumulative": "累计", "in_period": "本年度", "previous": "上年度"},
}


def original_kind(records: Records, period: str) -> str:
    """The kind of the issued bulletin of this period (a period key names one kind: 2021-09, 2021-Q3, 2021)."""
    return next(str(b["kind"]) for b in records.bulletins.values() if b.get("period") == period and b.get("issued"))


_TITLE_TAIL = "有关数字的通报"


def correction_title(original: BulletinInfo) -> str:
    """关于更正西助企〔2021〕9号通报有关数字的通报 (an issued bulletin always has its number)."""
    return f"关于更正{original.doc_number}通报{_TITLE_TAIL}"


def correction_info(records: Records, original: BulletinInfo) -> BulletinInfo | None:
    """The correction notice of an issued bulletin whose figures changed; None when none changed."""
    text = records.bulletins.get(original.id)
    if not original.changes or text is None:
        return None
    issued: dt.date | None = text.get("correction_issued")
    number_ = text.get("correction_number")
    doc_number = f"{records.config['doc_prefix']}〔{issued.year}〕{number_}号" if issued and number_ else None
    stem = f"bulletins/{original.period}-{CORRECTION}"
    return replace(
        original,
        kind=CORRECTION,
        title=correction_title(original),
        doc_number=doc_number,
        issued=issued.isoformat() if issued else None,
        date=issued.isoformat() if issued else original.date,
        html=f"{stem}.html",
        pdf=f"{stem}.pdf" if original.pdf else None,
    )


def correction_link(records: Records, info: BulletinInfo, profile: str) -> dict[str, str] | None:
    """Where an issued bulletin's page points to its correction notice (same folder); None without one.

    A draft correction left off the public site (drafts are published only when the config says
    so) has no link: the note then says the correction is to be issued.
    """
    from reportgen.render.site.bulletin_page import published

    correction = correction_info(records, info) if info.kind != CORRECTION else None
    if correction is None:
        return None
    href = correction.html.rsplit("/", 1)[-1] if published(records.config, correction, profile) else ""
    return {"href": href, "title": correction.title}


def _unit_names(records: Records) -> dict[str, str]:
    units = {**records.departments, **records.teams}
    return {unit_id: str(u.get("short_name") or u["name"]) for unit_id, u in units.items()}


def figure_name(key: str, names: dict[str, str], period_kind: str) -> str:
    """The figure in words: 已解决问题（累计）, 问题解决率（本月）, 区供电公司名次, 逾期问题清单."""
    parts = key.split(".")
    sections = _SECTIONS[period_kind]
    if parts[0] in sections:
        metric = METRICS_BY_KEY[parts[-1]]
        return f"{metric.zh}（{sections[parts[0]]}）"
    if parts[0] == "rank":
        return f"{names.get(parts[1], parts[1])}名次"
    if parts[0] == "score":
        return f"{names.get(parts[1], parts[1])}综合得分"
    return "逾期问题清单"


def figure_value(key: str, value: Any) -> str:
    """A value as the bulletins print it, with its unit: 52件, 65.4%, 60.35万元, 第2名, 88.3分."""
    if value is None:
        return "—"
    parts = key.split(".")
    if parts[0] == "rank":
        return f"第{value}名"
    if parts[0] == "score":
        return f"{half_up(value, 1)}分"
    if key == "overdue":
        return f"{len(value)}件"
    metric = METRICS_BY_KEY[parts[-1]]
    if metric.is_rate:
        return percent(value)
    if metric.unit == "元":
        return yuan(value)
    shown = half_up(value, 1) if isinstance(value, float) else number(value)  # averages keep one decimal
    return f"{shown}{metric.unit}"


def correction_rows(records: Records, changes: tuple[FigureChange, ...], period_kind: str) -> list[dict[str, str]]:
    """The table of the notice: 指标 / 原数 / 更正为, in the order the frozen figures are compared."""
    names = _unit_names(records)
    rows = []
    for c in changes:
        before, after = figure_value(c.key, c.issued), figure_value(c.key, c.now)
        if before != after:  # a change below the printed precision is no correction
            rows.append({"name": figure_name(c.key, names, period_kind), "before": before, "after": after})
    return rows


def correction_context(records: Records, info: BulletinInfo, original: BulletinInfo) -> dict[str, Any]:
    """What the correction notice prints: the original bulletin and the corrected figures."""
    assert original.issued is not None  # a correction is made only for an issued bulletin
    return {
        "changes": [],  # the original's revision note is not repeated on its correction
        "attachments": [],
        "definitions": [],
        "original": {
            "number": original.doc_number,
            "issued": date_zh(original.issued),
            "title": original.title,
            "href": original.html.rsplit("/", 1)[-1],
        },
        "rows": correction_rows(records, info.changes, parse_period(info.period).kind),
        "title_lines": [info.title.removesuffix(_TITLE_TAIL), _TITLE_TAIL],  # the number kept on one line
    }
