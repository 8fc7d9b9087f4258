"""The sample office's seven notices as an office stamps them (issue 14 "Done when", issue 15 drafts).

The PDFs are built once per session from a copy of records/; each is then read back with
pdftotext, page by page, so the assertions look at what the paper shows: the signature's page
holds body text, no English word or field name is printed, every day count carries its unit,
and a draft says 草稿 on every page, with no number and no date.  A PDF whose layout fails
``pdfcheck`` (a lone table row, a heading at a page foot) is not made at all, so every PDF
existing is that check passing; the small documents at the end show the check finding each fault.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import OfficeRepo

from reportgen.compute.periods import parse_period
from reportgen.compute.stats import StatsEngine
from reportgen.model import Records
from reportgen.problems import Words
from reportgen.publish.build import BuildOptions, build
from reportgen.render import pdf as pdf_module
from reportgen.render.bulletins import bulletin_info, bulletin_periods, column_widths, render_bulletin_html
from reportgen.render.cjk import chinese_text
from reportgen.render.environment import template_environment
from reportgen.render.fonts import FontSet, font_set
from reportgen.render.pdf import BULLETIN_CSS, BadLayout, PdfFailure, html_to_pdf, pdf_problem, render_pdfs
from reportgen.render.pdfcheck import LayoutFault, _tables, days_without_unit, printed_words
from reportgen.validate import check_repository
from tests.render.fixture import render

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
SAMPLE = Path(__file__).resolve().parents[2] / "records"
DRAFTS = {"2021-10-monthly", "2021-11-monthly", "2021-12-monthly", "2021-Q4-quarterly", "2021-annual"}
ISSUED = {"2021-08-monthly", "2021-09-monthly", "2021-Q3-quarterly"}


@dataclass(frozen=True)
class Printed:
    """One PDF of the sample and its text, page by page."""

    id: str
    pages: list[str]
    signer: str  # the office's short name, printed above the date


@pytest.fixture(scope="session")
def sample_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Printed | PdfFailure]:
    """Every bulletin of the sample, made as the build makes it (two workers), read back with pdftotext."""
    root = tmp_path_factory.mktemp("sample") / "records"
    shutil.copytree(SAMPLE, root)
    records = check_repository(root).records
    engine = StatsEngine(records)
    env = template_environment(None)
    infos = {}
    jobs = []
    for kind, period in bulletin_periods(records):
        info = bulletin_info(records, kind, period, with_pdf=True)
        infos[info.pdf] = info
        jobs.append((str(info.pdf), render_bulletin_html(records, engine, info, env, "public")))
    out = root.parent / "pdf"
    out.mkdir()
    signer = str(records.config.get("office_short") or records.config["office"])
    result: dict[str, Printed | PdfFailure] = {}
    for path, pdf in render_pdfs(jobs, font_set(records), root, workers=2):
        info = infos[path]
        if isinstance(pdf, PdfFailure):
            result[info.id] = pdf
            continue
        file = out / f"{info.id}.pdf"
        file.write_bytes(pdf)
        text = subprocess.run(["pdftotext", str(file), "-"], capture_output=True, text=True, check=True).stdout
        result[info.id] = Printed(info.id, text.split("\f")[:-1], signer)
    return result


def _printed(sample_pdfs: dict[str, Printed | PdfFailure], bulletin: str) -> Printed:
    printed = sample_pdfs[bulletin]
    assert isinstance(printed, Printed), f"{bulletin}: {printed}"
    return printed


def test_every_sample_bulletin_is_made(sample_pdfs: dict[str, Printed | PdfFailure]) -> None:
    # A lone table row, a heading at a page foot, a signature without body text, a code word or
    # a day count without its unit would each have stopped its PDF (E711–E715).
    failures = {k: v.detail for k, v in sample_pdfs.items() if isinstance(v, PdfFailure)}
    assert failures == {}
    assert set(sample_pdfs) == DRAFTS | ISSUED


def _signature_page(printed: Printed) -> tuple[int, list[str]]:
    """The page holding the signature and its lines above the signature."""
    for number, page in enumerate(printed.pages, 1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        for i, line in enumerate(lines[:-1]):
            if line == printed.signer and re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日|（草稿）", lines[i + 1]):
                return number, lines[:i]
    raise AssertionError(f"{printed.id}: no signature found")


_NOT_BODY = re.compile(r"^(草稿　未印发|附件：.*|\d+\.(问题清单台账|逾期问题清单|指标解释))$")


@pytest.mark.parametrize("bulletin", sorted(DRAFTS | ISSUED))
def test_the_signature_shares_its_page_with_body_text(
    sample_pdfs: dict[str, Printed | PdfFailure], bulletin: str
) -> None:
    printed = _printed(sample_pdfs, bulletin)
    number, above = _signature_page(printed)
    body = [line for line in above if not _NOT_BODY.match(line)]
    assert body, f"{bulletin}: page {number} holds the signature without body text: {above}"


@pytest.mark.parametrize("bulletin", sorted(DRAFTS | ISSUED))
def test_no_english_word_and_every_day_count_with_its_unit(
    sample_pdfs: dict[str, Printed | PdfFailure], bulletin: str
) -> None:
    text = "\n".join(_printed(sample_pdfs, bulletin).pages)
    assert printed_words(text) == []
    assert days_without_unit(text.replace("\n", "")) == []
    assert "指标说明" not in text  # the definitions are an attachment (指标解释), not part of the body


@pytest.mark.parametrize("bulletin", sorted(DRAFTS))
def test_a_draft_is_marked_on_every_page_and_has_no_number_or_date(
    sample_pdfs: dict[str, Printed | PdfFailure], bulletin: str
) -> None:
    printed = _printed(sample_pdfs, bulletin)
    assert [n for n, page in enumerate(printed.pages, 1) if "草稿" not in page] == []
    text = "\n".join(printed.pages)
    assert "〔" not in text  # no document number
    assert "（草稿）" in printed.pages[0]  # in the number's place
    _, _above = _signature_page(printed)
    assert not re.search(r"\d{4}年\d{1,2}月\d{1,2}日印发", text)  # no date in the 版记 either


@pytest.mark.parametrize("bulletin", sorted(ISSUED))
def test_an_issued_notice_has_its_number_and_no_draft_mark(
    sample_pdfs: dict[str, Printed | PdfFailure], bulletin: str
) -> None:
    printed = _printed(sample_pdfs, bulletin)
    text = "\n".join(printed.pages)
    assert "草稿" not in text
    assert re.search(r"〔\d{4}〕\d+号", printed.pages[0])


# the sample bulletins whose text ends on an even page with no room left for the 版记
_PAST_BLANK = {"2021-08-monthly", "2021-10-monthly", "2021-Q3-quarterly", "2021-annual"}


@pytest.mark.parametrize("bulletin", sorted(DRAFTS | ISSUED))
def test_the_banji_stands_on_an_even_page_the_last(sample_pdfs: dict[str, Printed | PdfFailure], bulletin: str) -> None:
    # GB/T 9704 7.5.1: the back of the last sheet; past a blank page, neither page is numbered
    pages = _printed(sample_pdfs, bulletin).pages
    assert len(pages) % 2 == 0
    assert [n for n, page in enumerate(pages, 1) if "抄送：" in page] == [len(pages)]
    numbered = [bool(re.search(r"—\s*\d+\s*—", page)) for page in pages]
    if bulletin in _PAST_BLANK:
        assert numbered == [True] * (len(pages) - 2) + [False, False]
        assert re.sub(r"[草稿未印发\s]", "", pages[-2]) == ""  # blank (a draft's head and mark only)
    else:
        assert numbered == [True] * len(pages)


def test_the_definitions_are_the_last_attachment(sample_pdfs: dict[str, Printed | PdfFailure]) -> None:
    printed = _printed(sample_pdfs, "2021-09-monthly")
    labels = [line.strip() for page in printed.pages for line in page.splitlines() if re.fullmatch(r"附件\d", line)]
    assert labels == ["附件1", "附件2", "附件3"]
    last = next(page for page in printed.pages if "附件3" in page)
    assert "指标解释" in last


# -- the check finds each fault (small documents of one or two pages) ---------------------------


@pytest.fixture(scope="module")
def fonts() -> FontSet:
    return font_set(check_repository(SAMPLE).records)


def _document(main: str, extra_css: str = "") -> str:
    css = BULLETIN_CSS.read_text(encoding="utf-8") + extra_css
    return (
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>{css}</style></head>'
        f'<body class="monthly"><main>{main}</main></body></html>'
    )


def _lines(count: int) -> str:
    """A paragraph of ``count`` × 28 characters: ``count`` + 1 lines (its first line is indented 2 characters)."""
    return "<p>" + "正文内容满行" * (28 * count // 6) + "正文内容满行"[: 28 * count % 6] + "</p>"


_SIGNATURE = (
    '<div class="signature"{}><p class="office" style="padding-right: 4.0em">某某办公室</p>'
    '<p class="date" style="padding-right: 4.0em">2021年9月30日</p></div>'
)


def _faults(html: str, fonts: FontSet) -> list[tuple[str, int, str]]:
    with pytest.raises(BadLayout) as raised:
        html_to_pdf(html, fonts, SAMPLE)
    return [(f.code, f.page, str(f.detail)) for f in raised.value.faults]


def test_a_signature_alone_on_its_page_is_e711(fonts: FontSet) -> None:
    html = _document(_lines(20) + _SIGNATURE.format(' style="break-before: auto"'))  # 21 lines fill page 1
    assert _faults(html, fonts) == [("E711", 2, "署名和成文日期所在的页没有正文")]


def test_the_second_pass_moves_the_last_section_to_the_signature(fonts: FontSet, tmp_path: Path) -> None:
    html = _document(
        _lines(5) + "<h2>六、下步工作</h2>" + _lines(14) + _SIGNATURE.format(' style="break-before: auto"')
    )
    path = tmp_path / "moved.pdf"
    path.write_bytes(html_to_pdf(html, fonts, SAMPLE))
    pages = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split("\f")
    assert "六、下步工作" in pages[1] and "某某办公室" in pages[1]


_BANJI = (
    '<footer class="banji-wrap"><div class="banji"><p class="printed">'
    '<span>某某办公室</span><span class="when">2021年10月8日印发</span></p></div></footer>'
)


def _printed_pages(html: str, fonts: FontSet, tmp_path: Path) -> list[str]:
    path = tmp_path / "printed.pdf"
    path.write_bytes(html_to_pdf(html.replace("</main>", "</main>" + _BANJI), fonts, SAMPLE))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [" ".join(page.split()) for page in text.split("\f")[:-1]]


def test_the_banji_moves_from_an_odd_page_to_the_next(fonts: FontSet, tmp_path: Path) -> None:
    pages = _printed_pages(_document(_lines(5)), fonts, tmp_path)  # room for the 版记 on page 1, an odd one
    assert [page.startswith("正文内容") for page in pages] == [True, False]
    assert pages[1] == "某某办公室 2021年10月8日印发 —2—"


def test_the_banji_pushed_to_an_odd_page_goes_past_a_blank_page_neither_numbered(
    fonts: FontSet, tmp_path: Path
) -> None:
    pages = _printed_pages(_document(_lines(40)), fonts, tmp_path)  # page 2 full: the 版记 would stand alone on 3
    assert len(pages) == 4 and pages[1].endswith("—2—")
    assert pages[2:] == ["", "某某办公室 2021年10月8日印发"]


def test_a_heading_at_a_page_foot_is_e713(fonts: FontSet) -> None:
    heading = '<h2 style="break-after: auto">二、问题办理情况</h2><p style="break-before: auto">后文。</p>'
    assert _faults(_document(_lines(20) + heading), fonts) == [("E713", 1, "页末是标题“二、问题办理情况”")]


def test_a_lone_table_row_is_e712(fonts: FontSet) -> None:
    rows = "".join(f"<tr><td>第{i}行</td><td>{i}件</td></tr>" for i in range(1, 6))
    table = f"<table><thead><tr><th>项目</th><th>数量</th></tr></thead><tbody>{rows}</tbody></table>"
    allow = "tr { break-before: auto !important; break-after: auto !important; }"
    faults = _faults(_document(_lines(19) + table, allow), fonts)
    assert faults == [("E712", 1, "表格“项目”只有一行在这一页")]


def test_field_names_and_day_counts_without_their_unit_are_e714_e715(fonts: FontSet) -> None:
    html = _document("<p>按 joined 日期统计，APP 和 Q0003 照印；该问题已超期12，请办理；另一件已超期3个工作日。</p>")
    assert _faults(html, fonts) == [
        ("E714", 1, "印出了英文或字段名“joined”"),
        ("E715", 1, "“超期12”没有写明是天还是个工作日"),
    ]


def test_printed_words_allows_ids_formats_and_counts() -> None:
    assert printed_words(
        "Q0003、D04、5G、PDF、CSV、www.zk.gov.cn、ban@zk.gov.cn 照印，history 与 satisfied_only 不行"
    ) == [
        "history",
        "satisfied_only",
    ]
    assert days_without_unit("已超期12天、历时3个工作日、超期5。") == ["超期5"]


# -- a layout fault is a build problem at the bulletin's text -------------------------------------


def _bad_layout(html: str, fonts: FontSet, base_dir: Path, tofu_allowed: bool = False, helper: bool = True) -> bytes:
    fault = LayoutFault("E711", 9, "署名和成文日期所在的页没有正文") if "monthly" in html else None
    raise BadLayout([fault or LayoutFault("E713", 4, "页末是标题“（二）按办理层级”")])


def test_a_layout_fault_fails_the_build_at_the_bulletin(
    office: OfficeRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf_module, "html_to_pdf", _bad_layout)
    result = build(BuildOptions(office.root, tmp_path / "out", jobs=1))
    quarterly, annual = (
        str(pdf_module.PACKAGE_DIR / "templates" / "bulletin" / f"{k}.html.j2") for k in ("quarterly", "annual")
    )
    problems = sorted(result.report.problems, key=lambda p: p.record or "")
    assert [(p.code, office.relative(p), p.line, p.column) for p in problems] == [
        ("E711", "bulletins/2021-08-monthly.md", 1, 1),
        ("E713", quarterly, 1, 1),
        ("E713", annual, 1, 1),
    ]
    assert [p.message() for p in problems] == [
        "通报 2021-08-monthly 第9页：署名和成文日期所在的页没有正文，不能盖章印发（署名和成文日期要与正文同页）",
        "通报 2021-Q3-quarterly 第4页：页末是标题“（二）按办理层级”，标题与下文不在同一页",
        "通报 2021-annual 第4页：页末是标题“（二）按办理层级”，标题与下文不在同一页",
    ]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("fault", "message", "english"),
    [
        (
            LayoutFault(
                "E712",
                3,
                Words("表格“指标”只有一行在这一页", "only one row of the table '指标' is on this page"),
            ),
            "表格“指标”只有一行在这一页（表格跨页时每页至少两行）",
            "only one row of the table '指标' is on this page"
            " (a table split across pages keeps at least two rows on each)",
        ),
        (
            LayoutFault("E714", 6, Words("印出了英文或字段名“joined”", "prints English or a field name: 'joined'")),
            "印出了英文或字段名“joined”，印发的通报只用中文",
            "prints English or a field name: 'joined'; a printed notice uses Chinese only",
        ),
        (
            LayoutFault(
                "E715",
                7,
                Words(
                    "“超期12”没有写明是天还是个工作日", "'超期12' does not say whether it counts days or working days"
                ),
            ),
            "“超期12”没有写明是天还是个工作日",
            "'超期12' does not say whether it counts days or working days",
        ),
    ],
)
def test_each_layout_fault_is_located_at_the_bulletin_text(
    office: OfficeRepo, fault: LayoutFault, message: str, english: str
) -> None:
    records = office.check().records
    period = parse_period("2021-08")
    info = bulletin_info(records, "monthly", period, with_pdf=True)
    problem = pdf_problem(records, info, None, PdfFailure(Words("", ""), fault))
    assert (problem.code, office.relative(problem), problem.line, problem.column) == (
        fault.code,
        "bulletins/2021-08-monthly.md",
        1,
        1,
    )
    assert problem.message() == f"通报 2021-08-monthly 第{fault.page}页：{message}"
    assert problem.message("en") == f"bulletin 2021-08-monthly, page {fault.page}: {english}"


# -- justified to the grid ------------------------------------------------------------------------


def _line_ends(pdf: Path) -> list[float]:
    """Where each text line of page 1 ends, in mm from the page's left edge."""
    xml = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [
        round(float(x) * 25.4 / 72, 1) for x in re.findall(r'<line xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)"', xml)
    ]


def test_full_lines_end_at_the_grid_and_last_lines_stay(fonts: FontSet, tmp_path: Path) -> None:
    # half-width digits leave a ragged line end; every full line ends at 28 + 156 = 184 mm (±1 mm)
    text = "截至2021年9月30日，全区已建立83家企业服务库，走访企业36家、129次，梳理问题52件，已解决34件。" * 3
    path = tmp_path / "justified.pdf"
    path.write_bytes(html_to_pdf(_document(f"<p>{text}</p>"), fonts, SAMPLE))
    ends = _line_ends(path)[:-1]  # the page number last
    assert [abs(end - 184) <= 1 for end in ends] == [True] * 5 + [False]


@pytest.mark.parametrize(
    ("end", "kept"),
    [
        ("企业满意率96.8%。", "96.8%。"),  # a number the last 3 characters begin in is kept whole
        ("共1,280件。", "1,280件。"),
        ("追回67.59万元。", "万元。"),  # one that ends before them may end a line
        ("已解决。", "解决。"),
    ],
)
def test_a_paragraphs_last_characters_are_kept_together(end: str, kept: str) -> None:
    assert pdf_module._typeset(f"<p>{end}</p>").endswith(f'<span class="tail">{kept}</span></p>')


def test_chinese_text_gets_full_width_brackets_and_loses_stray_spaces() -> None:
    html = (
        "<style>p { x: (1) }</style><body><p><strong>富士康(周口)科技工业园。</strong> 企业在 园区(2021)办公，"
        'Q0003 (PDF) 照旧</p><svg><text x="1">件 50%</text></svg></body>'
    )
    assert chinese_text(html) == (
        "<style>p { x: (1) }</style><body><p><strong>富士康（周口）科技工业园。</strong>企业在园区（2021）办公，"
        'Q0003 (PDF) 照旧</p><svg><text x="1">件 50%</text></svg></body>'
    )


def test_the_web_page_of_a_draft_is_marked_and_an_issued_one_is_not(records: Records) -> None:
    _, draft = render(records, "monthly", "2021-08")  # no bulletin text: no issue date
    _, issued = render(records, "monthly", "2021-09")
    assert draft.count('<div class="draft-mark" aria-hidden="true">草稿</div>') == 1
    assert (
        '<p class="docno">（草稿）</p>' in draft
        and '<p class="date" style="padding-right: 4.0em">（草稿）</p>' in draft
    )
    signature = draft.split('<div class="signature">')[1].split("</div>")[0]
    assert "印发</span>" not in draft and "年" not in signature  # no date the office did not give
    assert '<div class="draft-mark"' not in issued and "（草稿）" not in issued


def test_the_ledger_columns_are_as_wide_as_their_widest_cell_up_to_a_limit() -> None:
    rows = [{"id": "Q00001", "department": "区行政审批服务局"}, {"id": "Q1", "department": "区法院"}]
    assert column_widths(rows, {"id": 3.0, "department": 3.0}) == {"id": 4.05, "department": 8.45}
    assert column_widths([{"id": "Q1", "department": "区" * 12}], {"id": 3.0, "department": 3.0}) == {
        "id": 3.45,
        "department": 9.0,
    }
    # one deadline in another year among 99 of this one wraps rather than widen the column for all
    deadlines = [{"deadline": "10月13日"}] * 99 + [{"deadline": "2022年1月15日"}]
    assert column_widths(deadlines, {"deadline": 3.0}) == {"deadline": 4.85}
    assert column_widths(deadlines[-3:], {"deadline": 3.0}) == {"deadline": 7.65}


def _line_count(box: Any) -> int:
    """How many lines of text ``box`` is laid out in."""
    if type(box).__name__ == "LineBox":
        return 1
    return sum(_line_count(child) for child in getattr(box, "children", ()))


def test_no_cell_of_a_ledgers_narrow_columns_wraps(fonts: FontSet, tmp_path: Path) -> None:
    """The fixed column widths of the sample's longest ledger fit every id, category, unit, date, status and count."""
    from weasyprint import HTML

    root = tmp_path / "records"
    shutil.copytree(SAMPLE, root)
    records = check_repository(root).records
    info = bulletin_info(records, "monthly", parse_period("2021-11"), with_pdf=True)
    html = render_bulletin_html(records, StatsEngine(records), info, template_environment(None), "public")
    styling = pdf_module._styling(fonts)
    page = HTML(string=pdf_module._typeset(html), base_url=str(root) + "/")
    document = page.render(stylesheets=[styling.stylesheet], font_config=styling.font_config)
    cells = wrapped = 0
    for laid_out in document.pages:
        for table in _tables(laid_out._page_box):
            if "ledger" not in (table.element.get("class") or ""):
                continue
            narrow = [i for i, col in enumerate(table.element.iter("col")) if col.get("style")]
            for group in table.children:
                for row in [] if group.is_header else group.children:
                    for index in narrow:
                        cell = row.children[index]
                        breaks = sum(1 for e in cell.element.iter() if e.tag.endswith("br"))
                        cells += 1
                        wrapped += _line_count(cell) != 1 + breaks
    assert (cells, wrapped) == (7 * 94 + 6 * 4, 0)
