"""What the check keeps while it locates problems: the last few trees parsed again, a shared tuple of years a file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from reportgen.load import SourceFile
from reportgen.model import Record
from reportgen.schema.kinds import KINDS_BY_NAME
from reportgen.validate import locate
from reportgen.validate.incremental import _years_by_file


def test_a_file_parsed_again_is_located_the_same_once_its_tree_was_let_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(locate, "PARSED_KEPT", 2)
    kind = KINDS_BY_NAME["staff"]
    sources = {}
    for i in range(4):
        path = tmp_path / f"S00{i}.yaml"
        path.write_text(f"id: S00{i}\nname: 张{i}\n" + "note: x\n" * i, "utf-8")
        sources[str(path)] = SourceFile(str(path), str(path), kind)
    locator = locate.Locator(sources)
    parsed: list[str] = []
    load = locate.load_file
    monkeypatch.setattr(locate, "load_file", lambda source: parsed.append(source.display) or load(source))
    files = list(sources)
    seen = [locator.at(f, "name") for f in [*files, files[3], files[0]]]
    assert seen == [(2, 7), (2, 7), (2, 7), (2, 7), (2, 7), (2, 7)]
    assert parsed == [*files, files[0]]  # the last two kept: the fourth again from memory, the first parsed again
    assert list(locator._parsed) == [files[3], files[0]]


def test_each_file_s_calendar_years_sorted_and_shared_between_files() -> None:
    a, b, c = (Record("issue", i, f"issues/{i}.yaml", {}) for i in ("Q1", "Q2", "Q3"))
    dates = [(2022, a), (2021, a), (2022, a), (2021, b), (2022, b), (2023, c)]
    years = _years_by_file((record, "raised", dt.date(year, 1, 1)) for year, record in dates)
    assert years == {"issues/Q1.yaml": (2021, 2022), "issues/Q2.yaml": (2021, 2022), "issues/Q3.yaml": (2023,)}
    assert years["issues/Q1.yaml"] is years["issues/Q2.yaml"]


def test_a_locator_reads_the_sources_of_results_by_display_name(tmp_path: Path) -> None:
    from reportgen.validate.record import FileResult

    path = tmp_path / "S001.yaml"
    path.write_text("id: S001\nname: 张三\nphone: 1\n", "utf-8")
    source = SourceFile(str(path), str(path), KINDS_BY_NAME["staff"])
    sources = locate.SourcesOf({str(path): FileResult(source, None, [])})
    assert (dict(sources), len(sources), sources.get("elsewhere.yaml")) == ({str(path): source}, 1, None)
    assert locate.Locator(sources).at(str(path), "phone") == (3, 8)
