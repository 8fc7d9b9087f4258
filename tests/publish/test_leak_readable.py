"""The leak search's cheaper reading of a file reads exactly the text the plain one read.

``plaintext.visible`` skips a substitution a scan shows has nothing to replace,
``leakscan._ATTRIBUTE`` starts with ``\\s`` spelt out and ``plaintext.compact`` deletes bytes:
each is compared with the code it replaced (kept here as ``_plain_visible``, ``_PLAIN_ATTRIBUTE``
and ``_PLAIN_GAPS``) on every file of the sample builds and on generated texts made of what can
hide a value.  The same text read means the same
findings: what is searched for in it is unchanged.
"""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from reportgen.model import Records
from reportgen.plaintext import _COMMENT, _ENTITY, _INVISIBLE, _TAG, MARK, _decode, _nfkc, compact, visible
from reportgen.privacy import search_for
from reportgen.publish.leakscan import _ATTRIBUTE, _document_parts, _keys_in, _readable
from reportgen.publish.leakscan import _decoded as decoded

pytest_plugins = ["tests.site.fixtures"]

_PLAIN_GAPS = re.compile(r"[ \t\r\n\f\v\u3000\x00*_~`\\]+")
_PLAIN_ATTRIBUTE = re.compile(r"""[\s"'][\w:.-]+\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _plain_visible(text: str) -> str:
    """``visible`` as it was before its shortcuts."""
    text = _COMMENT.sub(MARK, text)
    text = _TAG.sub(MARK, text)
    if "&" in text:
        text = _ENTITY.sub(_decode, text)
    return _INVISIBLE.sub("", _nfkc(text))


def _plain_readable(path: str, text: str) -> str:
    """``leakscan._readable`` of a markup file as it was (other files are read by ``visible`` alone)."""
    attributes = "\x01".join(a or b for a, b in _PLAIN_ATTRIBUTE.findall(text))
    return _plain_visible(text) + "\x01" + _plain_visible(attributes)


def _same_reading(path: str, text: str) -> None:
    shown = visible(text)
    assert shown == _plain_visible(text)
    assert compact(shown) == _PLAIN_GAPS.sub("", shown)
    assert compact(text) == _PLAIN_GAPS.sub("", text)
    assert _ATTRIBUTE.findall(text) == _PLAIN_ATTRIBUTE.findall(text)
    if path.endswith((".html", ".xml", ".atom", ".svg")):
        assert _readable(path, text) == _plain_readable(path, text)


def test_the_spelt_out_spaces_are_the_characters_backslash_s_matches() -> None:
    spelt = re.compile(_ATTRIBUTE.pattern[: _ATTRIBUTE.pattern.index("]") + 1])
    space = re.compile(r"[\s\"']")
    every = (chr(code) for code in range(sys.maxunicode + 1))
    differ = [char for char in every if bool(spelt.fullmatch(char)) != bool(space.fullmatch(char))]
    assert differ == []


def test_every_file_of_the_sample_builds_reads_as_before(
    public_site: dict[str, bytes], internal_site: dict[str, bytes], records: Records
) -> None:
    search = search_for(records)
    parts = 0
    for path, data in [*public_site.items(), *internal_site.items()]:
        for part in _document_parts(path, data, search):
            text = decoded(part.data)
            if text is None:
                continue
            _same_reading(part.member, text)
            plain = _plain_readable(part.member, text) if part.member.endswith(".html") else None
            if plain is not None:
                assert _keys_in(search, _readable(part.member, text)) == _keys_in(search, plain)
            parts += 1
    assert parts > 20


_PIECES = [
    "<p>",
    "</td>",
    '<a href="tel:138 0000 1001">',
    "<span title='张三'>",
    "<i class=\"x\" data-v='1'>",
    "<!-- 138",
    "-->",
    "<!---->",
    "<!--",
    "&#49;",
    "&#x31;",
    "&amp;",
    "&nbsp;",
    "&lt;b&gt;",
    "&#8203;",
    "１３８",
    "０３９４",
    "\u200b",
    "\u00ad",
    "\u202e",
    "\ufeff",
    "\u2060",
    "\u3000",
    "\xa0",
    "\x85",
    "\u2028",
    "\x01",
    "\x00",
    " ",
    "\t",
    "\n",
    "138",
    "0000",
    "1001",
    "+86",
    "0086-",
    "(0394)",
    "**",
    "_",
    "~",
    "`",
    "\\",
    "·",
    ".",
    "-",
    "/",
    "张三",
    "，",
    "（",
    "：",
    "=",
    '"',
    "'",
    "<",
    ">",
    "&",
    "x",
    "ﬁ",
    "é",
    "e\u0301",
    "\ud800",
    "\ud83d\ude00",
    "😀",
    "\x7f",
    "\x80",
]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=24), st.sampled_from(["a.html", "a.json", "a.csv", "a.xml"]))
@example(["<a", " b", "=", '"', "138", "\u200b", "0000", '"', ">", "1001"], "a.html")
@example(["<!--", "\x01", "<p>", "138", "\u00ad"], "a.html")
@example(["138", "<", "!--", "0000", "-->", "1001"], "a.html")
def test_generated_texts_read_as_before(pieces: list[str], path: str) -> None:
    _same_reading(path, "".join(pieces))


@settings(max_examples=2000, deadline=None)
@given(st.text(st.characters(codec=None, exclude_categories=())))
def test_any_text_is_compacted_as_before(text: str) -> None:
    assert compact(text) == _PLAIN_GAPS.sub("", text)


@pytest.mark.parametrize(
    "text",
    [
        "138 0000 1001",
        "+86-138-0000-1001",
        "１３８００００１００１",
        "138\u200b0000\u200b1001",
        "138**0000**1001",
        "138<!-- x -->0000<b>1001</b>",
        "&#49;38&#x30;000&#49;001",
        "<td data-phone='138 0000 1001' title=\"张 三\">x</td>",
        "(0394) 823·4567",
    ],
)
def test_each_way_a_phone_is_split_reads_as_before(text: str) -> None:
    _same_reading("a.html", text)
