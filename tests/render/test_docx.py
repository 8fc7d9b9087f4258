"""The editable Word copy: opens with python-docx, says what the PDF says, official geometry, stable bytes."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import shutil
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
from docx.shared import Length, Pt
from fontTools.fontBuilder import FontBuilder

from reportgen.model import Records
from reportgen.publish.build import BuildOptions, build
from reportgen.publish.leakscan import find_leaks
from reportgen.render.docx import RED, docx_fonts, read_bulletin, render_bulletin_docx
from reportgen.render.fonts import font_set
from reportgen.render.ledger_files import ZIP_EPOCH
from reportgen.render.pdf import html_to_pdf
from reportgen.render.ranking import HEADS
from tests.render.fixture import PRIVATE_PHONE, load, render

OFFICIAL = {"xiaobiaosong": "方正小标宋简体", "fangsong": "仿宋_GB2312", "kaiti": "楷体_GB2312", "heiti": "黑体"}
OFFICIAL = OFFICIAL | {"songti": "宋体"}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def september(records: Records) -> tuple[str, bytes]:
    """The issued September notice: its HTML and its .docx."""
    _, html = render(records, "monthly", "2021-09")
    return html, render_bulletin_docx(html, docx_fonts(records))


def _open(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def _texts(document: docx.document.Document) -> list[str]:
    """Every paragraph's text, body and table cells, in order."""
    texts = [p.text for p in document.paragraphs]
    texts += [p.text for t in document.tables for row in t.rows for cell in row.cells for p in cell.paragraphs]
    return [t for t in texts if t.strip()]


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


class _ChartText(HTMLParser):
    """The text of the charts (SVG labels and figure captions): in the PDF, not in the .docx."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.depth += tag == "figure"

    def handle_endtag(self, tag: str) -> None:
        self.depth -= tag == "figure"

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text.append(data)


def _chart_text(html: str) -> str:
    parser = _ChartText()
    parser.feed(html)
    return _squeeze("".join(parser.text))


# the ranking tables' headings: in the PDF a figure's unit is on a line below its name, the line across the
# table read as one (问题已解决超期…, then （件）（件）（件）…); in the .docx each cell is its name and unit
_HEADING_PIECES = {"排名", "责任单位", "服务队伍"} | {h.name for h in HEADS}
_HEADING_PIECES |= {f"（{h.unit}）" for h in HEADS if h.unit}
_HEADING_LINE = re.compile("(?:" + "|".join(map(re.escape, sorted(_HEADING_PIECES, key=len, reverse=True))) + ")+")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_docx_text_is_the_pdf_text(records: Records, september: tuple[str, bytes], tmp_path: Path) -> None:
    html, data = september
    pdf = tmp_path / "september.pdf"
    pdf.write_bytes(html_to_pdf(html, font_set(records), records.root))
    pdf_text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True).stdout
    page_numbers = re.compile(r"^—\s*\d+\s*—$")
    pdf_lines = [_squeeze(line) for line in pdf_text.splitlines() if line.strip() and not page_numbers.match(line)]
    texts = _texts(_open(data))
    docx_all = "".join(_squeeze(t) for t in texts)
    charts = _chart_text(html)
    # every line of the PDF is in the .docx, but the charts' labels and captions
    headings = [line for line in pdf_lines if _HEADING_LINE.fullmatch(line)]
    missing = [line for line in pdf_lines if line not in docx_all and line not in charts and line not in headings]
    assert missing == []
    assert "".join(headings).count("（件）") == 2 * 3  # the two ranking tables, each with three counts
    cells = {head.name + (f"（{head.unit}）" if head.unit else "") for head in HEADS}
    assert all(docx_all.count(cell) >= 2 for cell in cells)  # each heading's cell in the .docx: name, unit below
    # and every paragraph of the .docx is in the PDF (page numbers taken out), but the headings read above
    pdf_all = "".join(pdf_lines)
    assert [t for t in texts if _squeeze(t) not in pdf_all and _squeeze(t) not in cells] == []
    for needle in (
        "测助企〔2021〕9号",
        "一、总体情况",
        "（一）按问题类别",
        "附件1",
        "逾期问题清单",
        "2021年10月8日印发",
    ):
        assert needle in docx_all


def test_geometry_is_gb_t_9704(september: tuple[str, bytes]) -> None:
    document = _open(september[1])
    section = document.sections[0]
    mm = {k: round(getattr(section, k).mm, 1) for k in ("page_width", "page_height", "top_margin", "left_margin")}
    assert mm == {"page_width": 210, "page_height": 297, "top_margin": 37, "left_margin": 28}  # whole twips
    assert round(Length(section.page_width - section.left_margin - section.right_margin).mm, 1) == 156
    assert round(Length(section.page_height - section.top_margin - section.bottom_margin).mm, 1) == 225
    grid = section._sectPr.find(f"{W}docGrid")
    assert (grid.get(f"{W}type"), grid.get(f"{W}linePitch")) == ("lines", "579")  # 225 mm ÷ 22 lines
    body = next(p for p in document.paragraphs if p.text.startswith("截至2021年9月30日，服务库"))
    assert body.paragraph_format.line_spacing is None  # the document's default: exact 28.95 pt
    spacing = document.styles.element.find(f"{W}docDefaults").find(f".//{W}spacing")
    assert (spacing.get(f"{W}line"), spacing.get(f"{W}lineRule"), spacing.get(f"{W}after")) == ("579", "exact", "0")
    assert body.paragraph_format.first_line_indent == Pt(32)  # two characters


def test_header_red_fonts_by_role_and_headings(september: tuple[str, bytes]) -> None:
    document = _open(september[1])
    office, number = document.paragraphs[:2]
    assert office.text == "测试区“万人助万企”活动领导小组办公室"
    assert [str(r.font.color.rgb) for r in office.runs] == [RED] == ["E60012"]
    fonts = office.runs[0]._r.rPr.find(f"{W}rFonts")
    assert fonts.get(f"{W}eastAsia") == fonts.get(f"{W}ascii") == "方正小标宋简体"
    assert number.text == "测助企〔2021〕9号"
    rule = number._p.pPr.find(f"{W}pBdr").find(f"{W}bottom")
    assert (rule.get(f"{W}color"), rule.get(f"{W}sz")) == (RED, "12")  # red, 1.5 pt
    title = document.paragraphs[2]
    assert title.text == "关于2021年9月份“万人助万企”活动\n开展情况的通报"
    assert title.runs[0].font.size == Pt(22)  # 2号
    headings = {p.text: p.style.name for p in document.paragraphs if p.style.name.startswith("Heading")}
    assert headings["一、总体情况"] == "Heading 1"
    assert headings["（一）按问题类别"] == "Heading 2"
    styles = {name: document.styles[name].element.rPr.find(f"{W}rFonts") for name in ("Heading 1", "Heading 2")}
    assert styles["Heading 1"].get(f"{W}eastAsia") == "黑体"
    assert styles["Heading 2"].get(f"{W}eastAsia") == "楷体_GB2312"


def test_page_numbers_odd_right_even_left(september: tuple[str, bytes]) -> None:
    document = _open(september[1])
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    for footer, side in ((section.footer, "right"), (section.even_page_footer, "left")):
        xml = footer._element.xml
        assert re.findall(r"<w:instrText[^>]*> PAGE </w:instrText>", xml)
        assert footer.paragraphs[0].text == "— 1 —"
        assert f'<w:jc w:val="{side}"/>' in xml


def test_attachments_start_new_pages(september: tuple[str, bytes]) -> None:
    document = _open(september[1])
    labels = [p for p in document.paragraphs if re.fullmatch(r"附件\d", p.text)]
    assert [p.text for p in labels] == ["附件1", "附件2", "附件3"]
    assert [p.paragraph_format.page_break_before for p in labels] == [True, True, True]
    breaking = [p.text for p in document.paragraphs if p.paragraph_format.page_break_before]
    assert breaking == ["附件1", "附件2", "附件3"]


def test_tables_repeat_their_heading_rows(september: tuple[str, bytes]) -> None:
    document = _open(september[1])
    ledger = next(t for t in document.tables if t.rows[0].cells[0].text == "编号")
    assert [c.text for c in ledger.rows[0].cells][:3] == ["编号", "企业", "问题"]
    assert ledger.rows[0]._tr.trPr.find(f"{W}tblHeader") is not None
    assert ledger.rows[1]._tr.trPr.find(f"{W}tblHeader") is None
    assert ledger.rows[0].cells[4].text == "牵头\n单位"


def test_bytes_are_deterministic(records: Records, september: tuple[str, bytes]) -> None:
    html, data = september
    assert render_bulletin_docx(html, docx_fonts(records)) == data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {ZIP_EPOCH}
    properties = _open(data).core_properties
    assert (
        properties.created == properties.modified == dt.datetime(2021, 10, 7, 16, 0, tzinfo=dt.UTC)
    )  # 2021年10月8日 in UTC+8
    assert properties.title == "关于2021年9月份“万人助万企”活动开展情况的通报"


def test_the_copy_carries_nothing_of_python_docx_template(september: tuple[str, bytes]) -> None:
    with zipfile.ZipFile(io.BytesIO(september[1])) as archive:
        assert "docProps/thumbnail.jpeg" not in archive.namelist()  # a blank page's, shown as the file's preview
        assert b"thumbnail" not in archive.read("_rels/.rels")
        assert b"<Application>reportgen</Application>" in archive.read("docProps/app.xml")
        assert b"Macintosh" not in archive.read("docProps/app.xml")


def test_draft_has_the_mark_and_no_number_or_date(records: Records) -> None:
    info, html = render(records, "monthly", "2021-10")
    assert info.issued is None
    document = _open(render_bulletin_docx(html, docx_fonts(records)))
    section = document.sections[0]
    assert [p.text for p in section.header.paragraphs] == ["草稿"]
    assert [p.text for p in section.even_page_header.paragraphs] == ["草稿"]
    texts = [p.text for p in document.paragraphs]
    assert texts[1] == "（草稿）"
    assert not any("〔" in t for t in texts)
    assert texts.count("（草稿）") == 2  # the number and the signed date
    printed = document.tables[-1].rows[-1].cells[0].text
    assert printed == "测试区“万人助万企”活动领导小组办公室\t（草稿）"


def test_issued_bulletin_has_no_draft_header(september: tuple[str, bytes]) -> None:
    section = _open(september[1]).sections[0]
    assert section.header.is_linked_to_previous  # no header part at all
    assert read_bulletin(september[0]).draft_mark is None


def _named_font(path: Path, family: str) -> None:
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", "uni6C49"])
    builder.setupCharacterMap({0x6C49: "uni6C49"})
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    glyph = TTGlyphPen(None).glyph()
    builder.setupGlyf({".notdef": glyph, "uni6C49": glyph})
    builder.setupHorizontalMetrics({".notdef": (1000, 0), "uni6C49": (1000, 0)})
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({"familyName": "FangSong_GB2312", "styleName": "Regular"})
    builder.font["name"].setName(family, 1, 3, 1, 0x0804)  # Windows, Simplified Chinese: as Chinese fonts have
    builder.setupOS2()
    builder.setupPost()
    builder.save(str(path))


def test_configured_fonts_are_named_as_the_file_names_them(tmp_path: Path) -> None:
    root = tmp_path / "records"
    root.mkdir()
    (root / "fonts").mkdir()
    _named_font(root / "fonts" / "fs.ttf", "仿宋_GB2312办公室版")
    records = load(root, config={"fonts": {"fangsong": "fonts/fs.ttf"}})
    assert docx_fonts(records) == OFFICIAL | {"fangsong": "仿宋_GB2312办公室版"}


def test_the_privacy_scan_reads_docx_text(records: Records, september: tuple[str, bytes]) -> None:
    html = september[0].replace(
        "<p>现将", f"<p>联系电话{PRIVATE_PHONE[:3]} {PRIVATE_PHONE[3:7]} {PRIVATE_PHONE[7:]}。现将"
    )
    data = render_bulletin_docx(html, OFFICIAL)
    leaks = find_leaks(records, {"bulletins/2021-09-monthly.docx": data})
    assert [leak.outputs for leak in leaks] == [("bulletins/2021-09-monthly.docx!word/document.xml",)]
    assert find_leaks(records, {"bulletins/2021-09-monthly.docx": september[1]}) == []


def test_build_writes_the_docx_beside_the_pdf(tmp_path: Path) -> None:
    root = tmp_path / "records"
    load(root)
    out = tmp_path / "output"
    options = BuildOptions(root, out, periods=("2021-09",), kind="monthly", jobs=1)
    assert build(options).ok
    entry = next(e for e in json.loads((out / "manifest.json").read_text("utf-8")) if e["id"] == "2021-09-monthly")
    assert (entry["pdf"], entry["docx"]) == ("bulletins/2021-09-monthly.pdf", "bulletins/2021-09-monthly.docx")
    data = (out / entry["docx"]).read_bytes()
    assert entry["sha256"][entry["docx"]] == hashlib.sha256(data).hexdigest()
    assert _open(data).paragraphs[1].text == "测助企〔2021〕9号"
    again = BuildOptions(root, tmp_path / "again", periods=("2021-09",), kind="monthly", jobs=1)
    assert build(again).ok
    assert (tmp_path / "again" / entry["docx"]).read_bytes() == data  # byte-identical across builds
    without_pdf = BuildOptions(root, tmp_path / "quick", periods=("2021-09",), kind="monthly", pdf=False)
    assert build(without_pdf).ok
    assert not list((tmp_path / "quick" / "bulletins").glob("*.docx"))  # --no-pdf: neither printable copy


def test_characters_xml_cannot_hold_are_left_out(september: tuple[str, bytes]) -> None:
    html = september[0].replace("<p>现将", "<p>现\x0b将&#xFFFF;&#1;<b>&lt;w:t&gt;</b>")
    document = _open(render_bulletin_docx(html, OFFICIAL))
    assert any(p.text.startswith("现将<w:t>2021年9月全区") for p in document.paragraphs)
