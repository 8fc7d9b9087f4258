"""The privacy search kept between checks (``privacy.PrivateSearch``): its expression is not pickled, and a
check after an edit that searches only short texts finds the same without compiling it."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen import privacy
from reportgen.model import Record
from reportgen.plaintext import compact
from reportgen.privacy import PrivateSearch, PrivateValue, PublicText, record_texts, search_for
from reportgen.validate import check_repository
from tests.validate.test_incremental_check import synth_office


def _search(office: Path) -> PrivateSearch:
    records = check_repository(office, jobs=1, use_cache=False).records
    found = record_texts(records)
    return PrivateSearch(found.private, found.public)


def test_a_loaded_search_finds_what_the_compiled_one_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made = _search(synth_office(tmp_path, monkeypatch))
    name = sorted(made.names)[0]
    texts = [compact(f"企业联系人{name}表示满意"), compact("企业表示满意"), compact(f"{name}{name}")]
    expected = [list(made.names_in(text)) for text in texts]
    assert expected[0] and not expected[1]
    loaded = pickle.loads(pickle.dumps(made))
    assert "_pattern" not in loaded.__dict__
    assert list(loaded.names_in(texts[1])) == []
    assert "_pattern" not in loaded.__dict__  # nothing there: not compiled
    assert [list(loaded.names_in(text)) for text in texts] == expected
    assert "_pattern" not in loaded.__dict__  # a name there: found by an expression of the words there
    assert loaded.name_pattern == made.name_pattern != ""


def test_a_long_text_is_searched_compiled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made = _search(synth_office(tmp_path, monkeypatch))
    loaded = pickle.loads(pickle.dumps(made))
    monkeypatch.setattr(privacy, "LOOKED_THROUGH", 0)
    monkeypatch.setattr(privacy, "LOOKED_AS_IS", 0)
    assert list(loaded.names_in(compact("企业表示满意"))) == []
    assert "_pattern" in loaded.__dict__


def test_a_check_after_a_title_edit_does_not_compile_the_search(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    office = synth_office(tmp_path, monkeypatch)
    check_repository(office, jobs=1)
    issue = sorted((office / "issues").rglob("*.yaml"))[7]
    text = issue.read_text(encoding="utf-8")
    issue.write_text(text.replace("\ntitle: ", "\ntitle: 核实后：", 1), encoding="utf-8")
    warm = check_repository(office, jobs=1)
    cold = check_repository(office, jobs=1, use_cache=False)
    assert [(p, dict(p.params)) for p in warm.report.problems] == [(p, dict(p.params)) for p in cold.report.problems]
    assert "_pattern" not in search_for(warm.records).__dict__


_NAMES = ["张三", "张三丰", "李四", "Li", "王五", "王五金店", "赵六一二三四五", "赵六一二", "钱七"]
_PRIVATE = ["张三", "李四", "Li", "王五", "赵六一二", "钱七", "赵六一二三四五"]  # 钱七 also public: not searched for
_PUBLIC = ["张三丰", "王五金店", "钱七"]


def _made(private: list[str], public: list[str]) -> PrivateSearch:
    entries = [
        PrivateValue(n, f"e/{i}.yaml", str(i), "contact.name", "联系人", n, False) for i, n in enumerate(private)
    ]
    record = Record("enterprise", "p", "e/p.yaml", {})
    return PrivateSearch(entries, [PublicText(record, "name", "名称", name, False) for name in public])


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([*_NAMES, "x", "ly", "一", "丰", "金", "店", "四五", "，"]), max_size=30))
def test_the_words_in_a_text_find_what_the_compiled_expression_finds(parts: list[str]) -> None:
    search = _made(_PRIVATE, _PUBLIC)
    text = compact("".join(parts))
    by_words = list(search.names_in(text))
    assert "_pattern" not in search.__dict__
    compiled = _made(
        ["张三", "李四", "Li", "王五", "赵六一二", "钱七", "赵六一二三四五"], ["张三丰", "王五金店", "钱七"]
    )
    compiled.compile()
    assert by_words == list(compiled.names_in(text))


def test_past_the_characters_looked_through_the_expression_is_compiled(monkeypatch: pytest.MonkeyPatch) -> None:
    search = _made(["张三", "王五"], ["王五金店"])
    monkeypatch.setattr(privacy, "LOOKED_AS_IS", 0)
    monkeypatch.setattr(privacy, "LOOKED_THROUGH", 10)
    assert [entry.value for _, entry in search.names_in("张三和王五金店")] == ["张三"]
    assert "_pattern" not in search.__dict__  # 7 characters looked through
    assert [entry.value for _, entry in search.names_in("王五来电张三")] == ["王五", "张三"]
    assert "_pattern" in search.__dict__  # 13: past the 10


def test_a_loaded_search_has_looked_through_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    search = _made(["张三", "王五"], ["王五金店"])
    monkeypatch.setattr(privacy, "LOOKED_AS_IS", 0)
    monkeypatch.setattr(privacy, "LOOKED_THROUGH", 10)
    assert [entry.value for _, entry in search.names_in("张三和王五")] == ["张三", "王五"]
    loaded = pickle.loads(pickle.dumps(search))  # the check's search, loaded by the next build
    assert [entry.value for _, entry in loaded.names_in("张三和王五")] == ["张三", "王五"]
    assert "_pattern" not in loaded.__dict__  # 5 characters here, not 10
