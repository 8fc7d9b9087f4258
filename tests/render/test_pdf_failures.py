"""A PDF that cannot be made is an E703 problem naming the bulletin and template; the build fails cleanly."""

from __future__ import annotations

import gc
import multiprocessing
import os
import shutil
import signal
import subprocess
import time
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
from conftest import OfficeRepo

from reportgen.commands.build import run_build
from reportgen.model import Records
from reportgen.problems import Words
from reportgen.publish.build import BuildOptions, build
from reportgen.render import fonts as fonts_module
from reportgen.render import pdf as pdf_module
from reportgen.render.fonts import FontSet, font_set, uncovered
from reportgen.render.pdf import MissingGlyphs, PdfFailure, drawable, html_to_pdf, render_pdfs

BOOM = Words("ValueError: boom second line", "ValueError: boom second line")  # the exception's own words
DIED = Words(
    "生成 PDF 的进程意外退出（可能是字体文件损坏或内存不足）",
    "the process making the PDF ended unexpectedly (a damaged font file, or memory ran out?)",
)
NO_FONTS = FontSet({}, ())


def _fake_pdf(html: str, fonts: FontSet, base_dir: Path, tofu_allowed: bool = False, helper: bool = True) -> bytes:
    """Stands in for WeasyPrint: fails on "bad", kills its process on "die", else returns the HTML's bytes."""
    if html == "bad":
        raise ValueError("boom\nsecond line")
    if html == "die":
        os._exit(3)
    return html.encode()


@pytest.fixture
def fake_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_module, "html_to_pdf", _fake_pdf)
    monkeypatch.setattr(pdf_module, "warm_up", lambda fonts: None)


def test_undrawn_characters_are_left_out() -> None:
    assert drawable("a\x01b\x7f\x85c\u2028d\u2029e\tf\ng\r") == "abc\nd\ne\tf\ng\r"


def test_missing_glyphs_in_words() -> None:
    error = MissingGlyphs('.notdef glyph rendered for Unicode string unsupported by fonts: "x" (U+FFFE); … (U+E000)')
    assert error.detail() == Words(
        "这些字符在字体中没有字形：U+E000、U+FFFE", "no glyph in the fonts for: U+E000, U+FFFE"
    )
    assert MissingGlyphs("no CJK font").detail() == Words(
        "没有可用的中文字体（no CJK font）", "no Chinese font is available (no CJK font)"
    )


@pytest.mark.usefixtures("fake_pdf")
def test_a_failing_pdf_is_a_result_not_an_exception() -> None:
    results = dict(render_pdfs([("a.pdf", "ok"), ("b.pdf", "bad")], NO_FONTS, Path(), 1))
    assert results == {
        "a.pdf": b"ok",
        "b.pdf": PdfFailure(BOOM),
    }


@pytest.mark.usefixtures("fake_pdf")
def test_one_worker_that_dies_does_not_end_the_build() -> None:
    results = dict(render_pdfs([("a.pdf", "die"), ("b.pdf", "one")], NO_FONTS, Path(), 1))
    assert results == {"a.pdf": PdfFailure(DIED), "b.pdf": b"one"}


@pytest.mark.usefixtures("fake_pdf")
def test_a_worker_that_dies_fails_only_its_own_pdf() -> None:
    jobs = [("a.pdf", "one"), ("b.pdf", "die"), ("c.pdf", "two"), ("d.pdf", "bad"), ("e.pdf", "three")]
    results = dict(render_pdfs(jobs, NO_FONTS, Path(), 2))
    assert results == {
        "a.pdf": b"one",
        "b.pdf": PdfFailure(DIED),
        "c.pdf": b"two",
        "d.pdf": PdfFailure(BOOM),
        "e.pdf": b"three",
    }


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_control_characters_are_rendered_without_them(tmp_path: Path) -> None:
    fonts = font_set(Records(root=tmp_path, config={}))
    body = "<p>走访\x01企业\x85十\u2028家</p>"
    html = f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>{body}</body></html>'
    (tmp_path / "x.pdf").write_bytes(html_to_pdf(html, fonts, tmp_path))
    text = subprocess.run(["pdftotext", str(tmp_path / "x.pdf"), "-"], capture_output=True, text=True, check=True)
    assert text.stdout.split() == ["走访企业十", "家"]


def _raise(html: str, fonts: FontSet, base_dir: Path, tofu_allowed: bool = False, helper: bool = True) -> bytes:
    raise RuntimeError("Pango fell over")


def test_the_build_fails_with_e703_and_keeps_the_output(
    office: OfficeRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert build(BuildOptions(office.root, out, pdf=False)).ok
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    monkeypatch.setattr(pdf_module, "html_to_pdf", _raise)
    options = BuildOptions(office.root, out, jobs=1)
    result = build(options)
    # a bulletin with a text is reported at its text; one without (the Q3 review) at the template
    quarterly, annual = (
        str(pdf_module.PACKAGE_DIR / "templates" / "bulletin" / f"{k}.html.j2") for k in ("quarterly", "annual")
    )
    problems = sorted(result.report.problems, key=lambda p: p.record or "")
    assert [(p.code, office.relative(p), p.line, p.column) for p in problems] == [
        ("E703", "bulletins/2021-08-monthly.md", 1, 1),
        ("E703", quarterly, 1, 1),
        ("E703", annual, 1, 1),
    ]
    assert [p.message() for p in problems] == [
        f"生成 PDF 失败（通报 {bulletin}，模板 自带模板 bulletin/{kind}.html.j2）：RuntimeError: Pango fell over"
        for bulletin, kind in (
            ("2021-08-monthly", "monthly"),
            ("2021-Q3-quarterly", "quarterly"),
            ("2021-annual", "annual"),
        )
    ]
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert run_build(options) == 1
    assert "错误 E703 [2021-08-monthly] 生成 PDF 失败" in capsys.readouterr().err


def test_boxes_are_printed_when_the_office_accepts_them(tmp_path: Path) -> None:
    fonts = font_set(Records(root=tmp_path, config={}))
    html = '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><p>标牌\U000f0000问题</p></body></html>'
    with pytest.raises(MissingGlyphs):
        html_to_pdf(html, fonts, tmp_path)
    assert html_to_pdf(html, fonts, tmp_path, tofu_allowed=True).startswith(b"%PDF")


def _page(chars: str) -> str:
    body = "".join(f"<p>字{ch}字</p>" for ch in chars)
    return f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>{body}</body></html>'


def test_every_control_and_format_character_is_either_reported_or_drawn(tmp_path: Path) -> None:
    """The glyph check reports (E701) the format characters that are drawn; the rest render without tofu."""
    fonts = font_set(Records(root=tmp_path, config={}))
    chars = [chr(cp) for cp in range(0x110000) if unicodedata.category(chr(cp)) in ("Cc", "Cf", "Zl", "Zp")]
    reported = uncovered(_page("".join(chars)), fonts)
    assert "\u0600" in reported  # the Arabic number sign is drawn, and no Chinese font has it
    assert {ord(ch) for ch in reported} <= fonts_module._DRAWN_FORMAT
    assert html_to_pdf(_page("".join(ch for ch in chars if ch not in reported)), fonts, tmp_path).startswith(b"%PDF")


@pytest.mark.usefixtures("fake_pdf")
def test_a_job_given_to_a_broken_pool_is_lost_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_module, "_WORKER_STATE", {"fonts": NO_FONTS, "base_dir": Path()})
    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
    dying = pool.submit(pdf_module._render_job, 0, ("a.pdf", "die"))
    with pytest.raises(BrokenProcessPool):
        dying.result()
    assert pdf_module._submit(pool, 1, ("b.pdf", "one")) is None
    pool.shutdown()


def _sleeping_pdf(html: str, fonts: FontSet, base_dir: Path, tofu_allowed: bool = False, helper: bool = True) -> bytes:
    """Stands in for a long render: writes the worker's process id into ``html`` (a path), then waits."""
    Path(html).write_text(str(os.getpid()), encoding="utf-8")
    time.sleep(60)
    return b""


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting to be reaped counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="Linux only")
def test_a_killed_build_leaves_no_pdf_worker_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_module, "html_to_pdf", _sleeping_pdf)
    pid_file = tmp_path / "worker.pid"
    build = os.fork()
    if build == 0:  # the "build": renders one PDF in a worker, until it is killed
        try:
            list(render_pdfs([("a.pdf", str(pid_file))], NO_FONTS, Path(), 1))
        finally:
            os._exit(0)
    for _ in range(200):
        if pid_file.exists() and pid_file.read_text():
            break
        time.sleep(0.05)
    worker = int(pid_file.read_text())
    os.kill(build, signal.SIGKILL)
    os.waitpid(build, 0)
    for _ in range(100):
        if not _alive(worker):
            break
        time.sleep(0.05)
    assert not _alive(worker), "the PDF worker outlived the build that forked it"


def _slow_pdf(html: str, fonts: FontSet, base_dir: Path, tofu_allowed: bool = False, helper: bool = True) -> bytes:
    """Stands in for a render that never ends when ``html`` names a file (it gets the worker's id), else is quick."""
    if html.endswith(".pid"):
        _sleeping_pdf(html, fonts, base_dir)
    return html.encode()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="Linux only")
def test_a_render_over_the_time_limit_is_stopped_and_the_others_are_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf_module, "html_to_pdf", _slow_pdf)
    monkeypatch.setattr(pdf_module, "warm_up", lambda fonts: None)
    pid_file = tmp_path / "worker.pid"
    jobs = [("a.pdf", "one"), ("b.pdf", str(pid_file)), ("c.pdf", "two"), ("d.pdf", "three")]
    results = dict(render_pdfs(jobs, NO_FONTS, Path(), 2, limit=0.5))
    assert results == {
        "a.pdf": b"one",
        "b.pdf": PdfFailure(Words("生成超过0.5秒未完成，已停止", "not done after 0.5 seconds: stopped")),
        "c.pdf": b"two",
        "d.pdf": b"three",
    }
    worker = int(pid_file.read_text())
    for _ in range(100):
        if not _alive(worker):
            break
        time.sleep(0.05)
    assert not _alive(worker), "the worker of the stopped render still runs"


@pytest.mark.parametrize(
    ("value", "seconds", "detail"),
    [
        (None, 600.0, "生成超过10分钟未完成，已停止"),
        ("90", 90.0, "生成超过90秒未完成，已停止"),
        ("1800", 1800.0, "生成超过30分钟未完成，已停止"),
        ("0.5", 0.5, "生成超过0.5秒未完成，已停止"),
        ("0", 600.0, "生成超过10分钟未完成，已停止"),
        ("-3", 600.0, "生成超过10分钟未完成，已停止"),
        ("inf", 600.0, "生成超过10分钟未完成，已停止"),
        ("十分钟", 600.0, "生成超过10分钟未完成，已停止"),
    ],
)
def test_the_time_limit_comes_from_the_environment(
    value: str | None, seconds: float, detail: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if value is None:
        monkeypatch.delenv(pdf_module.TIME_LIMIT_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(pdf_module.TIME_LIMIT_VARIABLE, value)
    assert pdf_module.time_limit() == seconds
    assert pdf_module.timeout_detail(seconds).zh == detail


def _endless_pdf(html: str, fonts: FontSet, base_dir: Path, tofu_allowed: bool = False, helper: bool = True) -> bytes:
    time.sleep(60)
    return b""


def test_a_build_with_a_render_over_the_limit_fails_with_e703_and_keeps_the_output(
    office: OfficeRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert build(BuildOptions(office.root, out, pdf=False)).ok
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    monkeypatch.setattr(pdf_module, "html_to_pdf", _endless_pdf)
    monkeypatch.setenv(pdf_module.TIME_LIMIT_VARIABLE, "0.3")
    options = BuildOptions(office.root, out, jobs=2)
    result = build(options)
    assert not result.ok
    problems = sorted(result.report.problems, key=lambda p: p.record or "")
    assert [(p.code, p.record, str(p.params["detail"])) for p in problems] == [
        ("E703", bulletin, "生成超过0.3秒未完成，已停止")
        for bulletin in ("2021-08-monthly", "2021-Q3-quarterly", "2021-annual")
    ]
    assert problems[0].message() == (
        "生成 PDF 失败（通报 2021-08-monthly，模板 自带模板 bulletin/monthly.html.j2）：生成超过0.3秒未完成，已停止"
    )
    assert problems[0].message("en") == (
        "PDF rendering failed (bulletin 2021-08-monthly, template built-in bulletin/monthly.html.j2): "
        "not done after 0.3 seconds: stopped"
    )
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_a_worker_collects_a_renders_garbage_as_the_next_render_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not before its PDF goes back to the build; and the first render collects nothing (the parent's heap)."""
    fonts = font_set(Records(root=tmp_path, config={}))
    rendered: list[bytes] = []
    collected: list[int] = []
    real = gc.collect

    def collect(*args: int) -> int:
        collected.append(len(rendered))
        return real(*args)

    monkeypatch.setattr(pdf_module, "_WORKER_CLOCK", [None])  # as ``_start_worker`` leaves a worker
    monkeypatch.setattr(pdf_module, "_LEFT_GARBAGE", [])
    monkeypatch.setattr(gc, "collect", collect)
    for text in ("一", "二", "三"):
        rendered.append(html_to_pdf(_page(text), fonts, tmp_path))
    assert collected == [1, 2]
    assert all(pdf.startswith(b"%PDF") for pdf in rendered)
