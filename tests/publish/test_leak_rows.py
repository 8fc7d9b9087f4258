"""A page searched line by line (``leakrows``) finds exactly what the page searched whole finds.

Compared on every markup file of the sample builds (the internal site shows private values),
on pages made of generated lines where a phone number, a name or an attribute value may run
across any cut, and on the cases each rule of a safe cut is there for.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from hypothesis import example, given, settings
from hypothesis import strategies as st

from reportgen.model import Record, Records
from reportgen.privacy import PrivateSearch, PrivateValue, PublicText, search_for
from reportgen.publish.leakrows import Before, ReadWhole, Rows
from reportgen.publish.leakscan import _keys_in, _markup_read, _readable

pytest_plugins = ["tests.site.fixtures"]


def _search() -> PrivateSearch:
    """Phones and names to find, one of the names inside a public one, one Latin."""
    values = [("13800001001", True), ("03948234567", True), ("张三", False), ("Li", False), ("王五", False)]
    entries = [PrivateValue(v, f"e/{i}.yaml", str(i), "contact.x", "联系人", v, p) for i, (v, p) in enumerate(values)]
    return PrivateSearch(
        entries, [PublicText(Record("enterprise", "p", "e/p.yaml", {}), "name", "名称", "王五金店", False)]
    )


def _both(search: PrivateSearch, data: bytes, rows: Rows | None = None) -> list[str] | None:
    """The keys found line by line, asserted equal to those found reading ``data`` whole."""
    try:
        whole: list[str] | None = _keys_in(search, _readable("a.html", data.decode("utf-8")))
    except UnicodeDecodeError:
        whole = None
    by_rows = (rows or Rows(search)).keys(data, functools.partial(_markup_read, search))
    assert by_rows == whole
    return by_rows


def test_every_page_of_the_sample_builds_reads_as_whole(
    public_site: dict[str, bytes], internal_site: dict[str, bytes], records: Records
) -> None:
    search = search_for(records)
    rows = Rows(search)  # one for every file, as in a process of the build
    pages, found = 0, 0
    for path, data in [*public_site.items(), *internal_site.items()]:
        if path.endswith((".html", ".xml", ".atom", ".svg")) and b"<!--" not in data:
            pages += 1
            found += bool(_both(search, data, rows))
    assert pages > 20
    assert found > 0  # the internal site shows private values


_LINES = [
    "<td>138</td>",
    "<td>0000 1001</td>",
    "<td>13800001001</td>",
    "<td>1</td>",
    "<td>0394-</td>",
    "<td>8234567</td>",
    "<td>张</td>",
    "<td>三</td>",
    "<td>张三</td>",
    "<td>王五</td>",
    "<td>金店</td>",
    "<td>Li</td>",
    "<td>ly</td>",
    "<td>x Li</td>",
    "<td>x</td>",
    "<td>电话138</td>",
    "<td>0000 1001号</td>",
    '<a title="张三',
    ' ">',
    "<td>—</td>",
    "<td>-</td>",
    "<tr>",
    "</tr>",
    "<tr id='Q1' data-status=\"办理中\">",
    '<a title="张',
    '三">',
    '<b title="',
    "' data-x='13800001001'>",
    "x='",
    "<td>2021年8月2日</td>",
    "<td>Q00002</td>",
    "<td>&#49;38</td>",
    "<td>\u200b</td>",
    "<td>１３８</td>",
    "<td>e\u0301</td>",
    "<td>\u0301</td>",
    "<p>",
    "",
    ">",
    "x",
]
_ENDS = ["\n", "\n  ", "\n<", "\n\n", ">\n", "\nx", " ", ""]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_LINES), st.sampled_from(_ENDS)), max_size=16))
@example([("<td>138</td>", "\n"), ("<td>0000 1001</td>", "\n")])
@example([("<td>张</td>", "\n"), ("<tr>", "\n"), ("<td>三</td>", "\n")])
@example([("<td>x Li</td>", "\n"), ("<td>ly</td>", "\n")])
@example([('<a title="张', ">\n"), ('三">', "\n")])
@example([("<td>1</td>", "\n"), ("<td>1</td>", "\n")])
@example([("<td>x</td>", "\n"), ("<td>Li</td>", "\n")])
@example([("<td>电话138</td>", "\n"), ("<td>0000 1001号</td>", "\n")])
@example([('<a title="张三', ">\n"), (' ">', "\n")])
def test_generated_pages_read_as_whole(lines: list[tuple[str, str]]) -> None:
    data = "".join(line + end for line, end in lines).encode()
    if b"<!--" not in data:
        _both(_SEARCH, data)


_SEARCH = _search()


def test_what_runs_across_a_cut_is_found() -> None:
    rows = Rows(_SEARCH)
    assert _both(_SEARCH, b"<td>138</td>\n<td>0000</td>\n<td>1001</td>\n", rows) == ["p13800001001"]
    assert _both(_SEARCH, b"<td>\xe5\xbc\xa0</td>\n  <tr>\n<td>\xe4\xb8\x89</td>\n", rows) == ["n张三"]
    assert _both(_SEARCH, b'<a title="x>\n 13800001001">y</a>\n', rows) == ["p13800001001"]
    assert _both(_SEARCH, '<a title="张三>\n ">y</a>\n'.encode(), rows) == ["n张三"]  # in a value, after a tag
    assert _both(_SEARCH, "<td>电话138</td>\n<td>0000 1001号</td>\n".encode(), rows) == ["p13800001001"]
    assert _both(_SEARCH, b"<td>x</td>\n<td>Li</td>\n", rows) == []
    assert _both(_SEARCH, b"<td>Li</td>\n<td>ly</td>\n", rows) == []  # a Latin word, not the name
    assert _both(_SEARCH, "<td>王五</td>\n<td>金店</td>\n".encode(), rows) == []  # inside a public name
    assert _both(_SEARCH, "<td>王五</td>\n<td>。</td>\n".encode(), rows) == ["n王五"]


def _recording() -> tuple[list[str], Callable[[list[str]], tuple[list[str], list[str]]]]:
    """The texts read, and a reader of markup texts that notes them there."""
    read: list[str] = []

    def reading(texts: list[str]) -> tuple[list[str], list[str]]:
        read.extend(texts)
        return _markup_read(_SEARCH, texts)

    return read, reading


def test_a_line_read_once_is_not_read_again() -> None:
    rows = Rows(_SEARCH)
    read, reading = _recording()

    page = b"<p>a</p>\n<p>b</p>\n"
    assert rows.keys(page, reading) == []
    assert rows.keys(page + b"<p>c</p>\n", reading) == []
    assert read == ["<p>a</p>\n", "<p>b</p>\n", "<p>c</p>\n"]


def _by_parts(search: PrivateSearch, data: bytes, size: int) -> list[str] | None:
    """The keys found reading ``data`` in ``Rows.parts`` of ``size``, each part alone (whole on ``ReadWhole``)."""
    rows = Rows(search)
    read = functools.partial(_markup_read, search)
    try:
        found = [rows.keys(part, read, part=True) for part in rows.parts(data, size)]
    except ReadWhole:
        return rows.keys(data, read)
    if None in found:
        return None
    return sorted({key for keys in found for key in keys or ()})


_TAG_LINES = [line for line in _LINES if line[:1] in ("<", " ")]  # a page that may be cut: every line starts so


@settings(max_examples=3000, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(_TAG_LINES), st.sampled_from(["\n"] * 12 + _ENDS)), max_size=24),
    st.sampled_from([8, 20, 40]),
)
@example([("<td>138</td>", ">\n"), ("<td>0000 1001</td>", ">\n")], 8)
@example([("<td>张</td>", ">\n"), ("<td>三</td>", ">\n")], 8)
@example([("<td>x Li</td>", ">\n"), ("<td>ly</td>", ">\n")], 8)
@example([('<a title="张', ">\n"), ("<td>x</td>", ">\n"), ('三">', ">\n")], 8)
@example([("<td>王五</td>", ">\n"), ("<td>金店</td>", ">\n")], 8)
def test_a_page_read_in_parts_finds_what_the_whole_finds(lines: list[tuple[str, str]], size: int) -> None:
    data = "".join(line + end for line, end in lines).encode()
    if b"<!--" not in data:
        assert _by_parts(_SEARCH, data, size) == _both(_SEARCH, data)
        read = functools.partial(_markup_read, _SEARCH)  # the lines read first (a cold build): the same cuts
        assert Rows(_SEARCH).parts(data, size, read) == Rows(_SEARCH).parts(data, size)


def test_a_page_is_cut_only_where_nothing_is_read_across() -> None:
    rows = Rows(_SEARCH)
    cells = b"".join(f"<td>\xe7\xac\xac{n}\xe8\xa1\x8c</td>\n".encode("latin-1") for n in range(400))  # 第n行
    parts = rows.parts(cells, 200)
    assert len(parts) > 5 and b"".join(parts) == cells
    assert all(part.endswith(b"</td>\n") and part.startswith(b"<td>") for part in parts)
    assert rows.parts(b"<td>1</td>\n<td>2</td>\n" * 100, 40) == [b"<td>1</td>\n<td>2</td>\n" * 100]  # digits join
    assert rows.parts(cells + b"x", 200) == [cells + b"x"]  # not ended by a tag: read whole


def _since(search: PrivateSearch, old: bytes, new: bytes) -> list[str] | None:
    """The keys found in ``new`` by ``keys_since`` the page ``old`` (in which nothing was found), asserted equal to
    those found reading ``new`` whole; None when ``old`` is not a page read by its runs (``Before.of``)."""
    before = Before.of(old, in_parts=False)
    if before is None:
        return None
    rows = Rows(search)
    read = functools.partial(_markup_read, search)
    try:
        since = rows.keys_since(new, read, before)
    except ReadWhole:  # not raised when the page is not a part
        raise AssertionError("ReadWhole for a whole page") from None
    assert since == _both(search, new)
    return since


_ROW_LINES = _TAG_LINES + [f"<tr id='Q{n}'>" for n in range(6)]  # lines written once: where a stretch is found


@settings(max_examples=3000, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(_ROW_LINES), st.sampled_from(["\n"] * 12 + _ENDS)), max_size=16),
    st.lists(st.tuples(st.integers(0, 15), st.sampled_from(_ROW_LINES), st.sampled_from(["\n"] * 12 + _ENDS))),
)
@example([("<td>138</td>", ">\n"), ("<td>x</td>", ">\n")], [(1, "<td>0000 1001</td>", ">\n")])
@example([("<td>张</td>", ">\n"), ("<td>x</td>", ">\n"), ("<td>三</td>", ">\n")], [(1, "<tr>", ">\n")])
@example([("<td>王五</td>", ">\n"), ("<td>金店</td>", ">\n")], [(1, "<td>。</td>", ">\n")])
@example([("<td>x</td>", ">\n"), ("<td>王五</td>", ">\n"), ("<td>金店</td>", ">\n")], [(2, "<td>x</td>", ">\n")])
def test_a_page_read_since_its_last_version_finds_what_the_whole_finds(
    lines: list[tuple[str, str]], changes: list[tuple[int, str, str]]
) -> None:
    old = "".join(line + end for line, end in lines).encode()
    if b"<!--" in old or _both(_SEARCH, old):  # only a page in which nothing was found stands for its runs
        return
    for at, line, end in changes:
        lines[min(at, len(lines)) : at + 1] = [(line, end)]
    new = "".join(line + end for line, end in lines).encode()
    if b"<!--" not in new:
        _since(_SEARCH, old, new)


def test_only_the_runs_a_page_s_last_version_did_not_hold_are_read() -> None:
    rows = Rows(_SEARCH)
    read, reading = _recording()

    cells = [f"<tr><td>第{n}行</td></tr>" for n in range(100)]
    old = "".join(cell + "\n" for cell in cells).encode()
    before = Before.of(old, in_parts=False)
    assert before is not None
    cells[50] = "<tr><td>电话 138 0000 1001（办公室）</td></tr>"
    new = "".join(cell + "\n" for cell in cells).encode()
    assert rows.keys_since(new, reading, before) == ["p13800001001"]
    assert read == ["<tr><td>电话 138 0000 1001（办公室）</td></tr>\n"] * 2  # the changed row only (again alone: found)
    assert Before.of(old.replace(b"<td>", b'<td x="', 1), in_parts=False) is None  # a line may open a value
    assert Before.of(old.replace(b"<td>", b'<td x="', 1), in_parts=True) is not None  # kept in parts: none may
    assert Before.of(old + b"x", in_parts=False) is None  # not ended by a tag: read whole


def test_a_changed_cell_of_rows_that_repeat_lines_is_read_alone() -> None:
    rows = Rows(_SEARCH)
    read, reading = _recording()

    def page(cells: list[str]) -> bytes:
        """Rows as the ledger writes them: a line a cell, many cells alike from row to row."""
        row = '  <tr id="Q{n}">\n    <td>第{n}行</td>\n    {cell}\n    <td>—</td>\n  </tr>\n'
        body = "".join(row.format(n=n, cell=cell) for n, cell in enumerate(cells))
        return f"<table>\n{body}</table>\n".encode()

    cells = ["<td>满意</td>"] * 60
    before = Before.of(page(cells), in_parts=False)
    assert before is not None
    cells[30] = "<td>电话 138 0000 1001（办公室）</td>"
    new = page(cells)
    assert before.places(new.split(b">\n")[:-1]) == [*range(153), None, *range(154, 302)]  # row 30's cell
    assert rows.keys_since(new, reading, before) == ["p13800001001"]
    assert read == ["    <td>电话 138 0000 1001（办公室）</td>\n"] * 2  # the changed cell only (again alone: found)
