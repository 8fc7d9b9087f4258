"""The leak search's shortcuts find exactly what the plain search finds (``privacy.PrivateSearch``)."""

from __future__ import annotations

import unicodedata
from typing import cast

from hypothesis import example, given, settings
from hypothesis import strategies as st

from reportgen.model import Record
from reportgen.plaintext import _nfkc, phone_runs, visible
from reportgen.privacy import PrivateSearch, PrivateValue, PublicText, _digits_of
from reportgen.publish.leakscan import _keys_in, _lines_apart

PHONES = ("13800001001", "03948234567", "0394823456")


def _search(phones: tuple[str, ...] = PHONES) -> PrivateSearch:
    entries = [PrivateValue(p, f"e/{p}.yaml", p, "contact.phone", "联系人电话", p, True) for p in phones]
    return PrivateSearch(entries, [])


def _plain(search: PrivateSearch, text: str) -> list[tuple[int, int, str]]:
    """What reading every digit run finds, without the shortcut."""
    return [(run.start, run.end, run.digits) for run in phone_runs(text) if run.digits in search.phones]


def _found(search: PrivateSearch, text: str) -> list[tuple[int, int, str]]:
    return [(run.start, run.end, entry.key) for run, entry in search.phones_in(text)]


def test_a_phone_hidden_by_separators_full_width_or_other_digits_is_found() -> None:
    search = _search()
    assert _found(search, "电话 138 0000-1001。") == [(3, 16, "13800001001")]
    assert _found(search, "+86 (0394) 823 4567") == [(1, 19, "03948234567"), (5, 19, "03948234567")]
    assert _found(search, "١٣٨٠٠٠٠١٠٠١") == [(0, 11, "13800001001")]  # Arabic-Indic digits, as phone_runs reads them


def test_digits_that_hold_a_private_number_inside_a_longer_one_are_not_a_phone() -> None:
    search = _search()
    assert _found(search, "编号 213800001001，共 1380000100 件") == []
    assert _found(search, "2021年9月30日 13 8 0 件") == []


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(PHONES),
            st.text(alphabet="0123456789１٣", min_size=1, max_size=6),
            st.sampled_from([" ", "-", "\x00", "(", ")", "+86 ", "0086", "年", "件", "<", "\n", ""]),
        ),
        max_size=20,
    )
)
def test_the_shortcut_finds_what_reading_every_digit_run_finds(parts: list[str]) -> None:
    search = _search()
    text = "".join(parts)
    assert _found(search, text) == _plain(search, text)


# the full-width marks folded first, their neighbours, combining marks, and characters NFKC composes or expands
_FOLDED_OR_NOT = st.sampled_from(
    "，（）：；！？％\u3000,()ａＡ１e\u0301\u0327\u0323\u00c5\u212b\ufb01\u2460한\u1100\u1161가"
)


@settings(max_examples=400)
@given(st.lists(st.one_of(_FOLDED_OR_NOT, st.characters()), max_size=30).map("".join))
def test_visible_text_is_nfkc_made_the_quick_way(text: str) -> None:
    assert _nfkc(text) == unicodedata.normalize("NFKC", text)


def _every_digit(text: str) -> str:
    return "".join(str(unicodedata.decimal(char)) for char in text if char.isdecimal())


@given(st.text(st.sampled_from("0123456789０１２３٣ 。a\n-—中文·\x00")))
def test_the_digits_of_a_text_are_every_digit_in_order(text: str) -> None:
    assert _digits_of(text) == _every_digit(text)


def test_the_digits_of_every_character_are_read() -> None:
    """Every code point in one text (another script's digits read the slow way), and the characters read the quick
    way: U+0000-U+063F and U+2000-U+9FFF."""
    everything = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code < 0xE000)
    quick = "".join(chr(code) for code in (*range(0x640), *range(0x2000, 0xA000)))
    assert _digits_of(everything) == _every_digit(everything)
    assert _digits_of(quick) == _every_digit(quick) == "0123456789"


def _names_search() -> PrivateSearch:
    """Private phones and names, one of them inside a public name (a container the expression also matches)."""
    entries = _search().phones.values()
    names = [PrivateValue(n, f"e/{n}.yaml", n, "contact.name", "联系人", n, False) for n in ("雷雨", "Li", "王芳芳")]
    public = [PublicText(cast(Record, None), "name", "名称", "雷雨声公司", False)]
    return PrivateSearch([*entries, *names], public)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.lists(
            st.sampled_from(
                ["雷", "雨", "声", "公司", "Li", "ly", "王芳", "芳", "138", "0000", "1001", " ", "-", ",", "&amp;"]
            ),
            max_size=3,
        ).map("".join),
        min_size=1,
        max_size=30,
    ),
    st.sampled_from(["\n", "\r\n"]),
)
@example(["公司", "公司雷", "雨"], "\n")  # a name across a line end: never cut there
@example(["公司", "公司138-", "0000-1001"], "\r\n")  # a phone across a line end
@example(["公司", "公司 Li", "ly"], "\n")  # Li in Lily is not a name, in either part
def test_a_big_csv_searched_in_parts_of_lines_finds_what_the_whole_finds(lines: list[str], end: str) -> None:
    search = _names_search()
    data = end.join(lines).encode("utf-8")
    parts = list(_lines_apart(data, search, size=2))  # a cut wherever one may be made, after 8 bytes
    assert b"".join(parts) == data
    apart = {key for part in parts for key in _keys_in(search, visible(part.decode("utf-8")))}
    assert apart == set(_keys_in(search, visible(data.decode("utf-8"))))
