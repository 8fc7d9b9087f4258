"""The leak search's cheaper reading of a file reads exactly the text the plain one read.

``plaintext.visible`` skips a substitution a scan shows has nothing to replace,
``leakscan._ATTRIBUTE`` starts with ``\\s`` spelt out and ``plaintext.compact`` deletes bytes:
each is compared with the code it replaced (kept here as ``_plain_visible``, ``_PLAIN_ATTRIBUTE``
and ``_PLAIN_GAPS``) on every file of the sample builds and on generated texts made of what can
hide a value.  The same text read means the same findings; a markup file's attribute values are
read once each (``leakscan._readable``): there the findings are compared.
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from reportgen.model import Record, Records
from reportgen.plaintext import _COMMENT, _ENTITY, _INVISIBLE, _TAG, MARK, _decode, _nfkc, compact, visible
from reportgen.privacy import PrivateSearch, PrivateValue, PublicText, search_for
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


def _plain_json_strings(value: Any) -> Iterator[str]:
    """``leakscan._json_strings`` as it was."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _plain_json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _plain_json_strings(item)


def _plain_json_readable(text: str) -> str:
    """``leakscan._readable`` of a JSON file as it was."""
    with contextlib.suppress(ValueError):
        text = "\x01".join(_plain_json_strings(json.loads(text)))
    return _plain_visible(text)


def _same_reading(path: str, text: str, search: PrivateSearch) -> list[str]:
    """Assert ``text`` of file ``path`` reads as before (a markup file's findings the same); its findings."""
    shown = visible(text)
    assert shown == _plain_visible(text)
    assert compact(shown) == _PLAIN_GAPS.sub("", shown)
    assert compact(text) == _PLAIN_GAPS.sub("", text)
    assert _ATTRIBUTE.findall(text) == _PLAIN_ATTRIBUTE.findall(text)
    keys = _keys_in(search, _readable(path, text))
    if path.endswith((".html", ".xml", ".atom", ".svg")):  # each attribute value is read once
        assert keys == _keys_in(search, _plain_readable(path, text))
    if path.endswith(".json"):  # each string is read once
        assert keys == _keys_in(search, _plain_json_readable(text))
    return keys


def _search() -> PrivateSearch:
    """Phones and names to find in generated texts, one of the names inside a public one."""
    values = [("13800001001", True), ("03948234567", True), ("张三", False), ("Li", False), ("王五", False)]
    entries = [PrivateValue(v, f"e/{i}.yaml", str(i), "contact.x", "联系人", v, p) for i, (v, p) in enumerate(values)]
    return PrivateSearch(
        entries, [PublicText(Record("enterprise", "p", "e/p.yaml", {}), "name", "名称", "王五金店", False)]
    )


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
    parts, found = 0, 0
    for path, data in [*public_site.items(), *internal_site.items()]:
        for part in _document_parts(path, data, search):
            text = decoded(part.data)
            if text is not None:
                parts += 1
                found += bool(_same_reading(part.member, text, search))
    assert parts > 20
    assert found > 0  # the internal site shows private values


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
    "王五",
    "金店",
    "Li",
    "ly",
    "Li<b>ly",
    "<b title='王五'>",
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


_SEARCH = _search()


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=24), st.sampled_from(["a.html", "a.json", "a.csv", "a.xml"]))
@example(["<a", " b", "=", '"', "138", "\u200b", "0000", '"', ">", "1001"], "a.html")
@example(["<!--", "\x01", "<p>", "138", "\u00ad"], "a.html")
@example(["138", "<", "!--", "0000", "-->", "1001"], "a.html")
def test_generated_texts_read_as_before(pieces: list[str], path: str) -> None:
    _same_reading(path, "".join(pieces), _SEARCH)


@settings(max_examples=2000, deadline=None)
@given(st.text(st.characters(codec=None, exclude_categories=())))
def test_any_text_is_compacted_as_before(text: str) -> None:
    assert compact(text) == _PLAIN_GAPS.sub("", text)


@settings(max_examples=1000, deadline=None)
@given(
    st.recursive(
        st.none() | st.integers() | st.lists(st.sampled_from(_PIECES), max_size=6).map("".join),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(_PIECES), inner, max_size=4),
        max_leaves=12,
    )
)
def test_generated_json_reads_as_before(value: Any) -> None:
    _same_reading("a.json", json.dumps(value, ensure_ascii=False), _SEARCH)
    _same_reading("a.json", json.dumps(value), _SEARCH)


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
        "<td title='138 0000 1001'>x</td><td title='138 0000 1001'>y</td>",
    ],
)
def test_each_way_a_phone_is_split_reads_as_before(text: str) -> None:
    found = ["n张三", "p13800001001"] if "张" in text else ["p13800001001"]
    assert _same_reading("a.html", text, _SEARCH) == found
