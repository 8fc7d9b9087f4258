"""``docs/metrics.md``: every rule, issue test and metric, from the single registry in ``metrics``."""

from __future__ import annotations

from reportgen.compute.metrics import (
    CHECKS,
    GROUPS,
    IDENTIFIED,
    ISSUE_CHECKS,
    LEGAL_METRICS,
    METRICS,
    RULES,
    Metric,
    group,
)

_HEAD = "| 键 | 指标 | English | 单位 | 定义（分子 ÷ 分母） | 计入时期的依据 |"


def _row(m: Metric) -> str:
    formula = f"{m.numerator} ÷ {m.denominator}" if m.denominator else m.numerator
    return f"| `{m.key}` | {m.zh} | {m.en} | {m.unit} | {formula} | {m.placement} |"


def _stands_on(m: Metric) -> str:
    """Which named issue tests a metric counts, in words (empty for the others)."""
    if m.counts is None or m.counts == IDENTIFIED:
        return ""
    over = "" if not m.over else "期内提出的问题" if m.over == IDENTIFIED else CHECKS[m.over].title
    return f"{CHECKS[m.counts].title}" + (f" ÷ {over}" if over else "")


def metrics_markdown() -> str:
    """The whole of docs/metrics.md."""
    return "\n".join(
        [
            "# 指标说明（docs/metrics.md）",
            "",
            "本文件由 `reportgen docs` 根据指标定义自动生成，请勿手工修改；统计计算、通报中的“指标说明”和网站的"
            " metrics.html 使用同一份定义（`src/reportgen/compute/metrics.py`）。按下面的规则，只看记录（见"
            " docs/records.md）就能算出每一个数字。",
            "",
            "## 规则",
            "",
            *[f"- **{title}**：{text}" for title, text in RULES],
            "",
            "## 问题的判断条件",
            "",
            "每个问题数都是期内提出的问题中、期末满足下面某一条件的问题的个数；网站上每个数字链接到的清单，"
            "列出的正是满足同一条件的问题。",
            "",
            "| 名称 | 清单标题 | 条件 |",
            "|---|---|---|",
            *[f"| `{c.name}` | {c.title} | {c.definition} |" for c in ISSUE_CHECKS],
            "",
            "## 问题与走访",
            "",
            _HEAD,
            "|---|---|---|---|---|---|",
            *[_row(m) for m in METRICS],
            "",
            "比率与平均数所依据的判断条件：",
            "",
            *[f"- `{m.key}`：{_stands_on(m)}" for m in METRICS if _stands_on(m)],
            "",
            "## 法治服务",
            "",
            _HEAD,
            "|---|---|---|---|---|---|",
            *[_row(m) for m in LEGAL_METRICS],
            "",
            "## 指标用在哪里",
            "",
            "| 分组 | 用途 | 指标 |",
            "|---|---|---|",
            *[f"| `{name}` | {use} | {'、'.join(f'`{k}`' for k in group(name))} |" for name, use in GROUPS.items()],
            "",
        ]
    )
