"""Drafts on the site (issue 15 item 1): off the public site unless the config publishes them, then marked 草稿."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

from reportgen.publish.build import BuildOptions, build
from reportgen.publish.progress import Progress
from tests.compute.scenario import scenario_files, write_repository

SEPTEMBER = "---\nkind: monthly\nperiod: 2021-09\nnumber: 9\nissued: 2021-10-08\n---\n本月工作正常开展。\n"
AS_OF = dt.date(2021, 12, 31)


def _office(tmp_path: Path, publish_drafts: bool) -> Path:
    files: dict[str, Any] = scenario_files({"publish_drafts": publish_drafts})
    files["bulletins/2021-09-monthly.md"] = SEPTEMBER
    return write_repository(tmp_path / "records", files)


def _built(records: Path, out: Path, profile: str) -> list[str]:
    result = build(BuildOptions(records, out, pdf=False, profile=profile, as_of=AS_OF))
    assert result.ok, result.report.problems
    return [entry["id"] for entry in json.loads((out / "manifest.json").read_text("utf-8")) if "id" in entry]


def test_the_public_site_leaves_drafts_out_by_default(tmp_path: Path) -> None:
    records = _office(tmp_path, publish_drafts=False)
    assert _built(records, tmp_path / "public", "public") == ["2021-09-monthly"]
    assert not (tmp_path / "public/bulletins/2021-10-monthly.html").exists()
    archive = (tmp_path / "public/archive.html").read_text("utf-8")
    assert "2021-10-monthly" not in archive and "草稿" not in archive
    assert "2021-10-monthly" in _built(records, tmp_path / "internal", "internal")


def test_published_drafts_are_marked(tmp_path: Path) -> None:
    records = _office(tmp_path, publish_drafts=True)
    assert "2021-10-monthly" in _built(records, tmp_path / "out", "public")
    page = (tmp_path / "out/bulletins/2021-10-monthly.html").read_text("utf-8")
    assert '<p class="draft-banner"><strong>草稿</strong>' in page
    assert "（草稿）" in page  # in place of the number and the signed date
    issued = (tmp_path / "out/bulletins/2021-09-monthly.html").read_text("utf-8")
    assert "draft-banner" not in issued and "2021年10月8日印发" in issued
    archive = (tmp_path / "out/archive.html").read_text("utf-8")
    assert '<span class="draft-tag">草稿（尚未印发）</span>' in archive


def test_a_public_build_names_the_drafts_it_leaves_out_and_the_setting(tmp_path: Path) -> None:
    records, said = _office(tmp_path, publish_drafts=False), io.StringIO()
    result = build(BuildOptions(records, tmp_path / "out", pdf=False, as_of=AS_OF), Progress(said))
    assert result.ok
    line = next(line for line in said.getvalue().splitlines() if line.startswith("草稿不在公开版中："))
    assert line.startswith("草稿不在公开版中：2021年8月的月通报、2021年10月的月通报、")  # September is issued
    assert line.endswith(
        "（要发布草稿，在办公室配置（config.yaml）的“公开发布草稿”填 true；或用 --profile 内部版 构建）"
    )
    english = io.StringIO()
    assert build(BuildOptions(records, tmp_path / "en", pdf=False, as_of=AS_OF), Progress(english, lang="en")).ok
    assert (
        english.getvalue()
        .splitlines()[1]
        .endswith("(set publish_drafts in config.yaml to true, or use --profile internal)")
    ), english.getvalue()


def test_a_build_of_one_period_names_the_bulletins_it_no_longer_holds(tmp_path: Path) -> None:
    records, said = _office(tmp_path, publish_drafts=True), io.StringIO()
    assert build(BuildOptions(records, tmp_path / "out", pdf=False, as_of=AS_OF)).ok
    narrowed = BuildOptions(records, tmp_path / "out", pdf=False, as_of=AS_OF, periods=("2021-09",))
    assert build(narrowed, Progress(said)).ok
    line = next(line for line in said.getvalue().splitlines() if line.startswith("只构建了指定的时期："))
    assert line.startswith("只构建了指定的时期：上次输出中的 2021年8月的月通报、2021年10月的月通报、")
    assert line.endswith(" 不在新的输出中（不带 --period、--kind 再构建一次即可恢复）")
