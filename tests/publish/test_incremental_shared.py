"""After one changed title the site's shared files are kept or made from what was kept, and equal a cold build's."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jinja2
import pytest

from reportgen.codeversion import code_version
from reportgen.compute.periods import Period
from reportgen.compute.persisted import PersistedEngine
from reportgen.publish.pagestore import FIGURES_FILE
from reportgen.render import environment
from reportgen.render.environment import COMPILED
from reportgen.render.site import builder
from reportgen.render.site.builder import SiteBuilder
from tests.modules import bench_synth
from tests.publish.test_build import make_office, run, tree

ISSUE = "issues/2021-09/Q0004.yaml"
LISTED = "issues/2021-09/Q0003.yaml"  # an issue the statistics' lists name
CACHE = ".output.cache"


@pytest.fixture(autouse=True)
def _own_check_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path / "check-cache"))


def _retitle(records: Path, prefix: str, issue: str = ISSUE) -> None:
    path = records / issue
    path.write_text(path.read_text("utf-8").replace("\ntitle: ", f"\ntitle: {prefix}", 1), "utf-8")


def _cold(records: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path / "cold-check-cache"))
    assert run(records, tmp_path / "cold").ok
    return tree(tmp_path / "cold")


def _counted(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[object]:
    """Each call of ``owner.name`` from now on, by its first argument."""
    calls: list[object] = []
    original = getattr(owner, name)

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(args[0] if args else None)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counting)
    return calls


def _hashed_by_the_site(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The periods whose statistics' data hash the site asks for while it writes its data files, from now on.

    A build with bulletins works out their periods' hashes beforehand (``pipeline._stamped``).
    """
    hashed: list[object] = []
    inside: list[bool] = []
    data_hash, data_files = PersistedEngine.data_hash, SiteBuilder.data_files

    def counting(self: PersistedEngine, period: Period) -> str:
        if inside:
            hashed.append(period)
        return data_hash(self, period)

    def writing(self: SiteBuilder) -> None:
        inside.append(True)
        try:
            data_files(self)
        finally:
            inside.pop()

    monkeypatch.setattr(PersistedEngine, "data_hash", counting)
    monkeypatch.setattr(SiteBuilder, "data_files", writing)
    return hashed


@pytest.mark.parametrize("one_file", [True, False])
def test_a_title_edit_does_not_measure_the_statistics_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, one_file: bool
) -> None:
    if not one_file:
        monkeypatch.setattr(builder, "STATS_BYTES_MAX", 1000)  # a period's statistics each in a file
    records, out = make_office(tmp_path), tmp_path / "output"
    measured = _counted(monkeypatch, SiteBuilder, "_stats_whole")
    assert run(records, out).ok
    assert len(measured) == 1
    assert (out / "stats").is_dir() != one_file
    _retitle(records, "核实后：")
    assert run(records, out).ok
    assert len(measured) == 1
    assert tree(out) == _cold(records, tmp_path, monkeypatch)


def test_a_damaged_choice_of_the_statistics_files_is_made_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records, out = make_office(tmp_path), tmp_path / "output"
    assert run(records, out).ok
    _retitle(records, "核实后：")
    assert run(records, out).ok
    memo = tmp_path / CACHE / builder.STATS_LAYOUT
    memo.write_bytes(memo.read_bytes()[:-3] + b"xyz")
    measured = _counted(monkeypatch, SiteBuilder, "_stats_whole")
    _retitle(records, "再次")
    assert run(records, out).ok
    assert len(measured) == 1
    monkeypatch.undo()
    assert tree(out) == _cold(records, tmp_path, monkeypatch)


def test_figures_kept_again_are_not_written_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    records, out = make_office(tmp_path), tmp_path / "output"
    assert run(records, out).ok
    _retitle(records, "核实后：")
    assert run(records, out).ok
    kept = tmp_path / CACHE / FIGURES_FILE
    before = kept.stat()
    _retitle(records, "再次")
    assert run(records, out).ok
    assert (kept.stat().st_ino, kept.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert tree(out) == _cold(records, tmp_path, monkeypatch)


def test_templates_are_compiled_once_for_a_code_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    records, out = make_office(tmp_path), tmp_path / "output"
    compiled = _counted(monkeypatch, jinja2.Environment, "compile")
    assert run(records, out).ok
    first = len(compiled)
    assert first > 0
    _retitle(records, "核实后：")
    assert run(records, out).ok
    assert len(compiled) == first
    folders = sorted((tmp_path / CACHE / COMPILED).iterdir())
    assert [folder.name for folder in folders] == [f"{code_version()}-{jinja2.__version__}"]
    monkeypatch.setattr(environment, "code_version", lambda: "another")
    _retitle(records, "再次")
    assert run(records, out).ok
    assert len(compiled) > first
    assert [folder.name for folder in (tmp_path / CACHE / COMPILED).iterdir()] == [f"another-{jinja2.__version__}"]
    monkeypatch.undo()
    assert tree(out) == _cold(records, tmp_path, monkeypatch)


def test_statistics_written_again_for_a_title_are_keyed_by_their_file_not_hashed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(builder, "STATS_BYTES_MAX", 1000)  # a period's statistics each in a file
    records, out = make_office(tmp_path), tmp_path / "output"
    assert run(records, out).ok
    _retitle(records, "核实后：", LISTED)
    assert run(records, out).ok
    hashed = _hashed_by_the_site(monkeypatch)
    _retitle(records, "再次", LISTED)
    assert run(records, out).ok
    assert hashed == []
    showing = sorted(path for path in tree(out) if "再次核实后：".encode() in (out / path).read_bytes())
    assert any(path.startswith("stats/") for path in showing)  # the issue is in a period's lists
    assert tree(out) == _cold(records, tmp_path, monkeypatch)


def test_a_title_on_the_overdue_lists_remakes_their_parts_and_no_other_statistics_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(builder, "STATS_BYTES_MAX", 1000)  # a period's statistics each in a file …
    monkeypatch.setattr(builder, "STATS_LIST_ROWS", 4)  # … every list of five rows or more in parts
    records, out = tmp_path / "records", tmp_path / "output"
    synth = bench_synth()  # 160 issues over four months: dozens overdue
    synth.generate(
        records, synth.Scale(enterprises=30, issues=160, visits=40, seed=5, start=dt.date(2021, 8, 1), months=4)
    )
    assert run(records, out).ok
    stats = sorted(path for path in tree(out) if path.startswith("stats/"))
    before = {path: ((out / path).stat().st_ino, (out / path).read_bytes()) for path in stats}
    part = next(path for path in stats if "/overdue-" in path)  # an overdue list long enough to be in parts
    issue = json.loads((out / part).read_text("utf-8"))[0]["issue"]
    _retitle(records, "核实后：", next(records.glob(f"issues/*/{issue}.yaml")).relative_to(records).as_posix())
    assert run(records, out).ok
    after = {path: ((out / path).stat().st_ino, (out / path).read_bytes()) for path in stats}
    remade = sorted(path for path in stats if after[path][0] != before[path][0])
    changed = sorted(path for path in stats if after[path][1] != before[path][1])
    assert changed and set(changed) <= set(remade)
    assert part in changed
    # the overdue lists' parts (in a period that lists it) and a period's file where its list is short, nothing else
    assert all("/overdue-" in path or path in changed for path in remade)
    assert sum("/by_enterprise-" in path for path in stats) > 0
    assert tree(out) == _cold(records, tmp_path, monkeypatch)
