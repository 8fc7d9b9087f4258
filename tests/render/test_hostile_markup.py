"""Markdown that Python-Markdown would take minutes on, or overflow the stack with: found in one linear
pass and shown as plain escaped paragraphs; real bulletin Markdown keeps its formatting."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import BULLETIN, BULLETIN_FILE, OfficeRepo

from reportgen.markdownbounds import MAX_NESTING, Excess, excess
from reportgen.render.markup import markdown_html

# (name, Python expression building the text) — built in the child, so the parent stays small
HOSTILE = {
    "quotes_5000": "'>' * 5000 + ' Z'",
    "quotes_spaced_5000": "'> ' * 5000 + 'Z'",
    "quote_depth_per_line": "'\\n'.join('>' * i + ' Z' for i in range(2000))",
    "brackets_50000": "'[' * 50000 + 'Z'",
    "brackets_each_line": "'[\\n' * 20000 + 'Z'",
    "brackets_nested": "'[' * 20000 + 'Z' + ']' * 20000",
    "images": "'![' * 20000 + 'Z'",
    "links_unclosed": "'[a](' * 20000 + 'Z'",
    "emphasis_run": "'*' * 90000 + 'Z'",
    "emphasis_nest": "'*_' * 20000 + 'Z' + '_*' * 20000",
    "strong_run": "'**a' * 30000 + 'Z'",
    "lists_nested_4": "'\\n'.join('    ' * i + '- Z' for i in range(200))",
    "lists_nested_2": "'\\n'.join('  ' * i + '* Z' for i in range(300))",
    "list_markers_one_line": "'- ' * 5000 + 'Z'",
    "ordered_markers_one_line": "'1. ' * 5000 + 'Z'",
    "quote_list_mix": "'> - ' * 5000 + 'Z'",
    "indented_code_steps": "'\\n'.join(' ' * (4 * i) + 'Z' for i in range(200))",
    "divs": "'<div>' * 20000 + 'Z'",
    "autolinks": "'<http://' * 10000 + 'Z'",
    "too_long": "'文' * 2_000_000 + 'Z'",
    "paragraphs_6000": "'Z\\n\\n' * 6000",
}
CHILD = """
import json, sys, time
from reportgen.render.markup import markdown_html
out = {}
for name, expression in json.loads(sys.argv[1]).items():
    text = eval(expression)
    html = str(markdown_html(text))
    out[name] = [html.startswith("<p>"), "Z" in html, "<blockquote>" in html or "<li>" in html or "<a" in html]
print(json.dumps(out))
"""


def test_hostile_markdown_renders_plain_within_a_time_limit() -> None:
    """Every case in one child with a time limit: a hang fails the test instead of stalling the suite."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(HOSTILE)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout)
    assert found == {name: [True, True, False] for name in HOSTILE}


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (">" * 5000 + " x", Excess(1, 1, f"引用或列表嵌套了 5000 层，超过 {MAX_NESTING} 层")),
        (
            "第一段\n\n> > > 三层\n" + "    " * 9 + "- 九层\n",
            Excess(4, 1, f"引用或列表嵌套了 10 层，超过 {MAX_NESTING} 层"),
        ),
        ("\t" * 9 + "x", Excess(1, 1, f"引用或列表嵌套了 9 层，超过 {MAX_NESTING} 层")),
        ("开头\n\n" + "[" * 1001, Excess(3, 1, "这一段的格式符号（如 [ ] * _ < > `）过多或层层嵌套")),
        ("文" * 100_001, Excess(1, 1, "一段文字有 100001 个字符，超过 100000 个")),
        ("x\n\n" * 5001, Excess(10001, 1, "段落超过 5000 个")),
    ],
    ids=["quotes", "list_indent", "tabs", "brackets", "length", "paragraphs"],
)
def test_excess_says_where_and_what(text: str, found: Excess) -> None:
    assert excess(text) == found


def test_plain_rendering_is_escaped_and_keeps_every_line() -> None:
    text = "> " * 20 + "<b>甲</b>\n第二行 & 符号\n\n第二段"
    assert str(markdown_html(text)) == (
        "<p>" + "&gt; " * 20 + "&lt;b&gt;甲&lt;/b&gt;<br>第二行 &amp; 符号</p>\n<p>第二段</p>"
    )


def test_real_bulletin_markdown_keeps_its_formatting() -> None:
    paragraphs = [f"第{i}段：**重点**见[文件{i}](https://example.gov.cn/{i})，*说明*和`代码`。" * 5 for i in range(40)]
    nested = "- 一级\n    - 二级\n        - 三级\n\n> 引用\n> > 二层引用\n\n1. 第一\n2. 第二"
    html = str(markdown_html("\n\n".join([*paragraphs, nested])))
    assert html.count("<a href=") == 200
    assert html.count("<strong>重点</strong>") == 200
    assert html.count("<ul>") == 3 and "<blockquote>\n<p>引用</p>\n<blockquote>" in html and "<ol>" in html


# -- check says where (W640) ------------------------------------------------------------------------

W640 = "这段通报文字的格式超出限度（{what}），生成的通报和网站会按原样显示这一段，不加排版"


def test_check_points_at_the_line_where_the_excess_starts(office: OfficeRepo) -> None:
    nested = "\n".join("    " * i + f"- 第{i}层" for i in range(12))
    office.write(BULLETIN_FILE, BULLETIN.replace("继续做好服务。", "继续做好服务。\n\n" + nested))
    comment = "    comment: 响应迅速。"
    office.write(
        BULLETIN_FILE,
        office.root.joinpath(BULLETIN_FILE).read_text("utf-8").replace(comment, f'    comment: "{"[" * 1001}"'),
    )
    found = [(p.code, office.relative(p), p.line, p.column, p.message()) for p in office.check().report.sorted()]
    depth = f"引用或列表嵌套了 9 层，超过 {MAX_NESTING} 层"
    assert found == [
        ("W640", BULLETIN_FILE, 8, 14, W640.format(what="这一段的格式符号（如 [ ] * _ < > `）过多或层层嵌套")),
        ("W640", BULLETIN_FILE, 28, 1, W640.format(what=depth)),  # line 20 + 8: "- 第8层" opens level 9
    ]


def test_real_bulletins_have_no_w640(office: OfficeRepo) -> None:
    assert [p.code for p in office.check().report.problems] == []
