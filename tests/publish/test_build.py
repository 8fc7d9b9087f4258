"""The build: manifest, atomic output, no-op and incremental rebuilds, frozen issued bulletins."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from reportgen import filewalk
from reportgen.cli import main
from reportgen.publish import build as build_module
from reportgen.publish import cache, hashing
from reportgen.publish.build import BuildOptions, BuildResult, build
from tests.compute.scenario import scenario_files, write_repository

SEPTEMBER_TEXT = """---
kind: monthly
period: "2021-09"
number: 9
issued: 2021-10-08
---
## 典型案例

企业1有限公司用电问题当天解决。
"""


def make_office(tmp_path: Path, extra: dict[str, Any] | None = None) -> Path:
    files = scenario_files()
    files["bulletins/2021-09-monthly.md"] = SEPTEMBER_TEXT
    files.update(extra or {})
    return write_repository(tmp_path / "records", files)


def run(records: Path, out: Path, **kw: Any) -> BuildResult:
    return build(BuildOptions(records, out, pdf=False, **kw))


def retitled(records: Path) -> None:
    """Q0003 (raised in September) given the title 用地指标问题, written in place."""
    path = records / "issues/2021-09/Q0003.yaml"
    path.write_text(path.read_text("utf-8").replace("title: 用地问题", "title: 用地指标问题"), "utf-8")


def tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_build_writes_bulletins_and_manifest(tmp_path: Path) -> None:
    records, out = make_office(tmp_path), tmp_path / "output"
    result = run(records, out)
    assert result.ok, result.report.problems
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    ids = [entry["id"] for entry in manifest]
    assert ids == [
        "2021-08-monthly",
        "2021-09-monthly",
        "2021-10-monthly",
        "2021-11-monthly",
        "2021-Q3-quarterly",
        "2021-Q4-quarterly",
        "2021-annual",
    ]
    september = manifest[1]
    assert (september["kind"], september["period"], september["pdf"]) == ("monthly", "2021-09", None)
    assert september["doc_number"] == "测助企〔2021〕9号"
    html = (out / september["html"]).read_bytes()
    assert september["sha256"] == {september["html"]: hashlib.sha256(html).hexdigest()}
    assert not list(tmp_path.glob(".output.staging-*"))


def test_a_build_hashes_no_new_record_its_check_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check's SHA-256 of each record it parsed goes into the build's state: a record is read once."""
    records, out = make_office(tmp_path), tmp_path / "output"
    before = tree(records)  # the build adds the frozen figures of the notice it issues: hashed as it writes them
    hashed: list[str] = []
    real = hashing.digests
    monkeypatch.setattr(hashing, "digests", lambda paths: hashed.extend(paths) or real(paths))
    assert run(records, out).ok
    files = cache.load_state(out)["files"]
    kept = {key.removeprefix("records/"): state.sha256 for key, state in files.items() if key.startswith("records/")}
    assert kept == {rel: sha for rel, sha in tree(records).items() if not rel.startswith(".")}
    assert [path for path in hashed if path.endswith(".yaml")] == []
    assert sorted(Path(path).relative_to(records).as_posix() for path in hashed) == sorted(
        rel for rel in before if not rel.endswith(".yaml")
    )


def test_same_records_give_byte_identical_output(tmp_path: Path) -> None:
    records = make_office(tmp_path)
    run(records, tmp_path / "a")
    run(records, tmp_path / "b")
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_invalid_records_leave_the_previous_output_untouched(tmp_path: Path) -> None:
    records, out = make_office(tmp_path), tmp_path / "output"
    run(records, out)
    before = tree(out)
    (records / "issues/2021-09/Q0003.yaml").write_text("id: Q0003\nraised: 2021-02-30\n", "utf-8")
    result = run(records, out)
    assert not result.ok
    assert {p.code for p in result.report.errors} >= {"E205", "E201"}
    assert tree(out) == before


def test_cli_build_failure_exit_code_and_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records, out = make_office(tmp_path), tmp_path / "output"
    (records / "departments/D01.yaml").write_text("id: D01\nname: [\n", "utf-8")
    assert main(["build", str(records), "--out", str(out), "--no-pdf"]) == 1
    err = capsys.readouterr().err
    assert "E101" in err and f"原有的 {out} 未被改动" in err
    assert not out.exists()


def test_noop_rebuild_renders_nothing(tmp_path: Path) -> None:
    records, out = make_office(tmp_path), tmp_path / "output"
    run(records, out)
    before = tree(out)
    again = run(records, out)
    assert again.unchanged and again.html_rendered == 0
    assert tree(out) == before


def test_touching_a_file_without_changing_it_is_still_a_noop(tmp_path: Path) -> None:
    records, out = make_office(tmp_path), tmp_path / "output"
    run(records, out)
    path = records / "issues/2021-09/Q0004.yaml"
    path.write_bytes(path.read_bytes())
    assert run(records, out).unchanged


@pytest.fixture
def trust_listings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Treat every file as older than the racy window (tests cannot age a file's ctime)."""
    monkeypatch.setattr(filewalk, "RACY_NS", 0)


@pytest.mark.usefixtures("trust_listings")
def test_a_noop_rebuild_decides_from_the_listing_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    records, out = make_office(tmp_path), tmp_path / "output"
    assert run(records, out).ok  # writes records/frozen/2021-09-monthly.json: its listing is stale
    assert not (tmp_path / ".output.cache/fingerprint").exists()
    assert run(records, out).unchanged  # decided from the state; remembers the listing
    assert (tmp_path / ".output.cache/fingerprint").is_file()

    def no_comparison(*args: Any, **kwargs: Any) -> cache.Changes:
        raise AssertionError("a no-op build must not compare the files with the build state")

    monkeypatch.setattr(cache, "detect_changes", no_comparison)
    again = run(records, out)
    assert again.unchanged and again.html_reused == 7


def _built_twice(tmp_path: Path) -> tuple[Path, Path]:
    """The sample office's records and output, built and then built again as a no-op (the listing is saved)."""
    records, out = make_office(tmp_path), tmp_path / "output"
    assert run(records, out).ok
    assert run(records, out).unchanged
    return records, out


def _counted_state_loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The output folders ``cache.load_state`` is asked for from now on."""
    asked: list[Path] = []
    real = cache.load_state

    def counted(out: Path) -> dict[str, Any]:
        asked.append(out)
        return real(out)

    monkeypatch.setattr(cache, "load_state", counted)
    return asked


@pytest.mark.usefixtures("trust_listings")
def test_a_build_with_work_loads_its_state_once_while_the_inputs_are_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records, out = _built_twice(tmp_path)
    path = records / "issues/2021-09/Q0003.yaml"
    edited = records / "issues/2021-09/.Q0003.yaml.new"  # saved by a rename, as sed -i and git do
    edited.write_text(path.read_text("utf-8").replace("title: 用地问题", "title: 用水问题"), "utf-8")
    edited.replace(path)
    asked = _counted_state_loads(monkeypatch)
    result = run(records, out)
    assert result.ok and not result.unchanged
    assert asked == [out.resolve()]
    assert "用水问题" in (out / "bulletins/2021-09-monthly.html").read_text("utf-8")


@pytest.mark.usefixtures("trust_listings")
def test_a_folder_touched_without_an_input_changed_is_still_a_noop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records, out = _built_twice(tmp_path)
    (records / "issues/2021-09/.Q0003.yaml.swp").write_text("an editor's", "utf-8")  # hidden: not an input
    asked = _counted_state_loads(monkeypatch)
    again = run(records, out)
    assert again.unchanged and again.html_reused == 7
    assert asked == [out.resolve()]  # loaded ahead, as by every build that lists its inputs


@pytest.mark.usefixtures("trust_listings")
def test_an_edit_saved_in_place_has_the_state_and_pipeline_loaded_while_the_inputs_are_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It changes no folder: nothing before the listing tells it from a no-op, so the look-ahead is always done."""
    records, out = _built_twice(tmp_path)
    assert (tmp_path / ".output.cache/fingerprint").is_file()  # the build's first look is the listing
    ahead = build_module._ahead
    looked: list[Path] = []

    def looking_ahead(out: Path) -> dict[str, Any]:
        looked.append(out)
        return ahead(out)

    monkeypatch.setattr(build_module, "_ahead", looking_ahead)
    asked = _counted_state_loads(monkeypatch)
    retitled(records)
    result = run(records, out)
    assert result.ok and not result.unchanged
    assert looked == asked == [out.resolve()]
    assert "用地指标问题" in (out / "bulletins/2021-09-monthly.html").read_text("utf-8")


@pytest.mark.usefixtures("trust_listings")
def test_an_edit_keeping_size_and_mtime_is_rebuilt(tmp_path: Path) -> None:
    records, out = make_office(tmp_path), tmp_path / "output"
    assert run(records, out).ok
    path = records / "issues/2021-09/Q0003.yaml"
    stat = path.stat()
    text = path.read_text("utf-8")
    edited = text.replace("title: 用地问题", "title: 用水问题")  # same size in bytes
    assert len(edited.encode()) == len(text.encode())
    path.write_text(edited, "utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # put the old mtime back
    result = run(records, out)
    assert result.ok and not result.unchanged
    assert "用水问题" in (out / "bulletins/2021-09-monthly.html").read_text("utf-8")


def test_a_racy_listing_is_never_trusted(tmp_path: Path) -> None:
    records, out = make_office(tmp_path), tmp_path / "output"
    assert run(records, out).ok  # every file was written just now: too recent to trust
    assert not (tmp_path / ".output.cache/fingerprint").exists()
    assert run(records, out).unchanged  # decided from the state and content hashes instead


def test_one_changed_october_issue_rerenders_only_the_periods_it_feeds(tmp_path: Path) -> None:
    records, out = make_office(tmp_path), tmp_path / "output"
    run(records, out)
    retitled(records)
    result = run(records, out)
    assert result.ok
    # Q0003 was raised in September: August and nothing before it can change
    assert result.html_reused == 1  # 2021-08-monthly
    assert result.html_rendered == 6  # September to November, Q3, Q4 and the 2021 annual assessment
    assert "用地指标问题" in (out / "bulletins/2021-09-monthly.html").read_text("utf-8")


def test_issued_bulletin_is_frozen_then_a_later_change_is_flagged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records, out = make_office(tmp_path), tmp_path / "output"
    assert main(["check", str(records)]) == 0
    assert "W607" in capsys.readouterr().out  # issued, figures not recorded yet
    assert run(records, out).ok
    frozen = json.loads((records / "frozen/2021-09-monthly.json").read_text("utf-8"))
    assert frozen["figures"]["cumulative.issues_resolved"] == 2
    assert main(["check", str(records)]) == 0
    assert "W60" not in capsys.readouterr().out
    # Q0002 turns out to have been resolved only in October
    path = records / "issues/2021-08/Q0002.yaml"
    path.write_text(
        path.read_text("utf-8").replace("2021-09-10", "2021-10-10").replace("2021-09-12", "2021-10-12"), "utf-8"
    )
    assert main(["check", str(records)]) == 0
    output = capsys.readouterr().out
    assert "W606" in output and "累计·已解决问题 2 → 1" in output
    assert main(["check", str(records), "--strict"]) == 1
    result = run(records, out)
    september = next(b for b in result.bulletins if b.id == "2021-09-monthly")
    assert ("cumulative.issues_resolved", 2, 1) in [(c.key, c.issued, c.now) for c in september.changes]


def test_a_broken_office_template_fails_the_build_with_its_line(tmp_path: Path) -> None:
    records, out = make_office(tmp_path), tmp_path / "output"
    assert run(records, out).ok
    before = tree(out)
    broken = tmp_path / "templates/bulletin/monthly.html.j2"
    broken.parent.mkdir(parents=True)
    broken.write_text("<p>\n{% if %}\n", "utf-8")
    result = run(records, out)
    assert not result.ok
    assert result.error is not None and str(result.error).startswith("模板错误：")
    assert "monthly.html.j2:2: " in str(result.error)
    assert tree(out) == before


def test_a_check_cache_found_damaged_as_a_build_reads_it_is_removed_and_the_records_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path / "cache"))
    records, out = make_office(tmp_path), tmp_path / "output"
    old = time.time() - 60  # older than the racy window: the check cache is trusted
    for path in records.rglob("*.yaml"):
        os.utime(path, (old, old))
    assert main(["build", str(records), "--out", str(out), "--no-pdf"]) == 0
    [cached] = (tmp_path / "cache").glob("*/files.pickle")
    data = cached.read_bytes()
    name = "区自然资源局".encode()  # a department's name: in its part's values only, read as the site is made
    assert data.count(name) == 1
    cached.write_bytes(data.replace(name, "区自然资源所".encode()))
    issue = records / "issues/2021-09/Q0004.yaml"
    issue.write_text(issue.read_text("utf-8").replace("title: ", "title: 核实后：", 1), "utf-8")
    capsys.readouterr()
    assert main(["build", str(records), "--out", str(out), "--no-pdf"]) == 0
    err = capsys.readouterr().err
    assert err.count("校验缓存已损坏并已删除，重新读取全部记录……") == 1 and "无法" not in err
    shutil.rmtree(tmp_path / "cache")
    run(records, tmp_path / "cold")
    assert tree(out) == tree(tmp_path / "cold")


def test_a_rebuild_keeping_every_bulletin_looks_up_no_font(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    records, out = make_office(tmp_path), tmp_path / "output"
    august = ("2021-08",)
    assert run(records, out, periods=august).html_rendered == 1  # its glyphs checked against the fonts
    retitled(records)  # Q0003, raised in September: August's bulletin holds

    def looked_up(*_: object) -> None:
        raise AssertionError("fonts looked up")

    monkeypatch.setattr("reportgen.render.fonts.font_set", looked_up)
    result = run(records, out, periods=august)
    assert result.ok and not result.unchanged, result.report.problems
    assert (result.html_reused, result.html_rendered) == (1, 0)


@pytest.mark.usefixtures("trust_listings")
def test_a_build_given_its_inputs_listed_does_not_list_them_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records, out = make_office(tmp_path), tmp_path / "output"
    assert run(records, out).ok
    retitled(records)
    options = BuildOptions(records, out, pdf=False)
    listed = cache.list_inputs(records, options.templates_dir, options.key())  # as the preview's watcher lists them

    def listing_again(*_: object) -> None:
        raise AssertionError("the inputs listed again")

    monkeypatch.setattr(cache, "PendingInputs", listing_again)
    result = build(options, listed=listed)
    assert result.ok and (result.html_reused, result.html_rendered) == (1, 6)
    monkeypatch.undo()
    assert run(records, tmp_path / "cold").ok
    assert tree(out) == tree(tmp_path / "cold")
