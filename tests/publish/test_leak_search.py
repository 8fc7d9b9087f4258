"""The leak search's shortcuts find exactly what the plain search finds (``privacy.PrivateSearch``)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen.plaintext import phone_runs
from reportgen.privacy import PrivateSearch, PrivateValue

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
