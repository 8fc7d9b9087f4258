"""A large office's files are searched by a second process while the build renders (``leakscan._Worker``)."""

from __future__ import annotations

import gc
import io
import os
import pickle
import sys
from pathlib import Path
from typing import Any

import pytest

from reportgen import heap
from reportgen.publish import leakscan
from reportgen.publish.atomic import StagingWriter
from reportgen.publish.build import BuildResult
from reportgen.publish.leakmemo import MEMO_FILE
from tests.publish.test_build import make_office, run, tree

CONTACT = {"name": "雷雨声", "phone": "13800000001"}


@pytest.fixture(autouse=True)
def _own_check_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path / "check-cache"))


def _leaky_office(tmp_path: Path, summary: str) -> Path:
    """The scenario office with a private contact, and a visit whose summary repeats ``summary`` of it."""
    records = make_office(tmp_path)
    enterprise = records / "enterprises/E001.yaml"
    enterprise.write_text(
        enterprise.read_text("utf-8") + f"contact:\n  name: {CONTACT['name']}\n  phone: '{CONTACT['phone']}'\n", "utf-8"
    )
    visit = records / "visits/2021-08/V0001.yaml"
    visit.write_text(visit.read_text("utf-8").replace("了解情况。", f"与{summary}了解情况。"), "utf-8")
    return records


def _problems(result: BuildResult) -> list[dict[str, Any]]:
    return [problem.as_dict("en") for problem in result.report.problems]


def _both(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, records: Path) -> tuple[BuildResult, BuildResult]:
    """The build searched in its own process, then (in another output folder) by the worker."""
    alone = run(records, tmp_path / "alone")
    monkeypatch.setattr(leakscan, "WORKER_FROM", 0)
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path / "worker-check-cache"))
    return alone, run(records, tmp_path / "worker")


def test_a_name_found_by_the_worker_is_the_same_warning_with_the_same_output_and_memo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = _leaky_office(tmp_path, CONTACT["name"])
    alone, worker = _both(tmp_path, monkeypatch, records)
    assert alone.ok and worker.ok
    assert [p["code"] for p in _problems(worker)] == ["W603", "W802"]  # the check says where it was typed
    assert _problems(worker) == _problems(alone)
    assert tree(tmp_path / "worker") == tree(tmp_path / "alone")
    memo = tmp_path / ".worker.cache" / MEMO_FILE
    assert memo.read_bytes() == (tmp_path / ".alone.cache" / MEMO_FILE).read_bytes()
    assert _workers() == []


def test_a_phone_found_by_the_worker_stops_the_build_as_in_the_build_s_own_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = _leaky_office(tmp_path, "138 0000 0001")
    alone, worker = _both(tmp_path, monkeypatch, records)
    assert not alone.ok and not worker.ok
    assert "E801" in [p["code"] for p in _problems(worker)]
    assert _problems(worker) == _problems(alone)
    assert not (tmp_path / "worker").exists()
    assert _workers() == []


def test_a_failure_in_the_worker_is_raised_in_the_build_and_leaves_no_output_nor_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = _leaky_office(tmp_path, "企业负责人")  # private values to search for, none in the output
    original = StagingWriter.write

    def vanishing(self: StagingWriter, rel: str, content: bytes) -> None:
        if rel == "metrics.html":  # gone before the worker reads it back
            self.on_write, on_write = None, self.on_write
            original(self, rel, content)
            (self.root / rel).unlink()
            self.on_write = on_write
            if on_write is not None:
                on_write(rel, content)
            return
        original(self, rel, content)

    monkeypatch.setattr(StagingWriter, "write", vanishing)
    monkeypatch.setattr(leakscan, "WORKER_FROM", 0)
    result = run(records, tmp_path / "output")
    assert str(result.error).startswith(f"无法写入输出目录 {tmp_path / 'output'}：")  # not a PDF's text unread
    left = sorted(p.name for p in tmp_path.iterdir() if "output" in p.name and p.name != ".output.cache")
    assert left == [".output.lock"]  # no output and no staging folder (the build cache may keep the ledger's parts)
    assert _workers() == []


def _workers() -> list[str]:
    """The leak search workers still running (children of this process)."""
    children = Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").read_text().split()
    return [pid for pid in children if "reportgen.publish.leakscan" in Path(f"/proc/{pid}/cmdline").read_text()]


@pytest.mark.parametrize(
    ("ending", "zh", "en"),
    [
        (
            "import os, signal; os.kill(os.getpid(), signal.SIGKILL)",
            "被系统终止，可能是内存不足",
            "stopped by the system, perhaps out of memory",
        ),
        ("import sys; sys.stderr.write('Traceback (most recent call last)'); sys.exit(3)", "退出码 3", "exit code 3"),
    ],
)
def test_a_worker_that_ends_early_is_a_plain_error_in_the_chosen_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str], ending: str, zh: str, en: str
) -> None:
    from reportgen.cli import main

    records = _leaky_office(tmp_path, "企业负责人")
    monkeypatch.setattr(leakscan, "WORKER_FROM", 0)
    monkeypatch.setattr(leakscan, "WORKER_COMMAND", (sys.executable, "-c", ending))
    for lang, said in (("zh", zh), ("en", en)):
        capfd.readouterr()
        assert main(["build", str(records), "--out", str(tmp_path / "output"), "--no-pdf", "--lang", lang]) == 1
        err = capfd.readouterr().err
        assert (
            err.splitlines()[-1]
            == {
                "zh": f"构建失败：检查公开版中有没有不公开信息的后台进程意外中止（{said}），请关闭其他程序后重新构建。"
                f"原有的 {tmp_path / 'output'} 未被改动。",
                "en": f"build failed: the process searching the public output for private values ended early ({said}): "
                f"close other programs and build again. {tmp_path / 'output'} was left as it was.",
            }[lang]
        )
        assert "Traceback" not in err  # the worker's own output is not shown
        assert not (tmp_path / "output").exists()
        assert _workers() == []


class _Search:
    """What the worker is sent to search for: here nothing (its search is replaced)."""

    def compile(self) -> None:
        pass


def test_the_worker_searches_in_a_frozen_heap_collecting_its_young_objects_less_often(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str, int]] = []

    def searched(search: Any, memo: Any, path: str, data: bytes, layout: Any = None) -> tuple[str, list[Any], None]:
        seen.append((path, gc.get_threshold()[0]))
        return "sha-" + path, [], None

    monkeypatch.setattr(leakscan, "_searched", searched)
    (tmp_path / "a.html").write_bytes(b"<p>a</p>\n")
    messages = [(_Search(), None, "terms", tmp_path), ("a.html", None), None]
    source = io.BytesIO(b"".join(pickle.dumps(message) for message in messages))
    sink = io.BytesIO()
    before = gc.get_threshold()
    leakscan._serve(source, sink)
    ok, (done, _) = pickle.loads(sink.getvalue())
    assert ok and done == [("sha-a.html", [])]
    assert seen == [("a.html", heap.FROZEN_YOUNG)]
    assert gc.get_threshold() == before
