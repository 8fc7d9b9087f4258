"""The site made by two processes (``render/site/parallel.py``) is the site one process makes, byte for byte.

The same office is built with the site split between a forked child and the build's own
process, and serially; every output file, the page store's map (less the files' stamps),
the kept figures, the leak memo and every problem (a private name found, with the files it
is in, in order) must be the same.  A failure in the child fails the build as it fails a
serial one, and a child killed by the system fails it with a message, never a hang nor a
half site.
"""

from __future__ import annotations

import json
import os
import pickle
import signal
from importlib.resources import files as package_files
from pathlib import Path
from typing import Any

import pytest

from reportgen.model import Records
from reportgen.problems import Problem
from reportgen.publish import leakscan, pipeline
from reportgen.publish.build import BuildOptions, BuildResult, build
from reportgen.publish.sitework import SiteHandover
from reportgen.render.site import parallel
from reportgen.render.site.builder import SiteBuilder
from tests.publish.forks import counted_forks
from tests.publish.test_build import make_office, tree

NAME = "雷雨声"  # a contact's private name, repeated in a visit's summary and on every page


def _leaky_office(tmp_path: Path) -> Path:
    """The scenario office whose contact's private name is on pages of both processes.

    A visit's summary repeats it (a list page: the parent's), and the office's own page
    frame prints it on every page (the ledger and the unit pages: the child's).  Built once
    already: the figures of its issued bulletins are recorded (``freeze``), so the records
    are the same for every build that follows.
    """
    records = make_office(tmp_path)
    enterprise = records / "enterprises/E001.yaml"
    enterprise.write_text(
        enterprise.read_text("utf-8") + f"contact:\n  name: {NAME}\n  phone: '13800000001'\n", "utf-8"
    )
    visit = records / "visits/2021-08/V0001.yaml"
    visit.write_text(visit.read_text("utf-8").replace("了解情况。", f"与{NAME}了解情况。"), "utf-8")
    frame = (package_files("reportgen") / "templates/site/base.html").read_text("utf-8")
    office = records.parent / "templates/site/base.html"
    office.parent.mkdir(parents=True)
    office.write_text(frame.replace("</footer>", f"<p>联系人：{NAME}</p></footer>", 1), "utf-8")
    assert build(BuildOptions(records, tmp_path / "first", pdf=False)).site_files
    return records


def _build(records: Path, out: Path, profile: str, split: bool, monkeypatch: pytest.MonkeyPatch) -> BuildResult:
    """Build with the site split between two processes (every office forks) or made by one.

    Each output has its check cache: the figures' key (``figures.pickle``) says whether the
    check read every file's digest, which a build after another's check does not.
    """
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(out.parent / f"check-cache-{out.name}"))
    monkeypatch.setattr(parallel, "FORK_FROM", 0 if split else 10**9)
    monkeypatch.setattr(SiteHandover, "splits", lambda self: split)  # in every case it is made the same
    return build(BuildOptions(records, out, pdf=False, profile=profile))


def _kept(out: Path) -> dict[str, Any]:
    """The build cache beside ``out``: the page map less the files' stamps, the kept figures, the leak memo."""
    cache = out.with_name(f".{out.name}.cache")
    pages = json.loads((cache / "pages.json").read_text("utf-8"))["files"]
    memo = cache / "leaks.json"
    return {
        "pages": {path: [entry[0], *entry[2:]] for path, entry in pages.items()},
        "figures": _answers(pickle.loads((cache / "figures.pickle").read_bytes()[16:])),
        "leaks": json.loads(memo.read_text("utf-8")) if memo.exists() else None,
    }


def _answers(kept: tuple[Any, ...]) -> tuple[Any, ...]:
    """The kept figures' answers with each group's unpickled (``keptanswers``: a group's order is the build's)."""
    form, key, front, groups = kept
    return form, key, front, {group: pickle.loads(packed) for group, packed in groups.items()}


def _leaks(monkeypatch: pytest.MonkeyPatch) -> list[list[leakscan.Leak]]:
    """What each build's leak search found from now on: every value with every file it is in, in order."""
    found: list[list[leakscan.Leak]] = []
    real = pipeline.leak_problems

    def kept(records: Records, leaks: list[leakscan.Leak], strict: bool) -> list[Problem]:
        found.append(leaks)
        return real(records, leaks, strict)

    monkeypatch.setattr(pipeline, "leak_problems", kept)
    return found


def _problems(result: BuildResult) -> list[dict[str, Any]]:
    return [problem.as_dict("en") for problem in result.report.problems]


@pytest.mark.parametrize("workers", [False, True], ids=["searched-in-process", "searched-by-workers"])
@pytest.mark.parametrize("profile", ["public", "internal"])
def test_a_site_made_by_two_processes_is_the_serial_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, profile: str, workers: bool
) -> None:
    if workers:
        monkeypatch.setattr(leakscan, "WORKER_FROM", 0)
    records = _leaky_office(tmp_path)
    forked, leaks = counted_forks(monkeypatch, parallel), _leaks(monkeypatch)
    split = _build(records, tmp_path / "split", profile, True, monkeypatch)
    assert len(forked) == 1
    serial = _build(records, tmp_path / "serial", profile, False, monkeypatch)
    assert len(forked) == 1
    assert split.ok == serial.ok and split.site_files == serial.site_files
    assert tree(tmp_path / "split") == tree(tmp_path / "serial")
    assert _kept(tmp_path / "split") == _kept(tmp_path / "serial")
    assert _problems(split) == _problems(serial)
    if profile == "public":  # the name is found in files of both processes, named in the serial order
        assert leaks[0] == leaks[1]
        ((leak,),) = leaks[:1]
        site = [path for path in leak.outputs if not path.startswith("bulletins/")]
        assert site[:4] == ["index.html", "archive.html", "ledger.html", "departments/D01.html"]
        assert "lists/all/cum-2021-11/visits.html" in site


def test_a_split_rebuild_after_an_edit_is_a_cold_serial_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    records = _leaky_office(tmp_path)
    assert _build(records, tmp_path / "split", "public", True, monkeypatch).ok
    issue = records / "issues/2021-09/Q0004.yaml"
    issue.write_text(issue.read_text("utf-8").replace("\ntitle: ", "\ntitle: 核实后：", 1), "utf-8")
    again = _build(records, tmp_path / "split", "public", True, monkeypatch)
    cold = _build(records, tmp_path / "serial", "public", False, monkeypatch)
    assert again.ok and cold.ok
    assert _problems(again) == _problems(cold)
    assert tree(tmp_path / "split") == tree(tmp_path / "serial")
    assert _kept(tmp_path / "split")["pages"] == _kept(tmp_path / "serial")["pages"]


def _leftovers(out: Path) -> list[str]:
    return sorted(
        p.name for p in out.parent.iterdir() if p.name.startswith((f".{out.name}.staging-", f".{out.name}.previous"))
    )


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, dict[str, str]]:
    """An office built once, and changed so that the next build is not a no-op."""
    records, out = make_office(tmp_path), tmp_path / "output"
    assert _build(records, out, "public", True, monkeypatch).ok
    (records / "issues").joinpath("touched.txt").write_text("changed\n", "utf-8")
    return records, out, tree(out)


def test_a_defect_in_the_child_fails_the_build_as_serially(
    built: tuple[Path, Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    records, out, before = built

    def broken(self: SiteBuilder, kind: str) -> None:
        raise RuntimeError(f"defect in the {kind} pages")

    monkeypatch.setattr(SiteBuilder, "unit_pages", broken)
    for split in (True, False):
        with pytest.raises(RuntimeError, match=r"^defect in the department pages$"):
            _build(records, out, "public", split, monkeypatch)
        assert tree(out) == before
        assert _leftovers(out) == []


def test_the_failure_a_serial_build_meets_first_is_the_one_reported(
    built: tuple[Path, Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    records, out, before = built

    def broken(name: str) -> Any:
        def fail(self: SiteBuilder, *args: object) -> None:
            raise RuntimeError(f"defect in {name}")

        return fail

    monkeypatch.setattr(SiteBuilder, "unit_pages", broken("the unit pages"))  # the child's, after the ledger
    monkeypatch.setattr(SiteBuilder, "ledger_pages", broken("the ledger"))  # the child's, first in a serial build
    monkeypatch.setattr(SiteBuilder, "metrics_page", broken("the metrics page"))  # the parent's, after both
    for split in (True, False):
        with pytest.raises(RuntimeError, match=r"^defect in the ledger$"):
            _build(records, out, "public", split, monkeypatch)
    monkeypatch.setattr(SiteBuilder, "dashboard", broken("the dashboard"))  # the parent's, before any
    for split in (True, False):
        with pytest.raises(RuntimeError, match=r"^defect in the dashboard$"):
            _build(records, out, "public", split, monkeypatch)
    assert tree(out) == before
    assert _leftovers(out) == []


def test_a_broken_unit_template_fails_the_split_build_with_the_serial_message(
    built: tuple[Path, Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    records, out, before = built
    template = records.parent / "templates/site/unit.html"  # the child's: the department and team pages
    template.parent.mkdir(parents=True)
    template.write_text('{% extends "site/base.html" %}\n{% block main %}{{ nothing.there }}{% endblock %}\n', "utf-8")
    split, serial = (_build(records, out, "public", split, monkeypatch) for split in (True, False))
    assert not split.ok and split.error is not None
    assert str(split.error) == str(serial.error)
    assert str(split.error).startswith("模板错误：") and "unit.html:2" in str(split.error)
    assert tree(out) == before
    assert _leftovers(out) == []


def test_a_child_killed_fails_the_build_with_a_message(
    built: tuple[Path, Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    records, out, before = built

    def killed(self: SiteBuilder, kind: str) -> None:
        os.kill(os.getpid(), signal.SIGKILL)  # in the child: as the system stops a process out of memory

    monkeypatch.setattr(SiteBuilder, "unit_pages", killed)
    result = _build(records, out, "public", True, monkeypatch)
    assert not result.ok
    assert "生成网站的后台进程意外中止（被系统终止，可能是内存不足）" in str(result.error)
    assert tree(out) == before
    assert _leftovers(out) == []


def test_a_site_is_split_only_where_the_second_core_is_free(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    records = _leaky_office(tmp_path)  # private values to search for
    monkeypatch.setattr(parallel, "FORK_FROM", 0)
    monkeypatch.setattr(leakscan, "WORKER_FROM", 0)
    forked = counted_forks(monkeypatch, parallel)
    assert build(BuildOptions(records, tmp_path / "internal", pdf=False, profile="internal")).ok
    assert len(forked) == 1  # a cold build with no leak search: split
    assert build(BuildOptions(records, tmp_path / "public", pdf=False)).ok
    assert len(forked) == 1  # searched by workers beside the build: not split
    (records / "issues").joinpath("touched.txt").write_text("changed\n", "utf-8")
    assert build(BuildOptions(records, tmp_path / "internal", pdf=False, profile="internal")).ok
    assert len(forked) == 1  # a rebuild keeps most pages: not split
    monkeypatch.setattr(parallel, "FORK_FROM", 10**9)
    assert build(BuildOptions(records, tmp_path / "small", pdf=False, profile="internal")).ok
    assert len(forked) == 1  # a small office: not split
