"""Every subcommand with hostile arguments: never a traceback, exit 0/1/2, the message in the chosen language.

The in-process cases run ``main([...])`` with capsys; a closed pipe and non-UTF-8 file
names need a real process and run as subprocesses.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ENTERPRISE, ENTERPRISE_FILE, ISSUE, ISSUE_FILE, VISIT, VISIT_FILE, OfficeRepo

from reportgen.cli import build_parser, main
from reportgen.cliargs import nearest_names, wrap_columns
from reportgen.commands.check import format_text, github_annotation, selected_report
from reportgen.problems import Problem, Report

SUBCOMMANDS = (
    *("check", "stats", "build", "serve", "schema", "docs", "init", "new", "diff", "freeze"),
    *("workbook", "import"),
)
ENGLISH_WORDS = re.compile(r"\b(usage|error|invalid|argument|required|unrecognized|expected|options)\b")
GUIDE = "各错误代码的说明和改法见 docs/guide.md。"
CJK = re.compile(r"[\u4e00-\u9fff]")

# Each case: the arguments (F stands for a regular file, M for a missing path, U for a path under a
# file, B for a non-UTF-8 name, L for a name too long) and the exit code.  Every case runs in Chinese and in English.
CASES: list[tuple[list[str], int]] = [
    ([], 2),
    (["--nope"], 2),
    (["chek"], 2),
    (["--lang"], 2),
    (["--lang", "fr", "check"], 2),
    # check
    (["check", "--nope"], 2),
    (["check", "--format"], 2),
    (["check", "--format", "xml"], 2),
    (["check", "--strict=yes"], 2),
    (["check", "M"], 2),
    (["check", "U"], 2),
    (["check", "F"], 2),
    (["check", "B"], 2),
    (["check", "records", "M"], 2),
    (["check", "L"], 1),  # a name too long for the system
    # stats
    (["stats", "records", "extra"], 2),
    (["stats", "--period"], 2),
    (["stats", "--format", "csv"], 2),
    (["stats", "M", "--period", "2021-09"], 2),
    (["stats", "F", "--period", "2021-09"], 2),
    (["stats", "U", "--period", "2021-09"], 2),
    (["stats", "B", "--period", "2021-09"], 2),
    (["stats", "L", "--period", "2021-09"], 1),
    (["stats", "records", "--period", "2021-13"], 2),
    (["stats", "records", "--as-of", "yesterday"], 2),
    (["stats", "records"], 2),
    # build
    (["build", "a", "b"], 2),
    (["build", "--out"], 2),
    (["build", "--kind", "montly"], 2),
    (["build", "--profile", "privat"], 2),
    (["build", "--jobs", "x"], 2),
    (["build", "--jobs", "-1"], 2),
    (["build", "--jobs", "1.5"], 2),
    (["build", "--jobs", ""], 2),
    (["build", "M"], 2),
    (["build", "F"], 2),
    (["build", "U"], 2),
    (["build", "B"], 2),
    (["build", "L"], 1),
    (["build", "records", "--period", "2021-13"], 2),
    # serve
    (["serve", "a", "b"], 2),
    (["serve", "--port"], 2),
    (["serve", "--port", "abc"], 2),
    (["serve", "--port", "70000"], 2),
    (["serve", "--port", "0"], 2),
    (["serve", "--port", "-1"], 2),
    (["serve", "--port", "8e3"], 2),
    (["serve", "--profile", "all"], 2),
    (["serve", "M"], 2),
    (["serve", "F"], 2),
    (["serve", "U"], 2),
    # schema and docs
    (["schema", "extra"], 2),
    (["schema", "--out"], 2),
    (["schema", "--out", "F"], 1),
    (["schema", "--out", "U"], 1),
    (["docs", "extra"], 2),
    (["docs", "--out", "U"], 1),
    # init
    (["init"], 2),
    (["init", "a", "b"], 2),
    (["init", "F"], 2),
    (["init", "records"], 2),
    (["init", "new-office", "--start"], 2),
    # new
    (["new"], 2),
    (["new", "bogus"], 2),
    (["new", "issue", "--records", "M"], 2),
    (["new", "issue", "--records", "U"], 2),
    (["new", "issue", "--records", "B"], 2),
    (["new", "enterprise", "--records", "records", "--nope", "1"], 2),
    # diff
    (["diff"], 2),
    (["diff", "a", "b", "c"], 2),
    (["diff", "--format", "html", "HEAD"], 2),
    (["diff", "HEAD", "--records", "records"], 2),  # not a git repository
    # freeze
    (["freeze", "M"], 2),
    (["freeze", "F"], 2),
    (["freeze", "a", "b"], 2),
]


@pytest.fixture
def cwd(office: OfficeRepo, monkeypatch: pytest.MonkeyPatch) -> OfficeRepo:
    """Run beside ``records/``, with F a file, M missing, U under a file and B a non-UTF-8 name."""
    root = office.root.parent
    monkeypatch.chdir(root)
    (root / "a-file.txt").write_text("x\n", encoding="utf-8")
    return office


PLACEHOLDERS = {
    "F": "a-file.txt",
    "M": "no-such-folder",
    "U": "a-file.txt/inside",
    "B": os.fsdecode(b"\xff\xfe-records"),
    "L": "a" * 5000,
}


def _argv(args: list[str]) -> list[str]:
    return [PLACEHOLDERS.get(a, a) for a in args]


def _assert_language(text: str, lang: str) -> None:
    """The command line's own messages are in ``lang``."""
    assert "Traceback" not in text
    if lang == "zh":
        assert CJK.search(text), text
        assert not ENGLISH_WORDS.search(text.replace("--help", "")), text
    else:
        assert "用法" not in text and "错误：" not in text and "参数 " not in text, text


def _lang_positions(args: list[str]) -> list[list[str]]:
    """``--lang en`` before the subcommand, after it, at the end, and as ``--lang=en``."""
    return [["--lang", "en", *args], [*args[:1], "--lang", "en", *args[1:]], [*args, "--lang=en"]]


@pytest.mark.parametrize(("args", "code"), CASES, ids=[" ".join(c[0]) or "(none)" for c in CASES])
def test_hostile_arguments_in_chinese(
    cwd: OfficeRepo, capsys: pytest.CaptureFixture[str], args: list[str], code: int
) -> None:
    assert main(_argv(args)) == code
    captured = capsys.readouterr()
    _assert_language(captured.err, "zh")
    assert "Traceback" not in captured.out


@pytest.mark.parametrize(("args", "code"), CASES, ids=[" ".join(c[0]) or "(none)" for c in CASES])
def test_hostile_arguments_in_english(
    cwd: OfficeRepo, capsys: pytest.CaptureFixture[str], args: list[str], code: int
) -> None:
    for argv in _lang_positions(_argv(args)) if args and args[0] in SUBCOMMANDS else [["--lang", "en", *_argv(args)]]:
        assert main(argv) == code, argv
        captured = capsys.readouterr()
        _assert_language(captured.err, "en")
        assert "Traceback" not in captured.out


@pytest.mark.parametrize("command", [*SUBCOMMANDS, None])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_help_of_each_command(capsys: pytest.CaptureFixture[str], command: str | None, lang: str) -> None:
    argv = [command, "--help"] if command else ["--help"]
    for line in _lang_positions(argv) if lang == "en" else [argv]:
        assert main(line) == 0
        out = capsys.readouterr().out
        assert out.startswith("用法：reportgen" if lang == "zh" else "usage: reportgen"), out
        if lang == "zh":
            assert "位置参数：" in out or command in ("schema", "docs")
            assert "选项：\n  -h, --help" in out and "显示帮助并退出" in out
            assert not ENGLISH_WORDS.search(out.replace("--help", "")), out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_option_has_help(lang: str) -> None:
    parser = build_parser(lang)
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    parsers = [parser, *subparsers.choices.values()]
    assert sorted(subparsers.choices) == sorted(SUBCOMMANDS)
    missing = [
        f"{p.prog} {a.dest}"
        for p in parsers
        for a in p._actions
        if not a.help and not isinstance(a, argparse._SubParsersAction)
    ]
    assert missing == []


def test_chinese_usage_error_exactly(
    cwd: OfficeRepo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")  # lines fit 80 columns, a Chinese character taking two
    assert main(["init"]) == 2
    assert capsys.readouterr().err == (
        "用法：reportgen init [-h] [--name 值] [--prefix 值] [--district 值]\n"
        "                  [--start 值] [--source 值]\n"
        "                  [--git-host {github,gitlab,gitea}] [--repo 仓库]\n"
        "                  [--git-url 地址] [--lang {zh,en}]\n"
        "                  目录\n"
        "reportgen init：错误：缺少必需的参数：目录\n"
        "用 reportgen init --help 查看全部参数的说明。\n"
    )


def test_invalid_choice_suggests_the_nearest(cwd: OfficeRepo, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--kind", "montly"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[-2:] == [
        "reportgen build：错误：参数 --kind：无效的选项值“montly”，"
        "可选：monthly、quarterly、annual、月通报、季点评、年度考核（是否指 monthly？）",
        "用 reportgen build --help 查看全部参数的说明。",
    ]
    assert main(["chek", "--lang", "en"]) == 2
    assert capsys.readouterr().err.splitlines()[-2] == (
        "reportgen: error: argument COMMAND: invalid choice: 'chek' (choose from check, stats, build, serve, "
        "schema, docs, init, new, diff, freeze, workbook, import) (did you mean check?)"
    )


@pytest.mark.parametrize(
    ("argv", "kind"),
    [
        (["build", "--kind", "季点评"], "quarterly"),
        (["build", "--kind", "monthly"], "monthly"),
        (["import", "台账.csv", "--kind", "问题"], "issue"),
        (["import", "台账.csv", "--kind", "legal"], "legal"),
        (["new", "问题"], "issue"),
        (["new", "通报正文"], "bulletin"),
        (["new", "enterprise"], "enterprise"),
    ],
)
def test_a_kind_is_given_by_its_chinese_name_too(argv: list[str], kind: str) -> None:
    assert build_parser().parse_args(argv).kind == kind


@pytest.mark.parametrize(
    ("argv", "profile"),
    [
        (["build", "--profile", "内部版"], "internal"),
        (["build", "--profile", "公开版"], "public"),
        (["serve", "--profile", "内部版"], "internal"),
        (["build", "--profile", "internal"], "internal"),
        (["build"], "public"),
    ],
)
def test_a_profile_is_given_by_its_chinese_name_too(argv: list[str], profile: str) -> None:
    assert build_parser().parse_args(argv).profile == profile


def test_a_mistyped_profile_is_answered_with_both_names(cwd: OfficeRepo, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--profile", "内部"]) == 2
    assert capsys.readouterr().err.splitlines()[-2] == (
        "reportgen build：错误：参数 --profile：无效的选项值“内部”，"
        "可选：public、internal、公开版、内部版（是否指 内部版？）"
    )


def test_the_profile_help_breaks_beside_chinese_characters(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["build", "--help"]) == 0
    out = capsys.readouterr().out
    assert (
        "  --profile {public,internal,公开版,内部版}\n"
        "                        公开版（public，默认）删去全部非公开信息；内部版\n"
        "                        （internal）保留\n"
    ) in out


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("内部版（internal）保留", 14, ["内部版", "（internal）保", "留"]),  # a Latin word is never cut
        # nor a closing mark at a line's start
        ("只生成这些时期（可重复），如 2021-09", 24, ["只生成这些时期（可重", "复），如 2021-09"]),
        ("年度考核（annual）", 9, ["年度考核", "（annual）"]),  # nor （ at an end
        ("生成 docs/records.md 与 docs/metrics.md", 20, ["生成 docs/records.md", "与 docs/metrics.md"]),
        ("网址：https://git.example.gov.cn", 12, ["网址：", "https://git.example.gov.cn"]),  # too long: kept whole
    ],
)
def test_help_lines_wrap_by_columns_where_a_line_may_break(text: str, width: int, lines: list[str]) -> None:
    assert wrap_columns(text, width) == lines


@pytest.mark.parametrize(
    ("value", "names", "meant"),
    [
        ("问提", ["issue", "企业", "问题"], ["问题"]),  # difflib's likeness: 0.5, under its 0.6
        ("企叶", ["enterprise", "企业", "人员"], ["企业"]),
        ("服务", ["服务队伍", "法治服务", "企业"], ["服务队伍", "法治服务"]),  # as close: both, in their order
        ("不是问题", ["问题", "企业"], []),  # a word of negation is never answered with one without
        ("月报", ["monthly", "quarterly"], []),  # Chinese among English names: nothing shared
        ("ｍｏｎｔｈｌｙ", ["monthly", "quarterly"], ["monthly"]),  # typed with a Chinese input method
        ("montly", ["monthly", "问题"], ["monthly"]),
        ("xyz", ["monthly", "问题"], []),
    ],
)
def test_a_mistyped_choice_is_guessed_by_the_characters_shared_when_it_is_chinese(
    value: str, names: list[str], meant: list[str]
) -> None:
    assert nearest_names(value, names) == meant


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (["serve", "--port", "70000"], "参数 --port：端口应当是 1 到 65535 之间的整数，实际写的是“70000”"),
        (["serve", "--port", "abc"], "参数 --port：端口应当是 1 到 65535 之间的整数，实际写的是“abc”"),
        (["build", "--jobs", "x"], "参数 --jobs：进程数应当是不小于 0 的整数，实际写的是“x”"),
        (["build", "--jobs", "\x1b[2J"], "参数 --jobs：进程数应当是不小于 0 的整数，实际写的是“\\x1b[2J”"),
    ],
)
def test_wrong_numbers_exactly(cwd: OfficeRepo, capsys: pytest.CaptureFixture[str], argv: list[str], line: str) -> None:
    assert main(argv) == 2
    assert capsys.readouterr().err.splitlines()[-2] == f"reportgen {argv[0]}：错误：{line}"


def test_check_of_files(cwd: OfficeRepo, capsys: pytest.CaptureFixture[str]) -> None:
    """Only the given files' problems, and those that make their references fail."""
    cwd.write(ISSUE_FILE, ISSUE.replace("time_limit_days: 15", 'time_limit_days: "15"'))
    cwd.write("departments/说明.txt", "x\n")
    assert main(["check", f"records/{VISIT_FILE}", "records/config.yaml"]) == 0
    assert capsys.readouterr().out == "检查了 2 个文件（所在的记录目录已全部校验）：0 个错误，0 个警告。通过\n"
    cwd.write(ENTERPRISE_FILE, ENTERPRISE.replace("id: E001", "id: E009"))  # the visit's enterprise is gone
    assert main(["check", f"records/{ENTERPRISE_FILE}"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(": ")[0] for line in lines if not line.startswith(" ") and line] == [
        "records/enterprises/E001.yaml:1:5",
        f"records/{ISSUE_FILE}:2:13",
        "records/legal/2021-08/L0001.yaml:6:13",
        f"records/{VISIT_FILE}:3:13",
        "检查了 1 个文件（所在的记录目录已全部校验）：4 个错误，0 个警告。未通过。" + GUIDE,
    ]


def test_check_of_files_in_several_folders_and_a_folder(
    cwd: OfficeRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "records").symlink_to(cwd.root, target_is_directory=True)
    cwd.write(VISIT_FILE, VISIT.replace("enterprise: E001", "enterprise: E999"))
    assert main(["check", "records", f"records/{VISIT_FILE}"]) == 1
    whole = capsys.readouterr().out
    assert whole.count(" E302 ") == 1 and "13 个文件、" in whole
    assert main(["check", f"records/{VISIT_FILE}", str(other / "records" / ENTERPRISE_FILE)]) == 1
    out = capsys.readouterr().out
    assert out.count(" E302 ") == 1
    assert main(["check", "records", str(other / "records" / ENTERPRISE_FILE)]) == 1  # a folder and another's file
    mixed = capsys.readouterr().out
    assert mixed.count(" E302 ") == 1  # the enterprise file of the other folder has no problem
    assert mixed.endswith("检查了 14 个文件（所在的记录目录已全部校验）：1 个错误，0 个警告。未通过。" + GUIDE + "\n")
    assert main(["check", f"records/{VISIT_FILE}", str(other / "records" / ENTERPRISE_FILE)]) == 1
    out = capsys.readouterr().out
    assert out.endswith("检查了 2 个文件（所在的记录目录已全部校验）：1 个错误，0 个警告。未通过。" + GUIDE + "\n")


def test_check_of_a_file_outside_any_records_folder(cwd: OfficeRepo, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "a-file.txt"]) == 2
    assert capsys.readouterr().err == (
        "reportgen: a-file.txt 不在任何记录目录中（记录目录是放有 config.yaml 的文件夹，如 records/）\n"
    )


def test_control_characters_are_escaped() -> None:
    """Record content shown in a message cannot move the cursor, clear the screen or reverse the text."""
    problem = Problem(
        "records/enterprises/E\x1b[2J.yaml",
        6,
        8,
        "E204",
        {"field": "企业规模", "value": "大\u202e型\u200b", "nearest": "", "allowed": "大型"},
    )
    assert format_text([problem]).split("\n") == [
        "records/enterprises/E\\x1b[2J.yaml:6:8: 错误 E204 企业规模“大\\u202e型\\u200b”不在可选范围内",
        "    提示：只能填写以下之一：大型。",
        "",
        "",
    ]


def test_github_escaping() -> None:
    problem = Problem(
        "records/a,b:c%.yaml",
        3,
        4,
        "E204",
        {"field": "企业规模", "value": "50%\r\n::error::forged\u202e", "nearest": "", "allowed": "大型、中型"},
    )
    assert github_annotation(problem, "zh") == (
        "::error file=records/a%2Cb%3Ac%25.yaml,line=3,col=4,title=E204::"
        "E204 企业规模“50%25%0D%0A::error::forged\\u202e”不在可选范围内 — 只能填写以下之一：大型、中型。"
    )


def test_an_unexpected_exception_is_one_short_message(
    cwd: OfficeRepo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> int:
        raise KeyError("line one\nline two")

    monkeypatch.setattr("reportgen.commands.check.run_check", broken)
    monkeypatch.delenv("REPORTGEN_DEBUG", raising=False)
    assert main(["check"]) == 70
    err = capsys.readouterr().err
    assert err == (
        "reportgen 内部错误：命令意外中止。这是程序的缺陷，请把以下信息报告给维护人员：\n"
        f"  KeyError: 'line one\\nline two' @ {__file__}:{broken.__code__.co_firstlineno + 1}\n"
    )
    monkeypatch.setenv("REPORTGEN_DEBUG", "1")
    with pytest.raises(KeyError):
        main(["check"])


def test_a_system_refusal_is_not_a_defect(
    cwd: OfficeRepo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(*args: object, **kwargs: object) -> int:
        raise PermissionError(13, "Permission denied", "records/\x1b[2J")

    monkeypatch.setattr("reportgen.commands.check.run_check", refused)
    assert main(["check"]) == 1
    assert capsys.readouterr().err == "reportgen: 无法完成：没有权限：records/\\x1b[2J\n"
    assert main(["check", "--lang", "en"]) == 1
    assert capsys.readouterr().err == "reportgen: could not finish: Permission denied: records/\\x1b[2J\n"


def _run(args: list[str | bytes], cwd: Path, **kwargs: object) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("REPORTGEN_DEBUG", None)
    return subprocess.Popen(
        [sys.executable, "-m", "reportgen", *args],
        cwd=cwd,
        env=env,
        stderr=subprocess.PIPE,
        **kwargs,  # type: ignore[call-overload]
    )


def test_check_into_a_closed_pipe(office: OfficeRepo) -> None:
    """``reportgen check | head`` with head gone: no BrokenPipeError, no traceback."""
    office.write(ISSUE_FILE, ISSUE.replace("time_limit_days: 15", 'time_limit_days: "15"'))
    process = _run(["check", "records"], office.root.parent, stdout=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # before it writes: the write meets a closed pipe
    err = process.stderr.read()
    assert process.wait(timeout=60) == 1
    assert err == b""


def test_non_utf8_names_in_a_real_process(office: OfficeRepo) -> None:
    bad = b"\xff\xfe-records"
    process = _run([bad], office.root.parent, stdout=subprocess.PIPE)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 2 and b"Traceback" not in err
    process = _run(["check", bad], office.root.parent, stdout=subprocess.PIPE)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 2 and out == b""
    assert err.decode("utf-8") == (
        "reportgen: 找不到记录目录或文件 \\xff\\xfe-records（请在办公室仓库的根目录运行，或给出记录目录的路径）\n"
    )
    (office.root / "departments" / os.fsdecode(b"D\xff.yaml")).write_text("id: D01\n", encoding="utf-8")
    process = _run(["check", "records"], office.root.parent, stdout=subprocess.PIPE)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 1 and err == b"", err
    assert b"records/departments/D\\xff.yaml" in out


def test_stats_says_its_own_lines_in_english(cwd: OfficeRepo, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "records", "--lang", "en"]) == 2
    assert capsys.readouterr().err == (
        "reportgen: give the period with --period (2021-09, 2021-Q3, 2021) or a cut-off date with --as-of\n"
    )


@pytest.mark.skipif(
    os.geteuid() == 0, reason="root reads a chmod 000 folder anyway; U (a path under a file) is the unreadable case"
)
@pytest.mark.parametrize("command", ["check", "stats", "build"])
def test_unreadable_records_folder(cwd: OfficeRepo, capsys: pytest.CaptureFixture[str], command: str) -> None:
    cwd.root.chmod(0)
    try:
        assert main([command, "records", "--period", "2021-09"][: 2 if command == "check" else 4]) in (1, 2)
    finally:
        cwd.root.chmod(0o755)
    assert "Traceback" not in capsys.readouterr().err


def test_new_says_its_own_lines_in_english(cwd: OfficeRepo, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "issue", "--lang", "en", "--records", "no-such-folder"]) == 2
    assert capsys.readouterr().err == (
        "reportgen: records folder no-such-folder not found (run in the office repository's root, or give --records)\n"
    )
    assert (
        main(["--lang=en", "new", "department", "--name", "区水务局", "--short-name", "水务局", "--type", "公用事业"])
        == 0
    )
    captured = capsys.readouterr()
    assert captured.out == "records/departments/D02.yaml\n"
    assert captured.err == "wrote department D02\n"


def test_which_problems_belong_to_the_given_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """Its own; those elsewhere about its record; those of the records it names in vain; changed bulletins."""
    problems = [
        Problem("r/visits/V1.yaml", 3, 13, "E302", {"value": "E001"}),  # about the given enterprise
        Problem("r/enterprises/E002.yaml", 1, 5, "E301", {"id": "E001", "other": "r/enterprises/E001.yaml"}),
        Problem("r/enterprises/E001.yaml", 4, 1, "E302", {"value": "T09"}),  # the given file's own
        Problem("r/teams/T09.yaml", 1, 1, "E101", {"detail": "x"}),  # the team it names
        Problem("r/bulletins/2021-08-monthly.md", 5, 1, "W606", {}),  # the data changed an issued bulletin
        Problem("r/visits/V2.yaml", 3, 13, "E302", {"value": "E777"}),  # unrelated
        Problem("r/teams/T01.yaml", 1, 1, "E101", {"detail": "x"}),  # unrelated
    ]
    monkeypatch.setattr("reportgen.commands.check.check_report", lambda root: Report(list(problems), 20, 19))
    report = selected_report(Path("r"), frozenset({"r/enterprises/E001.yaml"}))
    assert [(p.file, p.code) for p in report.sorted()] == [
        ("r/bulletins/2021-08-monthly.md", "W606"),
        ("r/enterprises/E001.yaml", "E302"),
        ("r/enterprises/E002.yaml", "E301"),
        ("r/teams/T09.yaml", "E101"),
        ("r/visits/V1.yaml", "E302"),
    ]
    assert (report.files_checked, report.records_checked) == (1, 0)


def test_a_reversing_file_name_is_escaped_end_to_end(cwd: OfficeRepo, capsys: pytest.CaptureFixture[str]) -> None:
    cwd.write("departments/说明\u202etxt.md", "x\n")
    assert main(["check", "records"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        "records/departments/说明\\u202etxt.md:1:1: 警告 W604 这个文件不是记录，已跳过：说明\\u202etxt.md"
    )
