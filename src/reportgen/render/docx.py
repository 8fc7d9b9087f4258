"""The bulletin as an editable Word copy (.docx), laid out per GB/T 9704 as far as Word allows.

Leaders edit a notice before it is stamped, and offices circulate .docx.  The Word copy is
made from the bulletin's rendered HTML — the very document the PDF is printed from — so
every sentence, figure, table and the draft marks have one source (the templates and
``bulletins.bulletin_context``), and the copy can never say something the PDF does not.
The HTML is a small, fixed vocabulary (``_parse``): the header block, the title, 一、/（一）
headings, paragraphs, tables, the attachment note, the signature, attachments and the 版记.

What Word shows differently from the PDF (the bulletin's note says so too): the charts are
left out (Word cannot show SVG without a bitmap copy; every charted figure is in a table);
the 草稿 mark is the page header's text, not a mark across the page; the 版记 follows the last
page's text instead of sitting at its foot; the signature is kept with the last
paragraph ("keep with next") rather than checked; the office's fonts are named, not
embedded, so a computer without them shows Word's substitute.

Pure: ``render_bulletin_docx`` returns bytes; the same HTML and fonts give the same bytes
(core properties carry the bulletin's date, zip entries a fixed time and order).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportgen.model import Records
from reportgen.render.cjk import chinese_text, signature_right, text_width
from reportgen.render.fonts import BROWSER_STACKS, ROLE_BY_CLASS, ROLE_BY_TAG, ROLES, configured_fonts
from reportgen.render.ledger_files import stable_zip

BULLETIN_CSS = Path(__file__).resolve().parent.parent / "templates" / "bulletin" / "bulletin.css"


def _css_value(name: str) -> str:
    """A custom property of the bulletin's stylesheet (``--red``, ``--line``): one source for both outputs."""
    found = re.search(rf"--{name}:\s*([^;]+);", BULLETIN_CSS.read_text("utf-8"))
    assert found, f"bulletin.css defines no --{name}"
    return found.group(1).strip()


RED = _css_value("red").lstrip("#").upper()
LINE_PT = float(_css_value("line").removesuffix("pt"))  # 225 mm ÷ 22 lines
BODY_PT = 16.0  # 3号
TRACKING_PT = -0.25  # the body's letter spacing: 28 characters fill the 156 mm line
TEXT_WIDTH_PT = 156 / 25.4 * 72
CELL_MARGINS_PT = 5.0  # a table cell's left and right margins together (50 twips each)
# what some word processors add between Chinese and Latin letters or digits despite
# w:autoSpaceDE="0" (LibreOffice: "8 月 12 日"), in characters: dates and figures never wrap
AUTOSPACE = 0.25
WRAP_CHARS = 6  # the least a column of names or titles is given, in characters
BANJI_PT = 14.0  # 4号
HEADER_TOP_MM = 35  # GB/T 9704 7.2.1: the office's name 35 mm below the text block's top edge (as pdf.css)
# Text the stylesheet (not the markup) draws in another role than its element's.
_ROLE_BY_CSS_CLASS = {"name": "heiti", "label": "heiti", "caption": "heiti", "sub": "kaiti", "office-comment": "kaiti"}
_ROLE_BY_CSS_TAG = {"strong": "heiti", "b": "heiti", "blockquote": "kaiti"}
_BLOCK_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "li"})
_SKIP_TAGS = frozenset({"head", "style", "script", "figure", "svg"})
_VOID_TAGS = frozenset({"br", "hr", "img", "meta", "link", "col", "input", "wbr"})
_SPACE = re.compile(r"[ \t\r\n\f]+")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")  # no character of XML 1.0


# -- the rendered HTML as blocks -----------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """Text drawn in one font role; "\\n" is a line break, "\\t" the printed line's tab."""

    text: str
    role: str


@dataclass(frozen=True)
class Paragraph:
    """One paragraph: its kind (``office``, ``h2``, ``body``, ``label`` …) and its runs."""

    kind: str
    runs: tuple[Run, ...]
    size: float | None = None  # the office name's own size (it fills at most the text width)
    page_break: bool = False  # an attachment's first paragraph


@dataclass(frozen=True)
class Cell:
    """One table cell: ``align`` is left, center or right; ``wrap`` may break inside words."""

    runs: tuple[Run, ...]
    align: str
    header: bool
    wrap: bool


@dataclass(frozen=True)
class Table:
    """A table by its class (``summary``, ``ledger`` …); ``muted`` rows are the unranked units."""

    kind: str
    rows: tuple[tuple[Cell, ...], ...]
    muted: tuple[bool, ...]


@dataclass(frozen=True)
class Bulletin:
    """What the .docx is made of: metadata, blocks in order, the draft mark and the 版记."""

    title: str
    author: str
    created: dt.datetime
    blocks: tuple[Paragraph | Table, ...]
    draft_mark: str | None
    banji: tuple[Paragraph, ...]


@dataclass
class _Open:
    tag: str
    classes: frozenset[str]
    role: str | None


@dataclass
class _TableDraft:
    kind: str
    rows: list[list[Cell]] = field(default_factory=list)
    muted: list[bool] = field(default_factory=list)


class _Reader(HTMLParser):
    """Reads a rendered bulletin into ``Bulletin`` blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[_Open] = []
        self.meta: dict[str, str] = {}
        self.title = ""
        self.blocks: list[Paragraph | Table] = []
        self.banji: list[Paragraph] = []
        self.draft_mark: str | None = None
        self.runs: list[Run] | None = None  # the open paragraph or cell
        self.block: tuple[str, float | None] = ("body", None)
        self.table: _TableDraft | None = None
        self.break_next = False
        self.list_numbers: list[int] = []

    # the stack

    def _inside(self, tag: str, cls: str | None = None) -> bool:
        return any(o.tag == tag and (cls is None or cls in o.classes) for o in self.stack)

    def _within(self, cls: str) -> bool:
        return any(cls in o.classes for o in self.stack)

    def _role(self) -> str:
        return next((o.role for o in reversed(self.stack) if o.role), "fangsong")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = frozenset((attributes.get("class") or "").split())
        if tag == "meta":
            self.meta[str(attributes.get("name"))] = str(attributes.get("content") or "")
        if tag in _VOID_TAGS:
            self._void(tag, classes)
            return
        role = next((ROLE_BY_CLASS[c] for c in sorted(classes) if c in ROLE_BY_CLASS), None)
        role = role or next((_ROLE_BY_CSS_CLASS[c] for c in sorted(classes) if c in _ROLE_BY_CSS_CLASS), None)
        role = role or ROLE_BY_TAG.get(tag) or _ROLE_BY_CSS_TAG.get(tag)
        self.stack.append(_Open(tag, classes, role))
        if self._skipping():
            return
        self._start(tag, classes, attributes)

    def _void(self, tag: str, classes: frozenset[str]) -> None:
        if tag == "br" and self.runs is not None:
            self.runs.append(Run("\n", self._role()))
        elif tag == "hr" and "rule" in classes:
            self.blocks.append(Paragraph("rule", ()))

    def _start(self, tag: str, classes: frozenset[str], attributes: dict[str, str | None]) -> None:
        if tag == "section" and "attachment" in classes:
            self.break_next = True
        elif tag == "div" and "draft-mark" in classes:
            self.runs, self.block = [], ("draft", None)
        elif tag == "table":
            self.table = _TableDraft(sorted(classes)[0] if classes else "")
        elif tag == "tr" and self.table is not None:
            self.table.rows.append([])
            self.table.muted.append("unranked" in classes)
        elif tag in ("th", "td"):
            self.runs = []
        elif tag == "ol" or tag == "ul":
            self.list_numbers.append(1 if tag == "ol" else 0)
        elif tag in _BLOCK_TAGS and self.runs is None:
            self.runs, self.block = [], (self._kind(tag, classes), _font_size(attributes.get("style")))
            self._list_marker(tag)
        elif tag == "span" and "when" in classes and self.runs is not None:
            self.runs.append(Run("\t", self._role()))

    def _list_marker(self, tag: str) -> None:
        """The number (or dot) the stylesheet puts before a list item."""
        if tag != "li" or not self.list_numbers or self.runs is None:
            return
        number = self.list_numbers[-1]
        self.runs.append(Run(f"{number}." if number else "· ", self._role()))
        if number:
            self.list_numbers[-1] += 1

    def _kind(self, tag: str, classes: frozenset[str]) -> str:
        """The paragraph's kind, from its tag, its classes and where it stands."""
        if self._within("header"):
            return "office" if "office" in classes else "docno"
        if self._within("banji"):
            return "cc" if "cc" in classes else "printed"
        if self._within("signature"):
            return "sign-office" if "office" in classes else "sign-date"
        if self._within("attach-note"):
            return "attach-first" if "first" in classes else "attach"
        if tag == "h1":
            return "title" if "title" in classes else "attachment-title"
        if tag in ("h2", "h3", "h4"):
            return tag
        for kind in ("recipients", "caption", "note", "sub", "label"):
            if kind in classes:
                return kind
        if self._inside("blockquote"):
            return "quote"
        return "li" if tag == "li" else "body"

    def _skipping(self) -> bool:
        return any(o.tag in _SKIP_TAGS for o in self.stack)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i].tag == tag:
                closing = self.stack[i]
                skipped = self._skipping()
                del self.stack[i:]
                if not skipped:
                    self._end(closing)
                return

    def _end(self, closing: _Open) -> None:
        tag = closing.tag
        if tag == "title":
            return
        if tag == "table" and self.table is not None:
            rows = tuple(tuple(r) for r in self.table.rows if r)
            self.blocks.append(Table(self.table.kind, rows, tuple(self.table.muted)))
            self.table = None
        elif tag in ("th", "td") and self.table is not None and self.runs is not None:
            header = tag == "th" or self._inside("thead")
            align = "right" if "num" in closing.classes else "left" if "text" in closing.classes else "center"
            self.table.rows[-1].append(Cell(_tidy(self.runs), align, header, "wrap" in closing.classes))
            self.runs = None
        elif tag in ("ol", "ul") and self.list_numbers:
            self.list_numbers.pop()
        elif tag == "div" and "draft-mark" in closing.classes and self.runs is not None:
            self.draft_mark = "".join(r.text for r in self.runs).strip()
            self.runs = None
        elif tag in _BLOCK_TAGS and self.runs is not None and not any(o.tag in _BLOCK_TAGS for o in self.stack):
            self._paragraph()

    def _paragraph(self) -> None:
        assert self.runs is not None
        kind, size = self.block
        paragraph = Paragraph(kind, _tidy(self.runs), size, self.break_next)
        self.break_next = False
        self.runs = None
        if kind in ("cc", "printed"):
            self.banji.append(paragraph)
        elif paragraph.runs:
            self.blocks.append(paragraph)

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1].tag == "title" and self._inside("head"):
            self.title += data
            return
        if self.runs is None or self._skipping():
            return
        text = _SPACE.sub(" ", _NOT_XML.sub("", data))
        if text:
            self.runs.append(Run(text, self._role()))


def _font_size(style: str | None) -> float | None:
    found = re.search(r"font-size:\s*([\d.]+)pt", style or "")
    return float(found.group(1)) if found else None


def _tidy(runs: list[Run]) -> tuple[Run, ...]:
    """Runs of one role merged, the paragraph's leading and trailing spaces dropped."""
    merged: list[Run] = []
    for run in runs:
        if merged and merged[-1].role == run.role:
            merged[-1] = Run(merged[-1].text + run.text, run.role)
        else:
            merged.append(run)
    if merged:
        merged[0] = Run(merged[0].text.lstrip(" "), merged[0].role)
        merged[-1] = Run(merged[-1].text.rstrip(" "), merged[-1].role)
    return tuple(r for r in merged if r.text)


def read_bulletin(html: str) -> Bulletin:
    """The rendered bulletin's blocks, in reading order."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    created = dt.datetime.fromisoformat(reader.meta.get("dcterms.created") or "1980-01-01T00:00:00+00:00")
    return Bulletin(
        title=reader.title.strip(),
        author=reader.meta.get("author", ""),
        created=created.astimezone(dt.UTC).replace(tzinfo=None),
        blocks=tuple(reader.blocks),
        draft_mark=reader.draft_mark,
        banji=tuple(reader.banji),
    )


# -- fonts ---------------------------------------------------------------------------------------


def docx_fonts(records: Records) -> dict[str, str]:
    """The family name Word looks up for each role: the office's own font's, else the official name.

    An office that configured its font files gets their names (as Windows lists them, Chinese
    first); otherwise the name the office's computers know the official font by (方正小标宋简体,
    仿宋_GB2312 …), the first of the browser stack the HTML names.
    """
    own = configured_fonts(records)
    return {role: (_family_name(own[role]) if role in own else "") or _first_family(role) for role in ROLES}


def _first_family(role: str) -> str:
    return BROWSER_STACKS[role].split(",")[0].strip().strip('"')


def _family_name(path: Path) -> str:
    """The font file's family name, the Simplified Chinese one first; "" when it cannot be read."""
    from fontTools.ttLib import TTFont, TTLibError

    try:
        font = TTFont(str(path), fontNumber=0, lazy=True)
    except (OSError, TTLibError, AssertionError):
        return ""
    names = font["name"].names if "name" in font else []
    best: dict[tuple[int, int], str] = {}
    for record in names:
        if record.nameID in (1, 16) and record.platformID == 3:
            best.setdefault((0 if record.langID == 0x0804 else 1, -record.nameID), record.toUnicode())
    return best[min(best)] if best else ""


# -- writing -------------------------------------------------------------------------------------


def render_bulletin_docx(html: str, fonts: Mapping[str, str]) -> bytes:
    """The bulletin's HTML as a .docx: A4, GB/T 9704 geometry, fonts by role (``docx_fonts``)."""
    import docx

    bulletin = read_bulletin(chinese_text(html))  # as the PDF prints it: （周口）, no stray spaces
    document = docx.Document()
    writer = _Writer(document, fonts)
    writer.setup(bulletin)
    for block in bulletin.blocks:
        if isinstance(block, Table):
            writer.table(block)
        else:
            writer.paragraph(block)
    writer.banji(bulletin.banji)
    properties = document.core_properties
    properties.title, properties.author, properties.last_modified_by = bulletin.title, bulletin.author, ""
    properties.created = properties.modified = bulletin.created
    properties.revision = 1
    properties.comments = properties.subject = properties.keywords = properties.category = ""
    _own_package(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return stable_zip(buffer.getvalue())


# the extended properties of the copy: python-docx's template names "Microsoft Macintosh Word" and one page
_APP_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    b"<Application>reportgen</Application></Properties>"
)


def _own_package(document: Any) -> None:
    """Leave out what python-docx's template carries of another document: its thumbnail (a blank page, which
    file browsers show as the copy's preview) and its extended properties."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    package = document.part.package
    for rId, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(rId)
        elif rel.reltype == RT.EXTENDED_PROPERTIES:  # a generic part: python-docx keeps its bytes as they are
            rel.target_part._blob = _APP_XML  # (no public setter; tests/render/test_docx.py reads the file back)


def _twips(points: float) -> str:
    return str(round(points * 20))


# (alignment, first-line indent and left indent in characters, font size, space before in lines)
_LAYOUT: dict[str, tuple[str, int, int, float, float]] = {
    "office": ("center", 0, 0, 22.0, 0),
    "docno": ("center", 0, 0, BODY_PT, 2),
    "title": ("center", 0, 0, 22.0, 2),
    "recipients": ("both", 0, 0, BODY_PT, 1),
    "body": ("both", 2, 0, BODY_PT, 0),
    "li": ("both", 2, 0, BODY_PT, 0),
    "quote": ("both", 0, 2, BODY_PT, 0),
    "h2": ("both", 2, 0, BODY_PT, 0),
    "h3": ("both", 2, 0, BODY_PT, 0),
    "h4": ("both", 2, 0, BODY_PT, 0),
    "caption": ("center", 0, 0, 12.0, 0),
    "note": ("both", 0, 0, 12.0, 0),
    "attach-first": ("left", 0, 2, BODY_PT, 1),
    "attach": ("left", 0, 5, BODY_PT, 0),
    "sign-office": ("right", 0, 0, BODY_PT, 2),
    "sign-date": ("right", 0, 0, BODY_PT, 0),
    "label": ("left", 0, 0, BODY_PT, 0),
    "attachment-title": ("center", 0, 0, 18.0, 1),
    "sub": ("center", 0, 0, BODY_PT, 0),
    "cc": ("left", 0, 0, 14.0, 0),
    "printed": ("left", 0, 0, 14.0, 0),
}
_HEADING_STYLES = {"h2": "Heading 1", "h3": "Heading 2", "h4": "Heading 3"}
_KEEP_WITH_NEXT = frozenset({"h2", "h3", "h4", "caption", "label", "attachment-title", "attach-first", "attach"})
_KEEP_WITH_NEXT |= {"sign-office"}  # with the body's last paragraph: the signature never stands alone
_EXACT_LINE = frozenset({"docno", "recipients", "body", "li", "quote", "h2", "h3", "h4", "attach-first", "attach"})
_EXACT_LINE |= frozenset({"sign-office", "sign-date", "label", "sub"})


def _text_of(bulletin: Bulletin, kind: str) -> str:
    """The text of the first paragraph of ``kind`` (empty when there is none)."""
    for block in bulletin.blocks:
        if isinstance(block, Paragraph) and block.kind == kind:
            return "".join(r.text for r in block.runs)
    return ""


class _Writer:
    """Writes blocks into a python-docx document with the official layout."""

    def __init__(self, document: Any, fonts: Mapping[str, str]) -> None:
        self.document = document
        self.fonts = fonts
        self.last: Any = None  # the last paragraph written (the red rule goes under it)
        self.signature_texts = ("", "")

    # document-wide settings

    def setup(self, bulletin: Bulletin) -> None:
        """Page geometry, character grid, default fonts, heading styles, footers and the draft header."""
        from docx.shared import Mm

        section = self.document.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.header_distance, section.footer_distance = Mm(25), Mm(23)
        self._grid(section)
        self._defaults()
        for kind, name in _HEADING_STYLES.items():
            self._heading_style(self.document.styles[name], "heiti" if kind == "h2" else "kaiti", int(kind[1]) - 2)
        self.document.settings.odd_and_even_pages_header_footer = True
        self._page_number(section.footer, "right")
        self._page_number(section.even_page_footer, "left")
        if bulletin.draft_mark:
            for header in (section.header, section.even_page_header):
                self._draft_header(header, bulletin.draft_mark)
        self.signature_texts = (_text_of(bulletin, "sign-office"), _text_of(bulletin, "sign-date"))

    def _grid(self, section: Any) -> None:
        """22 lines to the page: Word's line grid at the body's line pitch.

        28 characters to the line come from the body's letter spacing, as in the PDF: Word's
        character grid (``linesAndChars``) is drawn by other word processors with wide gaps.
        """
        from docx.oxml.ns import qn

        grid = section._sectPr.find(qn("w:docGrid"))
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), _twips(LINE_PT))

    def _defaults(self) -> None:
        """Every paragraph 3号 仿宋 on the line pitch, justified, no space between paragraphs."""
        from docx.oxml.ns import qn

        defaults = self.document.styles.element.find(qn("w:docDefaults"))
        run = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        self._set_fonts(run, "fangsong")
        for tag in ("w:sz", "w:szCs"):
            run.find(qn(tag)).set(qn("w:val"), str(round(BODY_PT * 2)))
        run.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
        normal = self.document.styles["Normal"].element.get_or_add_pPr()
        for name in (
            "w:autoSpaceDN",
            "w:autoSpaceDE",
        ):  # (inserted in turn at the top) no extra space between Chinese and Latin or digits
            normal.insert(0, normal.makeelement(qn(name), {qn("w:val"): "0"}))
        spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), _twips(LINE_PT))
        spacing.set(qn("w:lineRule"), "exact")

    def _heading_style(self, style: Any, role: str, level: int) -> None:
        """Word's Heading 1–3 (so the navigation pane lists them) in the body's size and black."""
        from docx.oxml.ns import qn
        from docx.shared import Pt, RGBColor

        fmt = style.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing = Pt(LINE_PT)  # a length: exact spacing
        font = style.font
        font.size, font.bold, font.color.rgb = Pt(BODY_PT), False, RGBColor(0, 0, 0)
        rpr = style.element.get_or_add_rPr()
        self._set_fonts(rpr, role)
        rpr.find(qn("w:color")).attrib.pop(qn("w:themeColor"), None)
        rpr.find(qn("w:color")).attrib.pop(qn("w:themeShade"), None)
        style.element.get_or_add_pPr().find(qn("w:outlineLvl")).set(qn("w:val"), str(level))

    def _set_fonts(self, rpr: Any, role: str) -> None:
        """The role's family for Latin and East Asian text alike (w:ascii, w:hAnsi, w:eastAsia, w:cs)."""
        from docx.oxml.ns import qn

        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.insert(0, fonts)
        for attribute in list(fonts.attrib):
            del fonts.attrib[attribute]
        for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attribute), self.fonts[role])

    def _page_number(self, footer: Any, side: str) -> None:
        """ "— N —" in 4号 宋体, one character in from the side (odd pages right, even pages left)."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        fmt = paragraph.paragraph_format
        fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT if side == "right" else WD_ALIGN_PARAGRAPH.LEFT
        fmt.first_line_indent = Pt(0)
        fmt.line_spacing = 1.0
        if side == "right":
            fmt.right_indent = Pt(14)
        else:
            fmt.left_indent = Pt(14)
        self._run(paragraph, "— ", "songti", 14.0)
        self._field(paragraph, "PAGE", "1", 14.0)
        self._run(paragraph, " —", "songti", 14.0)

    def _field(self, paragraph: Any, instruction: str, shown: str, size: float) -> None:
        """A Word field (PAGE): begin, instruction, separate, the value shown until updated, end."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        for part in ("begin", "instr", "separate", "shown", "end"):
            run = self._run(paragraph, shown if part == "shown" else "", "songti", size)
            if part == "instr":
                text = OxmlElement("w:instrText")
                text.set(qn("xml:space"), "preserve")
                text.text = f" {instruction} "
                run._r.append(text)
            elif part != "shown":
                char = OxmlElement("w:fldChar")
                char.set(qn("w:fldCharType"), part)
                run._r.append(char)

    def _draft_header(self, header: Any, mark: str) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        header.is_linked_to_previous = False
        paragraph = header.paragraphs[0]
        paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.first_line_indent = 0
        paragraph.paragraph_format.line_spacing = 1.0
        self._run(paragraph, mark, "heiti", 14.0)

    # blocks

    def _tracking(self, run: Any, points: float) -> None:
        """Letter spacing (w:spacing in twentieths of a point)."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), _twips(points))
        run._r.get_or_add_rPr().append(spacing)

    def _run(
        self,
        paragraph: Any,
        text: str,
        role: str,
        size: float | None,
        color: str | None = None,
        tracking: float = 0.0,
        heading: bool = False,
    ) -> Any:
        from docx.shared import Pt, RGBColor

        run = paragraph.add_run()
        parts = text.split("\n")
        for index, part in enumerate(parts):
            if index:
                run.add_break()
            if part:
                run.add_text(part)
        if role != "fangsong" or heading:  # a heading style names its own font: the run says which
            self._set_fonts(run._r.get_or_add_rPr(), role)
        if size is not None and size != BODY_PT:
            run.font.size = Pt(size)
        if tracking:
            self._tracking(run, tracking)
        if color:
            run.font.color.rgb = RGBColor.from_string(color)
        return run

    def paragraph(self, block: Paragraph) -> None:
        """One paragraph with its kind's layout; the red rule is the bottom border of the one before."""
        from docx.shared import Mm

        if block.kind == "rule":
            self._border(self.last, "bottom", RED, 1.5, space=11)
            return
        if block.kind == "attach-first" and self.last is not None:  # the body's last paragraph keeps the signature
            self.last.paragraph_format.keep_with_next = True
        style = _HEADING_STYLES.get(block.kind)
        paragraph = self.document.add_paragraph(style=style)
        alignment, first, left, size, before = _LAYOUT.get(block.kind, _LAYOUT["body"])
        if block.kind == "office":
            size = block.size or size
            paragraph.paragraph_format.space_before = Mm(HEADER_TOP_MM)
        self._format(paragraph, block.kind, alignment, first, left, size, before)
        if block.page_break:
            paragraph.paragraph_format.page_break_before = True
        color = RED if block.kind == "office" else None
        for run in block.runs:
            role = "xiaobiaosong" if block.kind in ("office", "title", "attachment-title") else run.role
            tracking = TRACKING_PT if block.kind in _EXACT_LINE else 0.0
            self._run(paragraph, run.text, role, size, color, tracking, heading=style is not None)
        self.last = paragraph

    def _format(
        self, paragraph: Any, kind: str, alignment: str, first: int, left: int, size: float, before: float
    ) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
        from docx.shared import Pt

        fmt = paragraph.paragraph_format
        fmt.alignment = {
            "center": WD_ALIGN_PARAGRAPH.CENTER,
            "left": WD_ALIGN_PARAGRAPH.LEFT,
            "right": WD_ALIGN_PARAGRAPH.RIGHT,
            "both": WD_ALIGN_PARAGRAPH.JUSTIFY,
        }[alignment]
        self._indent(paragraph, first, left)
        if before:
            fmt.space_before = Pt(before * LINE_PT)
        if kind in _KEEP_WITH_NEXT:
            fmt.keep_with_next = True
        if kind not in _EXACT_LINE:
            fmt.line_spacing_rule = WD_LINE_SPACING.ONE_POINT_FIVE if size < BODY_PT else WD_LINE_SPACING.SINGLE
            if kind == "title":
                fmt.line_spacing = Pt(size * 1.45)
            self._off_grid(paragraph)
        if kind in ("sign-office", "sign-date"):
            fmt.right_indent = Pt(BODY_PT * self._signature_right(kind))
        if kind == "title":
            fmt.left_indent = fmt.right_indent = Pt(size / 2)

    def _signature_right(self, kind: str) -> float:
        """右空四字 for the date; the issuer centred over it (flush right when it is wider): ``cjk.signature_right``."""
        office, date = signature_right(*self.signature_texts)
        return date if kind == "sign-date" else office

    def _indent(self, paragraph: Any, first: int, left: int) -> None:
        """Indents in characters (w:firstLineChars / w:leftChars), with the point values for other readers."""
        from docx.oxml.ns import qn
        from docx.shared import Pt

        fmt = paragraph.paragraph_format
        fmt.first_line_indent = Pt(first * BODY_PT)
        fmt.left_indent = Pt(left * BODY_PT) if left else None
        ind = paragraph._p.get_or_add_pPr().find(qn("w:ind"))
        ind.set(qn("w:firstLineChars"), str(first * 100))
        if left:
            ind.set(qn("w:leftChars"), str(left * 100))

    def _off_grid(self, paragraph: Any) -> None:
        """Text in another size than the body's keeps its own spacing (not the 28-per-line grid)."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        snap = OxmlElement("w:snapToGrid")
        snap.set(qn("w:val"), "0")
        paragraph._p.get_or_add_pPr().insert_element_before(snap, "w:spacing", "w:ind", "w:jc", "w:outlineLvl", "w:rPr")

    def _border(self, paragraph: Any, side: str, color: str, width_pt: float, space: int = 1) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        ppr = paragraph._p.get_or_add_pPr()
        borders = ppr.find(qn("w:pBdr"))
        if borders is None:
            borders = OxmlElement("w:pBdr")
            ppr.insert_element_before(
                borders,
                "w:shd",
                "w:tabs",
                "w:autoSpaceDE",
                "w:snapToGrid",
                "w:spacing",
                "w:ind",
                "w:jc",
                "w:outlineLvl",
                "w:rPr",
            )
        line = OxmlElement(f"w:{side}")
        for key, value in (("val", "single"), ("sz", str(round(width_pt * 8))), ("space", str(space))):
            line.set(qn(f"w:{key}"), value)
        line.set(qn("w:color"), color)
        borders.append(line)

    # tables

    def table(self, block: Table) -> None:
        """A bordered table across the text width; header rows repeat on every page, rows never split.

        Written as one piece of XML: python-docx's cell by cell API takes seconds for a long ledger.
        """
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        if not block.rows:
            return
        columns = max(len(r) for r in block.rows)
        size = 9.0 if block.kind == "ledger" else 11.0
        widths = _column_widths(block, columns, size)
        edges = "".join(
            f'<w:{edge} w:val="single" w:sz="5" w:space="0" w:color="000000"/>'
            for edge in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        margins = '<w:left w:w="50" w:type="dxa"/><w:right w:w="50" w:type="dxa"/>'
        properties = (
            f'<w:tblPr><w:tblW w:w="{_twips(sum(widths))}" w:type="dxa"/><w:jc w:val="center"/>'
            f'<w:tblBorders>{edges}</w:tblBorders><w:tblLayout w:type="fixed"/>'
            f"<w:tblCellMar>{margins}</w:tblCellMar></w:tblPr>"
        )
        grid = "".join(f'<w:gridCol w:w="{_twips(w)}"/>' for w in widths)
        muted = block.muted + (False,) * len(block.rows)
        rows = "".join(self._row_xml(cells, widths, size, gray) for cells, gray in zip(block.rows, muted, strict=False))
        xml = f"<w:tbl {nsdecls('w')}>{properties}<w:tblGrid>{grid}</w:tblGrid>{rows}</w:tbl>"
        self.document.element.body._insert_tbl(parse_xml(xml))
        self.last = None

    def _row_xml(self, cells: tuple[Cell, ...], widths: list[float], size: float, muted: bool) -> str:
        header = "<w:tblHeader/>" if cells and cells[0].header else ""
        out = [f"<w:tr><w:trPr><w:cantSplit/>{header}</w:trPr>"]
        for cell, width in zip(cells, widths, strict=False):
            align = {"left": "left", "right": "right", "center": "center"}[cell.align]
            out.append(
                f'<w:tc><w:tcPr><w:tcW w:w="{_twips(width)}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
                '<w:p><w:pPr><w:snapToGrid w:val="0"/><w:spacing w:before="30" w:after="30" w:line="240" '
                f'w:lineRule="auto"/><w:ind w:firstLine="0" w:firstLineChars="0"/><w:jc w:val="{align}"/></w:pPr>'
            )
            for run in cell.runs:
                role = "heiti" if cell.header else ("songti" if run.role == "fangsong" else run.role)
                out.append(self._run_xml(run.text, role, size, "555555" if muted else None))
            out.append("</w:p></w:tc>")
        out.append("</w:tr>")
        return "".join(out)

    def _run_xml(self, text: str, role: str, size: float, color: str | None) -> str:
        family = escape(self.fonts[role], {'"': "&quot;"})
        fonts = f'<w:rFonts w:ascii="{family}" w:hAnsi="{family}" w:eastAsia="{family}" w:cs="{family}"/>'
        shade = f'<w:color w:val="{color}"/>' if color else ""
        half = round(size * 2)
        lines = "<w:br/>".join(
            "<w:tab/>".join(f'<w:t xml:space="preserve">{escape(part)}</w:t>' for part in line.split("\t"))
            for line in text.split("\n")
        )
        return f'<w:r><w:rPr>{fonts}{shade}<w:sz w:val="{half}"/><w:szCs w:val="{half}"/></w:rPr>{lines}</w:r>'

    # 版记

    def banji(self, paragraphs: tuple[Paragraph, ...]) -> None:
        """抄送 and the printing office and date in 4号 between rules, after the last page's text.

        A table with a top, a bottom and an inside rule.  Not anchored to the page's foot: a
        floating table or frame there is drawn by Word but lost or split by LibreOffice.
        """
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        if not paragraphs:
            return
        rule = 'w:val="single" w:space="0" w:color="000000"'
        edges = f'<w:top {rule} w:sz="8"/><w:bottom {rule} w:sz="8"/><w:insideH {rule} w:sz="6"/>'
        width = _twips(TEXT_WIDTH_PT)
        properties = (
            f'<w:tblPr><w:tblW w:w="{width}" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders>{edges}</w:tblBorders>'
            '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="0" w:type="dxa"/>'
            '<w:right w:w="0" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        )
        rows = "".join(
            f'<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
            f"{self._banji_line(block)}</w:tc></w:tr>"
            for block in paragraphs
        )
        self.document.add_paragraph()  # one empty line above the 版记
        xml = f'<w:tbl {nsdecls("w")}>{properties}<w:tblGrid><w:gridCol w:w="{width}"/></w:tblGrid>{rows}</w:tbl>'
        self.document.element.body._insert_tbl(parse_xml(xml))

    def _banji_line(self, block: Paragraph) -> str:
        """One line of the 版记, one character in from each side; 抄送： hangs, the date sits at the right."""
        side = _twips(BANJI_PT)
        if block.kind == "cc":
            indent = f'<w:ind w:left="{_twips(BANJI_PT * 4)}" w:right="{side}" w:hanging="{_twips(BANJI_PT * 3)}"/>'
            tabs = ""
        else:
            indent = f'<w:ind w:left="{side}" w:right="{side}" w:firstLine="0"/>'
            tabs = f'<w:tabs><w:tab w:val="right" w:pos="{_twips(TEXT_WIDTH_PT - BANJI_PT)}"/></w:tabs>'
        runs = "".join(self._run_xml(run.text, run.role, BANJI_PT, None) for run in block.runs)
        spacing = f'<w:spacing w:line="{_twips(BANJI_PT * 1.6)}" w:lineRule="exact"/>'
        return f'<w:p><w:pPr><w:keepNext/>{tabs}<w:snapToGrid w:val="0"/>{spacing}{indent}</w:pPr>{runs}</w:p>'


def _cell_width(text: str) -> float:
    """A table text's width in characters, Latin ones wider than half and the autospacing counted."""
    changes = sum(1 for a, b in pairwise(text) if a.isascii() != b.isascii())
    return text_width(text, latin=0.6) + AUTOSPACE * changes


def _column_widths(block: Table, columns: int, size: float) -> list[float]:
    """Column widths in points filling the text width: each column as wide as its longest unbroken text.

    Columns of names and titles (left-aligned) may wrap: they share what the figures, dates and
    states leave — above ``WRAP_CHARS`` characters each in proportion to their longer text, or
    below it in proportion to that floor when there is not room.  Only when the figures alone
    are too wide do all columns narrow alike.
    """
    natural = [0.0] * columns
    wraps = [False] * columns
    for row in block.rows:
        for index, cell in enumerate(row[:columns]):
            text = "".join(r.text for r in cell.runs)
            longest = max((_cell_width(line) for line in text.split("\n")), default=0.0)
            natural[index] = max(natural[index], longest * size + CELL_MARGINS_PT + size / 3)
            wraps[index] = wraps[index] or cell.wrap or cell.align == "left"  # names and titles may wrap
    floor = [
        min(w, WRAP_CHARS * size + CELL_MARGINS_PT) if wrap else 0.0 for w, wrap in zip(natural, wraps, strict=True)
    ]
    fixed = sum(w for w, wrap in zip(natural, wraps, strict=True) if not wrap)
    room = TEXT_WIDTH_PT - fixed
    if not any(wraps) or room <= 0:
        return [w * TEXT_WIDTH_PT / sum(natural) for w in natural]
    if room < sum(floor):  # below the floors: in proportion to them
        return [room * f / sum(floor) if wrap else w for w, f, wrap in zip(natural, floor, wraps, strict=True)]
    above = [w - f if wrap else 0.0 for w, f, wrap in zip(natural, floor, wraps, strict=True)]
    if not sum(above):  # every text fits its floor: equal shares
        above = [float(wrap) for wrap in wraps]
    extra = room - sum(floor)
    return [
        f + extra * a / sum(above) if wrap else w for w, f, a, wrap in zip(natural, floor, above, wraps, strict=True)
    ]
