"""The privacy search kept between checks (``privacy.PrivateSearch``): its expression is not pickled, and a
check after an edit that searches only short texts finds the same without compiling it."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from reportgen import privacy
from reportgen.plaintext import compact
from reportgen.privacy import PrivateSearch, record_texts, search_for
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
    assert "_pattern" in loaded.__dict__  # a name there: compiled to find where
    assert loaded.name_pattern == made.name_pattern != ""


def test_a_long_text_is_searched_compiled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made = _search(synth_office(tmp_path, monkeypatch))
    loaded = pickle.loads(pickle.dumps(made))
    monkeypatch.setattr(privacy, "LOOKED_THROUGH", 0)
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
