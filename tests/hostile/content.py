"""Hostile content: records whose text fields carry markup, scripts, template syntax and endless
lines, built with ``reportgen build --no-pdf``; each case names the output file and the exact
escaped or sanitised fragment that must be there, and what must not be anywhere.

Every payload carries its own marker (X01, M01, …) so one small repository holds them all and
is built once.  Plain text fields (issue titles, enterprise and department names) go through
Jinja's autoescaping: the payload must appear escaped, character for character.  Markdown
fields (bulletin sections, unit comments, visit summaries) go through the sanitiser: the
dangerous part must be gone and the harmless text kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from conftest import BULLETIN, ENTERPRISE, ISSUE, MINIMAL_FILES, VISIT, write_minimal_repository
from corpus import edit

LONG = "X09" + "长" * 190  # a title-length line without a single space
LONG_MD = "M19" + "W" * 5000


@dataclass(frozen=True)
class ContentCase:
    """Where a payload goes, where it comes out and in which exact form."""

    name: str
    target: str  # "title", "enterprise", "department", "body", "steps", "comment", "summary"
    payload: str
    output: str  # output file (relative to out/) that must contain ``expected``
    expected: str
    forbidden: tuple[str, ...] = field(default=())  # must occur in no output file at all


BULLETIN_HTML = "bulletins/2021-08-monthly.html"
QUARTERLY_HTML = "bulletins/2021-Q3-quarterly.html"
LEDGER = "ledger.html"
VISITS = "lists/all/2021-08/visits.html"
INDEX = "index.html"

CASES: list[ContentCase] = [
    # ---- plain text fields: escaped, never interpreted ----------------------------------------
    ContentCase(
        "title_script",
        "title",
        '<script>alert("X01")</script>',
        LEDGER,
        "&lt;script&gt;alert(&#34;X01&#34;)&lt;/script&gt;",
        ('<script>alert("X01")',),
    ),
    ContentCase(
        "title_img_onerror",
        "title",
        "<img src=x onerror=alert('X02')>",
        LEDGER,
        "&lt;img src=x onerror=alert(&#39;X02&#39;)&gt;",
        ("<img src=x onerror",),
    ),
    ContentCase(
        "title_javascript_link",
        "title",
        "<a href=\"javascript:alert('X03')\">点我</a>",
        LEDGER,
        "&lt;a href=&#34;javascript:alert(&#39;X03&#39;)&#34;&gt;点我&lt;/a&gt;",
        ("<a href=\"javascript:alert('X03')",),
    ),
    ContentCase("title_jinja_expression", "title", "{{ 7*7 }}X04", LEDGER, "{{ 7*7 }}X04", ("49X04",)),
    ContentCase(
        "title_jinja_statement",
        "title",
        "{% for i in range(3) %}X05{% endfor %}",
        LEDGER,
        "{% for i in range(3) %}X05{% endfor %}",
        ("X05X05",),
    ),
    ContentCase(
        "title_style_breakout",
        "title",
        "</style><script>X06</script>",
        LEDGER,
        "&lt;/style&gt;&lt;script&gt;X06&lt;/script&gt;",
        ("<script>X06",),
    ),
    ContentCase(
        "title_attribute_breakout",
        "title",
        '"><svg onload=alert(X07)>',
        LEDGER,
        "&#34;&gt;&lt;svg onload=alert(X07)&gt;",
        ('"><svg onload=alert(X07)',),
    ),
    ContentCase("title_entities_stay_text", "title", "&lt;X08&gt; &amp;", LEDGER, "&amp;lt;X08&amp;gt; &amp;amp;"),
    ContentCase("title_long_line_without_spaces", "title", LONG, LEDGER, LONG),
    ContentCase("title_dollar_template", "title", "${7*7}X10#{7*7}", LEDGER, "${7*7}X10#{7*7}", ("49X10",)),
    ContentCase(
        "title_cdata_and_comment",
        "title",
        "X11]]><!--<![CDATA[",
        LEDGER,
        "X11]]&gt;&lt;!--&lt;![CDATA[",
        ("X11]]><!--",),
    ),
    ContentCase(
        "title_css_expression",
        "title",
        "X12 expression(alert(1)) url(javascript:x)",
        LEDGER,
        "X12 expression(alert(1)) url(javascript:x)",
    ),
    ContentCase(
        "enterprise_title_breakout",
        "enterprise",
        "</title><script>X13</script>",
        LEDGER,
        "&lt;/title&gt;&lt;script&gt;X13&lt;/script&gt;",
        ("<script>X13",),
    ),
    ContentCase(
        "enterprise_jinja", "enterprise", "{{ config }}X14{{ 6*7 }}", LEDGER, "{{ config }}X14{{ 6*7 }}", ("X1442",)
    ),
    ContentCase(
        "enterprise_event_handler",
        "enterprise",
        "X15<body onload=alert(1)>",
        LEDGER,
        "X15&lt;body onload=alert(1)&gt;",
        ("X15<body",),
    ),
    ContentCase(
        "department_script",
        "department",
        "<script>X16</script>",
        "departments/D02.html",
        "&lt;script&gt;X16&lt;/script&gt;",
        ("<script>X16",),
    ),
    ContentCase(
        "department_jinja",
        "department",
        "{{ 7*7 }}X17",
        "departments/D03.html",
        "{{ 7*7 }}X17",
        ("49X17",),
    ),
    # ---- Markdown fields: sanitised ------------------------------------------------------------
    ContentCase(
        "body_script", "body", "M01前<script>alert('M01')</script>后", BULLETIN_HTML, "M01前后", ("alert('M01')",)
    ),
    ContentCase(
        "body_javascript_link",
        "body",
        "[M02点我](javascript:alert('M02'))",
        BULLETIN_HTML,
        '<a title="M02" rel="noopener noreferrer">M02点我</a>)',
        ("javascript:alert('M02')",),
    ),
    ContentCase(
        "body_data_link",
        "body",
        "[M03数据](data:text/html;base64,PHNjcmlwdD5NMzwvc2NyaXB0Pg==)",
        BULLETIN_HTML,
        '<a rel="noopener noreferrer">M03数据</a>',
        ("data:text/html;base64,PHNjcmlwdD5NMz",),
    ),
    ContentCase(
        "body_svg_script",
        "body",
        "M04<svg><script>alert('M04')</script></svg>",
        BULLETIN_HTML,
        "M04",
        ("alert('M04')", "<svg>"),
    ),
    ContentCase(
        "body_img_onerror",
        "body",
        'M05<img src="x" onerror="alert(\'M05\')">',
        BULLETIN_HTML,
        "M05",
        ("alert('M05')",),
    ),
    ContentCase(
        "body_style_attribute",
        "body",
        '<div style="background:url(javascript:M06)">M06文字</div>',
        BULLETIN_HTML,
        "M06文字",
        ("javascript:M06",),
    ),
    ContentCase(
        "body_style_element",
        "body",
        "<style>body{display:none}</style>M07",
        BULLETIN_HTML,
        "M07",
        ("body{display:none}",),
    ),
    ContentCase(
        "body_css_expression",
        "body",
        "<p style=\"width: expression(alert('M08'))\">M08</p>",
        BULLETIN_HTML,
        "<p>M08</p>",
        ("expression(alert('M08'))",),
    ),
    ContentCase(
        "body_jinja",
        "body",
        "{{ 7*7 }} M09 {% if true %}是{% endif %}",
        BULLETIN_HTML,
        "{{ 7*7 }} M09 {% if true %}是{% endif %}",
        ("49 M09",),
    ),
    ContentCase(
        "body_http_link_kept",
        "body",
        "[M10链接](http://example.com/M10)",
        BULLETIN_HTML,
        '<a href="http://example.com/M10" rel="noopener noreferrer">M10链接</a>',
    ),
    ContentCase(
        "body_iframe",
        "body",
        'M11<iframe src="https://evil.example/M11"></iframe>',
        BULLETIN_HTML,
        "M11",
        ("evil.example/M11",),
    ),
    ContentCase(
        "body_mixed_case_scheme",
        "body",
        "<a href=\"JaVaScRiPt:alert('M12')\">M12</a>",
        BULLETIN_HTML,
        '<a rel="noopener noreferrer">M12</a>',
        ("alert('M12')",),
    ),
    ContentCase(
        "body_entity_encoded_scheme",
        "body",
        "<a href=\"&#106;avascript:alert('M13')\">M13</a>",
        BULLETIN_HTML,
        '<a rel="noopener noreferrer">M13</a>',
        ("alert('M13')",),
    ),
    ContentCase(
        "body_form",
        "body",
        '<form action="https://evil.example/M14"><input name="M14"></form>M14文字',
        BULLETIN_HTML,
        "M14文字",
        ("evil.example/M14", "<input"),
    ),
    ContentCase(
        "body_meta_refresh",
        "body",
        '<meta http-equiv="refresh" content="0;url=https://evil.example/M15">M15',
        BULLETIN_HTML,
        "M15",
        ("evil.example/M15",),
    ),
    ContentCase(
        "body_base",
        "body",
        '<base href="https://evil.example/M16/">M16',
        BULLETIN_HTML,
        "M16",
        ("evil.example/M16",),
    ),
    ContentCase(
        "body_object_embed",
        "body",
        '<object data="M17.swf"></object><embed src="M17.swf">M17文字',
        BULLETIN_HTML,
        "M17文字",
        ("M17.swf",),
    ),
    ContentCase(
        "body_stylesheet_link",
        "body",
        '<link rel="stylesheet" href="https://evil.example/M18.css">M18',
        BULLETIN_HTML,
        "M18",
        ("evil.example/M18.css",),
    ),
    ContentCase("body_long_line_without_spaces", "body", LONG_MD, BULLETIN_HTML, LONG_MD),
    ContentCase(
        "body_vbscript",
        "body",
        "[M20](vbscript:msgbox('M20'))",
        BULLETIN_HTML,
        '<a title="M20" rel="noopener noreferrer">M20</a>)',
        ("vbscript:msgbox('M20')",),
    ),
    ContentCase(
        "body_reference_link",
        "body",
        "[M21引用][r21]\n\n[r21]: javascript:alert('M21')",
        BULLETIN_HTML,
        '<a rel="noopener noreferrer">M21引用</a>',
        ("alert('M21')",),
    ),
    ContentCase(
        "body_comment",
        "body",
        "M22<!-- M22 内部意见 -->",
        BULLETIN_HTML,
        "M22",
        ("M22 内部意见",),
    ),
    ContentCase(
        "body_table_handler",
        "body",
        "<table onmouseover=\"alert('M23')\"><tr><td>M23</td></tr></table>",
        BULLETIN_HTML,
        "<td>M23</td>",
        ("alert('M23')",),
    ),
    ContentCase(
        "body_math_namespace_confusion",
        "body",
        "M24<math><mtext><table><mglyph><style><img src=x onerror=alert('M24')>"
        "</style></mglyph></table></mtext></math>",
        BULLETIN_HTML,
        "M24",
        ("alert('M24')",),
    ),
    ContentCase(
        "body_image_parent_path",
        "body",
        "M25![图](../../../../etc/passwd)",
        BULLETIN_HTML,
        "M25",
        ("etc/passwd",),
    ),
    ContentCase(
        "body_image_file_url",
        "body",
        "M26![图](file:///etc/hostname)",
        BULLETIN_HTML,
        "M26",
        ("file:///etc/hostname",),
    ),
    ContentCase(
        "body_remote_image",
        "body",
        "M27![图](http://example.com/M27.png)",
        BULLETIN_HTML,
        "M27",
        ("example.com/M27.png",),
    ),
    ContentCase(
        "body_details_ontoggle",
        "body",
        "<details open ontoggle=alert('M28')>M28</details>",
        BULLETIN_HTML,
        "M28",
        ("alert('M28')",),
    ),
    # ---- nesting Python-Markdown would take minutes on (or overflow the stack): shown as plain text --
    # (all in the 下步工作 section, which one of them is enough to turn plain)
    ContentCase("steps_quotes_5000", "steps", ">" * 5000 + " M30", BULLETIN_HTML, "<p>" + "&gt;" * 5000 + " M30</p>"),
    ContentCase("steps_brackets_20000", "steps", "[" * 20000 + "M31", BULLETIN_HTML, "<p>" + "[" * 20000 + "M31</p>"),
    ContentCase("steps_emphasis_nest", "steps", "*_" * 5000 + "M32" + "_*" * 5000, BULLETIN_HTML, "*_" * 5000 + "M32"),
    ContentCase(
        "steps_nested_lists_300",
        "steps",
        "\n".join("    " * i + f"- M33-{i}" for i in range(300)),
        BULLETIN_HTML,
        "<p>- M33-0<br>    - M33-1<br>        - M33-2<br>",
    ),
    ContentCase("steps_divs_5000", "steps", "<div>" * 5000 + "M34", BULLETIN_HTML, "&lt;div&gt;" * 5000 + "M34"),
    ContentCase("steps_images_10000", "steps", "![" * 10000 + "M35", BULLETIN_HTML, "![" * 10000 + "M35", ("<img",)),
    ContentCase(
        "comment_script",
        "comment",
        "C01<script>alert('C01')</script>",
        QUARTERLY_HTML,
        "C01",
        ("alert('C01')",),
    ),
    ContentCase(
        "comment_jinja",
        "comment",
        "{{ 7*7 }}C02",
        QUARTERLY_HTML,
        "{{ 7*7 }}C02",
        ("49C02",),
    ),
    ContentCase(
        "comment_link_onclick",
        "comment",
        '<a href="https://ok.example/C03" onclick="alert(\'C03\')">C03</a>',
        QUARTERLY_HTML,
        '<a href="https://ok.example/C03" rel="noopener noreferrer">C03</a>',
        ("alert('C03')",),
    ),
    ContentCase(
        "summary_script",
        "summary",
        "S01<script>alert('S01')</script>",
        VISITS,
        "S01",
        ("alert('S01')",),
    ),
    ContentCase(
        "summary_javascript_link",
        "summary",
        "[S02](javascript:alert('S02'))",
        VISITS,
        "S02",
        ("alert('S02')",),
    ),
    ContentCase(
        "summary_jinja",
        "summary",
        "{{ 7*7 }}S03",
        VISITS,
        "{{ 7*7 }}S03",
        ("49S03",),
    ),
]


COMMENT_UNITS = ("D01", "T01", "D90")
QUARTERLY = """\
---
kind: quarterly
period: 2021-Q3
number: 3
recipients: 各乡镇（街道）、区直各有关单位
unit_comments:
{comments}---
本季度工作平稳。
"""


def _yaml_quote(text: str) -> str:
    """A double-quoted YAML scalar (JSON strings are valid YAML)."""
    import json

    return json.dumps(text, ensure_ascii=False)


def write_content_repository(root: Path, cases: list[ContentCase] = CASES) -> Path:
    """The minimal repository plus one record (or section, or comment) per payload."""
    files = dict(MINIMAL_FILES)
    body_parts, steps_parts, comments = [], [], []
    issue_no, enterprise_no, visit_no, department_no = 2, 2, 2, 2
    for case in cases:
        value = _yaml_quote(case.payload)
        if case.target == "title":
            rid = f"Q{issue_no:04d}"
            issue_no += 1
            files[f"issues/2021-08/{rid}.yaml"] = edit(
                ISSUE, ("id: Q0001", f"id: {rid}"), ("title: 需增加第二路供电线路", f"title: {value}")
            )
        elif case.target == "enterprise":
            rid = f"E{enterprise_no:03d}"
            enterprise_no += 1
            files[f"enterprises/{rid}.yaml"] = edit(
                ENTERPRISE, ("id: E001", f"id: {rid}"), ("name: 富士康(周口)科技工业园", f"name: {value}")
            )
            # an issue of that enterprise puts its name in the ledger
            qid = f"Q{issue_no:04d}"
            issue_no += 1
            files[f"issues/2021-08/{qid}.yaml"] = edit(
                ISSUE, ("id: Q0001", f"id: {qid}"), ("enterprise: E001", f"enterprise: {rid}")
            )
        elif case.target == "department":
            rid = f"D{department_no:02d}"
            department_no += 1
            files[f"departments/{rid}.yaml"] = f"id: {rid}\nname: {value}\nshort_name: {value}\ntype: 公用事业\n"
        elif case.target == "body":
            body_parts.append(case.payload)
        elif case.target == "steps":
            steps_parts.append(case.payload)
        elif case.target == "comment":  # one office comment per unit: the quarterly review shows each
            unit = COMMENT_UNITS[len(comments)]
            comments.append(f"  - unit: {unit}\n    comment: {value}\n")
        elif case.target == "summary":
            rid = f"V{visit_no:04d}"
            visit_no += 1
            files[f"visits/2021-08/{rid}.yaml"] = edit(
                VISIT, ("id: V0001", f"id: {rid}"), ("summary: 了解企业用电需求。", f"summary: {value}")
            )
        else:  # pragma: no cover - a mistake in the table
            raise AssertionError(case.target)
    typical = "区供电公司为富士康架设第二路线路。"
    steps = "继续做好服务。"
    files["bulletins/2021-08-monthly.md"] = edit(
        BULLETIN,
        (typical, "\n\n".join([typical, *body_parts])),
        (steps, "\n\n".join([steps, *steps_parts])),
    )
    files["departments/D90.yaml"] = "id: D90\nname: 区水务局\nshort_name: 区水务局\ntype: 公用事业\n"
    files["issues/2021-08/Q0900.yaml"] = edit(
        ISSUE, ("id: Q0001", "id: Q0900"), ("lead_department: D01", "lead_department: D90")
    )
    files["bulletins/2021-Q3-quarterly.md"] = QUARTERLY.format(comments="".join(comments))
    return write_minimal_repository(root, files)


def read_tree(out: Path) -> dict[str, bytes]:
    """Every file under ``out`` by its relative path."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
