"""A long notice's print HTML cut into parts that WeasyPrint renders apart, and their PDFs joined into one.

A notice's ledger (附件1) can be most of its PDF's time (the 10k benchmark's 996 rows: about
70 % of 26 CPU seconds).  ``split_parts`` cuts the print HTML before the first and the
second attachment: the body, 附件1, and the rest.  Each attachment starts a page, so each
part laid out alone gives the whole document's pages once its first page carries on the
numbering (``numbered``); ``render.pdf`` renders 附件1 in a second process while the first
renders the body and the rest, and ``join`` makes one PDF of the parts' PDFs: their pages in
order, one structure tree (the parts' elements under the first part's ``Document``, the
``ParentTree`` keys and each page's ``StructParents`` moved on by the pages before), one
outline.  Each part keeps its own font subsets (a face may be embedded once per part).
The file identifier is a hash of the content (qpdf's deterministic id), so the bytes are
stable.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pikepdf
    from pikepdf import Object

# 附件1 is rendered in a second process from this many rows of its tables on: below it the
# second process and the join cost more than they save (the sample's ledgers have ~100 rows).
SPLIT_ROWS = 300
# A notice whose rest (附件2 on) has this many table rows or more has it made as 附件1 is, by a helper of its own
# (the 100k notice's 附件2: 926 rows, laid out after the body while a core stood idle).
LONG_REST_ROWS = 300
_ATTACHMENT = re.compile(r'<section class="attachment[ "]')
_BODY_START = re.compile(r'<body[^>]*>\n(?:<div class="draft-mark"[^>]*>[^<]*</div>\n)?')
_ROW = re.compile(r"<tr[ >]")
_END = "</body>\n</html>\n"


def split_parts(html: str) -> list[str]:
    """The print HTML as documents cut before the first and the second attachment (fewer when it has fewer).

    Each part keeps the whole ``<head>`` (styles, metadata) and the draft mark; the last
    keeps the 版记.  An attachment starts a page (``break-before: page``), so the parts'
    pages are the whole document's pages, except the page numbers: ``numbered`` sets them.
    """
    opening = _BODY_START.search(html)
    if opening is None:
        return [html]
    head, rest = html[: opening.end()], html[opening.end() :]
    cuts = [0, *(m.start() for m in _ATTACHMENT.finditer(rest))][:3]
    pieces = [rest[a:b] for a, b in zip(cuts, [*cuts[1:], len(rest)], strict=True)]
    return [head + piece + ("" if i == len(pieces) - 1 else _END) for i, piece in enumerate(pieces)]


def worth_splitting(parts: Sequence[str]) -> bool:
    """Whether the second part (附件1) has ``SPLIT_ROWS`` table rows or more."""
    return len(parts) == 3 and _rows(parts[1]) >= SPLIT_ROWS


def long_rest(parts: Sequence[str]) -> bool:
    """Whether the last part (附件2 on) has ``LONG_REST_ROWS`` table rows or more."""
    return len(parts) == 3 and _rows(parts[2]) >= LONG_REST_ROWS


def _rows(part: str) -> int:
    """The table rows of ``part``."""
    return len(_ROW.findall(part))


def numbered(part: str, first_page: int) -> str:
    """``part`` printed from page ``first_page`` on: the page counter and the page's side (left when even)."""
    if first_page == 1:
        return part
    side = " html { break-before: left; }" if first_page % 2 == 0 else ""
    style = f"<style>@page :first {{ counter-increment: page {first_page}; }}{side}</style>"
    return part.replace("</head>", style + "</head>", 1)


def join(parts: Sequence[bytes]) -> bytes:
    """One PDF of WeasyPrint's tagged PDFs of consecutive parts: pages, structure tree and outline in order."""
    import pikepdf

    whole = pikepdf.Pdf.open(io.BytesIO(parts[0]))
    tree = whole.Root.StructTreeRoot
    (document,) = tree.K
    for data in parts[1:]:
        part = pikepdf.Pdf.open(io.BytesIO(data))
        offset = len(whole.pages)
        whole.pages.extend(part.pages)
        for page in whole.pages[offset:]:
            page.obj.StructParents = int(page.obj.StructParents) + offset
        # Copied after the pages, so that their /Pg and outline /Dest references are the copied pages.
        _join_tree(document, tree.ParentTree.Nums, whole.copy_foreign(part.Root.StructTreeRoot), offset)
        if "/Outlines" in part.Root and "/First" in part.Root.Outlines:
            _join_outline(whole.Root.Outlines, whole.copy_foreign(part.Root.Outlines))
    _distinct_subset_names(whole)
    out = io.BytesIO()
    whole.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def _join_tree(document: Object, nums: Object, tree: Object, offset: int) -> None:
    """A part's structure elements (``tree``, copied) moved under ``document``, its ParentTree entries into ``nums``.

    The parts' margin boxes (page number, draft head) are ``NonStruct`` elements whose parent is
    the ``Document`` but which it does not list (WeasyPrint): they are reached from the
    ParentTree only, going up from their ``Span``; their parent becomes ``document`` as well.
    """
    (theirs,) = tree.K
    for kid in theirs.K:
        kid.P = document
        document.K.append(kid)
    entries = tree.ParentTree.Nums
    their_id = theirs.objgen
    seen = {their_id, document.objgen}
    # Each pikepdf attribute is a call into qpdf: each is asked once a step (0.115 → 0.054 s for the 10k notice).
    for index in range(0, len(entries), 2):
        elements = entries[index + 1]
        nums.append(int(entries[index]) + offset)
        nums.append(elements)
        for element in elements:
            at = element.objgen
            while at not in seen:  # up to the first element already met or to the part's Document
                seen.add(at)
                parent = element.P
                at = parent.objgen
                if at == their_id:
                    element.P = document
                    break
                element = parent


def _distinct_subset_names(pdf: pikepdf.Pdf) -> None:
    """Each part embeds its own subset of a face under the same name (``ABCDEF+Noto-Serif-CJK-SC``); the
    later ones are renamed with a tag made from their font program, as different subsets in one file
    must have different tags (ISO 32000-1 9.6.4)."""
    import pikepdf

    seen: dict[str, int] = {}
    for font in pdf.objects:
        if not (isinstance(font, pikepdf.Dictionary) and font.get("/Type") == "/Font" and "/DescendantFonts" in font):
            continue
        name = str(font.BaseFont)
        seen[name] = seen.get(name, 0) + 1
        if seen[name] == 1:
            continue
        (descendant,) = font.DescendantFonts
        descriptor = descendant.FontDescriptor
        program = next(descriptor[key] for key in ("/FontFile3", "/FontFile2", "/FontFile") if key in descriptor)
        digest = hashlib.sha256(program.read_raw_bytes() + str(seen[name]).encode()).digest()
        tag = "".join(chr(ord("A") + byte % 26) for byte in digest[:6])
        renamed = pikepdf.Name("/" + tag + name[name.index("+") :])
        font.BaseFont = descendant.BaseFont = descriptor.FontName = renamed


def _items(outline: Object) -> Iterator[Object]:
    """The top-level entries of ``outline``."""
    item = outline.get("/First")
    while item is not None:
        yield item
        item = item.get("/Next")


def _join_outline(outline: Object, theirs: Object) -> None:
    """A part's outline entries (``theirs``, copied) appended to ``outline``'s top level."""
    for item in _items(theirs):
        item.Parent = outline
    if "/Last" in outline:
        outline.Last.Next = theirs.First
        theirs.First.Prev = outline.Last
    else:
        outline.First = theirs.First
    outline.Last = theirs.Last
    outline.Count = int(outline.get("/Count", 0)) + int(theirs.Count)
