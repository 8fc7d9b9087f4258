"""A ``StatsDiff`` as terminal text or as Markdown for a pull-request comment: records first.

Short for a month's change: records grouped by kind and change with a few names each, figures
a line per period and scope; the Markdown keeps every record and figure in collapsed blocks.

Values in the Markdown come from the records (a department's name, a bulletin's number), so
each is written as plain text: a name like ``@all ![x](https://…) <img>`` must not mention
anyone, load an image, open a link or inject HTML into the comment.
"""

from __future__ import annotations

import re

from reportgen.workflow.recorddiff import RecordGroup
from reportgen.workflow.statsdiff import BulletinChange, FigureChange, RankChange, StatsDiff

TITLE = "记录和统计数字的变化"
NO_RECORDS = "记录没有改动。"
NO_CHANGE = "统计数字没有变化。"
NAMES_SHOWN = 5  # records named per group before 等 N 条
FIGURES_SHOWN = 4  # figure changes per line of the text report before 等 N 项


def _records_total(groups: list[RecordGroup]) -> int:
    return sum(len(g.records) for g in groups)


def _group_line(group: RecordGroup) -> str:
    return f"{group.kind} {group.change} {len(group.records)} 条：{group.shown(NAMES_SHOWN)}"


def _bulletin_line(change: BulletinChange) -> str:
    number = f"{change.number}，" if change.number else ""
    shown = _some([f"{c.label} {c.shown(c.issued)} → {c.shown(c.now)}" for c in change.changes])
    return f"{change.id}（{number}{change.issued}印发）印发时的数字会改变：{shown}"


def _period_lines(diff: StatsDiff, key: str) -> list[str]:
    """One line per scope (本期, 累计) and one for the rankings: the first few changes, then 等 N 项."""
    lines = []
    figures = [c for c in diff.figures if c.period == key]
    for scope in dict.fromkeys(c.scope for c in figures):
        items = [f"{c.label} {c.old} → {c.new}" for c in figures if c.scope == scope]
        lines.append(f"{scope} {len(items)} 项：{_some(items)}")
    ranks = [f"{r.table} {r.unit} {r.old} → {r.new}" for r in diff.ranks if r.period == key]
    if ranks:
        lines.append(f"排名 {len(ranks)} 项：{_some(ranks)}")
    return lines


def _some(items: list[str]) -> str:
    """The first few items, then 等 N 项 when there are more."""
    more = f" 等 {len(items)} 项" if len(items) > FIGURES_SHOWN else ""
    return "；".join(items[:FIGURES_SHOWN]) + more


def text_report(diff: StatsDiff, base: str, head: str) -> str:
    """For the terminal: the changed records by kind, issued bulletins affected, then figures by period."""
    lines = [f"{TITLE}：{base} → {head}", ""]
    if diff.empty:
        return "\n".join([*lines, NO_RECORDS + NO_CHANGE]) + "\n"
    if diff.records:
        lines.append(f"改动的记录（{_records_total(diff.records)} 条）：")
        lines += [f"  {_group_line(g)}" for g in diff.records]
    else:
        lines.append(NO_RECORDS)
    lines.append("")
    if diff.bulletins:
        lines.append("已印发的通报会受影响：")
        lines += [f"  {_bulletin_line(b)}" for b in diff.bulletins]
        lines.append("")
    periods = diff.changed_periods()
    if not periods:
        return "\n".join([*lines, NO_CHANGE]) + "\n"
    lines.append("统计数字的变化：")
    for period in periods:
        lines.append(f"  {period.name}（{period.key}）")
        lines += [f"    {line}" for line in _period_lines(diff, period.key)]
    return "\n".join(lines) + "\n"


def markdown_report(diff: StatsDiff, base: str, head: str) -> str:
    """For a pull-request comment: the changed records, a warning for issued bulletins, the figures by
    period in short, and every record and figure in collapsed blocks (``<details>``)."""
    lines = [f"### reportgen：{TITLE}", "", f"{_code(base)} → {_code(head)}", ""]
    if diff.empty:
        return "\n".join([*lines, NO_RECORDS + NO_CHANGE]) + "\n"
    lines += _markdown_records(diff.records)
    if diff.bulletins:
        lines += ["> [!WARNING]", "> 已印发的通报会受影响："]
        lines += [f"> - {markdown_text(_bulletin_line(b))}" for b in diff.bulletins]
        lines.append("")
    periods = diff.changed_periods()
    if not periods:
        return "\n".join([*lines, NO_CHANGE]) + "\n"
    lines += ["#### 统计数字的变化", ""]
    for period in periods:
        lines.append(f"- {markdown_text(f'{period.name}（{period.key}）')}")
        lines += [f"  - {markdown_text(line)}" for line in _period_lines(diff, period.key)]
    lines += ["", f"<details><summary>全部 {len(diff.figures) + len(diff.ranks)} 项数字和排名的变化</summary>", ""]
    for period in periods:
        lines += [f"##### {markdown_text(f'{period.name}（{period.key}）')}", ""]
        lines += _figure_table([c for c in diff.figures if c.period == period.key])
        lines += _figure_table([r for r in diff.ranks if r.period == period.key])
    lines.append("</details>")
    return "\n".join(lines) + "\n"


def _markdown_records(groups: list[RecordGroup]) -> list[str]:
    if not groups:
        return [NO_RECORDS, ""]
    lines = [f"#### 改动的记录（{_records_total(groups)} 条）", ""]
    lines += [f"- {markdown_text(_group_line(g))}" for g in groups]
    lines.append("")
    if any(len(g.records) > NAMES_SHOWN for g in groups):
        lines += [
            "<details><summary>全部改动的记录</summary>",
            "",
            "| 类别 | 改动 | 编号 | 名称 |",
            "| --- | --- | --- | --- |",
        ]
        lines += [_row(r.kind, r.change, r.id, r.name) for g in groups for r in g.records]
        lines += ["", "</details>", ""]
    return lines


def _figure_table(changes: list[FigureChange] | list[RankChange]) -> list[str]:
    if not changes:
        return []
    lines = ["| 指标 | 口径 | 原来 | 现在 |", "| --- | --- | ---: | ---: |"]
    for change in changes:
        if isinstance(change, FigureChange):
            lines.append(_row(change.label, change.scope, change.old, change.new))
        else:
            lines.append(_row(f"{change.table} {change.unit}", "排名", change.old, change.new))
    return [*lines, ""]


def invalid_report(sides: list[tuple[str, int]], fmt: str) -> str:
    """Why there is no comparison: which side has how many problems."""
    parts = [f"{label} 的记录未通过校验（{count} 个错误）" for label, count in sides]
    message = "；".join(parts) + "，无法比较统计数字。请先运行 reportgen check records 并改正。"
    if fmt == "markdown":
        return f"### reportgen：{TITLE}\n\n> [!CAUTION]\n> {markdown_text(message)}\n"
    return message + "\n"


def _code(text: str) -> str:
    return f"`{_one_line(text).replace('`', '')}`"


# ASCII punctuation that makes Markdown (GFM) structure: emphasis, code, tables, links, images, headings
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_~|!\[\]()#])")
# what GitHub turns into a mention, an issue reference or a link anywhere in text
_GITHUB_AUTOLINKS = re.compile(r"(@|#|://|www\.)")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x85\x0b\x0c]+")


def markdown_text(text: str) -> str:
    """``text`` as literal Markdown on one line: no emphasis, link, image, HTML, cell break or mention.

    ``&``, ``<`` and ``>`` become entities (no HTML); Markdown's punctuation is backslash-escaped;
    a zero-width space after ``@``, ``#``, ``://`` and ``www.`` keeps GitHub from making a mention,
    an issue reference or a link of what follows.
    """
    text = _one_line(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)
    return _GITHUB_AUTOLINKS.sub("\\1&#8203;", text)


def _row(*cells: str) -> str:
    return "| " + " | ".join(markdown_text(cell) for cell in cells) + " |"


def _one_line(text: str) -> str:
    return _LINE_BREAKS.sub(" ", text)
