"""``reportgen init``: a complete office repository that passes check at once; never over existing files."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest

from reportgen.commands.init import run_init
from reportgen.commands.schema import schema_files
from reportgen.validate import check_repository
from reportgen.workflow.examples import calendar_text

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 3, 2)


def init(target: Path, *flags: str | None, ask: object = None) -> tuple[int, str, str]:
    """Run init with (name, prefix, district, start); (exit code, stdout, stderr)."""
    name, prefix, district, start = (list(flags) + [None] * 4)[:4]
    out, err = io.StringIO(), io.StringIO()
    code = run_init(target, name, prefix, district, start, today=TODAY, ask=ask, out=out, err=err)  # type: ignore[arg-type]
    return code, out.getvalue(), err.getvalue()


def test_init_writes_a_valid_office_repository(tmp_path: Path) -> None:
    target = tmp_path / "office"
    code, out, err = init(target, "川汇区“万人助万企”活动领导小组办公室", "川助企", "川汇区", "2026-02-16")
    assert code == 0, err
    assert "已创建" in out
    files = {p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()}
    assert {
        "README.md", ".gitignore", ".pre-commit-config.yaml", ".vscode/settings.json", ".gitlab-ci.yml",
        ".github/workflows/reportgen.yml", "records/config.yaml", "records/calendar/2026.yaml",
        "records/departments/D01.yaml", "records/staff/S004.yaml", "records/teams/T01.yaml",
        "records/enterprises/E001.yaml", "records/visits/2026-02/V0001.yaml", "records/issues/2026-02/Q0001.yaml",
        "records/rectifications/R0001.yaml", "records/legal/2026-02/L0001.yaml",
        "records/bulletins/2026-02-monthly.md",
    } <= files  # fmt: skip
    validated = check_repository(target / "records")
    assert validated.report.problems == []
    records = validated.records
    assert records.config["doc_prefix"] == "川助企"
    assert records.config["campaign_start"] == dt.date(2026, 2, 16)
    assert set(records.by_kind) == {
        "calendar", "department", "staff", "team", "enterprise", "visit", "issue", "rectification", "legal", "bulletin",
    }  # fmt: skip
    assert {s["role"] for s in records.staff.values()} == {"处级领导", "首席服务官", "驻企法官", "驻企检察官"}
    holidays = records.calendars["2026"]["holidays"]
    assert dt.date(2026, 2, 17) in holidays and dt.date(2026, 10, 1) in holidays
    assert dt.date(2026, 2, 14) in records.calendars["2026"]["workdays"]


def test_every_example_record_explains_its_fields(tmp_path: Path) -> None:
    init(tmp_path / "office", None, None, "川汇区")
    issue = next((tmp_path / "office" / "records" / "issues").rglob("Q0001.yaml")).read_text("utf-8")
    assert "# 示例" not in issue and "这是 reportgen init 写入的示例记录" in issue
    assert "# 牵头单位（必填）：牵头办理的责任单位。填写责任单位的编号，如 D01。\nlead_department: D01\n" in issue
    assert "# deadline: 2021-08-20\n" in issue  # optional fields shown as commented examples


def test_schemas_and_editor_settings_match_reportgens_own(tmp_path: Path) -> None:
    init(tmp_path / "office", None, None, "川汇区")
    for name, text in schema_files().items():
        assert (tmp_path / "office" / "schemas" / name).read_text("utf-8") == text
    ours = json.loads((ROOT / ".vscode" / "settings.json").read_text("utf-8"))
    theirs = json.loads((tmp_path / "office" / ".vscode" / "settings.json").read_text("utf-8"))
    assert theirs["yaml.schemas"] == ours["yaml.schemas"]


def test_gitignore_and_pre_commit_config(tmp_path: Path) -> None:
    init(tmp_path / "office", None, None, "川汇区")
    ignored = (tmp_path / "office" / ".gitignore").read_text("utf-8").split()
    assert {"output/", ".output.*", ".venv/"} <= set(ignored)
    config = (tmp_path / "office" / ".pre-commit-config.yaml").read_text("utf-8")
    assert "id: reportgen-check" in config and "rev: v" in config


def test_defaults_without_a_terminal(tmp_path: Path) -> None:
    code, _, err = init(tmp_path / "office")
    assert code == 0
    assert "--district" in err and "示例区" in err
    config = (tmp_path / "office" / "records" / "config.yaml").read_text("utf-8")
    assert "office: 示例区“万人助万企”活动领导小组办公室\n" in config
    assert "doc_prefix: 示助企\n" in config and "campaign_start: 2026-03-02\n" in config


def test_questions_when_asked(tmp_path: Path) -> None:
    questions: list[str] = []

    def ask(question: str, default: str) -> str:
        questions.append(question)
        return {"地区": "川汇区"}.get(question[:2], default)

    code, _, _ = init(tmp_path / "office", None, None, None, None, ask=ask)
    assert code == 0 and len(questions) == 4
    config = (tmp_path / "office" / "records" / "config.yaml").read_text("utf-8")
    assert "district: 川汇区\n" in config and "doc_prefix: 川助企\n" in config


def test_never_writes_into_a_non_empty_folder(tmp_path: Path) -> None:
    target = tmp_path / "office"
    target.mkdir()
    (target / "notes.txt").write_text("keep me", "utf-8")
    code, _, err = init(target, None, None, "川汇区")
    assert code == 2 and "不是空目录" in err
    assert [p.name for p in target.iterdir()] == ["notes.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["office"]  # no staging folder left behind
    empty = tmp_path / "empty"
    empty.mkdir()
    assert init(empty, None, None, "川汇区")[0] == 0


def test_bad_values_are_refused_before_writing(tmp_path: Path) -> None:
    code, _, err = init(tmp_path / "office", None, "川 助企", "川汇区")
    assert code == 2 and "不能含空格" in err
    code, _, err = init(tmp_path / "office", None, None, "川汇区", "2026-02-30")
    assert code == 2 and "活动开始日期" in err
    assert not (tmp_path / "office").exists()


@pytest.mark.parametrize("year", [2025, 2026, 2031])
def test_calendar_files_are_valid_for_known_and_unknown_years(tmp_path: Path, year: int) -> None:
    records = tmp_path / "records"
    (records / "calendar").mkdir(parents=True)
    (records / "calendar" / f"{year}.yaml").write_text(calendar_text(year), "utf-8")
    (records / "config.yaml").write_text("office: 办\ndistrict: 区\ndoc_prefix: 区助企\ncampaign_start: 2025-01-01\n")
    assert check_repository(records).report.problems == []
