"""``docs/metrics.md``: every metric's definition, from the single definitions in ``metrics``."""

from __future__ import annotations

from reportgen.compute.metrics import LEGAL_METRICS, METRICS, Metric


def _row(m: Metric) -> str:
    formula = f"{m.numerator} ÷ {m.denominator}" if m.denominator else m.numerator
    return f"| `{m.key}` | {m.zh} | {m.en} | {m.unit} | {formula} | {m.placement} |"


def metrics_markdown() -> str:
    """The whole of docs/metrics.md."""
    head = "| 键 | 指标 | English | 单位 | 定义（分子 ÷ 分母） | 计入时期的依据 |"
    return "\n".join(
        [
            "# 指标说明（docs/metrics.md）",
            "",
            "本文件由 `reportgen docs` 根据指标定义自动生成，请勿手工修改；统计计算、通报中的“指标说明”和网站的"
            " metrics.html 使用同一份定义（`src/reportgen/compute/metrics.py`）。",
            "",
            "## 口径",
            "",
            "- **期末状态**：每个数字都按时期最后一天（或 `--as-of` 给出的截止日）的状态计算，"
            "由问题的办理记录逐日回放；此后才发生的记录在计算中不存在。9 月的通报在 12 月重新生成，数字不变。",
            "- **本期**：提出日期（或走访、法治服务日期）在期内的记录；**累计**：从活动开始日到期末。",
            "- **比率**为 0 到 1 之间的小数，分母为 0 时为空（null），通报中显示为“—”，保留一位小数的百分数。",
            "- **环比**：与上一个同样长度的时期（上月、上季度、上年）按其期末状态计算的本期数字相比。",
            "- **排名**：按牵头单位（或企业所属的“1+3”队伍）归集累计问题，综合得分 = 各比率按配置权重加权"
            "（缺少的比率其权重按比例分给其余比率），满分 100；问题数少于配置的最少数的单位只列出、不排名；"
            "得分相同（保留一位小数后）的单位名次相同。",
            "- **期限**：问题写明的办结期限；未写时为提出日加办理时限"
            "（按配置为自然日或工作日，工作日依据 calendar/ 中的节假日和调休安排）。",
            "",
            "## 问题与走访",
            "",
            head,
            "|---|---|---|---|---|---|",
            *[_row(m) for m in METRICS],
            "",
            "## 法治服务",
            "",
            head,
            "|---|---|---|---|---|---|",
            *[_row(m) for m in LEGAL_METRICS],
            "",
        ]
    )
