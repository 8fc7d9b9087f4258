"""``reportgen check``: exit codes, output formats, languages and the exact text people read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import (
    DEPARTMENT,
    ISSUE,
    ISSUE_FILE,
    VISIT,
    VISIT_FILE,
    OfficeRepo,
)

from reportgen.cli import main, spelled_alike

JSON_KEYS = {"code", "severity", "file", "line", "column", "record", "field", "message", "hint"}


@pytest.fixture
def cwd(office: OfficeRepo, monkeypatch: pytest.MonkeyPatch) -> OfficeRepo:
    """Run from the folder holding ``records/``, as the office does, so files read records/…"""
    monkeypatch.chdir(office.root.parent)
    return office


def _break_issue(repo: OfficeRepo) -> None:
    repo.write(ISSUE_FILE, ISSUE.replace("time_limit_days: 15", 'time_limit_days: "15"'))


def test_valid_repository_exits_0(cwd: OfficeRepo, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "records"]) == 0
    out = capsys.readouterr().out
    assert out == "检查了 13 个文件、12 条记录：0 个错误，0 个警告。通过\n"


def test_errors_exit_1(cwd: OfficeRepo, capsys: pytest.CaptureFixture[str]) -> None:
    _break_issue(cwd)
    assert main(["check", "records"]) == 1
    out = capsys.readouterr().out
    assert out.endswith("1 个错误，0 个警告。未通过。各错误代码的说明和改法见 docs/guide.md。\n")


def test_the_records_folder_spelled_another_way_is_the_same_folder(
    cwd: OfficeRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    _break_issue(cwd)
    assert main(["check", "records"]) == 1
    first = capsys.readouterr().out
    assert first.startswith("records/issues/2021-08/Q0001.yaml:11:18: 错误 E203")
    for spelled in (str(cwd.root), f"{cwd.root}/", "./records/", f"../{cwd.root.parent.name}/records"):
        assert main(["check", spelled]) == 1
        assert capsys.readouterr().out == first  # the same paths, so the same check cache


@pytest.mark.parametrize(
    ("given", "spelled"),
    [
        ("records", "records"),
        ("./records/", "records"),
        ("{here}/records", "records"),
        ("{here}", "."),
        ("records/../records", "records"),
        ("../office/records", "../office/records"),
        ("/srv/office/records/", "/srv/office/records"),
    ],
)
def test_a_path_is_spelled_from_the_working_folder_when_inside_it(
    given: str, spelled: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert spelled_alike(given.format(here=tmp_path)) == Path(spelled)


def test_missing_records_folder_exits_2(cwd: OfficeRepo, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "no-such-folder"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "reportgen: 找不到记录目录或文件 no-such-folder（请在办公室仓库的根目录运行，或给出记录目录的路径）\n"
    )


@pytest.mark.parametrize(
    "argv", [["check", "--format", "xml", "records"], ["check", "--nope"], ["--lang", "fr", "check"]]
)
def test_bad_usage_exits_2(cwd: OfficeRepo, argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("用法：reportgen")
    assert "usage" not in err


def test_strict_turns_warnings_into_failure(cwd: OfficeRepo, capsys: pytest.CaptureFixture[str]) -> None:
    cwd.write("departments/说明.txt", "这里放责任单位。\n")
    assert main(["check", "records"]) == 0
    assert "0 个错误，1 个警告。通过" in capsys.readouterr().out
    assert main(["check", "--strict", "records"]) == 1


def test_text_format_exact_lines(cwd: OfficeRepo, capsys: pytest.CaptureFixture[str]) -> None:
    _break_issue(cwd)
    cwd.write(VISIT_FILE, VISIT.replace("enterprise: E001", "enterprise: E999"))
    cwd.write("departments/说明.txt", "这里放责任单位。\n")
    cwd.write("departments/D02.yaml", DEPARTMENT.replace("D01", "D02").encode("gbk"))
    assert main(["check", "records"]) == 1
    assert capsys.readouterr().out.split("\n") == [
        "records/departments/D02.yaml:2:7: 错误 E103 文件不是 UTF-8 编码"
        "（看起来是 GBK/GB18030 编码，常见于 Windows 记事本或 Excel 导出）",
        "    提示：用编辑器“另存为 UTF-8”，或运行：iconv -f GB18030 -t UTF-8 原文件 > 新文件。",
        "",
        "records/departments/说明.txt:1:1: 警告 W604 这个文件不是记录，已跳过：说明.txt",
        "    提示：记录文件以 .yaml 结尾，通报正文以 .md 结尾。",
        "",
        "records/issues/2021-08/Q0001.yaml:11:18: 错误 E203 [Q0001] "
        '办理时限（天）应当是整数，实际写的是 "15"（加了引号，是文字）',
        "    提示：按整数的格式改写这个值。",
        "",
        "records/visits/2021-08/V0001.yaml:3:13: 错误 E302 [V0001] 企业“E999”不存在",
        "    提示：检查编号是否写对，或先添加这条企业记录。",
        "",
        "检查了 14 个文件、11 条记录：3 个错误，1 个警告。未通过。各错误代码的说明和改法见 docs/guide.md。",
        # the broken issue is not counted
        "",
    ]


def test_json_format(cwd: OfficeRepo, capsys: pytest.CaptureFixture[str]) -> None:
    _break_issue(cwd)
    cwd.write("departments/说明.txt", "x\n")
    assert main(["check", "--format", "json", "records"]) == 1
    problems = json.loads(capsys.readouterr().out)
    assert [set(p) for p in problems] == [JSON_KEYS, JSON_KEYS]
    assert problems[1] == {
        "code": "E203",
        "severity": "error",
        "file": "records/issues/2021-08/Q0001.yaml",
        "line": 11,
        "column": 18,
        "record": "Q0001",
        "field": "time_limit_days",
        "message": '办理时限（天）应当是整数，实际写的是 "15"（加了引号，是文字）',
        "hint": "按整数的格式改写这个值。",
    }
    assert problems[0]["severity"] == "warning"
    assert problems[0]["record"] is None


def test_json_format_of_a_valid_repository_is_an_empty_list(
    cwd: OfficeRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--format", "json", "records"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_github_format(cwd: OfficeRepo, capsys: pytest.CaptureFixture[str]) -> None:
    _break_issue(cwd)
    cwd.write("departments/说明.txt", "x\n")
    assert main(["check", "--format", "github", "records"]) == 1
    lines = capsys.readouterr().out.splitlines()
    annotations = lines[:-1]
    assert annotations[0].startswith("::warning file=records/departments/说明.txt,line=1,col=1,title=W604::")
    assert annotations[1].startswith("::error file=records/issues/2021-08/Q0001.yaml,line=11,col=18,title=E203::")
    assert all(a.startswith(("::error file=", "::warning file=")) for a in annotations)
    assert lines[-1].endswith("未通过。各错误代码的说明和改法见 docs/guide.md。")


def test_english(cwd: OfficeRepo, capsys: pytest.CaptureFixture[str]) -> None:
    _break_issue(cwd)
    assert main(["--lang", "en", "check", "records"]) == 1
    assert capsys.readouterr().out.split("\n") == [
        "records/issues/2021-08/Q0001.yaml:11:18: error E203 [Q0001] "
        "'time_limit_days' should be a whole number, found \"15\" (quoted, so it is text)",
        "    hint: Rewrite the value as a whole number.",
        "",
        # only complete records count
        "checked 13 files, 11 records: 1 error, 0 warnings. What each code means and how to fix it: docs/guide.md.",
        "",
    ]


def test_english_json(cwd: OfficeRepo, capsys: pytest.CaptureFixture[str]) -> None:
    cwd.write(VISIT_FILE, VISIT.replace("enterprise: E001", "enterprise: E999"))
    assert main(["--lang", "en", "check", "--format", "json", "records"]) == 1
    [problem] = json.loads(capsys.readouterr().out)
    assert problem["message"] == "'enterprise' refers to enterprise 'E999', which does not exist"


def test_subprocess_never_shows_a_traceback(office: OfficeRepo) -> None:
    """A thoroughly broken repository: exit 1, problems on stdout, nothing on stderr."""
    office.write("departments/D01.yaml", b"\x89PNG\r\n\x1a\n\x00\x00")
    office.write("enterprises/E001.yaml", "a: &a [1, 2]\nb: [*a, *a]\n")
    office.write(ISSUE_FILE, "history:\n\t- 问题收集\n")
    office.write("bulletins/2021-08-monthly.md", "没有信息块\n")
    office.write("teams/T01.yaml", "")
    office.write("staff/S001.yaml", "[" * 5000)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run(
        [sys.executable, "-m", "reportgen", "check", str(office.root)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr == ""
    for code in ("E103", "E106", "E114", "E111", "E104", "E108"):
        assert f" {code} " in result.stdout


def test_subprocess_valid(office: OfficeRepo, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "reportgen", "check", "records"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.endswith("。通过\n")
