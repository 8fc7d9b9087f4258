"""Checks of a laid-out bulletin, page by page, before its PDF is written.

A notice an office can stamp (GB/T 9704 and issue 14): the page with the issuer and the
date also holds body text; no page ends with a heading or a table caption, nor holds a
single row of a table carried over from (or on to) another page; no word of code (a
field name or a config key) is printed; every day count says whether it counts 天 or
个工作日.  ``layout_faults`` reads WeasyPrint's laid-out pages (its boxes), so the check
sees exactly what the PDF will show.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from reportgen.problems import Words
from reportgen.schema.kinds import KINDS
from reportgen.schema.types import Field

# Printed ASCII words that are fine in a Chinese notice (file formats, units of the web).
ALLOWED_WORDS = frozenset({"PDF", "CSV", "XLSX", "XLS", "DOCX", "HTML", "SVG", "JSON", "SHA", "GB", "T"})
# An id (Q0003, D04, T05) or a count with a letter (5G): not a word.
_ID = re.compile(r"[A-Z]{1,3}\d+[A-Z]?|\d+[A-Za-z]")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
# An office may print its website or mail address: www.example.gov.cn, office@example.cn.
_ADDRESS = re.compile(
    r"(?:https?://)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:https?://)?[\w-]+(?:\.[\w-]+)+(?:/[\w./?=&%-]*)?", re.ASCII
)
# An identifier with an underscore is code whatever it names.
_SNAKE = re.compile(r"[A-Za-z0-9]+_[A-Za-z0-9_]+")
# A day count: a number right after words that count days.  It must be followed by its unit.
_DAY_COUNT = re.compile(r"(?:超期|逾期|历时|用时|耗时|办理时长|天数)(\d+(?:\.\d+)?)(?!\d|\.\d|天|个工作日)")
# Table headings that count days: the heading or every cell carries the unit.
_DAY_HEADING = re.compile(r"天数|时长|历时|用时|耗时")
_UNIT = re.compile(r"天|个工作日")
_HEADINGS = frozenset({"h1", "h2", "h3", "h4"})
_HEADING_CLASSES = frozenset({"caption", "label", "sub"})
_TAIL = frozenset({"signature", "attach-note", "revision"})
SIGNATURE_ALONE = Words("署名和成文日期所在的页没有正文", "the page with the signature and date holds no body text")


def _no_unit(zh: str, en: str) -> Words:
    """E715's detail: a day count (``zh``/``en`` name it) that does not say 天 or 个工作日."""
    return Words(f"{zh}没有写明是天还是个工作日", f"{en} does not say whether it counts days or working days")


@dataclass(frozen=True)
class LayoutFault:
    """One thing on one page that stops the notice from being issued."""

    code: str  # E711…E715
    page: int  # 1-based page number
    detail: Words  # what is wrong, in words (office words and English)


@dataclass(frozen=True)
class _Line:
    """One laid-out line of text and where it sits in the document."""

    text: str
    tag: str  # the block's element: p, h2, td…
    classes: frozenset[str]  # classes of the block and all its ancestors
    in_main: bool  # inside <main> (body text, attachment note, signature)


def _classes(element: Any) -> frozenset[str]:
    return frozenset((element.get("class") or "").split()) if element is not None else frozenset()


def _text(box: Any) -> str:
    """All the text inside ``box``."""
    if hasattr(box, "text"):
        return str(box.text)
    return "".join(_text(child) for child in getattr(box, "children", ()))


def _lines(box: Any, classes: frozenset[str] = frozenset(), in_main: bool = False) -> Iterator[_Line]:
    """Every line box in normal flow under ``box``, in order, with its block's context."""
    element = box.element if box.element is not None else None
    if element is not None and box.element_tag:
        classes = classes | _classes(element)
        in_main = in_main or box.element_tag == "main"
    for child in getattr(box, "children", ()):
        if not child.is_in_normal_flow() or type(child).__name__ == "MarginBox":  # page numbers, running heads
            continue
        if type(child).__name__ == "LineBox":
            text = _text(child).strip()
            if text:
                yield _Line(text, box.element_tag or "", classes | _classes(child.element), in_main)
        else:
            yield from _lines(child, classes, in_main)


def _tables(box: Any) -> Iterator[Any]:
    """The table boxes (fragments on this page) under ``box``."""
    for child in getattr(box, "children", ()):
        if type(child).__name__ == "TableBox":
            yield child
        else:
            yield from _tables(child)


def _rows(table: Any) -> list[list[str]]:
    """The body rows of one table fragment, each as its cells' texts."""
    rows = []
    for group in table.children:
        if getattr(group, "is_header", False) or getattr(group, "is_footer", False):
            continue
        for row in group.children:
            rows.append([_text(cell).strip() for cell in row.children])
    return rows


def _heading_cells(table: Any) -> list[str]:
    for group in table.children:
        if getattr(group, "is_header", False):
            for row in group.children:
                return [_text(cell).strip() for cell in row.children]
    return []


def printed_words(text: str) -> list[str]:
    """ASCII words in ``text`` that are not allowed in a Chinese notice (ids, web and mail addresses and the
    allow-list are fine)."""
    words = []
    text = _ADDRESS.sub(" ", text)
    for match in _WORD.finditer(text):
        word = match.group()
        start = match.start()
        if start and text[start - 1].isdigit() and _ID.fullmatch(text[start - 1] + word):
            continue
        if word in ALLOWED_WORDS or _ID.fullmatch(word):
            continue
        words.append(word)
    return words


def code_words(text: str) -> list[str]:
    """The printed words of ``text`` that are reportgen's own code: a field name or config key of the
    schema, a metric or issue-test key of the registry, or any identifier with an underscore.

    Other English words are the office's own text (a product name, a quoted title) and are
    printed as written; the sample's notices are held to "no English at all" by their tests.
    """
    vocabulary = _code_vocabulary()
    return [word for word in printed_words(text) if word in vocabulary or _SNAKE.fullmatch(word)]


@cache
def _code_vocabulary() -> frozenset[str]:
    """Every field name of every record kind (nested ones too), every metric and issue-test key."""
    from reportgen.compute.metrics import CHECKS, METRICS  # the registry imports the stats engine: only here

    names: set[str] = {metric.key for metric in METRICS} | set(CHECKS)
    for kind in KINDS:
        names |= _field_names(kind.fields)
    return frozenset(names)


def _field_names(fields: tuple[Field, ...]) -> set[str]:
    names: set[str] = set()
    for f in fields:
        names.add(f.name)
        names |= _field_names(f.fields)
        if f.items is not None:
            names |= _field_names((f.items,))
    return names


def days_without_unit(text: str) -> list[str]:
    """Day counts in ``text`` not followed by 天 or 个工作日 (``已超期12`` → ``超期12``)."""
    return [match.group() for match in _DAY_COUNT.finditer(text)]


# The classes that move the 版记 to an even page (``banji_move``; pdf.css): from an odd page with body text on it to
# the next page; or, alone on an odd page, past a blank one, the two pages unnumbered (GB/T 9704 7.4, 7.5)
BANJI_NEXT, BANJI_PAST_BLANK = "banji-next", "banji-past-blank"


def banji_move(pages: list[Any]) -> str | None:
    """The class that puts the 版记 on an even page, the back of the last sheet (GB/T 9704 7.4, 7.5), or None.

    None when the last of ``pages`` is even (a left page: the first is a right one) or holds no 版记.
    """
    last = pages[-1]._page_box if pages else None
    if last is None or last.page_type.side == "left" or not _holds(last, "banji-wrap"):
        return None
    flow = [line for line in _lines(last) if "draft-mark" not in line.classes]
    return BANJI_NEXT if flow else BANJI_PAST_BLANK


def _holds(box: Any, name: str) -> bool:
    """Whether a box under ``box`` (itself included) is of the element of class ``name``."""
    if name in _classes(box.element):
        return True
    return any(_holds(child, name) for child in getattr(box, "children", ()))


def layout_faults(pages: list[Any]) -> list[LayoutFault]:
    """What stops the laid-out ``pages`` (WeasyPrint's ``Document.pages``) from being issued."""
    faults: list[LayoutFault] = []
    spans: dict[int, int] = {}  # a table element's id → on how many pages it appears
    fragments: list[tuple[int, Any, int]] = []
    every: list[list[_Line]] = []  # each page's lines, read once (a long ledger's pages have thousands)
    for number, page in enumerate(pages, 1):
        lines = list(_lines(page._page_box))
        every.append(lines)
        faults += _page_text_faults(number, lines)
        faults += _foot_faults(number, lines)
        for table in _tables(page._page_box):
            spans[id(table.element)] = spans.get(id(table.element), 0) + 1
            fragments.append((number, table, len(_rows(table))))
            faults += _day_column_faults(number, table)
    for number, table, count in fragments:
        if count == 1 and spans[id(table.element)] > 1:
            heading = _heading_cells(table)[0] if _heading_cells(table) else ""
            detail = Words(f"表格“{heading}”只有一行在这一页", f"only one row of the table '{heading}' is on this page")
            faults.append(LayoutFault("E712", number, detail))
    faults += _signature_faults(every)
    return sorted(set(faults), key=lambda f: (f.page, f.code, f.detail.zh))


def _signature_faults(pages: list[list[_Line]]) -> list[LayoutFault]:
    """E711: the page with the signature holds no body text (``pages``: each page's lines)."""
    for number, page in enumerate(pages, 1):
        lines = [line for line in page if line.in_main]
        if any("signature" in line.classes for line in lines):
            if not any(line.classes.isdisjoint(_TAIL) for line in lines):
                return [LayoutFault("E711", number, SIGNATURE_ALONE)]
            return []
    return []


def _foot_faults(number: int, lines: list[_Line]) -> list[LayoutFault]:
    """E713: the last line of the page is a heading, a table caption or an attachment's title."""
    flow = [line for line in lines if "draft-mark" not in line.classes and "banji" not in line.classes]
    if not flow:
        return []
    last = flow[-1]
    if last.tag in _HEADINGS or (last.tag == "p" and last.classes & _HEADING_CLASSES and "attachment" in last.classes):
        return [
            LayoutFault(
                "E713", number, Words(f"页末是标题“{last.text}”", f"the page ends with the heading '{last.text}'")
            )
        ]
    if last.tag == "p" and "caption" in last.classes:
        return [
            LayoutFault(
                "E713", number, Words(f"页末是表题“{last.text}”", f"the page ends with the caption '{last.text}'")
            )
        ]
    return []


def _page_text_faults(number: int, lines: list[_Line]) -> list[LayoutFault]:
    """E714 for words of code, E715 for day counts without their unit."""
    text = "\n".join(line.text for line in lines)
    faults = [
        LayoutFault("E714", number, Words(f"印出了英文或字段名“{word}”", f"prints English or a field name: '{word}'"))
        for word in code_words(text)
    ]
    joined = "".join(line.text for line in lines)  # a count may wrap: 超期 | 12
    faults += [LayoutFault("E715", number, _no_unit(f"“{count}”", f"'{count}'")) for count in days_without_unit(joined)]
    return faults


def _day_column_faults(number: int, table: Any) -> list[LayoutFault]:
    """E715: a column of day counts whose heading and cells do not say 天 or 个工作日."""
    headings = _heading_cells(table)
    faults = []
    for index, heading in enumerate(headings):
        if not _DAY_HEADING.search(heading) or _UNIT.search(heading):
            continue
        for row in _rows(table):
            if index < len(row) and row[index] and not _UNIT.search(row[index]):
                said = _no_unit(f"“{heading}”一栏的“{row[index]}”", f"'{row[index]}' in the column '{heading}'")
                faults.append(LayoutFault("E715", number, said))
                break
    return faults
