"""A ``StatsDiff`` as terminal text or as Markdown for a pull-request comment.

Values in the Markdown come from the records (a department's name, a bulletin's number), so
each is written as plain text: a name like ``@all ![x](https://…) <img>`` must not mention
anyone, load an image, open a link or inject HTML into the comment.
"""

from __future__ import annotations

import re

from reportgen.formatting import pad
from reportgen.workflow.statsdiff import BulletinChange, StatsDiff

LABEL_WIDTH = 32
NO_CHANGE = "统计数字没有变化。"


def _bulletin_line(change: BulletinChange) -> str:
    number = f"{change.number}，" if change.number else ""
    return f"{change.id}（{number}{change.issued}印发）：{'、'.join(change.reasons)}"


def text_report(diff: StatsDiff, base: str, head: str) -> str:
    """For the terminal: one block per changed period, ``本期  已解决问题（件）  0 → 1``."""
    lines = [f"统计数字的变化：{base} → {head}", ""]
    if diff.empty:
        return "\n".join([*lines, NO_CHANGE]) + "\n"
    if diff.bulletins:
        lines.append("已印发的通报会受影响：")
        lines += [f"  {_bulletin_line(b)}" for b in diff.bulletins]
        lines.append("")
    for period in diff.changed_periods():
        lines.append(f"{period.name}（{period.key}）")
        for change in (c for c in diff.figures if c.period == period.key):
            lines.append(f"  {change.scope}  {pad(change.label, LABEL_WIDTH)}{change.old} → {change.new}")
        for rank in (r for r in diff.ranks if r.period == period.key):
            lines.append(f"  排名  {pad(f'{rank.table} {rank.unit}', LABEL_WIDTH)}{rank.old} → {rank.new}")
        lines.append("")
    return "\n".join(lines)


def markdown_report(diff: StatsDiff, base: str, head: str) -> str:
    """For a pull-request comment: a warning for issued bulletins, then a table per changed period."""
    lines = ["### reportgen：统计数字的变化", "", f"{_code(base)} → {_code(head)}", ""]
    if diff.empty:
        return "\n".join([*lines, NO_CHANGE]) + "\n"
    if diff.bulletins:
        lines.append("> [!WARNING]")
        lines.append("> 已印发的通报会受影响：")
        lines += [f"> - {markdown_text(_bulletin_line(b))}" for b in diff.bulletins]
        lines.append("")
    for period in diff.changed_periods():
        lines += [
            f"#### {period.name}（{period.key}）",
            "",
            "| 指标 | 口径 | 原来 | 现在 |",
            "| --- | --- | ---: | ---: |",
        ]
        for change in (c for c in diff.figures if c.period == period.key):
            lines.append(_row(change.label, change.scope, change.old, change.new))
        for rank in (r for r in diff.ranks if r.period == period.key):
            lines.append(_row(f"{rank.table} {rank.unit}", "排名", rank.old, rank.new))
        lines.append("")
    return "\n".join(lines)


def invalid_report(sides: list[tuple[str, int]], fmt: str) -> str:
    """Why there is no comparison: which side has how many problems."""
    parts = [f"{label} 的记录未通过校验（{count} 个错误）" for label, count in sides]
    message = "；".join(parts) + "，无法比较统计数字。请先运行 reportgen check records 并改正。"
    if fmt == "markdown":
        return f"### reportgen：统计数字的变化\n\n> [!CAUTION]\n> {markdown_text(message)}\n"
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
