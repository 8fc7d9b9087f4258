"""A large office's PDFs are made in a new process, whose workers hold none of the build's memory (``render.pdf``).

The same bytes as workers forked from the build; none holds the build's memory; a killed
build leaves none behind (the new process is killed with it, and its workers with that).
"""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from reportgen.publish import pipeline
from reportgen.publish.build import BuildOptions, build
from reportgen.render import pdf as pdf_module
from reportgen.render.pdf import PdfFailure, render_pdfs
from tests.modules import BENCH, load_module
from tests.publish.test_build import make_office
from tests.render.conftest import Office
from tests.render.test_pdf_failures import DIED, _alive
from tests.render.test_pdf_split import pytestmark as needs_poppler

pytestmark = needs_poppler
LINUX = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="Linux only")


def test_made_in_a_new_process_the_same_bytes(december: Office, single: bytes) -> None:
    # One job and two (the sample's 附件1 is too short for a helper: that is test_pdf_pagemeet's, in one process).
    html, fonts, root = december
    assert dict(render_pdfs([("a.pdf", html)], fonts, root, 1, fresh=True)) == {"a.pdf": single}
    two = dict(render_pdfs([("a.pdf", html), ("b.pdf", html)], fonts, root, 2, fresh=True))
    assert two == {"a.pdf": single, "b.pdf": single}


def _descendants(root: int) -> set[int]:
    """The processes ``root`` started, and theirs, now (the benchmark's walk of /proc)."""
    return set(load_module("bench_check_throughput", BENCH / "check_throughput.py")._tree(root)) - {root}


def _resident_kb(pid: int) -> int:
    """``pid``'s resident memory (0 once it has ended)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)


@LINUX
def test_a_new_processs_worker_does_not_hold_the_builds_memory(december: Office, single: bytes) -> None:
    # A worker forked from this process would have the ballast resident too (its pages are shared).
    html, fonts, root = december
    ballast = b"\x01" * (400 << 20)
    largest: dict[int, int] = {}
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            for pid in _descendants(os.getpid()):
                largest[pid] = max(largest.get(pid, 0), _resident_kb(pid))

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        made = dict(render_pdfs([("a.pdf", html)], fonts, root, 1, fresh=True))
    finally:
        done.set()
        sampler.join()
    assert made == {"a.pdf": single}
    assert len(ballast) == 400 << 20
    assert max(largest.values()) < 400 << 10
    assert len(largest) >= 2  # the new process and its worker were seen


@LINUX
def test_a_killed_build_leaves_no_pdf_process_behind(december: Office, tmp_path: Path) -> None:
    work = tmp_path / "work.pickle"
    work.write_bytes(pickle.dumps(december))
    script = (
        "import pickle, sys\n"
        "from reportgen.render.pdf import render_pdfs\n"
        "html, fonts, root = pickle.loads(open(sys.argv[1], 'rb').read())\n"
        "list(render_pdfs([('a.pdf', html)] * 4, fonts, root, 1, fresh=True))\n"
    )
    build = subprocess.Popen([sys.executable, "-c", script, str(work)])
    try:
        for _ in range(600):  # a worker is a grandchild: forked by the new process, the build's child
            started = _descendants(build.pid)
            if any(started & _descendants(child) for child in started):
                break
            time.sleep(0.05)
        assert build.poll() is None, "the build ended before its worker was seen"
    finally:
        build.send_signal(signal.SIGKILL)
        build.wait()
    for _ in range(100):
        if not any(_alive(pid) for pid in started):
            break
        time.sleep(0.05)
    assert [pid for pid in started if _alive(pid)] == []


def test_a_large_offices_build_makes_its_pdfs_in_a_new_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[bool] = []
    real = pdf_module.render_pdfs

    def rendering(*args: Any, fresh: bool = False, **kwargs: Any) -> Any:
        calls.append(fresh)
        yield from real(*args, fresh=fresh, **kwargs)

    monkeypatch.setattr(pdf_module, "render_pdfs", rendering)
    records = make_office(tmp_path)
    assert build(BuildOptions(records, tmp_path / "small")).pdf_rendered == 7
    monkeypatch.setattr(pipeline, "PDF_FRESH_FROM", 1)  # issues
    assert build(BuildOptions(records, tmp_path / "large")).pdf_rendered == 7
    assert calls == [False, True]
    pdfs = sorted(path.relative_to(tmp_path / "small") for path in (tmp_path / "small").rglob("*.pdf"))
    assert len(pdfs) == 7
    assert [(tmp_path / "large" / pdf).read_bytes() for pdf in pdfs] == [
        (tmp_path / "small" / pdf).read_bytes() for pdf in pdfs
    ]


def test_the_jobs_of_a_new_process_that_died_fail_as_a_dead_workers_do(
    december: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    html, fonts, root = december
    monkeypatch.setattr(pdf_module, "FRESH_COMMAND", (sys.executable, "-c", "import os; os._exit(3)"))
    assert dict(render_pdfs([("a.pdf", html), ("b.pdf", html)], fonts, root, 2, fresh=True)) == {
        "a.pdf": PdfFailure(DIED),
        "b.pdf": PdfFailure(DIED),
    }
