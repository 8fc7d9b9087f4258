"""A ``StatsDiff`` as terminal text or as Markdown for a pull-request comment: records first.

Short for a month's change: records grouped by kind and change with a few names each, figures
a line per period and scope; the Markdown keeps every record and figure in collapsed blocks.

Values in the Markdown come from the records (a department's name, a bulletin's number), so
each is written as plain text: a name like ``@all ![x](https://…) <img>`` must not mention
anyone, load an image, open a link or inject HTML into the comment.
"""

from __future__ import annotations

import re

from reportgen.compute.metrics import LEGAL_METRICS, METRICS
from reportgen.lang import Pair, pick
from reportgen.schema.kinds import KINDS
from reportgen.workflow.recorddiff import ADDED, CONFIG_LABEL, EDITED, FROZEN_LABEL, REMOVED, RecordGroup
from reportgen.workflow.statsdiff import (
    RANKINGS,
    SCOPES,
    BulletinChange,
    FigureChange,
    RankChange,
    StatsDiff,
    metric_label,
)

TITLE = "记录和统计数字的变化"
NO_RECORDS = "记录没有改动。"
NO_CHANGE = "统计数字没有变化。"
NAMES_SHOWN = 5  # records named per group before 等 N 条
FIGURES_SHOWN = 4  # figure changes per line of the text report before 等 N 项

# The terminal report's own words; the pull-request comment (Markdown) stays Chinese, as the office reads it.
MESSAGES: dict[str, Pair] = {
    "title": (TITLE + "：{base} → {head}", "Changes in records and figures: {base} → {head}"),
    "no_records": (NO_RECORDS, "No record changed."),
    "no_change": (NO_CHANGE, "No figure changed."),
    "records": ("改动的记录（{count} 条）：", "Records changed ({count}):"),
    "group": ("{kind} {change} {count} 条：{names}", "{kind} {change} {count}: {names}"),
    "names_more": ("等 {count} 条", " and {more} more"),
    "bulletins": ("已印发的通报会受影响：", "Issued bulletins affected:"),
    "bulletin": (
        "{id}（{number}{issued}印发）印发时的数字会改变：{changes}",
        "{id} ({number}issued {issued}): its figures as issued would change: {changes}",
    ),
    "number": ("{number}，", "{number}, "),
    "figures": ("统计数字的变化：", "Figures that change:"),
    "scope": ("{scope} {count} 项：{items}", "{scope} {count}: {items}"),
    "ranks": ("排名 {count} 项：{items}", "rankings {count}: {items}"),
    "some_more": (" 等 {count} 项", " ({count} in all)"),
    "separator": ("；", "; "),
    "name_separator": ("、", ", "),
    "invalid_side": (
        "{label} 的记录未通过校验（{count} 个错误）",
        "the records of {label} do not pass check (errors: {count})",
    ),
    "invalid": (
        "{sides}，无法比较统计数字。请先运行 reportgen check records 并改正。",
        "{sides}; the figures cannot be compared. Run reportgen check records and fix them first.",
    ),
}
# English for the labels the comparison gives in Chinese, each derived from where the label is defined.
ENGLISH: dict[str, str] = {
    **{kind.label: kind.name for kind in KINDS},
    CONFIG_LABEL: "config",
    FROZEN_LABEL: "frozen figures",
    ADDED: "added",
    EDITED: "edited",
    REMOVED: "removed",
    **{metric_label(metric): metric.en for metric in (*METRICS, *LEGAL_METRICS)},
    **{zh: section.replace("_", " ") for section, zh in (*SCOPES, *RANKINGS)},
}
_CHINESE_DATE = re.compile(r"(\d+)年(\d+)月(\d+)日")
_PLACES: tuple[tuple[re.Pattern[str], str], ...] = (  # statsdiff's places in a ranking, in English
    (re.compile(r"第(\d+)名（得分 (.+)）"), r"#\1 (score \2)"),
    (re.compile(r"不排名（得分 (.+)）"), r"not ranked (score \1)"),
    (re.compile(r"未列入"), "not listed"),
)


def _records_total(groups: list[RecordGroup]) -> int:
    return sum(len(g.records) for g in groups)


def _word(label: str, lang: str) -> str:
    """A label of the comparison (a kind, a change, a figure, a scope) in ``lang``."""
    return ENGLISH.get(label, label) if lang == "en" else label


def _say(key: str, lang: str, **params: object) -> str:
    return pick(MESSAGES[key], lang, **params)


def _group_line(group: RecordGroup, lang: str = "zh") -> str:
    """``问题 修改 2 条：Q0053 需增加第二路供电线路、Q0054 …``: the first few records, then 等 N 条."""
    names = [f"{r.id} {r.name}" if r.name else r.id for r in group.records[:NAMES_SHOWN]]
    more = len(group.records) - NAMES_SHOWN
    shown = _say("name_separator", lang).join(names)
    if more > 0:
        shown += _say("names_more", lang, count=len(group.records), more=more)
    kind, change = _word(group.kind, lang), _word(group.change, lang)
    return _say("group", lang, kind=kind, change=change, count=len(group.records), names=shown)


def _bulletin_line(change: BulletinChange, lang: str = "zh") -> str:
    number = _say("number", lang, number=change.number) if change.number else ""
    items = [
        f"{_figure_key(c.key) if lang == 'en' else c.label} {c.shown(c.issued)} → {c.shown(c.now)}"
        for c in change.changes
    ]
    changes = _some(items, lang)
    issued = _CHINESE_DATE.sub(_iso_date, change.issued) if lang == "en" else change.issued
    return _say("bulletin", lang, id=change.id, number=number, issued=issued, changes=changes)


def _iso_date(match: re.Match[str]) -> str:
    """A date written 2021年10月8日 as 2021-10-08."""
    return f"{int(match[1]):04d}-{int(match[2]):02d}-{int(match[3]):02d}"


def _figure_key(key: str) -> str:
    """A frozen figure's key in words: ``cumulative.issues_resolved`` → ``cumulative issues resolved``."""
    return key.replace(".", " ").replace("_", " ")


def _period_lines(diff: StatsDiff, key: str, lang: str = "zh") -> list[str]:
    """One line per scope (本期, 累计) and one for the rankings: the first few changes, then 等 N 项."""
    lines = []
    figures = [c for c in diff.figures if c.period == key]
    for scope in dict.fromkeys(c.scope for c in figures):
        items = [f"{_word(c.label, lang)} {c.old} → {c.new}" for c in figures if c.scope == scope]
        lines.append(_say("scope", lang, scope=_word(scope, lang), count=len(items), items=_some(items, lang)))
    ranks = [
        f"{_word(r.table, lang)} {r.unit} {_place(r.old, lang)} → {_place(r.new, lang)}"
        for r in diff.ranks
        if r.period == key
    ]
    if ranks:
        lines.append(_say("ranks", lang, count=len(ranks), items=_some(ranks, lang)))
    return lines


def _place(text: str, lang: str) -> str:
    """A place in a ranking (第3名（得分 88.5）) in ``lang``."""
    if lang != "en":
        return text
    for pattern, english in _PLACES:
        text = pattern.sub(english, text)
    return text


def _some(items: list[str], lang: str = "zh") -> str:
    """The first few items, then 等 N 项 when there are more."""
    more = _say("some_more", lang, count=len(items)) if len(items) > FIGURES_SHOWN else ""
    return _say("separator", lang).join(items[:FIGURES_SHOWN]) + more


def text_report(diff: StatsDiff, base: str, head: str, lang: str = "zh") -> str:
    """For the terminal: the changed records by kind, issued bulletins affected, then figures by period."""
    lines = [_say("title", lang, base=base, head=head), ""]
    if diff.empty:
        return "\n".join([*lines, _say("no_records", lang) + _spaced(lang) + _say("no_change", lang)]) + "\n"
    if diff.records:
        lines.append(_say("records", lang, count=_records_total(diff.records)))
        lines += [f"  {_group_line(g, lang)}" for g in diff.records]
    else:
        lines.append(_say("no_records", lang))
    lines.append("")
    if diff.bulletins:
        lines.append(_say("bulletins", lang))
        lines += [f"  {_bulletin_line(b, lang)}" for b in diff.bulletins]
        lines.append("")
    periods = diff.changed_periods()
    if not periods:
        return "\n".join([*lines, _say("no_change", lang)]) + "\n"
    lines.append(_say("figures", lang))
    for period in periods:
        lines.append(f"  {period.key}" if lang == "en" else f"  {period.name}（{period.key}）")
        lines += [f"    {line}" for line in _period_lines(diff, period.key, lang)]
    return "\n".join(lines) + "\n"


def _spaced(lang: str) -> str:
    """What stands between two sentences: nothing in Chinese, a space in English."""
    return " " if lang == "en" else ""


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


def invalid_report(sides: list[tuple[str, int]], fmt: str, lang: str = "zh") -> str:
    """Why there is no comparison: which side has how many problems (the Markdown comment always in Chinese)."""
    if fmt == "markdown":
        lang = "zh"
    parts = [_say("invalid_side", lang, label=label, count=count) for label, count in sides]
    message = _say("invalid", lang, sides=_say("separator", lang).join(parts))
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
