"""The build streams every file into its staging folder as it is rendered, and stays all-or-nothing.

A failure half-way through the site (a defect, a mistake in an office's site template, a
private value found in a page) leaves the previous output as it was and no staging folder
behind; the privacy scan sees every page the build writes.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from reportgen.lang import Phrase
from reportgen.publish import pipeline
from reportgen.publish.atomic import OutputError, StagingWriter
from reportgen.publish.build import BuildOptions, BuildResult, build
from reportgen.publish.leakscan import LeakScan, PdfTextError, _rows_apart, find_leaks
from reportgen.render.site.builder import SiteBuilder
from reportgen.validate import check_repository
from tests.compute.scenario import scenario_files, write_repository
from tests.conftest import write_minimal_repository
from tests.publish.test_build import tree


def _office(tmp_path: Path) -> Path:
    return write_repository(tmp_path / "records", scenario_files())


def _run(records: Path, out: Path) -> BuildResult:
    return build(BuildOptions(records, out, pdf=False))


def _leftovers(out: Path) -> list[str]:
    """Staging folders or a set-aside old output beside the output folder."""
    return sorted(
        p.name for p in out.parent.iterdir() if p.name.startswith((f".{out.name}.staging-", f".{out.name}.previous"))
    )


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """An office built once: its records, output folder, and the output's files."""
    records, out = _office(tmp_path), tmp_path / "output"
    assert _run(records, out).ok
    (records / "issues").joinpath("touched.txt").write_text("changed\n", "utf-8")  # the next build is not a no-op
    return records, out, tree(out)


def test_a_defect_half_way_through_the_site_changes_nothing(
    built: tuple[Path, Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    records, out, before = built
    written: list[str] = []
    original, kept = StagingWriter.write, StagingWriter.reuse

    def spy(self: StagingWriter, rel: str, content: bytes) -> None:
        written.append(rel)
        original(self, rel, content)

    def spy_kept(self: StagingWriter, rel: str, previous: Path, stamp: str | None = None) -> Path:
        written.append(rel)  # a page kept from the last build is on disk too
        return kept(self, rel, previous, stamp)

    def broken(self: SiteBuilder) -> None:
        raise RuntimeError("defect")

    monkeypatch.setattr(StagingWriter, "write", spy)
    monkeypatch.setattr(StagingWriter, "reuse", spy_kept)
    monkeypatch.setattr(SiteBuilder, "metrics_page", broken)
    with pytest.raises(RuntimeError, match="defect"):
        _run(records, out)
    assert "ledger.html" in written and "departments/index.html" in written  # pages were already on disk
    assert tree(out) == before
    assert _leftovers(out) == []


def test_a_broken_site_template_fails_with_its_line_and_changes_nothing(
    built: tuple[Path, Path, dict[str, str]],
) -> None:
    records, out, before = built
    template = records.parent / "templates/site/metrics.html"
    template.parent.mkdir(parents=True)
    template.write_text('{% extends "site/base.html" %}\n{% block main %}{{ nothing.there }}{% endblock %}\n', "utf-8")
    result = _run(records, out)
    assert not result.ok
    assert result.error is not None and str(result.error).startswith("模板错误：")
    assert "metrics.html:2" in str(result.error)
    assert tree(out) == before
    assert _leftovers(out) == []


def test_the_privacy_scan_reads_every_file_written(
    built: tuple[Path, Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    records, out, _ = built
    scanned: list[str] = []
    original, unchanged = pipeline.LeakScan.add, pipeline.LeakScan.add_unchanged

    def spy(self: pipeline.LeakScan, path: str, data: bytes) -> None:
        scanned.append(path)
        original(self, path, data)

    def spy_unchanged(self: pipeline.LeakScan, path: str, sha: str | None, file: str) -> None:
        scanned.append(path)  # a site file kept from the last build: its outcome from the memo, by its digest
        unchanged(self, path, sha, file)

    monkeypatch.setattr(pipeline.LeakScan, "add", spy)
    monkeypatch.setattr(pipeline.LeakScan, "add_unchanged", spy_unchanged)
    assert _run(records, out).ok
    published = sorted(p for p in tree(out) if not p.startswith("."))
    assert sorted(scanned) == [p for p in published if p != ".reportgen-output"]
    assert len(scanned) == len(set(scanned))


def test_the_writer_refuses_a_path_out_of_the_folder_or_written_twice(tmp_path: Path) -> None:
    writer = StagingWriter(tmp_path)
    writer.write("a/b.html", b"1")
    with pytest.raises(OutputError, match=r"拒绝写入输出目录之外的路径：\.\./c\.html") as refused:
        writer.write("../c.html", b"2")
    assert refused.value.text("en") == "refused to write outside the output folder: ../c.html"
    with pytest.raises(FileExistsError):
        writer.write("a/b.html", b"3")
    assert (tmp_path / "a/b.html").read_bytes() == b"1"
    assert writer.written == ["a/b.html"]


def test_the_writer_makes_missing_folders_at_any_depth(tmp_path: Path) -> None:
    """Folders come with the files, parents first, an existing one kept; a kept file lands beside a new one."""
    (tmp_path / "units").mkdir()
    previous = tmp_path / "previous.html"
    previous.write_bytes(b"kept")
    writer = StagingWriter(tmp_path)
    writer.write("units/D01/rows/2.html", b"new")
    assert writer.reuse("units/D01/rows/3.html", str(previous)) == f"{tmp_path}/units/D01/rows/3.html"
    writer.reuse("ledger/2021/08/1.html", previous)
    assert (tmp_path / "units/D01/rows/2.html").read_bytes() == b"new"
    assert (tmp_path / "units/D01/rows/3.html").read_bytes() == b"kept"
    assert (tmp_path / "ledger/2021/08/1.html").read_bytes() == b"kept"
    assert writer.written == ["units/D01/rows/2.html", "units/D01/rows/3.html", "ledger/2021/08/1.html"]


def test_a_big_worksheet_is_searched_in_parts_and_named_once(tmp_path: Path) -> None:
    assert list(_rows_apart(b"<x><row>1</row><row>22</row><row>3</row></x>", size=4)) == [
        b"<x><row>1</row><row>22</row>",  # past half the size, a row the rows' bytes pick, else past 4 × the size
        b"<row>3</row></x>",
    ]
    assert list(_rows_apart(b"<p>no rows</p>", size=4)) == [b"<p>no rows</p>"]
    records = check_repository(write_minimal_repository(tmp_path / "records")).records
    filler = "".join(f'<row r="{n}"><c t="inlineStr"><is><t>第{n}行</t></is></c></row>' for n in range(60000))
    phone = '<row r="60001"><c t="inlineStr"><is><t>138 0000 0001</t></is></c></row>'
    sheet = f"<worksheet><sheetData>{filler}{phone}{phone}</sheetData></worksheet>"
    assert len(sheet.encode()) > 2 << 20
    xlsx = io.BytesIO()
    with zipfile.ZipFile(xlsx, "w") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    leaks = find_leaks(records, {"ledger.xlsx": xlsx.getvalue()})
    assert [(leak.value.path, leak.outputs) for leak in leaks] == [
        ("contact.phone", ("ledger.xlsx!xl/worksheets/sheet1.xml",))
    ]


def test_unreadable_pdf_text_stops_the_public_build_in_the_language_of_lang(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreadable(self: LeakScan) -> None:
        raise PdfTextError("pdftotext: not found")

    monkeypatch.setattr(LeakScan, "leaks", unreadable)
    out = tmp_path / "out"
    result = build(BuildOptions(write_minimal_repository(tmp_path / "records"), out, pdf=False))
    assert isinstance(result.error, Phrase)
    assert result.error.text("zh") == (
        "无法读出 PDF 的文字来检查其中有没有不公开的信息（pdftotext: not found），请安装 poppler-utils"
    )
    assert result.error.text("en") == (
        "cannot read the PDFs' text to search it for private values (pdftotext: not found): install poppler-utils"
    )
    assert not out.exists()
