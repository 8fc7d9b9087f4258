"""Hand-edited ``records/frozen/*.json``: every broken file is E511 at its file:line:column from
``check`` and ``build`` (exit 1), never a traceback, and the build never writes over it."""

from __future__ import annotations

import os

import pytest
from conftest import BULLETIN, BULLETIN_FILE, CONFIG, ISSUE, ISSUE_FILE, OfficeRepo, edit

from reportgen.cli import main
from reportgen.compute.freeze import FigureChange, read_frozen

FROZEN = "frozen/2021-08-monthly.json"
HINT = (
    "这个文件由 reportgen build 在通报印发后自动生成，不要手工修改。请从 git 历史中找回它原来的内容；"
    "只有确认印发以后数据没有改动过，才可以删除它再重新构建（会按现在的数据重新记录）。"
)
SYNTAX = "内容不是有效的 JSON：这里附近多了或少了逗号、引号或括号"


def _figures(value: str) -> str:
    return (
        '{\n  "bulletin": "2021-08-monthly",\n  "figures": {\n    "cumulative.issues_resolved": ' + value + "\n  }\n}\n"
    )


CASES: list[tuple[str, bytes, int, int, str]] = [
    ("invalid_json", b'{\n  "figures": {\n', 3, 1, SYNTAX),
    ("empty_file", b"", 1, 1, SYNTAX),
    ("trailing_comma", b'{"figures": {"overdue": [],}}', 1, 28, SYNTAX),
    ("a_list", b"[]", 1, 1, "内容应当是用 { } 括起来的一组内容，实际是列表"),
    ("a_string", b'"figures"', 1, 1, "内容应当是用 { } 括起来的一组内容，实际是文字"),
    ("a_number", b"42", 1, 1, "内容应当是用 { } 括起来的一组内容，实际是数字"),
    ("null", b"null", 1, 1, "内容应当是用 { } 括起来的一组内容，实际是空值"),
    ("not_utf8", '{"figures": {"overdue": ["问题"]}}'.encode("gb18030"), 1, 27, "文件不是 UTF-8 编码"),
    ("no_figures", b"{}", 1, 1, "缺少印发时的各项数字"),
    ("figures_a_list", b'{"figures": []}', 1, 2, "印发时的各项数字应当是一组内容，实际是列表"),
    ("figures_null", b'{"figures": null}', 1, 2, "印发时的各项数字应当是一组内容，实际是空值"),
    ("figure_text", _figures('"34"').encode(), 4, 5, '这一项应当是数字，实际是文字 "34"'),
    ("figure_bool", _figures("true").encode(), 4, 5, "这一项应当是数字，实际是真假值 true"),
    ("figure_object", _figures('{"a": 1}').encode(), 4, 5, '这一项应当是数字，实际是一组内容 {"a": 1}'),
    ("figure_nan", _figures("NaN").encode(), 1, 1, "NaN 不是数字"),
    ("figure_infinity", _figures("-Infinity").encode(), 1, 1, "-Infinity 不是数字"),
    ("figure_overflow", _figures("1e999").encode(), 4, 5, "这一项应当是数字，实际是数字 Infinity"),
    ("figure_5000_digits", _figures("9" * 5000).encode(), 1, 1, "数字过长"),
    ("overdue_text", b'{"figures": {"overdue": "Q0001"}}', 1, 14, '这一项应当是问题编号的列表，实际是文字 "Q0001"'),
    ("overdue_numbers", b'{"figures": {"overdue": [1]}}', 1, 14, "这一项应当是问题编号的列表，实际是列表 [1]"),
    ("deep_nesting", b"[" * 100_000, 1, 1, "括号嵌套过深"),
    (
        "another_bulletin",
        b'{"bulletin": "2021-09-monthly", "figures": {}}',
        1,
        2,
        '文件记录的是通报 "2021-09-monthly" 的数字，与文件名 2021-08-monthly.json 不符',
    ),
    ("revision_object", b'{"figures": {}, "source_revision": {}}', 1, 17, "数据版本应当是文字，实际是一组内容"),
]


@pytest.fixture
def issued(office: OfficeRepo, monkeypatch: pytest.MonkeyPatch) -> OfficeRepo:
    """The minimal repository with its August bulletin issued, run from the folder holding records/."""
    office.write(BULLETIN_FILE, edit(BULLETIN, ("number: 8\n", "number: 8\nissued: 2021-09-03\n")))
    monkeypatch.chdir(office.root.parent)
    return office


def _expected(line: int, column: int, detail: str, file: str = FROZEN) -> str:
    return f"records/{file}:{line}:{column}: 错误 E511 通报印发时数字的记录文件不能使用：{detail}\n    提示：{HINT}\n"


@pytest.mark.parametrize(("name", "content", "line", "column", "detail"), CASES, ids=[c[0] for c in CASES])
def test_broken_frozen_file_is_located(
    issued: OfficeRepo,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: bytes,
    line: int,
    column: int,
    detail: str,
) -> None:
    issued.write(FROZEN, content)
    assert main(["check", "records"]) == 1
    out = capsys.readouterr().out
    assert out.startswith(_expected(line, column, detail)), out
    assert read_frozen(issued.root, "2021-08-monthly") is None


def test_the_build_stops_and_leaves_the_file_as_it_was(issued: OfficeRepo, capsys: pytest.CaptureFixture[str]) -> None:
    path = issued.write(FROZEN, b"[]")
    assert main(["build", "records", "--out", "out", "--no-pdf"]) == 1
    err = capsys.readouterr().err
    assert _expected(1, 1, "内容应当是用 { } 括起来的一组内容，实际是列表").rstrip("\n") in err
    assert path.read_bytes() == b"[]"
    assert not (issued.root.parent / "out").exists()


def test_a_good_frozen_file_is_still_read_and_compared(issued: OfficeRepo, capsys: pytest.CaptureFixture[str]) -> None:
    issued.write(FROZEN, b'{"bulletin": "2021-08-monthly", "figures": {"cumulative.issues_identified": 2}}')
    assert main(["check", "records"]) == 0
    out = capsys.readouterr().out
    assert "W606" in out and "累计·梳理问题 2 → 1" in out, out


@pytest.mark.parametrize(
    ("make", "file", "detail"),
    [
        (lambda p: p.mkdir(), FROZEN, "这是一个文件夹，不是文件"),
        (lambda p: os.mkfifo(p), FROZEN, "这是命名管道（FIFO），不是普通文件；请删除它"),
        (lambda p: p.symlink_to("/etc/hostname"), FROZEN, "这是一个链接，不是普通文件"),
        (lambda p: p.parent.rmdir() or p.parent.write_text("x"), "frozen", "这是一个文件，应当是存放印发数字的文件夹"),
        (
            lambda p: p.parent.rmdir() or p.parent.symlink_to("/tmp"),
            "frozen",
            "这是一个链接，应当是存放印发数字的文件夹",
        ),
    ],
    ids=["folder", "fifo", "link", "frozen_is_a_file", "frozen_is_a_link"],
)
def test_frozen_entries_that_are_not_files(
    issued: OfficeRepo, capsys: pytest.CaptureFixture[str], make: object, file: str, detail: str
) -> None:
    path = issued.root / FROZEN
    path.parent.mkdir()
    make(path)  # type: ignore[operator]
    assert main(["check", "records"]) == 1
    assert capsys.readouterr().out.startswith(_expected(1, 1, detail, file))


def test_other_files_in_the_folder_are_left_alone(issued: OfficeRepo, capsys: pytest.CaptureFixture[str]) -> None:
    issued.write("frozen/notes.txt", b"\xff not json")
    issued.write("frozen/.2021-08-monthly.json.swp", b"\xff")
    assert main(["check", "records"]) == 0
    assert "W607" in capsys.readouterr().out  # issued, and still never frozen


def test_an_issued_bulletin_past_the_working_day_calendar(
    office: OfficeRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    """Its figures cannot be counted in working days: no W606 comparison, and no traceback."""
    office.write("config.yaml", edit(CONFIG, ("day_kind: calendar", "day_kind: working")))
    january = edit(BULLETIN, ("period: 2021-08", "period: 2022-01"), ("number: 8\n", "number: 1\nissued: 2022-02-03\n"))
    office.write("bulletins/2022-01-monthly.md", january)
    office.write("frozen/2022-01-monthly.json", b'{"bulletin": "2022-01-monthly", "figures": {"overdue": ["Q0001"]}}')
    office.write(ISSUE_FILE, ISSUE.split("  - date: 2021-08-18")[0])  # still in progress: overdue in 2022
    os.chdir(office.root.parent)
    code = main(["check", "records"])
    out = capsys.readouterr().out
    assert (code, out) == (0, "检查了 14 个文件、13 条记录：0 个错误，0 个警告。通过\n")


def test_changed_figures_are_shown_as_the_bulletin_prints_them() -> None:
    days = FigureChange("cumulative.mean_days_to_resolve", "累计·解决用时平均数", 12.757575757575758, 13.0)
    assert (days.shown(days.issued), days.shown(days.now)) == ("12.8", "13.0")
    rate = FigureChange("cumulative.resolution_rate", "累计·问题解决率", 0.6538, None)
    assert (rate.shown(rate.issued), rate.shown(rate.now)) == ("65.4%", "—")
    count = FigureChange("cumulative.issues_resolved", "累计·已解决问题", 34, 33)
    assert (count.shown(count.issued), count.shown(count.now)) == ("34", "33")
