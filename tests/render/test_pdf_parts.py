"""bench/pdf_render.py ``parts``: the print HTML cut before each attachment, numbered on from a page."""

from __future__ import annotations

from tests.modules import BENCH, load_module

HEAD = (
    '<html><head><style>p {}</style></head>\n<body class="monthly draft">\n'
    '<div class="draft-mark" aria-hidden="true">草稿</div>\n'
)
BODY = "<header>版头</header><main>正文</main>\n"
FIRST = '<section class="attachment">\n附件1\n</section>\n'
LAST = '<section class="attachment definitions">\n附件2\n</section>\n<footer>版记</footer>\n</body>\n</html>\n'
END = "</body>\n</html>\n"


def test_split_parts_cuts_before_each_attachment_and_keeps_head_and_mark() -> None:
    pdf_render = load_module("bench_pdf_render", BENCH / "pdf_render.py")
    parts = pdf_render.split_parts(HEAD + BODY + FIRST + LAST)
    assert parts == [HEAD + BODY + END, HEAD + FIRST + END, HEAD + LAST]


def test_numbered_sets_the_first_page_and_its_side() -> None:
    pdf_render = load_module("bench_pdf_render", BENCH / "pdf_render.py")
    odd = pdf_render.numbered(HEAD, 13)
    even = pdf_render.numbered(HEAD, 10)
    assert odd == HEAD.replace("</head>", "<style>@page :first { counter-increment: page 13; }</style></head>")
    assert even == HEAD.replace(
        "</head>", "<style>@page :first { counter-increment: page 10; } html { break-before: left; }</style></head>"
    )
