"""``reportgen diff --format markdown`` writes record values as plain text: a hostile department
name cannot mention anyone, load an image, open a link, inject HTML or break the table."""

from __future__ import annotations

from reportgen.compute.periods import parse_period
from reportgen.workflow.diffreport import markdown_report, markdown_text
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


def test_a_hostile_department_name_stays_text_in_the_pull_request_comment() -> None:
    diff = StatsDiff(
        periods=[parse_period("2021-08")],
        figures=[FigureChange("2021-08", "累计", "已销号问题（件）", "1", "0")],
        ranks=[RankChange("2021-08", "责任单位", HOSTILE, "1", "2")],
        bulletins=[BulletinChange("2021-08-monthly", "川助企〔2021〕8号", "2021年9月5日", (HOSTILE,))],
    )
    out = markdown_report(diff, "origin/main", "HEAD\n@all")
    assert out == (
        "### reportgen：统计数字的变化\n\n`origin/main` → `HEAD @all`\n\n"
        "> [!WARNING]\n> 已印发的通报会受影响：\n"
        f"> - 2021-08-monthly（川助企〔2021〕8号，2021年9月5日印发）：{ESCAPED}\n\n"
        "#### 2021年8月（2021-08）\n\n| 指标 | 口径 | 原来 | 现在 |\n| --- | --- | ---: | ---: |\n"
        "| 已销号问题（件） | 累计 | 1 | 0 |\n"
        f"| 责任单位 {ESCAPED} | 排名 | 1 | 2 |\n"
    )
