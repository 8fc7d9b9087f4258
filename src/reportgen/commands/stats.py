"""``reportgen stats``: a period's statistics as a Chinese table or as JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, TextIO

from reportgen.commands.check import print_report
from reportgen.compute import compute_stats
from reportgen.compute.metrics import LEGAL_METRICS, METRICS, Metric
from reportgen.compute.periods import Period, PeriodError, check_calendar, parse_day, parse_period, period_of
from reportgen.formatting import change, date_zh, number, pad, percent, score_text, terminal_safe
from reportgen.lang import Pair, pick
from reportgen.validate import check_repository
from reportgen.workdays import day_counter

# This command's own lines (the period's messages come from compute.periods).
MESSAGES: dict[str, Pair] = {
    "no_period": (
        "请用 --period 给出时期（如 2021-09、2021-Q3、2021），或用 --as-of 给出截止日期",
        "give the period with --period (2021-09, 2021-Q3, 2021) or a cut-off date with --as-of",
    ),
    "invalid": ("记录未通过校验，不能统计：", "the records have errors; no statistics:"),
}


def _text(key: str, lang: str) -> str:
    return pick(MESSAGES[key], lang)


def resolve_period(period: str | None, as_of: str | None) -> Period:
    """The period to report: ``--period`` cut at ``--as-of``, or the month of ``--as-of``."""
    day = None if as_of is None else parse_day(as_of)
    if period is None:
        if day is None:
            raise PeriodError(MESSAGES["no_period"])
        return period_of(day, "month").as_of(day)
    parsed = parse_period(period)
    return parsed.as_of(day) if day else parsed


def run_stats(
    records_dir: Path,
    period_text: str | None,
    as_of: str | None,
    fmt: str,
    lang: str = "zh",
    out: TextIO | None = None,
) -> int:
    """Print the statistics; 1 when the records are invalid, 2 for a bad period.

    The table is Chinese in either language: its labels are the bulletin's.
    """
    out = out or sys.stdout
    try:
        period = resolve_period(period_text, as_of)
    except PeriodError as exc:
        print(f"reportgen: {exc.text(lang)}", file=sys.stderr)
        return 2
    validated = check_repository(records_dir)
    if not validated.report.valid:
        print(_text("invalid", lang), file=sys.stderr)
        print_report(validated.report, "text", lang, sys.stderr)
        return 1
    try:
        check_calendar(period, day_counter(validated.records))
    except PeriodError as exc:
        print(f"reportgen: {exc.text(lang)}", file=sys.stderr)
        return 2
    stats = compute_stats(validated.records, period)
    if fmt == "json":
        json.dump(stats, out, ensure_ascii=False, indent=2, sort_keys=False)
        out.write("\n")
    else:
        out.write(format_table(stats, "个工作日" if validated.records.config.get("day_kind") == "working" else "天"))
    return 0


def _value(metric: Metric, value: Any) -> str:
    return percent(value) if metric.is_rate else number(value)


def format_table(stats: dict[str, Any], day_unit: str = "天") -> str:
    """The main figures in a terminal table: this period, 环比, cumulative."""
    cum, cur, prev = stats["cumulative"], stats["in_period"], stats["previous"]
    head = f"{stats['name']}（{date_zh(stats['start'])}至{date_zh(stats['as_of'])}，截至{date_zh(stats['as_of'])}）"
    widths = (32, 10, 16, 12)
    lines = [
        head,
        "",
        _row(("指标", "本期", "环比", "累计"), widths),
        _row(("-" * 32, "-" * 10, "-" * 16, "-" * 12), widths),
    ]
    for metric in METRICS:
        now, before, total = cur[metric.key], prev[metric.key], cum[metric.key]
        label = f"{metric.zh}（{metric.unit}）"
        lines.append(
            _row(
                (
                    label,
                    _value(metric, now),
                    change(now, before, metric.is_rate),
                    _value(metric, total),
                ),
                widths,
            )
        )
    lines.append("")
    for metric in LEGAL_METRICS:
        key = metric.key
        now, before, total = cur["legal"][key], prev["legal"][key], cum["legal"][key]
        lines.append(
            _row(
                (f"{metric.zh}（{metric.unit}）", number(now), change(now, before), number(total)),
                widths,
            )
        )
    lines += ["", "各单位排名（累计）："]
    for row in stats["by_department"]:
        rank = f"第{row['rank']}名" if row["rank"] else "不排名"
        lines.append(
            f"  {pad(rank, 8)}{pad(row['short_name'], 24)}问题 {row['issues_identified']:>3} 件  "
            f"解决率 {percent(row['resolution_rate']):>6}  得分 {score_text(row['score'])}"
        )
    if stats["overdue"]:
        lines += ["", f"超期未办结问题 {len(stats['overdue'])} 件："]
        for row in stats["overdue"]:
            lines.append(
                f"  {row['issue']}  {row['enterprise_name']}  {row['title']}（{row['department_name']}，"
                f"期限 {date_zh(row['deadline'])}，超期 {row['days_overdue']} {day_unit}）"
            )
    return "\n".join(terminal_safe(line) for line in lines) + "\n"  # names and titles come from the records


def _row(cells: tuple[str, ...], widths: tuple[int, ...]) -> str:
    first = pad(cells[0], widths[0])
    rest = "".join(pad(c, w, right=True) for c, w in zip(cells[1:], widths[1:], strict=True))
    return (first + rest).rstrip()
