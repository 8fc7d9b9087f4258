"""Zero leaks: no private value (``privacy.private_values``) in any byte of a public build —
of the hostile content repository, of a generated office (``bench/generate``), and of the PDFs'
text; and a bulletin text holding a contact's phone number is warned about (W603) and refused
by the public build (E801; the internal build, for the office itself, still builds it).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BULLETIN, MINIMAL_FILES, write_minimal_repository
from content import read_tree, write_content_repository
from harness import isolated, log_event

from reportgen.privacy import private_values, public_data
from reportgen.publish.build import BuildOptions, build
from reportgen.validate import check_repository
from tests.leakscan import leaks, strings

REPO = Path(__file__).resolve().parents[2]
GENERATED = os.environ.get("REPORTGEN_LEAK_SCALE", "60,300")  # enterprises,issues; reliability.py: 200,1000


def searched_values(root: Path) -> set[str]:
    """Private values, less those also written in a public field (a job title used as a word)."""
    records = check_repository(root).records
    public = "\n".join(
        text
        for kind, by_id in records.by_kind.items()
        for record in by_id.values()
        for text in strings(public_data(kind, record.data, "public"))
    )
    values = private_values(records)
    assert values
    return {v for v in values if v not in public}


def build_public(root: Path, out: Path, pdf: bool = False, periods: tuple[str, ...] = ()) -> dict[str, bytes]:
    def run() -> tuple[bool, str | None]:
        result = build(BuildOptions(root, out, periods=periods, pdf=pdf, profile="public", jobs=1))
        return result.ok, result.error or "; ".join(p.message() for p in result.report.errors)

    outcome = isolated(run, timeout=600)
    assert outcome.status == "ok", outcome.error
    assert outcome.value[0], outcome.value
    return read_tree(out)


def test_hostile_content_public_build_leaks_nothing(tmp_path: Path) -> None:
    root = write_content_repository(tmp_path / "records")
    values = searched_values(root)
    found = leaks(build_public(root, tmp_path / "out"), values)
    log_event("leak", "hostile content repository, public HTML/CSV/XLSX/JSON", not found, values=len(values))
    assert found == {}


def test_small_office_public_pdfs_leak_nothing(tmp_path: Path) -> None:
    root = write_minimal_repository(tmp_path / "records")
    values = searched_values(root)
    found = leaks(build_public(root, tmp_path / "out", pdf=True, periods=("2021-08",)), values)
    log_event("leak", "small office, public PDFs (pdftotext)", not found, values=len(values))
    assert found == {}


def test_generated_office_public_build_leaks_nothing(tmp_path: Path) -> None:
    enterprises, issues = GENERATED.split(",")
    root = tmp_path / "records"
    command = [sys.executable, str(REPO / "bench" / "generate"), str(root), "--enterprises", enterprises]
    command += ["--issues", issues, "--quiet", "--seed", "7"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    if done.returncode != 0 and "No such file" in done.stderr:  # pragma: no cover
        pytest.skip("bench/generate is not there")
    assert done.returncode == 0, done.stderr
    values = searched_values(root)
    found = leaks(build_public(root, tmp_path / "out"), values)
    log_event(
        "leak",
        f"generated office ({enterprises} enterprises, {issues} issues), public build",
        not found,
        values=len(values),
    )
    assert found == {}


# -- a phone number in a bulletin text ------------------------------------------------------

PHONE_IN_BODY = BULLETIN.replace("继续做好服务。", "继续做好服务，联系人雷雨电话 13800000001。")


def test_phone_in_bulletin_text_is_warned_and_refused_by_the_public_build(tmp_path: Path) -> None:
    files = {**MINIMAL_FILES, "bulletins/2021-08-monthly.md": PHONE_IN_BODY}
    root = write_minimal_repository(tmp_path / "records", files)
    report = check_repository(root).report
    found = [(p.code, p.line, p.column, p.params["what"]) for p in report.sorted()]
    assert ("W603", 18, 16, "138****0001") in found  # the body's last line, where the number starts
    assert ("W603", 18, 11, "雷雨") in found
    assert report.valid  # a warning: check passes unless --strict

    public = build(BuildOptions(root, tmp_path / "public", pdf=False, profile="public"))
    assert not public.ok
    refused = [(p.code, p.file, p.line, p.column, p.field) for p in public.report.errors]
    assert refused == [("E801", f"{root}/enterprises/E001.yaml", 12, 10, "contact.phone")]  # the phone's own record
    assert not (tmp_path / "public").exists()

    internal = build(BuildOptions(root, tmp_path / "internal", pdf=False, profile="internal"))
    assert internal.ok, internal.error
    log_event("leak", "phone in bulletin text: W603 and the public build refused", not public.ok and internal.ok)


def test_a_contacts_name_alone_stays_a_warning(tmp_path: Path) -> None:
    files = {**MINIMAL_FILES, "bulletins/2021-08-monthly.md": BULLETIN.replace("继续做好服务。", "雷雨表示感谢。")}
    root = write_minimal_repository(tmp_path / "records", files)
    assert [p.code for p in check_repository(root).report.sorted()] == ["W603"]
    assert build(BuildOptions(root, tmp_path / "out", pdf=False)).ok


def test_a_word_the_office_says_is_no_name_is_no_longer_warned_of(tmp_path: Path) -> None:
    root = write_minimal_repository(
        tmp_path / "records", {**MINIMAL_FILES, "bulletins/2021-08-monthly.md": PHONE_IN_BODY}
    )
    before = [(p.code, p.params["what"]) for p in check_repository(root).report.sorted()]
    assert before == [("W603", "雷雨"), ("W603", "138****0001")]

    config = root / "config.yaml"
    config.write_text(config.read_text("utf-8") + "common_words:\n  - 雷雨\n", "utf-8")
    report = check_repository(root).report  # the check cache's rules' state made before the word was listed
    assert [(p.code, p.params["what"]) for p in report.sorted()] == [("W603", "138****0001")]  # a phone still is
    assert report.sorted()[0].hint("zh") == (
        "公开发布的内容不能包含联系人的电话、姓名等个人信息；请删去。"
        "如果只是字词相同、说的不是这个人，把这个词写进办公室配置（config.yaml）的“不算人名的词”，就不再提醒。"
    )
    public = build(BuildOptions(root, tmp_path / "public", pdf=False, profile="public"))
    assert [(p.code, p.field) for p in public.report.errors] == [("E801", "contact.phone")]  # the phone: refused


def test_a_name_listed_as_a_common_word_lets_a_strict_public_build_publish(tmp_path: Path) -> None:
    files = {**MINIMAL_FILES, "bulletins/2021-08-monthly.md": BULLETIN.replace("继续做好服务。", "雷雨表示感谢。")}
    root = write_minimal_repository(tmp_path / "records", files)
    options = BuildOptions(root, tmp_path / "public", pdf=False, profile="public", strict=True)
    refused = build(options)
    assert [p.code for p in refused.report.warnings] == ["W603"] and not refused.ok
    assert not (tmp_path / "public").exists()

    config = root / "config.yaml"
    config.write_text(config.read_text("utf-8") + "common_words:\n  - 雷雨\n", "utf-8")
    published = build(options)
    assert published.ok and published.report.problems == []
    assert "雷雨表示感谢" in (tmp_path / "public/bulletins/2021-08-monthly.html").read_text("utf-8")


def test_a_contact_renamed_to_a_listed_word_is_not_searched_for_after_an_edit(tmp_path: Path) -> None:
    body = BULLETIN.replace("继续做好服务。", "推动高新技术企业认定。")
    files = {
        **MINIMAL_FILES,
        "config.yaml": MINIMAL_FILES["config.yaml"] + "common_words:\n  - 高新\n",
        "bulletins/2021-08-monthly.md": body,
    }
    root = write_minimal_repository(tmp_path / "records", files)
    assert check_repository(root).report.problems == []
    enterprise = root / "enterprises/E001.yaml"
    enterprise.write_text(enterprise.read_text("utf-8").replace("name: 雷雨", "name: 高新"), "utf-8")
    assert check_repository(root).report.problems == []  # the edited file's rules only: the word is still no name
    config = root / "config.yaml"
    config.write_text(MINIMAL_FILES["config.yaml"], "utf-8")
    assert [(p.code, p.params["what"]) for p in check_repository(root).report.sorted()] == [("W603", "高新")]
