"""``reportgen init``: a complete office repository that passes check at once; never over existing files."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from workflow_helpers import run

from reportgen.commands.init import run_init
from reportgen.commands.schema import schema_files
from reportgen.validate import check_repository
from reportgen.workflow.examples import calendar_text
from reportgen.workflow.holidays import uncovered_note

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 3, 2)
SOURCE = "git+https://git.example.org/zhuqi/reportgen.git@v0.1.0"


def init(target: Path, *flags: str | None, ask: object = None, source: str = SOURCE) -> tuple[int, str, str]:
    """Run init with (name, prefix, district, start); (exit code, stdout, stderr)."""
    name, prefix, district, start = (list(flags) + [None] * 4)[:4]
    out, err = io.StringIO(), io.StringIO()
    code = run_init(target, name, prefix, district, start, source, TODAY, ask, out, err)  # type: ignore[arg-type]
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
    assert {p.code for p in validated.report.problems} == {"W630"}  # the examples, nothing else
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
    assert "# 示例：" not in issue and "这是 reportgen init 写入的示例记录" in issue
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
    assert "- repo: https://git.example.org/zhuqi/reportgen.git\n  rev: v0.1.0\n" in config
    assert "- id: reportgen-check\n" in config


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
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("start", "message"),
    [
        ("2021-02-30", "活动开始日期“2021-02-30”不是有效的日期，请写成 2021-08-01 这样的年-月-日"),
        ("2021-9-1", "活动开始日期“2021-9-1”不是有效的日期，请写成 2021-08-01 这样的年-月-日"),
        ("0001-01-01", "活动开始日期 0001-01-01 超出范围：应在 1990-01-01 至 2027-12-31 之间，请核对年份"),
        ("1989-12-31", "活动开始日期 1989-12-31 超出范围：应在 1990-01-01 至 2027-12-31 之间，请核对年份"),
        ("2028-01-01", "活动开始日期 2028-01-01 超出范围：应在 1990-01-01 至 2027-12-31 之间，请核对年份"),
        ("9999-12-31", "活动开始日期 9999-12-31 超出范围：应在 1990-01-01 至 2027-12-31 之间，请核对年份"),
    ],
)
def test_invalid_and_extreme_start_dates_are_refused(tmp_path: Path, start: str, message: str) -> None:
    code, out, err = init(tmp_path / "a" / "office", None, None, "川汇区", start)
    assert (code, out, err) == (2, "", f"reportgen: {message}\n")
    assert list(tmp_path.iterdir()) == []  # not even the parent folder


@pytest.mark.parametrize("start", ["1990-01-01", "2027-12-31"])
def test_the_first_and_last_allowed_start_dates_pass_check(tmp_path: Path, start: str) -> None:
    code, _, err = init(tmp_path / "office", None, None, "川汇区", start)
    assert code == 0, err
    assert check_repository(tmp_path / "office" / "records").report.errors == []


def test_a_path_under_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me", "utf-8")
    target = tmp_path / "notes.txt" / "office"
    code, _, err = init(target, None, None, "川汇区")
    above = tmp_path / "notes.txt"
    message = f"reportgen: {target} 的上一级 {above} 是一个文件，不是目录，无法在其中新建仓库；请换一个位置\n"
    assert (code, err) == (2, message)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    assert (tmp_path / "notes.txt").read_text("utf-8") == "keep me"


def test_a_file_or_a_link_is_refused(tmp_path: Path) -> None:
    (tmp_path / "office").write_text("keep me", "utf-8")
    code, _, err = init(tmp_path / "office", None, None, "川汇区")
    assert code == 2 and "这是一个已有的文件，不是目录" in err
    (tmp_path / "empty").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "empty")
    code, _, err = init(tmp_path / "link", None, None, "川汇区")
    assert code == 2 and "这是一个符号链接" in err
    assert list((tmp_path / "empty").iterdir()) == []


def test_protected_places_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    code, _, err = init(home, None, None, "川汇区")
    tail = "reportgen 只写入它自己建立的输出目录。\n"
    assert (code, err) == (2, f"reportgen: 拒绝写入 {home}：这是当前用户的主目录，{tail}")
    code, _, err = init(tmp_path, None, None, "川汇区")
    assert code == 2 and f"这个目录包含当前用户的主目录 {home}" in err
    code, _, err = init(Path("/"), None, None, "川汇区")
    assert (code, err) == (2, f"reportgen: 拒绝写入 /：这是文件系统的根目录，{tail}")
    assert list(home.iterdir()) == []


def test_a_source_that_is_no_source_is_refused(tmp_path: Path) -> None:
    code, _, err = init(tmp_path / "office", None, None, "川汇区", source="reportgen==0.1.8")
    assert code == 2
    assert err == (
        "reportgen: --source “reportgen==0.1.8”既不是已有的目录或文件，也不是 git 地址（git+地址@版本）"
        "或 zhuqi-reportgen 的安装要求（如 zhuqi-reportgen==0.1.0）\n"
    )
    code, _, err = init(tmp_path / "office", None, None, "川汇区", source="git+https://git.example.org/x.git")
    assert code == 2 and "要写明版本" in err
    assert list(tmp_path.iterdir()) == []


def test_a_local_source_is_pointed_out(tmp_path: Path) -> None:
    wheel = tmp_path / "zhuqi_reportgen-0.1.0-py3-none-any.whl"
    wheel.write_bytes(b"")
    code, out, err = init(tmp_path / "office", None, None, "川汇区", source=str(wheel))
    assert code == 0
    assert f"CI 和提交前检查安装的 reportgen：本机文件 {wheel}。\n" in out
    assert err == (
        f"提示：CI 文件和提交前检查将从本机上的位置安装 reportgen（本机文件 {wheel}），"
        "GitHub、GitLab 上的 CI 访问不到；推送前请用 --source 给出 reportgen 的 git 地址和版本重新生成，"
        "或修改 CI 文件中的 REPORTGEN_PIP_SPEC 和 .pre-commit-config.yaml。\n"
    )
    gitlab = (tmp_path / "office" / ".gitlab-ci.yml").read_text("utf-8")
    assert f'  REPORTGEN_PIP_SPEC: "zhuqi-reportgen @ {wheel.as_uri()}"\n' in gitlab


def test_a_year_without_the_state_councils_notice_gets_an_empty_calendar_and_a_note(tmp_path: Path) -> None:
    code, _, err = init(tmp_path / "office", None, None, "川汇区", "1999-05-01")
    assert code == 0
    assert err == f"提示：{uncovered_note(1999)}\n"
    assert "没有 1999 年的放假安排：请按国务院办公厅的通知填写 1999 年的放假日期和调休上班日。" in err
    calendar = (tmp_path / "office" / "records" / "calendar" / "1999.yaml").read_text("utf-8")
    assert "holidays: []\n" in calendar and f"# {uncovered_note(1999)}\n" in calendar


def test_each_example_record_is_a_located_w630_warning_until_rewritten(tmp_path: Path) -> None:
    target = tmp_path / "office"
    init(target, None, None, "川汇区", "2026-02-16")
    flagged: dict[str, int] = {}  # file → the line of its flag
    for path in sorted((target / "records").rglob("*.*")):
        lines = path.read_text("utf-8").splitlines()
        if "example: true" in lines:
            flagged[path.relative_to(target).as_posix()] = lines.index("example: true") + 1
    assert len(flagged) == 13  # every record but the configuration and the calendar files
    assert flagged["records/enterprises/E001.yaml"] > 1
    report = check_repository(target / "records").report
    warnings = [p for p in report.problems if p.code == "W630"]
    located = {(p.code, Path(p.file).relative_to(target).as_posix(), p.line, p.column) for p in warnings}
    assert located == {("W630", rel, line, 10) for rel, line in flagged.items()}
    assert {p.message() for p in warnings} == {"示例记录，正式发布前请删除或改写"}
    assert {p.message("en") for p in warnings} == {"example record: delete or rewrite it before publishing"}
    assert report.errors == [] and report.valid
    for rel in flagged:
        path = target / rel
        path.write_text(path.read_text("utf-8").replace("\nexample: true\n", "\n"), "utf-8")
    assert check_repository(target / "records").report.problems == []


def test_a_fresh_office_checks_and_builds_with_only_its_name_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "office"
    assert (
        run(capsys, "init", str(target), "--name", "周口市川汇区助企办", "--start", "2026-02-16", "--source", SOURCE)[0]
        == 0
    )
    monkeypatch.chdir(target)
    code, out, _ = run(capsys, "check", "records")
    assert code == 0
    assert "records/enterprises/E001.yaml:" in out and ": 警告 W630 [E001] 示例记录，正式发布前请删除或改写\n" in out
    assert run(capsys, "check", "records", "--strict")[0] == 1
    code, out, err = run(capsys, "build", "records", "--out", "output", "--no-pdf", "--strict")
    assert code == 1  # the examples are not published by a strict build
    assert "records/teams/T01.yaml:31:10: 警告 W630 [T01] 示例记录，正式发布前请删除或改写\n" in out + err
    assert not (target / "output").exists()
    code, _, err = run(capsys, "build", "records", "--out", "output", "--no-pdf")
    assert code == 0, err
    assert (target / "output" / "manifest.json").is_file()


@pytest.mark.parametrize("year", [2025, 2026, 1999])
def test_calendar_files_are_valid_for_known_and_unknown_years(tmp_path: Path, year: int) -> None:
    records = tmp_path / "records"
    (records / "calendar").mkdir(parents=True)
    (records / "calendar" / f"{year}.yaml").write_text(calendar_text(year), "utf-8")
    (records / "config.yaml").write_text("office: 办\ndistrict: 区\ndoc_prefix: 区助企\ncampaign_start: 1999-01-01\n")
    assert check_repository(records).report.problems == []
