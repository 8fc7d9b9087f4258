"""The public texts are searched a few thousand at a time: the texts found are those each text alone gives."""

from __future__ import annotations

from typing import cast
from unittest import mock

from hypothesis import example, given, settings
from hypothesis import strategies as st

from reportgen.model import Record
from reportgen.privacy import PrivateSearch, PrivateValue, PublicText
from reportgen.validate import published


def _search() -> PrivateSearch:
    """A private phone and two private names, one of them inside a public name."""
    phone = PrivateValue("13800001001", "e/E1.yaml", "E1", "contact.phone", "联系人电话", "13800001001", True)
    names = [PrivateValue(n, f"e/{n}.yaml", n, "contact.name", "联系人", n, False) for n in ("雷雨", "王芳芳")]
    public = [PublicText(cast(Record, None), "name", "名称", "雷雨声公司", False)]
    return PrivateSearch([phone, *names], public)


def _texts(parts: list[str]) -> list[PublicText]:
    return [PublicText(cast(Record, None), "title", "标题", text, False) for text in parts]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.lists(
            st.sampled_from(["雷", "雨", "声", "公司", "王芳", "芳", "138", "0000", "1001", " ", "-"]), max_size=4
        ).map("".join),
        max_size=12,
    ),
    st.integers(min_value=1, max_value=5),
)
@example(["雷", "雨声", "13800001001", "王芳", "芳"], 1)
@example(["138000", "01001", "雷雨"], 2)
def test_texts_searched_a_few_at_a_time_are_found_as_each_alone(parts: list[str], at_once: int) -> None:
    search, texts = _search(), _texts(parts)
    alone = {i for i, text in enumerate(texts) if published._found_in([text], search)}
    with mock.patch.object(published, "SEARCHED_AT_ONCE", at_once):
        assert published._with_findings(texts, search) == alone


def test_a_text_after_the_first_few_thousand_is_found_at_its_own_index() -> None:
    texts = _texts(["平常的标题"] * (published.SEARCHED_AT_ONCE + 2) + ["联系雷雨", "电话 138 0000 1001"])
    assert published._with_findings(texts, _search()) == {
        published.SEARCHED_AT_ONCE + 2,
        published.SEARCHED_AT_ONCE + 3,
    }
