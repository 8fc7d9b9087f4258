"""``reportgen diff --format markdown`` writes record values as plain text: a hostile department
name cannot mention anyone, load an image, open a link, inject HTML or break the table."""

from __future__ import annotations

from reportgen.compute.freeze import FigureChange as Frozen
from reportgen.compute.periods import parse_period
from reportgen.workflow.diffreport import markdown_report, markdown_text
from reportgen.workflow.recorddiff import RecordChange, RecordGroup
from reportgen.workflow.statsdiff import BulletinChange, FigureChange, RankChange, StatsDiff

HOSTILE = (
    "区供电公司 @all ![x](https://evil.example/a.png) <img src=x onerror=alert(1)>|`c`\n"
    "# 标题 *粗* _斜_ ~~删~~ [点](javascript:x) #12 www.evil.example &lt;"
)
ESCAPED = (
    r"区供电公司 @&#8203;all \!\[x\]\(https://&#8203;evil.example/a.png\) &lt;img src=x onerror=alert\(1\)&gt;\|\`c\`"
    r" \#&#8203; 标题 \*粗\* \_斜\_ \~\~删\~\~ \[点\]\(javascript:x\) \#&#8203;12 www.&#8203;evil.example &amp;lt;"
)


def test_every_markdown_form_is_escaped() -> None:
    assert markdown_text(HOSTILE) == ESCAPED


def test_a_hostile_name_stays_text_in_the_pull_request_comment() -> None:
    record = RecordChange("企业", "修改", "E001", HOSTILE)
    diff = StatsDiff(
        periods=[parse_period("2021-08")],
        records=[RecordGroup("企业", "修改", (record,) * 6)],  # more than are named: the full list in <details>
        figures=[FigureChange("2021-08", "累计", "已销号问题（件）", "1", "0")],
        ranks=[RankChange("2021-08", "责任单位", HOSTILE, "1", "2")],
        bulletins=[
            BulletinChange("2021-08-monthly", "川助企〔2021〕8号", "2021年9月5日", (Frozen("x", HOSTILE, 1, 2),))
        ],
    )
    out = markdown_report(diff, "origin/main", "HEAD\n@all")
    named = "、".join([f"E001 {ESCAPED}"] * 5)
    assert out == (
        "### reportgen：记录和统计数字的变化\n\n`origin/main` → `HEAD @all`\n\n"
        "#### 改动的记录（6 条）\n\n"
        f"- 企业 修改 6 条：{named}等 6 条\n\n"
        "<details><summary>全部改动的记录</summary>\n\n| 类别 | 改动 | 编号 | 名称 |\n| --- | --- | --- | --- |\n"
        + f"| 企业 | 修改 | E001 | {ESCAPED} |\n"
        * 6
        + "\n</details>\n\n"
        "> [!WARNING]\n> 已印发的通报会受影响：\n"
        f"> - 2021-08-monthly（川助企〔2021〕8号，2021年9月5日印发）印发时的数字会改变：{ESCAPED} 1 → 2\n\n"
        "#### 统计数字的变化\n\n- 2021年8月（2021-08）\n  - 累计 1 项：已销号问题（件） 1 → 0\n"
        f"  - 排名 1 项：责任单位 {ESCAPED} 1 → 2\n\n"
        "<details><summary>全部 2 项数字和排名的变化</summary>\n\n"
        "##### 2021年8月（2021-08）\n\n| 指标 | 口径 | 原来 | 现在 |\n| --- | --- | ---: | ---: |\n"
        "| 已销号问题（件） | 累计 | 1 | 0 |\n\n"
        "| 指标 | 口径 | 原来 | 现在 |\n| --- | --- | ---: | ---: |\n"
        f"| 责任单位 {ESCAPED} | 排名 | 1 | 2 |\n\n"
        "</details>\n"
    )
